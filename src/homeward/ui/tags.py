"""Template filters every template has (registered as a builtin in settings): translated labels of codes,
country names, and times labelled with their time zone."""

from __future__ import annotations

import datetime as dt
import functools
import html
import re
from typing import Any

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from homeward.names.reading import latin_reading
from homeward.ui.countries import country_name
from homeward.ui.labels import label as _label

register = template.Library()
_CYRILLIC = re.compile("[\u0400-\u04ff]")
_esc = html.escape  # what django.utils.html.escape does to a str, without its lazy-string wrapper


@functools.lru_cache(maxsize=8192)
def _reading(name: str, default: str) -> str:
    """:func:`latin_reading` memoised per distinct name and default scheme: the review queue, the children
    table and the record cards show the same names request after request, and the reading is a pure
    function of them (bounded, thread-safe; only names a page showed to a user allowed to see them)."""
    return latin_reading(name, default="ru" if default == "ru" else "uk")


@register.filter(name="label")
def label(code: Any, domain: str) -> str:
    """``{{ event.action|label:"audit_action" }}``: the translated label of a stored code."""
    return _label(code, domain)


@register.filter(name="country")
def country(value: Any) -> str:
    """``{{ leg.to_country|country }}``: an ISO code (or an old English name) as the country's name."""
    return country_name(value)


def _zone_label(value: dt.datetime) -> str:
    name = value.strftime("%Z")
    return "UTC" if name in ("UTC", "Z", "") else name


@register.filter(name="when")
def when(value: Any, fmt: str = "%Y-%m-%d %H:%M") -> SafeString | str:
    """A time in the user's zone, labelled: ``2025-03-14 15:05 EET``."""
    if not isinstance(value, dt.datetime):
        return "—" if not value else str(value)
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    zone = timezone.get_current_timezone_name()
    # What format_html gave (each value escaped), with the standard library's escape: a table shows this once a
    # row, and Django's lazy-aware escape costs ~10 Python calls per value.
    return mark_safe(  # noqa: S308 - every value is escaped here
        f'<time datetime="{_esc(value.isoformat())}" title="{_esc(zone)}">{_esc(local.strftime(fmt))} '
        f'{_esc(_zone_label(local))}</time>')


@register.filter(name="when_utc")
def when_utc(value: Any, fmt: str = "%Y-%m-%d %H:%M") -> SafeString | str:
    """A time in UTC with the user's local time beside it (legs, hand-overs): ``13:05 UTC (15:05 EET)``."""
    if not isinstance(value, dt.datetime):
        return "—" if not value else str(value)
    utc = value.astimezone(dt.UTC) if timezone.is_aware(value) else value
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    if local.utcoffset() == dt.timedelta(0):
        return format_html('<time datetime="{}">{} UTC</time>', value.isoformat(), utc.strftime(fmt))
    return format_html('<time datetime="{}">{} UTC <span class="muted">({} {})</span></time>', value.isoformat(),
                       utc.strftime(fmt), local.strftime(fmt), _zone_label(local))


@register.filter(name="latin")
def latin(record: Any) -> SafeString | str:
    """``{{ child|latin }}``: the Latin reading of a record's Cyrillic name, for staff who do not read Cyrillic.

    KMU 2010 for a Ukrainian name and the passport scheme (ICAO Doc 9303) for a Russian one; when the
    spelling cannot tell (Петренко), the record's party decides (RU: Russian, else Ukrainian). A name
    written in Latin already, or no name, gives nothing."""
    name = record if isinstance(record, str) else getattr(record, "full_name", "")
    if not name or not _CYRILLIC.search(name):
        return ""
    loaded = getattr(getattr(record, "_state", None), "fields_cache", {})  # never a query per row
    party = getattr(loaded.get("party"), "code", "")
    reading = _reading(name, "ru" if party == "RU" else "uk")
    return format_html('<span class="latin-reading muted" lang="en" dir="ltr">{}</span>', reading)


@register.simple_tag(name="child_row")
def child_row(child: Any, bulk: Any = False, mediator: Any = False) -> SafeString:
    """``{% child_row c bulk is_mediator %}``: one row of the children table (``ui.rows.child_row``)."""
    from homeward.ui import rows

    return rows.child_row(child, bool(bulk), bool(mediator))


@register.simple_tag(name="progress_row")
def progress_row(p: Any, layout: str) -> SafeString:
    """``{% progress_row p "dashboard" %}`` / ``"lists"``: one list's progress row (``ui.rows.progress_row``)."""
    from homeward.ui import rows

    return rows.progress_row(p, layout)


@register.simple_tag(name="tracing_row")
def tracing_row(request: Any, mediator: Any = False) -> SafeString:
    """``{% tracing_row t is_mediator %}``: one row of the tracing requests' table (``ui.rows.tracing_row``)."""
    from homeward.ui import rows

    return rows.tracing_row(request, bool(mediator))


@register.simple_tag(name="sort_th", takes_context=True)
def sort_th(context: Any, key: str, label: Any) -> SafeString:
    """``{% sort_th "name" l %}``: a sortable column's header by the page's ``sort`` and ``filter_query``."""
    from homeward.ui import rows

    return rows.sort_th(key, label, context.get("sort") or "", context.get("filter_query") or "")


@register.simple_tag(name="status_options")
def status_options(statuses: Any, selected: Any) -> SafeString:
    """``{% status_options statuses filters.status %}``: the case status filter's options."""
    from homeward.ui import rows

    return rows.status_options(list(statuses), selected)
