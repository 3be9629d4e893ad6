"""Copy the SQLite benchmark registry (children and their name keys, as ``build.py`` made them) into a
PostgreSQL database with COPY, so both databases are measured on the same records without computing the
keys twice (on a shared 2-core machine the key computation and the ORM are what take time).

    python benchmarks/search/copy_to_pg.py --db postgres://postgres@127.0.0.1:5432/homeward_search_bench
"""

from __future__ import annotations

import argparse
import sqlite3
import time

import common


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", required=True)
    a = ap.parse_args()
    source = common.CACHE / "sqlite-home" / "homeward.sqlite3"
    common.setup_django(a.db)
    from django.core.management import call_command
    from django.db import connection, transaction

    from homeward.registry.models import Child, NameRef, NameValue, NameValueKey

    call_command("migrate", verbosity=0)
    common.actors()
    if Child.objects.exists():
        print(f"already there: {Child.objects.count():,} children; index: {common.ensure_index() or 'complete'}")
        return
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    started = time.perf_counter()
    with connection.schema_editor() as editor:
        for index in NameRef._meta.indexes:
            editor.remove_index(NameRef, index)
    for model in (Child, NameValue, NameValueKey, NameRef):
        table = model._meta.db_table
        cols = [r[1] for r in src.execute(f"PRAGMA table_info({table})")]
        with transaction.atomic(), connection.cursor() as cur:
            with cur.cursor.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
                for row in src.execute(f"SELECT {', '.join(cols)} FROM {table}"):
                    copy.write_row(row)
            cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")
        print(f"  {table}: copied ({time.perf_counter() - started:.0f} s)", flush=True)
    made = common.ensure_index()
    print(f"copied {Child.objects.count():,} children, {NameRef.objects.count():,} index rows in "
          f"{time.perf_counter() - started:.0f} s; index built: {', '.join(made)}")


if __name__ == "__main__":
    main()
