"""Index upkeep on list import: how much longer an import takes because it writes the names' search keys.

    python benchmarks/search/upkeep.py [--rows 20000] [--repeat 3]

Imports the linkage generator's Ukrainian-side list (size L: 20,000 rows, cp1251-free UTF-8 CSV) through
``homeward.exchange.services.import_list`` (parsing, validation, storage, ledger entries, audit — matching
after the import off, as it runs in the background) with the index upkeep on, and with
``homeward.registry.search.index_list_version`` replaced by a no-op; alternately, ``--repeat`` times each, into
a fresh SQLite database. Overhead = median(with) / median(without) − 1, of the wall time and of the process's
CPU time (SQLite runs in the process, so its CPU time is the import's whole work; steadier than the wall time
on a shared machine). The first import with the upkeep also makes every name value and its keys (a one-time
cost, which the median leaves out when ``--repeat`` is 3 or more). The CPU spent inside ``index_list_version``
itself is printed too: a direct and steadier figure than the difference of two noisy medians, though it leaves out
the upkeep's indirect costs (the commit's extra pages, a colder cache), which the A/B figures hold.

``--db postgres://…/NAME`` runs it on PostgreSQL (into an empty database made beforehand); the CPU figures then
add the connection's server process (``/proc``: the server must run on this machine), not PostgreSQL's
background writers.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable

import common


def _cpu_clock() -> Callable[[], float]:
    """CPU seconds of this process, plus on PostgreSQL those of this connection's server process (read from
    ``/proc/<pid>/stat``: the server must run on this machine), where the index's statements do their work."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return time.process_time
    with connection.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        stat = f"/proc/{int(cur.fetchone()[0])}/stat"
    tick = os.sysconf("SC_CLK_TCK")

    def now() -> float:
        with open(stat) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return time.process_time() + (int(fields[11]) + int(fields[12])) / tick  # utime, stime

    return now


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=20000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--db", default="sqlite")
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
    inside: list[float] = []  # CPU seconds spent in index_list_version itself, per import with the upkeep
    cpu_now = _cpu_clock()

    def measured(*args: object, **kw: object) -> int:
        c0 = cpu_now()
        try:
            return real(*args, **kw)  # type: ignore[arg-type]
        finally:
            inside.append(cpu_now() - c0)

    times: dict[str, list[float]] = {"with index": [], "without": []}
    cpu: dict[str, list[float]] = {"with index": [], "without": []}
    for i in range(a.repeat):
        for mode in ("with index", "without"):
            search.index_list_version = measured if mode == "with index" else (lambda *args, **kw: 0)
            t0, c0 = time.perf_counter(), cpu_now()
            out = services.import_list(who["ua"], party=ua, title=f"bench {mode} {i}", filename="ua.csv",
                                       data=data, via="cli")
            times[mode].append(time.perf_counter() - t0)
            cpu[mode].append(cpu_now() - c0)
            assert out.version is not None and out.version.accepted_count == a.rows
    search.index_list_version = real
    w, wo = statistics.median(times["with index"]), statistics.median(times["without"])
    print(f"import of {a.rows:,} rows, median of {a.repeat}: with index upkeep {w:.2f} s, without {wo:.2f} s; "
          f"overhead {100 * (w / wo - 1):+.1f} % ({NamePosting.objects.count():,} posting rows, "
          f"{NameValue.objects.count():,} name values with {NameValueKey.objects.count():,} keys written)")
    cw, cwo = statistics.median(cpu["with index"]), statistics.median(cpu["without"])
    print(f"  CPU: with index upkeep {cw:.2f} s, without {cwo:.2f} s; overhead {100 * (cw / cwo - 1):+.1f} %")
    print(f"  CPU in index_list_version itself: median {statistics.median(inside):.3f} s "
          f"({100 * statistics.median(inside) / cwo:.1f} % of the import without; the first import's "
          f"{inside[0]:.3f} s makes the name values)")
    print("  runs (wall):", {k: [round(t, 2) for t in v] for k, v in times.items()})
    print("  runs (CPU): ", {k: [round(t, 2) for t in v] for k, v in cpu.items()})
    print("  index_list_version CPU:", [round(t, 3) for t in inside])


if __name__ == "__main__":
    main()
