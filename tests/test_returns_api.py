"""A return operation run entirely through the API: plan, add members, route, confirm, sign, travel."""

from __future__ import annotations

import pytest

from tests.factories import cleared_case

pytestmark = pytest.mark.django_db


def test_return_operation_through_the_api_from_planning_to_reunited(users, client, token_for):
    med, ru, ua = token_for("mediator"), token_for("ru"), token_for("ua")
    case = cleared_case(users["ru"], users["mediator"], surname="Соколова")
    base = "/api/v1/returns"

    def post(url, payload, auth, status=200):
        resp = client.post(base + url, payload, content_type="application/json", **auth)
        assert resp.status_code == status, resp.content
        return resp.json()

    assert client.post(base + "/operations", {}, content_type="application/json", **ru).status_code == 422
    op = post("/operations", {"name": "Return operation Tallinn", "from_party": "RU", "to_party": "UA",
                              "planned_start": "2026-04-01", "planned_end": "2026-04-03", "capacity": 4}, med, 201)
    oid = op["id"]
    op = post(f"/operations/{oid}/members", {"case_id": case.pk}, med, 201)
    op = post(f"/operations/{oid}/people", {"kind": "escort", "full_name": "Nurse Escort", "party": "QA",
                                            "role": "nurse", "medical_support": ""}, med, 201)
    assert op["people"] == 2 and op["children"] == 1
    post(f"/operations/{oid}/legs", {"from_place": "Moscow", "from_country": "Russia", "to_place": "Tallinn",
                                     "to_country": "Estonia", "mode": "road"}, med, 201)
    post(f"/operations/{oid}/hosting", {"place": "Embassy of Qatar", "city": "Moscow", "country": "Russia",
                                        "host": "QA", "starts": "2026-03-30T10:00Z", "ends": "2026-04-01T08:00Z"},
         med, 201)
    first = post(f"/operations/{oid}/handovers", {"before_leg": 1, "place": "Embassy", "country": "Russia",
                                                  "from_party": "RU", "to_party": "QA"}, med, 201)
    final = post(f"/operations/{oid}/handovers", {"before_leg": 2, "place": "Tallinn", "country": "Estonia",
                                                  "from_party": "QA", "to_party": "UA", "final": True}, med, 201)
    post(f"/operations/{oid}/status", {"to": "confirmed"}, med)

    resp = client.post(f"{base}/operations/{oid}/legs/1/start", **med)
    assert resp.status_code == 409 and any(str(first["id"]) in u for u in resp.json()["unmet"])

    h = client.get(f"{base}/handovers/{first['id']}", **ru).json()
    assert h["may_sign"] == ["handing"] and h["case_ids"] == [case.pk]
    post(f"/handovers/{first['id']}/signatures", {"side": "handing", "case_ids": [case.pk]}, ru, 201)
    h = post(f"/handovers/{first['id']}/signatures", {"side": "receiving", "case_ids": [case.pk]}, med, 201)
    assert h["completed_at"] and len(h["signatures"]) == 2 and h["signatures"][0]["ledger_index"] is not None
    post(f"/operations/{oid}/legs/1/start", {}, med)
    post(f"/operations/{oid}/legs/1/arrive", {}, med)
    post(f"/handovers/{final['id']}/signatures", {"side": "handing", "case_ids": [case.pk]}, med, 201)
    resp = client.post(f"{base}/handovers/{final['id']}/signatures", {"side": "receiving", "case_ids": [case.pk]},
                       content_type="application/json", **ua)
    assert resp.status_code == 201
    op = client.get(f"{base}/operations/{oid}", **med).json()
    assert op["status"] == "completed"
    child = next(m for m in op["members"] if m["kind"] == "child")
    assert child["case_status"] == "reunited" and child["custodian"] == "UA"
    # UA received the child but the record is RU's: UA sees the reference and status, not the name.
    op_ua = client.get(f"{base}/operations/{oid}", **ua).json()
    assert next(m for m in op_ua["members"] if m["kind"] == "child")["name"] is None
    assert "Соколова" not in client.get(f"{base}/operations/{oid}", **ua).content.decode()
