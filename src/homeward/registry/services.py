"""Writes to the registry. Every write is one transaction with its audit record (and, for case
transitions, its ledger entry): it happens entirely or not at all.

A case transition's side effects are called here, in its transaction, in plain sight (no signals): the
audit record, the ledger entry (``homeward.ledger.service.record``) and, on ``reunited``, the follow-up
visits (``homeward.returns.services.schedule_follow_ups``). docs/architecture.md draws them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward import access, faults
from homeward.access import Actor
from homeward.accounts import audit
from homeward.exceptions import ConflictError, InputError, TransitionError
from homeward.registry.choices import TracingEventKind, TracingStatus
from homeward.registry.models import Case, CaseEvent, Child, NameForm, Person, TracingEvent, TracingRequest
from homeward.registry.workflow import TRANSITIONS, CaseStatus, Transition, gates_for, may_take


def _ledger(kind: str, user: Actor | None, obj: Any, content: dict[str, Any]) -> None:
    """Append the change's ledger entry inside its transaction (identifiers only; content is committed to)."""
    from homeward.ledger import service as ledger

    ledger.record(kind, actor=access.user_of(user), party_code=user.party_code if user else "",
                  object_type=obj._meta.model_name, object_id=obj.pk, content=content)


def _clean(obj: Any, exclude: Iterable[str] = ()) -> None:
    try:
        obj.full_clean(exclude=list(exclude) or None)
    except DjangoValidationError as exc:
        raise InputError({k: [str(m) for m in v] for k, v in exc.message_dict.items()}) from None


def _index(obj: Any) -> None:
    """Keep the name search index in step with the record, and queue its continuous matching against the
    other side (``homeward.registry.continuous``), in the same transaction."""
    if isinstance(obj, (Child, Person, TracingRequest)):
        from homeward.registry import continuous, search

        search.index(obj)
        continuous.queue(obj)


def add_name_form(user: Actor, child: Child, form: NameForm, *, via: str = "page") -> NameForm:
    """Add another form of a child's name; the child is then found under it too."""
    with transaction.atomic():
        form.child = child
        form.save()
        _index(child)
        audit.record(user, "update", child, via=via)
    return form


def save_new(user: Actor, obj: Any, *, via: str = "page") -> Any:
    """Create a child, person or tracing request on behalf of ``user``'s party."""
    with transaction.atomic():
        # not checked again by a query each: the record's fresh random id (its uniqueness is the primary key's, as
        # for any insert) and the actor's own user and party, just read with the actor; a party given by the caller
        # is still checked
        trusted = ["id", "created_by"]
        if not getattr(obj, "party_id", None):
            obj.party = user.party
            trusted.append("party")
        obj.created_by = access.user_of(user)
        _clean(obj, trusted if obj._state.adding else ())
        obj.save()
        _index(obj)
        audit.record(user, "create", obj, via=via)
    return obj


def save_changes(user: Actor, obj: Any, expected_version: int, *, via: str = "page") -> Any:
    """Save edits made from ``expected_version``; refuse if someone saved in between."""
    model = type(obj)
    with transaction.atomic():
        _clean(obj)
        updated = model.objects.filter(pk=obj.pk, version=expected_version).update(version=F("version") + 1)
        if not updated:
            raise ConflictError()
        obj.version = expected_version + 1
        obj.save()
        _index(obj)
        audit.record(user, "update", obj, via=via)
    return obj


def open_case(user: Actor, child: Child, *, requesting_party: Any = None, at: Any = None,
              via: str = "page") -> Case:
    when = at or timezone.now()
    with transaction.atomic():
        case = Case.objects.create(child=child, requesting_party=requesting_party, is_demo=child.is_demo,
                                   created_at=when)
        CaseEvent.objects.create(case=case, from_status="", to_status=CaseStatus.REPORTED, actor=access.user_of(user),
                                 actor_party=user.party_code if user else "", reason="", at=when)
        audit.record(user, "create", case, via=via)
        _ledger("case_transition", user, case, {"case": case.pk, "from": "", "to": CaseStatus.REPORTED})
    return case


def allowed_transitions(user: Actor, case: Case) -> list[Transition]:
    is_submitter = case.child.party_id == user.party_id
    if not (access.is_mediator(user) or is_submitter):
        return []
    return [t for (src, _dst), t in TRANSITIONS.items() if src == case.status and may_take(t, user.role, is_submitter)]


def check_transition(user: Actor, case: Case, target: str, *, reason: str = "") -> None:
    """Raise ``TransitionError`` if ``user`` may not move ``case`` to ``target`` now; change nothing.
    Pages call it before asking for confirmation, so that they never confirm a move that would fail."""
    if target not in CaseStatus.values:
        raise TransitionError(_("Unknown status."))
    t = TRANSITIONS.get((case.status, target))
    if t is None:
        raise TransitionError(_("A case cannot move from “%(src)s” to “%(dst)s”.")
                              % {"src": CaseStatus(case.status).label, "dst": CaseStatus(target).label})
    if not access.may_edit(user, case) or t not in allowed_transitions(user, case):
        raise TransitionError(_("Your role may not move this case to “%(dst)s”.") % {"dst": CaseStatus(target).label})
    if t.reason_required and not reason.strip():
        raise TransitionError(_("Give a reason for this change."), unmet=["reason"])
    unmet = [item for gate in gates_for(case.status, target) for item in gate(case)]
    if unmet:
        raise TransitionError(_("Not yet possible: %(items)s.") % {"items": "; ".join(unmet)}, unmet=unmet)


def transition(user: Actor, case: Case, target: str, *, reason: str = "", expected_version: int | None = None,
               at: Any = None, via: str = "page") -> CaseEvent:
    """Move ``case`` to ``target``; refuse clearly, changing nothing, if the table or a gate forbids it."""
    check_transition(user, case, target, reason=reason)
    with transaction.atomic():
        version = case.version if expected_version is None else expected_version
        source = case.status
        updated = Case.objects.filter(pk=case.pk, version=version, status=source).update(
            status=target, version=F("version") + 1, updated_at=timezone.now())
        if not updated:
            raise ConflictError()
        event = CaseEvent.objects.create(case=case, from_status=source, to_status=target, actor=access.user_of(user),
                                         actor_party=user.party_code, reason=reason.strip(),
                                         **({"at": at} if at else {}))
        audit.record(user, "transition", case, via=via)
        _ledger("case_transition", user, case, {"case": case.pk, "from": source, "to": target,
                                              "reason": reason.strip(), "event": event.pk})
        if target == CaseStatus.REUNITED:
            from homeward.returns.services import schedule_follow_ups

            schedule_follow_ups(case, event.at.date())
        faults.point("registry.transition.before_commit")
        # every field but its child, which a case never changes: the child (and its party) read with the case stay
        # cached for the response (a whole refresh_from_db() drops every cached relation)
        case.refresh_from_db(fields=[f.attname for f in Case._meta.concrete_fields if f.name not in ("id", "child")])
    return event


def link_tracing_request(user: Actor, request: TracingRequest, child: Child, *, via: str = "page") -> None:
    with transaction.atomic():
        request.child = child
        request.status = TracingStatus.MATCHED
        request.save(update_fields=["child", "status", "updated_at"])
        _tracing_event(user, request, TracingEventKind.MATCHED, "")
        case = getattr(child, "case", None)
        if case is not None:
            case.requesters.add(request.requester)
            if request.party_id != child.party_id and case.requesting_party_id is None:
                Case.objects.filter(pk=case.pk).update(requesting_party_id=request.party_id)
        audit.record(user, "link", request, via=via)



def assign_caseworker(user: Actor, case: Case, caseworker: Any) -> None:
    """Mediator roles assign a mediator case worker (or administrator) to a case."""
    if not access.is_mediator(user) or (caseworker is not None and not access.is_mediator(caseworker)):
        raise TransitionError(_("Only a mediator may be assigned to a case."))
    with transaction.atomic():
        Case.objects.filter(pk=case.pk).update(caseworker=caseworker, updated_at=timezone.now())
        audit.record(user, "assign", case)


def share(user: Actor, obj: Any, parties: Any) -> None:
    """The mediator shares a record with NGOs (they then see it, but never its restricted fields)."""
    if not access.is_mediator(user):
        raise TransitionError(_("Only the mediator shares records."))
    with transaction.atomic():
        obj.shared_with.set(parties)
        audit.record(user, "share", obj)


# --- tracing requests ------------------------------------------------------------------------------


def _tracing_event(user: Actor, request: TracingRequest, kind: str, text: str) -> TracingEvent:
    return TracingEvent.objects.create(request=request, kind=kind, text=text, actor=access.user_of(user),
                                      actor_party=getattr(user, "party_code", "") or "")


def file_tracing_request(user: Actor, request: TracingRequest, *, new_requester: Person | None = None,
                         via: str = "page") -> TracingRequest:
    """File a request, with its requesting relative when the relative is new: both or neither are saved."""
    with transaction.atomic():
        if new_requester is not None:
            save_new(user, new_requester, via=via)
            request.requester = new_requester
        save_new(user, request, via=via)
        _tracing_event(user, request, TracingEventKind.FILED, "")
    return request


def change_tracing_request(user: Actor, request: TracingRequest, expected_version: int, *,
                           via: str = "page") -> TracingRequest:
    with transaction.atomic():
        save_changes(user, request, expected_version, via=via)
        _tracing_event(user, request, TracingEventKind.CHANGED, "")
    return request


def withdraw_tracing_request(user: Actor, request: TracingRequest, reason: str, *, via: str = "page") -> None:
    """The family (through its case worker) withdraws a request; the reason is kept in its history."""
    if not access.may_edit(user, request):
        raise TransitionError(_("Your role may not withdraw this request."))
    if not reason.strip():
        raise InputError({"reason": [_("Give the reason for withdrawing the request.")]})
    if request.status != TracingStatus.OPEN:
        raise TransitionError(_("Only an open request can be withdrawn."))
    with transaction.atomic():
        updated = TracingRequest.objects.filter(pk=request.pk, status=TracingStatus.OPEN).update(
            status=TracingStatus.WITHDRAWN, version=F("version") + 1, updated_at=timezone.now())
        if not updated:
            raise ConflictError()
        _tracing_event(user, request, TracingEventKind.WITHDRAWN, reason.strip()[:4000])
        audit.record(user, "withdraw", request, via=via)
        request.refresh_from_db()


def add_tracing_note(user: Actor, request: TracingRequest, text: str, *, via: str = "page") -> TracingEvent:
    if not text.strip():
        raise InputError({"text": [_("The note is empty.")]})
    with transaction.atomic():
        event = _tracing_event(user, request, TracingEventKind.NOTE, text.strip()[:4000])
        audit.record(user, "note", request, via=via)
    return event
