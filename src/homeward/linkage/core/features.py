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
p_key/p_grp    patronymic: ASCII key, group keys
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


def _feature_table(
    rows: list[Mapping[str, Any]], extra_columns: Sequence[str], on_step: Callable[[float], None]
) -> Any:
    import pyarrow as pa

    def column(col: str) -> list[str]:
        return ["" if (v := r.get(col)) is None else str(v).strip() for r in rows]

    def mapped(values: list[str], fn: Callable[[str], Any]) -> list[Any]:
        table = {v: fn(v) for v in set(values)}
        return [table[v] for v in values]

    given, surname, patronymic = column("given_name"), column("surname"), column("patronymic")
    _split_full_names(given, surname, patronymic)
    g = mapped(given, lambda v: name_key(v, "given"))
    on_step(0.3)
    s = mapped(surname, lambda v: name_key(v, "surname"))
    on_step(0.7)
    p = mapped(patronymic, lambda v: name_key(v, "patronymic"))
    on_step(0.85)
    d = mapped(column("birth_date"), birth_date)
    data: dict[str, list[Any]] = {
        "unique_id": column("record_id"),
        "g_key": [k.ascii or None for k in g],
        "g_grp": [list(k.groups) or None for k in g],
        "g_can": [_canonical(k) for k in g],
        "s_key": [k.ascii or None for k in s],
        "s_grp": [list(k.groups) or None for k in s],
        "s_can": [_canonical(k) for k in s],
        "s_ph": [k.phonetic or None for k in s],
        "p_key": [k.ascii or None for k in p],
        "p_grp": [list(k.groups) or None for k in p],
        "dob": [x.value.isoformat() if x.value else None for x in d],
        "dob_sw": [x.swapped.isoformat() if x.swapped else None for x in d],
        "dob_y": [x.year for x in d],
        "sex": [v or None for v in mapped(column("sex"), sex_code)],
        "place": [v or None for v in mapped(column("birth_place"), place_key)],
    }
    for col in extra_columns:
        data[extra_column_name(col)] = mapped(column(col), extra_key)
    schema = pa.schema(
        [
            ("unique_id", pa.string()),
            ("g_key", pa.string()),
            ("g_grp", pa.list_(pa.string())),
            ("g_can", pa.string()),
            ("s_key", pa.string()),
            ("s_grp", pa.list_(pa.string())),
            ("s_can", pa.string()),
            ("s_ph", pa.string()),
            ("p_key", pa.string()),
            ("p_grp", pa.list_(pa.string())),
            ("dob", pa.string()),
            ("dob_sw", pa.string()),
            ("dob_y", pa.int32()),
            ("sex", pa.string()),
            ("place", pa.string()),
        ]
        + [(extra_column_name(c), pa.string()) for c in extra_columns]
    )
    return pa.Table.from_pydict(data, schema=schema)
