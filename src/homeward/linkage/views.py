"""The review queue: mediator roles only; everyone else gets 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from homeward import access
from homeward.access import AuthedRequest, page
from homeward.accounts import audit
from homeward.exceptions import InputError
from homeward.jobs.worker import running as worker_running
from homeward.linkage import services
from homeward.linkage.models import Decision, RunKind
from homeward.registry.models import Child, TracingRequest

mediator_only = page(access.is_mediator)


def describe(kind: str, pk: int) -> Any:
    """The record a candidate side points to (for display to mediators)."""
    if kind == "list_entry":  # a name on an exchanged list (homeward.exchange)
        from homeward.exchange.models import ListEntry

        return ListEntry.objects.filter(pk=pk).first()
    model: Any = {"child": Child, "tracing_request": TracingRequest}.get(kind)
    return model.objects.filter(pk=pk).first() if model else None


@mediator_only
def queue(request: AuthedRequest) -> HttpResponse:
    state = request.GET.get("state", "pending")
    qs = access.candidates(request.user).filter(decision=state if state in Decision.values else "pending")
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    rows = [(c, describe(c.left_type, c.left_id), describe(c.right_type, c.right_id)) for c in page]
    return render(request, "linkage/queue.html", {
        "page": page, "rows": rows, "state": state, "states": Decision.choices,
        "runs": access.runs(request.user)[:5], "query": f"state={state}",
    })


@mediator_only
def candidate_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    candidate = access.get(access.candidates(request.user), pk)
    audit.record(request.user, "view", candidate)
    left, right = describe(candidate.left_type, candidate.left_id), describe(candidate.right_type, candidate.right_id)
    return render(request, "linkage/candidate.html", {"c": candidate, "left": left, "right": right,
                                                      "max_weight": max([abs(r["weight"]) for r in candidate.reasons]
                                                                        + [1])})


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
    return redirect("linkage:review")


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
