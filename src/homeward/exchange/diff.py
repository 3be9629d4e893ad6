"""The difference between two versions of a list: names added, removed, and changed field by field.

Names are paired, in order of confidence: by the file's own record number when both have one; then
by identical content; then by similarity (at least three of surname, given name, patronymic, birth
date and sex equal), so that a corrected surname shows as a change rather than a removal and an
addition.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from homeward.exchange.models import ListEntry

COMPARED = ("record_id", "surname", "given_name", "patronymic", "sex", "birth_date", "birth_place")
CORE = ("surname", "given_name", "patronymic", "birth_date", "sex")


@dataclass(frozen=True)
class Change:
    field: str
    old: Any
    new: Any


@dataclass
class Changed:
    old: ListEntry
    new: ListEntry
    changes: list[Change]


@dataclass
class Diff:
    added: list[ListEntry] = field(default_factory=list)
    removed: list[ListEntry] = field(default_factory=list)
    changed: list[Changed] = field(default_factory=list)
    unchanged: int = 0


def _norm(value: Any) -> str:
    return "" if value is None else " ".join(str(value).split()).casefold()


def _content(e: ListEntry) -> tuple[str, ...]:
    return tuple(_norm(getattr(e, f)) for f in COMPARED if f != "record_id")


def _changes(a: ListEntry, b: ListEntry) -> list[Change]:
    return [Change(f, getattr(a, f), getattr(b, f)) for f in COMPARED if _norm(getattr(a, f)) != _norm(getattr(b, f))]


def diff_entries(old: Sequence[ListEntry], new: Sequence[ListEntry]) -> Diff:
    result = Diff()
    free = {id(r): r for r in new}
    pairs: list[tuple[ListEntry, ListEntry]] = []
    index: dict[tuple[str, ...], list[ListEntry]] = {}

    def keys(e: ListEntry) -> list[tuple[str, ...]]:
        out = [("content", *_content(e))]
        if e.record_id:
            out.append(("id", _norm(e.record_id)))
        n = {f: _norm(getattr(e, f)) for f in CORE}
        out += [("sg", n["surname"], n["given_name"]), ("gb", n["given_name"], n["birth_date"]),
                ("sb", n["surname"], n["birth_date"]), ("gp", n["given_name"], n["patronymic"])]
        return out

    for r in new:
        for k in keys(r):
            index.setdefault(k, []).append(r)

    def pick(key: tuple[str, ...], ok: Any = None) -> ListEntry | None:
        return next((r for r in index.get(key, []) if id(r) in free and (ok is None or ok(r))), None)

    rest: list[ListEntry] = []
    for a in old:  # 1. the file's own record number
        b = pick(("id", _norm(a.record_id))) if a.record_id else None
        if b is None:
            rest.append(a)
        else:
            free.pop(id(b))
            pairs.append((a, b))
    left, rest = rest, []
    for a in left:  # 2. identical content
        b = pick(("content", *_content(a)), lambda r, a=a: not (a.record_id and r.record_id))
        if b is None:
            rest.append(a)
        else:
            free.pop(id(b))
            pairs.append((a, b))
    left, rest = rest, []
    for a in left:  # 3. similar: at least three core fields equal
        best, score = None, 2
        for k in keys(a)[1:]:
            if k[0] == "id":
                continue
            for r in index.get(k, []):
                if id(r) not in free or (a.record_id and r.record_id):
                    continue
                s = sum(_norm(getattr(a, f)) == _norm(getattr(r, f)) for f in CORE)
                if s > score:
                    best, score = r, s
        if best is None:
            rest.append(a)
        else:
            free.pop(id(best))
            pairs.append((a, best))
    for a, b in pairs:
        changes = _changes(a, b)
        if changes:
            result.changed.append(Changed(a, b, changes))
        else:
            result.unchanged += 1
    result.removed = rest
    result.added = [r for r in new if id(r) in free]
    result.changed.sort(key=lambda c: c.new.row)
    return result
