"""``homeward link`` / ``homeward dedupe`` on small generated files (no database, no Django)."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).parent))

from homeward.cli.linkage import COMMANDS, dedupe_command, link_command  # noqa: E402
from test_linkage_data import lists  # noqa: E402

COLUMNS = ["record_id", "given_name", "surname", "patronymic", "sex", "birth_date", "birth_place"]


def write_csv(path: Path, rows: list[dict], encoding: str = "utf-8", delimiter: str = ",") -> Path:
    with open(path, "w", newline="", encoding=encoding) as f:
        w = csv.DictWriter(f, COLUMNS, delimiter=delimiter)
        w.writeheader()
        w.writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[dict]) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(COLUMNS)
    for r in rows:
        ws.append([r[c] for c in COLUMNS])
    wb.save(path)
    return path


def read_pairs(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def data():
    return lists(n_left=60, n_match=40, n_other=80, seed=11)


def test_commands_registered():
    assert {c.name for c in COMMANDS} == {"link", "dedupe"}


def test_help_has_examples():
    out = CliRunner().invoke(link_command, ["--help"]).output
    assert "homeward link ua.csv ru.xlsx --out pairs.csv" in out
    assert "record_id, given_name, surname" in out
    assert "homeward dedupe registry.csv" in CliRunner().invoke(dedupe_command, ["--help"]).output


def test_link_cp1251_bom_csv(tmp_path, data):
    left, right, truth = data
    ua = write_csv(tmp_path / "ua.csv", left, encoding="cp1251", delimiter=";")
    ru = write_csv(tmp_path / "ru.csv", right, encoding="utf-8-sig")
    out = tmp_path / "pairs.csv"
    res = CliRunner().invoke(link_command, [str(ua), str(ru), "--out", str(out)])
    assert res.exit_code == 0, res.output
    rows = read_pairs(out)
    assert list(rows[0]) == ["left_id", "right_id", "match_probability", "match_weight", "explanation"]
    found = {(r["left_id"], r["right_id"]) for r in rows}
    assert len(found & truth) >= 0.95 * len(truth) and len(found - truth) <= 1
    assert all(float(r["match_probability"]) >= 0.5 for r in rows)
    assert "birth date: " in rows[0]["explanation"]
    model = json.loads((tmp_path / "pairs.model.json").read_text(encoding="utf-8"))
    assert model["model_version"] in res.output


def test_link_xlsx_json_and_threshold(tmp_path, data):
    left, right, truth = data
    ua = write_xlsx(tmp_path / "ua.xlsx", left)
    ru = tmp_path / "ru.json"
    ru.write_text(json.dumps(right, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "pairs.csv"
    res = CliRunner().invoke(link_command, [str(ua), str(ru), "--out", str(out), "--threshold", "0.99", "-q"])
    assert res.exit_code == 0, res.output
    rows = read_pairs(out)
    assert rows and all(float(r["match_probability"]) >= 0.99 for r in rows)
    assert {(r["left_id"], r["right_id"]) for r in rows} <= truth


def test_missing_column_exits_2_with_one_line(tmp_path, data):
    left, right, _ = data
    ua = write_csv(tmp_path / "ua.csv", left)
    bad = tmp_path / "ru.csv"
    bad.write_text("record_id,given_name,surname\n1,Иван,Иванов\n", encoding="utf-8")
    res = CliRunner().invoke(link_command, [str(ua), str(bad), "--out", str(tmp_path / "p.csv")])
    assert res.exit_code == 2
    lines = res.output.strip().splitlines()
    assert len(lines) == 1 and "ru.csv" in lines[0] and "patronymic" in lines[0]


def test_unreadable_file_exits_2(tmp_path, data):
    left, _, _ = data
    ua = write_csv(tmp_path / "ua.csv", left)
    broken = tmp_path / "ru.xlsx"
    broken.write_bytes(b"not a workbook")
    res = CliRunner().invoke(link_command, [str(ua), str(broken), "--out", str(tmp_path / "p.csv")])
    assert res.exit_code == 2 and len(res.output.strip().splitlines()) == 1 and "ru.xlsx" in res.output
    res = CliRunner().invoke(link_command, [str(ua), str(tmp_path / "none.csv"), "--out", str(tmp_path / "p.csv")])
    assert res.exit_code == 2 and "none.csv" in res.output


def test_dedupe(tmp_path, data):
    left, right, truth = data
    merged = write_csv(tmp_path / "all.csv", left + right)
    out = tmp_path / "clusters.csv"
    res = CliRunner().invoke(dedupe_command, [str(merged), "--out", str(out), "-q"])
    assert res.exit_code == 0, res.output
    rows = read_pairs(out)
    assert list(rows[0]) == ["cluster_id", "record_id"]
    cluster = {r["record_id"]: r["cluster_id"] for r in rows}
    assert len(cluster) == len(left) + len(right)
    assert sum(cluster[a] == cluster[b] for a, b in truth) >= 0.9 * len(truth)
