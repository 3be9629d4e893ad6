"""Numeric claims about children and other people moved by the war, found in the text of a report.

Pure Python, no Django: ``extract(text, published=date(...), outlet="Reuters")`` returns a list of
:class:`Claim` — the value with its qualifier ("more than 9,000"), what is counted (``deported``,
``returned``, ``reunited``, ``evacuated``, ``adopted``, ``identified``, ``other``), the direction
(``UA→RU`` …), who the text attributes it to, the date the figure refers to, whether it is a single
event or a cumulative total, and the exact character span.

The rules are general, for English, Ukrainian and Russian news and official statements:

1. the text is split into sentences (abbreviations such as "Jan.", "тис.", "тыс." do not end one)
   and each sentence into clauses (commas, dashes, "while", "but", "а", "але", "но" …);
2. numbers are found as digits (comma, point, space, no-break or thin-space groups), with scale words
   ("1.5 million", "5,6 тисячі", "2 тыс."), or as number words ("nearly fifty", "шістьох",
   "тридцати"); dates, years, ages, percentages, durations and ordinals are left out;
3. a number is a count of people only when a person noun (children, residents, дітей, детей …)
   follows it — possibly after adjectives or "of the" — or, for a bare number ("of whom 308 had
   returned", "а в Россию — 17"), when the sentence speaks about people;
4. what is counted comes from the nearest cue word in the clause, else in the sentence (deported,
   returned, reunited with families, evacuated/accepted/received, adopted/placed with families,
   identified/found/located, missing/unaccounted/refugees/displaced → other); a number without any
   cue, or next to "killed", "injured", "need", "at risk", "suspected", is not a claim;
5. the claimant is, in order: "according to X" / "за даними X" / "по данным X"; "X said" /
   ", заявила X" / "як повідомили в X"; the next sentence's "Про це повідомив X" / "Об этом сообщил
   X"; "X lists / documented / зафіксувало"; the claimant of the previous sentence; the outlet.
   Pronouns ("she added", "за її словами", "по его данным") take the latest claimant;
6. the as-of date is a date in the number's clause, else an "as of …" date in the sentence, else the
   nearest date in the sentence (e.g. "said on Tuesday"), else the date of a following "Про це
   повідомив … у понеділок", else the publication date. Weekdays resolve to the latest such day on or
   before publication; a month without a year to its latest occurrence. Dates are ISO strings with
   the precision given: ``2025-03-11``, ``2024-07`` or ``2024``. Starting points ("since February
   2022", "с 2014 года") are periods, never as-of dates.

Vague amounts ("thousands of children", "кілька тисяч") are returned with ``value=None`` and the
vague word as qualifier; callers that want figures only filter them out.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any

QUANTITIES = ("deported", "returned", "reunited", "evacuated", "adopted", "identified", "other")

APOS = "'’ʼ`"
WORD = r"[A-Za-zА-Яа-яЁёІіЇїЄєҐґ'’ʼ]+"
SEP_SPACE = " \u00a0\u2009\u202f"


@dataclass
class Claim:
    value: int | float | None
    qualifier: str
    quantity: str
    direction: str
    claimant: str | None
    as_of: str | None
    scope: str
    start: int
    end: int
    text: str
    sentence_start: int = 0
    subject: str = ""
    lang: str = "en"
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# --------------------------------------------------------------------------------------------------
# Sentences and clauses

_ABBREV = {
    "mr", "mrs", "ms", "dr", "st", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
    "nov", "dec", "conn", "no", "vs", "etc", "gen", "gov", "sen", "rep", "prof", "approx", "est", "inc", "co",
    "тис", "тыс", "млн", "млрд", "ст", "р", "г", "обл", "вул", "ул", "див", "см", "т", "д", "ім", "им", "пл",
    "u.s", "u.k", "e.g", "i.e", "a.m", "p.m", "mln", "bn", "ca", "св", "ж",
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
        if text[start:end].strip():
            spans.append(_trim(text, start, end))
        start = end
    if text[start:].strip():
        spans.append(_trim(text, start, len(text)))
    return spans


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


_CLAUSE_BREAK = re.compile(
    r"(?:,(?!\d)|;|:|\s[—–-]\s|\(|\)|«|»|\"|“|”"
    r"|\b(?:while|whereas|but|although|though)\b"
    r"|,?\s(?:а|але|проте|однак|но|однако|хотя|тоді як|тогда как)\s)",
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
    return "uk" if uk >= ru else "ru"


# --------------------------------------------------------------------------------------------------
# Dates

_MONTHS_EN = ["jan(?:uary)?", "feb(?:ruary)?", "mar(?:ch)?", "apr(?:il)?", "may", "june?", "july?",
              "aug(?:ust)?", "sep(?:t(?:ember)?)?", "oct(?:ober)?", "nov(?:ember)?", "dec(?:ember)?"]
_MONTHS_UK = ["січ(?:ень|ня|ні)", "лют(?:ий|ого|ому)", "берез(?:ень|ня|ні)", "квіт(?:ень|ня|ні)",
              "трав(?:ень|ня|ні)", "черв(?:ень|ня|ні)", "лип(?:ень|ня|ні)", "серп(?:ень|ня|ні)",
              "верес(?:ень|ня|ні)", "жовт(?:ень|ня|ні)", "листопад(?:а|і)?", "груд(?:ень|ня|ні)"]
_MONTHS_RU = ["январ[ьяе]", "феврал[ьяе]", "март[ае]?", "апрел[ьяе]", "ма[йяе]", "июн[ьяе]", "июл[ьяе]",
              "август[ае]?", "сентябр[ьяе]", "октябр[ьяе]", "ноябр[ьяе]", "декабр[ьяе]"]
_MONTH_RES = [re.compile(rf"(?:{e}|{u}|{r})", re.IGNORECASE)
              for e, u, r in zip(_MONTHS_EN, _MONTHS_UK, _MONTHS_RU, strict=True)]
MONTH = r"(?:{})".format("|".join(_MONTHS_EN + _MONTHS_UK + _MONTHS_RU))
YEAR_WORD = r"(?:\s*(?:року|році|рік|года|году|год|р\.|г\.))?"
_LAST_YEAR = r"(?:last\s+year|the\s+previous\s+year|минулого\s+року|торік|прошлого\s+года|в\s+прошлом\s+году)"
_PERIOD_START = re.compile(r"(?:since|from|between|з|із|від|між|с|со|от|между|начиная\s+с|starting)\s*$",
                           re.IGNORECASE)
_ASOF = re.compile(r"(?:as\s+of|as\s+at|станом\s+на|по\s+состоянию\s+на|на\s+момент)\s*$", re.IGNORECASE)

_WEEKDAYS = [
    r"monday|понеділ(?:ок|ка)|понедельник",
    r"tuesday|вівтор(?:ок|ка)|вторник",
    r"wednesday|серед(?:а|у|и)|сред[ау]",
    r"thursday|четвер(?:га)?|четверг",
    r"friday|п['’ʼ]?ятниц[яюі]|пятниц[ау]",
    r"saturday|субот[ауи]|суббот[ауы]",
    r"sunday|неділ[яюі]|воскресень[ея]",
]
_WEEKDAY_RES = [re.compile(rf"\b(?:{w})\b", re.IGNORECASE) for w in _WEEKDAYS]

_DATE_DMY = re.compile(rf"\b(\d{{1,2}})\s+({MONTH})\.?(?:,?\s+(\d{{4}}))?{YEAR_WORD}", re.IGNORECASE)
_DATE_MDY = re.compile(rf"\b({MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(\d{{4}}))?", re.IGNORECASE)
_DATE_MY = re.compile(rf"\b({MONTH})\b(?:\s+(\d{{4}}){YEAR_WORD})?(?:\s+{_LAST_YEAR})?", re.IGNORECASE)
_DATE_Y = re.compile(rf"\b((?:19|20)\d\d)\b{YEAR_WORD}", re.IGNORECASE)
_DATE_WD = re.compile(r"\b(?:{})\b".format("|".join(_WEEKDAYS)), re.IGNORECASE)
_DATE_REL = re.compile(r"\b(yesterday|today|вчора|сьогодні|вчера|сегодня)\b", re.IGNORECASE)


@dataclass
class DateMention:
    start: int
    end: int
    iso: str | None
    period: bool = False  # "since February 2022": a starting point, not an as-of date
    as_of: bool = False  # "as of June 2", "станом на 14 жовтня"
    weekday: bool = False


def _month_num(s: str) -> int:
    for i, rx in enumerate(_MONTH_RES):
        if rx.fullmatch(s.rstrip(".")):
            return i + 1
    return 0


def _latest(month: int, day: int | None, pub: date | None) -> tuple[int, int, int] | None:
    if pub is None:
        return None
    year = pub.year
    if (month, day or 1) > (pub.month, pub.day):
        year -= 1
    return year, month, day or 1


def find_dates(sentence: str, published: date | None) -> list[DateMention]:
    out: list[DateMention] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= x or a >= y for x, y in taken)

    def add(a: int, b: int, iso: str | None, **kw: bool) -> None:
        before = sentence[max(0, a - 25):a]
        out.append(DateMention(a, b, iso, period=bool(_PERIOD_START.search(before)),
                               as_of=bool(_ASOF.search(before)), **kw))
        taken.append((a, b))

    for m in _DATE_DMY.finditer(sentence):
        month = _month_num(m.group(2))
        day = int(m.group(1))
        if not month or not 1 <= day <= 31:
            continue
        if m.group(3):
            iso: str | None = f"{int(m.group(3)):04d}-{month:02d}-{day:02d}"
        else:
            ymd = _latest(month, day, published)
            iso = f"{ymd[0]:04d}-{month:02d}-{day:02d}" if ymd else None
        add(m.start(), m.end(), iso)
    for m in _DATE_MDY.finditer(sentence):
        if not free(m.start(), m.end()):
            continue
        month = _month_num(m.group(1))
        day = int(m.group(2))
        if not month or not 1 <= day <= 31 or (m.group(1).lower() == "may" and not m.group(3)
                                                and not re.match(r"\s", sentence[m.end(1):m.end(1) + 1])):
            continue
        if m.group(3):
            iso = f"{int(m.group(3)):04d}-{month:02d}-{day:02d}"
        else:
            ymd = _latest(month, day, published)
            iso = f"{ymd[0]:04d}-{month:02d}-{day:02d}" if ymd else None
        add(m.start(), m.end(), iso)
    for m in _DATE_MY.finditer(sentence):
        if not free(m.start(), m.end()):
            continue
        word = m.group(1)
        # "may" is also a verb: only take it as a month with a year or after a preposition
        if word.lower() == "may" and not m.group(2) and not re.search(r"\b(?:in|of|since|by)\s+$",
                                                                     sentence[:m.start()], re.I):
            continue
        if word.lower() in {"mar", "march"} and word[0].islower() and not m.group(2):
            continue
        month = _month_num(word)
        if not month:
            continue
        if m.group(2):
            iso = f"{int(m.group(2)):04d}-{month:02d}"
        elif published is not None:
            year = published.year - 1 if re.search(_LAST_YEAR, m.group(0), re.I) else (
                published.year if month <= published.month else published.year - 1)
            iso = f"{year:04d}-{month:02d}"
        else:
            iso = None
        add(m.start(), m.end(), iso)
    for m in _DATE_Y.finditer(sentence):
        if not free(m.start(), m.end()):
            continue
        before = sentence[max(0, m.start() - 30):m.start()]
        if re.search(r"\d[\s,.]*$", before):
            continue
        if not (m.group(0) != m.group(1) or re.search(
                r"(?:\bin|\bduring|\bfor|\bsince|\bfrom|\bby|\bу|\bв|\bпротягом|\bза|\bз|\bс|\bот|\bвід"
                r"|\bв\s+течение|\bдо|\bto|\buntil)\s+$", before, re.I)):
            continue
        after = sentence[m.end():m.end() + 25]
        if re.match(r"\s*(?:[\w'’-]+\s+){0,2}?(?:children|дітей|детей|people|осіб|человек)", after, re.I) \
                and m.group(0) == m.group(1):
            continue
        add(m.start(), m.end(), m.group(1))
    for m in _DATE_WD.finditer(sentence):
        if not free(m.start(), m.end()):
            continue
        wd = next(i for i, rx in enumerate(_WEEKDAY_RES) if rx.fullmatch(m.group(0)))
        iso = None
        if published is not None:
            iso = (published - timedelta(days=(published.weekday() - wd) % 7)).isoformat()
        add(m.start(), m.end(), iso, weekday=True)
    for m in _DATE_REL.finditer(sentence):
        if not free(m.start(), m.end()):
            continue
        iso = None
        if published is not None:
            back = 1 if m.group(1).lower() in {"yesterday", "вчора", "вчера"} else 0
            iso = (published - timedelta(days=back)).isoformat()
        add(m.start(), m.end(), iso)
    out.sort(key=lambda d: d.start)
    return out


# --------------------------------------------------------------------------------------------------
# Numbers

_NUM = re.compile(
    r"(?<![\w.,\u00a0\u2009\u202f/-])"
    r"(\d{1,3}(?:(?:,|\.|[ \u00a0\u2009\u202f])\d{3})+(?![\d])|\d+)"
    r"(?:[.,](\d+))?(?![\w])(?!-\w)"
)
_SCALE = re.compile(
    r"[ \u00a0\u2009\u202f]*(?:-?\s*)?(million|millions|mln|m|billion|bn|thousand|thousands|k|"
    r"мільйон\w*|млн\.?|мільярд\w*|млрд\.?|тисяч\w*|тис\.?|"
    r"миллион\w*|миллиард\w*|тысяч\w*|тыс\.?)(?![\w])\.?",
    re.IGNORECASE,
)
_SCALE_VALUE = [("мільярд", 10**9), ("млрд", 10**9), ("миллиард", 10**9), ("billion", 10**9), ("bn", 10**9),
                ("мільйон", 10**6), ("миллион", 10**6), ("млн", 10**6), ("million", 10**6), ("mln", 10**6),
                ("m", 10**6), ("тисяч", 1000), ("тис", 1000), ("тысяч", 1000), ("тыс", 1000),
                ("thousand", 1000), ("k", 1000)]

_EN_WORDS: dict[str, int] = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "dozen": 12,
}
_UK_RU_WORDS: dict[str, int] = {}
for _v, _forms in {
    1: "один одна одне одного одну одно",
    2: "два дві двох двоє две двое двум двом",
    3: "три трьох троє трех трёх трое",
    4: "чотири чотирьох четверо четыре четырех четырёх",
    5: "п'ять п'ятьох п'ятеро пять пяти пятеро",
    6: "шість шістьох шестеро шесть шести",
    7: "сім сімох семеро семь семи",
    8: "вісім вісьмох восемь восьми",
    9: "дев'ять дев'ятьох девять девяти",
    10: "десять десятьох десяти",
    11: "одинадцять одиннадцать одиннадцати",
    12: "дванадцять двенадцать двенадцати",
    13: "тринадцять тринадцать",
    14: "чотирнадцять четырнадцать",
    15: "п'ятнадцять пятнадцать",
    16: "шістнадцять шестнадцать",
    17: "сімнадцять семнадцать",
    18: "вісімнадцять восемнадцать",
    19: "дев'ятнадцять девятнадцать",
    20: "двадцять двадцать двадцати",
    30: "тридцять тридцать тридцати",
    40: "сорок сорока",
    50: "п'ятдесят пятьдесят пятидесяти",
    60: "шістдесят шестьдесят",
    70: "сімдесят семьдесят",
    80: "вісімдесят восемьдесят",
    90: "дев'яносто девяносто",
    100: "сто ста сотні",
    200: "двісті двісті двести двухсот",
    300: "триста трьохсот трехсот",
    400: "чотириста четыреста",
    500: "п'ятсот пятьсот пятисот",
    600: "шістсот шестьсот",
    700: "сімсот семьсот",
    800: "вісімсот восемьсот",
    900: "дев'ятсот девятьсот",
}.items():
    for _f in _forms.split():
        _UK_RU_WORDS.setdefault(_f, _v)
_UK_RU_WORDS.pop("сотні")
_MULT_WORDS = {"hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9,
               "тисяча": 1000, "тисячі": 1000, "тисяч": 1000, "тисячу": 1000,
               "тысяча": 1000, "тысячи": 1000, "тысяч": 1000, "тысячу": 1000,
               "мільйон": 10**6, "мільйони": 10**6, "мільйонів": 10**6, "мільйона": 10**6,
               "миллион": 10**6, "миллиона": 10**6, "миллионов": 10**6}
_VAGUE = re.compile(
    r"\b(?:(?:many|several|some|tens\s+of|hundreds\s+of|кілька|декілька|десятки|сотні|несколько|десятки|сотни)\s+)?"
    r"(?:dozens|hundreds|thousands|millions|десятки|десятків|сотні|сотень|тисячі|тисяч|мільйони|сотни|сотен|"
    r"тысячи|тысяч|миллионы|кількасот|несколько\s+сотен)\b",
    re.IGNORECASE,
)


def _norm_word(w: str) -> str:
    for a in APOS[1:]:
        w = w.replace(a, "'")
    return w.lower()


@dataclass
class NumberMention:
    start: int
    end: int
    value: int | float | None
    is_word: bool = False
    vague: str = ""
    has_scale: bool = False


def parse_digits(intpart: str, frac: str | None, scale: str | None) -> int | float:
    grouped = re.fullmatch(r"\d{1,3}(?:[,.\s\u00a0\u2009\u202f]\d{3})+", intpart)
    digits = re.sub(r"[^\d]", "", intpart)
    value: float = float(digits) if grouped else float(intpart)
    if frac:
        value = float(f"{digits}.{frac}")
    if scale:
        s = scale.lower().rstrip(".")
        for stem, mult in _SCALE_VALUE:
            if s.startswith(stem) and (stem != "m" or s == "m") and (stem != "k" or s == "k"):
                value *= mult
                break
    return int(value) if abs(value - round(value)) < 1e-6 else value


def find_numbers(sentence: str) -> list[NumberMention]:
    out: list[NumberMention] = []
    for m in _NUM.finditer(sentence):
        intpart, frac = m.group(1), m.group(2)
        # "1,150" and "19.546" are thousands; "1,5" and "5,6" are decimals
        if frac and len(frac) == 3 and re.fullmatch(r"\d{1,3}", intpart) and not _SCALE.match(sentence, m.end()):
            intpart, frac = intpart + "," + frac, None
        end = m.end()
        scale = None
        sm = _SCALE.match(sentence, end)
        if sm and not (sm.group(1).lower() in {"m", "k"} and re.match(r"\s", sentence[end:end + 1])):
            scale = sm.group(1)
            end = sm.end()
            if scale.endswith(".") is False and sentence[end - 1:end] == "." and end == len(sentence):
                end -= 1
        if sentence[end - 1:end] == "." and not scale:
            end -= 1
        out.append(NumberMention(m.start(), end, parse_digits(intpart, frac, scale), has_scale=bool(scale)))
    # "9 тис. 200 осіб", "2 thousand 500": a scaled thousand followed by the hundreds
    merged: list[NumberMention] = []
    for n in out:
        if merged and merged[-1].has_scale and not n.has_scale and isinstance(n.value, int) and n.value < 1000 \
                and re.fullmatch(r"[\s\u00a0]+", sentence[merged[-1].end:n.start]) \
                and re.search(r"(?:тис|тыс|thousand)\w*\.?$", sentence[merged[-1].start:merged[-1].end], re.I) \
                and isinstance(merged[-1].value, int) and merged[-1].value % 1000 == 0:
            prev = merged[-1]
            merged[-1] = NumberMention(prev.start, n.end, int(prev.value or 0) + n.value, has_scale=True)
        else:
            merged.append(n)
    out = merged
    # number words
    tokens = [(t.start(), t.end(), _norm_word(t.group(0))) for t in re.finditer(r"[^\W\d_]+(?:['’ʼ][^\W\d_]+)?",
                                                                               sentence)]
    i = 0
    while i < len(tokens):
        j = i
        total = current = 0
        used = False
        while j < len(tokens):
            w = tokens[j][2]
            if w in _EN_WORDS or w in _UK_RU_WORDS:
                current += _EN_WORDS.get(w) or _UK_RU_WORDS[w]
                used = True
            elif w in _MULT_WORDS and (used or (j > i and tokens[j - 1][2] == "a")):
                mult = _MULT_WORDS[w]
                if mult == 100:
                    current = (current or 1) * 100
                else:
                    total += (current or 1) * mult
                    current = 0
                used = True
            elif w == "a" and j + 1 < len(tokens) and tokens[j + 1][2] in {"hundred", "thousand", "million",
                                                                             "dozen"}:
                pass
            elif w in {"and", "і", "и"} and used and j + 1 < len(tokens) and (
                    tokens[j + 1][2] in _EN_WORDS or tokens[j + 1][2] in _UK_RU_WORDS) and \
                    (total or current >= 100):
                pass
            else:
                break
            # hyphenated "twenty-five": the regex splits on the hyphen, so nothing more to do
            j += 1
        if used:
            a, b = tokens[i][0], tokens[j - 1][1]
            overlaps = any(not (b <= n.start or a >= n.end) for n in out)
            if not overlaps:
                out.append(NumberMention(a, b, total + current, is_word=True))
            i = j
        else:
            i += 1
    for m in _VAGUE.finditer(sentence):
        if any(not (m.end() <= n.start or m.start() >= n.end) for n in out):
            continue
        before = sentence[max(0, m.start() - 3):m.start()]
        if re.search(r"\d\s*$", before):
            continue
        out.append(NumberMention(m.start(), m.end(), None, vague=m.group(0).lower()))
    out.sort(key=lambda n: n.start)
    return out


# --------------------------------------------------------------------------------------------------
# Lexicons

_SUBJECT = re.compile(
    r"(?:children|child|kids|kid|minors|minor|teenagers|teens|adolescents|orphans|boys|girls|babies|infants|"
    r"people|persons|person|civilians|residents|inhabitants|citizens|refugees|evacuees|deportees|"
    r"ukrainians|pupils|students|youngsters|adults|women|men|elderly|"
    r"дорослих|дорослі|жінок|чоловіків|взрослых|взрослые|женщин|мужчин|"
    r"діт\w*|дитин\w*|неповнолітн\w*|підлітк\w*|сиріт\w*|хлопчик\w*|дівчат\w*|немовлят\w*|"
    r"людей|люди|осіб|особи|мешканц\w*|мешканців|жител\w*|громадян\w*|біженц\w*|переселенц\w*|"
    r"українц\w*|вихованц\w*|школяр\w*|"
    r"дет\w*|дет|ребен\w*|ребён\w*|несовершеннолетн\w*|подрост\w*|сирот\w*|мальчик\w*|девоч\w*|"
    r"человек\w*|граждан\w*|беженц\w*|украинц\w*|воспитанник\w*|школьник\w*)$",
    re.IGNORECASE,
)
_FIGURE_WORDS = re.compile(r"\b(?:figure|number|total|tally|count|кількість|число|цифр\w*|показник\w*|"
                           r"показател\w*|количеств\w*)\b", re.IGNORECASE)
# words that, right after a number, show it counts something other than people
_UNIT_BLOCK = re.compile(
    r"(?:years?|yrs|months?|weeks?|days?|hours?|minutes?|percent|per|km|kilomet\w*|miles?|times|"
    r"families|family|households|groups?|buses|trains|flights|missions|facilities|camps|regions|oblasts|"
    r"countries|states|cases|applications|requests|proceedings|"
    r"рок\w*|рік|лет|год|года|місяц\w*|месяц\w*|тижн\w*|недел\w*|дн\w*|діб|сут\w*|годин\w*|час\w*|"
    r"відсот\w*|процент\w*|раз\w*|сім['’ʼ]\w*|родин\w*|семей|семь\w*|груп\w*|автобус\w*|табор\w*|лагер\w*|"
    r"випадк\w*|случа\w*|справ\w*|дел|заяв\w*|звернен\w*|обращени\w*|регіон\w*|регион\w*|област\w*|"
    r"країн\w*|стран\w*|кримінальн\w*|уголовн\w*|пункт\w*)$",
    re.IGNORECASE,
)
_CASES_OF = re.compile(r"^(?:cases|випадк\w*|случа\w*)$", re.IGNORECASE)
_EN_FUNCTION = {
    "had", "have", "has", "were", "was", "are", "is", "remained", "remain", "remains", "may", "might", "could",
    "would", "will", "more", "others", "whose", "who", "which", "of", "from", "in", "to", "since",
    "so", "already", "still", "that", "and", "or", "as", "at", "by", "on", "with", "without", "than",
    "each", "alone", "altogether", "overall", "total", "in total", "out", "the", "for", "into", "under", "after",
    "before", "across", "through", "via", "because", "despite", "inside", "outside", "within", "now", "been",
    "being", "here", "there", "far", "yet", "then", "too",
}
_SLAVIC_FUNC = {"із", "з", "из", "у", "в", "на", "до", "вже", "уже", "ще", "еще", "ещё", "і", "и", "та", "або",
                "или", "осіб", "тоді", "також", "также", "з них", "из них", "із них", "человек", "от", "від"}
_VERBISH = re.compile(r"\w*(?:ть|ться|тся|ся|сь|ли|ла|ло|в|ють|ють|ут|ют|ять|ать|ає|ає|ется|ются|ится|ено|ано|"
                      r"ені|ені|ены|ена|ано|ало|али|или|ило|ула|ули|ало)$", re.IGNORECASE)
_ADJ_SLAVIC = re.compile(r"\w+(?:их|іх|ых|ие|ые|ій|ий|ой|ого|ої|ому|ая|яя|ую|ні|ні|ий|ий|ові|ими|ыми)$",
                         re.IGNORECASE)


@dataclass
class Cue:
    start: int
    end: int
    quantity: str
    strong: bool = True


# Ordered: earlier patterns win where they overlap (multi-word phrases before their parts).
_CUES: list[tuple[str, str, bool]] = [
    # waiting for return/reunification: not (yet) returned
    (r"(?:await\w*|waiting)\s+(?:\w+\s+){0,3}?(?:reunif\w*|return\w*)|"
     r"(?:очіку\w*|ожида\w*)\s+(?:\w+\s+){0,2}?(?:возз['’ʼ]?\w*|повернен\w*|воссоедин\w*|возвращ\w*)", "other", True),
    # not found / whereabouts unknown / missing
    (r"(?:за\s+(?:пределы|межі|кордон|границу|рубеж)|abroad)\s+(?:\S+\s+){0,5}?(?:выехал|виїха|уеха|поїха)\w*|"
     r"(?:выехал|виїха|уеха|поїха)\w*\s+за\s+(?:пределы|межі|кордон|границу|рубеж)|fled\s+abroad|"
     r"(?:не|not|(?:have|has)\s+not|yet\s+to\s+be|never)\s+(?:\w+\s+)?(?:вернул\w*|вернут\w*|поверну\w*|"
     r"повернул\w*|returned|been\s+returned|come\s+home)|yet\s+to\s+return|"
     r"оказались|опинилися|опинились|ended\s+up|temporary\s+protection|тимчасов\w+\s+захист\w*|"
     r"временн\w+\s+(?:убежищ|защит)\w*|"
     r"(?:в|у)\s+розшуку|розшукуються|(?:в|во)\s+розыске|разыскиваются|being\s+sought|"
     r"(?:разыскива|розшуку)\w*\s+(?:их\s+|їх\s+)?(?:родственник|родител|сем|рідн|батьк|родич)\w*|"
     r"sought\s+by\s+(?:their\s+)?(?:relatives|families|parents)|"
     r"\bleft\s+(?:the\s+|their\s+)?(?:[\w-]+\s+){0,2}?(?:region|oblast|city|homes?|country|area)s?\b|"
     r"not\s+(?:been\s+)?(?:found|located)|unaccounted|missing|whereabouts\s+(?:remain\s+)?unknown|"
     r"не\s+знайден\w*|не\s+знайшли|зникл\w*(?:\s+безвісти)?|безвісти|місцеперебування\s+невідом\w*|"
     r"не\s+найден\w*|пропавш\w*|без\s+вести|неизвестн\w*|невідом\w*", "other", True),
    (r"refugees?|internally\s+displaced|displaced\s+persons|idps|fled|flee\w*|forced\s+to\s+leave|"
     r"(?<!forcibly\s)(?<!forcibly\sor\s)displaced|біженц\w*|беженц\w*|"
     r"переселенц\w*|внутрішньо\s+переміщен\w*|вынужденн\w+\s+переселенц\w*|внутренне\s+перемещен\w*",
     "other", True),
    # reunited
    (r"(?:забрал\w*|забра\w*|took|picked\s+up)\s+(?:\w+\s+){0,2}?(?:домой|додому|home)|reunit\w*|reunification|(?:return\w*|brought|handed)\s+(?:back\s+)?(?:to|with)\s+(?:their\s+)?"
     r"(?:famil\w*|parents|relatives)|"
     r"возз['’ʼ]?єдна\w*|(?:поверн\w*)\s+(?:\w+\s+)?(?:родин\w*|сім['’ʼ]\w*|батьк\w*|рідн\w*)|"
     r"воссоедин\w*|(?:вернул\w*|вернуть|возвращ\w*|верн\w*)\s+(?:к\s+|в\s+)?(?:семь\w*|родител\w*|"
     r"родственник\w*|родн\w*)|(?:в|до|к|у)\s+(?:сем\w+|родин\w*|сім['’ʼ]\w*)\s+(?:[\w'’]+\s+){0,3}?"
     r"(?:вернул\w*|верну\w*|повернул\w*|поверну\w*|возвращ\w*)", "reunited", True),
    # adopted / placed in families
    (r"(?:found|знайшли|нашли|обрели|отримали|получили)\s+(?:new\s+|нові\s+|новые\s+)?"
     r"(?:families|homes|родин\w*|сім['’ʼ]\w*|семь\w*)|adopt\w*|foster\w*|guardianship|placed\s+(?:with|in)\s+(?:\w+\s+){0,2}famil\w*|"
     r"всинов\w*|усинов\w*|опік\w*|під\s+опіку|передан\w*\s+(?:\w+\s+){0,2}(?:родин\w*|сім['’ʼ]\w*)|"
     r"усыновл\w*|опек\w*|передан\w*\s+(?:\w+\s+){0,2}сем\w*|(?:в|у)\s+(?:\w+\s+)?(?:приёмн|приемн|прийомн)\w*",
     "adopted", True),
    # taken "in the course of an evacuation" / "to safe places": evacuation, whatever the verb
    (r"(?:вывез|вивез|вывоз|вивоз|taken|moved|relocated|transferred)\w*\s+(?:\S+\s+){0,6}?"
     r"(?:в\s+безопасн\w+|у\s+безпечн\w+|в\s+ходе\s+эвакуац\w*|під\s+час\s+евакуац\w*|"
     r"(?:to|in)\s+safe(?:r|ty)?\b|for\s+(?:their\s+)?(?:own\s+)?safety|в\s+рамках\s+эвакуац\w*)",
     "evacuated", True),
    # returned
    (r"return\w*|handed\s+(?:over|back)|переда[лн]\w*\s+(?:україн|украин)\w*|brought\s+(?:back|home)|bring\w*\s+(?:back|home)|came\s+home|come\s+home|coming\s+home|"
     r"repatriat\w*|rescued\s+from\s+russia|"
     r"поверн\w*|повертал\w*|репатрі\w*|"
     r"вернул\w*|вернуть|вернут\w*|вернув\w*|возвращ\w*|возврат\w*|репатри\w*", "returned", True),
    # identified
    (r"identif\w*|located|found|traced|verified\s+the\s+(?:identit\w*|whereabouts)|"
     r"ідентифік\w*|встанов\w*\s+(?:\w+\s+)?(?:місцеперебуван\w*|особ\w*)|знайден\w*|знайшли|розшука\w*|"
     r"идентифиц\w*|установ\w*\s+(?:\w+\s+)?(?:местонахождени\w*|личност\w*)|найден\w*|нашли|обнаруж\w*|разыска\w*",
     "identified", True),
    # deported
    (r"deport\w*|abduct\w*|kidnap\w*|forcibl\w+\s+(?:transferred|displaced|removed|taken)|"
     r"(?:illegally|unlawfully)\s+(?:transferred|removed|taken)|taken\s+(?:away\s+)?to\s+russia|"
     r"transferred|removed|stolen|taken|"
     r"депорт\w*|викра\w*|викрад\w*|вивез\w*|вивоз\w*|примусово\s+переміщ\w*|незаконно\s+переміщ\w*|"
     r"похищ\w*|похит\w*|вывез\w*|вывоз\w*|угна\w*|угон\w*|насильственно\s+перемещ\w*|"
     r"принудительно\s+перемещ\w*", "deported", True),
    # evacuated (also the taking side's framing: accepted, received, brought)
    (r"evacuat\w*|rescued|accepted|received|brought|humanitarian\s+corridors?|"
     r"евакуйов\w*|евакуюва\w*|евакуац\w*|евакуйова\w*|прийнял\w*|прийнят\w*|прийма\w*|виїха\w*|вивели|"
     r"гуманітарн\w*\s+коридор\w*|"
     r"отсел\w*|відсел\w*|resettled|"
     r"эвакуир\w*|эвакуац\w*|принят\w*|приняли|принима\w*|выехал\w*|выех\w*|размест\w*|размещ\w*|"
     r"гуманитарн\w*\s+коридор\w*", "evacuated", True),
    # weak cues: arrival, camps
    (r"arriv\w*|crossed|entered|прибул\w*|прибув\w*|прибыл\w*|прибыв\w*|перетнул\w*|в['’ʼ]їха\w*|въеха\w*|"
     r"въезж\w*", "evacuated", False),
    (r"camps?|табор\w*|таборах|лагер\w*", "deported", False),
]
_CUE_RES = [(re.compile(rf"\b(?:{p})", re.IGNORECASE), q, s) for p, q, s in _CUES]
_NEGATIVE = re.compile(
    r"\b(?:receiv\w*\s+(?:[\w-]+\s+){0,2}(?:support|assistance|aid|help|treatment|care|payments?|services|"
    r"shelter|counselling|vaccin\w*)|отрима\w*\s+(?:\w+\s+){0,2}(?:допомог|підтримк|виплат|послуг)\w*|"
    r"получил\w*\s+(?:\w+\s+){0,2}(?:помощ|поддержк|выплат|услуг)\w*|"
    r"killed|died|dead|deaths?|wounded|injured|hurt|suspected|accused|at\s+risk|need\w*|"
    r"загину\w*|загибл\w*|поранен\w*|вбит\w*|загинул\w*|погиб\w*|ранен\w*|убит\w*|постраждал\w*|пострадал\w*|"
    r"потребу\w*|нуждают\w*|підозрю\w*|подозрева\w*|залишаються|остаются\s+на\s+(?:временно\s+)?оккупир\w*)",
    re.IGNORECASE,
)
_TO_RU = re.compile(r"\b(?:to|into|in)\s+(?:the\s+)?(?:russia|russian\s+federation|crimea)|"
                    r"\b(?:до|в|у|на\s+територію|на\s+территорию|на\s+территории)\s+(?:рф|росії|россии|россию|"
                    r"криму|крым|крыму|російськ\w*|российск\w*)|(?:в|у)\s+росі\w*|в\s+росси\w*", re.IGNORECASE)
_TO_BY = re.compile(r"\b(?:to|into|in)\s+belarus|білорус\w*|беларус\w*|белорусси\w*", re.IGNORECASE)
_TO_UA = re.compile(r"\b(?:to|into)\s+(?:ukraine|kyiv|ukraine-controlled|government-controlled)|home\b|"
                    r"додому|домой|(?:на|в)\s+(?:україну|украину|батьківщину|родину)|до\s+(?:україни|києва)|"
                    r"підконтрольн\w*|подконтрольн\w*|from\s+russia|з\s+росії|из\s+росси\w*", re.IGNORECASE)
_RUSSIAN_SIDE = re.compile(r"\b(?:russia|moscow|kremlin|russian|lvova-belova|moskalkova|tass|"
                           r"росі\w*|москв\w*|кремл\w*|росси\w*|львов\w*-бел\w*|москальков\w*|тасс)",
                           re.IGNORECASE)

_QUALIFIERS: list[tuple[str, str]] = [
    (r"just\s+under|just\s+below|slightly\s+(?:fewer|less)\s+than|трохи\s+менше(?:\s+ніж)?|чуть\s+меньше|"
     r"немногим\s+меньше", "just under"),
    (r"as\s+many\s+as|as\s+much\s+as|аж", "as many as"),
    (r"more\s+than|(?<!handed\s)(?<!handing\s)(?<!turned\s)(?<!taken\s)(?<!hand\s)over|in\s+excess\s+of|upwards\s+of|just\s+over|exceed\w*|topp\w*|surpass\w*|"
     r"понад|більше\s+ніж|більш\s+ніж|більше\s+за|більше|перевищ\w*|понад\s+як|"
     r"более\s+чем|более|свыше|больше|превыша\w*|превысил\w*|с\s+лишним", "more than"),
    (r"at\s+least|no\s+(?:fewer|less)\s+than|not\s+less\s+than|a\s+minimum\s+of|"
     r"щонайменше|принаймні|не\s+менше(?:\s+ніж)?|не\s+менш\s+ніж|як\s+мінімум|мінімум|"
     r"не\s+менее|по\s+меньшей\s+мере|как\s+минимум|минимум", "at least"),
    (r"up\s+to|as\s+high\s+as|до|(?:may|might|could|може|может|могла|могло|можуть|могут)\s+"
     r"(?:reach|exceed|be\s+as\s+high\s+as|сягати|сягнути|досягати|досягти|достигать|достичь|составлять)", "up to"),
    (r"approaching|close\s+to|nearing|наближа\w*|приближа\w*", "approaching"),
    (r"nearly|almost|майже|мало\s+не|почти|практически", "nearly"),
    (r"fewer\s+than|less\s+than|under|below|менше\s+ніж|менше|менее|меньше", "less than"),
    (r"between|від|от|між|между|from", "between"),
    (r"about|around|approximately|roughly|some|an\s+estimated|estimated|circa|c\.|~|близько|приблизно|"
     r"орієнтовно|порядку|около|примерно|приблизительно|порядка|ориентировочно|до\s+\d", "about"),
]
_QUAL_RES = [(re.compile(rf"(?:^|\b|\s)(?:{p})\s*$", re.IGNORECASE), q) for p, q in _QUALIFIERS]

_EVENT = re.compile(
    r"\b(?:latest|another|a\s+further|further|new\s+group|group|batch|operation|"
    r"in\s+the\s+(?:past|last)\s+(?:day|24\s+hours|week)|(?:last|past|this)\s+week|overnight|"
    r"ще|ще\s+одн\w*|чергов\w*|груп\w*|остання|останні|"
    r"еще|ещё|очередн\w*|за\s+(?:последние|минувшие|прошедшие)\s+сутки|за\s+(?:минулу|останню)\s+добу|за\s+минулу\s+добу|за\s+сутки|за\s+добу|за\s+неделю|"
    r"за\s+тиждень|протягом\s+(?:доби|суботи|неділі|понеділка|вівторка|середи|четверга|п['’ʼ]?ятниці))\b",
    re.IGNORECASE,
)
_CUMULATIVE = re.compile(
    r"\b(?:so\s+far|in\s+total|total|since|overall|to\s+date|altogether|all\s+told|the\s+number\s+of|"
    r"has\s+reached|had\s+reached|as\s+of|in\s+all|загалом|усього|всього|з\s+початку|від\s+початку|"
    r"станом\s+на|вже|всего|с\s+начала|в\s+общей\s+сложности|по\s+состоянию\s+на|уже|итого|з\s+\d{4}|"
    r"с\s+\d{4}|since\s+\d{4})\b",
    re.IGNORECASE,
)

# attribution
_SPEECH = (
    r"said|says|say|told|tells|reported|reports|claimed|claims|claim|stated|states|announced|announces|"
    r"estimates|estimated|noted|notes|wrote|writes|added|adds|stressed|confirmed|confirms|believe|believes|"
    r"insisted|insists|explained|declared|warned|tweeted|posted|found|welcomed|welcomes|"
    r"put\s+(?:the\s+)?(?:number|figure|total|toll)(?:\s+of\s+[\w\s'-]{0,60}?)?\s+at|"
    r"заяв\w*|повідом\w*|зазнач\w*|наголос\w*|сказа\w*|написа\w*|розповіл\w*|розповів|підтверди\w*|"
    r"вважа\w*|інформу\w*|уточни\w*|додав|додала|додали|"
    r"сообщ\w*|отмет\w*|подчеркн\w*|рассказа\w*|подтверди\w*|утвержда\w*|счита\w*|полага\w*|уточни\w*|"
    r"добавил\w*|информиру\w*"
)
_SPEECH_RE = re.compile(rf"(?<![\w-])(?:{_SPEECH})\b", re.IGNORECASE)
_WEAK_VERB_RE = re.compile(
    r"(?<![\w-])(?:lists|documented|has\s+documented|recorded|registered|has\s+identified|identified|"
    r"traced|have\s+traced|has\s+traced|tracked|"
    r"has\s+verified|verified|counted|зафіксува\w*|задокументува\w*|встановил\w*|ідентифікува\w*|"
    r"зафиксирова\w*|задокументирова\w*|установил\w*|идентифицирова\w*|насчита\w*|нарахува\w*)\b",
    re.IGNORECASE,
)
_ACCORDING = re.compile(
    r"(?:according\s+to|citing|cited\s+by|as\s+cited\s+by|за\s+даними|за\s+словами|за\s+оцінками|"
    r"за\s+підрахунками|за\s+інформацією|згідно\s+з\s+даними|як\s+повідомляє|"
    r"по\s+версии|за\s+версією|in\s+the\s+words\s+of|"
    r"по\s+данным|по\s+словам|по\s+оценкам|по\s+подсч[её]там|по\s+информации|согласно\s+данным|как\s+сообщает)\s+",
    re.IGNORECASE,
)
_CITED_AS = re.compile(r"\bcited\s+(.{3,80}?)\s+as\s+saying\b", re.IGNORECASE)
_BACKWARD = re.compile(r"^\s*(?:про\s+це|об\s+этом|about\s+this|this\s+was)\s+", re.IGNORECASE)
_PRONOUNS = {"he", "she", "they", "it", "him", "her", "his", "its", "their", "він", "вона", "вони", "його",
             "її", "їх", "їхніми", "їхні", "он", "она", "они", "его", "ее", "её", "их", "ним", "ней",
             "them", "we"}
_POSS_PRONOUN_ACCORDING = re.compile(
    r"(?:за\s+(?:її|його|їхніми|їхнім|їх)\s+(?:словами|даними|оцінками|підрахунками|інформацією)|"
    r"по\s+(?:ее|её|его|их)\s+(?:словам|данным|оценкам|подсч[её]там|информации))", re.IGNORECASE)
_CLAIMANT_JUNK_LEAD = re.compile(
    r"^(?:(?:and|but|also|as|як|как|про\s+це|об\s+этом|також|также|тоже|earlier|then|in\s+addition|"
    r"(?:в|у|in|on)\s+(?:telegram|телеграм\w*|facebook|фейсбуці|x|twitter)|журналистам|журналістам|"
    r"separately|meanwhile|в|у|во|із|з|in|at|with|from|that|що|что)\s+|[,\s])+", re.IGNORECASE)
_CLAIMANT_JUNK_TRAIL = re.compile(
    r"(?:\s+(?:has|have|had|also|earlier|previously|recently|again|later|now|тоже|також|также|ранее|раніше|"
    r"figures|data|estimates|statistics|records|calculations|cited\s+in\s+the\s+report|"
    r"on\s+telegram|in\s+a\s+(?:[\w-]+\s+)?statement|in\s+a\s+report|to\s+reporters|журналистам|журналістам|"
    r"под\s+опеку))+\s*$",
    re.IGNORECASE,
)
_DATELINE = re.compile(
    r"^\s*[A-ZА-ЯЁІЇЄҐ][A-ZА-ЯЁІЇЄҐ .'-]+(?:,\s*[^()/\n]{0,30}?)?\s*"
    r"(?:\((?P<p>[^)]{1,40})\)|/(?P<s>[^/]{1,20})/\.?)\s*[-—–.]?\s*"
)


def dateline_outlet(text: str) -> str | None:
    m = _DATELINE.match(text)
    if not m:
        return None
    name = (m.group("p") or m.group("s") or "").strip()
    if not name or re.search(r"\d", name) or len(name) > 30:
        return None
    return name


# --------------------------------------------------------------------------------------------------
# The extractor


@dataclass
class _Attribution:
    claimant: str
    start: int
    end: int
    kind: str  # according | speech | weak
    is_person_pronoun: bool = False


def _clean_claimant(s: str) -> str:
    s = s.strip(" ,;:—–-\"«»“”'")
    s = re.sub(r"\s+", " ", s)
    for _ in range(3):
        s = _CLAIMANT_JUNK_LEAD.sub("", s)
        s = _CLAIMANT_JUNK_TRAIL.sub("", s)
        # time phrases: "on Tuesday", "у понеділок", "в четверг", "on Jan. 8", "earlier this week"
        s = re.sub(r"\s*\b(?:on|у|в|во|протягом)\s+(?:{})\b".format("|".join(_WEEKDAYS)), "", s, flags=re.I)
        s = re.sub(r"\s*\b(?:{})\b".format("|".join(_WEEKDAYS)), "", s, flags=re.I)
        s = re.sub(rf"\s*\bon\s+{MONTH}\.?\s+\d{{1,2}}\b", "", s, flags=re.I)
        s = re.sub(r"\s*\b(?:this|last)\s+(?:week|month|year)\b", "", s, flags=re.I)
        s = s.strip(" ,;:—–-\"«»“”'")
    for opening, closing in (("«", "»"), ("“", "”")):
        if s.count(opening) > s.count(closing):
            s += closing  # keep the quoted name whole: організація «Центр»
    return s


_PLURAL_PRONOUNS = {"they", "them", "their", "вони", "їх", "їхніми", "їхні", "они", "их"}
_PERSON_PRONOUNS = {"he", "she", "his", "her", "him", "він", "вона", "його", "її", "он", "она", "его", "ее", "её",
                    "ним", "ней"}
_PERSON_NAME = re.compile(r"[A-ZА-ЯІЇЄҐ][\w'’-]+\s+[A-ZА-ЯІЇЄҐ][\w'’-]+$|^[A-ZА-ЯІЇЄҐ][\w'’-]+$")
_PLURAL_NAME = re.compile(r"(?:\w+s|власти|влада|правоохоронці|органы|органи|сторон\w|officials|authorities|"
                          r"\w+(?:ці|ты|ти|и))$", re.IGNORECASE)


def _resolve_pronoun(pronoun: str, history: list[str]) -> str | None:
    """The latest claimant a pronoun can refer to: a person for "she", a group for "they"."""
    p = pronoun.lower().strip()
    for name in reversed(history):
        last = name.split()[-1] if name.split() else ""
        if p in _PLURAL_PRONOUNS and _PLURAL_NAME.search(last) and not last.endswith("'s"):
            return name
        if p in _PERSON_PRONOUNS and _PERSON_NAME.search(name):
            return name
    return history[-1] if history else None


def _is_pronoun(s: str) -> bool:
    return s.lower().strip() in _PRONOUNS


def _left_np(sentence: str, verb_start: int) -> str:
    """The noun phrase before a speech verb: back to the previous boundary, over one appositive."""
    left = sentence[:verb_start]
    stops = list(re.finditer(r"[,;:—–\"«»“”(]|\s-\s|\bthat\b|\bщо\b|\bчто\b|\bthe\s+figures?\b", left, re.I))
    if not stops:
        return _clean_claimant(_strip_dateline(left))
    last = stops[-1]
    seg = left[last.end():]
    if seg.strip() or last.group(0) != ",":
        return _clean_claimant(seg)
    # ", told the BBC" after an appositive: "Save Ukraine, a Kyiv-based charity, told ..."
    if len(stops) >= 2 and stops[-2].group(0) == ",":
        appositive = left[stops[-2].end():last.start()]
        a = stops[-3].end() if len(stops) >= 3 else 0
        head = left[a:stops[-2].start()]
        if re.search(r"\d", head):
            return _clean_claimant(appositive)
        return _clean_claimant(_strip_dateline(head)) + ", " + _clean_claimant(appositive)
    return _clean_claimant(_strip_dateline(left[: last.start()]))


def _right_np(sentence: str, verb_end: int) -> str:
    right = sentence[verb_end:]
    m = re.search(r"[,;:—–\"“”]|\.(?:\s|$)|\s-\s|\bthat\b|\bщо\b|\bчто\b|$", right)
    return _clean_claimant(right[: m.start() if m else len(right)])


def _strip_dateline(s: str) -> str:
    return _DATELINE.sub("", s)


def _attributions(sentence: str) -> list[_Attribution]:
    out: list[_Attribution] = []
    for m in _ACCORDING.finditer(sentence):
        rest = sentence[m.end():]
        stop = re.search(r",|;|\.(?:\s|$)|\s[—–-]\s|\bthat\b|\bщо\b|\bчто\b|$", rest)
        name = _clean_claimant(rest[: stop.start() if stop else len(rest)])
        name = re.sub(r"\s+(?:published|released|issued|presented)\b.*$", "", name, flags=re.I)
        by = re.match(r"(?:an?|one|the)\s+(?:new\s+|recent\s+|latest\s+)?(?:report|study|survey|analysis|"
                      r"statement|investigation)\s+(?:by|from|of)\s+(.+)", name, re.I)
        if by:
            name = _clean_claimant(by.group(1))
        elif re.match(r"(?:an?|one|some|several)\s+(?:new\s+|recent\s+)?(?:report|statement|study|survey|"
                      r"document|sources?|estimates?|analysis)\b", name, re.I):
            continue
        if name:
            out.append(_Attribution(name, m.start(), m.end() + (stop.start() if stop else 0), "according"))
    for m in _POSS_PRONOUN_ACCORDING.finditer(sentence):
        out.append(_Attribution("", m.start(), m.end(), "according", is_person_pronoun=True))
    colon = re.match(r"\s*([^:«\"“\d]{3,80}?):\s*[«\"“]", sentence)
    if colon and re.search(r"[A-ZА-ЯІЇЄҐ]", colon.group(1)):
        out.append(_Attribution(_clean_claimant(colon.group(1)), colon.start(1), colon.end(1), "speech"))
    for m in _CITED_AS.finditer(sentence):
        out.append(_Attribution(_clean_claimant(m.group(1)), m.start(), m.end(), "according"))
    for m in _SPEECH_RE.finditer(sentence):
        if any(a.start <= m.start() < a.end for a in out):
            continue
        word = m.group(0).lower()
        if re.search(r"\b(?:are|is|were|was|been|be|being)\s+$", sentence[:m.start()], re.I) or \
                re.search(r"(?:ються|ється|ются|ется|ися|ася|ись|ася|ося)$", word):
            continue  # passive: "are confirmed as", "вважаються"
        if word in {"found", "states", "claim", "claims", "estimated"}:
            # "found" is also the quantity cue "found 1,150 children"; "states" a noun
            after = sentence[m.end():m.end() + 12]
            if not re.match(r"\s+(?:that|it|on|in)\b|\s*(?:[.;]|,\s)|\s*$", after, re.I):
                continue
        left = _left_np(sentence, m.start())
        if _BACKWARD.match(sentence[:m.start()]) or re.match(r"\s*(?:як|как|as)\s", sentence[:m.start()], re.I):
            left = ""
        if re.match(r"[а-яіїєґё]", word) and re.search(r"[,—–]\s*$", sentence[:m.start()]):
            left = ""  # ", сообщила Мария Львова-Белова": the speaker follows the verb
        if left and not re.fullmatch(r"(?:as|як|как|про\s+це|об\s+этом)", left, re.I) and \
                not re.search(r"\d", left) and len(left.split()) <= 14:
            name = left
        else:
            name = _right_np(sentence, m.end())
        if name.lower() in {"which", "who", "що", "який", "яка", "которая", "который", "которые", "які"}:
            antecedent = re.search(r"((?:[A-ZА-ЯІЇЄҐ][\w'’-]+\s+){0,4}[A-ZА-ЯІЇЄҐ][\w'’-]+(?:\s+[a-zа-яіїєґ]+)?)\s*,\s*"
                                   r"(?:which|who|що|який|яка|которая|который|которые|які)\s*$",
                                   sentence[:m.start()].rstrip())
            name = _clean_claimant(antecedent.group(1)) if antecedent else ""
        if not name or re.search(r"\d", name) or len(name.split()) > 14:
            continue
        out.append(_Attribution(name, m.start(), m.end(), "speech", is_person_pronoun=_is_pronoun(name)))
    for m in _WEAK_VERB_RE.finditer(sentence):
        left = _left_np(sentence, m.start())
        if re.search(r"\b(?:were|was|are|is|been|be|being)\s*$", sentence[:m.start()], re.I):
            continue
        if left and not re.search(r"\d", left) and len(left.split()) <= 10 and not _is_pronoun(left) and \
                not _SUBJECT.search(left.split()[-1] if left.split() else ""):
            out.append(_Attribution(left, m.start(), m.end(), "weak"))
    return out


_ANAPHORA = re.compile(r"^\s*(?:of\s+(?:them|whom|those)|із\s+них|з\s+них|из\s+них|серед\s+них|среди\s+них)\b",
                       re.IGNORECASE)


def _is_function_or_verb(w: str) -> bool:
    wl = w.lower()
    if wl in _EN_FUNCTION or wl in _SLAVIC_FUNC:
        return True
    if re.fullmatch(r"[a-z]+ed", wl):
        return True
    return bool(re.match(r"[а-яіїєґё]", wl) and _VERBISH.match(wl) and not _ADJ_SLAVIC.match(wl))


_SEGMENT_BREAK = re.compile(r";|\bwhile\b|\bwhereas\b|,\s+(?:тоді\s+як|тогда\s+как|при\s+этом|водночас)\b",
                            re.IGNORECASE)


def _subject_after(sentence: str, end: int, limit: int) -> tuple[str, str]:
    """('subject', noun) if a person noun follows; ('ellipsis', '') for a bare number; ('block', word).

    ('anaphora', '') for "of whom 308", "около 4 тыс. из них": people mentioned before.
    """
    rest = sentence[end:min(limit, end + 200)]
    if _ANAPHORA.match(rest):
        return "anaphora", ""
    toks = list(re.finditer(r"[^\W\d_]+(?:[-'’ʼ][^\W\d_]+)*|\d+|[^\w\s]", rest))
    if not toks or not re.match(r"\w", toks[0].group(0)):
        return "ellipsis", ""
    first = toks[0].group(0)
    if _UNIT_BLOCK.match(first.lower()) and not _CASES_OF.match(first.lower()):
        return "block", first
    first_kind = "ellipsis" if _is_function_or_verb(first) else "block"
    # "19 546 депортованих, 2 346 зниклих безвісти": a participle standing for the noun
    if _ADJ_SLAVIC.match(first.lower()) and any(rx.match(first) for rx, _q, strong in _CUE_RES if strong):
        nxt = toks[1].group(0).lower() if len(toks) > 1 else "."
        if not re.match(r"\w", nxt) or nxt in {"та", "і", "й", "и", "а", "безвісти", "без"}:
            return "subject", first
    for i, t in enumerate(toks[:5]):
        w = t.group(0)
        wl = w.lower()
        if _SUBJECT.match(wl) or _SUBJECT.match(wl.split("-")[0]):
            return "subject", w
        if not re.match(r"\w", w) or w.isdigit():
            break
        if i == 0 and _CASES_OF.match(wl):
            continue
        if wl in {"of", "the", "із", "з", "из", "them", "них", "from", "понад", "близько", "майже", "більше",
                  "щонайменше", "около", "почти", "более", "свыше", "менее", "than", "nearly", "about", "around",
                  "almost", "over", "some", "only", "лише", "лишь", "всего", "усього", "out"}:
            continue
        if wl in {"and", "or", "to", "і", "и", "та", "або", "или", "до"} and i + 1 < len(toks) and \
                toks[i + 1].group(0)[0].isdigit():
            return "ellipsis", ""
        is_adj = bool((w[0].isupper() and i < 3) or re.match(r"\w+(?:ed|ian|ese|ish|less|al|ive|ful|ly)$", wl) or
                      re.match(r"\w+['’]s$", wl) or
                      wl in {"more", "other", "additional", "young", "small", "unaccompanied", "local",
                             "vulnerable", "new"} or _ADJ_SLAVIC.match(wl))
        if is_adj:
            continue
        if i > 0 and re.match(r"\w", w) and not _is_function_or_verb(w) and not w[0].isupper() \
                and not _FIGURE_WORDS.match(w) and not _CASES_OF.match(wl):
            return "block", w  # "11 more villages": adjectives, then some other noun
        break
    return first_kind, ""


def _excluded_spans(sentence: str) -> list[tuple[int, int]]:
    spans = []
    for rx in (
        r"\b(?:aged|ages|age|between\s+the\s+ages\s+of|aged\s+between)\s+(?:of\s+)?(?:between\s+)?"
        r"[\w.]{1,25}(?:\s*(?:to|and|-|–)\s*[\w.]{1,25})?(?:\s+(?:years?|months?)(?:\s+old)?)?",
        r"\b(?:віком|вік|у\s+віці|в\s+возрасте|возрастом|возраст)\s+(?:від\s+|от\s+)?[\w.]{1,25}(?:\s+\w+)?"
        r"(?:\s*(?:до|і|и|-|–|та)\s*[\w.]{1,25})?(?:\s+(?:років|року|роки|рік|лет|года|год|місяців|месяцев))?",
        r"\b\d+[-‑](?:year|month|day|week|річн|літн|летн)\w*",
        r"\b[\w.]{1,25}\s+(?:years?|months?)\s+old\b",
        r"\b(?:was|is|turned)\s+(?:just\s+|only\s+)?(?:[^\W\d_]+|\d{1,2})(?:\s+years?\s+old)?(?=\s*[.,;](?!\d)|$)",
        r"[$€£₴]\s*(?<![\d.,])[\d.,]{1,25}(?:\s*(?:million|billion|m|bn))?|(?<![\d.,])[\d.,]{1,25}\s*(?:%|per\s*cent|percent|відсот\w*|процент\w*|"
        r"dollars|euros|гривен\w*|гривень|рубл\w*|доллар\w*|долар\w*|євро|евро|USD|UAH|EUR|RUB)",
        r"\b(?:No\.|№|#)\s*\d+",
    ):
        for m in re.finditer(rx, sentence, re.IGNORECASE):
            spans.append((m.start(), m.end()))
    return spans


def _qualifier(sentence: str, clause_start: int, num: NumberMention, prev_end: int) -> str:
    lo = max(clause_start, prev_end, num.start - 40)
    before = sentence[lo:num.start]
    if num.vague:
        return num.vague
    # "between 900,000 and 1.6 million": both ends are a range
    if re.search(r"\bbetween\s+[\d.,\s\u00a0]+(?:\w+\s+)?and\s+$|\b(?:від|от|між|между)\s+[\d.,\s\u00a0]+"
                 r"(?:\w+\s+)?(?:до|і|и)\s+$", sentence[max(0, num.start - 50):num.start], re.I):
        return "between"
    for rx, q in _QUAL_RES:
        if rx.search(before):
            if q == "between" and not re.match(r"[\s\u00a0]*(?:and|to|до|і|и|-|–)\s*\d",
                                               sentence[num.end:num.end + 8], re.I):
                continue
            if q == "up to" and re.search(r"\b(?:до)\s*$", before, re.I) and not re.search(
                    r"(?:^|[\s,])до\s*$", before, re.I):
                continue
            return q
    after = sentence[num.end:num.end + 25]
    if re.match(r"\s*(?:\w+\s+)?(?:or\s+more|and\s+more|plus|і\s+більше|или\s+более|и\s+более|с\s+лишним|"
                r"з\s+гаком)\b", after, re.I):
        return "more than"
    return ""


def _pick_cue(cues: list[Cue], pos: int, lo: int, hi: int, num_end: int, noun_at: int = -1) -> Cue | None:
    """The nearest strong cue in [lo, hi), else the nearest weak one.

    A participle between the number and its noun ("встановили особи понад 500 депортованих дітей",
    "identified 2,000 deported children") names a kind of child; the verb before the number wins.
    """
    inside = [c for c in cues if c.start >= lo and c.end <= hi]
    for strong in (True, False):
        cand = [c for c in inside if c.strong is strong]
        if cand:
            def dist(c: Cue) -> int:
                return min(abs(c.start - num_end), abs(c.end - pos))

            best = min(cand, key=dist)
            if noun_at > num_end and num_end <= best.start < noun_at:
                outside = [c for c in cand if c.end <= pos or c.start > noun_at]
                if outside:
                    return min(outside, key=dist)
            return best
    return None


def _find_cues(sentence: str) -> list[Cue]:
    cues: list[Cue] = []
    taken: list[tuple[int, int]] = []
    for rx, q, strong in _CUE_RES:
        for m in rx.finditer(sentence):
            if any(not (m.end() <= a or m.start() >= b) for a, b in taken):
                continue
            cues.append(Cue(m.start(), m.end(), q, strong))
            taken.append((m.start(), m.end()))
    return cues


def _destination(sentence: str, n0: int, n1: int, lo: int, hi: int) -> str:
    """RU, BY or UA: where the people counted at sentence[n0:n1] went, from the words around it.

    Looks in [lo, hi) (the clause, then the stretch between the neighbouring numbers): first after
    the number ("returned 17 children to Russia"), then before it ("а в Россию — 17").
    """
    found: list[tuple[int, str]] = []
    for rx, kind in ((_TO_RU, "RU"), (_TO_BY, "BY"), (_TO_UA, "UA")):
        for m in rx.finditer(sentence, lo, hi):
            found.append((m.start(), kind))
    after = sorted(f for f in found if f[0] >= n1)
    if after:
        return after[0][1]
    before = sorted(f for f in found if f[0] < n0)
    return before[-1][1] if before else ""


def _direction(quantity: str, dest: str, window: str, sentence: str, claimant: str | None) -> str:
    if quantity == "deported":
        return "UA→BY" if dest == "BY" else "UA→RU"
    if quantity in {"returned", "reunited"}:
        if dest == "RU":
            return "UA→RU"
        return "RU→UA" if (dest == "UA" or quantity == "returned") else ""
    if quantity == "evacuated":
        if dest == "RU" or (re.search(r"accept|receiv|brought|прийн|приня|прибы|прибу", window, re.I) and (
                _RUSSIAN_SIDE.search(window) or (claimant and _RUSSIAN_SIDE.search(claimant)))):
            return "UA→RU"
        return "UA→BY" if dest == "BY" else ""
    if quantity == "adopted":
        return "UA→RU" if (dest == "RU" or re.search(r"russian|російськ|российск", sentence, re.I)) else ""
    if quantity == "other" and dest == "BY":
        return "UA→BY"
    return ""


def extract(text: str, published: date | None = None, outlet: str | None = None,
            lang: str | None = None) -> list[Claim]:
    """Every numeric claim about people moved by the war in ``text`` (see the module docstring)."""
    lang = lang or detect_language(text)
    outlet = outlet or dateline_outlet(text)
    sentences = split_sentences(text)
    claims: list[Claim] = []
    history: list[str] = []  # claimants in order of mention
    prev_claimant: str | None = None
    pending_backward: list[Claim] = []

    for si, (s0, s1) in enumerate(sentences):
        sent = text[s0:s1]
        dates = find_dates(sent, published)
        attributions = _attributions(sent)
        # a following "Про це повідомив X у понеділок" / "Об этом сообщила X"
        backward: _Attribution | None = None
        backward_date: str | None = None
        if si + 1 < len(sentences):
            nxt = text[sentences[si + 1][0]:sentences[si + 1][1]]
            if _BACKWARD.match(nxt):
                for a in _attributions(nxt):
                    if a.kind == "speech":
                        backward = a
                        break
                nd = [d for d in find_dates(nxt, published) if not d.period and d.iso]
                backward_date = nd[0].iso if nd else None
        this_sentence_claimant: str | None = None
        if _BACKWARD.match(sent) and pending_backward:
            pending_backward = []
        nums = find_numbers(sent)
        excluded = _excluded_spans(sent) + [(d.start, d.end) for d in dates]
        cues = _find_cues(sent)
        has_subject = any(_SUBJECT.match(w.lower()) for w in re.findall(r"[^\W\d_]+", sent))
        has_figure_word = bool(_FIGURE_WORDS.search(sent))
        prev_end = 0
        breaks = clause_breaks(sent)
        # speech attributions also name who is speaking for the pronoun resolution below
        for n in nums:
            if any(not (n.end <= a or n.start >= b) for a, b in excluded):
                continue
            if n.value is not None and not n.has_scale and isinstance(n.value, int) and 1900 <= n.value <= 2100 \
                    and not re.search(r"[,.\s\u00a0]", sent[n.start:n.end]):
                kind, _ = _subject_after(sent, n.end, len(sent))
                if kind != "subject":
                    continue
            c0, c1 = clause_bounds(sent, n.start, breaks)
            kind, noun = _subject_after(sent, n.end, len(sent))
            if kind == "block":
                continue
            if kind == "ellipsis":
                if n.is_word or n.vague:
                    continue
                right_after = [c for c in cues if c.strong and 0 <= c.start - n.end <= 30
                               and re.fullmatch(r"(?:\s+[\w'’]+){0,3}\s*", sent[n.end:c.start])]
                anaphora_before = re.search(
                    r"(?:of\s+(?:them|whom|those|these)|among\s+(?:them|these)|із\s+них|з\s+них|из\s+них|серед\s+них|"
                    r"среди\s+них)[\s,—–-]+(?:\w+\s+){0,3}$", sent[max(0, n.start - 40):n.start], re.I)
                if not (has_subject or has_figure_word or right_after or anaphora_before):
                    continue
            # negative cues next to the number or its noun
            near = sent[max(c0, n.start - 30):min(c1, n.end + 40 + len(noun))]
            neg = _NEGATIVE.search(near)
            if noun:
                noun_at = sent.find(noun, n.end)
            else:  # "1 300 із понад 19,5 тис. депортованих дітей вдалося повернути"
                later = [m for m in re.finditer(r"[^\W\d_]+", sent[n.end:min(c1, n.end + 80)])
                         if _SUBJECT.match(m.group(0).lower())]
                noun_at = n.end + later[0].start() if later else -1
            partitive_base = bool(re.search(
                r"\d[\d.,\s\u00a0]*(?:[^\W\d_]+\.?\s+)?(?:із|з|из|of|out\s+of)\s+(?:the\s+)?(?:[^\W\d_]+['’]s\s+)?"
                r"(?:понад|більше|близько|более|около|почти|майже|more\s+than|over|nearly|about|some)?\s*$",
                sent[max(0, n.start - 45):n.start], re.I))
            if re.search(r"\b(?:із|з|из|of|out\s+of)\s+(?:[^\W\d_'’]+['’]?s?\s+){0,2}$",
                         sent[max(0, n.start - 30):n.start], re.I):
                noun_at = -1  # "1 300 із понад 19,5 тис. депортованих дітей": the participle is this number's
            cue: Cue | None
            if partitive_base:
                # the base of "X of Y" is a claim only with its own cue: "of 19,5 тис. депортованих дітей",
                # not "4.8 million of the country's 7.5 million children have fled"
                own = [c for c in cues if c.strong and n.end <= c.start < n.end + 40 + len(noun)
                       and (not noun or c.start < sent.find(noun, n.end) + len(noun) + 1)]
                if not own:
                    continue
                cue = own[0]
            else:
                cue = _pick_cue(cues, n.start, c0, c1, n.end, noun_at) or \
                    _pick_cue(cues, n.start, 0, len(sent), n.end, noun_at)
            # "10 children taken to Russia were returned home": the finite verb after the participle phrase
            if cue is not None and noun and cue.start > n.end:
                after_noun = sent.find(noun, n.end) + len(noun)
                if 0 <= cue.start - after_noun <= 3:
                    finite = [c for c in cues if c.strong and c.start > cue.end and c.end <= c1 and re.search(
                        r"\b(?:were|was|have\s+been|has\s+been|had\s+been|are|is|have|has|had)\s+(?:\w+\s+)?$",
                        sent[max(0, c.start - 25):c.start], re.I)]
                    if finite:
                        cue = finite[0]
            if cue is None:
                # "the real number may reach 150,000", "этот показатель составлял 387": the figure talked
                # about in the previous sentence
                earlier = [c for c in claims if c.sentence_start < s0]
                if not (_FIGURE_WORDS.search(sent[c0:c1]) and earlier):
                    continue
                last_start = earlier[-1].sentence_start
                ref = next(c for c in earlier if c.sentence_start == last_start)
                cue = Cue(n.start, n.start, ref.quantity, False)
            if neg:
                neg_pos = max(c0, n.start - 30) + neg.start()
                cue_in_clause = c0 <= cue.start and cue.end <= c1
                cue_negated = neg_pos <= cue.start < neg_pos + len(neg.group(0))  # "received support"
                if cue_negated or abs(neg_pos - n.end) < abs(cue.start - n.end) or \
                        (c0 <= neg_pos <= c1 and not cue_in_clause):
                    continue
            quantity = cue.quantity
            if not cue.strong and quantity == "evacuated":
                window = sent[c0:c1]
                if _TO_UA.search(window) and not _TO_RU.search(window):
                    quantity = "returned"
                elif not _TO_RU.search(sent):
                    # "the latest group crossed the border": the movement the report is about so far
                    moves = [c.quantity for c in claims if c.quantity in {"returned", "reunited", "evacuated"}]
                    if moves:
                        quantity = moves[-1]
            # claimant
            claimant = None
            acc = [a for a in attributions if a.kind == "according"]
            speech = [a for a in attributions if a.kind == "speech"]
            weak = [a for a in attributions if a.kind == "weak"]
            chosen: _Attribution | None = None
            # attributions in the number's own part of the sentence ("…; Russia's officials put it at …")
            seg0 = max([m.end() for m in _SEGMENT_BREAK.finditer(sent, 0, n.start)] or [0])
            seg_next = _SEGMENT_BREAK.search(sent, n.end)
            seg1 = seg_next.start() if seg_next else len(sent)
            local = [a for a in attributions if seg0 <= a.start < seg1]
            if local:
                acc = [a for a in local if a.kind == "according"]
                speech = [a for a in local if a.kind == "speech"]
                weak = [a for a in local if a.kind == "weak"]
            if acc:
                chosen = min(acc, key=lambda a: abs(a.start - n.start))
            elif speech:
                chosen = min(speech, key=lambda a: abs(a.start - n.start))
            elif backward is not None:
                chosen = backward
            elif weak:
                chosen = min(weak, key=lambda a: abs(a.start - n.start))
            if chosen is not None:
                if chosen.is_person_pronoun or _is_pronoun(chosen.claimant) or not chosen.claimant:
                    pron = chosen.claimant or (re.findall(r"\w+", sent[chosen.start:chosen.end]) + [""])[1]
                    claimant = _resolve_pronoun(pron, history) or outlet
                else:
                    claimant = chosen.claimant
            elif prev_claimant:
                claimant = prev_claimant
            else:
                claimant = outlet
            # as-of date
            as_of = None
            usable = [d for d in dates if not d.period and d.iso]
            in_clause = [d for d in usable if c0 <= d.start and d.end <= c1]
            marked = [d for d in usable if d.as_of]
            if in_clause:
                as_of = min(in_clause, key=lambda d: abs(d.start - n.start)).iso
            elif marked:
                as_of = marked[0].iso
            elif usable:
                as_of = min(usable, key=lambda d: abs(d.start - n.start)).iso
            elif chosen is backward and backward is not None and backward_date:
                as_of = backward_date
            elif published is not None:
                as_of = published.isoformat()
            # scope
            clause = sent[c0:c1]
            clause_wo_speech_dates = clause
            for d in dates:
                if d.weekday and c0 <= d.start < c1:
                    around = sent[max(0, d.start - 30):d.start]
                    if _SPEECH_RE.search(around):
                        clause_wo_speech_dates = clause_wo_speech_dates.replace(sent[d.start:d.end], "")
            weekday_event = any(d.weekday and c0 <= d.start < c1 and sent[d.start:d.end] in clause_wo_speech_dates
                                for d in dates)
            ev = _EVENT.search(clause)
            additive = bool(ev and re.fullmatch(r"ще|еще|ещё|another|a\s+further|further", ev.group(0), re.I))
            if _CUMULATIVE.search(clause):
                scope = "cumulative"
            elif (ev and not (quantity == "other" and additive)) or weekday_event:
                scope = "event"
            elif re.search(r"\b(?:bringing|brings|brought)\s+the\s+(?:total|number)", sent[n.end:], re.I):
                scope = "event"
            elif _CUMULATIVE.search(sent[:n.start]):
                scope = "cumulative"
            elif _EVENT.search(sent) or any(
                    d.weekday and not _SPEECH_RE.search(sent[max(0, d.start - 30):d.start]) for d in dates):
                scope = "event"
            else:
                scope = "cumulative"
            r0 = max([m.end for m in nums if m.end <= n.start] or [0])
            r1 = min([m.start for m in nums if m.start >= n.end] or [len(sent)])
            dest = _destination(sent, n.start, n.end, max(c0, r0), min(c1, r1)) or \
                _destination(sent, n.start, n.end, r0, r1)
            window = sent[max(0, n.start - 60):min(len(sent), c1 + 20)]
            direction = _direction(quantity, dest, window, sent, claimant)
            qualifier = _qualifier(sent, c0, n, prev_end)
            claim = Claim(
                value=n.value, qualifier=qualifier, quantity=quantity, direction=direction, claimant=claimant,
                as_of=as_of, scope=scope, start=s0 + n.start, end=s0 + n.end, text=sent, sentence_start=s0,
                subject=noun, lang=lang,
            )
            claims.append(claim)
            prev_end = n.end
        # remember who spoke, for pronouns and for the sentences that follow
        named = [a for a in attributions if a.claimant and not a.is_person_pronoun and not _is_pronoun(a.claimant)]
        for a in sorted(named, key=lambda a: a.start):
            history.append(a.claimant)
        if backward is not None and not _is_pronoun(backward.claimant):
            history.append(backward.claimant)
            this_sentence_claimant = backward.claimant
        if named:
            this_sentence_claimant = sorted(named, key=lambda a: a.start)[-1].claimant
        elif attributions and history:
            this_sentence_claimant = history[-1]
        if "\n" in text[sentences[si - 1][1]:s0] if si else False:
            pass
        prev_claimant = this_sentence_claimant or prev_claimant
    return claims
