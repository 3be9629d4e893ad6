"""Ambiguity made visible: equally likely rivals are neither dropped silently nor picked at random; they go to
review side by side, and the CLI writes them with --ambiguous. Labels feed the fit with --labels."""

from __future__ import annotations

import csv
import datetime as dt

import pytest
from click.testing import CliRunner

from homeward.linkage.core import ambiguity, link
from homeward.linkage.core.ambiguity import Candidate as Pair

SOUGHT = [{"record_id": "t1", "given_name": "Олександр", "surname": "Коваленко", "patronymic": "", "sex": "",
           "birth_date": "2014-03-05", "birth_place": ""}]
NAMESAKES = [
    {"record_id": "a", "given_name": "Александр", "surname": "Коваленко", "patronymic": "", "sex": "",
     "birth_date": "2014-03-05", "birth_place": ""},
    {"record_id": "b", "given_name": "Олександр", "surname": "Коваленко", "patronymic": "", "sex": "",
     "birth_date": "2014-03-05", "birth_place": ""},
    {"record_id": "c", "given_name": "Марія", "surname": "Шевченко", "patronymic": "Іванівна", "sex": "F",
     "birth_date": "2011-02-11", "birth_place": "Маріуполь"},
]


def test_equally_likely_rivals_form_a_group():
    (group,) = ambiguity.groups([Pair("L", "R1", 0.8, 10.0), Pair("L", "R2", 0.7, 9.5)], 0.5)
    assert group.group_id == "left:L" and [c.right_id for c in group.rivals] == ["R1", "R2"]


def test_a_clearly_better_pair_is_not_ambiguous():
    assert ambiguity.groups([Pair("L", "R1", 0.99, 15.0), Pair("L", "R2", 0.6, 9.0)], 0.5) == []


def test_a_rival_claimed_by_its_own_much_better_pair_is_no_rival():
    pairs = [Pair("L", "R1", 0.8, 10.0), Pair("L", "R2", 0.7, 9.6), Pair("L2", "R2", 0.999, 20.0)]
    assert ambiguity.groups(pairs, 0.5) == []


def test_rivals_each_below_the_threshold_still_count_when_together_likely():
    # a record without a birth date among common names: three namesakes, each 0.2
    (group,) = ambiguity.groups([Pair("L", f"R{i}", 0.2, 1.0) for i in range(3)], 0.5)
    assert len(group.rivals) == 3
    assert ambiguity.groups([Pair("L", f"R{i}", 0.1, 1.0) for i in range(3)], 0.5) == []


def test_namesakes_with_the_same_birth_date_are_not_linked_but_marked_ambiguous():
    result = link(SOUGHT, NAMESAKES)
    assert result.links == []
    assert {(a.group, a.left_id, a.right_id) for a in result.ambiguous} == {("left:t1", "t1", "a"),
                                                                           ("left:t1", "t1", "b")}
    assert all(a.explanation for a in result.ambiguous)
    assert result.stats["ambiguous_groups"] == 1


def test_every_candidate_mode_keeps_the_pairs_and_still_reports_the_group():
    result = link(SOUGHT, NAMESAKES, one_to_one=False)
    assert {x.right_id for x in result.links} == {"a", "b"}
    assert len(result.ambiguous) == 2


# --- CLI ----------------------------------------------------------------------------------------------

def _write(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, list(rows[0]))
        w.writeheader()
        w.writerows(rows)


def test_cli_writes_the_ambiguous_groups_with_documented_columns(tmp_path):
    from homeward.cli.linkage import AMBIGUOUS_COLUMNS, link_command

    _write(tmp_path / "ua.csv", SOUGHT)
    _write(tmp_path / "ru.csv", NAMESAKES)
    out, amb = tmp_path / "pairs.csv", tmp_path / "ambiguous.csv"
    res = CliRunner().invoke(link_command, [str(tmp_path / "ua.csv"), str(tmp_path / "ru.csv"), "--out", str(out),
                                            "--ambiguous", str(amb), "-q"])
    assert res.exit_code == 0, res.output
    assert out.read_text(encoding="utf-8").splitlines() == [
        "left_id,right_id,match_probability,match_weight,explanation"]
    rows = list(csv.DictReader(amb.open(encoding="utf-8")))
    assert list(rows[0]) == AMBIGUOUS_COLUMNS == ["group", "left_id", "right_id", "match_probability",
                                                  "match_weight", "explanation"]
    assert {(r["group"], r["right_id"]) for r in rows} == {("left:t1", "a"), ("left:t1", "b")}
    assert "1 ambiguous groups" in res.stderr


def test_cli_passes_labels_to_the_fit(tmp_path, monkeypatch):
    import homeward.linkage.core as core
    from homeward.cli.linkage import link_command

    seen = {}

    def fake_link(left, right, **kwargs):
        seen.update(kwargs)
        return core.LinkResult([], {"format": "homeward-linkage/1"}, "v1", {"warnings": []})

    monkeypatch.setattr(core, "link", fake_link)
    _write(tmp_path / "ua.csv", SOUGHT)
    _write(tmp_path / "ru.csv", NAMESAKES)
    (tmp_path / "labels.csv").write_text("left_id,right_id,is_match\nt1,b,1\nt1,a,no\n", encoding="utf-8")
    res = CliRunner().invoke(link_command, [str(tmp_path / "ua.csv"), str(tmp_path / "ru.csv"), "--out",
                                            str(tmp_path / "p.csv"), "--labels", str(tmp_path / "labels.csv"), "-q"])
    assert res.exit_code == 0, res.output
    assert seen["labels"] == [("t1", "b", True), ("t1", "a", False)]


@pytest.mark.parametrize(("text", "message"), [
    ("left_id,right_id\nt1,b\n", "missing column 'is_match'"),
    ("left_id,right_id,is_match\nt1,b,maybe\n", "row 2, column 'is_match'"),
    ("left_id,right_id,is_match\nt1,b,1\n,a,0\n", "row 3, column 'left_id'"),
])
def test_cli_refuses_bad_labels_naming_file_row_and_column(tmp_path, text, message):
    from homeward.cli.linkage import link_command

    _write(tmp_path / "ua.csv", SOUGHT)
    _write(tmp_path / "ru.csv", NAMESAKES)
    labels = tmp_path / "labels.csv"
    labels.write_text(text, encoding="utf-8")
    res = CliRunner().invoke(link_command, [str(tmp_path / "ua.csv"), str(tmp_path / "ru.csv"), "--out",
                                            str(tmp_path / "p.csv"), "--labels", str(labels), "-q"])
    assert res.exit_code == 2
    assert str(labels) in res.stderr and message in res.stderr


def test_help_documents_ambiguous_and_labels():
    from homeward.cli.linkage import link_command

    text = CliRunner().invoke(link_command, ["--help"]).output
    assert "--ambiguous" in text and "--labels" in text and "group,left_id,right_id" in text


# --- the review queue shows the rivals side by side ------------------------------------------------------

def _group(users):
    from homeward.linkage.models import Candidate, MatchRun
    from tests.factories import make_child, make_tracing_request

    request = make_tracing_request(users["ngo"], surname="Kovalenko", given_name="Oleksandr")
    a = make_child(users["ua"], patronymic="", birth_place="", birth_date=dt.date(2014, 3, 5))
    b = make_child(users["ua"], patronymic="", birth_place="Мелітополь", birth_date=dt.date(2014, 3, 5))
    run = MatchRun.objects.create(kind="tracing_vs_registry", status="done")
    group = f"left:tracing_request:{request.pk}"
    return [Candidate.objects.create(run=run, left_type="tracing_request", left_id=request.pk, right_type="child",
                                     right_id=child.pk, match_probability=p, match_weight=w, reasons=[],
                                     ambiguity_group=group)
            for child, p, w in ((a, 0.61, 1.2), (b, 0.58, 1.0))], (a, b)


@pytest.mark.django_db
def test_an_ambiguous_pair_is_reviewed_with_its_rivals_side_by_side(client, users):
    (first, second), (_a, b) = _group(users)
    client.login(username="mediator", password="pw-mediator")
    body = client.get(f"/linkage/review/{first.pk}/").content.decode()
    assert 'id="ambiguous"' in body and 'id="ambiguous-badge"' in body
    assert f"/linkage/review/{second.pk}/" in body and "Мелітополь" in body
    assert "ambiguous" in client.get("/linkage/review/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["ua", "ru"])
def test_a_party_user_gets_404_for_an_ambiguous_pair(client, users, key):
    (first, _second), _children = _group(users)
    user = users[key]
    client.login(username=user.username, password="pw-" + user.username)
    resp = client.get(f"/linkage/review/{first.pk}/")
    assert resp.status_code == 404 and "Мелітополь" not in resp.content.decode()


def test_name_forms_of_one_child_are_not_rivals():
    from homeward.linkage.core import AmbiguousPair
    from homeward.linkage.services import _ambiguous

    same_child = [AmbiguousPair("left:tracing_request:1", "tracing_request:1", f"child:5#{n}", 0.6, 1.0, ())
                  for n in range(2)]
    assert _ambiguous(same_child) == {}
    two = same_child + [AmbiguousPair("left:tracing_request:1", "tracing_request:1", "child:6", 0.55, 0.9, ())]
    assert set(_ambiguous(two)) == {("tracing_request:1", "child:5"), ("tracing_request:1", "child:6")}


def test_single_best_links_are_splinks_single_best_links_for_two_duplicate_free_lists():
    """The one-to-one step (rounds of mutually best pairs, ties to the lowest id) links exactly the pairs
    Splink's cluster_using_single_best_links puts in one cluster, ties and pairs below the threshold included."""
    import random

    import pyarrow as pa
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on
    from splink import comparison_library as cl

    from homeward.linkage.core.engine import single_best_links

    rng = random.Random(3)
    for _ in range(5):
        pairs = {(f"L{rng.randrange(25)}", f"R{rng.randrange(25)}"): rng.choice([0.3, 0.55, 0.7, 0.7, 0.9, 0.9])
                 for _ in range(60)}  # fmt: skip
        db_api = DuckDBAPI()
        tables = [db_api.register(pa.table({"unique_id": [f"{side}{i}" for i in range(25)], "x": ["a"] * 25}),
                                  dataset_display_name=name) for side, name in (("L", "a"), ("R", "b"))]  # fmt: skip
        settings = SettingsCreator(link_type="link_only", comparisons=[cl.ExactMatch("x")],
                                   blocking_rules_to_generate_predictions=[block_on("x")])  # fmt: skip
        linker = Linker(tables, settings, log_level=None)
        predict = db_api.register(pa.table({
            "unique_id_l": [a for a, _ in pairs], "unique_id_r": [b for _, b in pairs],
            "source_dataset_l": ["a"] * len(pairs), "source_dataset_r": ["b"] * len(pairs),
            "match_probability": list(pairs.values()),
        }))  # fmt: skip
        clusters = linker.clustering.cluster_using_single_best_links(
            linker.table_management.register_table_predict(predict),
            duplicate_free_datasets=["a", "b"], threshold_match_probability=0.5,
        ).as_record_list()  # fmt: skip
        members: dict[str, dict[str, str]] = {}
        for row in clusters:
            members.setdefault(str(row["cluster_id"]), {})[row["source_dataset"]] = row["unique_id"]
        splinks = {(m["a"], m["b"]) for m in members.values() if len(m) == 2}
        ours = single_best_links(((a, b, p) for (a, b), p in pairs.items()), 0.5)
        assert ours == splinks
        assert ours  # the comparison is not vacuous
