"""Audited reads: every response carrying personal data writes one audit row (actor, route, count, ids and
their digest) and never the data itself; the mediator's audit page filters by actor, route and object."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

SECRET = "Медичний-Секрет"


def _reads():
    from homeward.accounts.models import AuditEvent

    return list(AuditEvent.objects.filter(action="read").order_by("id"))


def _no_personal_data(events):
    for e in events:
        assert SECRET not in " ".join(str(v) for v in (e.route, e.ids, e.digest, e.object_id, e.object_type))
        assert "Бондар" not in e.route and "?" not in e.route


@pytest.mark.parametrize("path,object_type", [("/api/v1/children?limit=1000", "child"),
                                              ("/api/v1/persons", "person"),
                                              ("/api/v1/tracing-requests", "tracingrequest"),
                                              ("/api/v1/cases", "case")])
def test_ua_officer_api_list_page_writes_one_audit_row(client, token_for, users, path, object_type):
    """The issue's row: ``GET /api/v1/children?limit=1000`` returned full records and wrote 0 audit rows."""
    from homeward.accounts.audit import ids_digest
    from homeward.registry import services
    from homeward.registry.models import Person, TracingRequest
    from tests.factories import make_child

    child = make_child(users["ua"], surname="Бондар", medical_needs=SECRET)
    person = services.save_new(users["ua"], Person(surname="Бондар", relationship="mother", child=child))
    services.save_new(users["ua"], TracingRequest(requester=person, surname="Бондар"))
    make_child(users["ru"], surname="Чужий")
    headers = token_for("ua")
    before = len(_reads())
    resp = client.get(path, **headers)
    assert resp.status_code == 200
    new = _reads()[before:]
    assert len(new) == 1
    e = new[0]
    ids = [item["id"] for item in resp.json()["items"]]
    assert (e.user, e.party_code, e.object_type, e.via, e.count) == (users["ua"], "UA", object_type, "api", len(ids))
    assert e.route == "api/v1/" + path.split("?")[0].removeprefix("/api/v1/")
    assert e.ids == "," + ",".join(map(str, ids)) + ","
    assert e.digest == ids_digest(object_type, ids)
    _no_personal_data(new)


def test_children_search_page_edit_form_and_follow_ups_are_audited(client, users):
    from tests.factories import make_child

    child = make_child(users["ua"], surname="Бондар", medical_needs=SECRET)
    client.force_login(users["ua"])
    before = len(_reads())
    assert client.get("/children/?q=Бондар").status_code == 200
    assert client.get(f"/children/{child.pk}/edit/").status_code == 200
    assert client.get("/returns/follow-ups/").status_code == 200
    new = _reads()[before:]
    assert [(e.object_type, e.count) for e in new] == [("child", 1), ("child", 1), ("followup", 0)]
    assert new[0].ids == f",{child.pk}," and new[1].object_id == str(child.pk)
    _no_personal_data(new)


def test_empty_list_is_audited_too(client, token_for, users):
    make = client.get("/api/v1/children", **token_for("auditor"))
    assert make.status_code == 200
    e = _reads()[-1]
    assert (e.user, e.count, e.ids) == (users["auditor"], 0, "")


def test_mediator_audit_page_filters_by_actor_route_and_object(client, token_for, users):
    from tests.factories import make_child

    child = make_child(users["ua"], surname="Бондар")
    other = make_child(users["ru"], surname="Чужий")
    client.get("/api/v1/children", **token_for("ua"))
    client.get("/api/v1/children", **token_for("ru"))
    client.force_login(users["mediator"])

    def rows(query):
        resp = client.get("/audit/?" + query)
        assert resp.status_code == 200
        return [e.pk for e in resp.context["page"]]

    ua_reads = rows("actor=ua-officer&action=read")
    assert ua_reads and all(e.user == users["ua"] for e in _reads() if e.pk in ua_reads)
    assert set(rows("route=api/v1/children")) == {e.pk for e in _reads() if e.route == "api/v1/children"}
    by_object = rows(f"object_type=child&object_id={other.pk}&action=read")
    assert by_object and all(f",{other.pk}," in e.ids for e in _reads() if e.pk in by_object)
    assert not any(f",{child.pk}," in e.ids for e in _reads() if e.pk in by_object)


def test_audit_page_is_404_for_a_party_officer(client, users):
    client.force_login(users["ua"])
    assert client.get("/audit/?actor=ru-officer").status_code == 404
