"""Tokens and their lemmas: pymorphy3 (with its Ukrainian and Russian dictionaries) for Cyrillic words,
simplemma for English (see docs/figures.md for why these two).

A token keeps every lemma its analyses allow (``"три"`` is both the numeral and a form of «терти»), so a
lexicon lookup asks "can this word be that lemma", and the part of speech of the likeliest analysis.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

_TOKEN = re.compile(r"[^\W\d_]+(?:['’ʼ`-][^\W\d_]+)*|\d+|\S")
_UK_ONLY = re.compile(r"[іїєґІЇЄҐ]")
_RU_ONLY = re.compile(r"[ыэъёЫЭЪЁ]")
_CYR = re.compile(r"[А-Яа-яЁёІіЇїЄєҐґ]")


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int
    lemmas: frozenset[str]
    poses: frozenset[str]  # every part of speech its analyses allow
    pos: str  # likeliest part of speech (pymorphy3 tags: VERB, INFN, PRTF, PRTS, ADJF, NOUN, NUMR …); "" in English
    lang: str  # en, uk or ru: the lexicon this word is looked up in
    animate: bool = False  # a common noun the analyser marks animate (жителі, курян, заручників); never in English

    @property
    def lower(self) -> str:
        return self.text.lower()

    @property
    def is_word(self) -> bool:
        return self.text[:1].isalpha()


@cache
def _morph(lang: str) -> Any:
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang=lang)


def _norm(word: str) -> str:
    return re.sub(r"[’ʼ`]", "'", word)


def analyse(word: str, lang: str) -> tuple[frozenset[str], str, str]:
    """(lemmas, likeliest part of speech, language) of one word; ``lang`` is the document's language."""
    lemmas, pos, code, _poses = _analyse(word, lang)
    return lemmas, pos, code


_PROPER = {"Name", "Surn", "Patr", "Geox", "Orgn", "Trad", "Abbr"}


@lru_cache(maxsize=50_000)
def animate(word: str, lang: str) -> bool:
    """Whether the likeliest reading of a Cyrillic word is an animate common noun (grammatical animacy:
    «жителей», «курян», «заложников», «мешканців»; not names, not «семей», «регионов»)."""
    w = _norm(word)
    if not _CYR.search(w):
        return False
    code = "uk" if _UK_ONLY.search(w) else "ru" if _RU_ONLY.search(w) else ("uk" if lang == "uk" else "ru")
    parses = _morph(code).parse(w.lower())
    if not parses:
        return False
    tag = parses[0].tag
    return tag.POS == "NOUN" and "anim" in tag and not (_PROPER & set(str(tag).replace(" ", ",").split(",")))


@lru_cache(maxsize=50_000)
def future(word: str, lang: str) -> bool:
    """Whether the likeliest reading of a Cyrillic word is a verb in the future tense («поедут», «отправятся»,
    «поїдуть»)."""
    w = _norm(word)
    if not _CYR.search(w):
        return False
    code = "uk" if _UK_ONLY.search(w) else "ru" if _RU_ONLY.search(w) else ("uk" if lang == "uk" else "ru")
    parses = _morph(code).parse(w.lower())
    return bool(parses) and parses[0].tag.POS == "VERB" and "futr" in parses[0].tag


@lru_cache(maxsize=50_000)
def poses(word: str, lang: str) -> frozenset[str]:
    return _analyse(word, lang)[3]


@lru_cache(maxsize=50_000)
def _analyse(word: str, lang: str) -> tuple[frozenset[str], str, str, frozenset[str]]:
    w = _norm(word)
    if _CYR.search(w):
        code = "uk" if _UK_ONLY.search(w) else "ru" if _RU_ONLY.search(w) else ("uk" if lang == "uk" else "ru")
        parses = _morph(code).parse(w.lower())
        lemmas = {p.normal_form.replace("ё", "е") for p in parses[:6]} | {w.lower().replace("ё", "е")}
        pos = str(parses[0].tag.POS or "") if parses else ""
        all_pos = frozenset(str(p.tag.POS or "") for p in parses[:6])
        if "-" in w:  # «дітей-сиріт», «Львова-Белова»: the first part's lemmas too
            lemmas |= set(_analyse(w.split("-")[0], lang)[0])
        return frozenset(lemmas), pos, code, all_pos
    import simplemma

    lower = w.lower()
    lemmas = {lower, simplemma.lemmatize(lower, lang="en")}
    if w[:1].isupper():
        lemmas.add(w)
        lemmas.add(simplemma.lemmatize(w, lang="en"))
    return frozenset(lemmas), "", "en", frozenset()


def tokenize(sentence: str, lang: str) -> list[Token]:
    out = []
    for m in _TOKEN.finditer(sentence):
        text = m.group(0)
        if text[:1].isalpha():
            lemmas, pos, code, all_pos = _analyse(text, lang)
        else:
            lemmas, pos, code, all_pos = frozenset({text}), "", lang, frozenset()
        out.append(Token(text, m.start(), m.end(), lemmas, all_pos, pos, code,
                         animate=bool(text[:1].isalpha()) and animate(text, lang)))
    return out
