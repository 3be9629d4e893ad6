"""Linkage routes: runs and the review queue (mediator roles only; 404 for everyone else)."""

import datetime as dt
from typing import Any, Literal

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from homeward.linkage import services
from homeward.linkage.models import Candidate, MatchRun

router = Router(tags=["linkage"])


class ReasonOut(Schema):
    comparison: str
    level: str
    weight: float


class CandidateOut(Schema):
    id: int
    left_type: str
    left_id: int
    right_type: str
    right_id: int
    match_probability: float
    match_weight: float
    reasons: list[ReasonOut]
    decision: str
    reason: str


class RunOut(Schema):
    id: int
    kind: str
    status: str
    stage: str
    progress: float
    model_version: str
    created_at: dt.datetime
    finished_at: dt.datetime | None
    stats: dict[str, Any]


class DecisionIn(Schema):
    decision: Literal["same", "different", "unsure"]
    reason: str = Field("", max_length=2000)


def _mediator(request: HttpRequest) -> None:
    if not request.user.is_mediator:  # type: ignore[union-attr]
        raise Http404


@router.get("/candidates", response=list[CandidateOut])
@paginate(LimitOffsetPagination)
def list_candidates(request: HttpRequest, decision: str = "pending") -> Any:
    _mediator(request)
    return Candidate.objects.filter(decision=decision)


@router.get("/candidates/{candidate_id}", response=CandidateOut)
def get_candidate(request: HttpRequest, candidate_id: int) -> Candidate:
    _mediator(request)
    return get_object_or_404(Candidate, pk=candidate_id)


@router.post("/candidates/{candidate_id}/decision", response=CandidateOut)
def decide(request: HttpRequest, candidate_id: int, payload: DecisionIn) -> Candidate:
    """Record same / different / unsure with a reason; a confirmed pair links the records."""
    _mediator(request)
    candidate = get_object_or_404(Candidate, pk=candidate_id)
    return services.decide(request.user, candidate, payload.decision, payload.reason)


@router.post("/runs", response={202: RunOut})
def start_run(request: HttpRequest) -> tuple[int, MatchRun]:
    """Match open tracing requests against the registry, in the background; poll the run for progress."""
    _mediator(request)
    return 202, services.start(request.user)


@router.get("/runs/{run_id}", response=RunOut)
def get_run(request: HttpRequest, run_id: int) -> MatchRun:
    _mediator(request)
    return get_object_or_404(MatchRun, pk=run_id)
