"""Per-name keys for matching: canonical ASCII key, equivalence groups, phonetic skeleton."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from .fold import MAX_READING_COST, ascii_key, latin_key, latin_readings, phonetic_key, surname_stem
from .lexicon import given_lexicon, language_sets, surname_lexicon
from .text import detect_script, normalize_text, spelling_language, tokens

__all__ = ["NameKeys", "Part", "detect_language", "is_patronymic", "name_keys", "split_full_name"]

Part = Literal["given", "surname", "patronymic"]
Language = Literal["uk", "ru", "unknown"]

_NON_NAME_RE = re.compile(r"[^\w'\- ]+|[\d_]+")
_INITIALS_RE = re.compile(r"\b(\w)\.(?=\w)")
_SIMPLE_WORD_RE = re.compile(r"[A-Za-z]+|[А-ЯЁІЇЄҐа-яёіїєґ]+")
_PATRONYMIC_END_RE = re.compile(r"(ovich|evich|ovna|evna|ivna|ichna|inichna)$")


@dataclass(frozen=True, slots=True)
class NameKeys:
    """Keys of one name part.

    ``ascii``: canonical lowercase ASCII key for string distance ("" if empty); words separated by one
    space (hyphenated and double names become several words).  ``groups``: sorted, deduplicated
    equivalence-group keys (short ASCII); an unknown name is its own group.  ``phonetic``: coarse
    skeleton of ``ascii``.
    """

    ascii: str
    groups: tuple[str, ...]
    phonetic: str


_EMPTY = NameKeys("", (), "")


# Informal writing uses digits for letters that Latin lacks: 4 = ч, 6 = ш (4ernov, Gri6a).
_DIGIT_LETTER_RE = re.compile(r"(?<=[a-z])[46](?![0-9])|(?<![0-9])[46](?=[a-z])")
_DIGIT_LETTERS = {"4": "ch", "6": "sh"}


def _digit_letter(m: re.Match[str]) -> str:
    return _DIGIT_LETTERS[m.group(0)]


def _words(text: str) -> list[str]:
    norm = normalize_text(text)
    if "4" in norm or "6" in norm:
        norm = _DIGIT_LETTER_RE.sub(_digit_letter, norm)
    norm = _NON_NAME_RE.sub(" ", norm)
    words: list[str] = []
    for tok in tokens(norm):
        words.extend(w.strip("'") for w in tok.split("-") if w.strip("'"))
    return words


@lru_cache(maxsize=300_000)
def _token_groups(key: str, part: Part, latin: bool = False) -> tuple[str, ...]:
    if len(key) < 2:  # an initial carries no group
        return ()
    if part == "surname":
        return surname_lexicon().groups(key)
    return given_lexicon("first" if part == "given" else "patronymic").groups(key) or (key,)


def _known(part: Part) -> Callable[[str], bool]:
    if part == "surname":
        stems = surname_lexicon().stems
        return lambda key: surname_stem(key) in stems
    index = given_lexicon("first" if part == "given" else "patronymic").index
    return index.__contains__


@lru_cache(maxsize=300_000)
def _latin_word(word: str, part: Part) -> tuple[str, tuple[str, ...]]:
    """(key, groups) of one lowercase Latin word.

    The default reading (:func:`latin_key`) if it is a known name; otherwise the known names among the
    word's other readings (:func:`latin_readings`), all of them at the lowest cost that has any, with the
    key of the reading when there is one; otherwise the default reading as its own group.
    """
    key = latin_key(word)
    if len(key) < 2:
        return key, ()
    known = _known(part)
    default_known = known(key)
    # A surname's default reading may be another real surname (Chokal: Чокал, or French Шокал); its
    # cheapest other readings that are known surnames join it.  A given name keeps one reading.
    window = 1 if default_known and part == "surname" else 0
    if not default_known or window:
        best = 0 if default_known else -1
        hits: list[str] = [key] if default_known else []
        for cost, reading in latin_readings(word, max_cost=1 if default_known else MAX_READING_COST):
            if best >= 0 and cost > best + window:
                break
            if known(reading):
                if best < 0:
                    best = cost
                hits.append(reading)
        if len(hits) > (1 if default_known else 0):
            groups = tuple(sorted({g for k in hits for g in _token_groups(k, part)}))
            return (hits[0] if len(hits) == 1 else key), groups
    return key, _token_groups(key, part)


@lru_cache(maxsize=500_000)
def name_keys(text: str, part: Part) -> NameKeys:
    """Keys of a given name, surname or patronymic in any script or romanisation.

    >>> name_keys("Олександр", "given").groups == name_keys("Aleksandr", "given").groups
    True
    """
    if part not in ("given", "surname", "patronymic"):
        raise ValueError("part must be 'given', 'surname' or 'patronymic'")
    if _SIMPLE_WORD_RE.fullmatch(text):  # fast path: one clean single-script word (most input)
        low = text.lower()
        if text.isascii():
            key, groups = _latin_word(low, part)
        else:
            key = ascii_key(low)
            groups = _token_groups(key, part)
        if not key:
            return _EMPTY
        return NameKeys(key, groups, phonetic_key(key))
    words: list[tuple[str, tuple[str, ...]]] = []
    for w in _words(text):
        if w.isascii() or detect_script(w) == "latin":
            words.append(_latin_word(w, part))
        elif key := ascii_key(w):
            words.append((key, _token_groups(key, part)))
    words = [(k, g) for k, g in words if k]
    if not words:
        return _EMPTY
    groups = words[0][1] if len(words) == 1 else tuple(sorted({g for _, gs in words for g in gs}))
    ascii_ = " ".join(key for key, _ in words)
    return NameKeys(ascii_, groups, phonetic_key(ascii_))


def detect_language(token: str) -> Language:
    """Ukrainian or Russian for a Cyrillic token: by letters (і ї є ґ / ы э ъ ё), spelling, then dictionary.

    Latin and empty tokens are ``unknown``.
    """
    norm = normalize_text(token)
    if detect_script(norm) != "cyrillic":
        return "unknown"
    lang = spelling_language(norm)
    if lang != "unknown":
        return lang
    uk, ru = language_sets()
    words = [w for w in re.split(r"[\s\-]+", norm) if w]
    in_uk = all(w in uk for w in words)
    in_ru = all(w in ru for w in words)
    if in_uk and not in_ru:
        return "uk"
    if in_ru and not in_uk:
        return "ru"
    return "unknown"


# --- full name splitting -------------------------------------------------------------------------


def _is_patronymic(tok: str) -> bool:
    key = " ".join(ascii_key(w) for w in _words(tok))
    if not key:
        return False
    return key in given_lexicon("patronymic") or _PATRONYMIC_END_RE.search(key) is not None


def is_patronymic(token: str) -> bool:
    """Whether a word is shaped like a patronymic, by its spelling alone (a dictionary patronymic, or the
    ending -ович/-евич/-івна/-овна/-ична… in any script or romanisation).

    >>> is_patronymic("Volodymyrovych"), is_patronymic("Сергеевна"), is_patronymic("Коваленко")
    (True, True, False)
    """
    return _is_patronymic(token)


def _is_given(tok: str) -> bool:
    words = _words(tok)
    lex = given_lexicon("first")
    return bool(words) and all(ascii_key(w) in lex for w in words)


def _is_surname(tok: str) -> bool:
    words = _words(tok)
    lex = surname_lexicon()
    return bool(words) and all(ascii_key(w) in lex for w in words)


def _caps(tok: str) -> bool:
    letters = [c for c in tok if c.isalpha()]
    return len(letters) > 1 and all(c.isupper() for c in letters)


def _is_initial(tok: str) -> bool:
    return sum(1 for c in tok if c.isalpha()) == 1


def _score(surname: str, given: str, patronymic: str, all_caps: bool) -> int:
    score = 0
    if surname and all(_is_initial(t) for t in surname.split()):
        return -10  # an initial is never a surname
    if given and _is_initial(given):
        score += 1
    elif given:
        score += 2 if _is_given(given) else -1
    if surname:
        is_given = _is_given(surname)
        if _is_surname(surname) and not is_given:
            score += 1
        elif is_given and not _is_surname(surname):
            score -= 1
    if patronymic and _is_initial(patronymic):
        score += 1
    elif patronymic:
        score += 2 if _is_patronymic(patronymic) else -3
    if not all_caps:
        if surname and _caps(surname) and not _caps(given):
            score += 3
        if given and _caps(given) and not _caps(surname):
            score -= 3
    return score


def split_full_name(text: str) -> tuple[str, str, str]:
    """Split a full name written in one field into (surname, given, patronymic).

    Handles "Коваленко Олександр Петрович", "Олександр Петрович Коваленко", "Oleksandr Kovalenko",
    "KOVALENKO Oleksandr", "Kovalenko, Oleksandr".  The order is decided by dictionary lookups, the
    patronymic suffix and capitalisation; on a tie Cyrillic text is read surname-first (the official order
    in both countries) and Latin text given-first.  Returned parts keep the original spelling.
    """
    text = " ".join(_INITIALS_RE.sub(r"\1. ", text.replace("\u00a0", " ")).split())
    if not text:
        return "", "", ""
    if "," in text:
        left, _, right = text.partition(",")
        rest = right.split()
        if len(rest) >= 2 and _is_patronymic(rest[-1]):
            return left.strip(), " ".join(rest[:-1]), rest[-1]
        return left.strip(), " ".join(rest), ""
    toks = [t for t in text.split() if any(c.isalpha() for c in t)]
    if not toks:
        return "", "", ""
    all_caps = all(_caps(t) for t in toks)
    latin = detect_script(text) == "latin"
    if len(toks) == 1:
        tok = toks[0]
        if _is_given(tok):
            return "", tok, ""
        return tok, "", ""
    candidates: list[tuple[str, str, str]] = []
    n = len(toks)
    if n == 2:
        candidates = [(toks[0], toks[1], ""), (toks[1], toks[0], ""), ("", toks[0], toks[1])]
    else:
        patr_positions = [i for i in range(1, n) if _is_patronymic(toks[i])]
        if patr_positions:
            p = patr_positions[-1]
            surname_first = (" ".join(toks[: p - 1] + toks[p + 1 :]), toks[p - 1], toks[p])
            candidates.append(surname_first)  # also covers "Олександр Петрович Коваленко" (p == 1)
        candidates.append((toks[0], toks[1], " ".join(toks[2:])))
        candidates.append((toks[-1], toks[0], " ".join(toks[1:-1])))
        candidates.append((" ".join(toks[1:]), toks[0], ""))
        candidates.append((" ".join(toks[:-1]), toks[-1], ""))
    scored = [(_score(s, g, p, all_caps), i, (s, g, p)) for i, (s, g, p) in enumerate(candidates)]
    best = max(score for score, _, _ in scored)
    tied = [c for score, _, c in scored if score == best]
    if latin and n == 2 and len(tied) >= 2 and tied[1] == candidates[1]:
        return tied[1]
    return tied[0]
