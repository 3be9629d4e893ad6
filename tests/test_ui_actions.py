"""Safe irreversible actions: no preselected decision, a confirmation step that says what will happen before
names are sent, answers recorded, cases moved or anything appended to the ledger, and buttons with nothing to
act on disabled with the reason shown."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.test import Client

from homeward.exchange import services
from homeward.exchange.models import EntryResponse, ListEntry
from homeward.ledger.models import LedgerEntry
from tests.factories import ua_csv

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_matching(settings: Any) -> None:
    settings.EXCHANGE_MATCH_ON_IMPORT = False


@pytest.fixture
def version(users, parties):
    return services.import_list(users["ua"], party=parties["UA"], title="Sought in RU", filename="l.csv",
                                data=ua_csv()).version


def test_forwarding_asks_for_confirmation_naming_count_and_party_and_sends_nothing(client, users, version):
    client.force_login(users["mediator"])
    ledger_before = LedgerEntry.objects.count()
    resp = client.post(f"/lists/versions/{version.pk}/forward/", {"scope": "all"})
    body = resp.content.decode()
    n = version.entries.count()
    assert resp.status_code == 200
    assert f"{n} names of “Sought in RU” v1 will be sent to RU." in body
    assert "recorded in the ledger" in body and f"Forward {n} names to RU" in body
    assert ListEntry.objects.filter(forwarding__isnull=False).count() == 0
    assert LedgerEntry.objects.count() == ledger_before
    # the confirmation re-posts exactly the same request
    assert re.search(r'name="scope" value="all"', body) and 'name="confirmed" value="1"' in body
    client.post(f"/lists/versions/{version.pk}/forward/", {"scope": "all", "confirmed": "1"})
    assert ListEntry.objects.filter(forwarding__isnull=True).count() == 0
    assert LedgerEntry.objects.count() == ledger_before + 1


def test_forward_all_is_disabled_with_the_reason_when_nothing_is_left(client, users, version):
    services.forward(users["mediator"], version, None)
    client.force_login(users["mediator"])
    body = client.get(f"/lists/versions/{version.pk}/").content.decode()
    button = re.search(r'<button[^>]*id="fwd-all"[^>]*>', body).group(0)
    assert "disabled" in button
    assert "Every name of this version has been forwarded already." in body
    resp = client.post(f"/lists/versions/{version.pk}/forward/", {"scope": "all"}, follow=True)
    assert "Nothing to forward" in resp.content.decode()


def test_no_answer_or_decision_is_preselected(client, users, version):
    services.forward(users["mediator"], version, None)
    client.force_login(users["ru"])
    body = client.get(f"/lists/versions/{version.pk}/").content.decode()
    selects = re.findall(r'<select name="status"[^>]*>(.*?)</select>', body, re.S)
    assert len(selects) == version.entries.count() + 1  # one per row and the bulk one
    for options in selects:
        selected = re.findall(r'<option value="([^"]*)"[^>]*selected', options)
        assert selected == [""], selected


def test_answering_with_nothing_ticked_explains_instead_of_404(client, users, version):
    services.forward(users["mediator"], version, None)
    client.force_login(users["ru"])
    resp = client.post(f"/lists/versions/{version.pk}/respond/", {"status": "located"}, follow=True)
    assert resp.status_code == 200
    assert "Tick at least one name to answer." in resp.content.decode()


def test_answers_need_a_chosen_answer_then_a_confirmation(client, users, version):
    services.forward(users["mediator"], version, None)
    entry = version.entries.order_by("row").first()
    client.force_login(users["ru"])
    resp = client.post(f"/lists/versions/{version.pk}/respond/", {"entry": entry.pk, "status": ""}, follow=True)
    assert "Choose an answer first" in resp.content.decode()
    resp = client.post(f"/lists/versions/{version.pk}/respond/", {"entry": entry.pk, "status": "located"})
    assert resp.status_code == 200 and "1 name will be answered “Located”." in resp.content.decode()
    assert not EntryResponse.objects.exists()
    client.post(f"/lists/versions/{version.pk}/respond/", {"entry": entry.pk, "status": "located", "confirmed": "1"})
    assert EntryResponse.objects.get().status == "located"


def test_case_transition_is_confirmed_and_a_refused_move_is_never_confirmed(client, users, ua_child):
    client.force_login(users["mediator"])
    case = ua_child.case
    resp = client.post(f"/cases/{case.pk}/transition/", {"to": "located", "version": case.version})
    assert resp.status_code == 200 and "The case moves from “Reported” to “Located”." in resp.content.decode()
    case.refresh_from_db()
    assert case.status == "reported"
    resp = client.post(f"/cases/{case.pk}/transition/", {"to": "withdrawn", "version": case.version}, follow=True)
    assert "Give a reason" in resp.content.decode() and "Check before you confirm" not in resp.content.decode()
    client.post(f"/cases/{case.pk}/transition/", {"to": "located", "version": case.version, "confirmed": "1"})
    case.refresh_from_db()
    assert case.status == "located"


def test_preview_buttons_say_what_they_do(client, users, parties):
    client.force_login(users["ua"])
    bad = ua_csv() + "Без;Дати;Іванівна;31.02.2013;ж;Херсон\n".encode("cp1251")
    resp = client.post("/lists/upload/", {"title": "T", "concerning": parties["RU"].pk, "file": io.BytesIO(bad)},
                       format="multipart")
    body = client.get(resp["Location"]).content.decode()
    assert "valid rows; set the invalid aside" in body and "Reject the whole file" in body
    assert not re.search(r">\s*Import\s*<", body)  # no bare "Import" that in fact rejects


def test_rejection_page_offers_the_way_on(client, users, parties):
    from homeward.exchange.models import ListRejection

    client.force_login(users["ua"])
    bad = ua_csv() + "Без;Дати;Іванівна;31.02.2013;ж;Херсон\n".encode("cp1251")
    resp = client.post("/lists/upload/", {"title": "T", "concerning": parties["RU"].pk, "file": io.BytesIO(bad)},
                       format="multipart")
    url = resp["Location"]
    reject_form = client.get(url).content.decode().rsplit("<form", 1)[1]
    fields = dict(re.findall(r'name="(map_[a-z_]+)" value="([^"]*)"', reject_form))
    assert fields and 'id="reject-file"' in reject_form
    client.post(url, {"action": "confirm", **fields})  # the second form: reject the whole file
    rej = ListRejection.objects.get()
    body = client.get(f"/lists/rejections/{rej.pk}/").content.decode()
    assert 'id="reupload"' in body and "valid_only=1" in body


def test_handover_signature_needs_the_ticked_confirmation(client, users, parties):
    from tests.factories import cleared_case, planned_operation

    case = cleared_case(users["ru"], users["mediator"], surname="Шевченко")
    op = planned_operation(users, parties, [case])
    first = op.handovers.get(before_leg=1)
    client.force_login(users["ru"])
    page = client.get(f"/returns/handovers/{first.pk}/").content.decode()
    assert "The signature is recorded in the ledger and cannot be withdrawn." in page
    resp = client.post(f"/returns/handovers/{first.pk}/", {"side": "handing", "case_ids": [case.pk]}, follow=True)
    assert "Tick the confirmation first" in resp.content.decode() and not first.signatures.exists()
    client.post(f"/returns/handovers/{first.pk}/", {"side": "handing", "case_ids": [case.pk], "confirm": "on"})
    assert first.signatures.count() == 1


def test_an_expired_form_gets_a_styled_403_with_the_navigation(users):
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(users["mediator"])
    resp = csrf_client.post("/tracing/new/", {"surname": "x"})
    body = resp.content.decode()
    assert resp.status_code == 403
    assert "The form has expired" in body and 'aria-label="Main"' in body
