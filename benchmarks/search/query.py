"""Search latency through the API at registry scale: p50/p95 of ``GET /api/v1/children?q=`` (first page, 25
results, as the registry page asks), one- and two-word queries in Ukrainian Cyrillic, Russian Cyrillic and
Latin, with the index warm; as the mediator (every child) and as a party officer (half the registry).

    python benchmarks/search/build.py --db sqlite      # once
    python benchmarks/search/query.py --db sqlite [--queries 200]

The queries are the names of children on the *other* list of the linkage generator (the Ukrainian list,
its Latin spellings included) and the registry's own Russian spellings, so they hit common and rare names
alike; no query is chosen for being fast. Also checks that an officer's results are all its own party's.
"""

from __future__ import annotations

import argparse
import os
import random
import time
from collections import defaultdict
from pathlib import Path

import common


def queries(n: int, seed: int = 7) -> list[tuple[str, str]]:
    """(kind, query): kinds are words × script, drawn from both lists of the generator."""
    from homeward.names.text import detect_script

    data = common.generated("L")
    rng = random.Random(seed)
    ua = list(common.read_csv(data / "ua.csv"))
    ru_sample = []
    for i, r in enumerate(common.read_csv(data / "ru.csv")):
        if i % 97 == 0:
            ru_sample.append(r)
    out: dict[str, list[str]] = defaultdict(list)
    for r in rng.sample(ua, min(len(ua), 6 * n)) + rng.sample(ru_sample, min(len(ru_sample), 6 * n)):
        script = detect_script(r["surname"] + r["given_name"])
        lang = "latin" if script == "latin" else ("uk" if r["record_id"].startswith("UA") else "ru")
        if r["surname"]:
            out[f"1 word, {lang}"].append(r["surname"])
        if r["surname"] and r["given_name"]:
            out[f"2 words, {lang}"].append(f"{r['given_name']} {r['surname']}")
    picked = []
    for kind, qs in sorted(out.items()):
        picked += [(kind, q) for q in qs[:n]]
    return picked


def server_cpu() -> float | None:
    """CPU seconds (user + system) of this connection's PostgreSQL backend so far, from ``/proc`` (the server is
    on this machine); None elsewhere. On a shared machine it is steadier than wall time; clock-tick resolution."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        pid = cur.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", default="sqlite")
    ap.add_argument("--queries", type=int, default=100, help="queries per kind")
    a = ap.parse_args()
    common.setup_django(a.db)
    from django.db import connection

    from homeward.registry.models import Child

    who = common.actors()
    total = Child.objects.count()
    party_of = {}
    print(f"{connection.vendor}: {total:,} children")
    qs = queries(a.queries)
    for role in ("mediator", "ua"):
        client, auth = common.api_client(who[role])
        for _kind, q in qs[:20]:  # warm the caches (index pages, the names toolkit)
            client.get("/api/v1/children", {"q": q, "limit": 25}, **auth)
        times: dict[str, list[float]] = defaultdict(list)
        cpu: dict[str, list[float]] = defaultdict(list)  # this process's CPU time (the client is in-process)
        server: dict[str, list[float]] = defaultdict(list)  # the PostgreSQL backend's CPU time
        leaks = 0
        for kind, q in qs:
            s0 = server_cpu()
            t0, c0 = time.perf_counter(), time.process_time()
            resp = client.get("/api/v1/children", {"q": q, "limit": 25}, **auth)
            times[kind].append((time.perf_counter() - t0) * 1000)
            cpu[kind].append((time.process_time() - c0) * 1000)
            s1 = server_cpu()
            if s0 is not None and s1 is not None:
                server[kind].append((s1 - s0) * 1000)
            assert resp.status_code == 200, resp.content[:300]
            if role != "mediator":
                leaks += sum(1 for c in resp.json()["items"] if c["party"] != "UA")
        every = [t for ts in times.values() for t in ts]
        every_cpu = [t for ts in cpu.values() for t in ts]
        print(f"\n{role}: {len(every)} queries, p50 {common.percentile(every, 50):.0f} ms, "
              f"p95 {common.percentile(every, 95):.0f} ms, max {max(every):.0f} ms (CPU p50 "
              f"{common.percentile(every_cpu, 50):.0f} ms, p95 {common.percentile(every_cpu, 95):.0f} ms)"
              + (f", out-of-scope results: {leaks}" if role != "mediator" else ""))
        if server:
            every_server = [t for ts in server.values() for t in ts]
            print(f"  PostgreSQL backend CPU per query: mean {sum(every_server) / len(every_server):.1f} ms "
                  f"({sum(every_server) / 1000:.1f} s in all; clock ticks of {1000 / os.sysconf('SC_CLK_TCK'):.0f} ms)")
        for kind, ts in sorted(times.items()):
            print(f"  {kind:18} n={len(ts):4}  p50 {common.percentile(ts, 50):6.0f} ms  "
                  f"p95 {common.percentile(ts, 95):6.0f} ms   CPU p50 {common.percentile(cpu[kind], 50):6.0f} ms  "
                  f"p95 {common.percentile(cpu[kind], 95):6.0f} ms"
                  + (f"   server CPU mean {sum(server[kind]) / len(server[kind]):5.1f} ms" if server.get(kind) else ""))
    del party_of


if __name__ == "__main__":
    main()
