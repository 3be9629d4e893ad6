"""Automatic matching of a list version's names, through the linkage review queue.

``match_version`` runs a ``linkage`` match run (``RunKind.RECORDS_VS_REGISTRY``) of the version's
names (``list_entry:<id>``) against the other side's latest list versions (``list_entry:<id>``),
the registry's children with their other name forms (``child:<id>``) and open tracing requests
(``tracing_request:<id>``). Candidates land in ``homeward.linkage``'s review queue
(``linkage.Candidate``), with the matcher's explanation. Reviewers decide there or on the version
page; both go through ``linkage.services.decide``, which records the decision in the ledger.

When a pair involving a list name is confirmed, ``apply_confirmed`` (connected to
``linkage.services.candidate_confirmed``) creates or updates the registry Child and its Case.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from homeward import access
from homeward.exchange.models import ListEntry, ListVersion, PartyList
from homeward.registry.models import Case, Child, TracingRequest

if TYPE_CHECKING:
    from homeward.access import Actor
    from homeward.accounts.models import User
    from homeward.linkage.models import Candidate

log = logging.getLogger(__name__)

ENTRY = "list_entry"
DEFAULT_THRESHOLD = 0.5


def _record(kind_id: str, obj: Any) -> dict[str, str]:
    return {"record_id": kind_id, "given_name": obj.given_name or "", "surname": obj.surname or "",
            "patronymic": obj.patronymic or "", "sex": obj.sex if obj.sex in ("M", "F") else "",
            "birth_date": obj.birth_date.isoformat() if obj.birth_date else "", "birth_place": obj.birth_place or ""}


def _targets(version: ListVersion) -> Iterable[dict[str, str]]:
    from homeward.linkage import services as linkage

    plist = version.party_list
    for other in PartyList.objects.filter(party=plist.concerning):
        latest = other.latest_version()
        if latest is not None:
            for e in latest.entries.all():
                yield _record(f"{ENTRY}:{e.pk}", e)
    yield from linkage.registry_records(Child.objects.prefetch_related("name_forms"))
    for t in TracingRequest.objects.filter(status="open"):
        yield _record(f"tracing_request:{t.pk}", t)


def version_inputs(version_id: int) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """The records of a list version's match run: its names, then the other side and the registry."""
    version = ListVersion.objects.select_related("party_list").get(pk=version_id)
    left = [_record(f"{ENTRY}:{e.pk}", e) for e in version.entries.all()]
    right = list(_targets(version))
    ListVersion.objects.filter(pk=version.pk).update(matched_at=timezone.now())
    return left, right


def match_version(version: ListVersion, *, user: Actor | None = None, background: bool = False,
                  threshold: float | None = None) -> Any:
    """Start a match run of ``version`` against the other side and the registry; returns the run."""
    from homeward.linkage import services as linkage
    from homeward.linkage.models import RunKind

    cut = threshold if threshold is not None else float(getattr(settings, "EXCHANGE_MATCH_THRESHOLD",
                                                               DEFAULT_THRESHOLD))
    actor = access.user_of(user)  # the operator starts a run that names no user
    run = linkage.start(actor, RunKind.RECORDS_VS_REGISTRY, background=background, threshold=cut,
                        inputs=version_inputs, params={"version_id": version.pk})
    log.info("event=list_match_started version=%s run=%s", version.pk, run.pk)
    return run


def candidates_for(version: ListVersion) -> QuerySet[Any]:
    """Pending and unsure candidates for the names of ``version`` (for the mediator's version page)."""
    from homeward.linkage.models import Candidate, Decision

    ids = version.entries.values_list("pk", flat=True)
    return Candidate.objects.filter(left_type=ENTRY, left_id__in=ids, decision__in=(Decision.PENDING,
                                                                                    Decision.UNSURE))


def describe(kind: str, pk: int) -> Any:
    model: Any = {ENTRY: ListEntry, "child": Child, "tracing_request": TracingRequest}.get(kind)
    return model.objects.filter(pk=pk).first() if model else None


def _fill(child: Child, entry: ListEntry) -> bool:
    changed = False
    for f in ("surname", "given_name", "patronymic", "birth_place"):
        if not getattr(child, f) and getattr(entry, f):
            setattr(child, f, getattr(entry, f))
            changed = True
    if child.birth_date is None and entry.birth_date is not None:
        child.birth_date = entry.birth_date
        child.birth_date_precision = entry.birth_date_precision if entry.birth_date_precision in (
            "day", "month", "year", "estimated") else "day"
        changed = True
    if child.sex in ("", "U") and entry.sex:
        child.sex = entry.sex
        changed = True
    return changed


def _new_child(user: User, entry: ListEntry) -> Child:
    from homeward.registry import services as registry

    plist = entry.version.party_list
    child = Child(party=plist.party, surname=entry.surname, given_name=entry.given_name,
                  patronymic=entry.patronymic, sex=entry.sex or "U", birth_date=entry.birth_date,
                  birth_date_precision=entry.birth_date_precision if entry.birth_date_precision in (
                      "day", "month", "year", "estimated") else ("day" if entry.birth_date else "unknown"),
                  birth_place=entry.birth_place, is_demo=plist.is_demo)
    registry.save_new(user, child)
    registry.open_case(user, child)
    return child


def _link_child(user: User, entry: ListEntry, child: Child) -> None:
    """Attach a list name to a registry child: fill blanks, open or point the Case at the submitting party."""
    from homeward.registry import services as registry

    party = entry.version.party_list.party
    if entry.child_id is None and _fill(child, entry):
        registry.save_changes(user, child, child.version)
    case = Case.objects.filter(child=child).first()
    if case is None:
        registry.open_case(user, child, requesting_party=party if child.party_id != party.pk else None)
    elif child.party_id != party.pk and case.requesting_party_id is None:
        Case.objects.filter(pk=case.pk).update(requesting_party=party)
    ListEntry.objects.filter(pk=entry.pk).update(child=child)


def apply_confirmed(sender: Any = None, *, candidate: Candidate, user: User, **kwargs: Any) -> Child | None:
    """A reviewer confirmed a pair: make the list name(s) a registry Child with a Case (or update it)."""
    sides = [(candidate.left_type, candidate.left_id), (candidate.right_type, candidate.right_id)]
    entries = [ListEntry.objects.select_related("version__party_list__party").get(pk=pk)
               for kind, pk in sides if kind == ENTRY]
    if not entries:
        return None
    from homeward.registry import services as registry

    others = [(kind, pk) for kind, pk in sides if kind != ENTRY]
    child: Child | None = None
    kind, pk = others[0] if others else ("", 0)
    if kind == "child":
        child = Child.objects.get(pk=pk)
    else:
        child = next((Child.objects.get(pk=e.child_id) for e in entries if e.child_id), None) \
            or _new_child(user, entries[0])
        if kind == "tracing_request":
            registry.link_tracing_request(user, TracingRequest.objects.get(pk=pk), child)
    for e in entries:
        _link_child(user, e, child)
    return child


def decide(user: User, candidate: Candidate, decision: str, reason: str = "") -> Child | None:
    """Decide a candidate through the linkage review (mediators only); returns the Child when confirmed."""
    from homeward.linkage import services as linkage

    access.require(access.is_mediator(user))
    decided = linkage.decide(user, candidate, decision, reason)
    if decided.decision != "same":
        return None
    entry_id = decided.left_id if decided.left_type == ENTRY else decided.right_id
    return ListEntry.objects.get(pk=entry_id).child
