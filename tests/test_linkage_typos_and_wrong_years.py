"""A typo on top of the other script's given-name form is a typo, not a twin; a wrong birth year or a missing birth date
with a surname typo still brings the pair to be compared."""

from __future__ import annotations

from homeward.linkage.core import link, reference_model

TYPO = "spelling differs by a typo"
TWIN = "different names in one family (twin or sibling)"


def _child(rid: str, given: str, surname: str, patronymic: str, sex: str, dob: str, place: str) -> dict:
    return {"record_id": rid, "given_name": given, "surname": surname, "patronymic": patronymic, "sex": sex,
            "birth_date": dob, "birth_place": place}


KATERYNA = _child("ua1", "Катерина", "Шевченко", "Валентинівна", "ж", "21.09.2016", "Харків")
# Russian form (Екатерина) with a typo, and a typo in the surname
KATERYNA_RU = _child("ru1", "Екатергна", "Шевченкцо", "Валентиновна", "ж", "21.09.2016", "Харьков")
# a real twin: another given name, same surname, father, birth date and place
TWIN_SISTER = _child("ru2", "Мария", "Шевченко", "Валентиновна", "ж", "2016-09-21", "Харьков")


def _given_name_level(left: dict, right: dict) -> str:
    (pair,) = [p for p in link([left], [right], threshold=0.0).links]
    return next(r.level for r in pair.reasons if r.comparison == "given name")


def test_a_typo_in_the_other_scripts_form_of_the_given_name_is_a_typo_not_a_twin():
    assert _given_name_level(KATERYNA, KATERYNA_RU) == TYPO


def test_a_twin_with_another_given_name_is_still_vetoed():
    assert _given_name_level(KATERYNA, TWIN_SISTER) == TWIN
    linked = {(p.left_id, p.right_id) for p in link([KATERYNA], [KATERYNA_RU, TWIN_SISTER]).links}
    assert linked == {("ua1", "ru1")}


def test_the_duplicate_scorer_sees_the_same_given_name_typo():
    from homeward.registry import scoring

    scorer = scoring.model_from(reference_model())
    score = scorer.score(scoring.features_of(KATERYNA), scoring.features_of(KATERYNA_RU), registry_size=1)
    assert next(r.level for r in score.reasons if r.comparison == "given name") == TYPO


def _compared(left: dict, right: dict) -> bool:
    return any(p.right_id == right["record_id"] for p in link([left], [right], threshold=0.0).links)


def test_a_wrong_digit_of_the_birth_year_with_a_surname_typo_is_compared():
    # day and month agree; the year's last digit is wrong, so no birth-date or birth-year block holds the pair
    left = _child("ua1", "Степан", "Ониськів", "Ігорович", "ч", "16.01.2022", "Херсон")
    right = _child("ru1", "Степан", "Онисьфів", "Ігорович", "м", "2027-01-16", "Херсон")
    assert _compared(left, right)


def test_a_missing_birth_date_with_a_surname_typo_is_compared():
    left = _child("ua1", "Біанка", "Ткаченко", "Володимирівна", "ж", "05.07.2011", "Херсон")
    right = _child("ru1", "Біанка", "Ткцченко", "Володимирівна", "ж", "", "Херсон")
    assert _compared(left, right)


def test_other_children_born_on_the_same_day_and_month_are_not_compared_on_that_alone():
    left = _child("ua1", "Степан", "Ониськів", "Ігорович", "ч", "16.01.2022", "Херсон")
    right = _child("ru1", "Марія", "Коваль", "Петрівна", "ж", "2009-01-16", "Луганськ")
    assert not _compared(left, right)
