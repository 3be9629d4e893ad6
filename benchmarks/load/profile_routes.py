"""Where a request's time goes: the load test's routes, run in-process through the whole middleware stack
(Django's test client), each ``--repeat`` times as the user of each role the load test uses, with the SQL
queries counted and, with ``--profile``, cProfile's top functions per route.

Run it against an installation the load test kept (``benchmarks/load/run.py --short --keep`` prints
``HOMEWARD_HOME=… HOMEWARD_DATABASE_URL=…``):

    HOMEWARD_HOME=… HOMEWARD_DATABASE_URL=… .venv/bin/python benchmarks/load/profile_routes.py
    … benchmarks/load/profile_routes.py --profile --route "GET /api/v1/children?limit=50" --top 30

It prints, per route: the median and 95th-percentile milliseconds of Python and SQL together, the number of
queries, and the milliseconds spent waiting for them (what is left is Python: templates, serialisation,
middleware). Read-only but for what the requests themselves write (audit rows, token use).
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
        out[role] = (client, ApiToken.issue(user, name=f"profile-{time.time_ns()}", days=1))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--profile", action="store_true", help="cProfile each route; print its top functions")
    ap.add_argument("--top", type=int, default=15)
    ap.add_argument("--route", action="append", default=[], help='only "ROLE PATH" or "PATH" (repeatable)')
    ap.add_argument("--sort", default="tottime", choices=["tottime", "cumulative"])
    ap.add_argument("--sql", action="store_true", help="print each route's queries (of its last request)")
    args = ap.parse_args(argv)

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    users = clients()
    print(f"{'role':<9}{'route':<44}{'p50 ms':>8}{'p95 ms':>8}{'queries':>8}{'SQL ms':>8}")
    for role, kind, path in ROUTES:
        if args.route and path not in args.route and f"{role} {path}" not in args.route:
            continue
        client, token = users[role]
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if kind == "api" else {}
        client.get(path, **headers)  # warm: templates compiled, caches filled
        times, sql, queries = [], [], 0
        prof = cProfile.Profile() if args.profile else None
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                if prof is not None:
                    prof.enable()
                resp = client.get(path, **headers)
                if prof is not None:
                    prof.disable()
                times.append(time.perf_counter() - started)
            if resp.status_code != 200:
                raise SystemExit(f"{role} GET {path} -> {resp.status_code}")
            queries = len(ctx.captured_queries)
            sql.append(sum(float(q["time"]) for q in ctx.captured_queries))
        times.sort()
        p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
        print(f"{role:<9}{path[:43]:<44}{statistics.median(times) * 1000:>8.1f}{p95 * 1000:>8.1f}{queries:>8}"
              f"{statistics.median(sql) * 1000:>8.1f}", flush=True)
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
