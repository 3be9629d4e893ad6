"""Returns pages: operations list and calendar, operation page with route diagram, follow-up list and
closure, and the custody section the child page includes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from tests.factories import cleared_case, planned_operation

pytestmark = pytest.mark.django_db


@pytest.fixture
def completed(users, parties):
    """A completed RU → UA return operation with one UA-registered child."""
    from homeward.returns import services

    case = cleared_case(users["ua"], users["mediator"], surname="Руденко")
    op = planned_operation(users, parties, [case])
    signer = {"RU": users["ru"], "UA": users["ua"], "QA": users["mediator"]}
    for n in (1, 2, 3):
        for h in op.handovers.filter(before_leg=n):
            services.sign(signer[h.from_party.code], h, "handing")
            services.sign(signer[h.to_party.code], h, "receiving")
        leg = op.legs.filter(sequence=n).first()
        if leg:
            services.start_leg(users["mediator"], leg)
            services.arrive_leg(users["mediator"], leg)
    case.refresh_from_db()
    op.refresh_from_db()
    return op, case


def test_operations_list_and_calendar_show_the_operation(completed, client, users):
    op, _case = completed
    client.force_login(users["ua"])
    resp = client.get("/returns/?month=2026-01")
    body = resp.content.decode()
    assert resp.status_code == 200
    assert "Return operation Riga" in body and "RU → UA" in body and "January 2026" in body
    assert body.count(f'href="/returns/{op.pk}/"') >= 4  # the list row and three calendar days
    resp = client.get("/returns/?status=planning")
    assert "Return operation Riga" not in resp.content.decode()


def test_operation_page_has_route_diagram_members_and_custody(completed, client, users):
    op, case = completed
    client.force_login(users["mediator"])
    body = client.get(f"/returns/{op.pk}/").content.decode()
    assert "<svg" in body and "Moscow" in body and "Riga" in body and "Kyiv" in body
    assert body.count("<polygon") == 2
    assert '<dd id="transit">Latvia</dd>' in body
    assert "Руденко" in body and "Completed" in body
    assert "style=" not in body and "<script>" not in body  # strict CSP: no inline style or script


def test_plan_operation_page_creates_an_operation_and_officers_cannot(client, users, parties):
    from homeward.returns.models import ReturnOperation

    client.force_login(users["mediator"])
    resp = client.post("/returns/new/", {"name": "Return operation Vilnius", "from_party": "RU", "to_party": "UA",
                                         "planned_start": "2026-05-01", "planned_end": "2026-04-01", "capacity": 6})
    assert resp.status_code == 422 and "cannot be before" in resp.content.decode()
    resp = client.post("/returns/new/", {"name": "Return operation Vilnius", "from_party": "RU", "to_party": "UA",
                                         "planned_start": "2026-05-01", "planned_end": "2026-05-03", "capacity": 6})
    op = ReturnOperation.objects.get(name="Return operation Vilnius")
    assert resp.status_code == 302 and resp["Location"] == f"/returns/{op.pk}/"
    assert op.mediator == users["mediator"] and op.status == "planning"


def test_follow_up_page_records_visits_and_closes_the_case(completed, client, users):
    from homeward.returns.models import FollowUp

    _op, case = completed
    visits = list(FollowUp.objects.filter(case=case).order_by("months"))
    assert [v.months for v in visits] == [1, 3, 6]
    client.force_login(users["ua"])
    body = client.get("/returns/follow-ups/").content.decode()
    assert "Руденко" in body and "Close early" not in body  # officers record visits, mediators close
    for v in visits:
        resp = client.post(f"/returns/follow-ups/{v.pk}/", {"status": "done", "outcome": "well", "notes": "ok"})
        assert resp.status_code == 302
    client.force_login(users["ru"])
    assert "Руденко" not in client.get("/returns/follow-ups/?show=all").content.decode()
    client.force_login(users["mediator"])
    body = client.get("/returns/follow-ups/").content.decode()
    assert f"/returns/cases/{case.pk}/close/" in body  # ready to close
    client.post(f"/returns/cases/{case.pk}/close/", {"confirmed": "1"})
    case.refresh_from_db()
    assert case.status == "closed"


def test_close_early_without_reason_is_refused_naming_the_visits(completed, client, users):
    _op, case = completed
    client.force_login(users["mediator"])
    resp = client.post(f"/returns/cases/{case.pk}/close/", follow=True)
    assert "0 of 3" in resp.content.decode()
    client.post(f"/returns/cases/{case.pk}/close/", {"reason": "Family moved; local services follow up",
                                                   "confirmed": "1"})
    case.refresh_from_db()
    assert case.status == "closed"


def test_custody_section_for_the_child_page_within_scope(completed, users):
    _op, case = completed
    request = RequestFactory().get("/")
    request.user = users["ua"]
    html = render_to_string("returns/_custody_for_child.html", {"case": case, "user": users["ua"]}, request=request)
    assert "Now in the custody of <strong>UA</strong>" in html
    assert html.count("In the custody of") == 3 and "signed by both" in html
    assert "Follow-up visits" in html and f"/returns/cases/{case.pk}/verification/" in html
    request.user = users["ru"]
    html = render_to_string("returns/_custody_for_child.html", {"case": case, "user": users["ru"]}, request=request)
    assert html.strip() == ""  # not RU's child: nothing at all


def test_custody_api_reports_the_holder_and_chain(completed, client, token_for):
    _op, case = completed
    resp = client.get(f"/api/v1/returns/cases/{case.pk}/custody", **token_for("ua"))
    assert resp.status_code == 200
    data = resp.json()
    assert data["holder"] == "UA" and [s["party"] for s in data["steps"]] == ["RU", "QA", "UA"]
    resp = client.get("/api/v1/returns/follow-ups", **token_for("ua"))
    assert [f["months"] for f in resp.json()["items"]] == [1, 3, 6]
    assert dt.date.fromisoformat(resp.json()["items"][0]["due"]) > dt.date(2020, 1, 1)
