"""Cross-party access through the API: another party's record is a 404 on every route, never a 403,
and never shows up in lists or counts."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.django_db


def ids(resp: Any) -> set[int]:
    assert resp.status_code == 200, resp.content
    return {item["id"] for item in resp.json()["items"]}


def test_mediator_list_includes_children_of_both_parties(client, token_for, ua_child, ru_child):
    resp = client.get("/api/v1/children", **token_for("mediator"))
    parties = {item["party"] for item in resp.json()["items"]}
    assert {"UA", "RU"} <= parties


def test_ua_officer_list_includes_only_ua_children(client, token_for, ua_child, ru_child):
    resp = client.get("/api/v1/children", **token_for("ua"))
    body = resp.json()
    assert {item["party"] for item in body["items"]} == {"UA"}
    assert body["count"] == 1
    assert "Иванова-Секретная" not in resp.content.decode()


def test_ua_officer_cannot_see_ru_child(client, token_for, ru_child):
    resp = client.get(f"/api/v1/children/{ru_child.pk}", **token_for("ua"))
    assert resp.status_code == 404
    assert "Иванова" not in resp.content.decode()


def test_missing_child_and_foreign_child_answer_identically(client, token_for, ru_child):
    headers = token_for("ua")
    foreign = client.get(f"/api/v1/children/{ru_child.pk}", **headers)
    missing = client.get("/api/v1/children/999999", **headers)
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json() == missing.json()


@pytest.mark.parametrize("method,path,body", [
    ("get", "/api/v1/children/{child}", None),
    ("put", "/api/v1/children/{child}", {"version": 1, "surname": "X"}),
    ("get", "/api/v1/cases/{case}", None),
    ("post", "/api/v1/cases/{case}/transitions", {"to": "withdrawn", "reason": "r"}),
    ("get", "/api/v1/persons/{person}", None),
    ("put", "/api/v1/persons/{person}", {"version": 1, "surname": "X", "relationship": "mother"}),
    ("get", "/api/v1/tracing-requests/{tracing}", None),
    ("put", "/api/v1/tracing-requests/{tracing}", {"version": 1}),
])
def test_every_detail_route_is_404_for_the_other_party(client, token_for, users, method, path, body):
    from homeward.registry import services
    from homeward.registry.models import Person, TracingRequest
    from tests.factories import make_child

    child = make_child(users["ru"], surname="Секретов")
    person = services.save_new(users["ru"], Person(surname="Секретова", relationship="mother", child=child,
                                                   phone="+7 000"))
    tracing = services.save_new(users["ru"], TracingRequest(requester=person, surname="Секретов"))
    url = path.format(child=child.pk, case=child.case.pk, person=person.pk, tracing=tracing.pk)
    kwargs: dict[str, Any] = token_for("ua")
    if body is not None:
        kwargs.update(data=body, content_type="application/json")
    resp = getattr(client, method)(url, **kwargs)
    assert resp.status_code == 404
    assert "Секрет" not in resp.content.decode()


@pytest.mark.parametrize("path", ["/api/v1/children", "/api/v1/persons", "/api/v1/tracing-requests",
                                  "/api/v1/cases", "/api/v1/case-statuses"])
def test_every_list_route_hides_the_other_party(client, token_for, users, path):
    from homeward.registry import services
    from homeward.registry.models import Person, TracingRequest
    from tests.factories import make_child

    child = make_child(users["ru"], surname="Секретов")
    person = services.save_new(users["ru"], Person(surname="Секретова", relationship="mother", child=child))
    services.save_new(users["ru"], TracingRequest(requester=person, surname="Секретов"))
    resp = client.get(path, **token_for("ua"))
    assert resp.status_code == 200
    assert resp.json()["count"] == 0
    assert "Секрет" not in resp.content.decode()


@pytest.mark.parametrize("path", ["/api/v1/children", "/api/v1/persons", "/api/v1/tracing-requests",
                                  "/api/v1/cases"])
def test_auditor_sees_no_personal_records(client, token_for, ua_child, ru_child, path):
    resp = client.get(path, **token_for("auditor"))
    assert resp.json()["count"] == 0


def test_auditor_cannot_create_children(client, token_for):
    resp = client.post("/api/v1/children", {"surname": "Test"}, content_type="application/json",
                       **token_for("auditor"))
    assert resp.status_code == 404


def test_party_sees_only_status_of_case_answering_its_submission(client, token_for, users, parties):
    from homeward.registry import services
    from homeward.registry.models import Case, Child

    child = services.save_new(users["ru"], Child(surname="Знайденко", given_name="Тарас"))
    case = services.open_case(users["ru"], child, requesting_party=parties["UA"])
    headers = token_for("ua")
    statuses = client.get("/api/v1/case-statuses", **headers).json()["items"]
    assert [s["id"] for s in statuses] == [case.pk]
    assert set(statuses[0]) == {"id", "status", "updated_at"}
    assert client.get(f"/api/v1/cases/{case.pk}", **headers).status_code == 404
    assert client.get(f"/api/v1/children/{child.pk}", **headers).status_code == 404
    assert Case.objects.count() == 1


def test_ngo_sees_shared_child_but_not_restricted_fields(client, token_for, users, parties):
    from tests.factories import make_child

    child = make_child(users["ua"], surname="Спільний", medical_needs="secret-med")
    child.shared_with.add(parties["NGO1"])
    resp = client.get(f"/api/v1/children/{child.pk}", **token_for("ngo"))
    assert resp.status_code == 200
    assert resp.json()["medical_needs"] is None
    assert "secret-med" not in resp.content.decode()


def test_anonymous_api_call_is_401(client, ua_child):
    assert client.get("/api/v1/children").status_code == 401


@pytest.mark.parametrize("role,expected", [("auditor", 0), ("ngo", 1)])
def test_case_statuses_answer_auditor_and_ngo_worker_without_a_server_error(client, token_for, users, parties,
                                                                            role, expected):
    """The issue's row: ``GET /api/v1/case-statuses`` as auditor or NGO worker gave 500 (FieldError)."""
    from tests.factories import make_child

    make_child(users["ru"], surname="Статусний")
    shared = make_child(users["ua"], surname="Спільний")
    shared.shared_with.add(parties["NGO1"])
    resp = client.get("/api/v1/case-statuses", **token_for(role))
    assert resp.status_code == 200
    assert resp.json()["count"] == expected
    assert "Статусний" not in resp.content.decode()
