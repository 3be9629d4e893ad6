"""Matcher core: features, model as data, link/dedupe with explanations, readers (no Django)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from homeward.linkage.core import (  # noqa: E402
    InputError,
    LinkageError,
    dedupe,
    engine,  # noqa: E402
    link,
    model,  # noqa: E402
    read_records,
    to_features,
)
from test_linkage_data import lists  # noqa: E402


@pytest.fixture(scope="module")
def linked():
    left, right, truth = lists()
    stages: list[tuple[str, float]] = []
    result = link(left, right, progress=lambda s, f: stages.append((s, f)))
    return result, truth, stages


def test_features_are_ascii_and_cross_script():
    ua = to_features(
        {
            "record_id": "1",
            "given_name": "Олександр",
            "surname": "Лисенко",
            "birth_date": "05.03.2015",
            "sex": "ч",
            "birth_place": "Маріуполь",
        }
    )
    ru = to_features(
        {
            "record_id": "2",
            "given_name": "Александр",
            "surname": "Лысенко",
            "birth_date": "2015-03-05",
            "sex": "м",
            "birth_place": "Мариуполь",
        }
    )
    for row in (ua, ru):
        for key in ("g_key", "s_key", "place", "dob"):
            assert row[key] and row[key].isascii()
    assert set(ua["g_grp"]) & set(ru["g_grp"])
    assert ua["dob"] == ru["dob"] == "2015-03-05"
    assert ua["dob_sw"] == "2015-05-03"
    assert ua["sex"] == ru["sex"] == "m"
    assert ua["place"] == ru["place"]


def test_missing_and_impossible_values_are_null():
    row = to_features({"record_id": "x", "birth_date": "31.02.2015"})
    assert row["unique_id"] == "x"
    assert row["dob"] is None and row["g_key"] is None and row["g_grp"] is None


def test_model_is_data_with_labelled_levels():
    comps = model.comparisons()
    names = [c["output_column_name"] for c in comps]
    assert names == ["given_name", "surname", "patronymic", "birth_date", "sex", "birth_place", "names_swapped"]
    dob_labels = [lvl["label_for_charts"] for lvl in comps[3]["comparison_levels"]]
    assert "day and month swapped" in dob_labels
    json.dumps(comps)  # plain data


def test_link_finds_cross_script_pairs_one_to_one(linked):
    result, truth, _ = linked
    found = {(x.left_id, x.right_id) for x in result.links}
    assert len(found & truth) >= 0.95 * len(truth)
    assert len(found - truth) <= 1
    assert len({x.left_id for x in result.links}) == len(result.links)
    assert len({x.right_id for x in result.links}) == len(result.links)
    assert all(x.match_probability >= 0.5 for x in result.links)


def test_explanations_come_from_levels(linked):
    result, _, _ = linked
    x = result.links[0]
    assert x.explanation.startswith("given name: ")
    assert any(r.comparison == "birth date" for r in x.reasons)
    total = sum(r.weight for r in x.reasons)
    assert total == pytest.approx(x.match_weight - _prior_weight(result), abs=0.2)
    swapped = [x for x in result.links if "day and month swapped" in x.explanation]
    assert swapped, "the fixture swaps day and month in some Russian records"


def _prior_weight(result) -> float:
    import math

    p = result.model["splink_model"]["probability_two_random_records_match"]
    return math.log2(p / (1 - p))


def test_model_json_versioned(linked):
    result, _, stages = linked
    data = json.loads(result.model_json())
    assert data["model_version"] == result.model_version and len(result.model_version) == 12
    assert data["format"] == model.MODEL_FORMAT
    assert data["splink_model"]["comparisons"]
    names = [s for s, _ in stages]
    assert names[0] == "prepare" and names[-1] == "done"
    fractions = [f for _, f in stages]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0


def test_dedupe_clusters_duplicates():
    left, right, truth = lists(n_left=60, n_match=30, n_other=40, seed=3)
    pairs = {right_id: left_id for left_id, right_id in truth}
    records = left + right
    result = dedupe(records)
    cluster_of = {rid: cid for cid, members in result.clusters.items() for rid in members}
    assert set(cluster_of) == {r["record_id"] for r in records}
    together = sum(1 for a, b in pairs.items() if cluster_of[a] == cluster_of[b])
    assert together >= 0.9 * len(pairs)


def test_duplicate_record_id_is_an_error():
    left, right, _ = lists(n_left=5, n_match=2, n_other=2)
    with pytest.raises(LinkageError, match="U1"):
        link(left + [dict(left[1])], right)


def test_empty_list_gives_no_links():
    left, _, _ = lists(n_left=5, n_match=0, n_other=0)
    assert link(left, []).links == []


# --- readers -----------------------------------------------------------------------------------

HEADER = "record_id,given_name,surname,patronymic,sex,birth_date,birth_place\n"


def test_read_csv_encodings(tmp_path):
    row = "1,Олександр,Коваленко,Петрович,ч,05.03.2015,Маріуполь\n"
    (tmp_path / "a.csv").write_bytes((HEADER + row).encode("utf-8"))
    (tmp_path / "b.csv").write_bytes(b"\xef\xbb\xbf" + (HEADER + row).encode("utf-8"))
    (tmp_path / "c.csv").write_bytes((HEADER + row).replace(",", ";").encode("cp1251"))
    for name in ("a.csv", "b.csv", "c.csv"):
        (rec,) = read_records(tmp_path / name)
        assert rec["given_name"] == "Олександр" and rec["record_id"] == "1"


def test_read_errors_name_file_and_column(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text("record_id,given_name\n1,Іван\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"x\.csv.*surname"):
        read_records(p)
    j = tmp_path / "x.json"
    j.write_text(json.dumps([{"record_id": "1"}]), encoding="utf-8")
    with pytest.raises(InputError, match=r"x\.json: record 1: missing column 'given_name'"):
        read_records(j)
    with pytest.raises(InputError, match="no such file"):
        read_records(tmp_path / "nope.csv")


def test_twin_of_an_absent_child_is_not_linked():
    left, right, truth = lists()
    kid = {
        "record_id": "U-twin",
        "given_name": "Тарас",
        "surname": "Зінченко",
        "patronymic": "Романович",
        "sex": "ч",
        "birth_date": "03.04.2014",
        "birth_place": "Херсон",
    }
    twin = {
        "record_id": "R-twin",
        "given_name": "Михаил",
        "surname": "Зинченко",
        "patronymic": "Романович",
        "sex": "м",
        "birth_date": "2014-04-03",
        "birth_place": "Херсон",
    }
    result = link(left + [kid], right + [twin])
    assert ("U-twin", "R-twin") not in {(x.left_id, x.right_id) for x in result.links}
    scored = link(left + [kid], right + [twin], threshold=0.0, one_to_one=False)
    pair = next(x for x in scored.links if (x.left_id, x.right_id) == ("U-twin", "R-twin"))
    assert "different names in one family (twin or sibling)" in pair.explanation


def test_extra_identifier_columns():
    left, right, truth = lists(n_left=40, n_match=30, n_other=30, seed=5)
    for r in left + right:
        r["doc_no"] = "D" + r["record_id"][1:] if r["record_id"][0] in "UR" else "X" + r["record_id"]
    result = link(left, right, extra_columns=["doc_no"])
    assert any(r.comparison == "doc no" for x in result.links for r in x.reasons)


def test_two_agreeing_address_fields_block_pairs_when_that_block_is_small():
    """A child whose names and birth date all changed is still compared by where it lives: two non-identifying
    extra fields that agree (address and postcode) make a blocking rule, unless their block is broad."""
    left, right, _ = lists(n_left=40, n_match=30, n_other=30, seed=5)
    for r in left + right:
        number = int(r["record_id"][1:])  # neither identifies a record: three share an address, two a postcode
        r["address"] = f"{number // 3} {'main street' if r['record_id'][0] in 'UR' else 'side road'}"
        r["postcode"] = str(1000 + number // 2)
        r["region"], r["kind"] = "north", "home"  # one value each: a block on both holds every pair
    result = link(left, right, extra_columns=["address", "postcode", "region", "kind"])
    rules = [r["blocking_rule"] for r in result.model["splink_model"]["blocking_rules_to_generate_predictions"]]
    assert any("x_address" in r and "x_postcode" in r for r in rules)
    assert not any("x_region" in r and "x_kind" in r for r in rules)


@pytest.mark.parametrize("link_type", ["link_only", "dedupe_only"])
def test_the_matchers_settings_pass_splinks_own_validation(link_type, caplog):
    """The matcher skips Splink's settings validation at run time: every column its settings name must exist."""
    import logging

    from splink import DuckDBAPI, Linker, SettingsCreator

    from homeward.linkage.core import blocking, features

    left, right, _ = lists(n_left=10, n_match=5, n_other=5)
    for r in left + right:
        r["doc_no"], r["address"] = "D" + r["record_id"], "1 main street"
    extra = ["doc_no", "address"]
    con = engine._connection(1)
    tables = blocking.add_block_keys([features.to_feature_table(x, extra) for x in (left, right)], con)
    if link_type == "dedupe_only":
        tables = tables[:1]
    db_api = DuckDBAPI(con)
    registered = [db_api.register(t, dataset_display_name=f"t{i}") for i, t in enumerate(tables)]
    extra_cols = [(c, features.extra_column_name(c)) for c in extra]
    blocking_keys = [("x_doc_no",), ("place", "x_address")]
    caplog.set_level(logging.WARNING, logger="splink")
    for fixed in (True, False):
        settings = model.settings(link_type, extra_cols, blocking_keys, fixed_levels=fixed)
        Linker(registered, SettingsCreator(**settings), log_level=None, validate_settings=True)
    assert not [r for r in caplog.records if r.name.startswith("splink")], caplog.text


def test_u_of_a_comparison_with_few_distinct_values_is_counted_over_every_pair(monkeypatch):
    """Sex and birth place take few values: their u is the exact share of all left x right pairs at each level
    (pairs with a side missing left out), not a random sample's estimate (here of 5,000 of the 42,000 pairs)."""
    monkeypatch.setattr(engine, "_u_pairs", lambda n_pairs: 5_000.0)
    left, right, _ = lists(n_left=150, n_match=80, n_other=200, seed=11)
    result = link(left, right)
    assert "too few pairs" not in " ".join(result.stats["warnings"])  # trained, so u was estimated here
    fl, fr = [to_features(r) for r in left], [to_features(r) for r in right]
    u = {(c["output_column_name"], lv["label_for_charts"]): lv.get("u_probability")
         for c in result.model["splink_model"]["comparisons"] for lv in c["comparison_levels"]}  # fmt: skip
    for column, comparison, level in (("sex", "sex", "same"), ("place", "birth_place", "same place")):
        pairs = [(a[column], b[column]) for a in fl for b in fr if a[column] and b[column]]
        assert pairs
        assert u[(comparison, level)] == pytest.approx(sum(x == y for x, y in pairs) / len(pairs), rel=1e-9)


def test_whole_name_in_one_column_is_split():
    row = to_features({"record_id": "1", "surname": "Коваленко Олександр Петрович"})
    ref = to_features({"record_id": "2", "given_name": "Олександр", "surname": "Коваленко", "patronymic": "Петрович"})
    assert (row["g_key"], row["s_key"], row["p_key"]) == (ref["g_key"], ref["s_key"], ref["p_key"])


def test_swapped_name_columns_are_recognised():
    left, right, _ = lists()
    kid = {"record_id": "U-swap", "given_name": "Тарас", "surname": "Гнатюк", "patronymic": "Олегович",
           "sex": "ч", "birth_date": "14.09.2012", "birth_place": "Донецьк"}  # fmt: skip
    swapped = dict(kid, record_id="R-swap", given_name="HNATIUK", surname="TARAS", birth_date="2012-09-14")
    result = link(left + [kid], right + [swapped])
    pair = next(x for x in result.links if x.left_id == "U-swap")
    assert pair.right_id == "R-swap"
    assert "swapped between the columns" in pair.explanation


def test_a_saved_models_settings_pass_splinks_own_validation(caplog):
    """A run with a saved model (the reference model, or one an earlier run trained) skips Splink's settings
    validation, as a run that trains does: the saved settings are validated here instead."""
    import logging

    from splink import DuckDBAPI, Linker

    from homeward.linkage.core import blocking, features

    left, right, _ = lists(n_left=10, n_match=5, n_other=5)
    con = engine._connection(1)
    tables = blocking.add_block_keys([features.to_feature_table(x) for x in (left, right)], con)
    db_api = DuckDBAPI(con)
    registered = [db_api.register(t, dataset_display_name=f"t{i}") for i, t in enumerate(tables)]
    trained = link(*lists(n_left=150, n_match=80, n_other=200, seed=11)[:2]).model
    assert trained.get("trained", True) and "parameters_from" not in trained
    caplog.set_level(logging.WARNING, logger="splink")
    for saved in (engine.reference_model(), trained):
        Linker(registered, dict(saved["splink_model"], link_type="link_only"), log_level=None, validate_settings=True)
    assert not [r for r in caplog.records if r.name.startswith("splink")], caplog.text


def test_a_run_with_a_saved_model_builds_one_linker_without_validation(monkeypatch):
    """With a saved model, only the model's linker is built (not also one of the untrained settings, thrown
    away), and Splink does not validate it again: what a small list's matching run costs is the prediction."""
    import splink

    built: list[bool] = []
    real = splink.Linker.__init__

    def counting(self, *args, **kwargs):
        built.append(bool(kwargs.get("validate_settings", True)))
        real(self, *args, **kwargs)

    monkeypatch.setattr(splink.Linker, "__init__", counting)
    left, right, _ = lists(n_left=10, n_match=5, n_other=5)
    result = link(left, right, trained_model=engine.reference_model(), scorer="splink")  # not the Python scorer
    assert result.links and built == [False]
    built.clear()
    found = dedupe(left[:6] + [dict(left[0], record_id="again")], trained_model=engine.reference_model())
    assert built == [False] and any(len(v) > 1 for v in found.clusters.values())
