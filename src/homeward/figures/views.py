"""Pages: the public statistics page and its downloads, the sources registry, the review, timelines."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from homeward import access, exports
from homeward.access import AuthedRequest
from homeward.accounts import audit
from homeward.exceptions import InputError
from homeward.figures import services
from homeward.figures.forms import DocumentForm
from homeward.figures.models import Claim, ClaimStatus, Document, Quantity, Scope
from homeward.figures.svg import line_chart
from homeward.ui import rows as ui_rows

CSV_FIELDS = ["series", "quantity", "value", "qualifier", "suppressed", "direction", "scope", "as_of", "source",
              "organisation", "document", "outlet", "url", "published_on", "illustrative", "definition"]


def _chart(quantity: str, claims: list[Claim] | None = None, snapshot: Any = services._LATEST) -> dict[str, Any]:
    label = Quantity(quantity).label
    series = services.timeline(quantity, claims, snapshot)
    svg = mark_safe(line_chart(series, str(label), empty_text=_("No figures yet."),  # noqa: S308 - escaped in svg.py
                               rtl=translation.get_language_bidi()))
    return {"svg": svg, "series": series}


def stats(request: HttpRequest) -> HttpResponse:
    """Public: aggregates only, every figure with its source and as-of date, small cells suppressed."""
    claims = services.public_claims()
    latest: dict[str, list[Claim]] = {}
    for c in claims:
        latest.setdefault(c.quantity, []).append(c)
    def newest_first(c: Claim) -> dt.date:
        return c.as_of_date or c.document.published_on or c.document.created_at.date()

    snapshot = services.latest_snapshot()  # the claims and the snapshot read once for every section
    sections = [{"quantity": q, "label": q.label,  # rendered in Python (ui.rows): ~300 calls a claim as markup
                 "dispute": ui_rows.dispute(services.dispute(q.value, claims)),
                 "claim_rows": ui_rows.claim_rows(sorted(latest.get(q.value, []), key=newest_first, reverse=True))}
                for q in Quantity if latest.get(q.value)]
    return render(request, "figures/stats.html", {
        "sections": sections,
        "snapshot": snapshot,
        "verified": services.verified_periods(snapshot),
        "totals": services.case_totals_by_status(snapshot) if snapshot is not None else [],
        "threshold": services.SUPPRESS_BELOW,
        "verified_definition": services.VERIFIED_DEFINITION,
        "chart": _chart(Quantity.REUNITED, claims, snapshot),
        "chart_returned": _chart(Quantity.RETURNED, claims, snapshot),
        "any_demo": any(c.document.is_demo for c in claims),
    })


def stats_csv(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="homeward-figures.csv"'
    writer = exports.csv_dict_writer(response, CSV_FIELDS, extrasaction="ignore")
    writer.writeheader()
    for row in services.figure_rows():
        writer.writerow({k: ("" if v is None else v) for k, v in row.items()})
    return response


def stats_json(request: HttpRequest) -> HttpResponse:
    body = services.stats_body()
    response = HttpResponse(json.dumps(body, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1),
                            content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="homeward-figures.json"'
    return response


@login_required
def timeline(request: AuthedRequest, quantity: str) -> HttpResponse:
    access.require(quantity in Quantity.values)
    series = services.timeline(quantity)
    return render(request, "figures/timeline.html", {
        "quantity": Quantity(quantity), "quantities": Quantity.choices, "series": series,
        "voices": services.dispute(quantity),
        "chart": mark_safe(line_chart(series, str(Quantity(quantity).label),  # noqa: S308 - escaped in svg.py
                                      empty_text=_("No figures yet."), rtl=translation.get_language_bidi())),
    })


@login_required
def documents(request: AuthedRequest) -> HttpResponse:
    services.require_mediator(request.user)
    form = DocumentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        doc = services.add_document(request.user, title=d["title"], text=d["text"], outlet=d["outlet"],
                                    url=d["url"], language=d["language"], published_on=d["published_on"])
        messages.success(request, _("Document added; %(n)d claim(s) found for review.") % {"n": doc.claims.count()})
        return redirect("figures:review", pk=doc.pk)
    docs = Document.objects.annotate(n_extracted=Count("claims", filter=Q(claims__status=ClaimStatus.EXTRACTED)),
                                     n_claims=Count("claims"))
    rows = [(doc, doc.n_extracted, doc.n_claims) for doc in docs[:200]]
    return render(request, "figures/documents.html", {"rows": rows, "form": form},
                  status=422 if form.is_bound and form.errors else 200)


def _highlighted(doc: Document, claims: list[Claim]) -> str:
    from html import escape

    parts, pos = [], 0
    for c in sorted(claims, key=lambda c: c.start):
        if c.start < pos or c.end > len(doc.text) or c.end <= c.start:
            continue
        parts.append(escape(doc.text[pos:c.start]))
        parts.append(f'<mark id="span-{c.pk}" class="claim-{escape(c.status)}">{escape(doc.text[c.start:c.end])}'
                     f'<sup><a href="#claim-{c.pk}">{c.pk}</a></sup></mark>')
        pos = c.end
    parts.append(escape(doc.text[pos:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece escaped above


@login_required
def review(request: AuthedRequest, pk: int) -> HttpResponse:
    services.require_mediator(request.user)
    doc = access.get(Document.objects.all(), pk)
    claims = list(doc.claims.select_related("organisation", "person", "reviewed_by"))
    audit.record(request.user, "figures_review_view", doc)
    return render(request, "figures/review.html", {
        "doc": doc, "claims": claims, "text": _highlighted(doc, claims), "quantities": Quantity.choices,
        "scopes": Scope.choices, "qualifiers": services.QUALIFIERS, "directions": services.DIRECTIONS,
        "errors": {},
    })


@login_required
@require_POST
def review_claim(request: AuthedRequest, pk: int) -> HttpResponse:
    services.require_mediator(request.user)
    claim = access.get(Claim.objects.select_related("document"), pk)
    action = request.POST.get("action", "")
    try:
        services.review_claim(request.user, claim, action, request.POST)
    except InputError as exc:
        doc = claim.document
        claims = list(doc.claims.select_related("organisation", "person", "reviewed_by"))
        return render(request, "figures/review.html", {
            "doc": doc, "claims": claims, "text": _highlighted(doc, claims), "quantities": Quantity.choices,
            "scopes": Scope.choices, "qualifiers": services.QUALIFIERS, "directions": services.DIRECTIONS,
            "errors": {claim.pk: exc.errors}, "posted": request.POST,
        }, status=422)
    messages.success(request, _("Claim %(id)d: %(status)s.") % {"id": claim.pk, "status": claim.get_status_display()})
    return redirect(f"{request.build_absolute_uri(_review_url(claim.document_id))}#claim-{claim.pk}")


def _review_url(doc_id: Any) -> str:
    from django.urls import reverse

    return reverse("figures:review", args=[doc_id])


@login_required
def snapshots(request: AuthedRequest) -> HttpResponse:
    """Mediators: the dated snapshots of the public statistics, and publishing a new one."""
    services.require_mediator(request.user)
    if request.method == "POST":
        snap = services.publish_snapshot(request.user)
        messages.success(request, _("Statistics published as of %(date)s.") % {
            "date": snap.published_at.strftime("%Y-%m-%d %H:%M")})
        return redirect("figures:snapshots")
    from homeward.figures.models import StatsSnapshot

    return render(request, "figures/snapshots.html", {
        "snapshots": StatsSnapshot.objects.select_related("published_by")[:100],
        "threshold": services.SUPPRESS_BELOW,
    })


def claim_page(request: HttpRequest, pk: int) -> HttpResponse:
    """A claim and its quote, with "why this claim": the extractor's decisions and the numbers it dropped."""
    claim = services.visible_claim(request.user, pk)
    doc = claim.document
    quote = doc.text[claim.start:claim.end] if 0 <= claim.start < claim.end <= len(doc.text) else ""
    sentence = claim.sentence
    at = sentence.find(quote) if quote else -1
    return render(request, "figures/claim.html", {
        "claim": claim, "doc": doc, "why": services.why(claim), "figure": services.figure_text(claim),
        "before": sentence[:at] if at >= 0 else sentence, "quote": quote if at >= 0 else "",
        "after": sentence[at + len(quote):] if at >= 0 else "",
    })
