"""Search keys: what a record's name is indexed under, and what a query looks up.

Pure Python (no Django).  A record's name (surname, given name, patronymic) is indexed word by word
under short string keys of three tiers; a query word is turned into the keys it may match.  Matching is
then an exact lookup of keys in an indexed table (see ``homeward.registry.search``), never a scan.

Tiers, best first:

* ``0`` exact original spelling (case, stress marks and apostrophes aside): key ``e:<word>``;
* ``1`` the same name: the same canonical ASCII key, i.e. the same name in another script or romanisation
  (``a:<key>``), or the same equivalence group of its part (``gs:``/``gg:``/``gp:`` + group), which brings
  Ukrainian and Russian forms, diminutives (Саша → Олександр/Александр) and feminine/masculine surname
  forms (the group of a surname is its gender-neutral stem);
* ``2`` one typo: one letter added, dropped, changed or two neighbours swapped in the ASCII key, for keys
  of four letters or more. Typo tolerance lives on the *query* side only: a record is indexed under its
  own ``a:`` key, and a query word looks up every one-edit variant of its ASCII key (a few hundred keys,
  each an index seek). Storing a deletion neighbourhood per record instead tripled the index (about ten
  ``d:`` rows per word) and its upkeep on every write and import (docs/benchmarks.md, Search).

A query of several words finds a record only if each of its words matches some word of the record.
:func:`explain` says how one query word matched a record (a reason code, translated by the caller).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from .fold import ascii_key, latin_key
from .keys import Part, name_keys
from .reading import name_language
from .tables import DIMINUTIVES, ENGLISH_FORMS
from .text import APOSTROPHES, detect_script

__all__ = [
    "EXACT",
    "SAME_NAME",
    "TYPO",
    "Match",
    "QueryWord",
    "explain",
    "field_keys",
    "query_keys",
    "record_keys",
    "split_words",
]

EXACT, SAME_NAME, TYPO = 0, 1, 2
KEY_MAX = 64  # the index column's width; longer keys are cut (they still match themselves)
MAX_QUERY_WORDS = 6
_MIN_TYPO_LEN = 4

_PARTS: tuple[tuple[Part, str], ...] = (("surname", "s"), ("given", "g"), ("patronymic", "p"))
# Inside a word: every apostrophe and prime of text.APOSTROPHES — the Ukrainian apostrophe, and the soft and hard
# signs of ISO 9 / GOST 7.79 and of passports (Sof′ja, Koval′chuk, Pod″jachev), which must not split a word in two
_WORD_RE = re.compile(f"[^\\W\\d_](?:[^\\W\\d_]|[{re.escape(APOSTROPHES)}])*", re.UNICODE)
_APOSTROPHES = str.maketrans("", "", APOSTROPHES)
_STRESS = str.maketrans("", "", "\u0301\u0300")

Reason = Literal["spelling", "script", "ru_form", "uk_form", "diminutive", "gender_form", "variant", "typo",
                 "missing"]


def split_words(text: str) -> list[str]:
    """The words of a name field or a query (letters and apostrophes; hyphens and spaces separate)."""
    text = unicodedata.normalize("NFC", unicodedata.normalize("NFD", text or "").translate(_STRESS))
    return [m.group(0) for m in _WORD_RE.finditer(text)]


def _exact(word: str) -> str:
    return word.lower().translate(_APOSTROPHES)


def _cut(key: str) -> str:
    return key[:KEY_MAX]


_ALPHABET = "abcdefghijklmnopqrstuvwxyz"


def one_edit(key: str) -> set[str]:
    """Every string one edit away from ``key`` (a letter dropped, added or changed, or two neighbours
    swapped) that is :data:`_MIN_TYPO_LEN` letters or longer; empty for shorter keys.

    >>> sorted(one_edit("abcd"))[:3]
    ['aabcd', 'abacd', 'abbcd']
    """
    if len(key) < _MIN_TYPO_LEN:
        return set()
    out: set[str] = set()
    for i in range(len(key) + 1):
        head, tail = key[:i], key[i:]
        out.update([head + c + tail for c in _ALPHABET])  # added
        if tail:
            rest = tail[1:]
            out.add(head + rest)  # dropped
            out.update([head + c + rest for c in _ALPHABET])  # changed (the unchanged key is discarded below)
            if rest:
                out.add(head + rest[0] + tail[0] + rest[1:])  # swapped
    out.discard(key)
    if " " not in key and len(key) > _MIN_TYPO_LEN:  # every variant keeps at least len(key) - 1 letters
        return out
    return {k for k in out if len(k.replace(" ", "")) >= _MIN_TYPO_LEN}


@lru_cache(maxsize=200_000)
def _word_keys(word: str, part: Part) -> dict[str, int]:
    """Keys (with their tier) under which one word of a name field is indexed (no typo keys: those are
    the query's, :func:`_query_word`)."""
    keys: dict[str, int] = {}
    exact = _exact(word)
    if not exact:
        return keys
    keys["e:" + exact] = EXACT
    nk = name_keys(word, part)
    if nk.ascii:
        keys["a:" + nk.ascii] = SAME_NAME
        for group in nk.groups:
            keys[f"g{dict(_PARTS)[part]}:{group}"] = SAME_NAME
    return {_cut(k): t for k, t in keys.items()}


@lru_cache(maxsize=100_000)
def _field_keys(text: str, part: Part) -> tuple[tuple[str, int], ...]:
    """The keys of one name field, computed once per distinct text (given names, patronymics and many
    surnames repeat across a list: the word split and the merge are then not redone per record)."""
    out: dict[str, int] = {}
    for word in split_words(text):
        out.update(_word_keys(word, part))
    return tuple(out.items())


def field_keys(text: str, part: Part) -> dict[str, int]:
    """Every key (with its tier) of one name field as written: what the index stores once per distinct value.

    >>> sorted(field_keys("Марія", "given"))
    ['a:maria', 'e:марія', 'gg:maria']
    """
    return dict(_field_keys(text, part)) if text else {}


def record_keys(surname: str = "", given_name: str = "", patronymic: str = "") -> dict[str, int]:
    """Every key (with its tier) a record with these name fields is indexed under."""
    out: dict[str, int] = {}
    for part, text in (("surname", surname), ("given", given_name), ("patronymic", patronymic)):
        if text:
            out.update(_field_keys(text, part))
    return out


@dataclass(frozen=True, slots=True)
class QueryWord:
    """One word of a query and the keys (key → tier) it matches."""

    word: str
    keys: dict[str, int]


@lru_cache(maxsize=20_000)
def _query_word(word: str) -> QueryWord:
    keys: dict[str, int] = {}
    asciis: dict[str, None] = {}  # the parts' ASCII keys, each once (they are often the same for all three)
    for part, _letter in _PARTS:
        for key, tier in _word_keys(word, part).items():
            keys[key] = min(tier, keys.get(key, tier))
        ascii_ = name_keys(word, part).ascii
        if ascii_:
            asciis[ascii_] = None
    # the typo keys: TYPO is the worst tier, so a key that is also one of the word's own keys keeps that one's
    typos: dict[str, int] = {}
    for ascii_ in asciis:
        variants = one_edit(ascii_)
        if len(ascii_) + 3 > KEY_MAX:  # a variant may be one letter longer: "a:" + it could need cutting
            typos.update(dict.fromkeys((_cut("a:" + k) for k in variants), TYPO))
        else:
            typos.update(dict.fromkeys(["a:" + k for k in variants], TYPO))
    typos.update(keys)
    return QueryWord(word, typos)


def query_keys(text: str) -> list[QueryWord]:
    """The words of a query (at most :data:`MAX_QUERY_WORDS`) with the keys each may match.

    >>> [w.word for w in query_keys("Саша Коваленко")]
    ['Саша', 'Коваленко']
    """
    words = split_words(text)[:MAX_QUERY_WORDS]
    return [_query_word(w) for w in words if _exact(w)]


@dataclass(frozen=True, slots=True)
class Match:
    """How one query word matched a record: tier, the record's field and word, and a reason code."""

    tier: int
    part: Part
    record_word: str
    query_word: str
    reason: Reason


def _is_diminutive(word: str) -> bool:
    key = ascii_key(_exact(word)) if detect_script(word) != "latin" else latin_key(_exact(word))
    return key in _diminutive_keys()


@lru_cache(maxsize=1)
def _diminutive_keys() -> frozenset[str]:
    out: set[str] = set()
    for table in (DIMINUTIVES, ENGLISH_FORMS):
        for variants in table.values():
            out.update(ascii_key(v.lower()) for v in variants.split())
    fulls = {ascii_key(full.lower()) for table in (DIMINUTIVES, ENGLISH_FORMS) for full in table}
    return frozenset(out - fulls)


def _reason(q: str, r: str, part: Part, key: str, tier: int) -> Reason:
    if tier == TYPO:
        return "typo"
    if key.startswith("a:"):
        return "script" if detect_script(q) != detect_script(r) else "variant"
    if part == "given" and (_is_diminutive(q) or _is_diminutive(r)):
        return "diminutive"
    if part == "surname":
        qa, ra = name_keys(q, "surname").ascii, name_keys(r, "surname").ascii
        if qa != ra and qa[:-1].rstrip("aeiou") == ra[:-1].rstrip("aeiou") or qa.rstrip("a") == ra.rstrip("a"):
            return "gender_form"
    lang = name_language(r)
    if detect_script(r) == "cyrillic" and lang != name_language(q) and lang in ("uk", "ru"):
        return "ru_form" if lang == "ru" else "uk_form"
    return "variant"


def explain(query_word: QueryWord, surname: str = "", given_name: str = "", patronymic: str = "") -> Match | None:
    """The best match of one query word among a record's name words (None if it matches none)."""
    best: Match | None = None
    for part, text in (("surname", surname), ("given", given_name), ("patronymic", patronymic)):
        for word in split_words(text):
            keys = _word_keys(word, part)
            common = [(query_word.keys[k], k) for k in keys.keys() & query_word.keys.keys()]
            if not common:
                continue
            tier, key = min(common)  # the query's tier: a record's own a: key is a typo key of a query
            if best is None or tier < best.tier:
                reason: Reason = ("spelling" if tier == EXACT
                                  else _reason(query_word.word, word, part, key, tier))  # type: ignore[arg-type]
                best = Match(tier, part, word, query_word.word, reason)  # type: ignore[arg-type]
    return best
