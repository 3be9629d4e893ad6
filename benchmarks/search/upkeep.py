"""Index upkeep on list import: how much longer an import takes because it writes the names' search keys.

    python benchmarks/search/upkeep.py [--rows 20000] [--repeat 3]

Imports the linkage generator's Ukrainian-side list (size L: 20,000 rows, cp1251-free UTF-8 CSV) through
``homeward.exchange.services.import_list`` (parsing, validation, storage, ledger entries, audit — matching
after the import off, as it runs in the background) with the index upkeep on, and with
``homeward.registry.search.index_many`` replaced by a no-op; alternately, ``--repeat`` times each, into
a fresh SQLite database. Overhead = median(with) / median(without) − 1.
"""

from __future__ import annotations

import argparse
import statistics
import time

import common


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
    from homeward.registry.models import NameRef, NameValue, NameValueKey

    path = common.generated("L") / "ua.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    data = "".join(lines[: a.rows + 1]).encode()
    ua = Party.objects.get(code="UA")
    real = search.index_many
    times: dict[str, list[float]] = {"with index": [], "without": []}
    for i in range(a.repeat):
        for mode in ("with index", "without"):
            search.index_many = real if mode == "with index" else (lambda *args, **kw: 0)  # type: ignore[assignment]
            t0 = time.perf_counter()
            out = services.import_list(who["ua"], party=ua, title=f"bench {mode} {i}", filename="ua.csv",
                                       data=data, via="cli")
            times[mode].append(time.perf_counter() - t0)
            assert out.version is not None and out.version.accepted_count == a.rows
    search.index_many = real
    w, wo = statistics.median(times["with index"]), statistics.median(times["without"])
    print(f"import of {a.rows:,} rows, median of {a.repeat}: with index upkeep {w:.2f} s, without {wo:.2f} s; "
          f"overhead {100 * (w / wo - 1):+.1f} % ({NameRef.objects.filter(ref_type='l').count():,} index rows, "
          f"{NameValue.objects.count():,} name values with {NameValueKey.objects.count():,} keys written)")
    print("  runs:", {k: [round(t, 2) for t in v] for k, v in times.items()})


if __name__ == "__main__":
    main()
