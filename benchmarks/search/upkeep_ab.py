"""The list import's index upkeep alone, two ways interleaved in one process (issue 10): the entries' rows of
the name index as one ``NameRef`` row per entry (``index_many``, what a list import wrote before
``NamePosting``; the same code path children, persons and tracing requests still take) against one
``NamePosting`` row per name value and version (``index_list_version``, what a list import writes now).

    python benchmarks/search/upkeep_ab.py [--rows 10000] [--rounds 7] [--db sqlite|postgres://…/NAME]

Each round writes the same ``--rows`` names of the linkage generator's Ukrainian list (size L) under fresh
random ids, each way in its own transaction (commit included), into one database that grows; the name values
exist after the first round (as for every import but the first). CPU seconds of this process, plus on
PostgreSQL the connection's server process (``/proc``); the cyclic garbage collector is run before each
write and kept off during it, so that a collection of the caller's objects is not charged to one of them.
"""

from __future__ import annotations

import argparse
import gc
import random
import shutil
import statistics

import common
from upkeep import _cpu_clock


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=10000)
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--db", default="sqlite")
    a = ap.parse_args()
    if a.db == "sqlite":
        shutil.rmtree(common.CACHE / "upkeep-ab-home", ignore_errors=True)
    common.setup_django(a.db, home_name="upkeep-ab-home")
    from django.core.management import call_command
    from django.db import transaction

    call_command("migrate", verbosity=0)
    from homeward.registry import search

    rows = list(common.read_csv(common.generated("L") / "ua.csv"))[: a.rows]
    names = [(r["surname"], r["given_name"], r["patronymic"]) for r in rows]
    rng = random.Random(1)
    cpu_now = _cpu_clock()
    took: dict[str, list[float]] = {"NameRef rows (index_many)": [], "NamePosting (index_list_version)": []}
    for k in range(a.rounds):
        for way in (took if k % 2 == 0 else reversed(list(took))):
            ids = [rng.getrandbits(62) for _ in names]
            gc.collect()
            gc.disable()
            c0 = cpu_now()
            with transaction.atomic():
                if way.startswith("NameRef"):
                    search.index_many(search.REF.PERSON, ((i, [n]) for i, n in zip(ids, names, strict=True)),
                                      replace=False)
                else:
                    search.index_list_version(k + 1, [(i, *n) for i, n in zip(ids, names, strict=True)])
            took[way].append(cpu_now() - c0)
            gc.enable()
    for way, t in took.items():
        print(f"{way}: CPU median {statistics.median(t[1:]):.3f} s per {a.rows:,} entries (rounds after the "
              f"first: {[round(x, 3) for x in t[1:]]}; first {t[0]:.3f} s)")


if __name__ == "__main__":
    main()
