"""Documents in, claims out; the mediator's review; aggregates for the timeline and the public page.

Homeward's own counts come from the registry as aggregates only and every count under
:data:`SUPPRESS_BELOW` is withheld before it leaves this module.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from homeward import access
from homeward.access import Actor, Viewer
from homeward.accounts import audit
from homeward.exceptions import InputError
from homeward.figures.extract import QUANTITIES, extract
from homeward.figures.models import (
    PUBLIC_STATUSES,
    Claim,
    ClaimStatus,
    Document,
    NameVariant,
    Organisation,
    Quantity,
    Scope,
    SourcePerson,
    StatsSnapshot,
    normalise_name,
    period_end,
)

SUPPRESS_BELOW = 5
VERIFIED_SOURCE = "Homeward registry"
VERIFIED_DEFINITION = gettext_lazy(
    "Homeward's own verified count: cases in the registry moved to the status 'reunited' (registry case "
    "events) in a period of whole months, counted once per event. A period closes only once it holds at least "
    "5, so no published number minus another gives a count under 5. Published by a mediator as a dated "
    "snapshot.")
CLAIMED_DEFINITION = gettext_lazy(
    "Figures published by {source}, as extracted from the documents listed and confirmed or corrected by a "
    "mediator. Each point is the figure as of its date; the claimant's own definition applies.")
VERIFIED_LABEL = gettext_lazy("Homeward (verified)")
QUALIFIERS = ("", "about", "nearly", "more than", "at least", "up to", "approaching", "just under", "as many as",
              "less than", "between")
DIRECTIONS = ("", "UA→RU", "RU→UA", "UA→BY", "BY→UA", "RU→RU", "UA→UA")


def require_mediator(user: Viewer | None) -> None:
    """Non-mediators get a 404: the review pages do not exist for them."""
    access.require(access.is_mediator(user))


# --- documents and claims ---------------------------------------------------------------------------

def resolve_claimant(text: str) -> tuple[Organisation | None, SourcePerson | None]:
    """The organisation and/or person whose name (or a variant of it) occurs in a claimant string."""
    key = f" {normalise_name(text)} "
    if not key.strip():
        return None, None
    org: Organisation | None = None
    person: SourcePerson | None = None
    best_org = best_person = 0
    candidates: list[tuple[str, Organisation | None, SourcePerson | None]] = [
        (v.key, v.organisation, v.person) for v in NameVariant.objects.select_related("organisation", "person")
    ]
    candidates += [(normalise_name(o.name), o, None) for o in Organisation.objects.all()]
    candidates += [(normalise_name(p.name), None, p) for p in SourcePerson.objects.select_related("organisation")]
    for variant, o, p in candidates:
        if not variant or f" {variant} " not in key and not (len(variant) > 5 and variant in key):
            continue
        if p is not None and len(variant) > best_person:
            person, best_person = p, len(variant)
        if o is not None and len(variant) > best_org:
            org, best_org = o, len(variant)
    if person is not None and org is None:
        org = person.organisation
    return org, person


def _claim_from(document: Document, c: Any) -> Claim:
    org, person = resolve_claimant(c.claimant or "")
    return Claim(
        document=document, value=Decimal(str(c.value)), qualifier=c.qualifier, quantity=c.quantity,
        direction=c.direction, claimant=(c.claimant or "")[:300], organisation=org, person=person,
        as_of=c.as_of or "", scope=c.scope, start=c.start, end=c.end, sentence=c.text[:5000],
        extracted={k: v for k, v in c.to_dict().items() if k not in {"text", "notes"}},
    )


@transaction.atomic
def add_document(user: Viewer | None, *, title: str, text: str, outlet: str = "", url: str = "", language: str = "",
                 published_on: dt.date | None = None, retrieved_at: dt.datetime | None = None,
                 is_demo: bool = False) -> Document:
    """Register a document and the claims the extractor finds in it (each awaiting review)."""
    outlet_org, _person = resolve_claimant(outlet) if outlet else (None, None)
    document = Document.objects.create(
        title=title, text=text, outlet=outlet, outlet_organisation=outlet_org, url=url, language=language,
        published_on=published_on, retrieved_at=retrieved_at or timezone.now(), is_demo=is_demo,
        added_by=access.user_of(user),
    )
    found = [c for c in extract(text, published=published_on, outlet=outlet or None) if c.value is not None]
    if not document.language and found:
        document.language = found[0].lang
        document.save(update_fields=["language"])
    Claim.objects.bulk_create([_claim_from(document, c) for c in found])
    for claim in document.claims.all():  # bulk_create skips save(): fill the derived date
        claim.save(update_fields=["as_of_date"])
    if getattr(user, "is_authenticated", False):
        audit.record(user, "figures_document_added", document)
    return document


@dataclass
class Correction:
    value: Decimal | None = None
    qualifier: str = ""
    quantity: str = ""
    direction: str = ""
    claimant: str = ""
    as_of: str = ""
    scope: str = ""
    note: str = ""
    errors: dict[str, list[str]] = field(default_factory=dict)


def parse_correction(data: Any) -> Correction:
    c = Correction()
    raw = str(data.get("value", "")).replace(",", "").replace("\u00a0", "").replace(" ", "").strip()
    try:
        c.value = Decimal(raw) if raw else None
        if c.value is not None and c.value < 0:
            raise InvalidOperation
    except InvalidOperation:
        c.errors["value"] = [_("Enter a number.")]
    c.qualifier = str(data.get("qualifier", "")).strip()
    if c.qualifier not in QUALIFIERS:
        c.errors["qualifier"] = [_("Choose a listed qualifier.")]
    c.quantity = str(data.get("quantity", "")).strip()
    if c.quantity not in QUANTITIES:
        c.errors["quantity"] = [_("Choose a listed quantity.")]
    c.direction = str(data.get("direction", "")).strip()
    if c.direction not in DIRECTIONS:
        c.errors["direction"] = [_("Choose a listed direction.")]
    c.claimant = str(data.get("claimant", "")).strip()[:300]
    c.as_of = str(data.get("as_of", "")).strip()
    if c.as_of and period_end(c.as_of) is None:
        c.errors["as_of"] = [_("Use YYYY-MM-DD, YYYY-MM or YYYY.")]
    c.scope = str(data.get("scope", "")).strip() or Scope.CUMULATIVE
    if c.scope not in Scope.values:
        c.errors["scope"] = [_("Choose event or cumulative.")]
    c.note = str(data.get("note", "")).strip()[:2000]
    if c.value is None and "value" not in c.errors:
        c.errors["value"] = [_("A corrected claim needs a value.")]
    return c


@transaction.atomic
def review_claim(user: Actor, claim: Claim, action: str, data: Any = None) -> Claim:
    """Confirm, correct or reject one extracted claim. Mediators only (others: 404)."""
    require_mediator(user)
    data = data or {}
    if action == "confirm":
        claim.status = ClaimStatus.CONFIRMED
    elif action == "reject":
        claim.status = ClaimStatus.REJECTED
    elif action == "correct":
        c = parse_correction(data)
        if c.errors:
            raise InputError(c.errors, "The correction is not valid.")
        claim.value, claim.qualifier, claim.quantity = c.value, c.qualifier, c.quantity
        claim.direction, claim.as_of, claim.scope = c.direction, c.as_of, c.scope
        if c.claimant != claim.claimant:
            claim.claimant = c.claimant
            claim.organisation, claim.person = resolve_claimant(c.claimant)
        claim.status = ClaimStatus.CORRECTED
    else:
        raise InputError({"action": ["Use confirm, correct or reject."]}, "Unknown review action.")
    claim.review_note = str(data.get("note", "")).strip()[:2000] if hasattr(data, "get") else ""
    claim.reviewed_by = access.user_of(user)
    claim.reviewed_at = timezone.now()
    claim.save()
    audit.record(user, f"figures_claim_{action}", claim)
    return claim


# --- aggregates ---------------------------------------------------------------------------------------

def suppress(n: int) -> int | None:
    """``None`` for a count under the threshold: it must not be shown."""
    return n if n >= SUPPRESS_BELOW else None


def round_to_threshold(n: int) -> int | None:
    """A case total as published: ``None`` under the threshold, else rounded to the nearest multiple of it.

    Rounded totals differ from one snapshot to the next by 0 or by at least the threshold, and no exact
    difference between a total and another published figure can be worked out.
    """
    if n < SUPPRESS_BELOW:
        return None
    return SUPPRESS_BELOW * int(n / SUPPRESS_BELOW + 0.5)


def _month(d: dt.date | dt.datetime) -> str:
    return d.strftime("%Y-%m")


def _next_month(month: str) -> str:
    y, m = int(month[:4]), int(month[5:])
    return f"{y + (m == 12):04d}-{m % 12 + 1:02d}"


def build_snapshot(cutoff: dt.datetime, previous: dict[str, Any] | None = None) -> dict[str, Any]:
    """Homeward's own public counts as of ``cutoff``, joined to the previous snapshot's.

    * Reunifications (registry case events to ``reunited``) are published as **periods** of whole calendar
      months, each closed only once it holds at least the threshold, with the running total at its end. The
      monthly series and the running totals are one and the same: every difference between published numbers
      is a sum of whole periods, never a cell under the threshold. Months whose count has not yet reached it
      wait for a later snapshot; the month still under way is never counted.
    * Periods already published are kept as they were: a later snapshot only adds periods after them (a
      reunification recorded late for an earlier month counts in the next period).
    * Case totals by status are rounded to the threshold (see :func:`round_to_threshold`).
    """
    from homeward.registry.models import Case, CaseEvent
    from homeward.registry.workflow import CaseStatus

    month_start = cutoff.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    periods: list[dict[str, Any]] = list((previous or {}).get("periods", []))
    total = periods[-1]["cumulative"] if periods else 0
    events = CaseEvent.objects.filter(to_status="reunited", at__lt=month_start)
    rows = (events.annotate(month=TruncMonth("at")).values("month").annotate(n=Count("id")).order_by("month"))
    by_month = {_month(r["month"]): r["n"] for r in rows}
    if by_month:
        month = periods[-1]["to"] if periods else min(by_month)
        if periods:
            month = _next_month(month)
        last = _month(month_start - dt.timedelta(days=1))
        running = sum(n for m, n in by_month.items() if m < month)
        opened: str | None = None
        while month <= last:
            running += by_month.get(month, 0)
            opened = opened or month
            if running - total >= SUPPRESS_BELOW:
                periods.append({"from": opened, "to": month, "count": running - total, "cumulative": running})
                total, opened = running, None
            month = _next_month(month)
    counts = dict(Case.objects.order_by().values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    totals = [{"status": st.value, "count": round_to_threshold(counts.get(st.value, 0))} for st in CaseStatus]
    return {"suppressed_below": SUPPRESS_BELOW, "cutoff": cutoff.isoformat(), "periods": periods,
            "case_totals": totals}


def latest_snapshot() -> StatsSnapshot | None:
    return StatsSnapshot.objects.order_by("-published_at", "-id").first()


@transaction.atomic
def publish_snapshot(user: Actor, cutoff: dt.datetime | None = None) -> StatsSnapshot:
    """Publish Homeward's own counts as of now (mediators only; others get a 404)."""
    require_mediator(user)
    cutoff = cutoff or timezone.now()
    previous = StatsSnapshot.objects.select_for_update().order_by("-published_at", "-id").first()
    data = build_snapshot(cutoff, previous.data if previous else None)
    snap = StatsSnapshot.objects.create(published_by=access.user_of(user), cutoff=cutoff, data=data,
                                        published_at=timezone.now())
    audit.record(user, "figures_stats_published", snap)
    return snap


def verified_periods(snapshot: StatsSnapshot | None) -> list[dict[str, Any]]:
    """The published reunification periods, each with its dates, count and running total."""
    out = []
    for p in (snapshot.data.get("periods", []) if snapshot else []):
        end = period_end(p["to"])
        out.append({**p, "label": p["from"] if p["from"] == p["to"] else f"{p['from']} – {p['to']}",
                    "as_of_date": end})
    return out


def verified_reunited_by_month() -> list[dict[str, Any]]:
    """The latest snapshot's reunification periods (the name is kept for callers of the monthly table)."""
    return verified_periods(latest_snapshot())


def case_totals_by_status(snapshot: StatsSnapshot | None = None) -> list[dict[str, Any]]:
    from homeward.registry.workflow import CaseStatus

    snapshot = snapshot or latest_snapshot()
    published = {t["status"]: t["count"] for t in (snapshot.data.get("case_totals", []) if snapshot else [])}
    return [{"status": s.value, "label": s.label, "count": published.get(s.value),
             "suppressed": published.get(s.value) is None} for s in CaseStatus] if snapshot else []


def public_claims(quantity: str | None = None) -> list[Claim]:
    qs = (Claim.objects.filter(status__in=PUBLIC_STATUSES, value__isnull=False).select_related(
        "document", "organisation", "person", "person__organisation").order_by("quantity", "as_of_date", "id"))
    if quantity:
        qs = qs.filter(quantity=quantity)
    return list(qs)


def figure_rows() -> list[dict[str, Any]]:
    """Every public figure, claimed and verified, as flat rows for CSV and JSON."""
    rows: list[dict[str, Any]] = []
    for c in public_claims():
        rows.append({
            "series": "claimed", "quantity": c.quantity, "value": _num(c.value), "qualifier": c.qualifier,
            "suppressed": False, "direction": c.direction, "scope": c.scope, "as_of": c.as_of,
            "source": c.source_label, "organisation": c.organisation.name if c.organisation else "",
            "document": c.document.title, "outlet": c.document.outlet, "url": c.document.url,
            "published_on": c.document.published_on.isoformat() if c.document.published_on else "",
            "illustrative": c.document.is_demo, "definition": CLAIMED_DEFINITION.format(source=c.source_label),
        })
    snapshot = latest_snapshot()
    published_on = snapshot.published_at.date().isoformat() if snapshot else ""
    for r in verified_periods(snapshot):
        for series, value, scope, definition in (
                ("verified", r["count"], Scope.EVENT.value, VERIFIED_DEFINITION),
                ("verified_cumulative", r["cumulative"], Scope.CUMULATIVE.value, VERIFIED_CUMULATIVE_DEFINITION)):
            rows.append({
                "series": series, "quantity": Quantity.REUNITED.value, "value": value, "qualifier": "",
                "suppressed": False, "direction": "", "scope": scope, "as_of": r["to"], "period_from": r["from"],
                "period_to": r["to"], "source": VERIFIED_SOURCE, "organisation": "", "document": "", "outlet": "",
                "url": "", "published_on": published_on, "illustrative": False, "definition": str(definition),
            })
    return rows


def stats_body() -> dict[str, Any]:
    """The public JSON (page download and API): the latest snapshot's figures with its date."""
    snapshot = latest_snapshot()
    return {"suppressed_below": SUPPRESS_BELOW, "rounded_to": SUPPRESS_BELOW,
            "snapshot": ({"published_at": snapshot.published_at.isoformat(), "cutoff": snapshot.cutoff.isoformat()}
                         if snapshot else None),
            "figures": figure_rows(), "case_totals": case_totals_by_status(snapshot)}


def _num(v: Decimal | None) -> int | float | None:
    if v is None:
        return None
    return int(v) if v == v.to_integral_value() else float(v)


@dataclass
class Series:
    label: str
    definition: str
    points: list[tuple[dt.date, float, str]]  # date, value, tooltip
    verified: bool = False
    markers_only: bool = False  # single events: points, not a line
    notes: list[str] = field(default_factory=list)


VERIFIED_CUMULATIVE_LABEL = gettext_lazy("Homeward (verified, cumulative)")
VERIFIED_CUMULATIVE_DEFINITION = gettext_lazy(
    "Homeward's own verified count: all cases in the registry moved to the status 'reunited' (registry case "
    "events) up to the end of each published period of the latest snapshot; each step is one period of at "
    "least 5.")
EVENTS_SUFFIX = gettext_lazy("single events")


_LATEST: Any = object()  # "the latest snapshot, read now" (a caller that has read it passes it, or None)


def _of_quantity(quantity: str, claims: Iterable[Claim] | None) -> list[Claim]:
    """``public_claims(quantity)``, or the claims of ``quantity`` among ``claims`` already read (same order)."""
    return public_claims(quantity) if claims is None else [c for c in claims if c.quantity == quantity]


def verified_cumulative_points(snapshot: StatsSnapshot | None = _LATEST) -> list[tuple[dt.date, int]]:
    """The latest snapshot's running totals at the end of each published period."""
    points = []
    for p in verified_periods(latest_snapshot() if snapshot is _LATEST else snapshot):
        if p["as_of_date"] is not None:
            points.append((p["as_of_date"], int(p["cumulative"])))
    return points


def timeline(quantity: str, claims: Iterable[Claim] | None = None,
             snapshot: StatsSnapshot | None = _LATEST) -> list[Series]:
    """Claimed figures over time, one series per claimant (totals as lines, single events as points),
    beside Homeward's verified cumulative count. ``claims`` and ``snapshot``: the public claims and the latest
    snapshot when the caller has read them already (the statistics page: once for all its sections)."""
    by_source: dict[tuple[str, str], Series] = {}
    for c in _of_quantity(quantity, claims):
        if c.as_of_date is None or c.value is None:
            continue
        label = c.source_label or "?"
        event = c.scope == Scope.EVENT
        key = (label, c.scope)
        if key not in by_source:
            by_source[key] = Series(f"{label} ({EVENTS_SUFFIX})" if event else label,
                                    CLAIMED_DEFINITION.format(source=label), [], markers_only=event)
        tip = f"{c.qualifier + ' ' if c.qualifier else ''}{_num(c.value):,} — {c.as_of} — {c.document.title}"
        by_source[key].points.append((c.as_of_date, float(c.value), tip))
    series = sorted(by_source.values(), key=lambda s: (s.markers_only, s.label))
    if quantity in (Quantity.REUNITED, Quantity.RETURNED):
        points = [(d, float(n), f"{n} — {d.isoformat()}") for d, n in verified_cumulative_points(snapshot)]
        series.append(Series(str(VERIFIED_CUMULATIVE_LABEL), str(VERIFIED_CUMULATIVE_DEFINITION), points,
                             verified=True))
    return series


# --- who says what ----------------------------------------------------------------------------------------

QUALIFIER_SIGNS = {"about": "~", "nearly": "≈", "more than": ">", "at least": "≥", "up to": "≤", "less than": "<",
                   "just under": "<", "approaching": "≈", "as many as": "≤"}


@dataclass
class Voice:
    """One claimant's figures for a quantity, oldest first; ``latest`` is what they say now."""

    label: str
    country: str
    claims: list[Claim]

    @property
    def latest(self) -> Claim:
        return self.claims[-1]


def figure_text(c: Claim) -> str:
    sign = QUALIFIER_SIGNS.get(c.qualifier, "")
    value = _num(c.value)
    return f"{sign}{value:,}" if value is not None else "—"


def dispute(quantity: str, claims: Iterable[Claim] | None = None) -> list[Voice]:
    """The same quantity from different claimants side by side: one voice per claimant (person, organisation
    or claimant text), each with its figures over time; voices ordered by their latest as-of date."""
    voices: dict[str, Voice] = {}
    for c in _of_quantity(quantity, claims):
        label = c.source_label or "?"
        country = (c.organisation.country if c.organisation else "") or (
            c.person.organisation.country if c.person and c.person.organisation else "")
        voices.setdefault(label, Voice(label, country, [])).claims.append(c)
    for v in voices.values():
        v.claims.sort(key=lambda c: (c.as_of_date or dt.date.min, c.pk))
    return sorted(voices.values(), key=lambda v: (v.latest.as_of_date or dt.date.min), reverse=True)


def visible_claim(user: Viewer | None, pk: int) -> Claim:
    """A claim's page: public claims for everyone, any claim for mediators; else not found."""
    claim = Claim.objects.select_related("document", "organisation", "person", "person__organisation").filter(
        pk=pk).first()
    access.require(claim is not None and (claim.is_public or access.is_mediator(user)))
    assert claim is not None
    return claim


STEP_LABELS = {
    "sentence": gettext_lazy("Sentence"), "number": gettext_lazy("Number"), "noun": gettext_lazy("What is counted"),
    "event": gettext_lazy("Event"), "quantity": gettext_lazy("Quantity"), "claimant": gettext_lazy("Claimant"),
    "as_of": gettext_lazy("As of"), "scope": gettext_lazy("Scope"), "direction": gettext_lazy("Direction"),
}


def why(claim: Claim) -> dict[str, Any]:
    """The extractor's trace of a claim, with translated step names (empty for claims made before traces)."""
    trace = (claim.extracted or {}).get("trace") or {}
    steps = [{"label": STEP_LABELS.get(s.get("step", ""), s.get("step", "")), "note": s.get("note", "")}
             for s in trace.get("steps", [])]
    dropped = [{"text": d.get("text", ""), "reason": d.get("reason", "")} for d in trace.get("dropped", [])]
    return {"steps": steps, "dropped": dropped}
