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

What one match costs (docs/benchmarks.md, "The job worker, sixth round"): its queries do not grow with its
candidates or pairs — the candidates are read as rows, one query per scope (and one for the children's name
forms); the pairs' stored candidates and evidence are read with one query each and written in bulk, and a pair
whose score and evidence did not change is not written at all. The model in use and the registry's size are read
once per worker process every :data:`MODEL_TTL` seconds (a newly trained model is used at the latest that long
after), not once per job.

Nothing here is ever shown to a party: the officer's request returns before the job runs (with the queue
on), and only mediator roles read the review queue (``access.candidates``). Off in the test suite unless a
test turns ``settings.CONTINUOUS_MATCHING`` on.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import operator
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from homeward import jobs
from homeward.registry.models import Child, PairEvidence, TracingRequest

if TYPE_CHECKING:
    from homeward.registry import scoring

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
    if isinstance(obj, Record):
        return obj.kind
    return None


@dataclass(frozen=True)
class Record:
    """A record being matched, as read for it (its matcher records, and what says its targets)."""

    kind: str
    pk: int
    party_id: int | None
    rows: list[dict[str, str]]
    status: str = ""
    child_id: int | None = None


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


def _judged_digests(candidate: Mapping[str, Any], evidence: tuple[str, Any] | None) -> set[str]:
    """The evidence a judged pair (a candidate's ``reasons`` and ``decided_at``) was judged on: its stored
    explanation, and what continuous matching saw of it (``evidence``: digest, time) since the decision."""
    out = {_reasons_digest(candidate["reasons"])}
    decided_at = candidate["decided_at"]
    if evidence is not None and decided_at is not None and evidence[1] >= decided_at:
        out.add(evidence[0])
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


def _latest_entries(excluded_party_id: int | None) -> QuerySet[Any] | None:
    """Names on the latest version of every list not submitted by ``excluded_party_id``. The versions are read
    first (one small query: a list has few), so that the scope which each search of it compiles is a plain
    ``IN`` list, not a correlated subquery."""
    from homeward.exchange.models import ListEntry, ListVersion

    lists = ListVersion.objects.order_by()
    if excluded_party_id is not None:
        lists = lists.exclude(party_list__party_id=excluded_party_id)
    latest: dict[int, tuple[int, int]] = {}  # list -> (number, version id) of its latest version
    for pk, party_list, number in lists.values_list("pk", "party_list", "number"):
        if party_list not in latest or number > latest[party_list][0]:
            latest[party_list] = (number, pk)
    if not latest:
        return None
    return ListEntry.objects.filter(version_id__in=sorted(pk for _n, pk in latest.values()))


def targets(obj: Any) -> list[tuple[str, QuerySet[Any]]]:
    """The scopes a record (a child, a tracing request or their :class:`Record`) is matched against (see the
    module's table); the other side's list names only if it has a list."""
    kind = _kind_of(obj)
    out: list[tuple[str, QuerySet[Any]]] = []
    if kind == CHILD:
        out = [(CHILD, Child.objects.exclude(party_id=obj.party_id).exclude(pk=obj.pk)),
               (TRACING, TracingRequest.objects.filter(status="open").filter(
                   Q(child__isnull=True) | ~Q(child_id=obj.pk)))]
        entries = _latest_entries(obj.party_id)
        if entries is not None:
            out.append((ENTRY, entries.filter(Q(child__isnull=True) | ~Q(child_id=obj.pk))))
    elif kind == TRACING and obj.status == "open":
        scope: QuerySet[Any] = Child.objects.all()
        if obj.child_id:
            scope = scope.exclude(pk=obj.child_id)
        out = [(CHILD, scope)]
        entries = _latest_entries(obj.party_id)
        if entries is not None:
            out.append((ENTRY, entries))
    return out


def _load(kind: str, pk: int) -> Record | None:
    """The record ``(kind, pk)`` as :class:`Record` (one query), None if it is gone."""
    extra = ("party_id",) if kind == CHILD else ("party_id", "status", "child_id")
    for found_pk, rows, values in _described(kind, [pk], extra):
        return Record(kind, found_pk, rows=rows, **dict(zip(extra, values, strict=True)))
    return None


# --- the model in use, per worker --------------------------------------------------------------------

#: The model in use and the registry's size (the prior's denominator) are read at most once in this many
#: seconds per worker process, not once per job (``settings.CONTINUOUS_MATCHING_CACHE_SECONDS``; 0 in the test
#: suite, where every test has its own registry): a new trained model is used at the latest this long after.
MODEL_TTL = 30.0
_models: dict[str, tuple[float, scoring.Model, int]] = {}


def _cache_seconds() -> float:
    return float(getattr(settings, "CONTINUOUS_MATCHING_CACHE_SECONDS", MODEL_TTL))


def model_and_size() -> tuple[scoring.Model, int]:
    """The scorer of the model in use and the registry's size, cached per process and database."""
    import time

    from django.db import connection

    from homeward.registry import duplicates

    key = f"{connection.alias}:{connection.settings_dict.get('NAME')}"
    now, ttl = time.monotonic(), _cache_seconds()
    hit = _models.get(key)
    if hit is not None and ttl > 0 and now - hit[0] < ttl:
        return hit[1], hit[2]
    model, size = duplicates.current_model(), duplicates.registry_size()
    _models[key] = (now, model, size)
    return model, size


# --- the candidates ----------------------------------------------------------------------------------

_FIELDS = ("given_name", "surname", "patronymic", "sex", "birth_date", "birth_place")


_FORMS = ("name_forms__id", "name_forms__given_name", "name_forms__surname", "name_forms__patronymic")


def _described(target_kind: str, ids: Sequence[int],
               extra: tuple[str, ...] = ()) -> list[tuple[int, list[dict[str, str]], tuple[Any, ...]]]:
    """The matcher records of the ``target_kind`` records ``ids`` (what ``duplicates.description_of`` gives), and
    their ``extra`` columns, read as rows in one query (children with their other name forms joined: a row per
    form), not as model instances."""
    from homeward.exchange.models import ListEntry
    from homeward.registry import duplicates

    model: Any = {CHILD: Child, TRACING: TracingRequest, ENTRY: ListEntry}[target_kind]
    forms = _FORMS if target_kind == CHILD else ()
    columns = ("pk", *_FIELDS, *extra, *forms)
    qs = model.objects.filter(pk__in=ids).order_by("pk", *forms[:1]).values_list(*columns)
    n, m = len(_FIELDS) + 1, len(_FIELDS) + 1 + len(extra)
    found: dict[int, tuple[tuple[Any, ...], list[dict[str, str]]]] = {}
    for row in qs:
        _fields, their_forms = found.setdefault(row[0], (row, []))
        if forms and row[m] is not None:
            their_forms.append({"given_name": row[m + 1], "surname": row[m + 2], "patronymic": row[m + 3]})
    return [(pk, duplicates.description(dict(zip(_FIELDS, row[1:n], strict=True)), their_forms), row[n:m])
            for pk, (row, their_forms) in found.items()]


def match(kind: str, pk: int) -> Outcome:
    """Match one record now (what the job does); idempotent, so a job run twice changes nothing more.

    Its queries do not grow with the number of candidates or pairs: the candidates are read as rows, one
    query per scope (and one for the children's name forms), and the pairs' stored candidates and evidence
    are read and written in bulk."""
    from homeward.registry import duplicates, scoring, search

    out = Outcome()
    obj = _load(kind, pk)
    if obj is None:
        return out
    rows = obj.rows
    if not any(r["given_name"] or r["surname"] for r in rows):
        return out
    threshold = _threshold()
    model, size = model_and_size()
    mine = [scoring.features_of(r) for r in rows]
    found: list[tuple[str, int, scoring.Score]] = []
    with search.shared_lookups():  # the same names in every scope: their index values read once
        scopes = [(target_kind, duplicates.candidate_ids(scope, rows)) for target_kind, scope in targets(obj)]
    for target_kind, ids in scopes:
        if not ids:
            continue
        for other_pk, theirs, _extra in _described(target_kind, ids):
            best = model.best(mine, [scoring.features_of(r) for r in theirs], size)
            out.scored += 1
            if best.match_probability >= threshold:
                found.append((target_kind, other_pk, best))
    if found:
        with transaction.atomic():
            _propose_all((kind, pk), found, out)
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


Pair = tuple[str, int, str, int]  # left type, left id, right type, right id


def _pairs_q(me: tuple[str, int], others: Iterable[tuple[str, int]], *, either_way: bool) -> Q:
    """Rows of the pairs of ``me`` with each of ``others`` (in review-queue order; ``either_way``: also
    stored the other way round), as a few ``IN`` lists, one per type and side (the pair index serves each)."""
    sides: dict[tuple[str, str], list[int]] = {}  # (other's type, "left" | "right" = the side ``me`` is on)
    for other in others:
        (lt, li), _right = ordered(me, other)
        sides.setdefault((other[0], "left" if (lt, li) == me else "right"), []).append(other[1])
    kind, pk = me
    branches = []
    for (other_type, my_side), ids in sides.items():
        as_left = Q(left_type=kind, left_id=pk, right_type=other_type, right_id__in=ids)
        as_right = Q(left_type=other_type, left_id__in=ids, right_type=kind, right_id=pk)
        branches.append(as_left if my_side == "left" else as_right)
        if either_way:
            branches.append(as_right if my_side == "left" else as_left)
    return functools.reduce(operator.or_, branches, Q(pk__in=[]))


def _propose_all(me: tuple[str, int], found: Sequence[tuple[str, int, Any]], out: Outcome) -> None:
    """Store what ``me`` scored against each record of ``found`` (``(type, id, score)``, each at or above
    the threshold), in a few statements whatever their number:

    * a new pair becomes a pending candidate; a pending pair gets the new score (written only if it changed);
    * a pair judged on this evidence (or confirmed as the same child) is left alone; one judged on other
      evidence goes back to pending;
    * each pair's evidence digest is stored (written only if it changed, or when it must say it was seen
      since the pair's decision)."""
    from homeward.linkage.models import Candidate, Decision

    now = timezone.now()
    wanted: dict[Pair, tuple[Any, str]] = {}
    for other_type, other_pk, score in found:
        (lt, li), (rt, ri) = ordered(me, (other_type, other_pk))
        wanted[(lt, li, rt, ri)] = (score, digest(score.evidence()))
    others = [(t, i) for t, i, _s in found]
    existing: dict[Pair, dict[str, Any]] = {}
    stored = (Candidate.objects.select_for_update().filter(_pairs_q(me, others, either_way=True))
              .order_by("-match_probability", "pk")
              .values("pk", "left_type", "left_id", "right_type", "right_id", "decision", "decided_at", "reasons",
                      "match_probability", "match_weight"))
    for found_row in stored:  # a pair stored both ways round (a batch run's and ours): the first, as ``.first()`` did
        key: Pair = (found_row["left_type"], found_row["left_id"], found_row["right_type"], found_row["right_id"])
        if key not in wanted:
            (lt, li), (rt, ri) = ordered((key[0], key[1]), (key[2], key[3]))
            key = (lt, li, rt, ri)
        existing.setdefault(key, dict(found_row))
    evidence: dict[Pair, tuple[str, Any]] = {
        (lt, li, rt, ri): (d, at) for lt, li, rt, ri, d, at in PairEvidence.objects.filter(
            _pairs_q(me, others, either_way=False)).values_list(
            "left_type", "left_id", "right_type", "right_id", "digest", "updated_at")}
    new: list[Any] = []
    changed: list[Any] = []
    reopened: list[Any] = []
    seen: list[Any] = []
    for pair, (score, new_digest) in wanted.items():
        fields = {"match_probability": score.match_probability, "match_weight": score.match_weight,
                  "reasons": _reasons(score)}
        row = existing.get(pair)
        stored_evidence = evidence.get(pair)
        decided_at = None  # the pair's decision time once this match is stored
        if row is None:
            new.append(Candidate(left_type=pair[0], left_id=pair[1], right_type=pair[2], right_id=pair[3], run=None,
                                 created_at=now, **fields))
            out.proposed += 1
        elif row["decision"] == Decision.PENDING:
            if any(row[k] != v for k, v in fields.items()):
                changed.append(Candidate(pk=row["pk"], **fields))
            out.updated += 1
        elif row["decision"] == Decision.SAME or new_digest in _judged_digests(row, stored_evidence):
            out.kept_judged += 1  # judged on this evidence (or confirmed): never proposed again
            decided_at = row["decided_at"]
        else:  # judged on other evidence: the reviewer sees the pair again (the decision stays in the ledger)
            log.info("event=candidate_reopened candidate=%d was=%s", row["pk"], row["decision"])
            reopened.append(Candidate(pk=row["pk"], decision=Decision.PENDING, decided_by=None, decided_at=None,
                                      created_at=now, **fields))
            out.reopened += 1
        # unchanged evidence is written again only to say it was seen since the decision (``_judged_digests``)
        if (stored_evidence is None or stored_evidence[0] != new_digest
                or (decided_at is not None and stored_evidence[1] < decided_at)):
            seen.append(PairEvidence(left_type=pair[0], left_id=pair[1], right_type=pair[2], right_id=pair[3],
                                     digest=new_digest, updated_at=now))
    if new:
        Candidate.objects.bulk_create(new)
    if changed:
        Candidate.objects.bulk_update(changed, ["match_probability", "match_weight", "reasons"])
    if reopened:
        Candidate.objects.bulk_update(reopened, ["decision", "decided_by", "decided_at", "created_at",
                                                 "match_probability", "match_weight", "reasons"])
    if seen:
        PairEvidence.objects.bulk_create(seen, update_conflicts=True, update_fields=["digest", "updated_at"],
                                         unique_fields=["left_type", "left_id", "right_type", "right_id"])


@jobs.job()
def match_record(kind: str, pk: int) -> int:
    """Continuous matching of one record (``child`` or ``tracing_request``); returns the pairs proposed
    or re-opened."""
    found = match(kind, pk)
    return found.proposed + found.reopened
