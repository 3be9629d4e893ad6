"""Small inputs: the matcher uses a trained model instead of training on a handful of records."""

from __future__ import annotations

import pytest

from homeward.linkage.core import LinkageError, link, reference_model

SOUGHT = [{"record_id": "t1", "given_name": "Aleksandr", "surname": "Kovalenko", "patronymic": "Petrovich",
           "sex": "M", "birth_date": "2014-05-03", "birth_place": "Kherson"}]
REGISTRY = [
    {"record_id": "c1", "given_name": "Олександр", "surname": "Коваленко", "patronymic": "Петрович", "sex": "M",
     "birth_date": "2014-03-05", "birth_place": "Херсон"},
    {"record_id": "twin", "given_name": "Олексій", "surname": "Коваленко", "patronymic": "Петрович", "sex": "M",
     "birth_date": "2014-03-05", "birth_place": "Херсон"},
    {"record_id": "c3", "given_name": "Марія", "surname": "Шевченко", "patronymic": "", "sex": "F",
     "birth_date": "2011-02-11", "birth_place": "Маріуполь"},
]


def test_one_request_against_a_small_registry_finds_the_cross_script_child_not_the_twin():
    result = link(SOUGHT, REGISTRY)
    assert [(p.left_id, p.right_id) for p in result.links] == [("t1", "c1")]
    assert result.model["parameters_from"] == reference_model()["model_version"]
    assert any("reference model" in w for w in result.stats["warnings"])


def test_swapped_birth_date_is_named_in_the_explanation():
    (pair,) = link(SOUGHT, REGISTRY).links
    assert "day and month swapped" in pair.explanation


def test_a_saved_model_is_reused_without_training():
    trained = reference_model()
    result = link(SOUGHT, REGISTRY, trained_model=trained)
    assert result.model["trained"] is False and result.model["parameters_from"] == trained["model_version"]


def test_something_that_is_not_a_model_is_refused():
    with pytest.raises(LinkageError):
        link(SOUGHT, REGISTRY, trained_model={"format": "other"})


def test_reference_model_is_a_homeward_model_with_labelled_levels():
    trained = reference_model()
    assert trained["format"].startswith("homeward-linkage/")
    comparisons = trained["splink_model"]["comparisons"]
    assert any(level.get("label_for_charts") == "day and month swapped"
               for c in comparisons for level in c["comparison_levels"])


def test_duplicates_in_a_small_list_use_the_reference_model():
    from homeward.linkage.core import dedupe

    others = [r for r in REGISTRY if r["record_id"] != "twin"]
    records = others + [{**REGISTRY[0], "record_id": "c1-again", "given_name": "Александр", "birth_place": "Kherson"}]
    result = dedupe(records)
    assert [sorted((p.left_id, p.right_id)) for p in result.links] == [["c1", "c1-again"]]
    assert result.model["parameters_from"] == reference_model()["model_version"]


def test_reference_model_blocks_pairs_with_the_current_prediction_rules():
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks" / "linkage"))
    from make_reference_model import current_blocking_rules

    shipped = reference_model()["splink_model"]["blocking_rules_to_generate_predictions"]
    assert shipped == current_blocking_rules()
    assert any("gs_blk" in rule["blocking_rule"] for rule in shipped)


def test_a_pair_labelled_the_same_child_is_linked_ahead_of_the_model_and_says_so():
    # the model links t1 to c1; the reviewer decided t1 is the twin's record
    result = link(SOUGHT, REGISTRY, labels=[("t1", "twin", True)])
    assert [(p.left_id, p.right_id) for p in result.links] == [("t1", "twin")]
    (pair,) = result.links
    assert pair.match_probability == 1.0 and pair.explanation.startswith("reviewer: same child")


def test_a_pair_labelled_different_children_is_never_linked():
    result = link(SOUGHT, REGISTRY, labels=[("t1", "c1", False)])
    assert ("t1", "c1") not in {(p.left_id, p.right_id) for p in result.links}
    assert ("t1", "c1") not in {(p.left_id, p.right_id) for p in result.ambiguous}


def test_a_pair_labelled_both_ways_is_left_to_the_model():
    result = link(SOUGHT, REGISTRY, labels=[("t1", "c1", False), ("t1", "c1", True), ("t1", "nobody", True)])
    assert [(p.left_id, p.right_id) for p in result.links] == [("t1", "c1")]
    assert result.links[0].match_probability < 1.0
    assert any("both ways" in w for w in result.stats["warnings"])
    assert any("not among the candidate pairs" in w for w in result.stats["warnings"])
