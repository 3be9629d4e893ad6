"""Steps 3–5 on structures of the session-8b development reports: a group or families of the people counted as the
verb's object, a take out of "the occupation", a noun after "of" governed by a word of need.
Pure Python: run with ``-p no:django``. The sentences are written for these tests, not copied from the benchmark.
"""

from __future__ import annotations

from datetime import date

import pytest

from homeward.figures.extract import extract

PUB = date(2025, 6, 6)


def got(text: str, lang: str | None = None) -> dict[float | int | None, str]:
    return {c.value: c.quantity for c in extract(text, published=PUB, outlet="Daily Wire", lang=lang)}


@pytest.mark.parametrize(("text", "lang"), [
    ("Вдалося повернути групу з 31 дитини.", "uk"),
    ("Удалось вернуть группу из 31 ребенка.", "ru"),
    ("Ukraine returned a group of 31 children.", "en"),
])
def test_a_group_of_people_as_the_verbs_object_is_the_people_counted(text: str, lang: str) -> None:
    assert got(text, lang) == {31: "returned"}


def test_children_moved_with_their_families_are_counted_and_the_families_are_not() -> None:
    assert got("Police evacuated five families with 9 children.", "en") == {9: "evacuated"}
    assert got("Эвакуировали 5 семей с 9 детьми.", "ru") == {9: "evacuated"}


def test_the_verbs_object_that_is_not_the_people_still_blocks_the_movement() -> None:
    assert got("The office received 40 requests about children taken to Russia.", "en") == {}


@pytest.mark.parametrize(("text", "lang"), [
    ("Eleven more children were removed from the temporary occupation.", "en"),
    ("З тимчасової окупації вивезли ще 14 дітей.", "uk"),
    ("Из оккупации удалось вывезти 14 детей.", "ru"),
])
def test_a_take_out_of_the_occupation_with_nowhere_else_said_is_a_return(text: str, lang: str) -> None:
    assert set(got(text, lang).values()) == {"returned"}


def test_a_take_out_of_the_occupation_to_russia_stays_deportation() -> None:
    assert got("Из оккупации вывезли 14 детей в Россию.", "ru") == {14: "deported"}


def test_people_in_need_of_rescue_who_remain_are_no_claim() -> None:
    assert got("About 2,000 residents and 14 children in need of rescue remain in the city.", "en") == {}


def test_a_rescue_done_is_still_a_claim() -> None:
    assert got("Volunteers managed to rescue 14 children from the city.", "en") == {14: "returned"}


def test_a_forcible_take_is_a_deportation_even_towards_ukraine() -> None:
    text = "Речь идет о 15 курянах, которых насильно вывезли в Украину."
    assert got(text, "ru") == {15: "deported"}


def test_a_take_towards_ukraine_without_force_stays_a_return() -> None:
    assert got("Вдалося вивезти 15 дітей на підконтрольну Україні територію.", "uk") == {15: "returned"}


def test_the_start_of_an_evacuation_does_not_frame_leaving_as_evacuation() -> None:
    text = "З початком обов'язкової евакуації з області виїхали у безпечніші регіони 9 500 людей."
    assert got(text, "uk") == {9500: "other"}
    assert got("С началом эвакуации из района выехали 9 500 человек.", "ru") == {9500: "other"}


@pytest.mark.parametrize(("text", "lang"), [
    ("Із області запланована евакуація ще близько 300 дітей.", "uk"),
    ("Из района запланирована эвакуация еще 300 детей.", "ru"),
])
def test_a_planned_evacuation_named_as_a_noun_is_no_claim(text: str, lang: str) -> None:
    assert got(text, lang) == {}


@pytest.mark.parametrize(("text", "lang"), [
    ("Остается неизвестной судьба 310 жителей.", "ru"),
    ("Доля 310 мешканців залишається невідомою.", "uk"),
    ("The fate of 310 residents remains unknown.", "en"),
])
def test_people_whose_fate_is_unknown_are_counted_as_other_despite_the_state_verb(text: str, lang: str) -> None:
    assert got(text, lang) == {310: "other"}


def test_a_figure_talked_about_again_is_the_previous_sentences_main_count() -> None:
    text = ("Всего удалось вернуть 812 детей, но судьба более 3 тыс. остается неизвестной. "
            "В марте прошлого года этот показатель составлял 401.")
    assert got(text, "ru") == {812: "returned", 3000: "other", 401: "returned"}


@pytest.mark.parametrize(("text", "lang", "expected"), [
    ("Из района эвакуировали сотню детей.", "ru", {100: "evacuated"}),
    ("В понедельник эвакуируют более сотни детей вместе с родителями.", "ru", {100: "evacuated"}),
    ("Із громади евакуювали понад сотню дітей.", "uk", {100: "evacuated"}),
])
def test_the_singular_of_a_hundred_is_a_number(text: str, lang: str, expected: dict[int, str]) -> None:
    assert got(text, lang) == expected


def test_hundreds_stay_vague() -> None:
    assert got("Сотні дітей евакуювали.", "uk") == {None: "evacuated"}


@pytest.mark.parametrize(("text", "lang"), [
    ("З початку війни з Київської області поїхало понад 120 тисяч дітей.", "uk"),
    ("Из Белгорода уехали 300 детей.", "ru"),
])
def test_setting_off_from_a_place_with_nowhere_said_is_leaving(text: str, lang: str) -> None:
    assert set(got(text, lang).values()) == {"other"}


def test_setting_off_to_a_place_is_still_an_evacuation() -> None:
    assert got("Из Белгорода уехали 300 детей в лагеря Пензенской области.", "ru") == {300: "evacuated"}


def test_the_predicate_after_a_long_relative_clause_is_the_counts() -> None:
    text = ("Еще 12 граждан, жителей области, которых власти Украины незаконно удерживали на территории Сум, "
            "вернули в Россию.")
    assert got(text, "ru") == {12: "returned"}


def test_being_back_in_ukraine_wins_over_the_taking_after_it() -> None:
    text = "Thirty-two children are back in Ukraine after they were taken illegally to Russia, a charity said."
    assert got(text, "en") == {32: "returned"}


def test_dispatching_people_to_camps_is_a_take() -> None:
    assert got("Officials dispatched at least 400 children to camps in Russia.", "en") == {400: "deported"}


@pytest.mark.parametrize(("text", "lang"), [
    ("Повернуто двох дівчаток 10 й 13 років.", "uk"),
    ("Returned were two girls aged 10 and 13 years.", "en"),
])
def test_the_first_number_of_an_age_pair_is_an_age_too(text: str, lang: str) -> None:
    assert 10 not in got(text, lang)


def test_a_range_of_people_keeps_both_numbers() -> None:
    assert got("Between 5 and 10 children were returned.", "en") == {5: "returned", 10: "returned"}


def test_people_who_disappeared_are_other() -> None:
    assert got("Судьба около 1 тыс. исчезнувших жителей области неизвестна.", "ru") == {1000: "other"}


def test_a_part_named_a_sentence_or_two_after_its_count_takes_the_counts_quantity() -> None:
    text = ("Вдалося повернути групу з 21 дитини. Про це повідомив Андрій Єрмак.\n\n"
            "За його словами, серед них, — двоє сестер, яких окупанти намагалися примусити ходити до школи.\n\n"
            "Ще один з підлітків, як каже посадовець, лишився без опіки.")
    assert [(c.value, c.quantity) for c in extract(text, published=PUB, lang="uk")] == [
        (21, "returned"), (2, "returned"), (1, "returned")]


def test_a_noun_after_without_is_not_an_event() -> None:
    assert got("Один з підлітків лишився без опіки.", "uk") == {}


def test_people_the_authorities_are_minded_to_move_are_no_claim() -> None:
    assert got("Около восьми тысяч детей намерены вывезти из области.", "ru") == {}


def test_the_children_of_families_moved_before_take_the_families_movement() -> None:
    text = ("On August 26, 5 families were returned from the occupied territories. Prokudin wrote about this. "
            "\"They are raising nine children,\" said Prokudin.")
    assert got(text, "en") == {9: "returned"}


def test_children_raised_with_no_movement_before_are_no_claim() -> None:
    assert got("The couple are raising nine children.", "en") == {}


@pytest.mark.parametrize(("text", "lang"), [
    ("Первую тысячу жителей вывезли из прифронтовых сел в безопасные места.", "ru"),
    ("Першу тисячу мешканців евакуювали.", "uk"),
])
def test_the_singular_of_a_thousand_is_a_number(text: str, lang: str) -> None:
    assert set(got(text, lang)) == {1000}


def test_thousands_stay_vague() -> None:
    assert got("Тысячи жителей эвакуировали.", "ru") == {None: "evacuated"}


def test_a_movement_that_should_affect_people_is_a_plan() -> None:
    assert got("Перемещение должно затронуть около 60 тыс. жителей.", "ru") == {}


def test_displaced_people_named_by_their_noun_are_other() -> None:
    assert got("Около 20 тыс. переселенцев снимают жилье.", "ru") == {20000: "other"}


def test_a_semicolon_inside_a_list_after_a_colon_keeps_the_verb() -> None:
    text = "З двох громад евакуйовані 134 дитини: із Вільхуватської 33 неповнолітніх; із Великобурлуцької — 101."
    assert got(text, "uk") == {134: "evacuated", 33: "evacuated", 101: "evacuated"}


def test_an_irregular_participle_after_the_number_stands_for_the_people() -> None:
    assert got("Nearly 20,000 children taken, only 1,000 brought back.", "en") == {20000: "deported", 1000: "returned"}


def test_a_count_of_missions_named_by_an_event_word_is_not_people() -> None:
    assert got("The charity organised 23 rescue missions and reunited 147 children.", "en") == {147: "reunited"}


def test_an_english_list_of_places_elides_the_noun_and_the_verb() -> None:
    text = ("A total of 1,377 residents have been evacuated from the Chuguyevsky District, and another 29 from the "
            "Izium District.")
    assert got(text, "en") == {1377: "evacuated", 29: "evacuated"}


def test_there_are_boys_and_girls_counts_the_people_before_again() -> None:
    text = "Ten children were returned from the occupied territory. There are seven boys and three girls."
    assert got(text, "en") == {10: "returned", 7: "returned", 3: "returned"}


def test_there_are_children_somewhere_stays_no_claim() -> None:
    assert got("Ten children were returned. There are 600 children in Kherson.", "en") == {10: "returned"}


def test_ones_is_not_a_number() -> None:
    assert got("The children include ones taken from orphanages.", "en") == {}


def test_the_harmed_as_an_adjective_are_other() -> None:
    assert got("У Донецькій області постраждалих дітей 375.", "uk") == {375: "other"}


def test_a_that_clause_after_a_verb_is_not_a_relative_clause_of_a_noun() -> None:
    text = "Зазначається, що найбільша кількість постраждалих дітей у Донецькій області - 375."
    assert got(text, "uk") == {375: "other"}
