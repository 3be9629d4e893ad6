"""Template filters every template has (registered as a builtin in settings): translated labels of codes,
country names, and times labelled with their time zone."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

from homeward.ui.countries import country_name
from homeward.ui.labels import label as _label

register = template.Library()


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
    return format_html('<time datetime="{}" title="{}">{} {}</time>', value.isoformat(), zone,
                       local.strftime(fmt), _zone_label(local))


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
