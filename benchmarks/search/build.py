"""Build (once) the 700,000-children registry of the search benchmarks, with its name index.

    python benchmarks/search/build.py --db sqlite
    python benchmarks/search/build.py --db postgres://postgres@127.0.0.1:5432/homeward_search_bench
    HOMEWARD_SEARCH_BENCH=/tmp/bench-seed2 python benchmarks/search/build.py --db sqlite --seed 2

Idempotent: a database that already holds the children is left alone (the build takes minutes on a shared
2-core machine; the file is cached under /tmp/homeward-search-bench/). ``--limit N`` loads the first N
records only. A build stopped between batches (each batch of children and their keys is one transaction)
is finished by running the command again: the index's B-trees, dropped during the load, are built.
"""

from __future__ import annotations

import argparse
import itertools
import time

import common


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", default="sqlite")
    ap.add_argument("--size", default="L", help="generator size (L: 700,000 registry children)")
    ap.add_argument("--seed", type=int, default=1, help="generator seed (another seed: another registry; give it "
                    "its own HOMEWARD_SEARCH_BENCH directory)")
    ap.add_argument("--limit", type=int, default=0, help="load at most this many children (0: all)")
    a = ap.parse_args()
    common.setup_django(a.db)
    from django.core.management import call_command
    from django.db import connection

    from homeward.registry.models import Child, NameRef, NameValue

    call_command("migrate", verbosity=0)
    common.actors()
    if Child.objects.exists():
        made = common.ensure_index()
        print(f"already built: {Child.objects.count():,} children, {NameRef.objects.count():,} index rows, "
              f"{NameValue.objects.count():,} name values"
              + (f"; index built ({', '.join(made)})" if made else ""))
        return
    data = common.generated(a.size, a.seed)
    started = time.perf_counter()
    records = common.read_csv(data / "ru.csv")
    n = common.load_registry(itertools.islice(records, a.limit) if a.limit else records)
    took = time.perf_counter() - started
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    print(f"built: {n:,} children, {NameRef.objects.count():,} index rows, {NameValue.objects.count():,} name "
          f"values in {took:.0f} s ({connection.vendor})")


if __name__ == "__main__":
    main()
