"""Every role has a way in and a way on: the navigation offers exactly the pages the role may open (a crawl of
every nav link and every dashboard card, per role, meets no 404 or 500), work queues count what waits for the
user, and error pages are styled and keep the navigation."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.ui_world import world  # noqa: F401

pytestmark = pytest.mark.django_db

ROLES = ["mediator", "caseworker", "ua", "ru", "ngo", "auditor"]


def _nav_links(body: str) -> list[str]:
    nav = re.search(r'<nav aria-label="Main">(.*?)</nav>', body, re.S)
    return re.findall(r'<a href="([^"]+)"', nav.group(1)) if nav else []


def _card_links(body: str) -> list[str]:
    work = re.search(r'<section aria-labelledby="work-h" id="work">(.*?)</section>', body, re.S)
    stats = re.search(r'<section aria-labelledby="by-status">(.*?)</section>', body, re.S)
    links = re.findall(r'<a class="stat[^"]*" href="([^"]+)"', (work.group(1) if work else "")
                       + (stats.group(1) if stats else ""))
    return [h.replace("&amp;", "&") for h in links]


@pytest.mark.parametrize("role", ROLES)
def test_every_nav_link_and_dashboard_card_opens(client, users, world, role):  # noqa: F811
    client.force_login(users[role])
    home = client.get("/")
    assert home.status_code == 200
    body = home.content.decode()
    links = _nav_links(body)
    assert "/" in links and "/ledger/" in links
    for url in links + _card_links(body):
        resp = client.get(url.split("#")[0])
        assert resp.status_code == 200, f"{role}: {url} answered {resp.status_code}"


@pytest.mark.parametrize("role", ROLES)
def test_the_nav_offers_exactly_what_the_role_may_open(client, users, world, role):  # noqa: F811
    from django.urls import reverse

    from homeward import nav

    client.force_login(users[role])
    offered = set(_nav_links(client.get("/").content.decode()))
    for entry in nav.ENTRIES:
        url = reverse(entry.url_name)
        status = client.get(url).status_code
        assert (url in offered) == (status == 200), f"{role}: {url} offered={url in offered} status={status}"


def test_ngo_nav_has_no_lists_or_returns_and_its_dashboard_counts_its_requests(client, users, world):  # noqa: F811
    client.force_login(users["ngo"])
    body = client.get("/").content.decode()
    links = _nav_links(body)
    assert "/lists/" not in links and "/returns/" not in links
    assert re.search(r'id="work-tracing_open">\s*<div class="n">1</div>', body)
    assert 'href="/tracing/new/"' in body


def test_mediator_work_queue_counts_pairs_lists_handovers_and_overdue_visits(client, users, world):  # noqa: F811
    client.force_login(users["mediator"])
    body = client.get("/").content.decode()
    for key in ("pairs", "forward", "sign", "overdue"):
        assert f'id="work-{key}"' in body, key
    assert re.search(r'id="work-forward">\s*<div class="n">1</div>', body)


def test_a_mediator_case_workers_queue_counts_the_visits_on_their_own_cases_and_opens_them(client, users):
    import datetime as dt

    from homeward.registry import services as registry
    from homeward.registry.models import Case
    from homeward.returns.services import schedule_follow_ups
    from tests.factories import make_child

    case = make_child(users["ru"], surname="Моя-Справа").case
    other = make_child(users["ua"], surname="Чужа-Справа").case
    for c in (case, other):
        Case.objects.filter(pk=c.pk).update(status="reunited")
        schedule_follow_ups(c, dt.date.today() - dt.timedelta(days=40))
    registry.assign_caseworker(users["mediator"], case, users["caseworker"])
    client.force_login(users["caseworker"])
    body = client.get("/").content.decode()
    assert re.search(r'id="work-my_visits">\s*<div class="n">3</div>', body)  # 1, 3 and 6 months, not the other's
    assert 'href="/returns/follow-ups/?show=mine" id="work-my_visits"' in body
    listed = client.get("/returns/follow-ups/?show=mine").content.decode()
    assert "Моя-Справа" in listed and "Чужа-Справа" not in listed
    client.force_login(users["mediator"])  # nothing assigned to the administrator
    assert re.search(r'id="work-my_visits">\s*<div class="n">0</div>', client.get("/").content.decode())


def test_party_officer_work_queue_lists_names_to_answer(client, users, world):  # noqa: F811
    client.force_login(users["ru"])
    body = client.get("/").content.decode()
    assert re.search(r'id="work-answer">\s*<div class="n">1</div>', body)
    assert "?show=pending" in body


def test_queue_counts_stay_within_scope(client, users, world):  # noqa: F811
    """The UA officer has nothing forwarded to it: its queue shows 0, not the RU officer's list."""
    client.force_login(users["ua"])
    body = client.get("/").content.decode()
    assert re.search(r'id="work-answer">\s*<div class="n">0</div>', body)


@pytest.mark.parametrize(("role", "url"), [("ua", "/children/99999/"), ("auditor", "/audit/"),
                                           ("ngo", "/lists/"), ("ngo", "/returns/")])
def test_not_found_pages_are_styled_and_keep_the_navigation(client, users, role, url):
    client.force_login(users[role])
    resp = client.get(url)
    body = resp.content.decode()
    assert resp.status_code == 404
    assert "Page not found" in body and '<nav aria-label="Main">' in body and "Go to the dashboard" in body


def test_not_found_for_visitors_offers_the_login(client):
    resp = client.get("/no-such-page/")
    assert resp.status_code == 404 and 'href="/login/"' in resp.content.decode()


def test_server_error_page_keeps_the_navigation_and_falls_back_when_it_cannot(users, rf, monkeypatch):
    from homeward.ui import errors

    request = rf.get("/")
    request.user = users["mediator"]
    resp = errors.server_error(request)
    assert resp.status_code == 500
    assert b'<nav aria-label="Main">' in resp.content and b"Something went wrong" in resp.content

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("database down")

    monkeypatch.setattr(errors, "render", broken)
    resp = errors.server_error(request)
    assert resp.status_code == 500 and b"Something went wrong" in resp.content


def test_favicon_is_served(client):
    resp = client.get("/favicon.ico")
    assert resp.status_code == 301 and resp["Location"].endswith("/favicon.svg")
