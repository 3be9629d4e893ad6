"""Every returns page, API route and export: another party's user gets 404 and sees no personal data;
a party that takes part in an operation sees only its own children's personal data."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import cleared_case, planned_operation

pytestmark = pytest.mark.django_db

RU_NAME = "Шевченко-Секретна"
UA_NAME = "Бондаренко-Таємна"


@pytest.fixture
def outsider(parties):
    """An officer of an authority that takes no part in the operation."""
    from homeward.accounts.models import Party, User

    party = Party.objects.create(code="PL", name="Poland", kind="authority")
    user = User(username="pl-officer", party=party, role="party_officer")
    user.set_password("pw-pl-officer")
    user.save()
    return user


@pytest.fixture
def world(users, parties, settings, tmp_path):
    """A confirmed RU → UA operation with an RU- and a UA-registered child, a follow-up and a document."""
    from homeward.returns import services
    from homeward.returns.models import FollowUp

    settings.HOME = tmp_path
    ru_case = cleared_case(users["ru"], users["mediator"], surname=RU_NAME)
    ua_case = cleared_case(users["ua"], users["mediator"], surname=UA_NAME)
    op = planned_operation(users, parties, [ru_case, ua_case])
    doc = services.add_document(users["ua"], ua_case, "identity", "passport", data=b"scan")
    services.schedule_follow_ups(ua_case, dt.date(2026, 2, 1))
    return {"op": op, "ru_case": ru_case, "ua_case": ua_case, "doc": doc,
            "handover": op.handovers.order_by("before_leg").first(),
            "follow_up": FollowUp.objects.filter(case=ua_case).first()}


def _page_urls(w):
    op, h = w["op"], w["handover"]
    return [f"/returns/{op.pk}/", f"/returns/{op.pk}/legs/1/manifest.pdf", f"/returns/handovers/{h.pk}/",
            f"/returns/cases/{w['ua_case'].pk}/verification/", f"/returns/documents/{w['doc'].pk}/"]


def _post_urls(w):
    op, h = w["op"], w["handover"]
    return [f"/returns/{op.pk}/status/", f"/returns/{op.pk}/members/", f"/returns/{op.pk}/people/",
            f"/returns/{op.pk}/members/{op.members.first().pk}/remove/", f"/returns/{op.pk}/legs/",
            f"/returns/{op.pk}/legs/1/start/", f"/returns/{op.pk}/legs/1/arrive/", f"/returns/{op.pk}/hosting/",
            f"/returns/{op.pk}/handovers/", f"/returns/handovers/{h.pk}/",
            f"/returns/cases/{w['ua_case'].pk}/verification/documents/",
            f"/returns/cases/{w['ua_case'].pk}/verification/confirm/",
            f"/returns/cases/{w['ua_case'].pk}/verification/exception/",
            f"/returns/cases/{w['ua_case'].pk}/close/", f"/returns/follow-ups/{w['follow_up'].pk}/"]


def _no_personal_data(resp):
    body = resp.content.decode(errors="replace")
    assert RU_NAME not in body and UA_NAME not in body


def test_operation_pages_and_manifest_are_404_for_another_partys_user(world, users, outsider, client):
    for user in (outsider, users["ngo"], users["auditor"]):
        client.force_login(user)
        assert client.get("/returns/new/").status_code == 404
        for url in _page_urls(world):
            resp = client.get(url)
            assert resp.status_code == 404, (user.username, url)
            _no_personal_data(resp)
        for url in _post_urls(world):
            resp = client.post(url, {"side": "handing", "case_id": world["ua_case"].pk, "to": "cancelled",
                                     "reason": "x", "item": "identity", "status": "done", "outcome": "well"})
            assert resp.status_code == 404, (user.username, url)
            _no_personal_data(resp)
    world["op"].refresh_from_db()
    assert world["op"].status == "confirmed" and world["op"].members.count() == 2


def test_operations_and_follow_up_lists_show_another_party_nothing(world, users, outsider, client):
    client.force_login(outsider)
    for url in ("/returns/", "/returns/follow-ups/?show=all"):
        resp = client.get(url)
        assert resp.status_code == 200
        assert "Return operation Riga" not in resp.content.decode()
        _no_personal_data(resp)
    for user in (users["ngo"], users["auditor"]):
        client.force_login(user)
        assert client.get("/returns/").status_code == 404
        assert client.get("/returns/follow-ups/").status_code == 404


def test_mediator_actions_are_404_for_party_officers_of_the_operation(world, users, client):
    client.force_login(users["ua"])
    assert client.get("/returns/new/").status_code == 404
    for url in _post_urls(world):
        if "handovers/" in url and "/returns/handovers/" in url or "follow-ups" in url or "documents/" in url:
            continue  # signing, follow-up visits and evidence are open to the party itself
        assert client.post(url, {"to": "cancelled", "reason": "x", "item": "identity"}).status_code == 404, url


def test_involved_party_sees_only_its_own_childrens_personal_data(world, users, client):
    op = world["op"]
    client.force_login(users["ua"])
    body = client.get(f"/returns/{op.pk}/").content.decode()
    assert UA_NAME in body and RU_NAME not in body
    assert f"#{world['ru_case'].pk}" in body  # the reference is shown, the child's data is not
    body = client.get(f"/returns/handovers/{world['handover'].pk}/").content.decode()
    assert UA_NAME in body and RU_NAME not in body
    client.force_login(users["ru"])
    body = client.get(f"/returns/{op.pk}/").content.decode()
    assert RU_NAME in body and UA_NAME not in body
    client.force_login(users["mediator"])
    body = client.get(f"/returns/{op.pk}/").content.decode()
    assert RU_NAME in body and UA_NAME in body


def test_api_routes_are_404_for_another_partys_user(world, users, outsider, client):
    from homeward.accounts.models import ApiToken

    op, h, case = world["op"], world["handover"], world["ua_case"]
    base = "/api/v1/returns"
    gets = [f"{base}/operations/{op.pk}", f"{base}/operations/{op.pk}/legs/1/manifest", f"{base}/handovers/{h.pk}",
            f"{base}/documents/{world['doc'].pk}",
            f"{base}/cases/{case.pk}/verification", f"{base}/cases/{case.pk}/custody"]
    posts = [(f"{base}/operations/{op.pk}/status", {"to": "cancelled", "reason": "x"}),
             (f"{base}/operations/{op.pk}/members", {"case_id": case.pk}),
             (f"{base}/operations/{op.pk}/people", {"kind": "adult", "full_name": "X", "party": "PL"}),
             (f"{base}/operations/{op.pk}/legs", {"from_place": "a", "from_country": "b", "to_place": "c",
                                                  "to_country": "d", "mode": "road"}),
             (f"{base}/operations/{op.pk}/legs/1/start", {}), (f"{base}/operations/{op.pk}/legs/1/arrive", {}),
             (f"{base}/operations/{op.pk}/hosting", {"place": "p", "city": "c", "country": "x", "host": "QA",
                                                     "starts": "2026-01-01T00:00Z", "ends": "2026-01-02T00:00Z"}),
             (f"{base}/operations/{op.pk}/handovers", {"before_leg": 1, "place": "p", "country": "c",
                                                       "from_party": "RU", "to_party": "QA"}),
             (f"{base}/handovers/{h.pk}/signatures", {"side": "handing", "case_ids": [case.pk]}),
             (f"{base}/cases/{case.pk}/verification/confirm", {"item": "identity"}),
             (f"{base}/cases/{case.pk}/verification/exception", {"justification": "x" * 20}),
             (f"{base}/follow-ups/{world['follow_up'].pk}", {"status": "done", "outcome": "well"}),
             (f"{base}/cases/{case.pk}/close", {"reason": "x"})]
    for user in (outsider, users["ngo"], users["auditor"]):
        auth = {"HTTP_AUTHORIZATION": "Bearer " + ApiToken.issue(user)}
        for url in gets:
            resp = client.get(url, **auth)
            assert resp.status_code == 404, (user.username, url)
            _no_personal_data(resp)
        for url, payload in posts:
            resp = client.post(url, payload, content_type="application/json", **auth)
            assert resp.status_code == 404, (user.username, url, resp.content)
            _no_personal_data(resp)
        resp = client.delete(f"{base}/operations/{op.pk}/members/{op.members.first().pk}", **auth)
        assert resp.status_code == 404
        resp = client.post(f"{base}/cases/{case.pk}/verification/documents", {"item": "identity", "kind": "passport"},
                           **auth)
        assert resp.status_code == 404
        resp = client.post(f"{base}/operations", {"name": "X", "from_party": "RU", "to_party": "UA",
                                                  "planned_start": "2026-01-01", "planned_end": "2026-01-02"},
                           content_type="application/json", **auth)
        assert resp.status_code == 404
        for url in (f"{base}/operations", f"{base}/follow-ups"):
            resp = client.get(url, **auth)
            assert resp.status_code == 200 and resp.json() == {"items": [], "count": 0}
    assert world["op"].members.count() == 2


def test_api_operation_detail_hides_other_partys_children(world, users, client, token_for):
    resp = client.get(f"/api/v1/returns/operations/{world['op'].pk}", **token_for("ua"))
    assert resp.status_code == 200
    members = {m["case_id"]: m for m in resp.json()["members"]}
    assert members[world["ua_case"].pk]["name"].startswith(UA_NAME)
    assert members[world["ru_case"].pk]["name"] is None
    assert members[world["ru_case"].pk]["birth_date"] is None
    assert RU_NAME not in resp.content.decode()
    assert members[world["ru_case"].pk]["custodian"] == "RU"


def _with_ru_medical_facts(world, users, parties):
    """The RU child needs medical support and an RU adult with a role travels: facts UA must not learn."""
    from homeward.returns import services

    ru_child = world["ru_case"].child
    ru_child.medical_needs = "insulin"
    ru_child.save(update_fields=["medical_needs"])
    op = world["op"]
    services.set_status(users["mediator"], op, "planning", reason="add an adult")
    op.refresh_from_db()
    services.add_person(users["mediator"], op, kind="adult", full_name="Грушевська Ганна", party=parties["RU"],
                        role="grandmother-secret-role", medical_support="wheelchair")
    op.refresh_from_db()
    return op


def test_ua_officer_sees_no_medical_count_over_ru_members_of_a_shared_operation(world, users, parties, client):
    op = _with_ru_medical_facts(world, users, parties)
    client.force_login(users["ua"])
    body = client.get(f"/returns/{op.pk}/").content.decode()
    assert "need medical support" not in body and "needs medical support" not in body
    assert "grandmother-secret-role" not in body
    client.force_login(users["ru"])
    body = client.get(f"/returns/{op.pk}/").content.decode()
    assert "2 members need medical support" in body
    assert "grandmother-secret-role" in body


def test_ua_officer_api_medical_support_counts_only_its_own_members(world, users, parties, client, token_for):
    op = _with_ru_medical_facts(world, users, parties)
    resp = client.get(f"/api/v1/returns/operations/{op.pk}", **token_for("ua"))
    assert resp.status_code == 200
    data = resp.json()
    assert data["medical_support"] == {"children": 0, "adults": 0, "total": 0}
    adults = [m for m in data["members"] if m["kind"] == "adult"]
    assert [m["role"] for m in adults] == [None]
    assert "grandmother-secret-role" not in resp.content.decode()
    listed = client.get("/api/v1/returns/operations", **token_for("ua")).json()["items"]
    assert [o["medical_support"]["total"] for o in listed if o["id"] == op.pk] == [0]
    mine = client.get(f"/api/v1/returns/operations/{op.pk}", **token_for("ru")).json()
    assert mine["medical_support"] == {"children": 1, "adults": 1, "total": 2}
    assert [m["role"] for m in mine["members"] if m["kind"] == "adult"] == ["grandmother-secret-role"]
