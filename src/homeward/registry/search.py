"""Search by name in any script, scheme or form, on the name-key index (``NameKey``).

Writes: :func:`index` rewrites one record's keys; the registry services call it on every save (in the
same transaction), the list import calls :func:`index_many` for the entries it adds, and
``homeward search reindex`` / migration 0003 rebuild everything.

Reads: :func:`search` takes a queryset that is *already scoped* by ``homeward.access`` (and filtered by the
page's other filters) and returns its records matching a query, ranked: exact spelling first, then the same
name (another script, scheme, language form, diminutive or gender form), then one typo per word.  Only ids
inside the given queryset are ever looked up or counted, so nothing about out-of-scope records leaks.
:func:`find_children` is the short form for the children an actor may see.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import sqlite3
import sys
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence, Sized
from dataclasses import dataclass
from itertools import accumulate, chain, islice, repeat
from operator import and_, attrgetter, countOf, itemgetter, lshift, or_, rshift
from typing import Any, Generic, TypeVar, overload

from django.db import models, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from homeward import access
from homeward.access import Viewer
from homeward.names.collate import collation_key
from homeward.names.keys import Part, is_patronymic
from homeward.names.search import Match, QueryWord, explain, field_keys, query_keys
from homeward.registry.models import Child, NamePosting, NameRef, NameValue, NameValueKey, Person, TracingRequest

__all__ = [
    "Hit",
    "Ranked",
    "filtered",
    "find_children",
    "index",
    "index_list_version",
    "index_many",
    "match_reasons",
    "reason_text",
    "reindex",
    "search",
    "stored_keys",
    "value_ids",
]

M = TypeVar("M", bound=models.Model)
Names = tuple[str, str, str]  # surname, given name, patronymic

REF = NameRef.RefType
_REF_NAMES = {REF.CHILD: "child", REF.PERSON: "person", REF.TRACING_REQUEST: "tracing request",
              REF.LIST_ENTRY: "list entry"}
#: Ranking ties are broken alphabetically for up to this many results (else by id).
SORT_BY_NAME_UP_TO = 5000


def ref_type_of(obj: Any) -> str:
    from homeward.exchange.models import ListEntry

    for model, ref in ((Child, REF.CHILD), (Person, REF.PERSON), (TracingRequest, REF.TRACING_REQUEST),
                       (ListEntry, REF.LIST_ENTRY)):
        if isinstance(obj, model):
            return ref
    raise TypeError(f"not a searchable record: {type(obj).__name__}")


def _ref_type_of_model(model: type[models.Model]) -> str:
    return ref_type_of(model())


def names_of(obj: Any) -> list[Names]:
    """The name forms a record is found under (a child's other name forms included)."""
    names = [(obj.surname, obj.given_name, obj.patronymic)]
    if isinstance(obj, Child) and not obj._state.adding:
        names += [(f.surname, f.given_name, f.patronymic) for f in obj.name_forms.all()]
    return names


PART_LETTERS: tuple[tuple[Part, str], ...] = (("surname", "s"), ("given", "g"), ("patronymic", "p"))
ValueKey = tuple[str, str]  # (part letter, text as written)

#: Rows per INSERT statement where there is no COPY (5 parameters each at most: under SQLite's oldest bound of
#: 999 parameters per statement).
INSERT_ROWS = 180


def _insert(table: str, cols: Sequence[str], rows: Iterable[Sequence[Any]], *, copy: bool = True) -> None:
    """Write rows with few plain statements (``INSERT … VALUES (…), (…), …`` of :data:`INSERT_ROWS` rows each;
    ``COPY`` on PostgreSQL), not through model instances: the ORM's per-object work was most of the index
    upkeep on a list import. ``rows`` is read once, as the statements go."""
    if isinstance(rows, Sized) and not rows:
        return
    from django.db import connection

    qn = connection.ops.quote_name
    names = ", ".join(qn(c) for c in cols)
    with connection.cursor() as cur:
        raw = getattr(cur, "cursor", None)
        if copy and connection.vendor == "postgresql" and hasattr(raw, "copy"):  # psycopg 3
            with raw.copy(f"COPY {qn(table)} ({names}) FROM STDIN") as out:  # type: ignore[union-attr]
                for row in rows:
                    out.write_row(row)
            return
        # SQLite: the driver's own cursor takes "?" as written (Django's wrapper rewrote each statement's ~900
        # "%s" with a regular expression, a tenth of the Python work of a list import's upkeep)
        run: Callable[[str, list[Any]], Any] = cur.execute
        mark = "%s"
        if connection.vendor == "sqlite" and isinstance(raw, sqlite3.Cursor):
            run, mark = functools.partial(sqlite3.Cursor.execute, raw), "?"
        one = "(" + ", ".join([mark] * len(cols)) + ")"
        head = f"INSERT INTO {qn(table)} ({names}) VALUES "  # noqa: S608 (quoted model names only)
        full = head + ", ".join([one] * INSERT_ROWS)
        todo = iter(rows)
        while part := list(islice(todo, INSERT_ROWS)):
            sql = full if len(part) == INSERT_ROWS else head + ", ".join([one] * len(part))
            run(sql, list(chain.from_iterable(part)))


def _stored_ids(letter: str, texts: Sequence[str]) -> dict[str, int]:
    """``{text: id}`` of the values of one part (letter) among ``texts`` already stored: on PostgreSQL one
    statement with one array parameter (written by :func:`_pg_text_array`: psycopg's list dumper was a tenth of a
    list import's upkeep), on SQLite one per 900 texts through the driver's own cursor (see :func:`_insert`)."""
    from django.db import connection

    qn = connection.ops.quote_name
    head = (f"SELECT {qn('text')}, {qn('id')} FROM {qn(NameValue._meta.db_table)} "  # noqa: S608 (quoted names)
            f"WHERE {qn('part')} = %s AND {qn('text')} ")
    out: dict[str, int] = {}
    if not texts:
        return out
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            # two arrays in one row, not a row per value: the same client CPU, and no tuple per value for the
            # cyclic garbage collector to track (~7,200 per list import of 10,000 entries)
            agg = (f"SELECT array_agg({qn('text')}), array_agg({qn('id')}) FROM {qn(NameValue._meta.db_table)} "  # noqa: S608
                   f"WHERE {qn('part')} = %s AND {qn('text')} = ANY(%s::text[])")
            cur.execute(agg, [letter, _pg_text_array(texts)])
            found, pks = cur.fetchone()
            out.update(zip(found or (), pks or (), strict=True))
            return out
        raw = getattr(cur, "cursor", None)
        for i in range(0, len(texts), 900):
            part = texts[i : i + 900]
            if isinstance(raw, sqlite3.Cursor):
                sql = (head + "IN (" + ", ".join(["?"] * len(part)) + ")").replace("%s", "?")
                out.update(sqlite3.Cursor.execute(raw, sql, [letter, *part]).fetchall())
            else:
                cur.execute(head + "IN (" + ", ".join(["%s"] * len(part)) + ")", [letter, *part])
                out.update(cur.fetchall())
    return out


def _existing_values(wanted: Iterable[ValueKey]) -> dict[ValueKey, int]:
    """The ids of the values of ``wanted`` already stored (none made)."""
    by_part: dict[str, list[str]] = {}
    for letter, text in wanted:
        by_part.setdefault(letter, []).append(text)
    return {(letter, t): int(pk) for letter, texts in by_part.items() for t, pk in _stored_ids(letter, texts).items()}


def _part_value_ids(letter: str, texts: Iterable[str | None]) -> dict[str, int]:
    """``{text: NameValue id}`` of one part's texts (empty ones left out), each made (with its keys) where new.

    A value made by a concurrent transaction is not made twice: the INSERT skips conflicts and returns only the
    rows it made, whose keys are then written; the others are read again."""
    from django.db import connection

    todo = {t for t in texts if t}
    out = _stored_ids(letter, list(todo))
    missing = sorted(todo - out.keys())
    if not missing:
        return out
    qn = connection.ops.quote_name
    table = qn(NameValue._meta.db_table)
    made: dict[str, int] = {}
    with connection.cursor() as cur:
        for i in range(0, len(missing), INSERT_ROWS):
            part = missing[i : i + INSERT_ROWS]
            cur.execute(f"INSERT INTO {table} ({qn('part')}, {qn('text')}) VALUES "  # noqa: S608 (quoted names)
                        + ", ".join(["(%s, %s)"] * len(part)) + f" ON CONFLICT DO NOTHING RETURNING "
                        f"{qn('id')}, {qn('text')}", [x for t in part for x in (letter, t)])
            made.update((text, int(pk)) for pk, text in cur.fetchall())
    name_part = dict((lt, p) for p, lt in PART_LETTERS)[letter]
    _insert(NameValueKey._meta.db_table, ("value_id", "key", "tier"),
            [(pk, k, t) for text, pk in made.items() for k, t in field_keys(text, name_part).items()], copy=False)
    out.update(made)
    if len(out) < len(todo):  # made by another transaction meanwhile
        out.update(_stored_ids(letter, sorted(todo - out.keys())))
    return out


def value_ids(wanted: Iterable[ValueKey]) -> dict[ValueKey, int]:
    """The ``NameValue`` id of each (part letter, text), made (with its keys) where it is new (see
    :func:`_part_value_ids`); empty texts are left out."""
    by_part: dict[str, set[str]] = {}
    for letter, text in wanted:
        by_part.setdefault(letter, set()).add(text)
    return {(letter, t): pk for letter, texts in by_part.items() for t, pk in _part_value_ids(letter, texts).items()}


def _part_ids(rows: Sequence[Any], first: int, getters: Sequence[Callable[[Any], Any]] = ()
              ) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    """``{text: NameValue id}`` per part (surname, given name, patronymic) of the texts in columns ``first`` to
    ``first + 2`` of ``rows`` (or read by ``getters``, one a part), the values made where new. Each part's
    distinct texts are taken by the interpreter's C loops (no Python step per row), and no tuple is made per
    text."""
    got = getters or [itemgetter(j) for j in range(first, first + len(PART_LETTERS))]
    s, g, p = (_part_value_ids(letter, set(map(get, rows))) for get, (_p, letter) in zip(got, PART_LETTERS,
                                                                                         strict=True))
    return s, g, p


def _unpack(blob: bytes | memoryview) -> array[int]:
    out = array("q")
    out.frombytes(bytes(blob))
    if sys.byteorder != "little":
        out.byteswap()
    return out


#: How :func:`index_list_version` reads an entry given as an object (a ``ListEntry``): id, the three parts.
_ENTRY_GETTERS: tuple[Callable[[Any], Any], ...] = (
    attrgetter("pk"), attrgetter("surname"), attrgetter("given_name"), attrgetter("patronymic"),
    attrgetter("surname", "given_name", "patronymic"))
_TUPLE_GETTERS: tuple[Callable[[Any], Any], ...] = (
    itemgetter(0), itemgetter(1), itemgetter(2), itemgetter(3), itemgetter(1, 2, 3))


def index_list_version(version_id: int, entries: Sequence[Any]) -> int:
    """Index the entries of a new list version, all of them at once: one ``NamePosting`` row per distinct name
    value of the version (the version's entries with it), the values made where new; returns the number of
    entries with a name. The list import calls it in its transaction with the ``ListEntry`` objects it wrote
    (read through ``pk``, ``surname``, ``given_name``, ``patronymic``: no tuple is made per entry); tuples
    (id, surname, given name, patronymic) are read as such.

    Each (entry, name part) becomes one integer, ``value id << b | entry id`` (``b`` the entry ids' bit length),
    made and sorted by the interpreter's C loops: sorted, they are the postings one after the other, each
    posting's ids ascending. No container is made per value or per entry: a list per value and a tuple per entry
    and per fetched value were ~30,000 objects for the cyclic garbage collector to track and promote (a full
    collection in a list import's process takes ~0.2 s), and 8 % of the upkeep's CPU (docs/benchmarks.md)."""
    if not entries:
        return 0
    get_id, *get_parts, get_names = _TUPLE_GETTERS if isinstance(entries[0], tuple) else _ENTRY_GETTERS
    rids = list(map(get_id, entries))
    bits = max(rids).bit_length()
    keys: list[int] = []
    for get, by_text in zip(get_parts, _part_ids(entries, 1, get_parts), strict=True):
        vids = map(by_text.get, map(get, entries), repeat(0))  # 0: an empty field (ids start at 1)
        keys += map(or_, map(lshift, vids, repeat(bits)), rids)
    keys.sort()
    del keys[: bisect_left(keys, 1 << bits)]  # the empty fields' keys (value id 0)
    packed = array("q", map(and_, keys, repeat((1 << bits) - 1)))  # the entry ids, posting after posting
    if sys.byteorder != "little":
        packed.byteswap()
    sizes = Counter(map(rshift, keys, repeat(bits)))  # {value id: its entries}, ascending (the keys are sorted)
    del keys
    if not _copy_postings(version_id, sizes, packed):
        blob = packed.tobytes()
        ends = accumulate(sizes.values())
        rows = ((vid, version_id, blob[8 * (end - n) : 8 * end])
                for (vid, n), end in zip(sizes.items(), ends, strict=True))
        _insert(NamePosting._meta.db_table, ("value_id", "version_id", "ids"), rows)  # sliced as the statements go
    return len(entries) - countOf(map(get_names, entries), ("", "", ""))  # those with a name


def _copy_postings(version_id: int, sizes: dict[int, int], packed: array[int]) -> bool:
    """PostgreSQL: the postings (``sizes``: value id and number of ids, in order; ``packed``: their ids one
    after the other) sent by one ``COPY`` as text written here (``bytea`` in hex, sliced from one hex string),
    not row by row through psycopg's ``write_row`` (12 µs a row, most of the upkeep's client CPU); False
    elsewhere (nothing written)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return False
    qn = connection.ops.quote_name
    with connection.cursor() as cur:
        raw = getattr(cur, "cursor", None)
        if not hasattr(raw, "copy"):  # pragma: no cover (psycopg 2)
            return False
        cols = ", ".join(qn(c) for c in ("value_id", "version_id", "ids"))
        hexed = packed.tobytes().hex()
        ends = accumulate(sizes.values())
        with raw.copy(f"COPY {qn(NamePosting._meta.db_table)} ({cols}) FROM STDIN") as out:  # type: ignore[union-attr]
            # integers and hex digits only: nothing to escape (a doubled backslash: COPY's escape of bytea's "\x")
            out.write("".join([f"{vid:d}\t{version_id:d}\t\\\\x{hexed[16 * (end - n) : 16 * end]}\n"
                               for (vid, n), end in zip(sizes.items(), ends, strict=True)]))
    return True


def _index_list_entries(records: Iterable[tuple[int, Sequence[Names]]]) -> int:
    """List entries (:func:`index_many`): the postings of their versions rewritten whole from the entries'
    names as stored (a version's entries are written together and their names never change)."""
    from homeward.exchange.models import ListEntry

    ids = [rid for rid, _names in records]
    versions: set[int] = set()
    for i in range(0, len(ids), SCOPE_CHUNK):
        versions.update(_id_in(ListEntry.objects.order_by(), ids[i : i + SCOPE_CHUNK]).values_list(
            "version_id", flat=True).distinct())
    return _index_list_versions(sorted(versions))


def _index_list_versions(versions: Sequence[int] | None) -> int:
    """The postings of ``versions`` (every version for None) rewritten from their entries' names."""
    from homeward.exchange.models import ListEntry

    written = 0
    with transaction.atomic():
        if versions is None:
            NamePosting.objects.all().delete()
            versions = sorted(set(ListEntry.objects.order_by().values_list("version_id", flat=True).distinct()))
        else:
            for i in range(0, len(versions), SCOPE_CHUNK):
                NamePosting.objects.filter(version_id__in=versions[i : i + SCOPE_CHUNK]).delete()
        for version in versions:
            entries = list(ListEntry.objects.filter(version_id=version).order_by().values_list(
                "pk", "surname", "given_name", "patronymic"))
            written += index_list_version(version, entries)
    return written


def index(obj: Any) -> None:
    """Rewrite the index rows of one record (call it after every change of its names)."""
    index_many(ref_type_of(obj), [(obj.pk, names_of(obj))])


def index_many(ref_type: str, records: Iterable[tuple[int, Sequence[Names]]], *, replace: bool = True,
               batch_size: int = 5000) -> int:
    """Index many records of one type; returns the number of record rows (``NameRef``) written: one per record
    and name form with a name, however many keys its names have (those are stored once per distinct value).

    List entries are indexed per version (``NamePosting``): the postings of the given entries' versions are
    rewritten from the entries' names as stored (the names given are not read); returns the entries with a
    name in those versions. A new version is indexed by :func:`index_list_version`."""
    if ref_type == REF.LIST_ENTRY:
        return _index_list_entries(records)
    written = 0
    table = NameRef._meta.db_table
    cols = ("ref_type", "ref_id", "surname_value", "given_value", "patronymic_value")
    with transaction.atomic():
        batch: list[tuple[int, str, str, str]] = []
        ids: list[int] = []

        def flush() -> None:
            nonlocal written
            if replace and ids:
                for i in range(0, len(ids), SCOPE_CHUNK):
                    NameRef.objects.filter(ref_type=ref_type, ref_id__in=ids[i : i + SCOPE_CHUNK]).delete()
            sv, gv, pv = _part_ids(batch, 1)
            # in record order: the rows then go into the record index (``nameref_record``) one after the other,
            # not at random places (the ids are random), which made its B-tree inserts cheaper
            batch.sort(key=itemgetter(0))
            rows = [(ref_type, rid, sv.get(s), gv.get(g), pv.get(p)) for rid, s, g, p in batch]
            _insert(table, cols, rows)
            written += len(rows)
            batch.clear()
            ids.clear()

        for ref_id, names in records:
            if replace:  # a new record (a list import's entries) has no rows to delete
                ids.append(ref_id)
            if len(names) == 1:  # most records: no other name form to tell apart
                s, g, p = names[0]
                if s or g or p:
                    batch.append((ref_id, s or "", g or "", p or ""))
            else:
                seen: set[Names] = set()
                for n in names:
                    n = (n[0] or "", n[1] or "", n[2] or "")
                    if any(n) and n not in seen:
                        seen.add(n)
                        batch.append((ref_id, *n))
            if len(batch) >= batch_size:
                flush()
        flush()
    return written


def stored_keys(ref_type: str) -> dict[int, dict[str, int]]:
    """``{record id: {key: tier}}`` as the index holds them for one record type (its rows joined to their
    values' keys; the tiers of a record's name forms merged): what ``record_keys`` gives for its names."""
    by_value: dict[int, dict[str, int]] = {}
    for vid, key, tier in NameValueKey.objects.values_list("value_id", "key", "tier"):
        by_value.setdefault(vid, {})[key] = tier
    out: dict[int, dict[str, int]] = {}
    rows: Iterable[Sequence[Any]] = NameRef.objects.filter(ref_type=ref_type).values_list(
        "ref_id", "surname_value", "given_value", "patronymic_value")
    if ref_type == REF.LIST_ENTRY:
        rows = ((rid, vid) for vid, blob in NamePosting.objects.values_list("value_id", "ids")
                for rid in _unpack(blob))
    for rid, *vids in rows:
        keys = out.setdefault(rid, {})
        for value in vids:
            for key, tier in by_value.get(value, {}).items() if value is not None else ():
                keys[key] = min(tier, keys.get(key, tier))
    return out


def _iter_names(qs: QuerySet[Any], prefetch_forms: bool = False) -> Iterator[tuple[int, list[Names]]]:
    if prefetch_forms:
        from homeward.registry.models import NameForm

        forms: dict[int, list[Names]] = {}
        for cid, s, g, p in NameForm.objects.values_list("child_id", "surname", "given_name", "patronymic"):
            forms.setdefault(cid, []).append((s, g, p))
    for pk, s, g, p in qs.values_list("pk", "surname", "given_name", "patronymic").iterator(chunk_size=5000):
        names = [(s, g, p)]
        if prefetch_forms:
            names += forms.get(pk, [])
        yield pk, names


Progress = Callable[[str, int, int], None]
"""``progress(record type, records done, records in all)``, called as a rebuild goes."""


def _counted(items: Iterable[tuple[int, list[Names]]], kind: str, total: int, progress: Progress | None,
             every: int = 5000) -> Iterator[tuple[int, list[Names]]]:
    done = 0
    for item in items:
        yield item
        done += 1
        if progress is not None and done % every == 0:
            progress(kind, done, total)
    if progress is not None:
        progress(kind, done, total)


def reindex(progress: Progress | None = None, *, list_entries: bool = True) -> dict[str, int]:
    """Rebuild the whole index from the records (the backfill), in one transaction; returns the record rows
    written per record type (list entries: the entries with a name). A record written by a concurrent
    transaction while it runs may point to a value it drops: run it when the application is quiet (migrations,
    ``homeward search reindex``). ``list_entries=False`` leaves list entries out: registry migration 0009 only,
    which runs before their table (``NamePosting``, migration 0010, which indexes them) exists."""
    from homeward.exchange.models import ListEntry

    out: dict[str, int] = {}
    with transaction.atomic():
        NameRef.objects.all().delete()
        NameValueKey.objects.all().delete()
        NameValue.objects.all().delete()
        for ref, qs, forms in ((REF.CHILD, Child.objects.all(), True), (REF.PERSON, Person.objects.all(), False),
                               (REF.TRACING_REQUEST, TracingRequest.objects.all(), False),
                               (REF.LIST_ENTRY, ListEntry.objects.all(), False)):
            kind = _REF_NAMES[ref]
            if ref == REF.LIST_ENTRY:
                if list_entries:
                    total = qs.count()
                    out[kind] = _index_list_versions(None)
                    if progress is not None:
                        progress(kind, total, total)
                continue
            items = _counted(_iter_names(qs, forms), kind, qs.count(), progress)
            out[kind] = index_many(ref, items, replace=False)
    return out


# --- queries ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Hit:
    """How a found record matched: the tier of each query word (best first) and its explanations."""

    tiers: tuple[int, ...]
    matches: tuple[Match, ...]

    @property
    def why(self) -> list[str]:
        return [text for m in self.matches if (text := reason_text(m))]


PREFIX_TIER = 9  # after every index tier
#: A patronymic-shaped query word that a record without a patronymic cannot match (:func:`_candidates`): after
#: every word the record matches, even by one typo; before the prefix of a word still being typed.
MISSING_TIER = 3
#: Queries of this many words or more find records without a patronymic (full names: surname, given name,
#: patronymic); a shorter query must match every word (two words never leave one out).
MISSING_FROM = 3
PREFIX_FIELDS = ("surname", "given_name", "patronymic")


def _prefix_ids(scope: QuerySet[Any], word: str) -> list[int]:
    """Ids of the records in ``scope`` with a name part, as written, that starts with ``word`` (2+ letters)."""
    fields = [f for f in PREFIX_FIELDS if any(x.name == f for x in scope.model._meta.get_fields())]
    if len(word) < 2 or not fields:
        return []
    cond = models.Q()
    for f in fields:
        for form in {word, word.lower(), word.capitalize()}:  # SQLite folds case for ASCII only
            cond |= models.Q(**{f"{f}__startswith": form})
    return list(scope.filter(cond).order_by().values_list("pk", flat=True)[:1000])


#: Ids are checked against the caller's scope in chunks of this many (SQLite's bound on parameters).
SCOPE_CHUNK = 5000


def _id_in(qs: QuerySet[Any], ids: Sequence[int], column: str = "") -> QuerySet[Any]:
    """``qs`` restricted to rows whose ``column`` (the primary key by default) is one of ``ids``: the ids are
    written into the statement as integer literals. ``filter(pk__in=ids)`` prepares and binds each value one
    by one, and at thousands of ids per query that was most of a search's time (docs/benchmarks.md)."""
    if not ids:
        return qs.none()
    from django.db import connection

    qn = connection.ops.quote_name
    meta = qs.model._meta
    col = f"{qn(meta.db_table)}.{qn(column or meta.pk.column)}"
    literals = ",".join(str(int(i)) for i in ids)  # int(): only numbers ever reach the statement
    if connection.vendor == "postgresql":
        # one array constant, not thousands of IN-list constants: the same plan (PostgreSQL turns the list into
        # this array), half the planning time (5-6 instead of 12-16 ms for 5,000 ids; docs/benchmarks.md)
        return qs.extra(where=[f"{col} = ANY('{{{literals}}}'::bigint[])"])  # noqa: S610 (as below)
    return qs.extra(where=[f"{col} IN ({literals})"])  # noqa: S610 (integer literals and quoted names only)


def _in_scope(scope: QuerySet[Any], ids: Iterable[int]) -> set[int]:
    """The ids of ``ids`` inside ``scope`` (the access policy's queryset)."""
    todo, out = list(ids), set[int]()
    for i in range(0, len(todo), SCOPE_CHUNK):
        out.update(_id_in(scope, todo[i : i + SCOPE_CHUNK]).order_by().values_list("pk", flat=True))
    return out


#: A word whose keys point at no more index rows than this is looked up in full first; the other words of
#: the query are then checked on the found records' own rows only (``nameref_record``, one index descent per
#: record), not fetched whole. Above it, the database intersects the words' index ranges (:func:`_common_ids_of`):
#: at 700,000 children on PostgreSQL one descent cost about as much as reading 100 rows of a range, and 4,000-5,000
#: seeds' rows were 100-160 ms of a two-word query (docs/benchmarks.md).
PROBE_ROWS = 500
#: When every word is above :data:`PROBE_ROWS`, their rows are counted up to this many to put the rarest first in
#: :func:`_common_ids_of` (the next words' ranges are then only checked against its records).
ORDER_ROWS = 50_000


_COLUMNS = {"s": "surname_value", "g": "given_value", "p": "patronymic_value"}
_COLUMN_NUMBER = {col: i for i, col in enumerate(_COLUMNS.values())}
Values = dict[str, dict[int, int]]
"""One query word's matching name values: ``{NameRef column: {NameValue id: the query's tier}}``."""


def _pg_text_array(texts: Sequence[str]) -> str:
    """``texts`` as one PostgreSQL array literal of text (``{"a","b\\"c"}``), to be sent as a parameter."""
    if not texts:
        return "{}"
    # escaped all at once (the escapes are per character; NUL, never in a PostgreSQL text, parts the texts)
    joined = "\0".join(texts).replace("\\", "\\\\").replace('"', '\\"')
    return '{"' + joined.replace("\0", '","') + '"}'


_shared_values: contextvars.ContextVar[dict[tuple[str, ...], Values] | None] = contextvars.ContextVar(
    "homeward_search_shared_values", default=None)


@contextlib.contextmanager
def shared_lookups() -> Iterator[None]:
    """Within the block, each query word's name values (:func:`_word_values`, which no scope or record type
    changes) are read once, however many scopes are searched for it: continuous matching searches one
    record's names among children, tracing requests and list names, three searches of the same words."""
    token = _shared_values.set({})
    try:
        yield
    finally:
        _shared_values.reset(token)


def _word_values(word: QueryWord) -> Values:
    """The name values with a key of ``word`` (:func:`_words_values` of one word)."""
    return _words_values([word])[0]


def _words_values(words: Sequence[QueryWord]) -> list[Values]:
    """Per word, the name values with a key of it, each with the best *query* tier of its matching keys (a
    record's own ``a:`` key is a typo key of a query one edit away, so the stored tier is not read): a few
    hundred index seeks into the value keys (``namevaluekey_lookup``), whatever the number of records.

    Two statements for all the words together (not two a word), the keys and then their values' parts by
    primary key: joined in one, PostgreSQL hashed the whole value table (a sequential scan of 150,790 values at
    700,000 children, 30-60 ms of a query; docs/benchmarks.md). Inside :func:`shared_lookups`, read once per
    word."""
    shared = _shared_values.get()
    if shared is None:
        return _read_words_values(words)
    memo = [(word.word, *word.keys) for word in words]
    todo = [i for i, key in enumerate(memo) if key not in shared]
    for i, found in zip(todo, _read_words_values([words[i] for i in todo]) if todo else [], strict=True):
        shared[memo[i]] = found
    return [shared[key] for key in memo]


def _read_words_values(words: Sequence[QueryWord]) -> list[Values]:
    from django.db import connection

    qn = connection.ops.quote_name
    out: list[Values] = [{} for _w in words]
    if not words:
        return out
    # written by hand: the ORM's compilation of ``key IN (…)`` with ~500 keys was a tenth of a one-word search.
    # Every word's keys in one list (each key once), each row's key then told to the words that have it: one
    # index scan. One UNION ALL arm a word made PostgreSQL plan a Parallel Append under a Gather (two workers
    # started per query): 20-27 ms for a two-word query at 700,000 children against 3 ms (docs/benchmarks.md).
    keys = list(dict.fromkeys(k for word in words for k in word.keys))
    if not keys:
        return out
    sql = f"SELECT {qn('value_id')}, {qn('key')} FROM {qn(NameValueKey._meta.db_table)} WHERE {qn('key')} "  # noqa: S608
    if connection.vendor == "postgresql":
        # one array parameter, not one placeholder per key: psycopg parses (and caches) a statement of at most
        # 50 parameters once, but re-parsed a 500-700-placeholder one on every call, character by character —
        # more than half the Python time of registration's duplicate check. Same plan (PostgreSQL turns the IN
        # list into this array itself). The array is written as one text literal (each key in double quotes,
        # backslash and quote escaped, as PostgreSQL's array input reads it): psycopg's list dumper took ~6 ms
        # a word in Python.
        sql += "= ANY(%s::text[])"
        params: list[Any] = [_pg_text_array(keys)]
    else:
        sql += f"IN ({', '.join(['%s'] * len(keys))})"
        params = keys
    best: list[dict[int, int]] = [{} for _w in words]
    tiers = [word.keys for word in words]
    with connection.cursor() as cur:
        cur.execute(sql, params)
        for vid, key in cur.fetchall():
            for word_tiers, b in zip(tiers, best, strict=True):
                t = word_tiers.get(key)
                if t is not None and t < b.get(vid, 99):
                    b[int(vid)] = t
        found = set().union(*best)
        if not found:
            return out
        literals = ",".join(str(v) for v in found)  # value ids read above: integers only
        cur.execute(f"SELECT {qn('id')}, {qn('part')} FROM {qn(NameValue._meta.db_table)} "  # noqa: S608
                    f"WHERE {qn('id')} IN ({literals})")
        parts = {int(vid): letter for vid, letter in cur.fetchall()}
    for b, o in zip(best, out, strict=True):
        for vid, t in b.items():
            col = _COLUMNS.get(parts.get(vid, ""))
            if col is not None:
                o.setdefault(col, {})[vid] = t
    return out


def _ref_sql(ref_type: str, values: Values, limit: int = 0) -> list[tuple[str, list[Any]]]:
    """One statement per name column: (record id, value id) of the records pointing to one of the values."""
    from django.db import connection

    qn = connection.ops.quote_name
    table = qn(NameRef._meta.db_table)
    out = []
    for col, tiers in values.items():
        literals = ",".join(str(int(v)) for v in tiers)  # int(): only numbers ever reach the statement
        sql = (f"SELECT {qn('ref_id')}, {qn(col)} FROM {table} WHERE {qn('ref_type')} = %s "  # noqa: S608
               f"AND {qn(col)} IN ({literals})" + (f" LIMIT {int(limit)}" if limit else ""))
        out.append((sql, [ref_type]))
    return out


def _posting_hits(values: Values) -> dict[int, int]:
    """:func:`_word_hits` of list entries: the postings of the word's values (one primary-key range per value,
    one row per list version with the value), unpacked."""
    from django.db import connection

    tiers = {vid: t for by_value in values.values() for vid, t in by_value.items()}  # value ids: unique
    best: dict[int, int] = {}
    if not tiers:
        return best
    qn = connection.ops.quote_name
    literals = ",".join(str(int(v)) for v in tiers)  # int(): only numbers ever reach the statement
    with connection.cursor() as cur:
        cur.execute(f"SELECT {qn('value_id')}, {qn('ids')} FROM {qn(NamePosting._meta.db_table)} "  # noqa: S608
                    f"WHERE {qn('value_id')} IN ({literals})")
        for vid, blob in cur.fetchall():
            t = tiers[vid]
            for rid in _unpack(blob):
                if t < best.get(rid, 99):
                    best[rid] = t
    return best


def _posting_size(values: Values) -> int:
    """:func:`_word_size` of list entries: the entries the word's postings hold (eight bytes per entry)."""
    from django.db import connection

    vids = [int(v) for by_value in values.values() for v in by_value]  # int(): only numbers reach the statement
    if not vids:
        return 0
    qn = connection.ops.quote_name
    length = "octet_length" if connection.vendor == "postgresql" else "length"
    with connection.cursor() as cur:
        cur.execute(f"SELECT SUM({length}({qn('ids')})) FROM {qn(NamePosting._meta.db_table)} "  # noqa: S608
                    f"WHERE {qn('value_id')} IN ({','.join(map(str, vids))})")
        return int(cur.fetchone()[0] or 0) // 8


def _entry_hits_among(values: Values, ids: list[int]) -> dict[int, int]:
    """:func:`_hits_among` of list entries: the entries' names as stored, their values looked up (none made)."""
    from homeward.exchange.models import ListEntry

    rows: list[tuple[int, str, str, str]] = []
    for i in range(0, len(ids), SCOPE_CHUNK):
        rows.extend(_id_in(ListEntry.objects.order_by(), ids[i : i + SCOPE_CHUNK]).values_list(
            "pk", "surname", "given_name", "patronymic"))
    found = _existing_values({(letter, t) for j, (_p, letter) in enumerate(PART_LETTERS, 1)
                              for t in set(map(itemgetter(j), rows)) if t})
    return _tiers_of_rows([(rid, found.get(("s", s)), found.get(("g", g)), found.get(("p", p)))
                           for rid, s, g, p in rows], [values])[0]


def _word_hits(ref_type: str, values: Values) -> dict[int, int]:
    """``{record id: best tier}`` of the records pointing to one of a word's values (the index alone, no scope
    yet): one index range per value, one row per record and name form."""
    from django.db import connection

    if ref_type == REF.LIST_ENTRY:
        return _posting_hits(values)
    best: dict[int, int] = {}
    with connection.cursor() as cur:
        for (sql, params), tiers in zip(_ref_sql(ref_type, values), values.values(), strict=True):
            cur.execute(sql, params)
            for rid, vid in cur.fetchall():
                t = tiers[vid]
                if t < best.get(rid, 99):
                    best[rid] = t
    return best


def _word_size(ref_type: str, values: Values, bound: int | None = None) -> int:
    """How many record rows a word's values point at (:func:`_word_sizes` of one word)."""
    return _word_sizes(ref_type, [values], bound)[0]


def _word_sizes(ref_type: str, words: Sequence[Values], bound: int | None = None) -> list[int]:
    """Per word, how many record rows its values point at, counted up to ``bound + 1`` (:data:`PROBE_ROWS` by
    default) per name column by the database (the index ranges alone, no rows fetched), the columns summed as
    far as the first sum above ``bound``: one statement for every word and column (a scalar subquery each), not
    one each."""
    from django.db import connection

    if ref_type == REF.LIST_ENTRY:
        return [_posting_size(values) for values in words]
    bound = PROBE_ROWS if bound is None else bound
    parts = [_ref_sql(ref_type, values, bound + 1) for values in words]
    flat = [p for word in parts for p in word]
    if not flat:
        return [0 for _w in words]
    sql = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM ({q}) AS part{i})"  # noqa: S608 (built above)
                                for i, (q, _p) in enumerate(flat))
    with connection.cursor() as cur:
        cur.execute(sql, [x for _q, params in flat for x in params])
        counts = [int(c) for c in cur.fetchone()]
    out, at = [], 0
    for word in parts:
        n = 0
        for c in counts[at : at + len(word)]:
            if n > bound:
                break
            n += c
        out.append(n)
        at += len(word)
    return out


def _rows_of(ref_type: str, ids: list[int]) -> Iterator[tuple[int, int | None, int | None, int | None]]:
    """The record rows (id, surname, given name and patronymic value) of ``ids``."""
    for i in range(0, len(ids), SCOPE_CHUNK):
        yield from _id_in(NameRef.objects.filter(ref_type=ref_type), ids[i : i + SCOPE_CHUNK], "ref_id").order_by(
        ).values_list("ref_id", "surname_value", "given_value", "patronymic_value")


def _tiers_of_rows(rows: Iterable[tuple[int, int | None, int | None, int | None]],
                   words: list[Values]) -> list[dict[int, int]]:
    """Per word, ``{record id: best tier}`` from record rows."""
    per_word: list[dict[int, int]] = [{} for _ in words]
    for rid, *vids in rows:
        for values, best in zip(words, per_word, strict=True):
            for col, vid in zip(("surname_value", "given_value", "patronymic_value"), vids, strict=True):
                t = values.get(col, {}).get(vid) if vid is not None else None
                if t is not None and t < best.get(rid, 99):
                    best[rid] = t
    return per_word


def _hits_among(ref_type: str, values: Values, ids: list[int]) -> dict[int, int]:
    """:func:`_word_hits` restricted to ``ids``: those records' own rows are read (one per name form) and
    checked against the word's values."""
    if ref_type == REF.LIST_ENTRY:
        return _entry_hits_among(values, ids)
    return _tiers_of_rows(_rows_of(ref_type, ids), [values])[0]


def _sort_key_column(scope: QuerySet[Any]) -> bool:
    return any(f.name == "sort_key" for f in scope.model._meta.get_fields())


def _scoped_sorted(scope: QuerySet[Any], ids: list[int], limit: int) -> tuple[list[int], bool, int | None]:
    """The ids of ``ids`` inside ``scope`` in alphabetical order (Ukrainian/Russian: the sort key, then the id),
    at most ``limit`` of them, whether they are all of them, and how many of ``ids`` are in scope (None if not
    known). The scope check and the order are one query per chunk; where the model stores its ``sort_key``
    (children) the database sorts and returns ``limit`` rows per chunk, not every key (keys are long: fetching
    thousands was most of a one-word search's page), with the chunk's number in scope (``COUNT(*) OVER ()``: the
    count of the page then need not check these ids against the scope a second time); else the keys are computed
    from the names."""
    out: list[tuple[str, int]] = []
    everything = True
    total: int | None = None
    if _sort_key_column(scope):
        from django.db import connection
        from django.db.models import Count, Value, Window
        from django.db.models.functions import Coalesce, Collate

        key: Any = Coalesce("sort_key", Value(""))
        if connection.vendor == "postgresql":
            key = Collate(key, "C")  # code-point order, as Python sorts (and SQLite's BINARY collation)
        counted = not scope.query.distinct  # DISTINCT comes after the window: rows, not records, would be counted
        total = 0 if counted else None
        for i in range(0, len(ids), SCOPE_CHUNK):
            qs = _id_in(scope, ids[i : i + SCOPE_CHUNK]).annotate(search_sort=key).order_by("search_sort", "pk")
            if counted:
                found = list(qs.annotate(search_total=Window(Count("*"))).values_list(
                    "search_sort", "pk", "search_total")[:limit])
                total = (total or 0) + (int(found[0][2]) if found else 0)
                rows = [(k, pk) for k, pk, _ in found]
            else:
                rows = list(qs.values_list("search_sort", "pk")[:limit])
            everything = everything and len(rows) < limit
            out.extend(rows)
    else:
        for i in range(0, len(ids), SCOPE_CHUNK):
            out.extend((collation_key(f"{s} {g}"), pk) for pk, s, g in _id_in(scope, ids[i : i + SCOPE_CHUNK]).order_by(
            ).values_list("pk", "surname", "given_name"))
        total = len(out)
    out.sort()
    return [pk for _, pk in out[:limit]] if not everything else [pk for _, pk in out], everything, total


def _count_in_scope(scope: QuerySet[Any], ids: list[int]) -> int:
    """How many of ``ids`` are inside ``scope``: a COUNT per chunk, no ids fetched (of the ids alone: a
    distinct scope otherwise counts DISTINCT rows of every column, about three times slower)."""
    return sum(_id_in(scope, ids[i : i + SCOPE_CHUNK]).order_by().values("pk").count()
               for i in range(0, len(ids), SCOPE_CHUNK))


Candidate = tuple[int, tuple[int, ...]]  # (record id, per-word best tiers in the query's word order)


def _candidates(scope: QuerySet[Any], ref_type: str, words: list[QueryWord]) -> list[Candidate]:
    """The records matching every query word and, for a query of :data:`MISSING_FROM` words or more, those
    without a patronymic that match every word but a patronymic-shaped one (that word's tier
    :data:`MISSING_TIER`): *not yet checked against* ``scope`` (except the prefix fallback, which reads the
    scoped names as written); unordered.

    Whether a record is found depends on the record and the query alone (the word is patronymic-shaped by its
    own spelling, not by what the index holds), so nothing about other records, in scope or not, changes it."""
    values = _words_values(words)
    found = _all_words(scope, ref_type, words, values)
    if len(words) < MISSING_FROM or ref_type == REF.LIST_ENTRY:
        return found
    have = {rid for rid, _t in found}
    for i, word in enumerate(words):
        if not is_patronymic(word.word):
            continue
        rest = _all_words(scope, ref_type, words[:i] + words[i + 1 :], values[:i] + values[i + 1 :])
        todo = [(rid, ts) for rid, ts in rest if rid not in have]
        lacking = _without_patronymic(ref_type, [rid for rid, _t in todo])
        for rid, ts in todo:
            if rid in lacking:
                found.append((rid, (*ts[:i], MISSING_TIER, *ts[i:])))
                have.add(rid)
    return found


def _without_patronymic(ref_type: str, ids: list[int]) -> set[int]:
    """The records of ``ids`` with a name form that has no patronymic (the index's own rows: one seek each in
    ``nameref_patronymic``, the range of rows without one)."""
    out: set[int] = set()
    for i in range(0, len(ids), SCOPE_CHUNK):
        out.update(_id_in(NameRef.objects.filter(ref_type=ref_type, patronymic_value__isnull=True),
                          ids[i : i + SCOPE_CHUNK], "ref_id").order_by().values_list("ref_id", flat=True))
    return out


def _all_words(scope: QuerySet[Any], ref_type: str, words: list[QueryWord], values: list[Values]) -> list[Candidate]:
    """The records matching every query word (``values``: the words' :func:`_words_values`), not yet checked
    against ``scope`` (except the prefix fallback, which reads the scoped names as written); unordered.

    Each word is looked up on the index alone (its keys → the name values that have them → the records that
    point to those values) and the words' results are intersected; the scope check comes after
    (:class:`Ranked`). Asking the database for ``… AND ref_id IN (scope)`` in one query lets SQLite's planner
    walk the whole scope instead (seconds at 200,000 children; docs/benchmarks.md)."""
    # Count each word's rows (up to PROBE_ROWS + 1): the rarest word under the bound is fetched and seeds the
    # candidates; the others are then checked on the candidates' own rows only, so a common given name
    # (50,000 Александр at 700,000 children) is never fetched whole beside a rarer surname. When every word
    # is above the bound, the database intersects the words' index ranges in one statement (_common_ids_of).
    if len(words) == 1:
        hits = _word_hits(ref_type, values[0])
        if not hits:  # a word still being typed ("Шевч"): names as written that begin with it, ranked last
            return [(rid, (PREFIX_TIER,)) for rid in _prefix_ids(scope, words[0].word)]
        return [(rid, (t,)) for rid, t in hits.items()]
    sizes = _word_sizes(ref_type, values)
    seed = min(range(len(words)), key=lambda i: sizes[i])
    small = 0 < sizes[seed] <= PROBE_ROWS
    if all(n > PROBE_ROWS for n in sizes):
        order = _word_sizes(ref_type, values, ORDER_ROWS)
        return _common_ids_of(ref_type, values, sorted(range(len(words)), key=lambda i: order[i]))
    per_word: list[dict[int, int] | None] = [None] * len(words)
    found: dict[int, list[int]] | None = None
    for i in ([seed] + [j for j in range(len(words)) if j != seed]) if small else range(len(words)):
        if small and found is not None:
            hits = _hits_among(ref_type, values[i], list(found))
        else:
            hits = _word_hits(ref_type, values[i])
        if not hits and small and sizes[i]:
            return []  # the word is in the index, just not among the candidates
        if not hits:  # a word still being typed ("Шевч"): names as written that begin with it, ranked last
            hits = {rid: PREFIX_TIER for rid in _prefix_ids(scope, words[i].word)}
        per_word[i] = hits
        if found is None:
            found = {rid: [] for rid in hits}
        found = {rid: ts for rid, ts in found.items() if rid in hits}
        if not found:
            return []
    assert found is not None
    for rid, ts in found.items():  # the tiers in the query's word order
        ts.extend(h[rid] for h in per_word if h is not None)
    return [(rid, tuple(ts)) for rid, ts in found.items()]


def _common_ids_of(ref_type: str, values: list[Values], order: Sequence[int] | None = None) -> list[Candidate]:
    """The candidates of a query whose every word is common (each above :data:`PROBE_ROWS` record rows, as
    "Максим Мельник"), in one statement on the words' index ranges alone (index-only range scans of
    ``nameref_surname`` etc.): the first word's (record, column, value) rows ``w0``; the next word's rows of
    those records only, ``w1``; and so on (``order``: the words' order there, the rarest first); then each
    word's rows of the records the last step kept (those all words share), from which the tiers come.

    No record is looked up by id: fetching the rows of thousands of ids (the old seed-and-check path, or the
    shared ids read back) was one index descent per id, or a sequential scan of the whole index where
    PostgreSQL's planner chose one (100-160 ms at 700,000 children; docs/benchmarks.md)."""
    from django.db import connection

    if ref_type == REF.LIST_ENTRY:  # the postings unpacked and intersected here
        per_entry = [_posting_hits(v) for v in values]
        shared = set.intersection(*(set(h) for h in per_entry)) if per_entry else set()
        return [(rid, tuple(h[rid] for h in per_entry)) for rid in sorted(shared)]
    qn = connection.ops.quote_name
    table = qn(NameRef._meta.db_table)
    order = list(range(len(values))) if order is None else list(order)
    ctes: list[str] = []
    params: list[Any] = []
    for step, i in enumerate(order):
        if not values[i]:
            return []
        arms = []
        for col, tiers in values[i].items():
            literals = ",".join(str(int(x)) for x in tiers)  # int(): only numbers ever reach the statement
            arms.append(f"SELECT {qn('ref_id')} AS rid, {_COLUMN_NUMBER[col]} AS col, {qn(col)} AS vid "  # noqa: S608
                        f"FROM {table} WHERE {qn('ref_type')} = %s AND {qn(col)} IN ({literals})"
                        + (f" AND {qn('ref_id')} + 0 IN (SELECT rid FROM w{step - 1})" if step else ""))  # noqa: S608
            params.append(ref_type)
        ctes.append(f"w{step} AS ({' UNION ALL '.join(arms)})")
    last = f"w{len(order) - 1}"
    rows = " UNION ALL ".join(f"SELECT {i}, rid, col, vid FROM w{step}"  # noqa: S608
                              + (f" WHERE rid IN (SELECT rid FROM {last})" if step < len(order) - 1 else "")  # noqa: S608
                              for step, i in enumerate(order))
    sql = f"WITH {', '.join(ctes)} {rows}"  # noqa: S608 (numbers and quoted names only)
    per_word: list[dict[int, int]] = [{} for _ in values]
    cols = list(_COLUMN_NUMBER)
    with connection.cursor() as cur:
        cur.execute(sql, params)
        for i, rid, col, vid in cur.fetchall():
            t = values[i][cols[col]][vid]
            best = per_word[i]
            if t < best.get(rid, 99):
                best[rid] = t
    ids = sorted(per_word[order[-1]])
    return [(rid, tuple(h[rid] for h in per_word)) for rid in ids if all(rid in h for h in per_word)]


def _rank_of(tiers: tuple[int, ...]) -> tuple[int, int]:
    """A result's rank group: its worst word's tier, then the sum of its tiers."""
    return max(tiers), sum(tiers)


class _Group:
    """The candidates of one rank group (id order) and, once asked for, those inside the scope in result
    order: alphabetical when at most :data:`SORT_BY_NAME_UP_TO` are in scope, else by id (then read a chunk
    at a time, only as far as a page needs)."""

    __slots__ = ("cands", "count", "done", "pos", "by_name", "scoped")

    def __init__(self, cands: list[Candidate]):
        self.cands = cands
        self.count: int | None = None  # in scope; None until counted
        self.done: list[Candidate] = []  # in scope, in result order
        self.pos = 0  # candidates already checked against the scope (id-ordered groups)
        self.by_name: bool | None = None
        self.scoped: list[Candidate] | None = None  # in scope, id order, once every candidate is checked

    @property
    def complete(self) -> bool:
        return self.pos >= len(self.cands)

    def ids(self, start: int = 0) -> list[int]:
        return [rid for rid, _ in self.cands[start:]]

    def fill(self, scope: QuerySet[Any], want: int) -> None:
        """Check candidates against ``scope`` until ``want`` results are known or the group is done."""
        if self.complete or len(self.done) >= want:
            return
        if self.by_name is None:
            if len(self.cands) > SORT_BY_NAME_UP_TO and self.count is None:
                # one pass over the candidates: those in scope, whose number decides the order (and which alone
                # are then sorted), not a COUNT of every candidate first and a sort of every candidate after it
                inside = _in_scope(scope, self.ids())
                self.scoped = [c for c in self.cands if c[0] in inside]
                self.count = len(self.scoped)
            self.by_name = len(self.cands) <= SORT_BY_NAME_UP_TO or (self.count or 0) <= SORT_BY_NAME_UP_TO
        if self.by_name:  # the first ``want`` in scope, alphabetically (all of them if there are no more)
            ids = self.ids() if self.scoped is None else [rid for rid, _ in self.scoped]
            order, everything, total = _scoped_sorted(scope, ids, max(want, FIRST_PAGE))
            tiers = dict(self.cands)
            self.done = [(rid, tiers[rid]) for rid in order]
            if total is not None:
                self.count = total
            if everything:
                self.pos, self.count = len(self.cands), len(self.done)
            return
        if self.scoped is not None:  # every candidate checked already: those in scope, in id order
            self.done, self.pos = self.scoped, len(self.cands)
            return
        while not self.complete and len(self.done) < want:
            part = self.cands[self.pos : self.pos + SCOPE_CHUNK]
            inside = _in_scope(scope, [rid for rid, _ in part])
            self.done.extend(c for c in part if c[0] in inside)
            self.pos += len(part)
        if self.complete:
            self.count = len(self.done)


#: Results that :meth:`Ranked.count` reads in full before counting the rest (a first page of the API or a
#: registry page is at most this long; the paginators ask for the count, then for that page).
FIRST_PAGE = 100


class Ranked(Generic[M]):
    """Search results in rank order; fetches (and explains) only the slice that a paginator takes.

    The candidates are grouped by rank (worst tier, sum of tiers) first; a slice checks groups against the
    scope, and sorts them, one after the other only until it is covered. :meth:`count` is exact (COUNTs of
    the groups not read yet), so an out-of-scope record is never counted. Each record carries
    ``search_hit`` (a :class:`Hit`)."""

    def __init__(self, scope: QuerySet[M], candidates: list[Candidate], words: list[QueryWord]):
        self.scope, self.words = scope, words
        by_tiers: dict[tuple[int, ...], list[int]] = {}  # few distinct tier tuples: rank each once
        for rid, tiers in candidates:
            by_tiers.setdefault(tiers, []).append(rid)
        by_rank: dict[tuple[int, int], list[Candidate]] = {}
        for tiers, rids in by_tiers.items():
            by_rank.setdefault(_rank_of(tiers), []).extend((rid, tiers) for rid in rids)
        for group in by_rank.values():
            group.sort(key=itemgetter(0))  # id order
        self._groups = [_Group(by_rank[r]) for r in sorted(by_rank)]
        self._count: int | None = None

    def count(self) -> int:
        if self._count is None:
            self._results(FIRST_PAGE)  # read anyway by the page that asks for the count
            todo = [g for g in self._groups if g.count is None]
            ids = [rid for g in todo for rid in g.ids()]
            self._count = sum(g.count for g in self._groups if g.count is not None) + _count_in_scope(
                self.scope, ids)
        return self._count

    def __len__(self) -> int:
        return self.count()

    def _results(self, stop: int | None) -> list[Candidate]:
        """The first ``stop`` results (all of them for None), checking groups against the scope as needed."""
        out: list[Candidate] = []
        for g in self._groups:
            if stop is not None and len(out) >= stop:
                break
            g.fill(self.scope, len(g.cands) if stop is None else stop - len(out))
            out.extend(g.done)
        return out if stop is None else out[:stop]

    @property
    def ranked(self) -> list[Candidate]:
        """Every result (id, per-word tiers), best first."""
        return self._results(None)

    def ids(self, limit: int | None = None) -> list[int]:
        return [rid for rid, _ in self._results(limit)]

    @overload
    def __getitem__(self, index: int) -> M: ...

    @overload
    def __getitem__(self, index: slice) -> list[M]: ...

    def __getitem__(self, index: int | slice) -> M | list[M]:
        if isinstance(index, int):
            found = self[index : index + 1 if index != -1 else None]
            if not found:
                raise IndexError(index)
            return found[0]
        start, stop, step = index.start, index.stop, index.step
        simple = (start is None or start >= 0) and stop is not None and stop >= 0 and step in (None, 1)
        part = self._results(stop)[start:stop] if simple else self._results(None)[index]
        scope = self.scope.prefetch_related("name_forms") if self.scope.model is Child else self.scope
        objs = scope.in_bulk([rid for rid, _ in part])  # name forms in one query, not one per child
        out = []
        for rid, tiers in part:
            obj = objs.get(rid)
            if obj is None:
                continue
            names = names_of(obj)
            matches = []
            for word, tier in zip(self.words, tiers, strict=True):
                best = min((m for n in names if (m := explain(word, *n)) is not None),
                           key=lambda m: m.tier, default=None)
                if best is None and tier == MISSING_TIER:
                    best = Match(MISSING_TIER, "patronymic", "", word.word, "missing")
                if best is not None:
                    matches.append(best)
            obj.search_hit = Hit(tiers, tuple(matches))  # type: ignore[attr-defined]
            out.append(obj)
        return out

    def __iter__(self) -> Iterator[M]:
        return iter(self[:])


def search(scope: QuerySet[M], q: str) -> Ranked[M] | None:
    """The records of ``scope`` (already scoped by the access policy) whose names match ``q``, ranked.

    None when ``q`` has no name word in it (the caller then shows the unfiltered list)."""
    words = query_keys(q or "")
    if not words:
        return None
    return Ranked(scope, _candidates(scope, _ref_type_of_model(scope.model), words), words)


def filtered(scope: QuerySet[M], q: str | None) -> QuerySet[M] | Ranked[M]:
    """``scope`` itself without a name query; with one, its matching records ranked best first."""
    found = search(scope, q) if q else None
    return scope if found is None else found


def match_reasons(obj: Any) -> list[str]:
    """Why a search result matched the query, per word (empty outside a search)."""
    hit = getattr(obj, "search_hit", None)
    return hit.why if hit is not None else []


def find_children(actor: Viewer | None, q: str) -> list[tuple[int, tuple[int, ...]]]:
    """(child id, per-word tiers) of the children ``actor`` may see whose names match ``q``, best first.

    The candidate lookup shared by search and duplicate warnings; its signature stays as it is."""
    words = query_keys(q or "")
    if not words:
        return []
    scope = access.children(actor)
    return Ranked(scope, _candidates(scope, REF.CHILD, words), words).ranked


def reason_text(m: Match) -> str:
    """Why a record matched one query word, for people ("Russian form of Олександр")."""
    q, r = m.query_word, m.record_word
    if m.reason == "spelling":
        return ""
    if m.reason == "script":
        return _("%(record)s: %(query)s in another script") % {"record": r, "query": q}
    if m.reason == "ru_form":
        return _("%(record)s: Russian form of %(query)s") % {"record": r, "query": q}
    if m.reason == "uk_form":
        return _("%(record)s: Ukrainian form of %(query)s") % {"record": r, "query": q}
    if m.reason == "diminutive":
        return _("%(record)s: %(query)s is a short or familiar form of the same name") % {"record": r, "query": q}
    if m.reason == "gender_form":
        return _("%(record)s: feminine or masculine form of %(query)s") % {"record": r, "query": q}
    if m.reason == "missing":
        return _("%(query)s: the record has no patronymic") % {"query": q}
    if m.reason == "typo":
        return _("%(record)s: one letter differs from %(query)s") % {"record": r, "query": q}
    return _("%(record)s: another spelling of %(query)s") % {"record": r, "query": q}
