"""Dates typed as text, in the order of the user's language, with a clear error for an impossible date.

A browser's date picker shows the order of the browser's locale (mm/dd/yyyy in en-US) and silently empties
a field holding an impossible date such as 31/02/2013, so the form is saved without it. These fields are
plain text: every language here writes the day first (31/03/2015, 31.03.2015), ISO 2015-03-31 is always
accepted, Arabic-Indic digits are read, and an impossible date is an error on the field, never a blank.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

# language -> (strftime for display, the hint shown to the user)
FORMATS: dict[str, tuple[str, str]] = {
    "en": ("%d/%m/%Y", "DD/MM/YYYY"),
    "uk": ("%d.%m.%Y", "ДД.ММ.РРРР"),
    "ru": ("%d.%m.%Y", "ДД.ММ.ГГГГ"),
    "ar": ("%d/%m/%Y", "يوم/شهر/سنة"),
}
TIME_HINT = {"en": "HH:MM", "uk": "ГГ:ХХ", "ru": "ЧЧ:ММ", "ar": "س:د"}

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_DMY = re.compile(r"^(\d{1,2})\s*[./\-]\s*(\d{1,2})\s*[./\-]\s*(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_TIME = re.compile(r"^(\d{1,2})[:.](\d{2})$")


def _lang() -> str:
    lang = (translation.get_language() or "en").split("-")[0]
    return lang if lang in FORMATS else "en"


def date_format_hint() -> str:
    return FORMATS[_lang()][1]


def format_date(value: dt.date | None) -> str:
    return value.strftime(FORMATS[_lang()][0]) if value else ""


def parse_date(text: str) -> dt.date:
    """Read a day-first or ISO date; raise ``ValidationError`` naming what is wrong (never echoing the input)."""
    s = " ".join(text.translate(_DIGITS).split())
    m = _DMY.match(s)
    if m:
        day, month, year = (int(g) for g in m.groups())
    else:
        m = _ISO.match(s)
        if not m:
            raise ValidationError(_("Write the date as %(hint)s, for example %(example)s."), code="format",
                                  params={"hint": date_format_hint(),
                                          "example": format_date(dt.date(2015, 3, 31))})
        year, month, day = (int(g) for g in m.groups())
    if not 1 <= month <= 12:
        raise ValidationError(_("There is no month %(month)s: months go from 1 to 12."), code="month",
                              params={"month": month})
    if year < 1900:
        raise ValidationError(_("The year %(year)s is too early."), code="year", params={"year": year})
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise ValidationError(_("%(month)s %(year)s has only %(n)s days."), code="day",
                              params={"month": str(MONTHS[month]).lower() if _lang() in ("uk", "ru")
                                      else MONTHS[month], "year": year, "n": last})
    return dt.date(year, month, day)


class LocaleDateInput(forms.TextInput):
    """A text box for a date, showing the value in the user's order and the expected order as a hint."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"inputmode": "numeric", "autocomplete": "off", "size": "12", "class": "date",
                          **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, dt.date):
            return format_date(value)
        return super().format_value(value)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].setdefault("placeholder", date_format_hint())
        return context


class LocaleDateField(forms.DateField):
    widget = LocaleDateInput

    def __init__(self, *args: Any, not_in_future: bool = False, **kwargs: Any) -> None:
        self.not_in_future = not_in_future
        super().__init__(*args, **kwargs)

    def to_python(self, value: Any) -> dt.date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        return parse_date(str(value))

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value and self.not_in_future and value > timezone.localdate():
            raise ValidationError(_("This date is in the future."), code="future")


class LocaleDateTimeInput(LocaleDateInput):
    def format_value(self, value: Any) -> str | None:
        if isinstance(value, dt.datetime):
            value = timezone.localtime(value, dt.UTC) if timezone.is_aware(value) else value
            return f"{format_date(value.date())} {value:%H:%M}"
        return super().format_value(value)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["placeholder"] = f"{date_format_hint()} {TIME_HINT[_lang()]}"
        context["widget"]["attrs"]["size"] = "18"
        return context


class LocaleDateTimeField(forms.DateTimeField):
    """A date and a time (24 h) typed as text; the time is read in UTC, as the label says."""

    widget = LocaleDateTimeInput

    def to_python(self, value: Any) -> dt.datetime | None:
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value
        s = " ".join(str(value).translate(_DIGITS).replace("T", " ").split())
        date_part, _sep, time_part = s.rpartition(" ") if " " in s else (s, "", "")
        day = parse_date(date_part)
        hour = minute = 0
        if time_part:
            m = _TIME.match(time_part)
            if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
                raise ValidationError(_("Write the time as %(hint)s, for example 14:30."), code="time",
                                      params={"hint": TIME_HINT[_lang()]})
            hour, minute = int(m.group(1)), int(m.group(2))
        return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=dt.UTC)
