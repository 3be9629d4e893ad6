"""The cue lexicons: lemmas with what they mean, kept as data files in ``lexicon/`` (tab-separated).

Each file's rows start with a language code (``en``, ``uk``, ``ru``); ``#`` starts a comment line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

HERE = Path(__file__).resolve().parent / "lexicon"
LANGS = ("en", "uk", "ru")


@dataclass(frozen=True)
class EventEntry:
    lemmas: tuple[str, ...]  # one lemma, or a phrase of lemmas ("bring back")
    quantity: str  # deported … other, or "none" (not a movement)
    kind: str  # move | doc | take | list


def _rows(name: str) -> list[list[str]]:
    out = []
    for line in (HERE / name).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        out.append(line.replace("ё", "е").split("\t"))
    return out


@cache
def events(lang: str) -> dict[str, list[EventEntry]]:
    """Event entries by their first lemma."""
    out: dict[str, list[EventEntry]] = {}
    for row in _rows("events.tsv"):
        if row[0] != lang:
            continue
        entry = EventEntry(tuple(row[1].split()), row[2], row[3])
        out.setdefault(entry.lemmas[0], []).append(entry)
    for entries in out.values():
        entries.sort(key=lambda e: -len(e.lemmas))  # phrases before their first word
    return out


@cache
def words(name: str, lang: str) -> frozenset[str]:
    """The lemmas of a one-column lexicon (persons, blockers, frames) for a language."""
    return frozenset(row[1] for row in _rows(f"{name}.tsv") if row[0] == lang)


@cache
def phrases(name: str, lang: str) -> tuple[str, ...]:
    """The phrases of a one-column lexicon of phrases (``restate.tsv``), longest first."""
    return tuple(sorted((row[1] for row in _rows(f"{name}.tsv") if row[0] == lang), key=len, reverse=True))


@cache
def speech(lang: str) -> dict[str, str]:
    return {row[1]: row[2] for row in _rows("speech.tsv") if row[0] == lang}


@cache
def numerals(lang: str) -> dict[str, tuple[int, str]]:
    return {row[1]: (int(row[2]), row[3]) for row in _rows("numerals.tsv") if row[0] == lang}


@cache
def media() -> tuple[str, ...]:
    return tuple(row[1] for row in _rows("media.tsv"))


def is_media(name: str) -> bool:
    low = " " + re.sub(r"[^\w\s]", " ", name.lower()) + " "
    return any(f" {m} " in low for m in media())


@cache
def russian_side() -> tuple[str, ...]:
    return tuple(row[1] for row in _rows("russian_side.tsv"))


@cache
def russia_places() -> tuple[str, ...]:
    return tuple(row[1] for row in _rows("russia_places.tsv"))


def is_russian_side(name: str | None) -> bool:
    """Whether a claimant is the Russian state's side ("Russia's defence ministry", "Moscow officials",
    «Минобороны РФ», «Львова-Белова»), not a medium relaying it."""
    if not name or is_media(name):
        return False
    words = re.findall(r"[\w-]+", name.lower())
    if any(w.startswith(("ukrain", "україн", "украин", "kyiv", "kiev", "київ", "киев")) for w in words):
        return False  # "Ukraine's ombudsman says Russia …": both sides named, not the Russian side speaking
    return any(w.startswith(stem) for w in words for stem in russian_side())
