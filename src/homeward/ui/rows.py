"""Table rows rendered in Python: the children table shows 25 rows a page, and as template markup each row cost
~20 variable look-ups, filters and tags (about a third of the page's Python work, by ``profile_routes.py``).
The markup is exactly what the template gave (``tests/test_page_costs.py`` renders both and compares them); a
change to a row is made here, and the test's reference template changed with it."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

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
