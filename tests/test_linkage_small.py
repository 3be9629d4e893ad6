"""A small run with a saved model is blocked and scored in pure Python (``linkage.core.small``): the same pairs,
probabilities, weights and explanations as Splink on DuckDB, compared on generated lists (several seeds, the
reference and a model trained on the lists) and on the demo registry."""

from __future__ import annotations

import random
from typing import Any

import duckdb
import pyarrow as pa
import pytest

from homeward.linkage.core import blocking, engine, features, small, sqlexpr
from tests._linkage_generator import generator


def _outcome(result: engine.LinkResult) -> tuple[list[Any], list[Any]]:
    links = [(x.left_id, x.right_id, x.match_probability, x.match_weight, x.reasons) for x in result.links]
    ambiguous = [(a.group, a.left_id, a.right_id, a.match_probability, a.match_weight, a.reasons)
                 for a in result.ambiguous]
    return links, ambiguous


def _both(left: list[dict[str, Any]], right: list[dict[str, Any]], **kw: Any) -> tuple[Any, Any]:
    a = engine.link(left, right, scorer="splink", **kw)
    b = engine.link(left, right, scorer="python", **kw)
    return a, b


def _assert_same(a: engine.LinkResult, b: engine.LinkResult) -> None:
    assert _outcome(b) == _outcome(a)  # exact floats, not approximately
    assert b.model_version == a.model_version
    assert {**b.model, "trained_at": ""} == {**a.model, "trained_at": ""}
    assert b.stats["prior"] == a.stats["prior"]
    assert b.stats["warnings"] == a.stats["warnings"]
    assert b.stats["scorer"] == "python" and "scorer" not in a.stats


@pytest.fixture(scope="module", params=[1, 2, 3])
def lists(request: pytest.FixtureRequest) -> tuple[int, list[dict[str, str]], list[dict[str, str]]]:
    left, right, _truth = generator().generate(80, 400, request.param)
    return request.param, left, right


@pytest.fixture(scope="module")
def trained(lists: tuple[int, list[dict[str, str]], list[dict[str, str]]]) -> dict[str, Any]:
    _seed, left, right = lists
    found = engine.link(left, right)  # 32,000 pairs: trained by EM on these lists
    assert found.model.get("trained", True) and "parameters_from" not in found.model
    return found.model


@pytest.mark.parametrize("which", ["reference", "trained"])
def test_a_small_lists_run_in_python_gives_splinks_pairs_probabilities_and_explanations(lists, trained, which):
    seed, left, right = lists
    rng = random.Random(seed)
    model = None if which == "reference" else trained
    sample = rng.sample(left, 45)
    # every blocked pair (threshold 0: Splink predicts all of them) and the run's own use (0.5, not one-to-one)
    for threshold, one_to_one in ((0.0, False), (0.5, False), (0.5, True)):
        a, b = _both(sample, right, threshold=threshold, one_to_one=one_to_one, trained_model=model)
        assert len(a.links) >= 20
        _assert_same(a, b)


def test_namesakes_make_the_same_ambiguous_groups_in_python(lists):
    seed, left, right = lists
    rng = random.Random(seed)
    namesakes = [dict(r, record_id=r["record_id"] + "-twin") for r in rng.sample(right, 10)]
    undated = [dict(r, record_id="L-" + r["record_id"], birth_date="") for r in rng.sample(right, 10)]
    sample = rng.sample(left, 10) + [dict(r, record_id="L-" + r["record_id"]) for r in namesakes[:5]] + undated
    for one_to_one in (False, True):
        a, b = _both(sample, right + namesakes, one_to_one=one_to_one)
        assert a.ambiguous
        _assert_same(a, b)


def test_a_small_run_takes_the_python_scorer_and_a_large_one_splink(lists, trained):
    _seed, left, right = lists
    assert engine.link(left[:5], right, trained_model=trained).stats["scorer"] == "python"
    n = -(-engine.SMALL_MAX_PAIRS // len(right))  # the first size at or over the limit
    assert "scorer" not in engine.link(left[:n], right, trained_model=trained).stats
    with pytest.raises(engine.LinkageError):
        engine.link(left[:n], right, trained_model=trained, scorer="python")
    with pytest.raises(engine.LinkageError):
        engine.link(left[:5], right, extra_columns=["document"], scorer="python")


def test_a_model_with_sql_the_python_scorer_does_not_know_runs_on_splink(lists):
    _seed, left, right = lists
    model = engine.reference_model()
    level = model["splink_model"]["comparisons"][0]["comparison_levels"][3]
    level["sql_condition"] = "damerau_levenshtein(g_key_l, g_key_r) <= 1"
    found = engine.link(left[:5], right, trained_model=model)
    assert "scorer" not in found.stats and found.links
    with pytest.raises(engine.LinkageError):
        engine.link(left[:5], right, trained_model=model, scorer="python")


def test_the_block_keys_in_python_are_duckdbs(lists):
    _seed, left, right = lists
    tables = [features.to_feature_table(left[:45]), features.to_feature_table(right)]
    with duckdb.connect() as con:
        keyed = blocking.add_block_keys(tables, con)
    rows = [t.to_pylist() for t in tables]
    blocking.add_block_keys_rows(rows)
    refined = 0
    for table, side in zip(keyed, rows, strict=True):
        for column, _first, _second in blocking.REFINED_RULES:
            expected = [sorted(v) if v else None for v in table.column(column).to_pylist()]
            assert [r[column] for r in side] == expected
            refined += sum(1 for keys in expected if keys and any("\x1fa" in k for k in keys))
    assert refined  # common combinations were refined by the birth year, not only plain keys


def test_jaro_winkler_in_python_is_duckdbs_on_the_lists_keys(lists):
    _seed, left, right = lists
    rows = features.to_feature_table(left + right).to_pylist()
    keys = sorted({r[c] for r in rows for c in ("g_key", "s_key", "p_key", "place") if r[c]})
    rng = random.Random(0)
    pairs = [(rng.choice(keys), rng.choice(keys)) for _ in range(3000)]
    pairs += [(k, k[:-1] + "x") for k in keys[:500]] + [(k, k[1:]) for k in keys[:500] if len(k) > 1]
    jw = sqlexpr.condition("jaro_winkler_similarity(a_l, a_r)")
    table = pa.table({"i": list(range(len(pairs))), "a": [a for a, _ in pairs], "b": [b for _, b in pairs]})
    with duckdb.connect() as con:
        con.register("pairs", table)
        expected = con.execute("select jaro_winkler_similarity(a, b) from pairs order by i").fetchall()
    assert [jw({"a": a}, {"a": b}) for a, b in pairs] == [e for (e,) in expected]


def test_sql_nulls_follow_three_valued_logic():
    row = {"x": None, "y": "a", "g": None, "h": ["a", "b"]}

    def value(sql: str) -> Any:
        return sqlexpr.condition(sql)(row, row)

    assert value("x_l = y_r") is None
    assert value("x_l = y_r OR y_l = y_r") is True
    assert value("x_l = y_r AND y_l = y_r") is None
    assert value("x_l = y_r AND y_l != y_r") is False
    assert value("NOT (x_l = y_r)") is None
    assert value("NOT coalesce(x_l = y_r, false)") is True
    assert value("list_has_any(g_l, h_r)") is None and value("list_has_any(h_l, h_r)") is True
    assert value("h_l[1] = y_r") is True and value("h_l[3] IS NULL") is True and value("g_l[1] IS NULL") is True
    assert value("substr(y_l, 1, 7) = y_r") is True
    with pytest.raises(sqlexpr.Unsupported):
        sqlexpr.condition("soundex(y_l) = soundex(y_r)")


def test_every_level_and_rule_of_the_shipped_and_current_settings_compiles():
    from homeward.linkage.core import model

    shipped = small.compile_model(engine._saved_settings(engine.reference_model(), "link_only", n_pairs=1))
    assert len(shipped.comparisons) == 7 and len(shipped.rules) == 11
    for c in model.comparisons():
        for lv in c["comparison_levels"]:
            if lv["sql_condition"] != "ELSE":
                sqlexpr.condition(lv["sql_condition"])


@pytest.mark.django_db
def test_a_list_against_the_demo_registry_is_scored_alike_in_python():
    from homeward.linkage import services
    from homeward.registry import demo
    from homeward.registry.models import Child

    demo.load(n_ua=40, n_ru=15, n_ru_care=10)
    right = services.registry_records(Child.objects.prefetch_related("name_forms").order_by("pk"))
    rng = random.Random(5)
    for round_ in range(3):
        picked = rng.sample([r for r in right if "#" not in r["record_id"]], 5)
        names = [dict(r, record_id=f"list_entry:{round_}{i}") for i, r in enumerate(picked)]
        names[0]["birth_date"] = ""
        names[1]["given_name"] = names[1]["given_name"][:-1]
        a, b = _both(names, right, one_to_one=False)
        assert len(a.links) >= 4
        _assert_same(a, b)
