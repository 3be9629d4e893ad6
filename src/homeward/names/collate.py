"""Sorting names in Ukrainian / Russian alphabetical order.

:func:`collation_key` turns a name into a plain ASCII string (digits and capital letters only) whose
ordinary string order is the alphabetical order of the names:

* one Cyrillic alphabet that contains both the Ukrainian and the Russian one, each in its own order:
  А Б В Г Ґ Д Е Є Ж З И І Ї Й К Л М Н О П Р С Т У Ў Ф Х Ц Ч Ш Щ Ъ Ы Ь Э Ю Я
  (Ё sorts with Е and just after it, as in Russian dictionaries; Ь and Ъ are letters in their place);
* Cyrillic names first, then Latin names (A–Z, a letter with a diacritic just after the plain letter:
  Šapoval after Sapoval, before Sbitnev), then other scripts; digits before letters;
* case is ignored except as the last tie-break (lower case first); apostrophes, stress marks and
  punctuation are ignored; spaces and hyphens separate words, and a shorter word sorts first
  (Петренко Іван before Петренкова).

Because the key consists only of ``0-9A-Z``, it sorts the same under any collation: keep it in an indexed
column and ``ORDER BY`` that column (PostgreSQL, SQLite, DuckDB), or ``sorted(names, key=collation_key)``.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

__all__ = ["CYRILLIC_ORDER", "collation_key"]

#: The merged Ukrainian/Russian alphabet, in order (Ё is not listed: it sorts as Е, then after it).
CYRILLIC_ORDER = "абвгґдеєжзиіїйклмнопрстуўфхцчшщъыьэюя"

_DIGITS = "123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # never "0": it ends a level
_BASE = len(_DIGITS)
_LEVEL_END = "0"


def _unit(n: int) -> str:
    return _DIGITS[n // _BASE] + _DIGITS[n % _BASE]


_SEPARATOR = _unit(0)
_PRIMARY: dict[str, int] = {}
for _i, _ch in enumerate("0123456789"):
    _PRIMARY[_ch] = 1 + _i
for _i, _ch in enumerate(CYRILLIC_ORDER):
    _PRIMARY[_ch] = 20 + _i
_OTHER_CYRILLIC = 20 + len(CYRILLIC_ORDER)  # other Cyrillic letters (Serbian, Kazakh…) after я
for _i, _ch in enumerate("abcdefghijklmnopqrstuvwxyz"):
    _PRIMARY[_ch] = 100 + _i
_OTHER_LATIN = 130
_OTHER_SCRIPT = 140
_ESCAPES = {_OTHER_CYRILLIC, _OTHER_LATIN, _OTHER_SCRIPT}

# Cyrillic letters whose decomposition must not be split (they are letters of their own).
_CYRILLIC_LETTERS = frozenset(CYRILLIC_ORDER)
# Letters that are variants of another letter at the first level: (base, secondary weight).
_VARIANTS = {"ё": ("е", 1)}
# Latin letters without a decomposition, read as their base letters.
_LATIN_EXPANSIONS = {
    "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i", "ŀ": "l",
}  # fmt: skip
# Secondary weights of diacritics (the first mark of a letter counts), in the usual dictionary order.
_MARK_ORDER = "\u0301\u0300\u0306\u0302\u030c\u030a\u0308\u030b\u0303\u0307\u0327\u0328\u0304"
_MARKS = {m: 2 + i for i, m in enumerate(_MARK_ORDER)}
_IGNORABLE = frozenset("'’ʼ`´‘ʹʺ′″\u0301\u0300")
_SEPARATORS = frozenset(" -\u2010\u2011\u2012\u2013\u2014\t\n_/,.;:()")


def _escape(group: int, ch: str) -> tuple[str, str]:
    code = ord(ch)
    digits = ""
    for _ in range(4):
        code, rest = divmod(code, _BASE)
        digits = _DIGITS[rest] + digits
    return _unit(group) + digits, "1"


def _letter(ch: str) -> tuple[str, str] | None:
    """(primary units, secondary weights) of one lowercase character; None if it is ignorable."""
    index = _PRIMARY.get(ch)
    if index is not None:
        return _unit(index), "1"
    variant = _VARIANTS.get(ch)
    if variant is not None:
        return _unit(_PRIMARY[variant[0]]), _DIGITS[variant[1]]
    if ch in _LATIN_EXPANSIONS:
        text = _LATIN_EXPANSIONS[ch]
        return "".join(_unit(_PRIMARY[c]) for c in text), "2" * len(text)
    if ch in _IGNORABLE or unicodedata.category(ch)[0] not in "LN":
        return None
    decomposed = unicodedata.normalize("NFD", ch)
    index = _PRIMARY.get(decomposed[0])
    if index is not None and len(decomposed) > 1:  # a letter with a diacritic: just after its base letter
        return _unit(index), _DIGITS[_MARKS.get(decomposed[1], _BASE - 1)]
    if unicodedata.category(ch)[0] == "N":
        return _escape(_OTHER_SCRIPT, ch)
    if "\u0400" <= ch <= "\u052f":
        return _escape(_OTHER_CYRILLIC, ch)
    if ch.isascii() or "\u00c0" <= ch <= "\u024f" or "\u1e00" <= ch <= "\u1eff":
        return _escape(_OTHER_LATIN, ch)
    return _escape(_OTHER_SCRIPT, ch)


@lru_cache(maxsize=200_000)
def collation_key(text: str) -> str:
    """An ASCII sort key (``0-9A-Z`` only) that orders names in Ukrainian/Russian alphabetical order.

    >>> sorted(["Євген", "Іван", "Андрій", "Ґалаґан", "Гнат", "Kovalenko"], key=collation_key)
    ['Андрій', 'Гнат', 'Ґалаґан', 'Євген', 'Іван', 'Kovalenko']

    Three levels, compared in turn: letters (case-insensitive, Ё as Е, diacritics ignored), then
    Ё and diacritics, then case.  Equal keys mean the names differ only in ignorable characters.
    """
    text = unicodedata.normalize("NFC", text)
    primary: list[str] = []
    secondary: list[str] = []
    tertiary: list[str] = []
    pending_separator = False
    for ch in text:
        if ch in _SEPARATORS or ch.isspace():
            pending_separator = bool(primary)
            continue
        low = ch.lower()
        weights = _letter(low) if len(low) == 1 else _letter(ch)
        if weights is None:
            continue
        if pending_separator:
            primary.append(_SEPARATOR)
            pending_separator = False
        units, second = weights
        primary.append(units)
        secondary.append(second)
        tertiary.append("2" if ch != low else "1")
    return "".join(primary) + _LEVEL_END + "".join(secondary) + _LEVEL_END + "".join(tertiary)
