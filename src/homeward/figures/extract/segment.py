"""Step 1: sentence segmentation and clauses (abbreviations such as "Jan.", "тис.", "тыс." do not end one)."""

from __future__ import annotations

import bisect
import re

_ABBREV = {
    "mr", "mrs", "ms", "dr", "st", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
    "nov", "dec", "conn", "no", "vs", "etc", "gen", "gov", "sen", "rep", "prof", "approx", "est", "inc", "co",
    "тис", "тыс", "млн", "млрд", "ст", "р", "г", "обл", "вул", "ул", "див", "см", "т", "д", "ім", "им", "пл",
    "u.s", "u.k", "e.g", "i.e", "a.m", "p.m", "mln", "bn", "ca", "св", "ж",
    "м", "с", "смт", "пгт", "пос", "сщ",  # «м. Одеса», «с. Інгулець», «смт Димер»: a town, a village
}
_SENT_END = re.compile(r"[.!?…]+[\"»”’')\]]*(?=\s+)|\n\s*\n|\n")
_UPPER_START = re.compile(r"\s*[\"«“'(\[]?[A-ZА-ЯЁІЇЄҐ0-9]")


MAX_SENTENCE = 1200  # longer runs without a full stop (tables, lists) are cut, to bound the work per number


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of ``text``."""
    out: list[tuple[int, int]] = []
    for a, b in _split_sentences(text):
        while b - a > MAX_SENTENCE:
            window = text[a + MAX_SENTENCE // 2:a + MAX_SENTENCE]
            cut = max(window.rfind("; "), window.rfind(", "), window.rfind(" "))
            stop = a + MAX_SENTENCE // 2 + cut + 1 if cut >= 0 else a + MAX_SENTENCE
            out.append(_trim(text, a, stop))
            a = stop
        if text[a:b].strip():
            out.append(_trim(text, a, b))
    return out


def _split_sentences(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENT_END.finditer(text):
        end = m.end()
        if "\n" not in m.group(0):
            before = text[start:m.start()]
            last = re.findall(r"[\w.]+$", before)
            tok = last[0].lower().rstrip(".") if last else ""
            if tok in _ABBREV or re.fullmatch(r"[A-ZА-ЯІЇЄҐ]", last[0] if last else ""):
                continue
            if not _UPPER_START.match(text, end):
                continue
            if _in_short_name(text, start, m.start(), end):
                continue  # «в марафоні "Суспільне. Спротив" розповів …»: a title in quotes, not a sentence's end
        if text[start:end].strip():
            spans.append(_trim(text, start, end))
        start = end
    if text[start:].strip():
        spans.append(_trim(text, start, len(text)))
    return spans


def _in_short_name(text: str, start: int, dot: int, end: int) -> bool:
    """Whether the stop at ``dot`` stands inside a short title in quotes ("Суспільне. Спротив", «Мир. Дети»): an
    opening quote at most 30 characters before it (in this sentence, not closed) and the closing one at most 30
    characters after it, at most three words on either side and no other stop between."""
    before = text[max(start, dot - 30):dot]
    after = text[end:end + 30]
    for opening, closing in (("«", "»"), ("“", "”"), ('"', '"')):
        o = before.rfind(opening)
        if o < 0 or closing in before[o + 1:] and opening != closing:
            continue
        if opening == closing and text[start:dot].count('"') % 2 == 0:
            continue
        c = after.find(closing)
        inside = before[o + 1:], after[:c]
        if c >= 0 and not any(re.search(r"[.!?]", part) or len(part.split()) > 3 for part in inside):
            return True
    return False


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


_CLAUSE_BREAK = re.compile(
    r"(?:,(?!\d)|;|:|\s[—–-]\s|\(|\)|«|»|\"|“|”"
    r"|\b(?:while|whereas|but|although|though)\b"
    r"|,?\s(?:а|але|проте|однак|но|однако|хотя|тоді як|тогда как)\s"
    # coordinated counts: "229 дітей загинуло та понад 421 поранено", "203 missing and at least 5,754 deported"
    r"|\s(?:and|та|і|й|и)\s(?=(?:[^\W\d]+\s){0,2}\d))",
    re.IGNORECASE,
)


def clause_bounds(sentence: str, pos: int, breaks: list[tuple[int, int]] | None = None) -> tuple[int, int]:
    """The clause of ``sentence`` around ``pos``; ``breaks`` from :func:`clause_breaks` saves rescanning."""
    if breaks is None:
        breaks = clause_breaks(sentence)
    i = bisect.bisect_right([e for _s, e in breaks], pos)
    a = breaks[i - 1][1] if i > 0 else 0
    while i < len(breaks) and breaks[i][0] < pos:
        i += 1
    b = breaks[i][0] if i < len(breaks) else len(sentence)
    return a, b


def clause_breaks(sentence: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _CLAUSE_BREAK.finditer(sentence)]


def detect_language(text: str) -> str:
    cyr = len(re.findall(r"[А-Яа-яЁёІіЇїЄєҐґ]", text))
    lat = len(re.findall(r"[A-Za-z]", text))
    if cyr <= lat:
        return "en"
    uk = len(re.findall(r"[ІіЇїЄєҐґ]", text))
    ru = len(re.findall(r"[ЫыЭэЪъЁё]", text))
    return "uk" if uk and uk >= ru else "ru"

