"""Steps 1–5 and 7 on structures found in the new development reports: coordinated counts, participles after
adverbs, harm verbs and nouns, sending and transporting, sub-counts, "not less than", starting points.
Pure Python: run with ``-p no:django``. The sentences are written for these tests, not copied from the benchmark.
"""

from __future__ import annotations

from datetime import date

import pytest

from homeward.figures.extract import extract
from homeward.figures.extract.dates import find_dates
from homeward.figures.extract.segment import clause_bounds

PUB = date(2025, 6, 6)


def got(text: str, lang: str | None = None) -> dict[float | int | None, str]:
    return {c.value: c.quantity for c in extract(text, published=PUB, outlet="Daily Wire", lang=lang)}


def test_a_conjunction_before_a_number_separates_coordinated_counts() -> None:
    s = "Так, 693 дитини поранені, 203 зникли безвісти та щонайменше 5754 примусово переміщені та депортовані."
    a, b = clause_bounds(s, s.index("5754"))
    assert s[a:b].strip().startswith("щонайменше 5754")
    assert got(s, "uk") == {693: "other", 203: "other", 5754: "deported"}


def test_a_participle_after_an_adverb_stands_for_the_people_counted() -> None:
    assert got("За даними прокуратури, 120 примусово депортовані.", "uk") == {120: "deported"}


def test_a_participle_before_its_noun_does_not_override_the_main_verb() -> None:
    assert got("Україна повернула ще 17 викрадених росією дітей.", "uk") == {17: "returned"}


@pytest.mark.parametrize(("text", "lang", "value"), [
    ("Від початку війни постраждали більше 650 дітей.", "uk", 650),
    ("С начала войны пострадали более 650 детей.", "ru", 650),
    ("Прокуроры задокументировали гибель 383 детей.", "ru", 383),
    ("Прокурори зафіксували загибель 383 дітей.", "uk", 383),
    ("The deaths of 383 children were recorded by prosecutors.", "en", 383),
])
def test_harm_verbs_and_nouns_count_as_other(text: str, lang: str, value: int) -> None:
    assert got(text, lang) == {value: "other"}


def test_sending_to_ukraine_is_a_return_and_coordinated_counts_share_the_destination() -> None:
    s = "На Украину отправили четырех мальчиков и одну девочку."
    claims = extract(s, published=PUB, lang="ru")
    assert [(c.value, c.quantity) for c in claims] == [(4, "returned"), (1, "returned")]
    assert {c.direction for c in claims} == {"RU→UA"}


def test_transported_to_russia_is_a_taking() -> None:
    assert got("Russian media reported that 3,000 people had been transported to Russia.") == {3000: "deported"}


def test_a_part_of_an_earlier_count_takes_its_quantity() -> None:
    s = "У 2024 році всиновили 1 700 дітей, серед них 90 дітей, які постраждали внаслідок війни."
    assert got(s, "uk") == {1700: "adopted", 90: "adopted"}


def test_a_part_with_its_own_verb_keeps_it() -> None:
    s = "There were 19,546 children on the list of those deported, of whom only 387 had returned."
    assert got(s)[387] == "returned"


@pytest.mark.parametrize("text", [
    "Не менее 5100 детей депортированы, но точное количество установить невозможно.",
    "Not less than 5,100 children were deported, but the real figure is higher.",
])
def test_not_less_than_is_a_qualifier_not_a_denial(text: str) -> None:
    claims = extract(text, published=PUB)
    assert [(c.value, c.quantity, c.qualifier) for c in claims] == [(5100, "deported", "at least")]


def test_a_figure_the_speaker_denies_is_still_dropped() -> None:
    assert 1_500_000 not in got("Not 1.5 million, but 339 children were on the list.")


@pytest.mark.parametrize(("text", "date_text"), [
    ("Ukraine said on Friday Russia had deported 210,000 children since its invasion on Feb. 24.", "Feb. 24"),
    ("Russia has deported 13,000 children since the invasion began in February.", "February"),
    ("Росія депортувала 19 тисяч дітей з початку повномасштабного вторгнення у лютому 2022 року.", "лютому 2022"),
])
def test_the_date_of_the_event_a_count_starts_from_is_a_starting_point(text: str, date_text: str) -> None:
    found = [d for d in find_dates(text, PUB) if text[d.start:d.end].startswith(date_text.split()[0])]
    assert found and all(d.period for d in found)
    claims = [c for c in extract(text, published=PUB) if c.value is not None]
    assert claims[0].as_of != found[0].iso


def test_said_on_friday_is_the_as_of_date_when_the_count_runs_since_an_invasion() -> None:
    text = "Ukraine said on Friday Russia had deported 210,000 children since its invasion on Feb. 24."
    assert extract(text, published=PUB)[0].as_of == "2025-06-06"


def test_hyphenated_number_words_are_read() -> None:
    assert got("Thirty-one children have been reunited with their families.") == {31: "reunited"}
    assert got("Twenty-five children were taken to Russia.") == {25: "deported"}


def test_a_noun_before_a_person_noun_modifies_it() -> None:
    assert got("Unfortunately, 12 Kursk Region residents are still held in Sumy.") == {12: "other"}


@pytest.mark.parametrize(("text", "lang", "expected"), [
    ("Понад 300 депортованих російськими окупантами дітей вдалося повернути додому.", "uk", {300: "returned"}),
    ("Установили более 19 тысяч случаев депортации детей.", "ru", {19000: "deported"}),
])
def test_the_counted_noun_is_found_over_an_agent_or_an_event_noun(text: str, lang: str,
                                                                   expected: dict[int, str]) -> None:
    assert got(text, lang) == expected


def test_a_relative_clause_after_an_appositive_is_the_counts_event() -> None:
    s = ("Researchers found at least 314 children, mostly from Donbas, who since the start of the invasion in 2022 "
         "have been forcibly deported.")
    claims = extract(s, published=PUB)
    assert [(c.value, c.quantity) for c in claims] == [(314, "deported")]
    assert claims[0].as_of == PUB.isoformat()  # "since … in 2022" is a starting point


def test_a_state_in_the_relative_clause_does_not_undo_a_finding() -> None:
    s = "Правоохоронці знайшли 4039 дітей, які перебували в розшуку, 47 вдалося повернути з депортації."
    assert got(s, "uk") == {4039: "identified", 47: "returned"}


@pytest.mark.parametrize(("text", "lang"), [
    ("У громадах району залишається евакуювати 652 дитини.", "uk"),
    ("В районе осталось эвакуировать 652 ребенка.", "ru"),
    ("In the district 652 children remain to be evacuated.", "en"),
])
def test_a_movement_still_to_be_done_is_not_a_claim(text: str, lang: str) -> None:
    assert got(text, lang) == {}


def test_the_relative_clause_of_another_noun_is_not_the_counts_event() -> None:
    s = "A woman, who had been unlawfully detained by the Russians, finally saw her two sons."
    assert got(s) == {}


def test_a_participle_after_an_adverb_describes_the_noun_and_the_verb_decides() -> None:
    s = "Nine more children previously deported by Russia were brought back to Ukraine, the ombudsman said."
    assert got(s) == {9: "returned"}
    assert got("Nine more Ukrainian children illegally held by Russia return home") == {9: "returned"}


def test_of_them_after_a_number_is_a_part_of_the_people_before() -> None:
    s = "At least 19,500 children were abducted, and less than 400 of them have been returned home."
    assert got(s) == {19500: "deported", 400: "returned"}


def test_a_number_in_a_relative_clause_about_another_person_is_not_a_claim() -> None:
    assert got("A grandmother, who was supposed to pick up two children, died during the mission.") == {}


def test_the_figure_after_not_but_is_affirmed() -> None:
    assert got("Because of this, not 33 children return to Ukraine, as planned, but 31.") == {31: "returned"}


def test_an_intended_movement_leaves_the_count_to_its_participle() -> None:
    assert got("Ukraine is working to bring back 32 illegally adopted children from Russia.") == {32: "adopted"}
    assert got("Ukraine manages to return 1,458 deported children from Russia.") == {1458: "returned"}


@pytest.mark.parametrize(("text", "expected"), [
    ("More than 16,000 children have been brought to Russia, Kyiv says.", "deported"),
    ("About 2,000 children were brought to safety from the shelling.", "evacuated"),
])
def test_bringing_is_a_taking_framed_by_the_sentence(text: str, expected: str) -> None:
    assert list(got(text).values()) == [expected]


def test_the_return_of_a_number_governs_it_even_after_a_date() -> None:
    s = "Previously, the ombudsman reported on March 22 on the return of nine children who were deported by Russia."
    assert got(s) == {9: "returned"}


@pytest.mark.parametrize(("text", "lang", "expected"), [
    ("Among the dead are 382 children.", "en", {382: "other"}),
    ("The office has recorded 22,607 civilian casualties.", "en", {22607: "other"}),
    ("At least 400 children have already joined Russian families.", "en", {400: "adopted"}),
    ("В ходе обмена стороны вернули по 185 военных.", "ru", {185: "returned"}),
])
def test_the_dead_casualties_families_joined_and_soldiers_exchanged(text: str, lang: str,
                                                                    expected: dict[int, str]) -> None:
    assert got(text, lang) == expected


def test_the_same_day_takes_the_date_of_the_sentence_before() -> None:
    s = ("24 августа Москалькова отмечала, что Украина удерживает жителей Курской области. В тот же день Киев "
         "передал России восемь жителей Курской области.")
    claims = extract(s, published=PUB, lang="ru")
    assert [(c.value, c.quantity, c.as_of) for c in claims] == [(8, "returned", "2024-08-24")]  # before PUB


def test_reuniting_in_the_present_tense_is_a_reunion() -> None:
    assert got("Один ребенок воссоединяется с близкими в России.", "ru") == {1: "reunited"}


def test_our_before_the_noun_and_civilians_held_or_released() -> None:
    assert got("Росія незаконно утримує приблизно 16 тис. наших цивільних.", "uk") == {16000: "other"}
    assert got("За словами омбудсмана, серед звільнених є 7 цивільних.", "uk") == {7: "returned"}
    assert got("Серед звільнених є 18 оборонців.", "uk") == {18: "returned"}


@pytest.mark.parametrize(("text", "lang"), [
    ("Москалькова надеется, что оставшихся десять жителей удастся вернуть.", "ru"),
    ("Ukraine is still fighting for the return of the remaining 10 residents.", "en"),
])
def test_people_still_remaining_are_not_a_claim(text: str, lang: str) -> None:
    assert got(text, lang) == {}


def test_a_return_participle_defines_people_who_then_arrive() -> None:
    s = "Вернувшиеся из плена восемь жителей прибыли в Подмосковье."
    assert got(s, "ru") == {8: "returned"}
    s = "Восемь жителей, которых удалось вызволить из плена, прибыли на аэродром."
    assert got(s, "ru") == {8: "returned"}


def test_the_predicate_after_a_relative_clause_is_the_subjects_event() -> None:
    s = "Трое жителей Курской области, которых незаконно удерживали, также возвращены в рамках обмена."
    assert got(s, "ru") == {3: "returned"}


def test_release_as_a_noun_and_own_soldiers() -> None:
    assert got("Российская сторона добилась освобождения двух женщин.", "ru") == {2: "returned"}
    assert got("Российская сторона вернула 157 своих военнослужащих из плена.", "ru") == {157: "returned"}


@pytest.mark.parametrize(("text", "lang", "expected"), [
    ("Еще двух девочек и трех мальчиков удалось вывезти с временно оккупированных территорий.", "ru",
     {2: "returned", 3: "returned"}),
    ("Russia has transferred at least 314 children from occupied areas to a network of re-education camps.", "en",
     {314: "deported"}),
])
def test_taken_out_of_occupation_with_nowhere_else_said_is_a_return(text: str, lang: str,
                                                                    expected: dict[int, str]) -> None:
    assert got(text, lang) == expected


def test_an_age_after_a_dash_is_not_a_count() -> None:
    assert got("Среди возвращенных много пожилых людей, одной женщине — 92 года.", "ru") == {}


def test_these_are_counts_again_the_people_of_the_sentence_before() -> None:
    s = "We managed to return 11 children home! These are six girls and five boys."
    assert got(s) == {11: "returned", 6: "returned", 5: "returned"}


@pytest.mark.parametrize(("text", "expected"), [
    ("Kyiv has demanded the return of nearly 20,000 minors from Russia.", {20000: "deported"}),
    ("Qatar offered to facilitate the return of about 20,000 Ukrainian children from Russia.", {20000: "deported"}),
    ("Москалькова: Россия борется за возвращение 10 жителей Курской области", {}),
])
def test_a_return_asked_for_or_offered_is_not_a_return(text: str, expected: dict[int, str]) -> None:
    assert got(text) == expected


def test_a_number_across_while_does_not_take_the_other_clauses_event() -> None:
    s = ("The ministry said 19,514 children have been illegally deported by Russia, while 4,390 are in the "
         "occupied areas.")
    assert got(s) == {19514: "deported"}


def test_cases_of_deportation_of_children_count_children() -> None:
    s = "More than 19,000 cases of deportation of children to the territory of the aggressor have been established."
    assert got(s) == {19000: "deported"}


def test_a_word_agreeing_with_the_person_noun_after_it_is_part_of_the_phrase() -> None:
    s = "Всього нам вдалося повернути вже 231 українську дитину з Росії."
    assert got(s, "uk") == {231: "returned"}
    assert got("В одном случае с матерью встретилась дочь.", "ru") == {}


def test_a_year_range_in_a_title_is_not_the_date_of_the_statement() -> None:
    s = ("Ще чотирьох дітей вдалося врятувати з Росії. Про це повідомив уповноважений у 2014-2021 роках Микола "
         "Кулеба.")
    assert [c.as_of for c in extract(s, published=PUB, lang="uk")] == ["2025-06-06"]


@pytest.mark.parametrize(("text", "lang", "expected"), [
    ("В ходе обмена Украина передала России шестерых белгородцев.", "ru", {6: "returned"}),
    ("Росія повернула в Україну дванадцять заручників.", "uk", {12: "returned"}),
    ("Из Сум вернули домой пятерых курян.", "ru", {5: "returned"}),
])
def test_an_animate_noun_is_a_person_noun_without_a_lexicon_row(text: str, lang: str,
                                                                 expected: dict[int, str]) -> None:
    assert got(text, lang) == expected


@pytest.mark.parametrize("text", [
    "В ходе обмена Украина передала России шесть регионов.",
    "Росія повернула в Україну дванадцять Шевченків.",
])
def test_inanimate_nouns_and_names_are_not_counts_of_people(text: str) -> None:
    assert got(text, "ru" if "регионов" in text else "uk") == {}


def test_officials_who_documented_a_figure_are_its_source_not_people_counted() -> None:
    claims = extract("Ювенальные прокуроры задокументировали гибель 212 детей.", published=PUB, outlet="Wire",
                     lang="ru")
    assert [(c.value, c.quantity, c.claimant) for c in claims] == [(212, "other", "Ювенальные прокуроры")]


def test_a_starting_point_with_its_own_date_leaves_the_day_of_the_event_as_of() -> None:
    claims = extract("Seven children deported to Russia since Moscow's February 2022 invasion came back on Tuesday, "
                     "the ombudsman said.", published=date(2024, 9, 28), outlet="Wire", lang="en")
    assert [(c.value, c.as_of) for c in claims] == [(7, "2024-09-24")]


@pytest.mark.parametrize(("text", "lang"), [
    ("Після 3 березня знайдено ще 40 дітей.", "uk"),
    ("После 3 марта найдены еще 40 детей.", "ru"),
    ("After March 3, another 40 children were found.", "en"),
])
def test_after_a_date_is_a_starting_point_not_the_as_of_date(text: str, lang: str) -> None:
    claims = extract(text, published=date(2025, 3, 20), outlet="Wire", lang=lang)
    assert [(c.value, c.as_of) for c in claims] == [(40, "2025-03-20")]


def test_a_number_word_of_them_is_a_part_of_the_people_counted_before() -> None:
    text = "Знайдено ще 120 дітей, четверо з них після 2 травня вже повернуто додому."
    assert got(text, "uk") == {120: "identified", 4: "returned"}


def test_the_predicate_after_a_participial_phrase_is_the_subjects_event() -> None:
    assert got("Пятеро жителей Брянской области, находившихся в плену, были возвращены домой.", "ru") == {
        5: "returned"}


_MOVED = "About 2,300 people, including 410 children, were transported from Ukraine into Russia on Sunday, {who} said."


def test_a_neutral_transport_to_russia_is_evacuation_where_the_russian_side_frames_it_so_in_the_text() -> None:
    text = _MOVED.format(who="Russia's emergencies ministry") + " Russia says the people asked to be evacuated."
    assert got(text, "en") == {2300: "evacuated", 410: "evacuated"}


@pytest.mark.parametrize("text", [
    _MOVED.format(who="Russia's emergencies ministry"),  # no framing word anywhere
    _MOVED.format(who="Ukraine's ombudsman") + " Russia says the people asked to be evacuated.",  # not its speaker
])
def test_a_neutral_transport_to_russia_stays_deportation_without_the_speakers_own_framing(text: str) -> None:
    assert got(text, "en") == {2300: "deported", 410: "deported"}


@pytest.mark.parametrize(("text", "lang", "expected"), [
    ("Первые 900 детей из приграничья отправятся в лагеря Тульской области.", "ru", {900: "evacuated"}),
    ("Ще 40 дітей вирушили додому з Польщі.", "uk", {40: "returned"}),
])
def test_setting_off_is_a_movement_like_arriving(text: str, lang: str, expected: dict[int, str]) -> None:
    assert got(text, lang) == expected
