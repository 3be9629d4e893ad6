"""Transliteration of Ukrainian and Russian Cyrillic under official and legacy schemes.

Most schemes are the tables of ``translitua`` (KMU 2010 for Ukrainian is the
library's ``UkrainianKMU``); the two Russian MVD schemes (orders 310/1997 and
782/2000, as published by iuliia.ru) are implemented here with a small
context-aware engine because their soft-sign rules need a look at the
neighbouring letters.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import translitua

__all__ = ["SCHEMES", "UK_SCHEMES", "RU_SCHEMES", "transliterate"]

TRANSLITUA_TABLES: dict[str, Any] = {
    "uk_kmu2010": translitua.UkrainianKMU,
    "uk_passport2007": translitua.UkrainianPassport2007,
    "uk_passport2004": translitua.UkrainianPassport2004Alt,
    "uk_national1996": translitua.UkrainianNational1996,
    "uk_bgn": translitua.UkrainianBGN,
    "uk_german": translitua.UkrainianGerman,
    "uk_french": translitua.UkrainianFrench,
    "uk_gost1986": translitua.UkrainianGOST1986,
    "uk_iso9": translitua.UkrainianISO9,
    "ru_icao2013": translitua.RussianICAO,
    "ru_passport1997": translitua.RussianInternationalPassport1997,
    "ru_passport1997_reduced": translitua.RussianInternationalPassport1997Reduced,
    "ru_gost2006": translitua.RussianGOST2006,
    "ru_iso9": translitua.RussianISO9SystemA,
    "ru_telegram": translitua.RussianTelegram,
}

#: Every supported scheme with a one-line description.
SCHEMES: Mapping[str, str] = {
    "uk_kmu2010": "Ukrainian national standard, KMU resolution 55 of 27.01.2010 (passports since 2010)",
    "uk_passport2007": "Ukrainian passports 2007-2010",
    "uk_passport2004": "Ukrainian passports 2004-2007",
    "uk_national1996": "Ukrainian national system 1996",
    "uk_bgn": "BGN/PCGN 1965 (Ukrainian)",
    "uk_german": "German-style Ukrainian (Schewtschenko)",
    "uk_french": "French-style Ukrainian (Chevtchenko)",
    "uk_gost1986": "GOST 16876-71 revision 1986 (Ukrainian)",
    "uk_iso9": "ISO 9 (Ukrainian, with diacritics)",
    "ru_icao2013": "Russian international passports since 2013 (ICAO Doc 9303)",
    "ru_passport1997": "Russian international passports 1997-2010 (MVD order 310, as in translitua)",
    "ru_passport1997_reduced": "Russian passports 1997-2010, -ий/-ый reduced to -y",
    "ru_mvd310": "MVD order 310 of 1997 (as published by iuliia.ru)",
    "ru_mvd782": "MVD order 782 of 2000 (as published by iuliia.ru)",
    "ru_gost2006": "GOST R 52535.1-2006 (Russian passports 2010-2013)",
    "ru_iso9": "ISO 9 system A / GOST 7.79 (Russian, with diacritics)",
    "ru_telegram": "Russian telegraph code romanisation",
}

UK_SCHEMES: tuple[str, ...] = tuple(s for s in SCHEMES if s.startswith("uk_"))
RU_SCHEMES: tuple[str, ...] = tuple(s for s in SCHEMES if s.startswith("ru_"))

_RU_BASE = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": '"', "ы": "y", "ь": "'", "э": "e", "ю": "yu", "я": "ya",
}


@dataclass(frozen=True, slots=True)
class _ContextScheme:
    """A letter table plus rules keyed by (previous, current) and (current, next) letter pairs."""

    mapping: Mapping[str, str]
    prev: Mapping[str, str]
    next: Mapping[str, str]


_MVD310 = _ContextScheme(
    mapping=_RU_BASE,
    prev={"ье": "ye", "ъе": "ye"},
    next={"ье": "", "ъе": ""},
)

_MVD782 = _ContextScheme(
    mapping={**_RU_BASE, "ё": "yo", "ъ": "'"},
    prev={
        **{v + "е": "ye" for v in "аеёиоуъыьэюя"},
        **{c + "ё": "ye" for c in "бвгдзклмнпрстфхц"},
        **{c + "ё": "e" for c in "жчшщ"},
        "ьи": "yi",
    },
    next={"ъе": "", "ье": "", "ъё": "", "ьё": "", "ьи": ""},
)

_CONTEXT_SCHEMES = {"ru_mvd310": _MVD310, "ru_mvd782": _MVD782}

# Stress marks (combining acute/grave) are not letters; strip them after NFC so that й/ё survive.
_STRESS_RE = re.compile("[\u0300\u0301]")
_APOSTROPHE_RE = re.compile("[`´‘ʹ]")


def _context_translit(text: str, scheme: _ContextScheme) -> str:
    out: list[str] = []
    n = len(text)
    for i, ch in enumerate(text):
        lower = ch.lower()
        if lower not in scheme.mapping:
            out.append(ch)
            continue
        prev = text[i - 1].lower() if i > 0 else ""
        nxt = text[i + 1].lower() if i + 1 < n else ""
        rep = scheme.prev.get(prev + lower)
        if rep is None:
            rep = scheme.next.get(lower + nxt)
        if rep is None:
            rep = scheme.mapping[lower]
        if ch != lower and rep:
            neighbour_upper = (i + 1 < n and text[i + 1].isupper()) or (i > 0 and text[i - 1].isupper())
            rep = rep.upper() if neighbour_upper and len(rep) > 1 else rep.capitalize()
        out.append(rep)
    return "".join(out)


def transliterate(text: str, scheme: str) -> str:
    """Romanise ``text`` under ``scheme`` (one of :data:`SCHEMES`).

    Case is preserved; Latin letters, digits and punctuation pass through.
    Stress marks are removed; apostrophe variants are treated as the apostrophe.
    """
    if scheme not in SCHEMES:
        raise ValueError("unknown transliteration scheme; expected one of: " + ", ".join(SCHEMES))
    text = _STRESS_RE.sub("", unicodedata.normalize("NFC", text))
    text = _APOSTROPHE_RE.sub("'", text)
    context = _CONTEXT_SCHEMES.get(scheme)
    if context is not None:
        return _context_translit(text, context)
    return str(translitua.translit(text, TRANSLITUA_TABLES[scheme]))
