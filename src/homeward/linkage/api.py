"""Linkage routes: runs and the review queue (mediator roles only; 404 for everyone else)."""

import datetime as dt
from typing import Any, Literal

from ninja import Field, Router, Status
from ninja.pagination import paginate

from homeward import access
from homeward.access import AuthedRequest
from homeward.linkage import services
from homeward.linkage.models import Candidate, MatchRun
from homeward.pagination import Pagination
from homeward.schema import Schema

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
    attempts: int = Field(description="Starts by a worker; above 1 the run was retried after a worker stopped.")
    error: str


class DecisionIn(Schema):
    decision: Literal["same", "different", "unsure"]
    reason: str = Field("", max_length=2000)


def _mediator(request: AuthedRequest) -> None:
    access.require(access.is_mediator(request.user))


@router.get("/candidates", response=list[CandidateOut])
@paginate(Pagination)
def list_candidates(request: AuthedRequest, decision: str = "pending") -> Any:
    _mediator(request)
    return access.candidates(request.user).filter(decision=decision)


@router.get("/candidates/{candidate_id}", response=CandidateOut)
def get_candidate(request: AuthedRequest, candidate_id: int) -> Candidate:
    _mediator(request)
    return access.get(access.candidates(request.user), candidate_id)


@router.post("/candidates/{candidate_id}/decision", response=CandidateOut)
def decide(request: AuthedRequest, candidate_id: int, payload: DecisionIn) -> Candidate:
    """Record same / different / unsure with a reason; a confirmed pair links the records."""
    _mediator(request)
    candidate = access.get(access.candidates(request.user), candidate_id)
    return services.decide(request.user, candidate, payload.decision, payload.reason)


@router.post("/runs", response={202: RunOut})
def start_run(request: AuthedRequest) -> Status[MatchRun]:
    """Match open tracing requests against the registry, in the background; poll the run for progress."""
    _mediator(request)
    return Status(202, services.start(request.user))


@router.get("/runs/{run_id}", response=RunOut)
def get_run(request: AuthedRequest, run_id: int) -> MatchRun:
    _mediator(request)
    return access.get(access.runs(request.user), run_id)
