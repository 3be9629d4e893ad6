"""Leg manifests (PDF): access-controlled, minimum data, watermarked; and the operations CLI."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from tests.factories import cleared_case, planned_operation

pytestmark = pytest.mark.django_db


@pytest.fixture
def op(users, parties):
    from homeward.returns import services

    ru_case = cleared_case(users["ru"], users["mediator"], surname="Іванова", medical_needs="insulin")
    ua_case = cleared_case(users["ua"], users["mediator"], surname="Петренко")
    operation = planned_operation(users, parties, [ru_case, ua_case])
    services.add_person(users["mediator"], operation, kind="escort", full_name="Doctor Escort",
                        party=parties["QA"], role="doctor", medical_support="")
    return operation


def test_manifest_rows_for_mediator_hold_every_member_with_minimum_data(op, users):
    from homeward.returns import manifest

    rows = manifest.rows(users["mediator"], op)
    assert len(rows) == 3
    names = [r.name for r in rows]
    assert any("Іванова" in n for n in names) and any("Петренко" in n for n in names)
    child = next(r for r in rows if "Іванова" in r.name)
    assert child.medical == "yes" and "insulin" not in repr(child)  # a flag, not the diagnosis
    assert child.reference.startswith("#")


def test_manifest_for_a_party_officer_lists_only_its_own_children(op, users):
    from homeward.returns import manifest

    ua_rows = manifest.rows(users["ua"], op)
    assert [r.name.split()[0] for r in ua_rows] == ["Петренко"]
    ru_rows = manifest.rows(users["ru"], op)
    assert [r.name.split()[0] for r in ru_rows] == ["Іванова"]


def test_manifest_pdf_is_watermarked_with_viewer_and_time(op, users, client):
    import datetime as dt

    from homeward.returns import manifest

    when = dt.datetime(2026, 1, 10, 8, 30, tzinfo=dt.UTC)
    mark = manifest.watermark_text(users["ua"], when)
    assert "ua-officer (UA)" in mark and "2026-01-10 08:30" in mark
    pdf = manifest.render(users["ua"], op, op.legs.first(), at=when)
    assert pdf.startswith(b"%PDF")
    client.force_login(users["ua"])
    resp = client.get(f"/returns/{op.pk}/legs/1/manifest.pdf")
    assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf"
    from homeward.accounts.models import AuditEvent

    assert AuditEvent.objects.filter(action="export", object_id=str(op.pk), user=users["ua"]).exists()


def test_manifest_api_returns_pdf_to_involved_party_and_404_for_missing_leg(op, client, token_for):
    resp = client.get(f"/api/v1/returns/operations/{op.pk}/legs/2/manifest", **token_for("ru"))
    assert resp.status_code == 200 and resp.content.startswith(b"%PDF")
    assert client.get(f"/api/v1/returns/operations/{op.pk}/legs/9/manifest", **token_for("ru")).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_operations_cli_lists_operations_and_writes_a_manifest(users, parties, tmp_path):
    from homeward.cli import main

    case = cleared_case(users["ua"], users["mediator"], surname="Кравець")
    op = planned_operation(users, parties, [case])
    runner = CliRunner()
    result = runner.invoke(main, ["operations", "list"], catch_exceptions=False)
    assert result.exit_code == 0
    line = next(line for line in result.output.splitlines() if "Return operation Riga" in line)
    assert "RU → UA" in line and "confirmed" in line and "1 people" in line
    out = tmp_path / "m.pdf"
    result = runner.invoke(main, ["operations", "manifest", str(op.pk), "--leg", "1", "--out", str(out)],
                           catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF")
    assert "Кравець" not in result.output
    result = runner.invoke(main, ["operations", "manifest", str(op.pk), "--leg", "7", "--out", str(out)])
    assert result.exit_code == 1 and "no leg 7" in result.output


def test_manifest_pdf_text_holds_only_the_viewers_children_and_the_watermark(op, users, tmp_path):
    import shutil
    import subprocess

    from homeward.returns import manifest

    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    path = tmp_path / "ua.pdf"
    path.write_bytes(manifest.render(users["ua"], op, op.legs.first()))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Петренко" in text and "Іванова" not in text and "Doctor Escort" not in text
    assert "Viewed by ua-officer (UA)" in text
