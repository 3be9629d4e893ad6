"""The duplicate warning's candidate blocks and name frequencies: both inside the caller's scope only."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from tests.factories import make_child

pytestmark = pytest.mark.django_db

BORN = dt.date(2013, 6, 2)


def _row(**fields):
    row = {"given_name": "Злата", "surname": "Мельник", "patronymic": "Петрівна", "sex": "F",
           "birth_date": BORN.isoformat(), "birth_place": "Херсон"}
    row.update(fields)
    return row


@pytest.fixture(autouse=True)
def _fresh_counts():
    from homeward.registry import duplicates

    duplicates.clear_counts()
    yield
    duplicates.clear_counts()


def test_a_child_born_the_same_day_is_a_candidate_even_when_namesakes_fill_the_name_block(users, monkeypatch):
    from homeward import access
    from homeward.registry import duplicates

    monkeypatch.setattr(duplicates, "MAX_CANDIDATES", 2)
    for day in (1, 2, 3):
        make_child(users["ua"], given_name="Злата", surname="Мельник", sex="F", birth_date=dt.date(2010, 1, day))
    adopted = make_child(users["ua"], given_name="Злата", surname="Бондар", patronymic="Петрівна", sex="F",
                         birth_date=BORN)
    ids = duplicates.candidate_ids(access.children(users["ua"]), [_row()])
    assert adopted.pk in ids


def test_the_birth_date_block_holds_no_child_of_another_party(users):
    from homeward import access
    from homeward.registry import duplicates

    theirs = make_child(users["ru"], given_name="Злата", surname="Бондар", sex="F", birth_date=BORN)
    mine = make_child(users["ua"], given_name="Ярина", surname="Коваль", sex="F", birth_date=BORN)
    ids = duplicates.candidate_ids(access.children(users["ua"]), [_row()])
    assert mine.pk in ids
    assert theirs.pk not in ids


def test_name_frequencies_count_only_the_callers_scope(users):
    from homeward import access
    from homeward.registry import duplicates, scoring

    for day in (1, 2):
        make_child(users["ua"], given_name="Злата", surname="Шевчук", sex="F", birth_date=dt.date(2011, 2, day))
    make_child(users["ua"], given_name="Ярина", surname="Шевчук", sex="F", birth_date=dt.date(2011, 2, 3))
    mine = scoring.features_of(_row())
    before = duplicates.name_frequencies(access.children(users["ua"]), mine)
    for day in (4, 5, 6, 7):
        make_child(users["ru"], given_name="Злата", surname="Мельник", sex="F", birth_date=dt.date(2011, 2, day))
    duplicates.clear_counts()
    after = duplicates.name_frequencies(access.children(users["ua"]), mine)
    assert before == after
    assert after["g_can"] == {mine["g_can"]: pytest.approx(2 / 3)}
    assert after["s_can"] == {mine["s_can"]: 0.0}
    mediator = duplicates.name_frequencies(access.children(users["mediator"]), mine)
    assert mediator["g_can"] == {mine["g_can"]: pytest.approx(6 / 7)}


def test_name_frequencies_are_counted_once_per_scope_and_name(users, django_assert_num_queries):
    from homeward import access
    from homeward.registry import duplicates, scoring

    make_child(users["ua"], given_name="Злата", surname="Шевчук", sex="F", birth_date=BORN)
    mine = scoring.features_of(_row())
    scope = access.children(users["ua"])
    first = duplicates.name_frequencies(scope, mine)
    with django_assert_num_queries(0):
        assert duplicates.name_frequencies(access.children(users["ua"]), mine) == first


def test_an_agreeing_rare_name_weighs_more_than_a_common_one_and_no_frequencies_keep_the_average():
    from homeward.linkage import core
    from homeward.registry import scoring

    model = scoring.model_from(core.reference_model())
    a = scoring.features_of(_row())
    b = scoring.features_of(_row(given_name="Zlata", surname="Melnyk", patronymic="Petrivna"))
    plain = model.score(a, b, 700_000)
    assert model.score(a, b, 700_000, {}).match_weight == plain.match_weight
    rare = model.score(a, b, 700_000, {"g_can": {a["g_can"]: 0.0001}})
    common = model.score(a, b, 700_000, {"g_can": {a["g_can"]: 0.1}})
    assert common.match_weight < plain.match_weight < rare.match_weight
    # the model's minimum u bounds a rare name's weight: rarer than it counts as it
    rarest = model.score(a, b, 700_000, {"g_can": {a["g_can"]: 0.0}})
    assert rarest.match_weight == rare.match_weight
    assert "g_can" in model.tf_columns()


def test_a_name_every_child_of_the_scope_carries_weighs_less_in_the_warning_than_the_average_name(users):
    from homeward import access
    from homeward.registry import duplicates, scoring

    held = make_child(users["ua"], given_name="Злата", surname="Мельник", patronymic="Іванівна", sex="F",
                      birth_date=BORN, birth_place="Херсон")
    for day in range(1, 9):
        make_child(users["ua"], given_name="Злата", surname="Мельник", sex="F", birth_date=dt.date(2009, 3, day))
    found = duplicates.score_against(access.children(users["ua"]), [_row()], threshold=0.0)
    assert found[0].child_id == held.pk
    average = duplicates.current_model().score(
        scoring.features_of(_row()), scoring.features_of(duplicates.description_of(held)[0]),
        duplicates.registry_size())
    assert found[0].score.match_weight < average.match_weight


# --- the prior: the caller's scope, not the registry ----------------------------------------------------


def test_the_warnings_probability_does_not_move_when_the_other_party_registers_children(users):
    from homeward.registry import duplicates

    make_child(users["ua"], given_name="Злата", surname="Мельник", patronymic="Петрівна", sex="F",
               birth_date=BORN, birth_place="Херсон")
    before = duplicates.scored(users["ua"], _row(birth_date=""), threshold=0.0)
    for day in range(1, 21):
        make_child(users["ru"], given_name="Ольга", surname="Иванова", sex="F", birth_date=dt.date(2010, 1, day))
    duplicates.clear_counts()
    after = duplicates.scored(users["ua"], _row(birth_date=""), threshold=0.0)
    assert [d.match_probability for d in after] == [d.match_probability for d in before]


def test_a_larger_scope_of_the_caller_needs_more_evidence_for_the_same_warning(users, monkeypatch):
    from homeward.registry import duplicates

    monkeypatch.setattr(duplicates, "name_frequencies", lambda *a, **k: {})  # the prior alone moves
    make_child(users["ua"], given_name="Злата", surname="Мельник", patronymic="Петрівна", sex="F",
               birth_date=BORN, birth_place="Херсон")
    before = duplicates.scored(users["ua"], _row(birth_date=""), threshold=0.0)
    for day in range(1, 21):
        make_child(users["ua"], given_name="Ольга", surname="Іванова", sex="F", birth_date=dt.date(2010, 1, day))
    duplicates.clear_counts()
    after = duplicates.scored(users["ua"], _row(birth_date=""), threshold=0.0)
    assert after[0].child_id == before[0].child_id
    assert after[0].match_probability < before[0].match_probability


def test_the_scope_is_counted_once_a_minute_not_once_per_registration(users, monkeypatch):
    import time

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from homeward.registry import duplicates

    make_child(users["ua"], given_name="Злата", surname="Мельник", patronymic="Петрівна", sex="F",
               birth_date=BORN, birth_place="Херсон")
    duplicates.scored(users["ua"], _row(), threshold=0.0)
    with CaptureQueriesContext(connection) as second:
        duplicates.scored(users["ua"], _row(), threshold=0.0)
    assert not [q for q in second.captured_queries if q["sql"].upper().startswith("SELECT COUNT(")]
    now = time.monotonic()
    monkeypatch.setattr(time, "monotonic", lambda: now + duplicates.SCOPE_SIZE_TTL + 1)
    with CaptureQueriesContext(connection) as later:
        duplicates.scored(users["ua"], _row(), threshold=0.0)
    assert len([q for q in later.captured_queries if q["sql"].upper().startswith("SELECT COUNT(")]) == 1



# --- birth places: how common, in the caller's scope --------------------------------------------------


def test_birth_places_are_counted_in_the_callers_scope_in_any_script_among_children_with_a_place(users):
    from homeward import access
    from homeward.registry import duplicates, scoring

    for place in ("Херсон", "Kherson", "Ізюм", ""):
        make_child(users["ua"], birth_place=place)
    for _ in range(4):
        make_child(users["ru"], birth_place="Изюм")
    shares = duplicates.place_frequencies(access.children(users["ua"]))
    kherson, izium = (scoring.features_of({"birth_place": p})["place"] for p in ("Херсон", "Изюм"))
    assert shares == {kherson: pytest.approx(2 / 3), izium: pytest.approx(1 / 3)}


def test_an_agreeing_rare_birth_place_weighs_more_than_a_common_one():
    from homeward.linkage import core
    from homeward.registry import scoring

    model = scoring.model_from(core.reference_model())
    a = scoring.features_of(_row())
    b = scoring.features_of(_row(birth_place="Kherson"))
    plain = model.score(a, b, 350_000)
    rare = model.score(a, b, 350_000, {"place": {a["place"]: 0.01}})
    common = model.score(a, b, 350_000, {"place": {a["place"]: 0.3}})
    assert common.match_weight < plain.match_weight < rare.match_weight
    assert "birth place: same place" in rare.explanation


def test_the_warning_takes_the_birth_places_frequency_from_the_callers_scope(users):
    from homeward import access
    from homeward.registry import duplicates

    held = make_child(users["ua"], given_name="Злата", surname="Мельник", patronymic="Петрівна", sex="F",
                      birth_date=BORN, birth_place="Ізюм")
    for day in range(1, 10):
        make_child(users["ua"], given_name="Ольга", surname="Іванова", birth_date=dt.date(2010, 1, day),
                   birth_place="Херсон")
    rare = duplicates.score_against(access.children(users["ua"]), [_row(birth_place="Izium")], threshold=0.0)
    place = next(r for r in rare[0].score.reasons if r.comparison == "birth place")
    assert rare[0].child_id == held.pk
    same_place = next(lv for name, levels in duplicates.current_model().comparisons if name == "birth_place"
                      for lv in levels if lv.label == "same place")
    m = same_place.u * 2 ** same_place.weight
    assert place.weight == pytest.approx(math.log2(m / 0.1), abs=0.01)  # 1 of the scope's 10 was born there


def test_a_name_counted_exactly_weighs_by_its_count_below_the_models_minimum_u():
    from homeward.linkage import core
    from homeward.registry import scoring

    model = scoring.model_from(core.reference_model())
    a = scoring.features_of(_row(birth_date=""))
    b = scoring.features_of(_row(birth_date="", given_name="Zlata", surname="Melnyk", patronymic="Petrivna"))
    tf = {"s_can": {a["s_can"]: 1 / 350_000}}
    bounded = model.score(a, b, 350_000, tf)
    assert bounded.match_weight == model.score(a, b, 350_000, {"s_can": {a["s_can"]: 0.001}}).match_weight
    counted = model.score(a, b, 350_000, tf, {"s_can": 1 / 350_000})
    surname = next(r for r in counted.reasons if r.comparison == "surname")
    same = next(lv for name, levels in model.comparisons if name == "surname" for lv in levels if lv.tf_column)
    assert surname.weight == pytest.approx(math.log2(same.u * 2 ** same.weight * 350_000), abs=0.01)
    assert counted.match_weight > bounded.match_weight



def test_the_warning_weighs_a_surname_only_the_held_child_carries_as_one_child_of_the_scope(users, monkeypatch):
    from homeward import access
    from homeward.registry import duplicates, scoring

    held = make_child(users["ua"], given_name="Злата", surname="Щигельська", patronymic="Петрівна", sex="F",
                      birth_date=BORN, birth_place="Херсон")
    row = _row(surname="Щигельська", birth_date="")
    key = scoring.features_of(row)["s_can"]
    # as in a scope of 350,000 children of which only the held child carries the surname
    monkeypatch.setattr(duplicates, "scope_size", lambda scope: 350_000)
    monkeypatch.setattr(duplicates, "name_frequencies", lambda *a, **k: {"s_can": {key: 1 / 350_000}})
    found = duplicates.score_against(access.children(users["ua"]), [row], threshold=0.0)
    assert found[0].child_id == held.pk
    surname = next(r for r in found[0].score.reasons if r.comparison == "surname")
    same = next(lv for name, levels in duplicates.current_model().comparisons if name == "surname"
                for lv in levels if lv.tf_column)
    assert surname.weight == pytest.approx(math.log2(same.u * 2 ** same.weight * 350_000), abs=0.01)
