"""Automatic matching of a list version's names and the review of the candidates.

``match_version`` runs the linkage core (``homeward.linkage.core.link``) of the version's names
against the other side's latest list versions, the registry's children and open tracing
requests, and stores each pair above the threshold as a ``MatchCandidate`` with its explanation.
The mediator reviews candidates (``decide``); a candidate confirmed as the same child creates or
updates the registry Child and its Case.

There is no Django-side review queue in ``homeward.linkage`` yet, so candidates live here.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.accounts import audit
from homeward.exceptions import InputError
from homeward.exchange.models import Decision, ListEntry, ListVersion, MatchCandidate, PartyList
from homeward.registry.models import Case, Child, TracingRequest

log = logging.getLogger(__name__)

DEFAULT_THRESHOLD = 0.5


def _record(kind_id: str, obj: Any) -> dict[str, str]:
    bd = obj.birth_date.isoformat() if obj.birth_date else ""
    sex = {"M": "m", "F": "f"}.get(obj.sex or "", "")
    return {"record_id": kind_id, "given_name": obj.given_name or "", "surname": obj.surname or "",
            "patronymic": obj.patronymic or "", "sex": sex, "birth_date": bd, "birth_place": obj.birth_place or ""}


def _targets(version: ListVersion) -> Iterable[dict[str, str]]:
    plist = version.party_list
    other_lists = PartyList.objects.filter(party=plist.concerning, concerning=plist.party)
    for other in other_lists:
        latest = other.latest_version()
        if latest is not None:
            for e in latest.entries.all():
                yield _record(f"entry:{e.pk}", e)
    for c in Child.objects.all().iterator():
        yield _record(f"child:{c.pk}", c)
    for t in TracingRequest.objects.filter(status="open").iterator():
        yield _record(f"tracing:{t.pk}", t)


def match_version(version: ListVersion, *, threshold: float | None = None) -> int:
    """Match every name of ``version``; store new candidates; return how many were stored."""
    from homeward.linkage.core import link

    left = [_record(str(e.pk), e) for e in version.entries.all()]
    right = list(_targets(version))
    if not left or not right:
        ListVersion.objects.filter(pk=version.pk).update(matched_at=timezone.now())
        return 0
    cut = threshold if threshold is not None else float(getattr(settings, "EXCHANGE_MATCH_THRESHOLD",
                                                               DEFAULT_THRESHOLD))
    result = link(left, right, threshold=cut, one_to_one=False)
    made = 0
    with transaction.atomic():
        for pair in result.links:
            kind, _sep, target = pair.right_id.partition(":")
            _c, created = MatchCandidate.objects.get_or_create(
                entry_id=int(pair.left_id), target_kind=kind, target_id=int(target),
                defaults={"probability": pair.match_probability, "explanation": pair.explanation,
                          "model_version": result.model_version})
            made += int(created)
        ListVersion.objects.filter(pk=version.pk).update(matched_at=timezone.now())
    log.info("list version %s: %s match candidates", version.pk, made)
    return made


def target_of(c: MatchCandidate) -> Any:
    model = {"entry": ListEntry, "child": Child, "tracing": TracingRequest}.get(c.target_kind)
    return model.objects.filter(pk=c.target_id).first() if model else None  # type: ignore[attr-defined]


def _fill(child: Child, entry: ListEntry) -> bool:
    changed = False
    for f in ("surname", "given_name", "patronymic", "birth_place"):
        if not getattr(child, f) and getattr(entry, f):
            setattr(child, f, getattr(entry, f))
            changed = True
    if child.birth_date is None and entry.birth_date is not None:
        child.birth_date = entry.birth_date
        child.birth_date_precision = entry.birth_date_precision or "day"
        changed = True
    if child.sex in ("", "U") and entry.sex:
        child.sex = entry.sex
        changed = True
    return changed


def _child_for(user: Any, entry: ListEntry) -> Child:
    """The Child of a list name: the one it is linked to (filled in where blank), or a new one with a Case."""
    from homeward.registry import services as registry

    plist = entry.version.party_list
    if entry.child_id:
        child = Child.objects.get(pk=entry.child_id)
        if _fill(child, entry):
            registry.save_changes(user, child, child.version)
        return child
    child = Child(party=plist.party, surname=entry.surname, given_name=entry.given_name,
                  patronymic=entry.patronymic, sex=entry.sex or "U", birth_date=entry.birth_date,
                  birth_date_precision=entry.birth_date_precision if entry.birth_date_precision in (
                      "day", "month", "year", "estimated") else ("day" if entry.birth_date else "unknown"),
                  birth_place=entry.birth_place, is_demo=plist.is_demo)
    registry.save_new(user, child)
    registry.open_case(user, child)
    return child


def decide(user: Any, candidate: MatchCandidate, decision: str, reason: str = "", *, via: str = "page") -> Any:
    """Record the mediator's decision; for ``same``, create or update the Child and Case. Returns the Child."""
    from homeward.exchange.services import _ledger
    from homeward.registry import services as registry

    if not getattr(user, "is_mediator", False):
        raise Http404
    if decision not in (Decision.SAME, Decision.DIFFERENT, Decision.UNSURE):
        raise InputError({"decision": [_("Choose same, different or unsure.")]})
    if decision != Decision.SAME and not reason.strip():
        raise InputError({"reason": [_("Give a reason for this decision.")]})
    child: Child | None = None
    with transaction.atomic():
        entry = candidate.entry
        plist = entry.version.party_list
        if decision == Decision.SAME:
            target = target_of(candidate)
            if target is None:
                raise InputError({"target": [_("The matched record no longer exists.")]})
            if isinstance(target, Child):
                child = target
                if entry.child_id is None and _fill(child, entry):
                    registry.save_changes(user, child, child.version)
                case = Case.objects.filter(child=child).first()
                if case is None:
                    registry.open_case(user, child, requesting_party=plist.party if child.party_id != plist.party_id
                                       else None)
                elif child.party_id != plist.party_id and case.requesting_party_id is None:
                    Case.objects.filter(pk=case.pk).update(requesting_party=plist.party)
            else:
                child = _child_for(user, entry)
                if isinstance(target, ListEntry):
                    ListEntry.objects.filter(pk=target.pk).update(child=child)
                elif isinstance(target, TracingRequest):
                    registry.link_tracing_request(user, target, child)
            ListEntry.objects.filter(pk=entry.pk).update(child=child)
        candidate.decision, candidate.reason = decision, reason.strip()
        candidate.reviewer, candidate.decided_at = user, timezone.now()
        candidate.save(update_fields=["decision", "reason", "reviewer", "decided_at"])
        _ledger("match_decision", user, user.party_code, "exchange.candidate", candidate.pk, {
            "candidate": candidate.pk, "entry": entry.pk, "target_kind": candidate.target_kind,
            "target_id": candidate.target_id, "decision": decision, "child": child.pk if child else None})
        audit.record(user, "decide", candidate, via=via)
    return child
