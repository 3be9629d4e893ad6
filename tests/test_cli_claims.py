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
    assert [list(r) for r in rows] == [FIELDS, FIELDS]
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
