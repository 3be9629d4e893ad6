"""Index upkeep on list import: how much longer an import takes because it writes the names' search keys.

    python benchmarks/search/upkeep.py [--rows 10000] [--repeat 9] [--db sqlite|postgres://…/NAME]

Imports the linkage generator's Ukrainian-side list (size L, UTF-8 CSV, its first ``--rows`` rows) through
``homeward.exchange.services.import_list`` (parsing, validation, storage, ledger entries, audit — matching
after the import off, as it runs in the background) with the index upkeep on ("with"), and with
``homeward.registry.search.index_list_version`` replaced by a no-op ("without"), into one database.

How it is measured, so that the figure is the upkeep's and not the machine's noise:

- A warm-up round (one import each way, not counted) comes first: the first import with the upkeep makes every
  name value and its keys (a one-time cost), and the caches fill.
- Then ``--repeat`` rounds of one import each way, the order alternating (with, without; without, with; …),
  so that neither way always follows the other. Each round's pair gives a difference (with − without) taken
  close together in time; **overhead = median of the rounds' differences / median of the imports without**.
  The ratio of the two medians and the spread (lowest–highest, and the differences' quartiles) are printed
  beside it.
- CPU seconds, not wall time (the machine is shared): on SQLite the process's (SQLite runs in it), on
  PostgreSQL the process's **and** the connection's server process's (``/proc/<pid>/stat``: the server must
  run on this machine), printed apart too; PostgreSQL's background writers are left out (their work is
  not the import's CPU; the WAL they write is counted below).
- The cyclic garbage collector runs (its collections are part of what an import costs), and by default
  (``--gc collect``) a full collection is made before each import, so that no import inherits the objects, or
  the collection, that the one before it left; ``--gc carry`` leaves that out (a long-running process: the full
  collections fall where they fall, count them over many rounds), ``--gc served`` carries too, with the served
  process's thresholds (``homeward.wsgi.GC_THRESHOLDS``). The time inside collections and the number of full
  collections are printed per way. ``--only with`` / ``--only without`` runs one way alone (in its own
  process: with ``--gc carry``, what the collector's work over a long run of imports of that way is).
- On PostgreSQL, with ``pg_walinspect`` available, the WAL each import wrote into this database (records,
  bytes, full-page images; read after the import, outside its CPU figures): a figure no other load changes.
- The CPU spent inside ``index_list_version`` itself (client and server, and the collections inside it): a
  direct figure, which leaves out any indirect cost (the commit's extra WAL, a collection it brings on later).
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import time
from collections.abc import Callable
from typing import Any

import common


def _server_clock() -> Callable[[], float]:
    """CPU seconds of this connection's server process on PostgreSQL (``/proc/<pid>/stat``), 0 elsewhere."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return lambda: 0.0
    with connection.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        stat = f"/proc/{int(cur.fetchone()[0])}/stat"
    tick = os.sysconf("SC_CLK_TCK")

    def now() -> float:
        with open(stat) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / tick  # utime, stime

    return now


def _cpu_clock() -> Callable[[], float]:
    """CPU seconds of this process, plus on PostgreSQL those of this connection's server process."""
    server = _server_clock()
    return lambda: time.process_time() + server()


class _GcTimer:
    """Seconds spent inside the cyclic garbage collector, and the full collections, since it was made."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.full = 0
        self._start = 0.0
        gc.callbacks.append(self._callback)

    def _callback(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._start = time.process_time()
        else:
            self.seconds += time.process_time() - self._start
            self.full += info["generation"] == 2


class _Wal:
    """WAL written into this database between two points (PostgreSQL with ``pg_walinspect``), else None."""

    def __init__(self) -> None:
        from django.db import connection

        self.ok = False
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cur:
            try:
                cur.execute("CREATE EXTENSION IF NOT EXISTS pg_walinspect")
                cur.execute("SELECT oid FROM pg_database WHERE datname = current_database()")
                self.db = int(cur.fetchone()[0])
                self.ok = True
            except Exception:  # noqa: BLE001 (not installed, or no right to: the figure is left out)
                print("  (pg_walinspect unavailable: no WAL figures)")

    def lsn(self, which: str = "insert") -> str | None:
        """The WAL's insert position (before an import) or flush position (after it: its commit is flushed)."""
        from django.db import connection

        if not self.ok:
            return None
        with connection.cursor() as cur:
            cur.execute(f"SELECT pg_current_wal_{'flush' if which == 'flush' else 'insert'}_lsn()::text")
            return str(cur.fetchone()[0])

    def between(self, a: str | None, b: str | None) -> dict[str, tuple[int, int, int]]:
        """``{relation: (records, bytes, full-page image bytes)}`` of the WAL records of this database's blocks."""
        from django.db import connection

        if not self.ok or a is None or b is None:
            return {}
        with connection.cursor() as cur:
            # a record's first block names its relation (rel tablespace/database/file node)
            cur.execute("SELECT coalesce(pg_filenode_relation(0, (regexp_match(block_ref, %s))[1]::oid)::text, '?'), "
                        "count(*), sum(record_length), sum(fpi_length) "
                        "FROM pg_get_wal_records_info(%s::pg_lsn, %s::pg_lsn) WHERE block_ref ~ %s "
                        "GROUP BY 1 ORDER BY 3 DESC", [rf"/{self.db}/(\d+)", a, b, f"/{self.db}/"])
            return {rel: (int(n), int(size), int(fpi)) for rel, n, size, fpi in cur.fetchall()}


def _q(xs: list[float]) -> str:
    """Lowest, quartiles and highest, as printed."""
    if len(xs) < 2:
        return "/".join(f"{x:.3f}" for x in xs)
    q1, _q2, q3 = statistics.quantiles(xs, n=4, method="inclusive")
    return f"{min(xs):.3f} [{q1:.3f}–{q3:.3f}] {max(xs):.3f}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=10000)
    ap.add_argument("--repeat", type=int, default=9, help="rounds of one import each way, after the warm-up")
    ap.add_argument("--db", default="sqlite")
    ap.add_argument("--gc", choices=("collect", "carry", "served"), default="collect",
                    help="a full collection before each import (default), none, or none with the served thresholds")
    ap.add_argument("--only", choices=("with", "without"),
                    help="imports of one way only (with --gc carry: the collector's work a long run of them brings on, "
                         "each way in its own process)")
    a = ap.parse_args()
    import shutil

    if a.db == "sqlite":
        shutil.rmtree(common.CACHE / "upkeep-home", ignore_errors=True)
    common.setup_django(a.db, home_name="upkeep-home")
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    who = common.actors()
    from homeward.accounts.models import Party
    from homeward.exchange import services
    from homeward.registry import search
    from homeward.registry.models import NamePosting, NameValue, NameValueKey

    path = common.generated("L") / "ua.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    data = "".join(lines[: a.rows + 1]).encode()
    ua = Party.objects.get(code="UA")
    real = search.index_list_version
    if a.gc == "served":
        from homeward.wsgi import GC_THRESHOLDS

        gc.set_threshold(*GC_THRESHOLDS)
    client, server = time.process_time, _server_clock()
    gct = _GcTimer()
    wal = _Wal()
    inside: dict[str, list[float]] = {"client": [], "server": [], "gc": []}

    def measured(*args: Any, **kw: Any) -> int:
        c0, s0, g0 = client(), server(), gct.seconds
        try:
            return real(*args, **kw)
        finally:
            inside["client"].append(client() - c0)
            inside["server"].append(server() - s0)
            inside["gc"].append(gct.seconds - g0)

    ways = ("with", "without")
    got: dict[str, dict[str, list[float]]] = {w: {k: [] for k in ("wall", "client", "server", "cpu", "gc", "full")}
                                              for w in ways}
    wals: dict[str, list[dict[str, tuple[int, int, int]]]] = {w: [] for w in ways}
    t_start = time.perf_counter()
    for r in range(a.repeat + 1):  # round 0: the warm-up, not counted
        for way in ways if r % 2 == 0 else ways[::-1]:
            if a.only and way != a.only:
                continue
            search.index_list_version = measured if way == "with" else (lambda *args, **kw: 0)
            if a.gc == "collect":
                gc.collect()
            lsn0 = wal.lsn()
            t0, c0, s0, g0, f0 = time.perf_counter(), client(), server(), gct.seconds, gct.full
            out = services.import_list(who["ua"], party=ua, title=f"bench {way} {r}", filename="ua.csv",
                                       data=data, via="cli")
            t1, c1, s1 = time.perf_counter(), client(), server()
            assert out.version is not None and out.version.accepted_count == a.rows
            if r == 0:
                for k in inside:
                    del inside[k][:]
                continue
            g = got[way]
            g["wall"].append(t1 - t0)
            g["client"].append(c1 - c0)
            g["server"].append(s1 - s0)
            g["cpu"].append(c1 - c0 + s1 - s0)
            g["gc"].append(gct.seconds - g0)
            g["full"].append(gct.full - f0)
            wals[way].append(wal.between(lsn0, wal.lsn("flush")))
    search.index_list_version = real
    took = time.perf_counter() - t_start

    med = statistics.median
    if a.only:
        g = got[a.only]
        print(f"{a.repeat} imports of {a.rows:,} rows {a.only} the index upkeep after a warm-up import, collector "
              f"{a.gc} {gc.get_threshold()}: CPU median {med(g['cpu']):.3f} s ({_q(g['cpu'])}), inside the collector "
              f"{sum(g['gc']) / a.repeat:.3f} s per import, {sum(g['full']):.0f} full collections in all "
              f"({g['full']})")
        return
    print(f"import of {a.rows:,} rows, {a.repeat} rounds (one import each way, order alternating) after a warm-up "
          f"round, collector {a.gc} {gc.get_threshold()}; {took:.0f} s in all; "
          f"{NamePosting.objects.count():,} posting rows, {NameValue.objects.count():,} name values with "
          f"{NameValueKey.objects.count():,} keys")
    base = med(got["without"]["cpu"])
    for k, label in (("cpu", "CPU (client + server)"), ("client", "  client CPU"), ("server", "  server CPU"),
                     ("gc", "  inside the garbage collector"), ("wall", "wall time")):
        if k == "server" and not any(got["without"]["server"]):
            continue
        w, wo = got["with"][k], got["without"][k]
        diffs = [x - y for x, y in zip(w, wo, strict=True)]
        line = (f"{label}: with {med(w):.3f} s, without {med(wo):.3f} s; difference per round median "
                f"{med(diffs):+.3f} s ({_q(diffs)})")
        if k == "cpu" or k == "wall":
            ratio = med(w) / med(wo) - 1
            line += (f"; overhead {100 * med(diffs) / med(wo):+.1f} % (ratio of medians {100 * ratio:+.1f} %)")
        else:
            line += f" = {100 * med(diffs) / base:+.1f} % of the CPU without"
        print(line)
        if k in ("cpu", "wall"):
            print(f"    spread: with {_q(w)}, without {_q(wo)}")
    print(f"  full collections per import: with {got['with']['full']}, without {got['without']['full']}")
    ic, isv, ig = inside["client"], inside["server"], inside["gc"]
    tot = [x + y for x, y in zip(ic, isv, strict=True)]
    print(f"inside index_list_version: CPU median {med(tot):.3f} s ({100 * med(tot) / base:.1f} % of the CPU "
          f"without; {_q(tot)}), client {med(ic):.3f} s, server {med(isv):.3f} s, in collections "
          f"{med(ig):.3f} s (per import {[round(x, 3) for x in ig]})")
    if wal.ok:
        for way in ways:
            total: dict[str, list[int]] = {}
            for one in wals[way]:
                for rm, v in one.items():
                    total.setdefault(rm, [0, 0, 0])
                    total[rm] = [x + y for x, y in zip(total[rm], v, strict=True)]
            n = len(wals[way])
            size = sum(b for _c, b, _f in total.values())
            top = sorted(total.items(), key=lambda kv: -kv[1][1])[:6]
            parts = ", ".join(f"{rel} {c // n:,} records {b / n / 1e6:.2f} MB (full pages {f / n / 1e6:.2f})"
                              for rel, (c, b, f) in top)
            print(f"WAL into this database per import {way}: {size / n / 1e6:.2f} MB; {parts}")
    print("runs (CPU):", {w: [round(x, 3) for x in got[w]["cpu"]] for w in ways})
    print("runs (server CPU):", {w: [round(x, 3) for x in got[w]["server"]] for w in ways})


if __name__ == "__main__":
    main()
