"""The review queue: mediator roles only; everyone else gets 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from homeward import access
from homeward.access import AuthedRequest, page
from homeward.accounts import audit
from homeward.exceptions import InputError
from homeward.jobs.worker import running as worker_running
from homeward.linkage import services
from homeward.linkage.models import Decision, ModelVersion, RunKind
from homeward.registry.models import Child, TracingRequest
from homeward.ui.rows import review_rows

mediator_only = page(access.is_mediator)


def describe(kind: str, pk: int) -> Any:
    """The record a candidate side points to (for display to mediators)."""
    if kind == "list_entry":  # a name on an exchanged list (homeward.exchange)
        from homeward.exchange.models import ListEntry

        return ListEntry.objects.filter(pk=pk).first()
    model: Any = {"child": Child, "tracing_request": TracingRequest}.get(kind)
    return model.objects.filter(pk=pk).first() if model else None


def describe_many(refs: list[tuple[str, int]]) -> dict[tuple[str, int], Any]:
    """The records of many candidate sides at once: one query per record type, whatever the number of pairs."""
    from homeward.exchange.models import ListEntry

    models: dict[str, Any] = {"child": Child, "tracing_request": TracingRequest, "list_entry": ListEntry}
    found: dict[tuple[str, int], Any] = {}
    for kind, model in models.items():
        ids = {pk for k, pk in refs if k == kind}
        if ids:
            found.update(((kind, obj.pk), obj) for obj in model.objects.filter(pk__in=ids))
    return found


RECORD_TYPES = {"child": _lazy("Registered child"), "tracing_request": _lazy("Tracing request"),
                "list_entry": _lazy("Name on an exchanged list")}
SKIPPED = "linkage_skipped"
"""Session key: the pairs this reviewer skipped in this sitting (the queue offers them again next sitting)."""


def side(kind: str, pk: int) -> dict[str, Any]:
    """One side of a pair for the review page: the record, a link to it and its case status."""
    rec = describe(kind, pk)
    info: dict[str, Any] = {"kind": kind, "pk": pk, "type": RECORD_TYPES.get(kind, kind), "rec": rec,
                            "url": "", "status": ""}
    if rec is None:
        return info
    if kind == "child":
        info["url"] = reverse("child_detail", args=[pk])
        case = getattr(rec, "case", None)
        info["status"] = case.get_status_display() if case else _("No case open")
    elif kind == "tracing_request":
        info["url"] = reverse("tracing_detail", args=[pk])
        info["status"] = rec.get_status_display()
        case = getattr(rec.child, "case", None) if rec.child_id else None
        if case:
            info["status"] = f"{info['status']} · {case.get_status_display()}"
    elif kind == "list_entry":
        info["url"] = reverse("exchange:version", args=[rec.version_id])
        info["status"] = _("Matched to a registered child") if rec.child_id else _("Not matched yet")
    return info


def ordered_reasons(reasons: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The explanation strongest evidence first (largest absolute weight), each with its share of the bar."""
    top = max([abs(float(r.get("weight", 0))) for r in reasons] + [1.0])
    out = sorted(reasons, key=lambda r: -abs(float(r.get("weight", 0))))
    return [{**r, "bar": round(100 * abs(float(r.get("weight", 0))) / top)} for r in out]


def _skipped(request: AuthedRequest) -> list[int]:
    return [int(x) for x in request.session.get(SKIPPED, [])][-500:]


def _to_next(request: AuthedRequest) -> HttpResponse:
    following = services.next_pending(access.candidates(request.user), _skipped(request))
    if following is None:
        messages.info(request, _("No more pairs to review. Pairs you skipped are offered again next time."))
        request.session[SKIPPED] = []
        return redirect("linkage:review")
    return redirect("linkage:candidate", following.pk)


@mediator_only
def next_pair(request: AuthedRequest) -> HttpResponse:
    """Start (or go on with) a sitting: the next pending pair."""
    return _to_next(request)


@mediator_only
@require_POST
def skip(request: AuthedRequest, pk: int) -> HttpResponse:
    candidate = access.get(access.candidates(request.user), pk)
    request.session[SKIPPED] = [*_skipped(request), candidate.pk]
    return _to_next(request)


@mediator_only
def queue(request: AuthedRequest) -> HttpResponse:
    state = request.GET.get("state", "pending")
    qs = services.review_order(access.candidates(request.user).filter(
        decision=state if state in Decision.values else "pending"))
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    pairs = list(page)
    records = describe_many([ref for c in pairs for ref in ((c.left_type, c.left_id), (c.right_type, c.right_id))])
    rows = [(c, records.get((c.left_type, c.left_id)), records.get((c.right_type, c.right_id)),
             ordered_reasons(c.reasons)[:2]) for c in pairs]
    return render(request, "linkage/queue.html", {
        "page": page, "rows": review_rows(rows, access.is_mediator(request.user)), "state": state,
        "states": Decision.choices,
        "runs": access.runs(request.user)[:5], "query": f"state={state}",
    })


@mediator_only
def candidate_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    candidate = access.get(access.candidates(request.user), pk)
    audit.record(request.user, "view", candidate)
    left, right = side(candidate.left_type, candidate.left_id), side(candidate.right_type, candidate.right_id)
    pending = access.candidates(request.user).filter(decision=Decision.PENDING)
    rivals = []
    if candidate.ambiguity_group:
        same_left = candidate.ambiguity_group.startswith("left:")
        for other in access.candidates(request.user).filter(
                ambiguity_group=candidate.ambiguity_group, run_id=candidate.run_id).exclude(pk=candidate.pk):
            rivals.append({"c": other, "side": side(other.right_type, other.right_id) if same_left
                           else side(other.left_type, other.left_id)})
    return render(request, "linkage/candidate.html", {
        "rivals": rivals, "rival_side": "right" if candidate.ambiguity_group.startswith("left:") else "left",
        "c": candidate, "left": left, "right": right, "reasons": ordered_reasons(candidate.reasons),
        "links_case": candidate.left_type == "tracing_request" and candidate.right_type == "child",
        "remaining": pending.exclude(pk=candidate.pk).count()})


@mediator_only
@require_POST
def decide(request: AuthedRequest, pk: int) -> HttpResponse:
    candidate = access.get(access.candidates(request.user), pk)
    try:
        services.decide(request.user, candidate, request.POST.get("decision", ""), request.POST.get("reason", ""))
    except InputError as exc:
        messages.error(request, " ".join(m for msgs in exc.errors.values() for m in msgs))
        return redirect("linkage:candidate", pk)
    messages.success(request, _("Decision recorded."))
    return _to_next(request)


@mediator_only
@require_POST
def start_run(request: AuthedRequest) -> HttpResponse:
    kind = request.POST.get("kind", RunKind.TRACING_VS_REGISTRY)
    access.require(kind in (RunKind.TRACING_VS_REGISTRY, RunKind.REGISTRY_DEDUPE))
    run = services.start(request.user, kind)
    return redirect("linkage:run", run.pk)


@mediator_only
def run_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    run = access.get(access.runs(request.user), pk)
    template = "linkage/_run_progress.html" if request.headers.get("HX-Request") else "linkage/run.html"
    return render(request, template, {"run": run, "no_worker": run.status == "queued" and not worker_running()})


def _learning(current: ModelVersion | None) -> dict[str, Any]:
    """How many labels the current model rests on, and how many decisions it has not learnt from yet."""
    rests_on = services.label_counts(current.labels.all()) if current is not None else services.label_counts(
        services.labels().none())
    waiting = services.new_labels(current).count()
    return {"rests_on": rests_on, "rests_on_total": sum(rests_on.values()), "waiting": waiting,
            "refit_every": services.REFIT_EVERY, "until_refit": max(services.REFIT_EVERY - waiting, 0)}


@mediator_only
def models_list(request: AuthedRequest) -> HttpResponse:
    """Model versions with their lineage, the learning view, and rollback."""
    versions = list(access.model_versions(request.user).select_related("run", "parent").annotate(
        n_labels=Count("labels"))[:50])
    current = versions[0] if versions else None
    return render(request, "linkage/models.html", {"versions": versions, "current": current,
                                                   "learning": _learning(current)})


CHART_HALF = 160.0


@mediator_only
def model_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """A model's parameters and a chart of its match weights (bits), positive right, negative left."""
    import json

    from homeward.linkage import learning

    version = access.get(access.model_versions(request.user), pk)
    rows = learning.parameters(json.loads(version.model_json))
    top = max([abs(r["weight"]) for r in rows if r["weight"] is not None] + [1.0])
    for i, r in enumerate(rows):
        w = r["weight"] or 0.0
        length = CHART_HALF * abs(w) / top
        r.update(y=20 * i, x=CHART_HALF if w >= 0 else CHART_HALF - length, width=round(length, 1),
                 positive=w >= 0)
    current = services.current_model()
    return render(request, "linkage/model.html", {
        "v": version, "rows": rows, "chart_height": 20 * len(rows), "chart_width": 2 * CHART_HALF,
        "half": CHART_HALF, "is_current": current is not None and current.pk == version.pk,
        "report": version.report})


@mediator_only
@require_POST
def model_rollback(request: AuthedRequest, pk: int) -> HttpResponse:
    version = access.get(access.model_versions(request.user), pk)
    made = services.rollback(request.user, version)
    messages.success(request, _("The earlier model is current again (version %(v)s).") % {"v": made.version})
    return redirect("linkage:models")
