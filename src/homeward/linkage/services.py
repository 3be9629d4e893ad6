"""Running the matcher over the database and recording review decisions.

A run reads records through the registry, calls the pure core (``homeward.linkage.core``) and
stores candidates above the review threshold. Pairs a reviewer already judged — in particular
pairs judged *different* — are never proposed again. Confirming a tracing request ↔ child pair
links the two and moves the child's case on (``reported`` → ``located``).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, FloatField, QuerySet, Value
from django.db.models.functions import Abs, Coalesce
from django.dispatch import Signal
from django.utils import timezone
from django.utils.module_loading import import_string

from homeward import faults
from homeward.accounts import audit
from homeward.accounts.models import User
from homeward.exceptions import InputError
from homeward.ledger import service as ledger
from homeward.linkage import core
from homeward.linkage.models import Candidate, Decision, MatchRun, ModelSource, ModelVersion, RunKind, RunStatus
from homeward.registry import services as registry
from homeward.registry.models import Case, Child, TracingRequest
from homeward.registry.workflow import CaseStatus

log = logging.getLogger(__name__)
REVIEW_THRESHOLD = 0.5

candidate_confirmed = Signal()
"""Sent inside the decision's transaction when a pair is confirmed: ``candidate``, ``user``. Domains that
own other record types (list entries) apply the confirmation on receipt."""


def _record(obj: Any, prefix: str) -> dict[str, str]:
    return {
        "record_id": f"{prefix}:{obj.pk}",
        "given_name": obj.given_name, "surname": obj.surname, "patronymic": obj.patronymic,
        "sex": obj.sex if obj.sex in ("M", "F") else "",
        "birth_date": obj.birth_date.isoformat() if obj.birth_date else "",
        "birth_place": obj.birth_place,
    }


def registry_records(children: Iterable[Child]) -> list[dict[str, str]]:
    """One record per child plus one per further name form (former, adoptive, other script)."""
    rows = []
    for child in children:
        base = _record(child, "child")
        rows.append(base)
        for n, form in enumerate(child.name_forms.all(), start=1):
            rows.append({**base, "record_id": f"child:{child.pk}#{n}",
                         "given_name": form.given_name or child.given_name, "surname": form.surname or child.surname,
                         "patronymic": form.patronymic or child.patronymic})
    return rows


def _best_per_left(links: Iterable[core.Link]) -> list[tuple[str, str, core.Link]]:
    """Collapse name-form rows to their child and keep each left record's best pair."""
    best: dict[str, tuple[str, str, core.Link]] = {}
    for pair in links:
        right = pair.right_id.split("#", 1)[0]
        current = best.get(pair.left_id)
        if current is None or pair.match_probability > current[2].match_probability:
            best[pair.left_id] = (pair.left_id, right, pair)
    return list(best.values())


def _ambiguous(found: Iterable[core.AmbiguousPair]) -> dict[tuple[str, str], tuple[str, core.AmbiguousPair]]:
    """Ambiguous groups with name-form rows collapsed to their child: (left, right) -> (group, best row).
    A group whose rivals are name forms of one child is not ambiguous and is left out."""
    groups: dict[str, dict[tuple[str, str], core.AmbiguousPair]] = {}
    for a in found:
        key = (a.left_id.split("#", 1)[0], a.right_id.split("#", 1)[0])
        rivals = groups.setdefault(a.group.split("#", 1)[0], {})
        if key not in rivals or a.match_probability > rivals[key].match_probability:
            rivals[key] = a
    return {key: (group, a) for group, rivals in groups.items() if len(rivals) >= 2 for key, a in rivals.items()}


def _split(record_id: str) -> tuple[str, int]:
    kind, _sep, pk = record_id.partition(":")
    return kind, int(pk)


def _store(run: MatchRun, pairs: list[tuple[str, str, core.Link]], groups: dict[tuple[str, str], str] | None = None
           ) -> int:
    judged = set(Candidate.objects.exclude(decision=Decision.PENDING).values_list(
        "left_type", "left_id", "right_type", "right_id"))
    created = 0
    for left, right, pair in pairs:
        (lt, li), (rt, ri) = _split(left), _split(right)
        if (lt, li, rt, ri) in judged:
            continue
        reasons = [{"comparison": r.comparison, "level": r.level, "weight": round(r.weight, 2)} for r in pair.reasons]
        _obj, was_created = Candidate.objects.update_or_create(
            left_type=lt, left_id=li, right_type=rt, right_id=ri, decision=Decision.PENDING,
            defaults={"run": run, "match_probability": pair.match_probability, "match_weight": pair.match_weight,
                      "reasons": reasons, "ambiguity_group": (groups or {}).get((left, right), "")})
        created += int(was_created)
    return created


def _too_small(left: list[dict[str, str]], right: list[dict[str, str]]) -> bool:
    return len(left) * len(right) < core.MIN_TRAINING_PAIRS


def _own_model() -> dict[str, Any] | None:
    """The current model (the latest version: trained on this installation's data, refitted from reviewers'
    decisions, or rolled back to); the latest run's trained model before any version exists."""
    import json

    current = current_model()
    if current is not None:
        return dict(json.loads(current.model_json))
    for text in MatchRun.objects.filter(status=RunStatus.DONE).exclude(model_json="").values_list(
            "model_json", flat=True)[:20]:
        trained = json.loads(text)
        if trained.get("trained", True) and "parameters_from" not in trained:
            return dict(trained)
    return None


def execute(run: MatchRun, left: list[dict[str, str]], right: list[dict[str, str]] | None) -> MatchRun:
    """Run the matcher synchronously, updating the run's progress as it goes. Without ``right``, look for
    duplicates within ``left``.

    The candidates and the run's result are written in one transaction, and only by the attempt that
    holds the run (``attempts`` unchanged since it started): a retried run never stores twice."""
    attempt = MatchRun.objects.filter(pk=run.pk).values_list("attempts", flat=True).first() or 0

    def progress(stage: str, fraction: float) -> None:
        MatchRun.objects.filter(pk=run.pk, attempts=attempt).update(stage=stage, progress=round(fraction, 3))

    MatchRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING)
    groups: dict[tuple[str, str], str] = {}
    try:
        if right is None:
            found = core.dedupe(left, threshold=run.threshold, progress=progress)
            pairs = [(p.left_id, p.right_id, p) for p in found.links if p.left_id != p.right_id]
            model_json, version, stats = found.model_json(), found.model_version, {**found.stats, "left": len(left)}
        elif not left or not right:
            pairs, model_json, version, stats = [], "", "", {"left": len(left), "right": len(right)}
        else:
            result = core.link(left, right, threshold=run.threshold, one_to_one=False, progress=progress,
                               trained_model=_own_model() if _too_small(left, right) else None)
            ambiguous = _ambiguous(result.ambiguous)
            in_groups = {left for left, _right in ambiguous} | {right for _left, right in ambiguous}
            clear = [x for x in result.links
                     if x.left_id.split("#", 1)[0] not in in_groups and x.right_id.split("#", 1)[0] not in in_groups]
            pairs = _best_per_left(clear) + [(lt, rt, a) for (lt, rt), (_g, a) in ambiguous.items()]  # type: ignore[misc]
            groups = {key: group for key, (group, _a) in ambiguous.items()}
            model_json, version = result.model_json(), result.model_version
            stats = {**result.stats, "left": len(left), "right": len(right)}
        faults.point("linkage.run.before_store")
        with transaction.atomic():
            held = MatchRun.objects.select_for_update().filter(pk=run.pk, attempts=attempt,
                                                               status=RunStatus.RUNNING).exists()
            if held:
                created = _store(run, pairs, groups)
                _record_run_model(run, model_json, version)
                if created:
                    from homeward.notifications import services as notifications

                    notifications.candidates_waiting(run, created)  # one per run, in the run's transaction
                faults.point("linkage.run.mid_store")
                MatchRun.objects.filter(pk=run.pk).update(
                    status=RunStatus.DONE, progress=1.0, stage="done", finished_at=timezone.now(),
                    model_json=model_json, model_version=version, stats={**stats, "candidates": created})
                log.info("event=match_run_done run=%d attempt=%s candidates=%d", run.pk, attempt, created)
            else:
                log.warning("event=match_run_superseded run=%d attempt=%s", run.pk, attempt)
    except Exception as exc:  # a failed run is recorded, never half-stored
        log.exception("event=match_run_failed run=%d", run.pk)
        MatchRun.objects.filter(pk=run.pk, attempts=attempt).update(
            status=RunStatus.FAILED, error=type(exc).__name__, finished_at=timezone.now())
    run.refresh_from_db()
    return run


def registry_dedupe_inputs() -> tuple[list[dict[str, str]], None]:
    """Every registered child once, for a search for duplicates within the registry."""
    return [_record(c, "child") for c in Child.objects.all()], None


def tracing_vs_registry_inputs() -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    requests = TracingRequest.objects.filter(status="open")
    children = Child.objects.prefetch_related("name_forms")
    return [_record(t, "tracing_request") for t in requests], registry_records(children)


InputsLoader = Callable[..., tuple[list[dict[str, str]], list[dict[str, str]] | None]]
_DEFAULT_INPUTS: dict[str, str] = {RunKind.TRACING_VS_REGISTRY: "homeward.linkage.services.tracing_vs_registry_inputs",
                   RunKind.REGISTRY_DEDUPE: "homeward.linkage.services.registry_dedupe_inputs"}


def _inputs_path(inputs: str | InputsLoader | None) -> str:
    if inputs is None or isinstance(inputs, str):
        return inputs or ""
    path = f"{inputs.__module__}.{inputs.__qualname__}"
    if "<locals>" in path:
        raise TypeError("a run's inputs must be a module-level function (a worker process imports it by name)")
    return path


def start(user: User | None, kind: str = RunKind.TRACING_VS_REGISTRY, *, background: bool | None = None,
          threshold: float = REVIEW_THRESHOLD, inputs: str | InputsLoader | None = None,
          params: dict[str, Any] | None = None) -> MatchRun:
    """Create a run and execute it: on the task queue (``homeward.jobs``) unless ``background`` is false or
    ``settings.BACKGROUND_JOBS`` is off (the test suite runs jobs inline), so the page can show progress.

    ``inputs`` is a module-level function (or its dotted path) returning ``(left, right)`` records, called
    with ``params`` (JSON values) by whichever worker runs the run; by default it follows ``kind``."""
    from homeward import jobs
    from homeward.linkage import tasks

    if background is None:
        background = bool(getattr(settings, "BACKGROUND_JOBS", True))
    with transaction.atomic():
        run = MatchRun.objects.create(kind=kind, created_by=user, threshold=threshold,
                                      inputs=_inputs_path(inputs), params=params or {})
        audit.record(user, "match_run", run)
        if background:
            jobs.enqueue(tasks.run_match, run.pk)  # queued if and only if the run is created
    if not background:
        resume(run.pk)
    run.refresh_from_db()
    return run


def resume(run_id: int) -> MatchRun:
    """Start (or start again, after a lost worker) the run ``run_id``: load its records, match, store.

    A run already done or failed is left alone, so a job delivered twice does nothing the second time."""
    with transaction.atomic():
        run = MatchRun.objects.select_for_update().get(pk=run_id)
        if run.status in (RunStatus.DONE, RunStatus.FAILED):
            return run
        run.attempts += 1
        run.status, run.stage, run.progress = RunStatus.RUNNING, "loading", 0.0
        run.save(update_fields=["attempts", "status", "stage", "progress"])
    if run.attempts > 1:
        log.warning("event=match_run_retried run=%d attempt=%d", run.pk, run.attempts)
    try:
        load: InputsLoader = import_string(run.inputs or _DEFAULT_INPUTS.get(
            run.kind, _DEFAULT_INPUTS[RunKind.TRACING_VS_REGISTRY]))
        left, right = load(**run.params)
    except Exception as exc:
        log.exception("event=match_run_failed run=%d stage=loading", run.pk)
        MatchRun.objects.filter(pk=run.pk, attempts=run.attempts).update(
            status=RunStatus.FAILED, error=type(exc).__name__, finished_at=timezone.now())
        run.refresh_from_db()
        return run
    return execute(run, left, right)


def give_up(run_id: int) -> None:
    """Record a run whose workers kept stopping mid-run (``homeward.jobs`` gave up retrying it)."""
    MatchRun.objects.filter(pk=run_id, status__in=[RunStatus.QUEUED, RunStatus.RUNNING]).update(
        status=RunStatus.FAILED, error="worker_lost", finished_at=timezone.now())


def decide(user: User, candidate: Candidate, decision: str, reason: str = "") -> Candidate:
    """Record a reviewer's decision; a confirmed tracing request ↔ child pair links them and moves the case."""
    if decision not in (Decision.SAME, Decision.DIFFERENT, Decision.UNSURE):
        raise InputError({"decision": ["Choose same, different or unsure."]})
    if decision == Decision.DIFFERENT and not reason.strip():
        raise InputError({"reason": ["Say why these are different children."]})
    with transaction.atomic():
        locked = Candidate.objects.select_for_update().get(pk=candidate.pk)
        if locked.decision not in (Decision.PENDING, Decision.UNSURE):
            raise InputError({"decision": ["This pair was already decided."]})
        locked.decision, locked.reason = decision, reason.strip()
        locked.decided_by, locked.decided_at = user, timezone.now()
        locked.save()
        audit.record(user, "match_decision", locked)
        ledger.record("match_decision", actor=user, party_code=user.party_code, object_type="candidate",
                      object_id=locked.pk, content={"candidate": locked.pk,
                                                    "left": f"{locked.left_type}:{locked.left_id}",
                                                    "right": f"{locked.right_type}:{locked.right_id}",
                                                    "decision": decision, "reason": locked.reason})
        if decision == Decision.SAME:
            _apply_confirmed(user, locked)
    maybe_refit()
    return locked


def review_order(qs: QuerySet[Candidate]) -> QuerySet[Candidate]:
    """The order a reviewer meets pending pairs in: those whose decision teaches the model most first --
    nearest the run's threshold, where the model is least sure -- then the sure ones; oldest first on ties."""
    threshold = Coalesce(F("run__threshold"), Value(REVIEW_THRESHOLD), output_field=FloatField())
    return qs.annotate(uncertainty=Abs(F("match_probability") - threshold)).order_by("uncertainty", "id")


def next_pending(qs: QuerySet[Candidate], skipped: Iterable[int] = ()) -> Candidate | None:
    """The pair to review next among ``qs`` (the reviewer's queue): the first pending pair in review order
    that the reviewer has not skipped in this sitting."""
    return review_order(qs.filter(decision=Decision.PENDING).exclude(pk__in=list(skipped))).first()


def _apply_confirmed(user: User, candidate: Candidate) -> None:
    if candidate.left_type == "tracing_request" and candidate.right_type == "child":
        request = TracingRequest.objects.get(pk=candidate.left_id)
        child = Child.objects.get(pk=candidate.right_id)
        registry.link_tracing_request(user, request, child)
        case = Case.objects.filter(child=child).first()
        if case is None:
            case = registry.open_case(user, child, requesting_party=request.party)
        if case.status == CaseStatus.REPORTED:
            registry.transition(user, case, CaseStatus.LOCATED,
                                reason=f"Matched to tracing request #{request.pk} (review #{candidate.pk}).")
    # Other pairs (list entries) are applied by the domain that owns them, listening for the decision.
    candidate_confirmed.send(sender=Candidate, candidate=candidate, user=user)


def fail_orphaned_runs(older_than_seconds: int = 120) -> int:
    """Mark failed the runs left queued or running with no job to finish them (e.g. started by a version of
    Homeward that ran them in a thread); a run with a queued or running job is left to it."""
    from homeward import jobs
    from homeward.linkage import tasks

    pending = {int(item["args"][0]) for item in jobs.unfinished(tasks.run_match) if item.get("args")}
    cutoff = timezone.now() - dt.timedelta(seconds=older_than_seconds)
    return MatchRun.objects.filter(status__in=[RunStatus.QUEUED, RunStatus.RUNNING], created_at__lt=cutoff).exclude(
        pk__in=pending).update(status=RunStatus.FAILED, error="interrupted", finished_at=timezone.now())


# --- model versions and learning from reviewers' decisions -------------------------------------------------

REFIT_EVERY = 10
"""The model refits (in the background) once this many new decisions were made since the current version."""
LABELS = (Decision.SAME, Decision.DIFFERENT, Decision.UNSURE)


def current_model() -> ModelVersion | None:
    return ModelVersion.objects.order_by("-created_at", "-id").first()


def labels() -> QuerySet[Candidate]:
    """Every reviewer decision is a label: same child, different children, unsure."""
    return Candidate.objects.filter(decision__in=LABELS)


def label_counts(qs: QuerySet[Candidate]) -> dict[str, int]:
    counts: dict[str, int] = {str(k): 0 for k in LABELS}
    for decision in qs.values_list("decision", flat=True):
        counts[decision] = counts.get(decision, 0) + 1
    return counts


def new_labels(current: ModelVersion | None = None) -> QuerySet[Candidate]:
    """Labels the current model does not rest on yet."""
    current = current if current is not None else current_model()
    qs = labels()
    return qs.exclude(model_versions=current) if current is not None else qs


def _record_run_model(run: MatchRun, model_json: str, version: str) -> None:
    """A run that trained its own model adds it as the new current version (lineage: that run)."""
    import json

    if not model_json:
        return
    trained = json.loads(model_json)
    if not trained.get("trained", True) or "parameters_from" in trained:
        return  # the run reused the current (or reference) model: nothing new
    ModelVersion.objects.create(source=ModelSource.RUN, version=version, model_json=model_json, run=run,
                                parent=current_model(), report={"stats": {k: v for k, v in run.stats.items()
                                                                          if k in ("left", "right")}})


def _learning_base(version: ModelVersion | None) -> ModelVersion | None:
    """The nearest ancestor trained by EM (a run) or shipped: a refit starts from it with every label,
    so labels are never counted twice."""
    while version is not None and version.source in (ModelSource.REFIT, ModelSource.ROLLBACK):
        version = version.parent
    return version


def refit_from_labels() -> ModelVersion | None:
    """Refit m from every label on top of the EM-trained (or reference) model; a new current version whose
    lineage names the run, the labels and the version it follows. None when there is nothing new."""
    import json

    from homeward.linkage import learning

    with transaction.atomic():
        current = current_model()
        if not new_labels(current).exists():
            return None
        base = _learning_base(current)
        base_model = json.loads(base.model_json) if base is not None else core.reference_model()
        used = list(labels().order_by("id"))
        matches = [c.reasons for c in used if c.decision == Decision.SAME]
        refitted, report = learning.refit(base_model, matches)
        report.update(labels=label_counts(labels()), base=base_model.get("model_version", ""),
                      base_source=base.source if base is not None else ModelSource.REFERENCE)
        made = ModelVersion.objects.create(source=ModelSource.REFIT, version=refitted["model_version"],
                                           model_json=json.dumps(refitted), parent=current,
                                           run=base.run if base is not None else None, report=report)
        made.labels.set(used)
    log.info("event=model_refit version=%s labels=%d", made.version, len(used))
    return made


def maybe_refit() -> bool:
    """Queue a refit when enough new decisions were made since the current model (``REFIT_EVERY``)."""
    from homeward import jobs
    from homeward.linkage import tasks

    if new_labels().count() < REFIT_EVERY:
        return False
    if getattr(settings, "BACKGROUND_JOBS", True) and jobs.unfinished(tasks.refit_model):
        return False
    jobs.enqueue(tasks.refit_model)
    return True


def rollback(user: User, target: ModelVersion) -> ModelVersion:
    """Make an earlier model current again: a new version with its parameters (the history stays)."""
    with transaction.atomic():
        made = ModelVersion.objects.create(source=ModelSource.ROLLBACK, version=target.version,
                                           model_json=target.model_json, parent=target, run=target.run,
                                           created_by=user, report={"rolled_back_to": target.pk})
        made.labels.set(target.labels.all())
        audit.record(user, "model_rollback", made)
    return made
