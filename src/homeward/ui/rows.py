"""Table rows rendered in Python: the children table shows 25 rows a page, and as template markup each row cost
~20 variable look-ups, filters and tags (about a third of the page's Python work, by ``profile_routes.py``).
The markup is exactly what the template gave (``tests/test_page_costs.py`` renders both and compares them); a
change to a row is made here, and the test's reference template changed with it."""

from __future__ import annotations

import datetime as dt
import functools
import html
import math
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.template.defaultfilters import floatformat
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import formats, timezone
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


def tracing_row(request: Any, mediator: bool) -> SafeString:
    """One row of the tracing requests' table (``registry/tracing_list.html``); its party loaded with it."""
    pk = _esc(str(request.pk))
    return mark_safe(  # noqa: S308 - every value below is escaped
        f"<tr><td>{pk}</td><td>{name_cell(request, url_of('tracing_detail', request.pk), mediator)}</td>"
        f"<td>{_day(request.birth_date)}</td><td>{_text(request.party.code)}</td>"
        f"<td>{_local_day(request.created_at)}</td>"
        f'<td><span class="badge {_esc(str(request.status))}">{_esc(str(request.get_status_display()))}</span>'
        f"</td></tr>")


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


_PLACES = {places: Decimal(1).scaleb(-places) for places in (1, 3)}


def _plain_float(value: Any) -> bool:
    return type(value) is float and math.isfinite(value) and abs(value) < 1e15


def _machine_number(value: Any) -> str:
    """``{{ value|unlocalize }}``: a number as an attribute value (``<meter value>``) must be, whatever the
    language (``0,87`` is not a number to the browser: it read 0, and the meter showed empty)."""
    if _plain_float(value):
        text = repr(value)
        if "e" not in text:
            return text
    return _esc(str(formats.localize(value, use_l10n=False)))


def _fixed(value: Any, places: int, sep: str) -> str:
    """``{{ value|floatformat:places }}`` (places 1 or 3): rounded half up, the language's decimal separator."""
    if sep and _plain_float(value):
        rounded = Decimal(repr(value)).quantize(_PLACES[places], ROUND_HALF_UP)
        text = f"{rounded:f}"
        if not rounded and text.startswith("-"):  # floatformat gives no sign to a value rounded to zero
            text = text[1:]
        return text.replace(".", sep)
    return _esc(str(floatformat(value, places)))


def _side(kind: Any, pk: Any, record: Any, mediator: bool, sep: str) -> str:
    from homeward.ui.labels import label
    from homeward.ui.tags import latin

    pk_text = str(pk) if type(pk) is int else _esc(str(formats.localize(pk)))
    out = (f'<td>{_esc(label(kind, "linkage_record"))} #{pk_text}<br><span class="muted">'
           f'{_text(getattr(record, "full_name", ""))}</span>')
    if mediator:
        reading = latin(record) if record is not None else ""
        if reading:
            out += f"<br>{reading}"
    return out + "</td>"


def _at_least_zero(value: Any) -> bool:
    """``{% if value >= 0 %}``: a failed comparison is false, as in the template."""
    try:
        return bool(value >= 0)
    except Exception:  # noqa: BLE001 - the template's ``if`` treats any error as false
        return False


def review_rows(rows: list[tuple[Any, Any, Any, list[dict[str, Any]]]], mediator: bool) -> list[SafeString]:
    """The review queue's rows (``linkage/queue.html``), each from ``(candidate, left record, right record, its
    strongest reasons)``; byte for byte the row template's markup (``tests/test_page_costs.py``)."""
    from homeward.ui.labels import label

    # The fast number formats hold while numbers are not grouped (Homeward does not set USE_THOUSAND_SEPARATOR).
    sep = "" if settings.USE_THOUSAND_SEPARATOR else str(formats.get_format("DECIMAL_SEPARATOR"))
    ambiguous = gettext("ambiguous")  # {% translate %} of a literal: not escaped
    review = gettext("Review")
    out = []
    for c, left, right, top in rows:
        p = c.match_probability
        shown = _fixed(p, 3, sep)
        cell = f'<tr><td><meter min="0" max="1" value="{_machine_number(p)}" title="{shown}"></meter> {shown}'
        if c.ambiguity_group:
            cell += f'<br><span class="badge">{ambiguous}</span>'
        reasons = "".join(
            f'{_esc(label(r.get("comparison", ""), "linkage_comparison"))}: '
            f'{_esc(label(r.get("level", ""), "linkage_level"))} '
            f'({"+" if _at_least_zero(r.get("weight", "")) else ""}{_fixed(r.get("weight", ""), 1, sep)})<br>'
            for r in top)
        out.append(mark_safe(  # noqa: S308 - every text value is escaped; the numbers are formatted numbers
            f"{cell}</td>\n"
            f"    {_side(c.left_type, c.left_id, left, mediator, sep)}\n"
            f"    {_side(c.right_type, c.right_id, right, mediator, sep)}\n"
            f"    <td>{reasons}</td>\n"
            f'    <td><a class="button" href="{url_of("linkage:candidate", c.pk)}">{review}</a></td></tr>'))
    return out


def status_tiles(by_status: list[tuple[Any, int]], max_count: int, links: bool, children_url: str) -> SafeString:
    """The dashboard's case counts by status, one tile a status (``registry/dashboard.html`` rendered them in a
    ``{% for %}`` loop: ~400 Python calls a tile)."""
    out = []
    url = _esc(str(children_url))
    for status, n in by_status:
        count = _esc(str(n))
        start = f'<a class="stat" href="{url}?status={_esc(str(status.value))}">' if links else '<div class="stat">'
        out.append(f'\n    {start}<div class="n">{count}</div><div class="l">{_esc(str(status.label))}</div>\n'
                   f'      <meter class="bar" min="0" max="{_esc(str(max_count))}" value="{count}" '
                   f'aria-hidden="true"></meter>{"</a>" if links else "</div>"}\n    ')
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped


def recent_rows(events: list[tuple[Any, ...]]) -> SafeString:
    """The dashboard's recent activity: ``(at, from_status, to_status, actor_party, case_id, child_id)`` of each
    case event as table rows (``{% for %}`` markup before: ~500 Python calls a row)."""
    from homeward.registry.workflow import CaseStatus
    from homeward.ui.tags import when

    labels = dict(CaseStatus.choices)
    case = gettext("Case")  # {% translate %} of a literal: not escaped
    out = []
    for at, from_status, to_status, actor_party, case_id, child_id in events:
        moved = (f'{_esc(str(labels.get(from_status, from_status)))} <span class="flip">→</span> ' if from_status
                 else "")
        out.append(f'\n      <tr><td>{when(at)}</td>\n'
                   f'        <td><a href="{_esc(url_of("child_detail", child_id))}">{case} #{_esc(str(case_id))}</a>'
                   f'</td>\n'
                   f'        <td>{moved}<span class="badge {_esc(str(to_status))}">'
                   f'{_esc(str(labels.get(to_status, to_status)))}</span></td>\n'
                   f'        <td>{_esc(str(actor_party))}</td></tr>\n    ')
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped; `when` escapes its own


def ledger_rows(rows: list[tuple[Any, bool]], checkpoint_size: int | None) -> SafeString:
    """The ledger page's entries, ``(entry, opened)`` each (``e.short_hash`` and ``e.inclusion_url`` set by the view):
    as ``ledger/ledger.html``'s ``{% for %}`` loop gave them (~600 Python calls a row, 50 rows a page)."""
    from homeward.ui.labels import label
    from homeward.ui.tags import when

    sealed, inclusion, after = gettext("sealed"), gettext("inclusion"), gettext("after checkpoint")
    labels: dict[tuple[str, Any], str] = {}  # a page shows a few kinds and object types, 50 times

    def shown_label(code: Any, domain: str) -> str:
        found = labels.get((domain, code))
        if found is None:
            found = labels[(domain, code)] = _esc(label(code, domain))
        return found

    out = []
    for e, opened in rows:
        if opened:
            shown = (f'<td><span title="{_esc(str(e.kind))}">{shown_label(e.kind, "ledger_kind")}</span></td>'
                     f'<td>{_text(e.party_code, "–")}</td>\n'
                     f'        <td>{shown_label(e.object_type, "object_type")} {_esc(str(e.object_id))}</td>'
                     f'<td>{when(e.recorded_at, "%Y-%m-%d %H:%M:%S")}</td>')
        else:
            shown = f'<td colspan="4" class="muted">{sealed}</td>'
        proof = (f'<a href="{_esc(str(e.inclusion_url))}">{inclusion}</a>'
                 if checkpoint_size is not None and e.index < checkpoint_size
                 else f'<span class="muted">{after}</span>')
        out.append(f"\n      <tr><td>{_esc(str(e.index))}</td>{shown}\n"
                   f"        <td><code>{_esc(str(e.short_hash))}</code></td>\n"
                   f"        <td>{proof}</td></tr>\n    ")
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped; `when` escapes its own


def _figure(c: Any) -> str:
    """A claim's figure as the templates show it: its qualifier's label, then ``{{ c.value|floatformat:"-2g" }}``."""
    from homeward.ui.labels import label

    qualifier = f"{_esc(label(c.qualifier, 'figures_qualifier'))} " if c.qualifier else ""
    return f"{qualifier}{floatformat(c.value, '-2g')}"


def claim_rows(claims: list[Any]) -> SafeString:
    """A quantity's claims on ``/stats/`` (``figures/stats.html``'s ``{% for c in s.claims %}`` loop, ~300 Python
    calls a row before), each claim's document loaded with it."""
    from django.template.defaultfilters import date as date_filter

    illustrative = gettext("illustrative")
    out = []
    for c in claims:
        doc = c.document
        direction = f' <span class="muted">{_esc(str(c.direction))}</span>' if c.direction else ""
        title = _esc(str(doc.title))
        source = (f'<a href="{_esc(str(doc.url))}" rel="noopener noreferrer">{title}</a>' if doc.url else title)
        if doc.outlet:
            source += f" · {_esc(str(doc.outlet))}"
        if doc.published_on:
            source += f" · {_esc(str(date_filter(doc.published_on, 'Y-m-d')))}"
        if doc.is_demo:
            source += f' <span class="badge restricted">{illustrative}</span>'
        out.append(f'\n      <tr><td><a href="{url_of("figures:claim", c.pk)}">{_figure(c)}</a>{direction}</td>\n'
                   f"        <td>{_text(c.as_of, '—')}</td>\n"
                   f"        <td>{_text(c.source_label, '—')}</td>\n"
                   f"        <td>{_esc(str(c.get_scope_display()))}</td>\n"
                   f"        <td>{source}</td></tr>\n    ")
    return mark_safe("".join(out))  # noqa: S308 - every text value above is escaped; floatformat's is safe


def dispute(voices: list[Any]) -> SafeString:
    """``figures/_dispute.html`` of ``voices`` (``figures.services.dispute``), as its template renders it."""
    if not voices:
        return mark_safe("\n")
    links = []
    for v in voices:
        c = v.latest
        country = f"{_esc(str(v.country))} · " if v.country else ""
        as_of = (", " + gettext("as of %(date)s") % {"date": _esc(str(c.as_of))}) if c.as_of else ""
        links.append(f'<a href="{url_of("figures:claim", c.pk)}">{country}{_esc(str(v.label))}: {_figure(c)}'
                     f"{as_of}</a>")
    table = []
    for v in voices:
        country = f' <span class="muted">({_esc(str(v.country))})</span>' if v.country else ""
        figures = " → ".join(
            f'<a href="{url_of("figures:claim", c.pk)}" title="{_esc(str(c.document.title))}">{_figure(c)} '
            f'<span class="muted">{_text(c.as_of, "—")}</span></a>' for c in v.claims)
        table.append(f'<tr><th scope="row">{_esc(str(v.label))}{country}</th>\n      <td>{figures}</td></tr>')
    return mark_safe(  # noqa: S308 - every text value above is escaped; floatformat's is safe
        f'\n<div class="dispute" aria-label="{gettext("Who says what")}">\n'
        f'  <p class="dispute-summary"><strong>{gettext("Who says what:")}</strong>\n'
        f'  {" · ".join(links)}</p>\n'
        f'  <table class="dispute-table">\n'
        f'    <thead><tr><th>{gettext("Claimed by")}</th><th>{gettext("Figures over time (each links to its quote)")}'
        f'</th></tr></thead>\n'
        f'    <tbody>{"".join(table)}</tbody>\n'
        f'  </table>\n'
        f'</div>\n\n')


def sort_th(key: str, label: Any, sort: str, filter_query: str) -> SafeString:
    """A sortable column's header of the children table: what ``registry/_sort_th.html`` gave (~270 Python calls
    an include, six a page)."""
    up, down = sort == key, sort == f"-{key}"
    aria = f' aria-sort="{"ascending" if up else "descending"}"' if up or down else ""
    href = f"?{_esc(str(filter_query))}&amp;" if filter_query else "?"
    href += f"sort={'-' if up else ''}{_esc(str(key))}"
    arrow = " ▲" if up else (" ▼" if down else "")
    return mark_safe(  # noqa: S308 - every value is escaped (the label as the template escaped it)
        f'<th{aria}><a href="{href}" hx-get="{href}" hx-target="#results" hx-push-url="true">'
        f"{conditional_escape(label)}{arrow}</a></th>\n")


def status_options(statuses: list[tuple[Any, Any]], selected: Any) -> SafeString:
    """The case status filter's ``<option>`` elements, the one of ``selected`` marked."""
    return mark_safe("".join(  # noqa: S308 - every value is escaped
        f'<option value="{_esc(str(value))}" {"selected" if selected == value else ""}>{_esc(str(label))}</option>'
        for value, label in statuses))
