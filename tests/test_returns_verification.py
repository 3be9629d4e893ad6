"""Verification before clearance: the checklist gate, encrypted evidence, justified exceptions, and the
refusal to let an unverified case join a return operation (page and API)."""

from __future__ import annotations

import datetime as dt
import os
import stat
from pathlib import Path

import pytest

from tests.factories import cleared_case, make_child

pytestmark = pytest.mark.django_db


def _verifying(user, mediator, **fields):
    from homeward.registry import services as registry

    case = make_child(user, **fields).case
    for step in ("located", "verifying"):
        case.refresh_from_db()
        registry.transition(mediator, case, step)
    case.refresh_from_db()
    return case


def test_clearance_gate_names_every_missing_checklist_item(users):
    from homeward.exceptions import TransitionError
    from homeward.registry import services as registry
    from homeward.returns import services

    case = _verifying(users["ua"], users["mediator"])
    with pytest.raises(TransitionError) as err:
        registry.transition(users["mediator"], case, "cleared_for_return")
    assert len(err.value.unmet) == 5
    assert "Best-interests assessment" in err.value.unmet
    assert "Коваленко" not in str(err.value) and "Ткаченко" not in str(err.value)

    services.add_document(users["ua"], case, "identity", "birth_certificate", description="copy")
    services.confirm_item(users["mediator"], case, "identity")
    with pytest.raises(TransitionError) as err:
        registry.transition(users["mediator"], case, "cleared_for_return")
    assert "Child's identity confirmed" not in err.value.unmet and len(err.value.unmet) == 4
    case.refresh_from_db()
    assert case.status == "verifying"


def test_an_item_needs_evidence_and_a_mediator_to_confirm_it(users):
    from homeward.exceptions import InputError, NotFound
    from homeward.returns import services
    from homeward.returns.models import Verification

    case = _verifying(users["ua"], users["mediator"])
    with pytest.raises(InputError):
        services.confirm_item(users["mediator"], case, "relationship")
    services.add_document(users["ua"], case, "relationship", "guardianship_order")
    with pytest.raises(NotFound):
        services.confirm_item(users["ua"], case, "relationship")  # a party officer does not confirm
    with pytest.raises(NotFound):
        services.add_document(users["ru"], case, "relationship", "court_decision")  # not RU's child
    services.confirm_item(users["mediator"], case, "relationship", notes="Court decision checked")
    v = Verification.objects.get(case=case, item="relationship")
    assert v.confirmed_by == users["mediator"] and v.confirmed_at is not None


def test_evidence_files_are_encrypted_at_rest_with_a_key_outside_the_database(users, settings, tmp_path):
    from homeward.returns import files, services

    settings.HOME = tmp_path
    case = _verifying(users["ua"], users["mediator"])
    secret = "Свідоцтво про народження Ткаченко 2014".encode()
    doc = services.add_document(users["ua"], case, "identity", "birth_certificate", data=secret,
                                content_type="text/plain")
    stored = tmp_path / "evidence" / doc.stored_name
    assert stored.exists() and secret not in stored.read_bytes()
    key = Path(tmp_path) / "keys" / "evidence.key"
    assert stat.S_IMODE(os.stat(key).st_mode) == 0o600
    assert files.load(doc.stored_name) == secret
    assert doc.size == len(secret) and len(doc.sha256) == 64


def test_evidence_download_is_scoped_and_other_party_gets_404(users, client, settings, tmp_path):
    from homeward.returns import services

    settings.HOME = tmp_path
    case = _verifying(users["ua"], users["mediator"])
    doc = services.add_document(users["ua"], case, "identity", "passport", data=b"scan-bytes")
    client.force_login(users["ru"])
    assert client.get(f"/returns/documents/{doc.pk}/").status_code == 404
    assert client.get(f"/returns/cases/{case.pk}/verification/").status_code == 404
    client.force_login(users["mediator"])
    resp = client.get(f"/returns/documents/{doc.pk}/")
    assert resp.status_code == 200 and resp.content == b"scan-bytes"


def test_justified_exception_allows_clearance_and_stays_flagged(users):
    from homeward.exceptions import InputError
    from homeward.registry import services as registry
    from homeward.returns import checklist, services

    case = _verifying(users["ua"], users["mediator"])
    with pytest.raises(InputError):
        services.record_exception(users["mediator"], case, "short")
    services.record_exception(users["mediator"], case, "Medical evacuation: documents to follow within 30 days")
    registry.transition(users["mediator"], case, "cleared_for_return")
    case.refresh_from_db()
    assert case.status == "cleared_for_return"
    assert checklist.is_flagged(case) and checklist.unmet(case) == []


def test_operation_page_refuses_an_unverified_case_naming_missing_items(users, parties, client):
    from homeward.registry.models import Case
    from homeward.returns import services

    op = services.create_operation(users["mediator"], name="Return operation A", from_party=parties["RU"],
                                   to_party=parties["UA"], planned_start=dt.date(2026, 1, 1),
                                   planned_end=dt.date(2026, 1, 2))
    case = _verifying(users["ua"], users["mediator"])
    Case.objects.filter(pk=case.pk).update(status="cleared_for_return")  # cleared before the gate existed
    client.force_login(users["mediator"])
    resp = client.post(f"/returns/{op.pk}/members/", {"case_id": case.pk}, follow=True)
    body = resp.content.decode()
    assert "cannot join" in body and "Best-interests assessment" in body and "Medical needs assessed" in body
    assert not op.members.exists()


def test_api_refuses_an_unverified_case_with_409_and_the_missing_items(users, parties, client, token_for):
    from homeward.returns import services

    op = services.create_operation(users["mediator"], name="Return operation B", from_party=parties["RU"],
                                   to_party=parties["UA"], planned_start=dt.date(2026, 1, 1),
                                   planned_end=dt.date(2026, 1, 2))
    case = _verifying(users["ua"], users["mediator"])
    resp = client.post(f"/api/v1/returns/operations/{op.pk}/members", {"case_id": case.pk},
                       content_type="application/json", **token_for("mediator"))
    assert resp.status_code == 409
    unmet = resp.json()["unmet"]
    assert any("cleared for return" in u for u in unmet)
    assert "Child's identity confirmed" in unmet and len(unmet) == 6
    good = cleared_case(users["ua"], users["mediator"], surname="Мельник")
    resp = client.post(f"/api/v1/returns/operations/{op.pk}/members", {"case_id": good.pk},
                       content_type="application/json", **token_for("mediator"))
    assert resp.status_code == 201
    assert [m["case_id"] for m in resp.json()["members"]] == [good.pk]


def test_verification_api_flow_and_other_party_404(users, client, token_for, settings, tmp_path):
    settings.HOME = tmp_path
    case = _verifying(users["ua"], users["mediator"])
    url = f"/api/v1/returns/cases/{case.pk}/verification"
    ru = token_for("ru")
    assert client.get(url, **ru).status_code == 404
    assert "Ткаченко" not in client.get(url, **ru).content.decode()
    assert client.post(url + "/documents", {"item": "identity", "kind": "passport"}, **ru).status_code == 404
    assert client.post(url + "/exception", {"justification": "x" * 20}, content_type="application/json",
                       **token_for("mediator")).status_code == 201
    ua = token_for("ua")
    from django.core.files.uploadedfile import SimpleUploadedFile

    resp = client.post(url + "/documents", {"item": "medical", "kind": "medical_report", "description": "GP",
                                            "file": SimpleUploadedFile("r.txt", b"report", "text/plain")}, **ua)
    assert resp.status_code == 201, resp.content
    doc = resp.json()["items"][4]["documents"][0]
    assert doc["has_file"] is True
    assert client.get(f"/api/v1/returns/documents/{doc['id']}", **ua).content == b"report"
    assert client.get(f"/api/v1/returns/documents/{doc['id']}", **ru).status_code == 404
    assert client.post(url + "/confirm", {"item": "medical"}, content_type="application/json",
                       **ua).status_code == 404  # only mediators confirm
    resp = client.post(url + "/confirm", {"item": "medical"}, content_type="application/json",
                       **token_for("mediator"))
    assert resp.status_code == 200 and resp.json()["items"][4]["confirmed"] is True
    assert resp.json()["flagged"] is True and resp.json()["complete"] is True


def test_verification_page_shows_checklist_to_own_party_and_404_to_others(users, client):
    case = _verifying(users["ua"], users["mediator"])
    client.force_login(users["ua"])
    resp = client.get(f"/returns/cases/{case.pk}/verification/")
    assert resp.status_code == 200 and "Best-interests assessment" in resp.content.decode()
    for key in ("ru", "ngo", "auditor"):
        client.force_login(users[key])
        resp = client.get(f"/returns/cases/{case.pk}/verification/")
        assert resp.status_code == 404 and "Ткаченко" not in resp.content.decode()
