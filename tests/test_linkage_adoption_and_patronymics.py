"""A changed surname and patronymic (adoption) weigh as one change; a common patronymic weighs less than a rare one."""

from __future__ import annotations

from homeward.linkage.core import features, link, model, reference_model

CHILD = {"record_id": "ua1", "given_name": "Софія", "surname": "Шевченко", "patronymic": "Тимофіївна", "sex": "ж",
         "birth_date": "21.03.2018", "birth_place": "Харків"}
ADOPTED = {"record_id": "ru1", "given_name": "София", "surname": "Морозова", "patronymic": "Игоревна", "sex": "ж",
           "birth_date": "2018-03-21", "birth_place": "Харьков"}
OTHER = {"record_id": "ru2", "given_name": "Мария", "surname": "Козлова", "patronymic": "Петровна", "sex": "ж",
         "birth_date": "2011-07-02", "birth_place": "Маріуполь"}


def _level(splink_model: dict, comparison: str, label: str) -> dict:
    c = next(c for c in splink_model["comparisons"] if c["output_column_name"] == comparison)
    return next(lv for lv in c["comparison_levels"] if lv["label_for_charts"] == label)


def test_a_new_surname_with_a_new_patronymic_is_explained_once_under_the_surname():
    (pair,) = [p for p in link([CHILD], [ADOPTED, OTHER], threshold=0.0).links if p.right_id == "ru1"]
    titles = {r.comparison: r.level for r in pair.reasons}
    assert titles["surname"] == model.SURNAME_AND_PATRONYMIC_CHANGED
    assert "patronymic" not in titles  # weighed with the surname, not a second time


def test_the_reference_model_weighs_both_changed_above_the_product_of_the_two_changes():
    ref = reference_model()["splink_model"]
    both = _level(ref, "surname", model.SURNAME_AND_PATRONYMIC_CHANGED)
    surname_only = _level(ref, "surname", "different surname (changed, e.g. adoption, or another family)")
    patronymic = _level(ref, "patronymic", "different patronymics")
    joint = both["m_probability"] / both["u_probability"]
    product = (surname_only["m_probability"] / surname_only["u_probability"]) * (
        patronymic["m_probability"] / patronymic["u_probability"])
    assert joint > 10 * product


def test_the_duplicate_scorer_gives_an_adopted_child_the_batch_matchers_weight():
    from homeward.registry import scoring

    (pair,) = [p for p in link([CHILD], [ADOPTED], threshold=0.0).links]
    scorer = scoring.model_from(reference_model())
    score = scorer.score(scoring.features_of(CHILD), scoring.features_of(ADOPTED), registry_size=1)
    batch = {r.comparison: r.weight for r in pair.reasons}
    mine = {r.comparison: r.weight for r in score.reasons}
    assert batch.keys() == mine.keys()
    # the batch matcher adds term-frequency adjustments to the names; the levels' own weights agree
    assert abs(batch["surname"] - mine["surname"]) < 1e-6 and abs(batch["birth date"] - mine["birth date"]) < 1e-6


def test_one_patronymic_in_two_scripts_has_one_canonical_key():
    rows = features.to_feature_table([
        {"record_id": "a", "patronymic": "Олександрович"}, {"record_id": "b", "patronymic": "Александрович"},
        {"record_id": "c", "patronymic": "Oleksandrovych"}, {"record_id": "d", "patronymic": "Петрович"},
    ]).to_pylist()  # fmt: skip
    assert rows[0]["p_can"] == rows[1]["p_can"] == rows[2]["p_can"] != rows[3]["p_can"]


def test_a_common_patronymic_weighs_less_than_a_rare_one():
    def person(rid: str, given: str, patronymic: str, dob: str) -> dict:
        return {"record_id": rid, "given_name": given, "surname": "Коваленко", "patronymic": patronymic,
                "sex": "ч", "birth_date": dob, "birth_place": "Херсон"}

    left = [person("common", "Андрій", "Олександрович", "01.02.2013"), person("rare", "Богдан", "Зиновійович",
                                                                               "03.04.2014")]
    right = [person("c", "Андрей", "Александрович", "2013-02-01"), person("r", "Богдан", "Зиновьевич", "2014-04-03")]
    right += [person(f"x{i}", "Тарас", "Александрович", f"2010-01-{i + 1:02d}") for i in range(20)]
    weights = {p.left_id: next(r.weight for r in p.reasons if r.comparison == "patronymic")
               for p in link(left, right).links}
    assert weights["common"] < weights["rare"]
