"""Settlement names canonicalised across Ukrainian, Russian and Latin spellings."""

from __future__ import annotations

import re
from functools import cache, lru_cache

from .fold import ascii_key
from .tables import PLACES
from .text import normalize_text

__all__ = ["canonical_place"]

# Settlement-type prefixes and suffixes (Ukrainian, Russian, English), matched on normalised text.
_PREFIX_RE = re.compile(
    r"^(?:(?:city|town|village|settlement) of\s+"
    r"|(?:м|г|с|смт|пгт|с-ще|сел|пос|п|х|д|ст|гор|місто|город|село|селище|поселок|посёлок|деревня|хутір|"
    r"хутор|станица|city|town|village|settlement|vil)(?:\.\s*|\s+))+"
)
_SUFFIX_RE = re.compile(r"\s+(?:city|town|village|місто|город)$")
_SPLIT_RE = re.compile(r"[,;(]")


@cache
def _place_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for canonical, variants in PLACES.items():
        target = _fold(canonical.lower())
        index[target] = target
        for variant in variants.split("|"):
            index[_fold(normalize_text(variant))] = target
    return index


# Regular Ukrainian/Russian differences in place names, applied to each folded word:
# Харків/Харьков, Іванівка/Ивановка, Франківськ/Франковск (і in a closed syllable ↔ о),
# Покровське/Покровское, Зелене/Зеленое (-е ↔ -ое), Нова/Новая, Кривий/Кривой (adjective endings).
_PLACE_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"iv$"), "ov"),
    (re.compile(r"iv(?=k|sk)"), "ov"),
    (re.compile(r"oe$"), "e"),
    (re.compile(r"aia$"), "a"),
    (re.compile(r"oi$"), "i"),
)


def _place_word(word: str) -> str:
    key = ascii_key(word)
    for pattern, replacement in _PLACE_RULES:
        key = pattern.sub(replacement, key)
    return key


def _fold(text: str) -> str:
    return " ".join(_place_word(w) for w in text.replace("-", " ").split() if w)


@lru_cache(maxsize=50_000)
def canonical_place(text: str) -> str:
    """One key for a settlement however it is written: Харків/Харьков/Kharkiv/Kharkov → ``garkov``.

    Settlement-type words (м., г., с., смт, село, city of …) and everything after the first comma or
    parenthesis (district, region) are dropped.  Known cities whose Ukrainian and Russian names differ
    (Київ/Киев, Миколаїв/Николаев, renamed places) map to the key of the Ukrainian KMU name; other names
    get the canonical ASCII key plus a few regular Ukrainian/Russian correspondences (-ів/-ов, -івка/-овка,
    -ське/-ское).
    """
    norm = normalize_text(text)
    norm = _SPLIT_RE.split(norm, maxsplit=1)[0].strip()
    norm = _PREFIX_RE.sub("", norm).strip()
    norm = _SUFFIX_RE.sub("", norm).strip().strip(".")
    key = _fold(norm)
    return _place_index().get(key, key)
