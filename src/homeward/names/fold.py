"""The canonical ASCII key and the phonetic skeleton.

Cyrillic (Ukrainian or Russian) goes through one fixed base romanisation; Latin input goes through a
scheme-normalisation step; both then meet in the same core folding, so that the key of ``Олександр``
equals the key of ``Oleksandr``, and ``Юлія``/``Юлия``/``Iuliia``/``Yuliya``/``Julija`` share a key.
See docs/names.md for the rules.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["ascii_key", "cyr_key", "latin_key", "phonetic_key", "surname_stem"]

_CYR_BASE = {
    "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "є": "ye", "ё": "yo",
    "ж": "zh", "з": "z", "и": "y", "і": "i", "ї": "yi", "й": "y", "к": "k", "л": "l", "м": "m",
    "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh",
    "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya", "'": "",
}
_CYR_TRANS = str.maketrans(_CYR_BASE)

# Latin letters with diacritics used by ISO 9, GOST, DSTU, Polish, Czech, German and French
# renderings, mapped to the digraphs of the base romanisation.
_LATIN_SPECIAL = str.maketrans({
    "š": "sh", "č": "ch", "ž": "zh", "ŝ": "shch", "ĉ": "ch", "ë": "yo", "ė": "e", "è": "e", "é": "e",
    "ĭ": "y", "ȳ": "y", "û": "yu", "â": "ya", "ê": "ye", "ì": "i", "ï": "yi", "ǵ": "g", "ğ": "g",
    "ü": "yu", "ö": "yo", "ä": "ya", "ß": "ss", "ł": "l", "ż": "zh", "ź": "z", "ś": "s", "ć": "ch",
    "ń": "n", "ę": "e", "ą": "a", "ó": "o", "ý": "y", "ř": "r", "ě": "ye", "ů": "u",
    "ʹ": "", "ʺ": "", "′": "", "″": "", "'": "", "’": "", "ʼ": "", "`": "", "´": "", '"': "",
    "”": "", "“": "", "‘": "", "·": "",
})
_NON_KEY_RE = re.compile(r"[^a-z\- ]+")

# Spelling conventions of Latin schemes, normalised to the base romanisation (longest first).
_LATIN_MULTI = {
    "schtsch": "shch", "shtsch": "shch", "chtch": "shch", "szcz": "shch",
    "tsch": "ch", "tch": "ch", "cz": "ch", "sch": "sh", "sz": "sh",
    "ch": "ch", "ck": "k", "ph": "f", "th": "t", "gh": "g", "iou": "yu", "you": "yu",
    "tc": "ts", "tz": "ts", "x": "ks", "w": "v", "q": "k", "j": "y", "h": "kh",
    "kh": "kh", "zh": "zh", "sh": "sh",
    "ce": "tse", "ci": "tsi", "cy": "tsy", "c": "k",
}
_LATIN_MULTI_RE = re.compile("|".join(sorted(_LATIN_MULTI, key=len, reverse=True)))

# Core folding, shared by both paths.
_I_RUN_RE = re.compile(r"i{2,}")
_CONS = "bcdfgklmnprstvzSZC"
_IO_RE = re.compile(f"(?<=[{_CONS}])io")
_DOUBLE_RE = re.compile(f"([{_CONS}])\\1+")

# Pure Cyrillic goes straight to the folded alphabet (S = ш/щ, Z = ж, C = ч, c = ц), skipping the
# digraph stage; the result is identical to folding the base romanisation (tested).
_CYR_FAST = str.maketrans({
    "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "є": "ie", "ё": "io",
    "ж": "Z", "з": "z", "и": "i", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l", "м": "m",
    "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "g",
    "ц": "c", "ч": "C", "ш": "S", "щ": "S", "ъ": "", "ы": "i", "ь": "", "э": "e", "ю": "iu",
    "я": "ia", "'": "",
})
_PURE_CYR_RE = re.compile(r"[а-яёіїєґ' \-]+")


def _first_char(m: re.Match[str]) -> str:
    return m.group(1)


def _tail(s: str) -> str:
    # сч is pronounced (and often written in Latin as) щ, тч as ч: Песчаная/Peschanaia, Ігнатченко/Ignatchenko
    s = s.replace("sC", "S").replace("tC", "C").replace("ts", "c")
    if "ii" in s:
        s = _I_RUN_RE.sub("i", s)
    s = s.replace("ie", "e")
    if "io" in s:
        s = _IO_RE.sub("e", s)
    if _DOUBLE_RE.search(s) is not None:
        s = _DOUBLE_RE.sub(_first_char, s)
    return s.replace("S", "sh").replace("Z", "zh").replace("C", "ch")


def _core(s: str) -> str:
    s = s.replace("shch", "S").replace("sh", "S").replace("zh", "Z").replace("ch", "C")
    s = s.replace("kh", "g").replace("h", "g").replace("y", "i").replace("j", "i")
    return _tail(s)


def cyr_key(token: str) -> str:
    """Key of a lowercase Cyrillic (possibly mixed with Latin) string."""
    if _PURE_CYR_RE.fullmatch(token):
        return _tail(token.translate(_CYR_FAST))
    s = token.translate(_CYR_TRANS)
    if not s.isascii():
        return latin_key(s)
    return _core(_NON_KEY_RE.sub("", s))


def _latin_multi(m: re.Match[str]) -> str:
    return _LATIN_MULTI[m.group(0)]


def latin_key(token: str) -> str:
    """Key of a lowercase Latin string in any romanisation."""
    s = token.translate(_LATIN_SPECIAL)
    if not s.isascii():
        s = "".join(ch for ch in unicodedata.normalize("NFKD", s) if ch.isascii())
    s = _NON_KEY_RE.sub("", s)
    s = _LATIN_MULTI_RE.sub(_latin_multi, s)
    return _core(s)


@lru_cache(maxsize=200_000)
def ascii_key(token: str) -> str:
    """Canonical ASCII key of one lowercase normalised token (Cyrillic, Latin or mixed)."""
    for ch in token:
        if "\u0400" <= ch <= "\u04ff":
            return cyr_key(token)
    return latin_key(token)


_VOICING = str.maketrans({"b": "p", "d": "t", "z": "s", "v": "f", "g": "k", "c": "s"})
_VOWEL_RE = re.compile("[aeiou]+")
_REPEAT_RE = re.compile(r"(.)\1+")


@lru_cache(maxsize=200_000)
def _phonetic_word(word: str) -> str:
    s = word.replace("sh", "X").replace("zh", "X").replace("ch", "Q").translate(_VOICING)
    head = "a" if s[0] in "aeiou" else s[0]
    s = head + _VOWEL_RE.sub("", s[1:])
    return _REPEAT_RE.sub(_first_char, s).lower()


def phonetic_key(key: str) -> str:
    """Coarse skeleton of an ASCII key: voicing folded, non-initial vowels dropped, repeats merged."""
    return " ".join(_phonetic_word(word) for word in key.split())


_SURNAME_VOWELS = "aeiou"


def surname_stem(key: str) -> str:
    """Gender-neutral stem of a surname key: trailing vowels removed (-ська/-ский/-ская → -sk, -ова → -ov)."""
    stem = key.rstrip(_SURNAME_VOWELS)
    return stem if len(stem) >= 3 else key
