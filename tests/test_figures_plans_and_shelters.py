"""Structures of the twelfth batch of real reports (session 6): planned movements, leaving a place, evacuees
housed in shelters, people taken to hospital, restatements («речь идёт о»), finding the missing, a subjectless
speech verb and an abbreviated title. Pure Python: run with ``-p no:django``. The sentences are written for these
tests, not copied from the benchmark.
"""

from __future__ import annotations

from datetime import date

import pytest

from homeward.figures.extract import analyse, extract

PUB = date(2025, 6, 6)


def got(text: str, lang: str | None = None) -> dict[float | int | None, str]:
    return {c.value: c.quantity for c in extract(text, published=PUB, outlet="Daily Wire", lang=lang)}


def claimant_of(text: str, value: int, lang: str) -> str | None:
    return next(c.claimant for c in extract(text, published=PUB, outlet="Daily Wire", lang=lang) if c.value == value)


@pytest.mark.parametrize(("text", "lang"), [
    ("Officials said Russia plans to deport at least 400 children from the region this summer.", "en"),
    ("A plan is in place to evacuate 35 children from the shelled town, the governor said.", "en"),
    ("It is necessary to evacuate 40 children from the village, the mayor said.", "en"),
    ("Влада планує вивезти в безпечні місця 702 дитини.", "uk"),
    ("Власти планируют эвакуировать около 8 тысяч детей из приграничья.", "ru"),
    ("Сейчас планируем вывоз порядка восьми тысяч детей из области, сказал губернатор.", "ru"),
])
def test_a_planned_or_intended_movement_is_no_claim(text: str, lang: str) -> None:
    result = analyse(text, published=PUB, outlet="Daily Wire", lang=lang)
    assert [c for c in result.claims if c.value is not None] == []
    assert any("planned or intended" in d.reason for d in result.dropped)


@pytest.mark.parametrize(("text", "lang", "value", "quantity"), [
    ("On 30 May, 1,300 children will leave for camps in Penza and Tambov, the governor said.", "en", 1300, "other"),
    ("Уже 30 мая 1300 детей отправятся в лагеря Пензы и Тамбова, сообщил губернатор.", "ru", 1300, "evacuated"),
    ("The Red Cross is trying to find out what happened to 12,000 people who have disappeared.", "en", 12000,
     "other"),
])
def test_a_scheduled_movement_or_a_search_is_still_a_claim(text: str, lang: str, value: int, quantity: str) -> None:
    assert got(text, lang) == {value: quantity}


def test_leaving_a_place_is_displacement_unless_the_sentence_calls_it_evacuation() -> None:
    assert got("About 90,000 people have left their homes since the attack, the governor said.", "en") == {
        90000: "other"}
    assert got("More than 3,000 people have left or been evacuated from the border districts.", "en") == {
        3000: "evacuated"}


@pytest.mark.parametrize(("text", "value", "quantity"), [
    ("In all, 7,000 people have been housed in temporary accommodation centres.", 7000, "evacuated"),
    ("Over 9,000 residents have been placed in 150 temporary accommodation points.", 9000, "evacuated"),
    ("More than 1,500 people have found shelter in our district, the mayor wrote.", 1500, "evacuated"),
    ("Some 60 civilians have been taken to hospitals after the strike.", 60, "other"),
])
def test_evacuees_received_in_shelters_and_people_taken_to_hospital(text: str, value: int, quantity: str) -> None:
    assert got(text, "en") == {value: quantity}


def test_a_base_form_after_the_counted_noun_is_its_verb() -> None:
    # "people remain": the finite verb of the clause, not a participle; the evacuation order is another clause's
    assert got("About 15,000 people remain in six villages that have been ordered to evacuate.", "en") == {}


def test_a_restatement_takes_the_quantity_of_the_figure_before() -> None:
    text = ("Hundreds of residents who went missing during the fighting have been found in the region. We are "
            "talking about more than 400 people, the governor wrote.")
    assert got(text, "en") == {None: "identified", 400: "identified"}
    ru = "Из Сум вернулись жители области. Речь идёт о 120 человек, сообщила омбудсмен."
    assert got(ru, "ru") == {120: "returned"}
    # a restatement of ages is no count of people
    assert got("Україна повернула ще трьох дітей. Мова йде про підлітків 12, 13 і 16 років.", "uk") == {3: "returned"}


def test_a_place_before_while_is_not_the_destination_of_the_count_after_it() -> None:
    text = "Kyiv has brought back 1,100 children from Russia, while Russia has forcibly relocated almost 19,000 more."
    assert got(text, "en") == {1100: "returned", 19000: "deported"}


def test_a_speech_verb_without_a_subject_keeps_the_speaker_before() -> None:
    text = ("Об этом рассказал начальник штаба Иван Петренко. «За сутки эвакуированы 9 120 человек», — сказал в "
            "ходе брифинга.")
    assert claimant_of(text, 9120, "ru") == "начальник штаба Иван Петренко"


def test_an_abbreviated_title_refers_to_the_named_holder_before() -> None:
    text = ("Про це повідомив керівник Офісу Президента Андрій Мельник. «Вже повернули 560 дітей», — зазначив "
            "керівник ОП.")
    assert claimant_of(text, 560, "uk") == "керівник Офісу Президента Андрій Мельник"


# --- the thirteenth batch (session 6b): captives, deals, bodies, ages, injuries as nouns, town abbreviations ---


@pytest.mark.parametrize(("text", "value"), [
    ("Russia's defence ministry said that 84 soldiers were released from Ukrainian custody.", 84),
    ("Kyiv said that 95 Ukrainian prisoners were freed by Moscow in the swap.", 95),
])
def test_captives_count_where_an_exchange_or_release_moved_them(text: str, value: int) -> None:
    assert got(text, "en") == {value: "returned"}


def test_captives_for_another_event_are_dropped() -> None:
    result = analyse("The ICRC said it had visited 2,500 prisoners of war and that 40 soldiers went missing.",
                     published=PUB, outlet="Daily Wire", lang="en")
    assert [c.value for c in result.claims] == []
    assert any("captives" in d.reason for d in result.dropped)


@pytest.mark.parametrize(("text", "lang"), [
    ("This is part of a 500 for 500 exchange deal reached in Istanbul.", "en"),
    ("The talks ended in an agreement to exchange at least 900 POWs on each side.", "en"),
    ("Rescuers also managed to carry out 80 bodies of the dead from the town.", "en"),
    ("Також з міста вдалося вивезти 60 тіл загиблих.", "uk"),
    ("The swap involved captives under 25 and the seriously wounded.", "en"),
])
def test_deals_bodies_and_ages_are_no_claims(text: str, lang: str) -> None:
    assert got(text, lang) == {}


@pytest.mark.parametrize(("text", "lang", "value"), [
    ("Внаслідок обстрілу два человека получили ранения.", "ru", 2),
    ("18 березня внаслідок обстрілу м. Суми отримали тілесні ушкодження 5 дітей.", "uk", 5),
    ("22 березня внаслідок атаки по м. Херсон травмовано трьох 16-річних хлопців.", "uk", 3),
])
def test_injuries_worded_as_nouns_and_an_age_before_the_noun(text: str, lang: str, value: int) -> None:
    assert got(text, lang) == {value: "other"}


def test_a_town_abbreviation_does_not_end_the_sentence_so_its_date_dates_the_count() -> None:
    claims = extract("20 березня внаслідок атаки по м. Одеса травмовано трьох хлопців.", published=PUB, lang="uk")
    assert [(c.value, c.as_of) for c in claims] == [(3, "2025-03-20")]


def test_a_month_this_year_is_one_date() -> None:
    claims = extract("In April this year, over 150 soldiers returned home in a prisoner swap.", published=PUB,
                     outlet="Daily Wire", lang="en")
    assert [(c.value, c.quantity, c.as_of) for c in claims] == [(150, "returned", "2025-04")]


def test_a_speaker_after_while_is_the_speaker_of_the_clause_after_it() -> None:
    text = ("The ministry said that 106 soldiers were released, while Yermak said that 100 Ukrainian prisoners were "
            "freed by Moscow.")
    assert claimant_of(text, 100, "en") == "Yermak"


def test_a_title_case_headline_before_a_colon_is_not_a_speaker() -> None:
    text = ("Historic Prisoner Exchange Begins: Ukraine and Russia Swap Detainees\n\nUkraine and Russia have begun an "
            "exchange, with Ukraine returning 250 people.")
    assert claimant_of(text, 250, "en") == "Daily Wire"


def test_an_earlier_report_with_the_variant_spelling_is_the_outlets() -> None:
    text = ("Про це повідомив начальник ОВА Вадим Петренко у Телеграм.\n\nРаніше повідомлялось, що волонтери "
            "евакуювали ще п'ятьох дітей з села.")
    assert claimant_of(text, 5, "uk") == "Daily Wire"


# --- the fourteenth batch (session 6c): risk, decisions, population, bracketed days, reports released by X ---


@pytest.mark.parametrize(("text", "lang"), [
    ("About 900,000 children who remain in occupied areas are at high risk of being deported, the ombudsman said.",
     "en"),
    ("Из области решено вывезти семь тысяч детей.", "ru"),
    ("A month of war has hit the country's estimated 6.1 million child population.", "en"),
])
def test_a_feared_or_decided_movement_and_a_population_are_no_claims(text: str, lang: str) -> None:
    assert got(text, lang) == {}


def test_a_day_in_brackets_after_a_day_word_is_no_count() -> None:
    text = "At least 70 children were killed, according to a report released this Wednesday (23) by the OHCHR."
    assert got(text, "en") == {70: "other"}
    assert claimant_of(text, 70, "en") == "the OHCHR"


def test_an_unbalanced_bracket_is_cut_from_the_claimant() -> None:
    text = "About 3.1 million children have left their homes, the United Nations Children’s Fund (UNICEF) said."
    assert claimant_of(text, 3100000, "en") in {"the United Nations Children’s Fund (UNICEF)", "UNICEF"}


def test_prior_opens_the_outlets_background() -> None:
    text = ("Over 1,500 civilians have been deported, the ombudsman said on Monday.\n\nPrior, on April 3, twelve "
            "people returned from captivity.")
    assert claimant_of(text, 12, "en") == "Daily Wire"


@pytest.mark.parametrize(("text", "lang", "value"), [
    ("Around 3,400 people are currently staying at temporary accommodation centers, the ministry said.", "en", 3400),
    ("Сейчас в пунктах временного размещения находятся 812 жителей района.", "ru", 812),
    ("В 40 пунктах временного размещения, открытых в соседних регионах, находятся примерно 9 тысяч человек.", "ru",
     9000),
    ("Наразі у центрах тимчасового перебування перебувають 455 переселенців.", "uk", 455),
    ("По данным ведомства, более 1,2 тысячи человек только в 14 ПВР области.", "ru", 1200),
])
def test_people_staying_in_temporary_accommodation_are_displaced(text: str, lang: str, value: int) -> None:
    assert got(text, lang).get(value) == "other"


@pytest.mark.parametrize(("text", "lang"), [
    ("About 2,100 residents remain in the shelled town, the mayor said.", "en"),
    ("В поселке остаются 310 жителей, сообщил глава района.", "ru"),
])
def test_people_remaining_where_they_lived_are_still_no_claim(text: str, lang: str) -> None:
    assert got(text, lang) == {}


def test_a_relative_clause_movement_before_the_stay_in_a_shelter_is_the_claim() -> None:
    text = "More than 1,300 people who were evacuated from the border villages are now staying at temporary " \
           "accommodation centers, the governor said."
    assert got(text, "en").get(1300) == "evacuated"


def test_an_elided_verb_after_a_dash_takes_the_movement_of_the_sentence_before() -> None:
    text = "За пятницу удалось эвакуировать 41 ребенка с семьями. Вчера – 7 взрослых и 5 детей."
    assert got(text, "ru") == {41: "evacuated", 7: "evacuated", 5: "evacuated"}


def test_a_comma_conjunct_with_a_dash_elides_the_noun_and_the_verb_of_the_first() -> None:
    text = "Семерых человек эвакуировали из Суджанского района, двоих – из Рыльского."
    assert got(text, "ru") == {7: "evacuated", 2: "evacuated"}


def test_a_dash_without_a_movement_before_it_is_no_claim() -> None:
    assert got("В области работают 12 пунктов. Вчера – 9 взрослых и 4 детей.", "ru") == {}


def test_an_english_noun_modifier_before_the_person_noun_keeps_the_count_of_people() -> None:
    assert got("Russian forces deported 35 high school students from the occupied town.", "en") == {35: "deported"}
    assert got("Mariupol's reconstruction left tens of thousands of residents displaced.", "en").get(10) is None


def test_bringing_children_out_to_ukraine_is_a_return_and_readiness_to_receive_is_no_claim() -> None:
    assert got("До України з окупації вдалося вивести ще 14 дітей.", "uk") == {14: "returned"}
    assert got("Также 300 пунктов готовы принять 27 тысяч человек.", "ru") == {}


def test_a_stay_with_its_place_elided_after_a_sentence_naming_shelters_is_displacement() -> None:
    text = ("Ранее омбудсмен Анна Котова заявила, что в регионах открыты 400 пунктов временного размещения. "
            "В настоящее время, по словам омбудсмена, в них находятся почти 12 тысяч человек.")
    claims = [c for c in extract(text, published=PUB, outlet="Daily Wire", lang="ru") if c.value == 12000]
    assert [c.quantity for c in claims] == ["other"]
    assert claims[0].claimant == "омбудсмен Анна Котова"


def test_a_stay_with_a_place_of_its_own_after_a_sentence_naming_shelters_is_still_no_claim() -> None:
    text = "В регионах открыты 400 пунктов временного размещения. В Курске находятся 3 тысячи жителей."
    assert got(text, "ru") == {}


def test_people_sought_are_counted_as_other() -> None:
    assert got("Военные освободили 120 человек, из которых 45 находились в розыске.", "ru") == {
        120: "returned", 45: "other"}


def test_a_day_without_a_year_in_a_sentence_about_the_future_is_the_coming_one() -> None:
    from homeward.figures.extract.dates import find_dates
    pub = date(2024, 3, 19)
    assert [d.iso for d in find_dates("The first group of 1,200 children will be evacuated on March 22.", pub)] == [
        "2024-03-22"]
    assert [d.iso for d in find_dates("The first group of 1,200 children was evacuated on March 22.", pub)] == [
        "2023-03-22"]
    assert [d.iso for d in find_dates("Дети будут отправлены 5 сентября.", pub)] == ["2023-09-05"]  # too far ahead


def test_the_people_a_compulsory_evacuation_order_covers_in_the_future_are_no_claim() -> None:
    assert extract("Понад 200 дітей примусово вивезуть із Сумського району.", published=date(2024, 10, 1),
                   lang="uk") == []
    text = ("На Украине объявлена принудительная эвакуация семей с детьми из 40 населенных пунктов. По его словам, "
            "всего будут эвакуированы более 3 тыс. детей и их родителей.")
    assert extract(text, published=date(2026, 1, 2), lang="ru") == []
    # an arranged trip with no order stays a claim, and so does an order's evacuation already done
    assert [c.value for c in extract("Завтра 1200 детей будут эвакуированы в Курск.", published=date(2026, 1, 2),
                                     lang="ru")] == [1200]
    assert [c.value for c in extract("During the mandatory evacuation, 300 children were evacuated from Kupiansk.",
                                     published=date(2026, 1, 2), lang="en")] == [300]
