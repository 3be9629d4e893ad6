"""Table rows rendered in Python: the children table shows 25 rows a page, and as template markup each row cost
~20 variable look-ups, filters and tags (about a third of the page's Python work, by ``profile_routes.py``).
The markup is exactly what the template gave (``tests/test_page_costs.py`` renders both and compares them); a
change to a row is made here, and the test's reference template changed with it."""

from __future__ import annotations

import datetime as dt
import functools
import html
from typing import Any

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

_esc = html.escape  # what django.utils.html.escape does to a str, without its lazy-string wrapper


def _text(value: Any, empty: str = "") -> str:
    """``{{ value|default:empty }}`` of a plain value: escaped, or ``empty`` when it is falsy."""
    return _esc(str(value)) if value else empty


def _day(value: Any) -> str:
    """``{{ value|date:"Y-m-d"|default:"—" }}`` of a date (a date field's value: no time zone to apply)."""
    return value.isoformat() if isinstance(value, dt.date) and not isinstance(value, dt.datetime) else "—"


def name_cell(record: Any, url: str, mediator: bool) -> str:
    """The name cell's content: the record's link, its Latin reading for the mediator, why a search found it."""
    from homeward.ui.tags import latin

    name = record.full_name or gettext("(no name)")
    out = f'<a href="{_esc(url)}">{_esc(name)}</a>'
    if mediator:
        reading = latin(record)
        if reading:
            out += f"<br>{reading}"
    hit = getattr(record, "search_hit", None)
    why = hit.why if hit is not None else None
    if why:
        out += f'<div class="muted small match-why">{"; ".join(str(conditional_escape(w)) for w in why)}</div>'
    return out


def child_row(child: Any, bulk: bool, mediator: bool) -> SafeString:
    """One row of the children table (``registry/_children_table.html``); ``child.detail_url`` set by the view,
    its party and case loaded with it."""
    case = getattr(child, "case", None)  # a child without a case raises RelatedObjectDoesNotExist (an AttributeError)
    pk = _esc(str(child.pk))
    out = "<tr>"
    if bulk:
        box = ""
        if case:
            label = gettext("Select child %(n)s") % {"n": pk}
            box = f'<input type="checkbox" name="ids" value="{pk}" form="bulk" aria-label="{label}">'
        out += f"<td>{box}</td>"
    badge = (f'<span class="badge {_esc(str(case.status))}">{_esc(str(case.get_status_display()))}</span>' if case
             else "—")
    out += (f"\n      <td>{pk}</td><td>{name_cell(child, child.detail_url, mediator)}</td>\n"
            f"      <td>{_day(child.birth_date)}</td><td>{_text(child.region, '—')}</td>"
            f"<td>{_text(child.party.code)}</td>\n"
            f"      <td>{badge}</td></tr>")
    return mark_safe(out)  # noqa: S308 - every value above is escaped


@functools.lru_cache(maxsize=64)
def _prefix(url_name: str, script_prefix: str, urlconf: Any) -> str:
    url = reverse(url_name, args=[0])
    if not url.endswith("/0/"):
        raise ValueError(f"{url_name}'s URL does not end with its id: {url}")
    return url[:-2]


def url_of(url_name: str, pk: Any) -> str:
    """``reverse(url_name, args=[pk])`` for a URL ending ``…/<int:pk>/``, with one ``reverse()`` per URL name (the
    URL patterns do not change while the process runs; the script prefix and URLconf are part of the key)."""
    return f"{_prefix(url_name, get_script_prefix(), get_urlconf())}{int(pk)}/"


def _local_day(value: Any) -> str:
    """``{{ value|date:"Y-m-d" }}`` of a time: its date in the current time zone."""
    if not isinstance(value, dt.datetime):
        return "" if value in (None, "") else _esc(str(value))
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"


def progress_row(p: Any, layout: str) -> SafeString:
    """One list's row of the answers' progress: the dashboard's panel (``layout="dashboard"``) or ``/lists/``."""
    plist, version = p.party_list, p.version
    answered = gettext("Answered")  # {% translate %} of a literal: not escaped
    bar = f'<progress max="{p.forwarded or 1}" value="{p.answered}" aria-label="{answered}"></progress>'
    version_url = url_of("exchange:version", version.pk)
    if layout == "dashboard":
        out = (f'<tr><td><a href="{version_url}">{_esc(str(plist.title))} v{version.number}</a></td>\n'
               f"        <td>{_esc(str(plist.party.code))} → {_esc(str(plist.concerning.code))}</td>"
               f"<td>{p.total}</td><td>{p.forwarded}</td>\n"
               f"        <td>{bar} {p.answered} ({p.percent}%)</td></tr>")
    else:
        out = (f'<tr><td><a href="{url_of("exchange:list", plist.pk)}">{_esc(str(plist.title))}</a></td>\n'
               f"      <td>{_esc(str(plist.party.code))}</td><td>{_esc(str(plist.concerning.code))}</td>\n"
               f'      <td><a href="{version_url}">v{version.number}</a> '
               f'<span class="muted">{_local_day(version.uploaded_at)}</span></td>\n'
               f"      <td>{p.total}</td><td>{p.forwarded}</td>\n"
               f"      <td>{p.answered} {bar}</td></tr>")
    return mark_safe(out)  # noqa: S308 - every text value above is escaped; the numbers are ints
