"""A Latin reading of a name for staff who do not read Cyrillic.

Ukrainian names are romanised under the national standard (KMU resolution 55 of 2010, used in Ukrainian
passports since 2010), Russian names under ICAO Doc 9303 (Russian international passports since 2013).  The
language is decided for the whole name from its spelling (letters, then dictionary), so that every word of
"Коваленко Марія" is read as Ukrainian (Kovalenko Mariia) and every word of "Коваленко Александр" as
Russian (Kovalenko Aleksandr).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

from .keys import detect_language
from .text import normalize_text, repair_homoglyphs, spelling_language
from .translit import transliterate

__all__ = ["READING_SCHEMES", "latin_reading", "name_language"]

Language = Literal["uk", "ru", "unknown"]

#: The scheme used for each language.
READING_SCHEMES: dict[str, str] = {"uk": "uk_kmu2010", "ru": "ru_icao2013"}

_CYR_WORD_RE = re.compile(r"[\u0400-\u04ff][\u0400-\u04ff'’ʼ`]*")
_WORD_SPLIT_RE = re.compile(r"[^\w'’ʼ`]+")
_ANY_CYR_RE = re.compile("[\u0400-\u04ff]")
_STRESS_RE = re.compile("[\u0300\u0301]")  # after NFC, so that й and ё keep their marks


def name_language(text: str) -> Language:
    """Language of a whole name (several words): ``uk``, ``ru`` or ``unknown``.

    Letters and spelling decide first (і ї є ґ, the apostrophe, -ський → ``uk``; ы э ъ ё, -ия, -ский →
    ``ru``); a word spelled so overrules the dictionary evidence of the other words.  Otherwise a word the
    dictionary marks as Ukrainian (Олександр) or Russian (Александр) decides.  Conflicting or no evidence
    gives ``unknown``.  Latin words carry no evidence.
    """
    words = [w for w in _WORD_SPLIT_RE.split(normalize_text(text)) if w and _ANY_CYR_RE.search(w)]
    spelled = {lang for w in words if (lang := spelling_language(w)) != "unknown"}
    if len(spelled) == 1:
        return spelled.pop()
    if spelled:
        return "unknown"
    marked = {lang for w in words if (lang := detect_language(w)) != "unknown"}
    if len(marked) == 1:
        return marked.pop()
    return "unknown"


def _recase(source: str, latin: str) -> str:
    letters = [c for c in source if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return latin.upper()
    if letters and letters[0].isupper():
        return latin[:1].upper() + latin[1:]
    return latin


def _word(word: str, scheme: str) -> str:
    low = word.lower()
    latin = transliterate(low, scheme)
    if _ANY_CYR_RE.search(latin):  # a letter the scheme lacks (ё in a Ukrainian name, ї in a Russian one)
        other = READING_SCHEMES["ru" if scheme == READING_SCHEMES["uk"] else "uk"]
        latin = transliterate(latin, other)
    latin = latin.replace("'", "")  # neither scheme writes the apostrophe or the soft sign
    return _recase(word, latin)


def latin_reading(
    text: str,
    language: Literal["uk", "ru"] | None = None,
    *,
    default: Literal["uk", "ru"] = "uk",
) -> str:
    """The Latin reading of a name: KMU 2010 for Ukrainian, ICAO Doc 9303 (Russian passports) for Russian.

    ``language`` forces the scheme; otherwise :func:`name_language` decides it, and ``default`` is used
    when the spelling cannot tell (Петренко, Олег are written alike in both languages).  Latin words, digits
    and punctuation are kept; capitalisation is kept per word (``ЩЕРБИНА Юлія`` → ``SHCHERBYNA Yuliia``);
    look-alike Latin letters inside Cyrillic words are repaired first.

    >>> latin_reading("Коваленко Марія")
    'Kovalenko Mariia'
    >>> latin_reading("Щеглова Юлия")
    'Shcheglova Iuliia'
    """
    if language not in (None, "uk", "ru"):
        raise ValueError("language must be 'uk', 'ru' or None")
    if default not in ("uk", "ru"):
        raise ValueError("default must be 'uk' or 'ru'")
    text = repair_homoglyphs(_STRESS_RE.sub("", unicodedata.normalize("NFC", text)))
    if not _ANY_CYR_RE.search(text):
        return text
    lang = language or name_language(text)
    scheme = READING_SCHEMES[default if lang == "unknown" else lang]
    return _CYR_WORD_RE.sub(lambda m: _word(m.group(0), scheme), text)
