"""Every list page and every API list makes the same number of SQL queries whatever the number of rows it shows.

The routes are found by walking the URL configuration and the API's routers, not picked by hand: every page
without a path parameter, every API operation whose response is a list, and the pages and API lists nested
under a record (a list version's entries) with that record filled in. Each is read by every role that may
open it, once with 2 records of every kind and once with 20, and must make the same number of queries.
A route that is neither measured nor excused here with a reason fails the walk.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver

from tests.factories import make_child

pytestmark = pytest.mark.django_db

ROLES = ["mediator", "ua", "ru", "ngo", "auditor"]
SMALL, LARGE = 2, 20

# Parameterless GET routes that are not lists (forms, a help page, redirects) and need no query-count check,
# each with the reason. Anything else without a parameter is measured.
NOT_LISTS = {
    "login/": "the sign-in form",
    "logout/": "POST only",
    "i18n/setlang/": "POST only (language switch)",
    "favicon.ico": "a redirect",
    "healthz": "fixed checks, no records (tests/test_health.py)",
    "children/new/": "a form",
    "children/assign/": "POST only",
    "persons/new/": "a form",
    "tracing/new/": "a form",
    "workflow/": "the workflow help page",
    "lists/upload/": "a form",
    "returns/new/": "a form",
    "linkage/runs/": "POST only (starts a run)",
    "linkage/review/next/": "a redirect to one pair",
    "ledger/checkpoint": "one checkpoint",
    "ledger/proof/inclusion": "a proof (tests/test_ledger_service.py counts its queries)",
    "ledger/proof/consistency": "a proof (tests/test_ledger_service.py counts its queries)",
    "lists/diff/": "needs two versions (?a=&b=), compared row by row in memory",
    "api/v1/docs": "the API's documentation page",
    "api/v1/openapi.json": "the API's schema",
}

# Pages with a path parameter that list the records under one record: the parameter comes from the world.
NESTED_PAGES = {
    "lists/versions/<int:pk>/": "version",
    "lists/<int:pk>/": "list",
}

# Routes still making a query per row, being fixed one by one: the walk requires exactly these to grow, so a
# new N+1 fails it and so does a fix that forgets to strike its route off here.
STILL_GROWING: set[str] = set()

# API list operations with a path parameter, and the world key that fills it.
NESTED_API_PARAMS = {"version_id": "version"}


# --- the walk ------------------------------------------------------------------------------------------


def _django_routes(patterns: list[Any] | None = None, prefix: str = "") -> Iterator[str]:
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            if "api/v1/" in prefix + str(p.pattern):
                continue  # the API is walked through its routers below
            yield from _django_routes(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


def _is_list_response(op: Any) -> bool:
    """The operation answers a list: ``list[...]``, or a page of one (``@paginate``: ``items`` and ``count``)."""
    import typing

    model = op.response_models.get(200)
    field = getattr(model, "model_fields", {}).get("response")
    tp = field.annotation if field is not None else None
    if typing.get_origin(tp) is list:
        return True
    return isinstance(tp, type) and {"items", "count"} <= set(getattr(tp, "model_fields", {}))


# API operations that answer a list inside an object of their own, measured too.
API_LISTS_IN_AN_OBJECT = {"/api/v1/ledger/entries"}


def _api_list_routes() -> list[str]:
    """The path of every GET operation of the API that answers a list."""
    from homeward.api import api

    api.urls  # noqa: B018 - builds the routers
    found = []
    for prefix, router in api._routers:
        for path, view in router.path_operations.items():
            full = re.sub("/+", "/", f"/api/v1/{prefix}/{path}")
            if any("GET" in op.methods and (_is_list_response(op) or full in API_LISTS_IN_AN_OBJECT)
                   for op in view.operations):
                found.append(full)
    return found


# --- the world -------------------------------------------------------------------------------------------

UA_HEADER = "Прізвище;Ім'я;По батькові;Дата народження;Стать;Місце народження"
SURNAMES = ["Коваленко", "Бондаренко", "Шевченко", "Ткаченко", "Кравченко", "Мельник", "Бойко", "Лисенко",
            "Савченко", "Руденко"]
GIVEN = ["Дарина", "Максим", "Софія", "Іван", "Марія", "Тарас", "Олена", "Дмитро", "Анна", "Олег"]


def _csv(n: int, seed: int) -> bytes:
    rows = [f"{SURNAMES[(seed + i) % 10]};{GIVEN[(seed * 3 + i) % 10]};;"
            f"{1 + i % 27:02d}.{1 + i % 12:02d}.20{10 + i % 9};{'ж' if i % 2 else 'ч'};Херсон" for i in range(n)]
    return ("\r\n".join([UA_HEADER, *rows]) + "\r\n").encode("cp1251")


class World:
    """Records of every kind a list shows, grown in steps; ``ids`` holds the latest nested parents."""

    def __init__(self, users: dict[str, Any], parties: dict[str, Any]) -> None:
        self.users, self.parties, self.size, self.ids = users, parties, 0, {}

    def grow_to(self, n: int) -> None:
        from homeward.exchange import services as exchange
        from homeward.figures.models import Document
        from homeward.linkage.models import Candidate
        from homeward.registry import services as registry
        from homeward.registry.models import Case, Person, TracingRequest
        from homeward.returns import services as returns
        from homeward.returns.models import FollowUp

        u, p = self.users, self.parties
        for i in range(self.size, n):
            ua = make_child(u["ua"], surname=SURNAMES[i % 10], given_name=GIVEN[i % 10],
                            birth_date=dt.date(2010 + i % 9, 1 + i % 12, 1 + i % 27))
            ru = make_child(u["ru"], given_name="Мария", surname=f"Иванова{i}", sex="F")
            for child in (ua, ru):
                registry.transition(u["mediator"], child.case, "located")
            mother = registry.save_new(u["ngo"], Person(surname=SURNAMES[i % 10], given_name="Олена",
                                                        relationship="mother"))
            request = registry.file_tracing_request(u["ngo"], TracingRequest(
                surname=SURNAMES[i % 10], given_name=GIVEN[i % 10], requester=mother))
            Candidate.objects.create(left_type="child", left_id=ua.pk, right_type="tracing_request",
                                     right_id=request.pk, match_probability=0.9, match_weight=3.0,
                                     reasons=[{"comparison": "surname", "level": "exact", "weight": 2.0}])
            returns.create_operation(u["mediator"], name=f"Operation {i}", from_party=p["RU"], to_party=p["UA"],
                                     planned_start=dt.date(2026, 1, 10), planned_end=dt.date(2026, 1, 12))
            FollowUp.objects.create(case=Case.objects.get(child=ua), months=1, due=dt.date.today())
            Document.objects.create(title=f"Report {i}", text="In March 120 children were returned.",
                                    added_by=u["mediator"])
            if i % 2:
                exchange.import_list(u["ua"], party=p["UA"], title=f"Sought {i}", filename="l.csv", data=_csv(2, i))
        # A list whose one version holds n entries: the nested lists under it.
        outcome = exchange.import_list(u["ua"], party=p["UA"], title=f"Nested {n}", filename="n.csv",
                                       data=_csv(n, n), concerning=p["RU"])
        assert outcome.version is not None and outcome.version.accepted_count == n
        exchange.forward(u["mediator"], outcome.version, list(outcome.version.entries.values_list("pk", flat=True)))
        self.ids = {"version": outcome.version.pk, "list": outcome.version.party_list_id}
        from homeward.ledger import service as ledger

        ledger.make_checkpoint(force=True)  # a signed checkpoint at every size, so pages show one and its proofs
        self.size = n


def _shape(sql: str) -> str:
    """A query without its literals, so that the same query for another row reads the same."""
    return re.sub(r"'[^']*'|\b\d+\b", "?", re.sub(r"IN \([^)]*\)", "IN (...)", sql))[:160]


def _count(client: Any, url: str) -> tuple[int, int, list[str]]:
    with CaptureQueriesContext(connection) as ctx:
        status = client.get(url).status_code
    return status, len(ctx.captured_queries), [_shape(q["sql"]) for q in ctx.captured_queries]


def _repeated(small: list[str], large: list[str]) -> list[str]:
    """The queries made more often for more rows: the N+1 to fix."""
    from collections import Counter

    a, b = Counter(small), Counter(large)
    return [f"{b[q] - a[q]}x more: {q}" for q in b if b[q] > a[q]][:2]


def _fill(route: str, ids: dict[str, int]) -> str:
    key = NESTED_PAGES.get(route)
    return "/" + re.sub(r"<[^>]+>", str(ids[key]), route) if key else "/" + route


def _fill_api(path: str, ids: dict[str, int]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: str(ids[NESTED_API_PARAMS[m.group(1)]]), path)


def _measured_urls(ids: dict[str, int]) -> dict[str, str]:
    """route → URL to read, for every route the walk measures."""
    urls = {}
    for route in _django_routes():
        if route in NOT_LISTS or (("<" in route) and route not in NESTED_PAGES):
            continue
        urls[route] = _fill(route, ids)
    for path in _api_list_routes():
        urls[path] = _fill_api(path, ids)
    return urls


@pytest.fixture
def world(users: dict[str, Any], parties: dict[str, Any], settings: Any) -> World:
    settings.EXCHANGE_MATCH_ON_IMPORT = False
    return World(users, parties)


def test_the_walk_finds_the_list_routes_and_nothing_is_excused_that_does_not_exist() -> None:
    routes = set(_django_routes())
    api = set(_api_list_routes())
    assert {"children/", "tracing/", "lists/", "returns/", "returns/follow-ups/", "audit/", "ledger/",
            "linkage/review/", "figures/documents/"} <= routes
    assert {"/api/v1/children", "/api/v1/cases", "/api/v1/persons", "/api/v1/tracing-requests",
            "/api/v1/returns/operations", "/api/v1/lists/",
            "/api/v1/lists/versions/{version_id}/entries"} <= api
    excused = set(NOT_LISTS) - {"api/v1/docs", "api/v1/openapi.json"}
    assert excused <= routes, excused - routes
    assert set(NESTED_PAGES) <= routes


def test_every_list_route_makes_as_many_queries_for_20_rows_as_for_2(client: Any, users: dict[str, Any],
                                                                       world: World) -> None:
    world.grow_to(SMALL)
    small: dict[tuple[str, str], tuple[int, int, list[str]]] = {}
    for role in ROLES:
        client.force_login(users[role])
        for route, url in _measured_urls(world.ids).items():
            small[(role, route)] = _count(client, url)
    world.grow_to(LARGE)
    grew, growing = [], set()
    opened = 0
    for role in ROLES:
        client.force_login(users[role])
        for route, url in _measured_urls(world.ids).items():
            status, n, sql = _count(client, url)
            before = small[(role, route)]
            assert status == before[0], f"{role} {url}: {before[0]} then {status}"
            if status != 200:
                continue
            opened += 1
            if n != before[1]:
                growing.add(route)
                if route in STILL_GROWING:
                    continue
                grew.append(f"{role} {url}: {before[1]} queries for {SMALL} rows, {n} for {LARGE}; "
                            f"{_repeated(before[2], sql)}")
    assert opened > 40
    assert not grew, "\n".join(grew)
    assert growing == STILL_GROWING, f"fixed, strike off STILL_GROWING: {STILL_GROWING - growing}"


def test_a_list_versions_page_reads_its_pairs_records_with_as_many_queries_for_five_pairs_as_for_two(
        client, users, parties):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from homeward.exchange.models import ListEntry
    from homeward.linkage.models import Candidate
    from tests.factories import import_list, make_child, make_tracing_request

    version = import_list(users["ua"], parties["UA"]).version
    entries = list(ListEntry.objects.filter(version=version).order_by("row"))
    client.force_login(users["mediator"])
    counts = []
    for n in (2, 5):
        Candidate.objects.filter(left_type="list_entry").delete()
        for i in range(n):
            target = (make_child(users["ru"], surname=f"Коваль{n}{i}") if i % 2 else
                      make_tracing_request(users["ngo"], surname=f"Коваль{n}{i}"))
            Candidate.objects.create(left_type="list_entry", left_id=entries[i % len(entries)].pk,
                                     right_type="child" if i % 2 else "tracing_request", right_id=target.pk,
                                     match_probability=0.5 + i / 100, match_weight=1.0, reasons=[])
        with CaptureQueriesContext(connection) as ctx:
            body = client.get(f"/lists/versions/{version.pk}/").content.decode()
        counts.append(len(ctx.captured_queries))
        assert all(f"Коваль{n}{i}" in body for i in range(n))  # each pair's other side shown
        assert all(e.full_name in body for e in entries[:min(n, len(entries))])
    assert counts[0] == counts[1]
