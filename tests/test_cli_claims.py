"""Specification of ``homeward claims extract``: the JSON-lines contract other tools depend on."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from homeward.cli.claims import claims

FIELDS = ["file", "value", "qualifier", "quantity", "direction", "claimant", "as_of", "scope", "start", "end", "text"]
ACCEPTANCE = ("The commissioner said on Tuesday that 214 children had been returned so far, while more than "
              "9,000 remained unaccounted for.")


def run(*args: str, input: str | None = None) -> list[dict]:
    result = CliRunner().invoke(claims, ["extract", *args], input=input)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.output.splitlines()]


def test_extract_prints_one_json_object_per_claim_with_the_contract_fields(tmp_path: Path) -> None:
    f = tmp_path / "report.txt"
    f.write_text(ACCEPTANCE, encoding="utf-8")
    rows = run(str(f), "--format", "jsonl", "--published", "2025-03-14")
    assert [list(r) for r in rows] == [[*FIELDS, "trace"], [*FIELDS, "trace"]]
    first, second = rows
    assert (first["value"], first["quantity"], first["as_of"]) == (214, "returned", "2025-03-11")
    assert "commissioner" in first["claimant"].lower()
    assert (second["value"], second["qualifier"]) == (9000, "more than")
    assert first["file"] == str(f) and first["text"] == ACCEPTANCE


def test_offsets_index_the_file_text_exactly_even_with_crlf_and_several_files(tmp_path: Path) -> None:
    a = tmp_path / "a.txt"
    b = tmp_path / "b.txt"
    a.write_bytes("Header line\r\n\r\nOfficials said 19\u00a0546 children were deported.\r\n".encode())
    b.write_text("Уповноважений заявив, що повернуто 388 дітей.", encoding="utf-8")
    rows = run(str(a), str(b), "--format", "jsonl")
    texts = {str(a): a.read_bytes().decode(), str(b): b.read_text(encoding="utf-8")}
    assert [texts[r["file"]][r["start"]:r["end"]] for r in rows] == ["19\u00a0546", "388"]


def test_standard_input_is_read_with_a_dash() -> None:
    rows = run("-", "--format", "jsonl", input="Officials said 214 children had been returned.")
    assert rows[0]["file"] == "-" and rows[0]["value"] == 214


def test_a_bad_publication_date_is_a_usage_error(tmp_path: Path) -> None:
    f = tmp_path / "r.txt"
    f.write_text("x", encoding="utf-8")
    result = CliRunner().invoke(claims, ["extract", str(f), "--published", "14/03/2025"])
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.output


def test_help_shows_examples() -> None:
    result = CliRunner().invoke(claims, ["extract", "--help"])
    assert "Examples:" in result.output and "--published 2025-03-14" in result.output


def test_the_installed_command_works_without_django_settings(tmp_path: Path) -> None:
    f = tmp_path / "r.txt"
    f.write_text(ACCEPTANCE, encoding="utf-8")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", "from homeward.cli import main; main()", "claims", "extract",
                          str(f), "--format", "jsonl", "--published", "2025-03-14"],
                         capture_output=True, text=True, env=env, check=False)
    assert out.returncode == 0, out.stderr
    assert [json.loads(line)["value"] for line in out.stdout.splitlines()] == [214, 9000]


def test_each_claim_carries_its_trace_with_the_dropped_numbers_of_its_sentence(tmp_path: Path) -> None:
    f = tmp_path / "r.txt"
    f.write_text("Officials said 214 children aged 6 to 17 had been returned from 3 regions.", encoding="utf-8")
    (row,) = run(str(f), "--published", "2025-03-14")
    steps = [s["step"] for s in row["trace"]["steps"]]
    assert steps[:3] == ["sentence", "number", "noun"] and "event" in steps and "claimant" in steps
    dropped = {d["text"]: d["reason"] for d in row["trace"]["dropped"]}
    assert "3" in dropped and "regions" in dropped["3"]
    text = f.read_text(encoding="utf-8")
    assert all(text[d["start"]:d["end"]] == d["text"] for d in row["trace"]["dropped"])


def test_a_csv_manifest_gives_each_report_its_publication_date_and_outlet(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("The commissioner said on Tuesday that 214 children had been returned.",
                                    encoding="utf-8")
    (tmp_path / "b.txt").write_text("Понад 300 депортованих дітей вдалося повернути.", encoding="utf-8")
    m = tmp_path / "reports.csv"
    m.write_text("file,published,outlet,language\na.txt,2025-03-14,Reuters,en\nb.txt,2023-03-21,Укрінформ,uk\n",
                 encoding="utf-8")
    rows = run("--manifest", str(m))
    assert [(r["file"], r["value"], r["as_of"], r["claimant"]) for r in rows] == [
        ("a.txt", 214, "2025-03-11", "The commissioner"), ("b.txt", 300, "2023-03-21", "Укрінформ")]


def test_a_jsonl_manifest_works_like_a_csv_one(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Officials said 19,546 children were deported.", encoding="utf-8")
    m = tmp_path / "reports.jsonl"
    m.write_text(json.dumps({"file": "a.txt", "published": "2025-06-02", "outlet": "AP", "language": "en"}) + "\n",
                 encoding="utf-8")
    (row,) = run("--manifest", str(m))
    assert (row["value"], row["quantity"], row["as_of"]) == (19546, "deported", "2025-06-02")


def test_a_bad_manifest_row_names_the_file_row_and_field(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Officials said 19,546 children were deported.", encoding="utf-8")
    m = tmp_path / "reports.csv"
    m.write_text("file,published,outlet,language\na.txt,14/03/2025,AP,en\n", encoding="utf-8")
    result = CliRunner().invoke(claims, ["extract", "--manifest", str(m)])
    assert result.exit_code == 1
    assert f"{m}, row 2, field \"published\"" in result.output and result.output.count("{") == 0


def test_date_and_source_front_matter_is_honoured_and_offsets_stay_in_the_file(tmp_path: Path) -> None:
    f = tmp_path / "r.txt"
    f.write_text("DATE: 2024-11-22\nSOURCE: Reuters\n\nUkraine had returned 46 Russian citizens on Friday.\n",
                 encoding="utf-8")
    (row,) = run(str(f))
    text = f.read_text(encoding="utf-8")
    assert (row["value"], row["as_of"], row["claimant"]) == (46, "2024-11-22", "Reuters")
    assert text[row["start"]:row["end"]] == "46"
