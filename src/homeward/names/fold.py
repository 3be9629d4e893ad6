"""The canonical ASCII key and the phonetic skeleton.

Cyrillic (Ukrainian or Russian) goes through one fixed base romanisation; Latin input goes through a
scheme-normalisation step; both then meet in the same core folding, so that the key of ``Олександр``
equals the key of ``Oleksandr``, and ``Юлія``/``Юлия``/``Iuliia``/``Yuliya``/``Julija`` share a key.
See docs/names.md for the rules.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

__all__ = [
    "MAX_READING_COST",
    "ascii_key",
    "cyr_key",
    "latin_family",
    "latin_key",
    "latin_readings",
    "phonetic_key",
    "surname_stem",
]

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
    "š": "sh", "č": "tsh", "ž": "zh", "ŝ": "shch", "ĉ": "tsh", "ë": "yo", "ė": "e", "è": "e", "é": "e",
    "ĭ": "y", "ȳ": "y", "û": "yu", "â": "ya", "ê": "ye", "ì": "i", "ï": "yi", "ǵ": "g", "ğ": "g",
    "ü": "yu", "ö": "yo", "ä": "ya", "ß": "ss", "ł": "l", "ż": "zh", "ź": "z", "ś": "s", "ć": "tsh",
    "ń": "n", "ę": "e", "ą": "a", "ó": "o", "ý": "y", "ř": "r", "ě": "ye", "ů": "u",
    "ʹ": "'", "ʺ": "'", "′": "'", "″": "'", "’": "'", "ʼ": "'", "`": "'", "´": "'", '"': "'",
    "”": "'", "“": "'", "‘": "'", "·": "",
})
_NON_KEY_RE = re.compile(r"[^a-z\- ]+")
_NON_LATIN_KEY_RE = re.compile(r"[^a-z\-' ]+")  # the apostrophe bounds graphemes (t'c is not tc), then goes

# Latin graphemes and their readings in the family of romanisations in real use (passports of each era,
# ICAO, BGN/PCGN, ALA-LC, ISO 9/GOST 7.79, scientific, German/French/Polish/Czech national readings,
# telegraph and informal writing), as fragments of the folded alphabet (S = ш/щ, Z = ж, C = ч, c = ц,
# g = г/ґ/х, i = и/і/ї/й/ы) with a cost: 0 for the reading most schemes give the grapheme, 1 or 2 for a
# minority reading.  Longest and most specific first (the regex takes the first alternative that matches).
_C = "bcdfgklmnprstvwxzh"  # Latin consonant letters
_END = "(?=$|[^a-z])"
Readings = tuple[tuple[str, int], ...]
_UNITS: tuple[tuple[str, str, Readings], ...] = (
    ("shch", "schtsch|shtsch|shtsh|shtch|chtch|szcz|shch|shh", (("S", 0),)),  # щ
    ("tch", "tsch|tsh|tch", (("C", 0), ("tg", 1))),  # ч (German, French); т+х where ch is х
    ("dzh", "dzh|dsch", (("dZ", 0),)),  # дж
    ("sch", "sch", (("S", 0), ("Z", 1))),  # ш (German; German also ж), щ (informal)
    ("zh", "zh", (("Z", 0), ("zg", 1))),
    ("kh", "kh|gh", (("g", 0),)),
    ("ch", "ch", (("C", 0), ("S", 1), ("g", 1))),  # ч; ш in French; х in German, Polish, Czech
    ("cz", "cz", (("C", 0), ("c", 1))),  # ч in Polish; ц in GOST 7.79 B (Czapenko)
    ("sz", "sz", (("S", 0),)),  # ш in Polish
    ("sh", "sh", (("S", 0), ("Z", 1), ("sg", 1))),  # ш; ж in German; с+х
    ("sc", "sc(?![h])", (("S", 0), ("sk", 1), ("sc", 1))),  # щ in telegraph writing; ск; сц
    ("ck", "ck", (("ck", 0), ("k", 1))),  # цк (-цкий in ISO, GOST, telegraph); к in English
    ("ts", "ts|tz", (("c", 0),)),  # ц
    ("tc", "tc", (("c", 0), ("tk", 1))),  # ц in Russian passports 2010-2013; т+к where c is к
    ("ph", "ph", (("f", 0),)),
    ("th", "th", (("t", 0), ("tg", 1))),  # т; т+х
    ("eh", f"eh(?=[{_C}]|$|[^a-z])", (("eg", 0), ("e", 1))),  # э written "eh" (GOST 7.79 table 2)
    ("ou", "ou", (("u", 0), ("ou", 1))),  # у in French
    ("gu", "gu(?=[eiy])", (("g", 0), ("gu", 1))),  # г before e/i in French (Evguenii)
    ("q", "q", (("k", 0), ("ia", 1))),  # я in informal writing
    ("x", "x", (("ks", 0), ("g", 1))),  # кс; х in scientific, ISO, GOST 7.79 B
    ("w", "w", (("v", 0), ("S", 1))),  # в (German, Polish); ш/щ in informal writing
    # ь written j (DSTU 9112, GOST 1971 variants): й never stands between consonants or after a final one
    ("soft-j", f"(?<=[{_C}])j(?=[{_C}]|$|[^a-z])", (("", 0),)),
    ("j", "j", (("i", 0), ("Z", 1), ("dZ", 2))),  # й; ж in French and telegraph writing; дж in English
    ("y", "y", (("i", 0),)),
    ("h", "h", (("g", 0),)),
    ("c", "c", (("c", 0), ("k", 1))),  # ц; к in English forms (Victor, Nicolai)
    ("ss", "ss", (("s", 0),)),
    ("z", "z", (("z", 0), ("c", 1), ("Z", 1))),  # з; ц in German; ж in informal writing
    ("vsv", "(?<=[aeiouy])s(?=[aeiouy])", (("s", 0), ("z", 1))),  # between vowels: с, or з in German
    ("s", "s", (("s", 0), ("z", 1))),  # с; з in German
    ("e", f"(?<=[{_C}])e{_END}", (("e", 0), ("", 1))),  # the French mute e (Bacharine, Poutine)
    ("u", "u", (("u", 0), ("iu", 1))),  # ю as u in informal writing (Ulia, Ludmila)
)

# A word that shows the conventions of one national family is read with that family's readings first.
_FAMILY_MARKS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("fr", re.compile(f"ou|tch|gu[eiy]|ï|[^aeiouy]ine{_END}")),  # Demtchouk, Evguenii, Bacharine
    ("cs", re.compile("[čšžěřŝ]")),  # ISO 9, scientific, Czech: ch (if any) = х, x = х
    ("pl", re.compile("sz|[łżśćń]|w.*cz|cz.*w")),  # Polish: ch = х
    ("de", re.compile("sch|ß|[äöü]|w")),  # German: ch = х, z = ц, sh = ж
)
_FAMILY_READINGS: dict[str, dict[str, Readings]] = {
    "fr": {
        "ch": (("S", 0), ("C", 1), ("g", 2)),
        "j": (("Z", 0), ("i", 1), ("dZ", 2)),
    },
    "cs": {"ch": (("g", 0), ("C", 1)), "x": (("g", 0), ("ks", 1))},
    "pl": {"ch": (("g", 0), ("C", 1))},
    "de": {
        "ch": (("g", 0), ("C", 1), ("S", 2)),
        "sh": (("Z", 0), ("S", 1)),
        "z": (("c", 0), ("z", 1)),
        "vsv": (("z", 0), ("s", 1)),  # с between vowels is ss in German
    },
}
_UNIT_RE = re.compile("|".join(f"({pattern})" for _, pattern, _ in _UNITS))


def _unit_table(family: str) -> tuple[Readings, ...]:
    overrides = _FAMILY_READINGS.get(family, {})
    return tuple(overrides.get(name, readings) for name, _, readings in _UNITS)


_READINGS_BY_FAMILY = {family: _unit_table(family) for family in ("", *_FAMILY_READINGS)}
_DEFAULTS_BY_FAMILY = {f: tuple(r[0][0] for r in table) for f, table in _READINGS_BY_FAMILY.items()}


def latin_family(token: str) -> str:
    """The national family whose conventions a lowercase Latin word shows (``fr``, ``cs``, ``pl``, ``de``),
    or ``""`` for the common English-based conventions of passports, ICAO, BGN/PCGN and ALA-LC."""
    for family, marks in _FAMILY_MARKS:
        if marks.search(token):
            return family
    return ""


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


def _latin_ascii(token: str) -> str:
    s = token.translate(_LATIN_SPECIAL)
    if not s.isascii():
        s = "".join(ch for ch in unicodedata.normalize("NFKD", s) if ch.isascii())
    return _NON_LATIN_KEY_RE.sub("", s)


def latin_key(token: str) -> str:
    """Key of a lowercase Latin string in any romanisation: every grapheme read its most common way
    (in the conventions of the word's national family, see :func:`latin_family`)."""
    defaults = _DEFAULTS_BY_FAMILY[latin_family(token)]
    read = _UNIT_RE.sub(lambda m: defaults[m.lastindex - 1], _latin_ascii(token))  # type: ignore[operator]
    return _tail(read.replace("'", ""))


#: Largest total cost of minority readings that :func:`latin_readings` combines.
MAX_READING_COST = 3
_MAX_READINGS = 400


def latin_readings(token: str, max_cost: int = MAX_READING_COST) -> list[tuple[int, str]]:
    """Other readings of a lowercase Latin string: ``(cost, key)`` in order of increasing cost (>= 1).

    A reading gives some graphemes a minority reading (``ch`` as ш, ``x`` as х, ``c`` as к…) and costs the
    sum of theirs.  A writer keeps to one convention within a word, so a minority reading is given to every
    occurrence of its grapheme at once (Coval's'cyi: both c as к, for the cost of one).  At most a few
    hundred readings are produced, cheapest first; keys equal to a cheaper reading's are left out.
    """
    table = _READINGS_BY_FAMILY[latin_family(token)]
    s = _latin_ascii(token)
    parts: list[str] = []
    positions: dict[int, list[int]] = {}
    pos = 0
    for m in _UNIT_RE.finditer(s):
        parts.append(s[pos : m.start()])
        unit = m.lastindex - 1  # type: ignore[operator]
        readings = table[unit]
        if len(readings) > 1:
            positions.setdefault(unit, []).append(len(parts))
        parts.append(readings[0][0])
        pos = m.end()
    parts.append(s[pos:])
    choices = [(tuple(where), table[unit]) for unit, where in positions.items()]
    seen = {_tail("".join(parts).replace("'", ""))}
    out: list[tuple[int, str]] = []
    for budget in range(1, max_cost + 1):
        for chosen in _assignments(choices, 0, budget):
            trial = parts[:]
            for where, fragment in chosen:
                for index in where:
                    trial[index] = fragment
            key = _tail("".join(trial).replace("'", ""))
            if key not in seen:
                seen.add(key)
                out.append((budget, key))
                if len(out) >= _MAX_READINGS:
                    return out
    return out


def _assignments(
    choices: list[tuple[tuple[int, ...], Readings]], start: int, budget: int
) -> Iterator[list[tuple[tuple[int, ...], str]]]:
    """Every way to spend exactly ``budget`` on minority readings of ``choices[start:]``."""
    if budget == 0:
        yield []
        return
    for i in range(start, len(choices)):
        where, readings = choices[i]
        for fragment, cost in readings[1:]:
            if cost <= budget:
                for rest in _assignments(choices, i + 1, budget - cost):
                    yield [(where, fragment), *rest]


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
