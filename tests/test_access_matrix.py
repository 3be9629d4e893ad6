"""The access matrix, generated from the code: every route of Django's URL resolver and every operation of the
API's OpenAPI schema must have a row in ``tests/access_matrix.txt``, and every cell of it (route × method × role ×
ownership) is requested and must answer exactly the status the row states.

Roles (columns): ``anon`` (no credentials: the public, who may open only the public pages), ``mediator``
(mediator administrator), ``caseworker`` (mediator case worker), ``ua`` and ``ru`` (party officers), ``ngo``
(NGO case worker) and ``auditor``. Pages are requested with a signed-in session, the API with a bearer token.

Ownership: a route whose path names a record of a party is requested for the UA record, the RU record and an
id that does not exist; its cell reads ``UA/RU/none`` (one number: the same for all three). For the UA officer
the UA record is its own and the RU record the other party's; for the RU officer the other way round. Records
that belong to no party (linkage pairs, runs, model versions, figures sources, staged uploads) are requested as
the record and a missing id (``one/none``). A route without a record is requested once.

Write methods are sent with an empty form (pages) or a body generated from the OpenAPI schema that passes it
(the API: every required field, of its type; ids that exist nowhere; the same for required query parameters
of the API's reads), so that the route's own checks run: a
role the route does not exist for gets 404 (never 403), a role that may use it gets the route's answer to that
input (a 422 or 409 naming what is wrong, the form again, a redirect), or does what needs no input. Every
request runs in a savepoint that is rolled back, so the world is the same for every cell.

Adding a route: add its row to ``tests/access_matrix.txt`` (the test fails until you do, and prints the statuses it
observed: check them against the policy in ``homeward.access``; never copy them blindly).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction

from tests.factories import (
    add_report,
    import_list,
    make_child,
    make_pairs,
    make_party,
    make_person,
    make_tracing_request,
    make_users,
    party_records,
    password_of,
)

pytestmark = pytest.mark.django_db

ROLES = ("anon", "mediator", "caseworker", "ua", "ru", "ngo", "auditor")
MISSING = 987654321

# Path parameter kinds: which record a route names (by route prefix and parameter), and whether a party owns it.
PARTY_KINDS = ("child", "case", "person", "tracing", "list", "version", "rejection", "operation", "handover",
               "document", "follow_up", "notification", "token")
SHARED_KINDS = ("candidate", "list_candidate", "run", "model", "source", "claim", "quantity", "upload")

# --- the table: tests/access_matrix.txt --------------------------------------------------------------------
TABLE_FILE = Path(__file__).with_name("access_matrix.txt")


def parse_table(text: str) -> dict[tuple[str, str], tuple[str, dict[str, str]]]:
    rows: dict[tuple[str, str], tuple[str, dict[str, str]]] = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        method, route, kind, *cells = line.split()
        assert len(cells) == len(ROLES), f"{method} {route}: {len(cells)} cells for {len(ROLES)} roles"
        assert (method, route) not in rows, f"{method} {route} twice"
        rows[(method, route)] = (kind, dict(zip(ROLES, cells, strict=True)))
    return rows


TABLE = parse_table(TABLE_FILE.read_text(encoding="utf-8"))


# --- routes, from the code ----------------------------------------------------------------------------------


def page_routes() -> list[str]:
    """Every route of the URL resolver, as its pattern (``/children/<int:pk>/``)."""
    from django.urls import URLPattern, URLResolver, get_resolver

    found: list[str] = []

    def walk(patterns: list[Any], prefix: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                found.append("/" + prefix + str(p.pattern))

    walk(get_resolver().url_patterns, "")
    return sorted(set(found))


@functools.cache
def api_operations() -> list[tuple[str, str]]:
    """Every (method, path) of the API's OpenAPI schema, paths as ``/api/v1/children/{child_id}``."""
    from homeward.api import api

    schema = api.get_openapi_schema()
    return sorted((method.upper(), path) for path, item in schema["paths"].items() for method in item)


def api_route_patterns() -> set[str]:
    """The resolver patterns of the API operations (``/api/v1/children/<child_id>``)."""
    import re

    return {re.sub(r"\{(\w+)\}", r"<\1>", path) for _m, path in api_operations()}


def all_cells() -> list[tuple[str, str]]:
    """The (method, route) pairs the code has: GET and POST of every page, each API operation."""
    api_patterns = api_route_patterns()
    pages = [r for r in page_routes() if r not in api_patterns]
    return sorted([(m, r) for r in pages for m in ("GET", "POST")] + api_operations())


# --- the world: built once for the module -------------------------------------------------------------------


@dataclass
class World:
    users: dict[str, Any]
    params: dict[tuple[str, str], dict[str, Any]]  # (kind, owner) -> path parameters
    tokens: dict[str, str] = field(default_factory=dict)
    clients: dict[str, Any] = field(default_factory=dict)
    api_clients: dict[str, Any] = field(default_factory=dict)


def _build() -> World:
    from homeward.exchange.models import PendingUpload
    from homeward.figures.models import Claim
    from homeward.linkage.models import Candidate, MatchRun, ModelVersion
    from homeward.notifications.models import Notification
    from homeward.returns import services as returns
    from homeward.returns.models import EvidenceDocument, FollowUp

    parties = {code: make_party(code, name, kind) for code, (name, kind) in {
        "UA": ("Ukraine", "authority"), "RU": ("Russia", "authority"), "QA": ("Qatar", "mediator"),
        "NGO1": ("Tracing NGO", "ngo"), "PL": ("Poland", "authority")}.items()}
    users = make_users(parties)
    params: dict[tuple[str, str], dict[str, Any]] = {}
    for owner, key in (("UA", "ua"), ("RU", "ru")):
        # Lists and operations with a third authority, so that each party has ones the other takes no part in.
        rec = party_records(users, parties, key, concerning="PL")
        op = rec.operation
        returns.add_document(users[key], rec.case, "identity", "passport", data=b"scan")
        doc = EvidenceDocument.objects.filter(verification__case=rec.case).exclude(stored_name="").order_by(
            "uploaded_at", "id").last()
        follow_up = FollowUp.objects.create(case=rec.case, months=1, due=dt.date(2026, 2, 1))
        rejection = import_list(users[key], parties[owner], title=f"Bad {owner}", rows=[";;;;;"],
                                concerning=parties["PL"]).rejection
        params[("child", owner)] = {"pk": rec.child.pk, "child_id": rec.child.pk}
        params[("case", owner)] = {"pk": rec.case.pk, "case_id": rec.case.pk}
        params[("person", owner)] = {"pk": rec.person.pk, "person_id": rec.person.pk}
        params[("tracing", owner)] = {"pk": rec.tracing_request.pk, "request_id": rec.tracing_request.pk}
        params[("list", owner)] = {"pk": rec.list_version.party_list_id}
        params[("version", owner)] = {"pk": rec.list_version.pk, "version_id": rec.list_version.pk}
        params[("rejection", owner)] = {"pk": rejection.pk, "rejection_id": rejection.pk}
        params[("operation", owner)] = {"pk": op.pk, "op_id": op.pk, "member_pk": op.members.earliest("id").pk,
                                        "member_id": op.members.earliest("id").pk}
        params[("handover", owner)] = {"pk": op.handovers.earliest("before_leg").pk,
                                       "handover_id": op.handovers.earliest("before_leg").pk}
        params[("document", owner)] = {"pk": doc.pk, "document_id": doc.pk}
        params[("follow_up", owner)] = {"pk": follow_up.pk, "follow_up_id": follow_up.pk}
        note = Notification.objects.create(recipient=users[key], kind="follow_up_due", key=f"matrix:{owner}",
                                           object_id=follow_up.pk, link=f"/returns/follow-ups/#fu-{follow_up.pk}")
        params[("notification", owner)] = {"pk": note.pk, "notification_id": note.pk}
    # The NGO's own records (found by the NGO worker in lists and searches).
    make_child(users["ngo"], surname="Дитина-NGO")
    make_tracing_request(users["ngo"], requester=make_person(users["ngo"], surname="Мати-NGO"), surname="Шукана-NGO")
    pair = make_pairs(users, n=1)[0]
    entry = ListEntryOf(params[("version", "UA")]["pk"])
    list_pair = Candidate.objects.create(left_type="list_entry", left_id=entry, right_type="child",
                                         right_id=params[("child", "RU")]["pk"], match_probability=0.8,
                                         match_weight=2.0)
    run = MatchRun.objects.create(kind="database", status="done", created_by=users["mediator"])
    model = ModelVersion.objects.create(source="trained", version="v-matrix", model_json="{}", run=run)
    report = add_report(users["mediator"])
    claim = Claim.objects.filter(document=report).earliest("id")
    upload = PendingUpload.objects.create(user=users["ua"], party=parties["UA"], concerning=parties["PL"],
                                          title="Staged", filename="l.csv", content=b"x")
    params[("candidate", "one")] = {"pk": pair.pk, "candidate_id": pair.pk}
    params[("list_candidate", "one")] = {"pk": list_pair.pk, "candidate_id": list_pair.pk}
    params[("run", "one")] = {"pk": run.pk, "run_id": run.pk}
    params[("model", "one")] = {"pk": model.pk}
    params[("source", "one")] = {"pk": report.pk}
    params[("claim", "one")] = {"pk": claim.pk}
    params[("quantity", "one")] = {"quantity": "returned"}
    params[("quantity", "none")] = {"quantity": "no-such-quantity"}
    params[("upload", "one")] = {"token": str(upload.token)}
    params[("upload", "none")] = {"token": str(uuid.uuid4())}
    return World(users, params)


def ListEntryOf(version_pk: int) -> int:  # noqa: N802 - reads as a noun in _build
    from homeward.exchange.models import ListEntry

    return ListEntry.objects.filter(version_id=version_pk).earliest("row").pk


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    from django.test import Client, override_settings

    home = tmp_path_factory.mktemp("matrix-home")
    with django_db_blocker.unblock(), override_settings(HOME=home, EXCHANGE_MATCH_ON_IMPORT=False):
        with transaction.atomic():
            w = _build()
            w.clients["anon"] = Client(raise_request_exception=False)
            w.api_clients["anon"] = Client(raise_request_exception=False)
            for role in ROLES[1:]:
                user = w.users[role]
                c = Client(raise_request_exception=False)
                c.force_login(user)
                w.clients[role] = c
                api = Client(raise_request_exception=False)
                resp = api.post("/api/v1/auth/token", {"username": user.username,
                                                       "password": password_of(user.username)},
                                content_type="application/json")
                assert resp.status_code == 200, resp.content
                w.tokens[role] = resp.json()["token"]
                w.api_clients[role] = api
            # the API tokens of the two officers: each may list and revoke its own only
            from homeward.accounts.models import ApiToken

            for owner, key in (("UA", "ua"), ("RU", "ru")):
                pk = ApiToken.objects.filter(user=w.users[key]).order_by("created_at", "id").last().pk
                w.params[("token", owner)] = {"pk": pk, "token_id": pk}
            yield w
            transaction.set_rollback(True)


# --- requesting a cell --------------------------------------------------------------------------------------


def kind_of(method: str, route: str) -> str:
    """The record a route names, from its first path parameter and prefix; ``-`` for none."""
    import re

    m = re.search(r"<(?:\w+:)?(\w+)>|\{(\w+)\}", route)
    if not m:
        return "-"
    param = m.group(1) or m.group(2)
    path = route.removeprefix("/").removeprefix("api/v1/")
    by_param = {"child_id": "child", "person_id": "person", "request_id": "tracing", "version_id": "version",
                "rejection_id": "rejection", "op_id": "operation", "handover_id": "handover",
                "document_id": "document", "follow_up_id": "follow_up", "run_id": "run", "token": "upload",
                "quantity": "quantity", "token_id": "token", "notification_id": "notification"}
    if param in by_param:
        return by_param[param]
    if param == "candidate_id":
        return "list_candidate" if path.startswith("lists/") else "candidate"
    if param == "case_id":
        return "case"
    if param == "fmt":
        return "-"
    prefixes = [("children/", "child"), ("cases/", "case"), ("persons/", "person"), ("tracing/", "tracing"),
                ("lists/rejections/", "rejection"), ("lists/versions/", "version"), ("lists/candidates/",
                "list_candidate"), ("lists/", "list"), ("linkage/review/", "candidate"), ("linkage/models/", "model"),
                ("linkage/runs/", "run"), ("figures/documents/", "source"), ("figures/claims/", "claim"),
                ("returns/handovers/", "handover"), ("returns/cases/", "case"), ("returns/documents/", "document"),
                ("returns/follow-ups/", "follow_up"), ("returns/", "operation"),
                ("notifications/", "notification"), ("account/tokens/", "token")]
    for prefix, kind in prefixes:
        if path.startswith(prefix):
            return kind
    raise AssertionError(f"{method} {route}: no record kind known for <{param}>")


def owners(kind: str) -> tuple[str, ...]:
    if kind == "-":
        return ("-",)
    return ("UA", "RU", "none") if kind in PARTY_KINDS else ("one", "none")


def url_of(world: World, route: str, kind: str, owner: str) -> str:
    import re

    values: dict[str, Any] = {"fmt": "xlsx" if "versions" in route else "csv", "n": 1}
    if owner == "none":
        reference = world.params[(kind, "UA" if kind in PARTY_KINDS else "one")]
        values.update({k: MISSING if isinstance(v, int) else v for k, v in reference.items()})
        values.update(world.params.get((kind, "none"), {}))
    elif kind != "-":
        values.update(world.params[(kind, owner)])

    def fill(m: re.Match[str]) -> str:
        name = m.group(1) or m.group(2)
        assert name in values, f"{route}: no value for {name}"
        return str(values[name])

    return re.sub(r"<(?:\w+:)?(\w+)>|\{(\w+)\}", fill, route)


def _schema() -> dict[str, Any]:
    from homeward.api import api

    global _SCHEMA
    if _SCHEMA is None:
        _SCHEMA = api.get_openapi_schema()
    return _SCHEMA


_SCHEMA: dict[str, Any] | None = None


def _sample(node: dict[str, Any], schema: dict[str, Any]) -> Any:
    """A value of the node's type: the first enum value, a date, ``"x"``, a missing id for integers, ..."""
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        return _sample(schema["components"]["schemas"][name], schema)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in node:
            options = [o for o in node[key] if o.get("type") != "null"]
            return _sample(options[0], schema)
    if "enum" in node:
        return node["enum"][0]
    kind = node.get("type")
    if kind == "object" or "properties" in node:
        return {k: _sample(v, schema) for k, v in node.get("properties", {}).items() if k in node.get("required", [])}
    if kind == "array":
        return []
    if kind == "integer":
        return MISSING  # an id that is nowhere: ids differ between databases and runs
    if kind == "number":
        return 0.5
    if kind == "boolean":
        return False
    if node.get("format") == "date":
        return "2026-01-10"
    if node.get("format") == "date-time":
        return "2026-01-10T00:00:00Z"
    if node.get("format") == "binary":
        return None
    return "x"


def api_body(method: str, route: str) -> tuple[str, dict[str, Any]] | None:
    """A body that passes the schema (every required field, of its type), so that the route's own checks run:
    ``("json", body)`` or ``("form", fields)``; ``None`` when the operation takes none."""
    schema = _schema()
    op = schema["paths"][route][method.lower()]
    content = op.get("requestBody", {}).get("content", {})
    if "application/json" in content:
        return "json", _sample(content["application/json"]["schema"], schema)
    if "multipart/form-data" in content:
        fields = _sample(content["multipart/form-data"]["schema"], schema)
        from django.core.files.uploadedfile import SimpleUploadedFile

        return "form", {k: SimpleUploadedFile("matrix.csv", b"x\n") if v is None else v for k, v in fields.items()}
    return None


def api_query(method: str, route: str) -> dict[str, Any]:
    """Every required query parameter of the operation, with a value of its type."""
    schema = _schema()
    params = schema["paths"][route][method.lower()].get("parameters", [])
    return {p["name"]: _sample(p["schema"], schema) for p in params if p["in"] == "query" and p.get("required")}


def request(world: World, method: str, route: str, role: str, url: str) -> int:
    is_api = (method, route) in api_operations()
    client = (world.api_clients if is_api else world.clients)[role]
    kwargs: dict[str, Any] = {}
    if is_api and role != "anon":
        kwargs["HTTP_AUTHORIZATION"] = "Bearer " + world.tokens[role]
    if is_api and method == "GET" and api_query(method, route):
        kwargs["data"] = api_query(method, route)
    if method != "GET":
        body = api_body(method, route) if is_api else ("form", {})
        if body is None:
            pass
        elif body[0] == "json":
            kwargs.update(data=json.dumps(body[1]), content_type="application/json")
        else:
            kwargs.update(data=body[1])
    cookies = client.cookies
    saved = {k: v.value for k, v in cookies.items()}
    with transaction.atomic():
        resp = getattr(client, method.lower())(url, **kwargs)
        transaction.set_rollback(True)
    for k in list(cookies):  # a sign-out or a language switch must not leak into the next cell
        if k not in saved:
            del cookies[k]
    for k, v in saved.items():
        cookies[k] = v
    return int(resp.status_code)


def observe(world: World, method: str, route: str) -> dict[str, str]:
    kind = kind_of(method, route)
    found: dict[str, str] = {}
    for role in ROLES:
        statuses = [str(request(world, method, route, role, url_of(world, route, kind, owner)))
                    for owner in owners(kind)]
        found[role] = statuses[0] if len(set(statuses)) == 1 else "/".join(statuses)
    return found


def _row(method: str, route: str, found: dict[str, str]) -> str:
    return f"{method:6} {route:58} {kind_of(method, route):14} " + " ".join(f"{found[r]:11}" for r in ROLES)


# --- the tests ----------------------------------------------------------------------------------------------


def test_every_route_of_the_code_has_a_row_and_every_row_a_route():
    cells = set(all_cells())
    missing = sorted(cells - set(TABLE))
    stale = sorted(set(TABLE) - cells)
    assert not missing and not stale, (f"routes without a row: {missing}\nrows without a route: {stale}")


def test_the_table_states_an_exact_status_for_every_cell():
    for (method, route), (kind, cells) in TABLE.items():
        named = kind_of(method, route)
        assert kind == named, f"{method} {route}: kind {kind}, the route names {named}"
        for role, cell in cells.items():
            parts = cell.split("/")
            assert len(parts) in (1, len(owners(kind))), f"{method} {route} {role}: {cell}"
            assert all(p.isdigit() and len(p) == 3 for p in parts), f"{method} {route} {role}: {cell}"


@pytest.mark.parametrize("method,route", all_cells(), ids=lambda v: v)
def test_route_answers_every_role_as_the_table_says(world, method, route):
    found = observe(world, method, route)
    if os.environ.get("HOMEWARD_MATRIX_DUMP"):  # a maintainer's aid: the observed rows, to check against the policy
        with open(os.environ["HOMEWARD_MATRIX_DUMP"], "a", encoding="utf-8") as out:
            out.write(_row(method, route, found) + "\n")
    if (method, route) not in TABLE:
        pytest.fail("no row in TABLE; observed:\n" + _row(method, route, found))
    kind, expected = TABLE[(method, route)]
    want = {r: c if "/" in c or kind == "-" else "/".join([c] * len(owners(kind))) for r, c in expected.items()}
    got = {r: c if "/" in c or kind == "-" else "/".join([c] * len(owners(kind))) for r, c in found.items()}
    assert got == want, "observed:\n" + _row(method, route, found)
