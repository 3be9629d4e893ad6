"""Continuous matching: every new or changed child or tracing request is matched, in the background,
against the other side's records and the open tracing requests; likely pairs go to the mediator's queue.

    continuous.queue(child)       # in the save's transaction (registry.services does it on every write)

The job (:func:`match_record`, on the task queue of ``homeward.jobs``) looks a record's candidates up in the
name-key index and by birth date (``registry.duplicates.candidate_ids``), scores them with the matcher's
model (``registry.scoring``, the duplicate warning's scorer) and, for each pair at or above the review
threshold (``linkage.services.REVIEW_THRESHOLD``):

* a new pair becomes a pending ``linkage.Candidate`` (no run) in the mediator's review queue;
* a pending pair gets the new score and explanation;
* a pair a reviewer already judged is never proposed again, unless its *evidence* changed: the comparison
  levels it took (``Score.evidence``), kept as a SHA-256 digest in ``registry.PairEvidence`` (never the
  values). A judged pair whose digest changed is re-opened (back to pending); a pair confirmed as the same
  child stays confirmed.

What is matched against what ("the other side" is every party other than the record's own):

======================  ===============================================================================
record                  targets
======================  ===============================================================================
child                   the other side's children; open tracing requests (any party) not linked to it;
                        names on the other side's latest list versions not linked to it
tracing request (open)  children of any party; names on the other side's latest list versions
======================  ===============================================================================

A list import matches its names in one matching run (``exchange.matching.match_version``), against the
same targets; that run skips judged pairs the same way.

Nothing here is ever shown to a party: the officer's request returns before the job runs (with the queue
on), and only mediator roles read the review queue (``access.candidates``). Off in the test suite unless a
test turns ``settings.CONTINUOUS_MATCHING`` on.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from homeward import jobs
from homeward.registry.models import Child, PairEvidence, TracingRequest

log = logging.getLogger(__name__)

CHILD, TRACING, ENTRY = "child", "tracing_request", "list_entry"
#: The order of a pair's two sides in the review queue (as the batch runs write them): a list name, then a
#: tracing request, then a child; two records of one type by id.
_SIDE_ORDER = {ENTRY: 0, TRACING: 1, CHILD: 2}


def enabled() -> bool:
    return bool(getattr(settings, "CONTINUOUS_MATCHING", True))


def _kind_of(obj: Any) -> str | None:
    if isinstance(obj, Child):
        return CHILD
    if isinstance(obj, TracingRequest):
        return TRACING
    return None


def queue(obj: Any) -> None:
    """Queue continuous matching of a just saved child or tracing request (inside the save's transaction,
    so it is queued if and only if the save commits). With the queue off (tests), it runs at once in a
    savepoint: matching is advisory, and a failure of it never undoes the save."""
    kind = _kind_of(obj)
    if kind is None or obj.pk is None or not enabled():
        return
    if getattr(settings, "BACKGROUND_JOBS", True):
        jobs.enqueue(match_record, kind, obj.pk)
        return
    try:
        with transaction.atomic():
            jobs.enqueue(match_record, kind, obj.pk)
    except Exception as exc:  # advisory: the save stands
        log.warning("event=continuous_match_failed kind=%s id=%s exc=%s", kind, obj.pk, type(exc).__name__)


# --- the pairs --------------------------------------------------------------------------------------


def digest(evidence: Iterable[tuple[str, str]]) -> str:
    """SHA-256 of a pair's comparison levels (order-free): what says whether its evidence changed."""
    text = json.dumps(sorted({(str(c), str(lv)) for c, lv in evidence}), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _reasons_digest(reasons: Sequence[dict[str, Any]]) -> str:
    """The digest of a stored explanation (what a reviewer judged), on the comparisons the scorer knows (a
    batch run may add an identifier column that records here have not)."""
    from homeward.linkage.core.model import COMPARISON_TITLES

    known = set(COMPARISON_TITLES.values())
    return digest((r.get("comparison", ""), r.get("level", "")) for r in reasons if r.get("comparison") in known)


def _judged_digests(candidate: Any, evidence: PairEvidence | None) -> set[str]:
    """The evidence a judged pair was judged on: its stored explanation, and what continuous matching saw of
    it since the decision."""
    out = {_reasons_digest(candidate.reasons)}
    if evidence is not None and candidate.decided_at is not None and evidence.updated_at >= candidate.decided_at:
        out.add(evidence.digest)
    return out


def ordered(a: tuple[str, int], b: tuple[str, int]) -> tuple[tuple[str, int], tuple[str, int]]:
    """The two sides of a pair in review-queue order (left, right)."""
    return (a, b) if (_SIDE_ORDER.get(a[0], 9), a[1]) <= (_SIDE_ORDER.get(b[0], 9), b[1]) else (b, a)


@dataclass
class Outcome:
    """What one continuous match did (counts only: it goes to the logs)."""

    scored: int = 0
    proposed: int = 0
    updated: int = 0
    reopened: int = 0
    kept_judged: int = 0


def _latest_entries(excluded_party_id: int | None) -> QuerySet[Any]:
    """Names on the latest version of every list not submitted by ``excluded_party_id``."""
    from django.db.models import Max, OuterRef, Subquery

    from homeward.exchange.models import ListEntry, ListVersion

    latest = ListVersion.objects.filter(party_list=OuterRef("version__party_list")).values(
        "party_list").annotate(n=Max("number")).values("n")
    qs = ListEntry.objects.filter(version__number=Subquery(latest))
    if excluded_party_id is not None:
        qs = qs.exclude(version__party_list__party_id=excluded_party_id)
    return qs


def targets(obj: Any) -> list[tuple[str, QuerySet[Any]]]:
    """The scopes a record is matched against (see the module's table)."""
    kind = _kind_of(obj)
    if kind == CHILD:
        return [(CHILD, Child.objects.exclude(party_id=obj.party_id).exclude(pk=obj.pk)),
                (TRACING, TracingRequest.objects.filter(status="open").filter(
                    Q(child__isnull=True) | ~Q(child_id=obj.pk))),
                (ENTRY, _latest_entries(obj.party_id).filter(Q(child__isnull=True) | ~Q(child_id=obj.pk)))]
    if kind == TRACING and obj.status == "open":
        scope: QuerySet[Any] = Child.objects.all()
        if obj.child_id:
            scope = scope.exclude(pk=obj.child_id)
        return [(CHILD, scope), (ENTRY, _latest_entries(obj.party_id))]
    return []


def _load(kind: str, pk: int) -> Any:
    model: Any = {CHILD: Child, TRACING: TracingRequest}[kind]
    return model.objects.filter(pk=pk).first()


def match(kind: str, pk: int) -> Outcome:
    """Match one record now (what the job does); idempotent, so a job run twice changes nothing more."""
    from homeward.registry import duplicates, scoring, search

    out = Outcome()
    obj = _load(kind, pk)
    if obj is None:
        return out
    rows = duplicates.description_of(obj)
    if not any(r["given_name"] or r["surname"] for r in rows):
        return out
    threshold = _threshold()
    model, size = duplicates.current_model(), duplicates.registry_size()
    mine = [scoring.features_of(r) for r in rows]
    found: list[tuple[str, int, scoring.Score]] = []
    with search.shared_lookups():  # the same names in every scope: their index values read once
        scopes = [(target_kind, scope, duplicates.candidate_ids(scope, rows)) for target_kind, scope in targets(obj)]
    for target_kind, scope, ids in scopes:
        if not ids:
            continue
        qs = scope.model.objects.filter(pk__in=ids)
        if target_kind == CHILD:
            qs = qs.prefetch_related("name_forms")
        for other in qs:
            best = model.best(mine, [scoring.features_of(r) for r in duplicates.description_of(other)], size)
            out.scored += 1
            if best.match_probability >= threshold:
                found.append((target_kind, other.pk, best))
    with transaction.atomic():
        for target_kind, other_pk, score in found:
            _propose((kind, pk), (target_kind, other_pk), score, out)
        if out.proposed + out.reopened:
            from homeward.notifications import services as notifications

            notifications.pairs_proposed(out.proposed + out.reopened)  # one a day per mediator, counted up
    log.info("event=continuous_match kind=%s id=%s scored=%d proposed=%d updated=%d reopened=%d kept=%d",
             kind, pk, out.scored, out.proposed, out.updated, out.reopened, out.kept_judged)
    return out


def _threshold() -> float:
    from homeward.linkage.services import REVIEW_THRESHOLD

    return float(getattr(settings, "CONTINUOUS_MATCHING_THRESHOLD", REVIEW_THRESHOLD))


def _reasons(score: Any) -> list[dict[str, Any]]:
    return [{"comparison": r.comparison, "level": r.level, "weight": round(r.weight, 2)} for r in score.reasons]


def _propose(a: tuple[str, int], b: tuple[str, int], score: Any, out: Outcome) -> None:
    from homeward.linkage.models import Candidate, Decision

    (lt, li), (rt, ri) = ordered(a, b)
    new_digest = digest(score.evidence())
    existing = (Candidate.objects.select_for_update()
                .filter(Q(left_type=lt, left_id=li, right_type=rt, right_id=ri)
                        | Q(left_type=rt, left_id=ri, right_type=lt, right_id=li)).first())
    evidence = PairEvidence.objects.filter(left_type=lt, left_id=li, right_type=rt, right_id=ri).first()
    fields = {"match_probability": score.match_probability, "match_weight": score.match_weight,
              "reasons": _reasons(score)}
    if existing is None:
        Candidate.objects.create(left_type=lt, left_id=li, right_type=rt, right_id=ri, run=None, **fields)
        out.proposed += 1
    elif existing.decision == Decision.PENDING:
        Candidate.objects.filter(pk=existing.pk).update(**fields)
        out.updated += 1
    elif existing.decision == Decision.SAME or new_digest in _judged_digests(existing, evidence):
        out.kept_judged += 1  # judged on this evidence (or confirmed): never proposed again
    else:  # judged on other evidence: the reviewer sees the pair again (the decision stays in the ledger)
        log.info("event=candidate_reopened candidate=%d was=%s", existing.pk, existing.decision)
        Candidate.objects.filter(pk=existing.pk).update(decision=Decision.PENDING, decided_by=None,
                                                        decided_at=None, created_at=timezone.now(), **fields)
        out.reopened += 1
    PairEvidence.objects.update_or_create(left_type=lt, left_id=li, right_type=rt, right_id=ri,
                                          defaults={"digest": new_digest, "updated_at": timezone.now()})


@jobs.job()
def match_record(kind: str, pk: int) -> int:
    """Continuous matching of one record (``child`` or ``tracing_request``); returns the pairs proposed
    or re-opened."""
    found = match(kind, pk)
    return found.proposed + found.reopened
