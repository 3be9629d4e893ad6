"""Registry through the API: creation, validation with field names, optimistic locking, transitions."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def post(client, path, body, headers):
    return client.post(path, body, content_type="application/json", **headers)


def test_token_is_obtained_with_username_and_password(client, users):
    resp = post(client, "/api/v1/auth/token", {"username": "ua-officer", "password": "pw-ua-officer"}, {})
    assert resp.status_code == 200
    assert resp.json()["token"].startswith("hw_")


def test_token_is_stored_hashed(client, users):
    from homeward.accounts.models import ApiToken

    creds = {"username": "ua-officer", "password": "pw-ua-officer"}
    token = post(client, "/api/v1/auth/token", creds, {}).json()["token"]
    assert not ApiToken.objects.filter(key_hash=token).exists()
    assert ApiToken.objects.get().prefix == token[:8]


def test_wrong_password_is_401_and_repeated_failures_are_throttled(client, users):
    for _ in range(5):
        assert post(client, "/api/v1/auth/token", {"username": "ua-officer", "password": "nope"}, {}).status_code == 401
    resp = post(client, "/api/v1/auth/token", {"username": "ua-officer", "password": "pw-ua-officer"}, {})
    assert resp.status_code == 429


def test_officer_creates_child_for_own_party(client, token_for):
    resp = post(client, "/api/v1/children", {"given_name": "Софія", "surname": "Мельник", "sex": "F",
                                             "birth_date": "2013-07-01",
                                             "name_forms": [{"given_name": "Sofia", "surname": "Melnyk",
                                                             "kind": "other_script", "source": "passport"}]},
                token_for("ua"))
    assert resp.status_code == 201, resp.content
    body = resp.json()
    assert body["party"] == "UA"
    assert body["name_forms"][0]["surname"] == "Melnyk"


@pytest.mark.parametrize("body,field", [
    ({"surname": "A", "birth_date": "2015-02-31"}, "birth_date"),
    ({"surname": "A", "sex": "X"}, "sex"),
    ({"surname": "A" * 101}, "surname"),
    ({"surname": "A", "separation_category": "kidnapped-by-aliens"}, "separation_category"),
])
def test_invalid_child_is_422_naming_the_field_and_saves_nothing(client, token_for, body, field):
    from homeward.registry.models import Child

    resp = post(client, "/api/v1/children", body, token_for("ua"))
    assert resp.status_code == 422
    assert field in resp.json()["errors"]
    assert Child.objects.count() == 0


def test_missing_required_person_fields_are_named(client, token_for):
    resp = post(client, "/api/v1/persons", {"given_name": "Ольга"}, token_for("ua"))
    assert resp.status_code == 422
    assert {"surname", "relationship"} <= set(resp.json()["errors"])


def test_second_concurrent_update_is_refused_with_conflict(client, token_for, ua_child):
    headers = token_for("ua")
    first = client.put(f"/api/v1/children/{ua_child.pk}", {"version": 1, "surname": "Перший"},
                       content_type="application/json", **headers)
    second = client.put(f"/api/v1/children/{ua_child.pk}", {"version": 1, "surname": "Другий"},
                        content_type="application/json", **headers)
    assert first.status_code == 200
    assert second.status_code == 409
    ua_child.refresh_from_db()
    assert ua_child.surname == "Перший"


def test_mediator_moves_case_along_the_workflow(client, token_for, ua_child):
    headers = token_for("mediator")
    resp = post(client, f"/api/v1/cases/{ua_child.case.pk}/transitions", {"to": "located"}, headers)
    assert resp.status_code == 200
    assert resp.json()["status"] == "located"
    assert "verifying" in resp.json()["allowed_transitions"]


def test_illegal_transition_is_refused_and_changes_nothing(client, token_for, ua_child):
    resp = post(client, f"/api/v1/cases/{ua_child.case.pk}/transitions", {"to": "reunited"}, token_for("mediator"))
    assert resp.status_code == 409
    assert "cannot move" in resp.json()["detail"]
    ua_child.case.refresh_from_db()
    assert ua_child.case.status == "reported"
    assert ua_child.case.events.count() == 1


def test_party_officer_may_withdraw_own_case_with_reason_only(client, token_for, ua_child):
    path = f"/api/v1/cases/{ua_child.case.pk}/transitions"
    headers = token_for("ua")
    assert post(client, path, {"to": "withdrawn"}, headers).status_code == 409
    resp = post(client, path, {"to": "withdrawn", "reason": "Family found the child"}, headers)
    assert resp.status_code == 200
    assert resp.json()["events"][-1]["actor_party"] == "UA"


def test_party_officer_cannot_locate_a_case(client, token_for, ua_child):
    resp = post(client, f"/api/v1/cases/{ua_child.case.pk}/transitions", {"to": "located"}, token_for("ua"))
    assert resp.status_code == 409


def test_every_api_route_appears_in_openapi(client):
    import re

    from homeward.api import api

    patterns = api.urls[0]
    documented = {p.rstrip("/") for p in client.get("/api/v1/openapi.json").json()["paths"]}
    routes = []
    for pattern in patterns:
        route = str(pattern.pattern)
        if not route or route.startswith(("openapi.json", "docs")):
            continue
        routes.append("/api/v1/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route).rstrip("/"))
    assert "/api/v1/children/{child_id}" in routes
    missing = [r for r in routes if r not in documented]
    assert not missing


def test_api_docs_page_is_served(client):
    assert client.get("/api/v1/docs").status_code == 200


def test_api_vocabularies_equal_the_model_choices():
    from typing import get_args

    from homeward.registry.schemas import VOCABULARIES

    for literal, choices in VOCABULARIES.items():
        assert set(get_args(literal)) == set(choices.values)


def test_a_page_of_children_carries_each_childs_name_forms_and_a_page_of_cases_each_cases_events(client, token_for):
    headers = token_for("ua")
    made = {}
    for surname, latin in (("Мельник", "Melnyk"), ("Коваль", "Koval")):
        body = post(client, "/api/v1/children", {"given_name": "Софія", "surname": surname, "name_forms": [
            {"given_name": "Sofia", "surname": latin, "kind": "other_script", "source": "passport"},
            {"given_name": "Sofiia", "surname": latin + "a", "kind": "other_script", "source": "birth certificate"}]},
            headers).json()
        made[body["id"]] = latin
        assert post(client, "/api/v1/cases", {"child_id": body["id"]}, headers).status_code == 201
    items = {c["id"]: c for c in client.get("/api/v1/children?limit=50", **headers).json()["items"]}
    for pk, latin in made.items():
        assert sorted(f["surname"] for f in items[pk]["name_forms"]) == [latin, latin + "a"]
    cases = client.get("/api/v1/cases?limit=50", **headers).json()["items"]
    assert {c["child_id"] for c in cases} == set(made)
    assert all([e["to_status"] for e in c["events"]] == ["reported"] for c in cases)
