"""Shared set-up of the search benchmarks: Django on a benchmark database, the registry built once and cached.

The database is chosen by ``--db``: ``sqlite`` (a file under ``/tmp/homeward-search-bench/``) or a
PostgreSQL URL (``postgres://postgres@127.0.0.1:5432/homeward_search_bench``). Children come from the
linkage benchmark's generator (``benchmarks/linkage/generate.py``, size L, seed 1: 700,000 Russian-side
records), not from ``homeward.names``, so the names toolkit is not tested against itself.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
CACHE = Path(os.environ.get("HOMEWARD_SEARCH_BENCH", "/tmp/homeward-search-bench"))
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks" / "linkage"))

PASSWORD = "bench-password-1"


def setup_django(db: str, home_name: str = "sqlite-home") -> None:
    """Point Django at the benchmark database (before ``django.setup``)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    if db == "sqlite":
        home = CACHE / home_name
        home.mkdir(exist_ok=True)
        os.environ["HOMEWARD_HOME"] = str(home)
        os.environ.pop("HOMEWARD_DATABASE_URL", None)
    else:
        os.environ["HOMEWARD_HOME"] = str(CACHE / "pg-home")
        (CACHE / "pg-home").mkdir(exist_ok=True)
        os.environ["HOMEWARD_DATABASE_URL"] = db
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "homeward.settings")
    os.environ.setdefault("HOMEWARD_NAMES_CACHE", str(CACHE / "names-cache"))
    import django

    django.setup()
    from django.conf import settings

    settings.BACKGROUND_JOBS = False
    settings.CONTINUOUS_MATCHING = False
    settings.EXCHANGE_MATCH_ON_IMPORT = False
    settings.ALLOWED_HOSTS = ["*"]


def generated(size: str = "L", seed: int = 1) -> Path:
    """The linkage generator's files for (size, seed), generated once into the cache."""
    out = CACHE / f"{size}-{seed}"
    if not (out / "truth.csv").exists():
        import generate  # benchmarks/linkage/generate.py

        left, right, truth = generate.generate(*generate.SIZES[size], seed)
        generate.write(out, left, right, truth)
    return out


def read_csv(path: Path) -> Iterator[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as f:
        yield from csv.DictReader(f)


def birth_date(text: str) -> dt.date | None:
    for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def sex(text: str) -> str:
    return {"ж": "F", "м": "M", "ч": "M", "f": "F", "m": "M"}.get(text.strip().lower()[:1], "U")


def party_of(record_id: str) -> str:
    """Half the registry is UA's, half RU's (by record number), so that scoping is exercised."""
    return "UA" if int(record_id[2:]) % 2 else "RU"


def actors() -> dict[str, Any]:
    from homeward.accounts.models import Party, User

    parties = {code: Party.objects.get_or_create(code=code, defaults={"name": code, "kind": kind})[0]
               for code, kind in (("UA", "authority"), ("RU", "authority"), ("QA", "mediator"))}
    out = {}
    for name, party, role in (("bench-mediator", "QA", "mediator_admin"), ("bench-ua", "UA", "party_officer"),
                              ("bench-ru", "RU", "party_officer")):
        user = User.objects.filter(username=name).first()
        if user is None:
            user = User(username=name, party=parties[party], role=role)
            user.set_password(PASSWORD)
            user.save()
        out[name.removeprefix("bench-")] = user
    return out


def child_rows(records: Iterator[dict[str, str]], parties: dict[str, Any]) -> Iterator[Any]:
    from homeward.names.collate import collation_key
    from homeward.registry.models import Child

    for r in records:
        c = Child(party=parties[party_of(r["record_id"])], given_name=r["given_name"], surname=r["surname"],
                  patronymic=r["patronymic"], sex=sex(r["sex"]), birth_date=birth_date(r["birth_date"]),
                  birth_place=r["birth_place"], region=r["record_id"])  # region keeps the generator's id
        c.sort_key = collation_key(c.full_name)[:600]
        yield c


def load_registry(records: Iterator[dict[str, str]], *, batch: int = 5000, say: Any = print) -> int:
    """Insert children in bulk and their index rows (``homeward.registry.search.index_many``: the name values
    made once, one ``NameRef`` row per child), the record rows' B-trees dropped during the load and built
    after it (what a bulk load does; the application's own writes go through ``search.index``)."""
    from django.db import connection, transaction

    from homeward.accounts.models import Party
    from homeward.registry import search
    from homeward.registry.models import Child, NameRef

    parties = {p.code: p for p in Party.objects.all()}
    n, started = 0, time.perf_counter()
    buf: list[Any] = []
    with connection.schema_editor() as editor:
        for index in NameRef._meta.indexes:
            editor.remove_index(NameRef, index)

    def flush() -> None:
        with transaction.atomic():
            made = Child.objects.bulk_create(buf, batch_size=batch)
            search.index_many(search.REF.CHILD, ((c.pk, [(c.surname, c.given_name, c.patronymic)]) for c in made),
                              replace=False)
        buf.clear()

    for child in child_rows(records, parties):
        buf.append(child)
        n += 1
        if len(buf) >= batch:
            flush()
            if n % 50_000 == 0:
                say(f"  {n:,} children ({time.perf_counter() - started:.0f} s)", flush=True)
    if buf:
        flush()
    say(f"  rows in: {time.perf_counter() - started:.0f} s; building the index", flush=True)
    ensure_index()
    return n


INDEX_TABLES = ("NameRef", "NameValueKey")


def ensure_index() -> list[str]:
    """Build the name index's B-trees that are missing (after a bulk load); returns their names."""
    from django.apps import apps
    from django.db import connection

    made = []
    for name in INDEX_TABLES:
        model = apps.get_model("registry", name)
        with connection.cursor() as cur:
            have = set(connection.introspection.get_constraints(cur, model._meta.db_table))
        with connection.schema_editor() as editor:
            for index in model._meta.indexes:
                if index.name not in have:
                    editor.add_index(model, index)
                    made.append(str(index.name))
    with connection.cursor() as cur:
        # PostgreSQL: VACUUM too, so the visibility map is set and the index lookups are index-only scans
        # (after a bulk COPY every lookup otherwise visits the table; autovacuum gets there later, or not
        # before the measurement)
        cur.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return made


def api_client(user: Any) -> tuple[Any, dict[str, str]]:
    """A Django test client and a bearer header of ``user``. The token is minted directly
    (``accounts.tokens.issue``): the mediator's sign-in through the API needs a two-factor code, and the
    benchmark measures searches, not sign-in."""
    from django.test import Client

    from homeward.accounts import tokens

    _token, raw = tokens.issue(user, name="search-bench")
    return Client(), {"HTTP_AUTHORIZATION": "Bearer " + raw}


def percentile(values: list[float], p: float) -> float:
    s = sorted(values)
    if not s:
        return float("nan")
    k = max(0, min(len(s) - 1, int(round(p / 100 * (len(s) - 1)))))
    return s[k]


def noise_notes(size: str = "L", seed: int = 1) -> dict[str, list[str]]:
    """Each generated record's noise (``generate.generate(..., notes=...)``: "typo surname", "adoptive surname",
    "date digit", "twin of UA…", ...), made once beside the generated files (``notes.csv``; the generation is
    repeated for it, drawing the same records)."""
    path = generated(size, seed) / "notes.csv"
    if not path.exists():
        import generate

        notes: dict[str, list[str]] = {}
        generate.generate(*generate.SIZES[size], seed, notes=notes)
        tmp = path.with_suffix(".tmp")
        with open(tmp, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["record_id", "noise"])
            w.writerows((rid, ";".join(kinds)) for rid, kinds in sorted(notes.items()))
        tmp.replace(path)
    return {r["record_id"]: r["noise"].split(";") for r in read_csv(path) if r["noise"]}


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval (95 % by default) of a proportion ``k / n``."""
    if n == 0:
        return float("nan"), float("nan")
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * ((p * (1 - p) / n + z * z / (4 * n * n)) ** 0.5) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def proportion(k: int, n: int) -> str:
    """``k / n`` with its 95 % Wilson interval, as the benchmarks print it."""
    if n == 0:
        return "n/a (0/0)"
    lo, hi = wilson(k, n)
    return f"{k / n:.3f} ({k}/{n}; 95 % CI {lo:.3f}-{hi:.3f})"
