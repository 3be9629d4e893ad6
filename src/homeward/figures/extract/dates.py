"""Step 7: dates in a sentence, resolved against the document's publication date.

Day-month(-year), month-day, month(-year), years, weekdays and "yesterday"; a weekday resolves to the latest such
day on or before publication, a month without a year to its latest occurrence. Starting points ("since
February 2022", "с 2014 года") are periods, never as-of dates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

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
# "since February 2022", "since Moscow's February 2022 invasion", "after 21 December", «після 21 грудня»
_PERIOD_START = re.compile(r"(?:(?:since|from)\s+the\s+(?:beginning|start)\s+of|"
                           r"(?:з|із|від|с|со|от)\s+(?:початку|начала)|"
                           r"since(?:\s+the)?(?:\s+[\w-]+['’]s)?|from|between|after|з|із|від|між|після|с|со|от|"
                           r"между|после|начиная\s+с|starting|"
                           # "since May of this year", «з травня цього року»: the year of a starting month
                           rf"(?:since|from|з|із|від|с|со|от)\s+{MONTH}\w*\s+(?:of\s+)?)\s*$", re.IGNORECASE)
# the date of the event a count starts from: "since its invasion on Feb. 24", "since the invasion began in
# February", «з початку повномасштабного вторгнення у лютому 2022»
_SINCE_EVENT = re.compile(r"(?:\bsince|\bз\s+початку|\bвід\s+початку|\bс\s+начала|\bс\s+момента)\b[^,.;:]{0,60}?"
                          r"(?:\bon|\bin|\bу|\bв|\bво)\s*$", re.IGNORECASE)
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

# a year after the day is 19xx or 20xx: «уже 22 марта 1200 детей отправятся» is a date and a count
_DATE_DMY = re.compile(rf"\b(\d{{1,2}})\s+({MONTH})\.?(?:,?\s+((?:19|20)\d\d)(?!\d))?{YEAR_WORD}", re.IGNORECASE)
_DATE_MDY = re.compile(rf"\b({MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+((?:19|20)\d\d)(?!\d))?",
                       re.IGNORECASE)
_THIS_YEAR = r"(?:this\s+year|цього\s+року|этого\s+года|в\s+этом\s+году)"
# "In April this year": the month of the current year, one date (not "April" and "this year" apart)
_DATE_MY = re.compile(rf"\b({MONTH})\b(?:\s+(\d{{4}}){YEAR_WORD})?(?:\s+(?:{_LAST_YEAR}|{_THIS_YEAR}))?", re.IGNORECASE)
_DATE_Y = re.compile(rf"\b((?:19|20)\d\d)\b{YEAR_WORD}", re.IGNORECASE)
_DATE_WD = re.compile(r"\b(?:{})\b".format("|".join(_WEEKDAYS)), re.IGNORECASE)
_DATE_REL = re.compile(r"\b(yesterday|today|вчора|сьогодні|вчера|сегодня)\b", re.IGNORECASE)
_DATE_LAST = re.compile(r"\b(?:(last|this)\s+(month|year)|(минулого|цього)\s+(місяця|року)|"
                        r"(в\s+прошлом|в\s+этом)\s+(месяце|году)|(прошлого|этого)\s+(месяца|года)|(торік))\b",
                        re.IGNORECASE)

_DATE_PART_OF_MONTH = re.compile(
    r"\b(?:(?:в|у|на)\s+(?:начале|середине|конце|початку|середині|кінці)\s+(?:(?:этого|текущего|цього|поточного)\s+)?"
    r"(?:месяца|місяця)|(?:early|mid-?|late|(?:at\s+)?the\s+(?:beginning|middle|end)\s+of)\s*this\s+month)\b",
    re.IGNORECASE)


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


# the sentence speaks of the future ("will be evacuated on March 22", «будут отправлены 5 июня»)
_FUTURE = re.compile(r"\b(?:will|shall|scheduled|tomorrow)\b|(?:^|\s)(?:будут|будет|буде|будуть|завтра)(?=\s|$)",
                     re.IGNORECASE)


def _latest(month: int, day: int | None, pub: date | None, future: bool = False) -> tuple[int, int, int] | None:
    """The year of a day-month without one: its latest occurrence on or before publication, or, in a sentence about
    the future, the coming one within 60 days of publication ("The first group will be evacuated on March 22",
    published 19 March 2024: 2024-03-22)."""
    if pub is None:
        return None
    year = pub.year
    if (month, day or 1) > (pub.month, pub.day):
        try:
            ahead = (date(year, month, day or 1) - pub).days
        except ValueError:
            ahead = 999
        if not (future and ahead <= 60):
            year -= 1
    return year, month, day or 1


def find_dates(sentence: str, published: date | None, future_verb: bool = False) -> list[DateMention]:
    """The dates of a sentence; ``future_verb``: the sentence has a verb in the future tense with no auxiliary
    («поедут», «отправятся»), which the words of ``_FUTURE`` do not show."""
    out: list[DateMention] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= x or a >= y for x, y in taken)

    def add(a: int, b: int, iso: str | None, **kw: bool) -> None:
        before = sentence[max(0, a - 25):a]
        se = _SINCE_EVENT.search(sentence[max(0, a - 80):a])
        # "since Moscow's February 2022 invasion … returned home on Friday": that start has its own date
        since = se is not None and not re.search(rf"\d{{4}}|\b{MONTH}", se.group(0), re.IGNORECASE)
        out.append(DateMention(a, b, iso, period=bool(_PERIOD_START.search(before)) or since,
                               as_of=bool(_ASOF.search(before)), **kw))
        taken.append((a, b))

    future = future_verb or _FUTURE.search(sentence) is not None
    for m in _DATE_DMY.finditer(sentence):
        month = _month_num(m.group(2))
        day = int(m.group(1))
        if not month or not 1 <= day <= 31:
            continue
        if m.group(3):
            iso: str | None = f"{int(m.group(3)):04d}-{month:02d}-{day:02d}"
        else:
            ymd = _latest(month, day, published, future)
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
            ymd = _latest(month, day, published, future)
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
            year = published.year - 1 if re.search(_LAST_YEAR, m.group(0), re.I) else published.year if re.search(
                _THIS_YEAR, m.group(0), re.I) else (published.year if month <= published.month else published.year - 1)
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
            # the latest such day on or before publication; in a sentence about the future the coming one («В субботу
            # еще 300 детей поедут в Ярославль», published on a Wednesday: that Saturday)
            back = (published.weekday() - wd) % 7
            iso = (published + timedelta(days=(wd - published.weekday()) % 7) if future and back else
                   published - timedelta(days=back)).isoformat()
        add(m.start(), m.end(), iso, weekday=True)
    for m in _DATE_REL.finditer(sentence):
        if not free(m.start(), m.end()):
            continue
        iso = None
        if published is not None:
            back = 1 if m.group(1).lower() in {"yesterday", "вчора", "вчера"} else 0
            iso = (published - timedelta(days=back)).isoformat()
        add(m.start(), m.end(), iso)
    for m in _DATE_LAST.finditer(sentence):
        if not free(m.start(), m.end()) or published is None:
            continue
        words = [g.lower() for g in m.groups() if g]
        back = words[0] in {"last", "минулого", "в прошлом", "прошлого", "торік"}
        if words[-1] in {"month", "місяця", "месяце", "месяца"}:
            first = published.replace(day=1)
            d = (first - timedelta(days=1)) if back else first
            add(m.start(), m.end(), f"{d.year:04d}-{d.month:02d}")
        else:
            add(m.start(), m.end(), f"{published.year - back:04d}")
    for m in _DATE_PART_OF_MONTH.finditer(sentence):  # «в середине месяца», "late this month": the current month
        if free(m.start(), m.end()) and published is not None:
            add(m.start(), m.end(), f"{published.year:04d}-{published.month:02d}")
    out.sort(key=lambda d: d.start)
    return out
