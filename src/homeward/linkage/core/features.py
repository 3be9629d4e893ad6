"""Raw record -> canonical matching columns.

This is the ONLY module of the matcher that knows about names, scripts and date formats: it
binds the names toolkit (``homeward.names``: ``name_keys``, ``split_full_name``,
``parse_date``, ``canonical_place``) and keeps no name tables of its own.

Canonical columns (all ASCII, so DuckDB's byte-based string distances are correct):

=============  ==============================================================
unique_id      the record_id, as text
g_key/g_grp    given name: ASCII key, equivalence-group keys (array)
g_can          given name: one canonical key (first group key) -- "same name" across scripts
s_key/s_grp    surname: ASCII key, group keys (gender-neutral); s_can as g_can
s_ph           surname phonetic key (blocking)
p_key/p_grp    patronymic: ASCII key, group keys; p_can as g_can (term frequencies)
dob            birth date ``YYYY-MM-DD`` (only for day precision)
dob_sw         the same date with day and month swapped, when that is a valid date
dob_y          birth year (also for year-only dates)
sex            ``m`` / ``f``
place          canonical birth-place key
=============  ==============================================================
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from homeward import names

INPUT_COLUMNS = ("record_id", "given_name", "surname", "patronymic", "sex", "birth_date", "birth_place")
REQUIRED_COLUMNS = ("record_id",)

FEATURE_COLUMNS = (
    "unique_id",
    "g_key",
    "g_grp",
    "g_can",
    "s_key",
    "s_grp",
    "s_can",
    "s_ph",
    "p_key",
    "p_grp",
    "p_can",
    "dob",
    "dob_sw",
    "dob_y",
    "sex",
    "place",
)


@dataclass(frozen=True)
class Keys:
    ascii: str
    groups: tuple[str, ...]
    phonetic: str


@dataclass(frozen=True)
class Dob:
    value: date | None
    swapped: date | None
    year: int | None


def backend_name() -> str:
    """Which name canonicaliser is in use (recorded in the model metadata)."""
    return "homeward.names"


_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def _swap(value: date) -> date | None:
    if value.day == value.month or value.day > 12:
        return None
    try:
        return date(value.year, value.day, value.month)
    except ValueError:
        return None


@lru_cache(maxsize=500_000)
def name_key(text: str, part: str) -> Keys:
    """Canonical keys of one name part (cached: names repeat a lot)."""
    if not text or not text.strip():
        return Keys("", (), "")
    k = names.name_keys(text, part)
    return Keys(k.ascii, tuple(k.groups), k.phonetic)


@lru_cache(maxsize=200_000)
def birth_date(text: str) -> Dob:
    """Parse a birth date; an impossible or unreadable date counts as missing."""
    if not text or not text.strip():
        return Dob(None, None, None)
    try:
        parsed = names.parse_date(text)
    except ValueError:
        return Dob(None, None, None)
    value = parsed.value
    precision = str(parsed.precision).lower()
    if value is None:
        return Dob(None, None, None)
    if "day" not in precision:
        return Dob(None, None, value.year if "year" in precision or "month" in precision else None)
    swapped = parsed.swapped
    return Dob(value, swapped if swapped is not None else _swap(value), value.year)


@lru_cache(maxsize=100_000)
def place_key(text: str) -> str:
    if not text or not text.strip():
        return ""
    return names.canonical_place(text) or ""


# Sex codes as written on UA / RU / EN forms: a fixed vocabulary, not name data.
_SEX = {
    "m": "m", "male": "m", "man": "m", "boy": "m", "1": "m",
    "м": "m", "муж": "m", "мужской": "m", "ч": "m", "чол": "m", "чоловіча": "m", "чоловічий": "m",
    "f": "f", "female": "f", "woman": "f", "girl": "f", "w": "f", "2": "f",
    "ж": "f", "жен": "f", "женский": "f", "жін": "f", "жіноча": "f", "жіночий": "f",
}  # fmt: skip


def sex_code(text: str) -> str:
    return _SEX.get((text or "").strip().lower().rstrip("."), "")


def to_features(record: Mapping[str, Any]) -> dict[str, Any]:
    """One raw record (dict with the INPUT_COLUMNS) -> its canonical feature row."""
    row: dict[str, Any] = to_feature_table([record]).to_pylist()[0]
    return row


def extra_key(text: str) -> str | None:
    """Generic key of an extra identifier column (document number, address): folded ASCII."""
    text = (text or "").strip()
    if not text:
        return None
    return place_key(text) if not text.isascii() else _NON_ALNUM.sub("", text.lower()) or None


def extra_column_name(name: str) -> str:
    return "x_" + re.sub(r"[^a-z0-9_]+", "_", name.lower())


def _canonical(k: Keys) -> str | None:
    """One key per name across scripts and forms: the first group key (else the ASCII key)."""
    return k.groups[0] if k.groups else (k.ascii or None)


def to_feature_table(
    records: Iterable[Mapping[str, Any]],
    extra_columns: Sequence[str] = (),
    on_step: Callable[[float], None] | None = None,
) -> Any:
    """Records -> a ``pyarrow.Table`` of feature rows (column order FEATURE_COLUMNS, then extras).

    Column-wise: every distinct value is canonicalised once (names and dates repeat a lot).
    """

    with _gc_paused():
        rows = records if isinstance(records, list) else list(records)
        return _feature_table(rows, extra_columns, on_step or (lambda fraction: None))


def _split_full_names(given: list[str], surname: list[str], patronymic: list[str]) -> None:
    """A whole name written into one column (the other two empty) is split in place by the
    toolkit's ``split_full_name`` (which recognises the order and the parts)."""
    for i, (g, s, p) in enumerate(zip(given, surname, patronymic, strict=True)):
        if p:
            continue
        whole = s if not g else g if not s else ""
        if " " in whole:
            s2, g2, p2 = names.split_full_name(whole)
            if s2 and g2:
                given[i], surname[i], patronymic[i] = g2, s2, p2


@contextmanager
def _gc_paused() -> Iterator[None]:
    """The names toolkit holds millions of small objects; the cyclic collector would rescan
    them over and over while we allocate keys (measured ~1.5x slower). Paused, not frozen."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _distinct(values: list[Any]) -> tuple[list[Any], Any]:
    """``values`` -> (its distinct values in first-seen order, the ``pyarrow`` index of each value
    among them): the one Python loop per column; everything derived is then taken by index."""
    import pyarrow as pa

    pos: dict[Any, int] = {}
    setdefault = pos.setdefault
    idx = [setdefault(v, len(pos)) for v in values]
    return list(pos), pa.array(idx, type=pa.int32())


def _distinct_strings(values: list[Any]) -> tuple[list[Any], Any]:
    """:func:`_distinct` of a column of text (or None) in C (``pyarrow``'s dictionary encoding keeps the
    first-seen order, None one value of its own); raises ``TypeError`` or ``ValueError`` on any other value."""
    import pyarrow as pa
    import pyarrow.compute as pc

    encoded = pc.dictionary_encode(pa.array(values, type=pa.string()), null_encoding="encode")
    return encoded.dictionary.to_pylist(), encoded.indices.cast(pa.int32())


def _clean(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _raw_column(rows: list[Mapping[str, Any]], col: str) -> tuple[list[str], Any]:
    """One input column: its distinct cleaned values and every row's index among them."""
    raw = [r.get(col) for r in rows]
    try:
        distinct, idx = _distinct_strings(raw)
    except (TypeError, ValueError):  # not all text (numbers, dates, lists): the Python loop
        try:
            distinct, idx = _distinct(raw)
        except TypeError:  # an unhashable value (a JSON list or object)
            distinct = [0]
    if any(v is not None and type(v) is not str for v in distinct):
        # numbers, dates, lists (1 and 1.0 are one dict key, "1" and "1.0" are not): clean every row first
        distinct, idx = _distinct([_clean(v) for v in raw])
    cleaned = [_clean(v) for v in distinct]
    if len(set(cleaned)) == len(cleaned):
        return cleaned, idx
    # distinct raw values that clean to one value ("Anna " and "Anna"): index the cleaned ones
    again, sub = _distinct(cleaned)
    return again, sub.take(idx)


def _feature_table(
    rows: list[Mapping[str, Any]], extra_columns: Sequence[str], on_step: Callable[[float], None]
) -> Any:
    import pyarrow as pa

    strings, lists, int32 = pa.string(), pa.list_(pa.string()), pa.int32()

    def derived(distinct: list[Any], idx: Any, fn: Callable[[Any], Any], kind: Any) -> Any:
        return pa.array([fn(v) for v in distinct], type=kind).take(idx)

    name_cols = ("given_name", "surname", "patronymic")
    parts = ("given", "surname", "patronymic")
    raw = {col: _raw_column(rows, col) for col in name_cols}
    whole_name_rows = _whole_name_rows(*raw.values())
    if whole_name_rows:  # rare: expand these three columns row by row and split the whole names
        given, surname, patronymic = ([d[i] for i in idx.to_pylist()] for d, idx in raw.values())
        _split_full_names(given, surname, patronymic)
        raw = {col: _distinct(values) for col, values in zip(name_cols, (given, surname, patronymic), strict=True)}
    keys: list[tuple[list[Keys], Any]] = []
    for (distinct, idx), part, step in zip(raw.values(), parts, (0.3, 0.7, 0.85), strict=True):
        keys.append(([name_key(v, part) for v in distinct], idx))
        on_step(step)
    (g, gi), (s, si), (p, pi) = keys
    dates, di = _raw_column(rows, "birth_date")
    d = [birth_date(v) for v in dates]
    sexes, xi = _raw_column(rows, "sex")
    places, li = _raw_column(rows, "birth_place")
    ids = pa.array([_clean(r.get("record_id")) for r in rows], type=strings)
    data: dict[str, Any] = {
        "unique_id": ids,
        "g_key": derived(g, gi, lambda k: k.ascii or None, strings),
        "g_grp": derived(g, gi, lambda k: list(k.groups) or None, lists),
        "g_can": derived(g, gi, _canonical, strings),
        "s_key": derived(s, si, lambda k: k.ascii or None, strings),
        "s_grp": derived(s, si, lambda k: list(k.groups) or None, lists),
        "s_can": derived(s, si, _canonical, strings),
        "s_ph": derived(s, si, lambda k: k.phonetic or None, strings),
        "p_key": derived(p, pi, lambda k: k.ascii or None, strings),
        "p_grp": derived(p, pi, lambda k: list(k.groups) or None, lists),
        "p_can": derived(p, pi, _canonical, strings),
        "dob": derived(d, di, lambda x: x.value.isoformat() if x.value else None, strings),
        "dob_sw": derived(d, di, lambda x: x.swapped.isoformat() if x.swapped else None, strings),
        "dob_y": derived(d, di, lambda x: x.year, int32),
        "sex": derived(sexes, xi, lambda v: sex_code(v) or None, strings),
        "place": derived(places, li, lambda v: place_key(v) or None, strings),
    }
    for col in extra_columns:
        values, vi = _raw_column(rows, col)
        data[extra_column_name(col)] = derived(values, vi, extra_key, strings)
    return pa.table(data)


def _whole_name_rows(
    given: tuple[list[str], Any], surname: tuple[list[str], Any], patronymic: tuple[list[str], Any]
) -> bool:
    """Whether any row may hold a whole name in one column (a space in a given name or surname
    and an empty patronymic): cheap test on the distinct values before the row-by-row split."""
    if not any(" " in v for v in given[0]) and not any(" " in v for v in surname[0]):
        return False
    return "" in patronymic[0]
