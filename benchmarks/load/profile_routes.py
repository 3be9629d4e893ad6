"""Where a request's time goes: the load test's routes, run in-process through the whole middleware stack
(Django's test client), each ``--repeat`` times as the user of each role the load test uses, with the SQL
queries counted and, with ``--profile``, cProfile's top functions per route.

Run it against an installation the load test kept (``benchmarks/load/run.py --short --keep`` prints
``HOMEWARD_HOME=… HOMEWARD_DATABASE_URL=…``):

    HOMEWARD_HOME=… HOMEWARD_DATABASE_URL=… .venv/bin/python benchmarks/load/profile_routes.py
    … benchmarks/load/profile_routes.py --profile --route "GET /api/v1/children?limit=50" --top 30
    … benchmarks/load/profile_routes.py --writes --route "POST child" --sql

It prints, per route: the median and 95th-percentile milliseconds of Python and SQL together, the median CPU
milliseconds of this process (Python alone, not PostgreSQL's: the figure a busy machine inflates least) and their
minimum (steadier still, for comparing two versions of the code on a shared machine), with ``--calls`` the
number of Python function calls of one request (the same on a quiet or a busy machine), the number of
queries, and the milliseconds spent waiting for them (what is left is Python: templates, serialisation,
middleware). Read-only but for what the requests themselves write (audit rows, token use); with
``--writes``, also the load test's writes (registration of a child and its case, a case transition, a list
upload of 5 rows, a person and a tracing request), which add records to the installation.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "homeward.settings")

ROUTES: list[tuple[str, str, str]] = [  # (role, kind, path): the load test's mix (benchmarks/load/run.py)
    ("UA", "page", "/"),
    ("UA", "page", "/children/"),
    ("UA", "page", "/children/?q=Shevchenko"),
    ("UA", "page", "/lists/"),
    ("UA", "api", "/api/v1/children?limit=50"),
    ("UA", "api", "/api/v1/children?q=Коваленко&limit=20"),
    ("UA", "api", "/api/v1/cases?limit=50"),
    ("mediator", "page", "/"),
    ("mediator", "page", "/linkage/review/"),
    ("mediator", "page", "/children/"),
    ("mediator", "api", "/api/v1/cases?limit=50"),
    ("mediator", "api", "/api/v1/children?limit=50"),
    ("ngo", "page", "/"),
    ("ngo", "page", "/tracing/"),
    ("ngo", "api", "/api/v1/tracing-requests?limit=50"),
    ("auditor", "page", "/ledger/"),
    ("auditor", "page", "/stats/"),
    ("auditor", "api", "/api/v1/ledger/checkpoint"),
    ("auditor", "api", "/api/v1/ledger/entries?start=0&end=50"),
]


def clients() -> dict[str, tuple[Any, str]]:
    """A signed-in page client (second factor done) and a bearer token for one load user of each role."""
    from django.test import Client
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from homeward.accounts.models import ApiToken, User

    wanted = {"UA": ("UA", "party_officer"), "mediator": ("QA", "mediator_admin"),
              "ngo": ("NGO1", "ngo_caseworker"), "auditor": ("QA", "auditor")}
    out = {}
    for role, (party, kind) in wanted.items():
        user = (User.objects.filter(party__code=party, role=kind, username__startswith="load-").first()
                or User.objects.filter(party__code=party, role=kind).first())
        if user is None:
            raise SystemExit(f"no {kind} user of {party}: run benchmarks/load/run.py --keep first")
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        device = TOTPDevice.objects.filter(user=user).first()
        if device is not None:  # as if the second step of the sign-in had been done
            session = client.session
            session["otp_device_id"] = device.persistent_id
            session.save()
        out[role] = (client, ApiToken.issue(user, name="profile-routes", days=1))
    return out


def writes(users: dict[str, tuple[Any, str]], repeat: int) -> list[tuple[str, Any]]:
    """The load test's writes as (name, function doing one of them); each returns the last response. The
    transition's cases are opened at its first (warming) call, so the timed calls only move cases."""
    import json

    from django.core.files.uploadedfile import SimpleUploadedFile

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from run import MARK, suffix  # the load test's names, so its candidates pile up as in a load run

    counter = [int(time.time()) % 1_000_000 * 1000 + 500]

    def auth(role: str) -> tuple[Any, dict[str, str]]:
        client, token = users[role]
        return client, {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    def post(role: str, path: str, payload: Any) -> Any:
        client, headers = auth(role)
        resp = client.post(path, json.dumps(payload), content_type="application/json", **headers)
        if resp.status_code not in (200, 201):
            raise SystemExit(f"{role} POST {path} -> {resp.status_code} {resp.content[:200]!r}")
        return resp

    def name() -> str:
        counter[0] += 1
        return MARK["UA"] + suffix(counter[0])

    def register() -> Any:  # as the load test's registrations: its surnames, given names and birth dates
        n = counter[0] + 1
        return post("UA", "/api/v1/children", {"given_name": ["Марія", "Іван", "Софія", "Дмитро"][n % 4],
                                               "surname": name(), "sex": "MF"[n % 2], "birth_place": "Херсон",
                                               "birth_date": f"20{10 + n % 12}-{1 + n % 12:02d}-{1 + n % 27:02d}"})

    def open_case() -> Any:
        return post("UA", "/api/v1/cases", {"child_id": register().json()["id"]})

    cases: list[dict[str, Any]] = []

    def transition() -> Any:
        case = cases.pop() if cases else open_case().json()
        return post("mediator", f"/api/v1/cases/{case['id']}/transitions", {"to": "located",
                                                                             "version": case["version"]})

    def upload() -> Any:
        rows = [f"{name()};Олена;;{1 + i:02d}.0{1 + i}.2013;ж;Херсон" for i in range(5)]
        text = "\r\n".join(["Прізвище;Ім'я;По батькові;Дата народження;Стать;Місце народження", *rows]) + "\r\n"
        client, headers = auth("UA")
        resp = client.post("/api/v1/lists/import", {"title": f"Profile list {counter[0]}", "concerning": "RU",
                           "file": SimpleUploadedFile("l.csv", text.encode(), content_type="text/csv")}, **headers)
        if resp.status_code != 201:
            raise SystemExit(f"UA POST /api/v1/lists/import -> {resp.status_code} {resp.content[:200]!r}")
        return resp

    def trace() -> Any:
        counter[0] += 1
        surname = "Коваль" + suffix(counter[0])  # as the load test's
        person = post("ngo", "/api/v1/persons", {"surname": surname, "given_name": "Олена", "relationship": "mother"})
        return post("ngo", "/api/v1/tracing-requests", {
            "requester_id": person.json()["id"], "given_name": "Софія", "surname": surname, "sex": "F",
            "birth_date": "2015-02-03", "birth_place": "Маріуполь"})

    def prepared_transition() -> Any:
        if not cases:  # the warming call opens them all: the timed and counted calls only move cases
            cases.extend(open_case().json() for _ in range(repeat + 2))
        return transition()

    return [("POST child", register), ("POST case (+ child)", open_case), ("POST transition", prepared_transition),
            ("POST list (5 rows)", upload), ("POST person + tracing", trace)]


def print_tree(request: Any, top: int, match: str = "") -> None:
    """One ``request()`` under ``sys.setprofile``: for each function (of this project, Django or a library), the
    calls made while it ran, itself included (counted once however deep it recurses); the ``top`` largest."""
    inclusive: dict[str, int] = {}
    on_stack: dict[str, int] = {}
    stack: list[tuple[str, int]] = []
    count = [0]

    def key(frame: Any) -> str:
        code = frame.f_code
        path = code.co_filename
        for marker in ("site-packages/", "src/", "lib/python3"):
            if marker in path:
                path = path.split(marker, 1)[1]
                break
        return f"{path}:{code.co_firstlineno} {code.co_qualname if hasattr(code, 'co_qualname') else code.co_name}"

    def hook(frame: Any, event: str, arg: Any) -> None:
        if event == "call":
            count[0] += 1
            k = key(frame)
            stack.append((k, count[0]))
            on_stack[k] = on_stack.get(k, 0) + 1
        elif event == "c_call":
            count[0] += 1
        elif event == "return" and stack:
            k, started = stack.pop()
            on_stack[k] -= 1
            if not on_stack[k]:
                inclusive[k] = inclusive.get(k, 0) + count[0] - started + 1

    sys.setprofile(hook)
    try:
        request()
    finally:
        sys.setprofile(None)
    print(f"    {count[0]:>8} calls in all")
    for k, n in sorted(((k, n) for k, n in inclusive.items() if match in k), key=lambda kv: -kv[1])[:top]:
        print(f"    {n:>8}  {k[:150]}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--profile", action="store_true", help="cProfile each route; print its top functions")
    ap.add_argument("--top", type=int, default=15)
    ap.add_argument("--route", action="append", default=[], help='only "ROLE PATH" or "PATH" (repeatable)')
    ap.add_argument("--sort", default="tottime", choices=["tottime", "cumulative"])
    ap.add_argument("--sql", action="store_true", help="print each route's queries (of its last request)")
    ap.add_argument("--writes", action="store_true", help="also the load test's writes (they add records)")
    ap.add_argument("--calls", action="store_true",
                    help="count the Python function calls of each request (cProfile's, one more request each): a "
                         "figure of the Python work that, unlike CPU time, a busy machine does not move")
    ap.add_argument("--tree", action="store_true",
                    help="per route, the functions under which most calls are made (inclusive counts of one more "
                         "request, sys.setprofile): where to cut, not a timing")
    ap.add_argument("--tree-match", default="", metavar="TEXT",
                    help="with --tree, only the functions whose file or name contains TEXT (e.g. homeward/)")
    args = ap.parse_args(argv)

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    users = clients()
    print(f"{'role':<9}{'route':<44}{'p50 ms':>8}{'p95 ms':>8}{'CPU ms':>8}{'CPU min':>8}{'queries':>8}{'SQL ms':>8}"
          + (f"{'py calls':>10}" if args.calls else ""))
    jobs: list[tuple[str, str, Any]] = []  # (role, route, one request)
    for role, kind, path in ROUTES:
        if args.route and path not in args.route and f"{role} {path}" not in args.route:
            continue
        client, token = users[role]
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if kind == "api" else {}

        def get(client: Any = client, path: str = path, headers: dict[str, str] = headers, role: str = role) -> Any:
            resp = client.get(path, **headers)
            if resp.status_code != 200:
                raise SystemExit(f"{role} GET {path} -> {resp.status_code}")
            return resp

        jobs.append((role, path, get))
    if args.writes:
        jobs += [("", label, fn) for label, fn in writes(users, args.repeat) if not args.route or label in args.route]
    for role, path, request in jobs:
        request()  # warm: templates compiled, caches filled
        times, cpu, sql, queries = [], [], [], 0
        prof = cProfile.Profile(time.process_time) if args.profile else None  # CPU, not wall: the machine is shared
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as ctx:
                started, cpu_started = time.perf_counter(), time.process_time()
                if prof is not None:
                    prof.enable()
                request()
                if prof is not None:
                    prof.disable()
                times.append(time.perf_counter() - started)
                cpu.append(time.process_time() - cpu_started)
            queries = len(ctx.captured_queries)
            sql.append(sum(float(q["time"]) for q in ctx.captured_queries))
        calls = ""
        if args.calls:
            counter = cProfile.Profile()
            counter.enable()
            request()
            counter.disable()
            calls = f"{pstats.Stats(counter).total_calls:>10}"  # type: ignore[attr-defined]
        if args.tree:
            print_tree(request, args.top, args.tree_match)
        times.sort()
        p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
        print(f"{role:<9}{path[:43]:<44}{statistics.median(times) * 1000:>8.1f}{p95 * 1000:>8.1f}"
              f"{statistics.median(cpu) * 1000:>8.1f}{min(cpu) * 1000:>8.1f}{queries:>8}"
              f"{statistics.median(sql) * 1000:>8.1f}{calls}", flush=True)
        if args.sql:
            for q in ctx.captured_queries:
                print(f"    {float(q['time']) * 1000:6.1f} ms  {q['sql'][:160]}")
        if prof is not None:
            out = io.StringIO()
            pstats.Stats(prof, stream=out).sort_stats(args.sort).print_stats(args.top)
            print("\n".join(line for line in out.getvalue().splitlines()[6:] if line.strip()), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
