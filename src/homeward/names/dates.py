"""Date parsing that keeps the precision and offers the day/month-swapped reading."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Literal

__all__ = ["DateError", "ParsedDate", "Precision", "parse_date"]

Precision = Literal["day", "month", "year", "estimated", "unknown"]


class DateError(ValueError):
    """An unparseable or impossible date.  The message names the problem, never the value."""


@dataclass(frozen=True, slots=True)
class ParsedDate:
    """A parsed date.

    ``value``: the date (first day of the month/year for month/year precision; for an age-based
    estimate the middle of the possible birth interval); ``None`` when unknown.
    ``swapped``: the reading with day and month exchanged, when that is a valid, different date
    not in the future.
    """

    value: datetime.date | None
    precision: Precision
    swapped: datetime.date | None = None


_UNKNOWN = ParsedDate(None, "unknown", None)
_UNKNOWN_WORDS = frozenset({
    "", "?", "-", "--", "unknown", "n/a", "na", "none", "nk", "not known", "невідомо", "невідома",
    "невідомий", "неизвестно", "н/д", "н/в", "нет данных", "немає даних",
})
_SUFFIX_RE = re.compile(r"\s*(?:р\.?|року|рік|г\.?|года|год|y\.?|yr\.?)$")
_TIME_RE = re.compile(r"(?<=\d)(?:t|\s+)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:z|[+-]\d{2}:?\d{2})?$")
_SEPARATOR_SPACES_RE = re.compile(r"(?<=\d)\s*([./])\s*(?=\d)")
_CIRCA_RE = re.compile(
    r"^(?:c\.|ca\.?|circa|about|approx\.?|approximately|~|близько|приблизно|около|примерно|прибл\.)\s*(.+)$"
)
_AGE_RE = re.compile(
    r"^(?:age|aged|вік|возраст)?\s*(\d{1,2})\s*(?:years?(?:\s+old)?|y\.?o\.?|yrs?|рок(?:и|ів)|р\.|лет|год(?:а)?|г\.)?"
    r"(?:\s*(?:on|as of|at|станом на|на|по состоянию на)\s+(.+))?$"
)
_ISO_RE = re.compile(r"^(\d{4})[-./](\d{1,2})[-./](\d{1,2})$")
_DMY_RE = re.compile(r"^(\d{1,2})[./\-](\d{1,2})[./\-](\d{4}|\d{2})$")
_ISO_MONTH_RE = re.compile(r"^(\d{4})[-./](\d{1,2})$")
_MY_RE = re.compile(r"^(\d{1,2})[./\-](\d{4})$")
_YEAR_RE = re.compile(r"^(\d{4})$")
_D_NAMED_Y_RE = re.compile(r"^(\d{1,2})\s*([^\W\d_]+)\.?,?\s*(\d{4})$")
_NAMED_D_Y_RE = re.compile(r"^([^\W\d_]+)\.?\s+(\d{1,2}),?\s+(\d{4})$")
_NAMED_Y_RE = re.compile(r"^([^\W\d_]+)\.?\s+(\d{4})$")

# Month-name prefixes (English, Ukrainian nominative/genitive, Russian nominative/genitive).
_MONTH_PREFIXES: tuple[tuple[str, int], ...] = (
    ("jan", 1), ("feb", 2), ("mar", 3), ("apr", 4), ("may", 5), ("jun", 6), ("jul", 7), ("aug", 8),
    ("sep", 9), ("oct", 10), ("nov", 11), ("dec", 12),
    ("січ", 1), ("лют", 2), ("берез", 3), ("квіт", 4), ("трав", 5), ("черв", 6), ("лип", 7),
    ("серп", 8), ("верес", 9), ("жовт", 10), ("листоп", 11), ("груд", 12),
    ("янв", 1), ("фев", 2), ("мар", 3), ("апр", 4), ("мая", 5), ("май", 5), ("июн", 6), ("июл", 7),
    ("авг", 8), ("сен", 9), ("окт", 10), ("ноя", 11), ("дек", 12),
)

_MIN_YEAR = 1900
_MAX_YEAR = 2100


def _month_from_name(name: str) -> int:
    for prefix, month in _MONTH_PREFIXES:
        if name.startswith(prefix):
            return month
    raise DateError("unrecognised month name")


def _check_year(year: int) -> None:
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        raise DateError(f"year outside {_MIN_YEAR}-{_MAX_YEAR}")


def _make(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _day_precision(year: int, first: int, second: int, today: datetime.date) -> ParsedDate:
    """``first``/``second`` are (month, day) in the primary reading order."""
    _check_year(year)
    primary = _make(year, first, second)
    alternative = _make(year, second, first)
    if primary is None and alternative is None:
        if not (1 <= first <= 12 or 1 <= second <= 12):
            raise DateError("impossible date: month out of range")
        raise DateError("impossible date: day out of range for the month")
    if primary is None:
        return ParsedDate(alternative, "day", None)
    if alternative == primary or (alternative is not None and alternative > today):
        alternative = None
    return ParsedDate(primary, "day", alternative)


def _two_digit_year(yy: int, today: datetime.date) -> int:
    return 2000 + yy if yy <= today.year % 100 else 1900 + yy


def _subtract_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def parse_date(text: str, *, reference: datetime.date | None = None) -> ParsedDate:
    """Parse a date of birth (or event) written by a person.

    Accepted: ISO ``2015-11-03``; ``03.11.2015``, ``03/11/2015``, ``03-11-15`` (day first; the
    month-first reading is offered as ``swapped``, and used as the value if the day-first one is
    impossible); ``2015-11`` / ``11.2015`` / ``November 2015`` (month); ``2015`` (year); ``3 листопада
    2015``, ``3 ноября 2015 г.``, ``Nov 3, 2015``; ``circa 2015`` / ``близько 2015`` (estimated);
    ``age 7 on 2022-05-01``, ``вік 7 років станом на 01.05.2022``, ``age 7`` (estimated, relative to
    ``reference``, default today); ``unknown``/``невідомо`` → precision ``unknown``.

    Raises :class:`DateError` for impossible or unrecognised dates; the message never contains the input.
    """
    today = reference or datetime.date.today()
    s = " ".join(text.strip().lower().split())
    s = _SUFFIX_RE.sub("", s).strip()
    s = _TIME_RE.sub("", s)  # spreadsheet exports: "2015-11-03 00:00:00", "2015-11-03t00:00:00z"
    s = _SEPARATOR_SPACES_RE.sub(r"\1", s)  # "03. 11. 2015"
    if s in _UNKNOWN_WORDS:
        return _UNKNOWN

    m = _CIRCA_RE.match(s)
    if m:
        inner = parse_date(m.group(1), reference=reference)
        return ParsedDate(inner.value, "estimated" if inner.value else "unknown", None)

    m = _ISO_RE.match(s)
    if m:
        return _day_precision(int(m.group(1)), int(m.group(2)), int(m.group(3)), today)
    m = _DMY_RE.match(s)
    if m:
        raw_year = m.group(3)
        year = int(raw_year) if len(raw_year) == 4 else _two_digit_year(int(raw_year), today)
        return _day_precision(year, int(m.group(2)), int(m.group(1)), today)
    m = _ISO_MONTH_RE.match(s) or _MY_RE.match(s)
    if m:
        a, b = m.group(1), m.group(2)
        year, month = (int(a), int(b)) if len(a) == 4 else (int(b), int(a))
        _check_year(year)
        if not 1 <= month <= 12:
            raise DateError("impossible date: month out of range")
        return ParsedDate(datetime.date(year, month, 1), "month", None)
    m = _YEAR_RE.match(s)
    if m:
        year = int(m.group(1))
        _check_year(year)
        return ParsedDate(datetime.date(year, 1, 1), "year", None)
    m = _D_NAMED_Y_RE.match(s)
    if m:
        return _named(int(m.group(3)), _month_from_name(m.group(2)), int(m.group(1)))
    m = _NAMED_D_Y_RE.match(s)
    if m:
        return _named(int(m.group(3)), _month_from_name(m.group(1)), int(m.group(2)))
    m = _NAMED_Y_RE.match(s)
    if m:
        year = int(m.group(2))
        _check_year(year)
        return ParsedDate(datetime.date(year, _month_from_name(m.group(1)), 1), "month", None)

    m = _AGE_RE.match(s)
    if m and (m.group(2) or s[:1].isalpha() or not s.isdigit()):
        years = int(m.group(1))
        on = today
        if m.group(2):
            at = parse_date(m.group(2), reference=reference)
            if at.value is None:
                raise DateError("age given without a usable date")
            on = at.value
        latest = _subtract_years(on, years)
        earliest = _subtract_years(on, years + 1) + datetime.timedelta(days=1)
        return ParsedDate(earliest + (latest - earliest) / 2, "estimated", None)

    raise DateError("unrecognised date format")


def _named(year: int, month: int, day: int) -> ParsedDate:
    _check_year(year)
    value = _make(year, month, day)
    if value is None:
        raise DateError("impossible date: day out of range for the month")
    return ParsedDate(value, "day", None)
