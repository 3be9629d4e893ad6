"""Script detection, homoglyph repair and token normalisation (no dictionaries needed)."""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

__all__ = [
    "APOSTROPHES",
    "detect_script",
    "normalize_text",
    "repair_homoglyphs",
    "spelling_language",
    "tokens",
]

Script = Literal["cyrillic", "latin", "mixed", "none"]

#: Characters used for the Ukrainian apostrophe (and for soft/hard sign marks in romanisations).
APOSTROPHES = "'’ʼ`´‘ʹʺ′″"

_UK_ONLY = frozenset("іїєґ")
_RU_ONLY = frozenset("ыэъё")

# Latin letters that look like Cyrillic ones, and the reverse.  Lowercase pairs are only those
# that are visually identical in common fonts.
_LAT_TO_CYR = str.maketrans(
    "aeopcxiyABCEHIKMOPTXY",
    "аеорсхіуАВСЕНІКМОРТХУ",
)
_CYR_TO_LAT = str.maketrans(
    "аеорсхіуАВСЕНІКМОРТХУ",
    "aeopcxiyABCEHIKMOPTXY",
)
# Double quotes inside a word are the hard sign of some romanisations (Pod"yachev).
_APOS_TRANS = str.maketrans(dict.fromkeys(APOSTROPHES + '"“”„', "'"))
# Combining marks NFC leaves alone: ALA-LC tie ligatures (i͡a, t͡s), stress, marks of no precomposed letter.
_LOOSE_MARKS_RE = re.compile("[\u0300-\u036f\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_SPACE_RE = re.compile(r"\s+")
_ANY_CYR_RE = re.compile("[\u0400-\u04ff]")
_ANY_LAT_RE = re.compile("[A-Za-z\u00c0-\u024f]")
_UK_ADJ_RE = re.compile(r"[сцз]ьк(?:ий|а|е)\b")
_RU_ADJ_RE = re.compile(r"[^ь][сцз]к(?:ий|ая|ое)\b")
_RU_SOFT_VOWEL_RE = re.compile("ь[яеюиё]")
_RU_INITIAL_I_RE = re.compile(r"(?:^|[\s\-])и")
_TOKEN_SPLIT_RE = re.compile(r"[\s,;/]+")


def _is_cyr(ch: str) -> bool:
    return "\u0400" <= ch <= "\u04ff"


def _is_lat(ch: str) -> bool:
    return ("a" <= ch <= "z") or ("A" <= ch <= "Z") or ("\u00c0" <= ch <= "\u024f" and ch.isalpha())


def detect_script(token: str) -> Script:
    """Script of the letters in ``token``: ``cyrillic``, ``latin``, ``mixed`` or ``none`` (no letters)."""
    cyr = lat = False
    for ch in token:
        if _is_cyr(ch):
            cyr = True
        elif _is_lat(ch):
            lat = True
    if cyr and lat:
        return "mixed"
    if cyr:
        return "cyrillic"
    if lat:
        return "latin"
    return "none"


def _repair_word(word: str) -> str:
    n_cyr = sum(1 for ch in word if _is_cyr(ch))
    n_lat = sum(1 for ch in word if _is_lat(ch))
    if not n_cyr or not n_lat:
        return word
    as_cyr = word.translate(_LAT_TO_CYR)
    as_lat = word.translate(_CYR_TO_LAT)
    cyr_ok = detect_script(as_cyr) == "cyrillic"
    lat_ok = detect_script(as_lat) == "latin"
    if cyr_ok and (n_cyr >= n_lat or not lat_ok):
        return as_cyr
    if lat_ok:
        return as_lat
    return word


def repair_homoglyphs(text: str) -> str:
    """Replace look-alike letters of the minority script inside each word.

    ``"Oлeксандр"`` (Latin O and e) becomes all-Cyrillic; ``"Kоvalenko"`` (Cyrillic о) all-Latin.
    A word is only changed when the replacement makes it single-script; otherwise it is left as is.
    """
    if text.isascii() or _ANY_LAT_RE.search(text) is None or _ANY_CYR_RE.search(text) is None:
        return text
    parts = re.split(r"([^\w'’ʼ`]+)", text)
    return "".join(_repair_word(p) if p else p for p in parts)


def normalize_text(text: str) -> str:
    """NFC, homoglyph repair, one apostrophe, single spaces, lower case, no stress marks or tie ligatures."""
    text = unicodedata.normalize("NFC", text)
    if not text.isascii():
        text = _LOOSE_MARKS_RE.sub("", text)
    text = repair_homoglyphs(text.translate(_APOS_TRANS))
    return _SPACE_RE.sub(" ", text).strip().lower()


def tokens(text: str) -> list[str]:
    """Split normalised text into name tokens (whitespace, commas, slashes; hyphens kept)."""
    return [t.strip("-'.") for t in _TOKEN_SPLIT_RE.split(text) if t.strip("-'.")]


def spelling_language(token: str) -> Literal["uk", "ru", "unknown"]:
    """Language of a lowercase Cyrillic token from its letters and spelling alone."""
    letters = set(token)
    uk = bool(letters & _UK_ONLY)
    ru = bool(letters & _RU_ONLY)
    if uk and not ru:
        return "uk"
    if ru and not uk:
        return "ru"
    if uk and ru:
        return "unknown"
    # Ukrainian writes the apostrophe and ьо where Russian has ъ and ё; Russian writes ия/ие/ию
    # where Ukrainian has ія/іє/ію.
    if "'" in token or "ьо" in token:
        return "uk"
    if "ия" in token or "ие" in token or "ию" in token:
        return "ru"
    # Ukrainian writes no soft sign before a vowel (Наталя, Дар'я: Russian Наталья, Дарья) and starts
    # almost no word with и (Іван: Russian Иван).
    if _RU_SOFT_VOWEL_RE.search(token) or _RU_INITIAL_I_RE.search(token):
        return "ru"
    # Adjectival surnames: Ukrainian -ський/-цький/-зький (soft sign), Russian -ский/-цкий/-ская.
    if _UK_ADJ_RE.search(token):
        return "uk"
    if _RU_ADJ_RE.search(token):
        return "ru"
    return "unknown"
