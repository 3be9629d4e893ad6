"""Writes of the returns domain. Each is one transaction with its audit record; hand-over signatures
also append a ``handover_signoff`` ledger entry, and case statuses move only through
``registry.services.transition``.

Errors name records by number and checklist items by label, never personal data.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward import access
from homeward.access import Viewer
from homeward.accounts import audit
from homeward.accounts.models import Party, User
from homeward.accounts.roles import PartyKind
from homeward.exceptions import ConflictError, InputError, TransitionError
from homeward.ledger import service as ledger
from homeward.registry import services as registry_services
from homeward.registry.models import Case
from homeward.registry.workflow import CaseStatus
from homeward.returns import checklist, files
from homeward.returns.models import (
    ACTIVE_STATUSES,
    ClosureReason,
    DocumentKind,
    EvidenceDocument,
    FollowUp,
    FollowUpStatus,
    Handover,
    HostingPeriod,
    Item,
    Leg,
    LegStatus,
    Member,
    MemberKind,
    OperationStatus,
    Outcome,
    ReturnOperation,
    Side,
    Signature,
    TransportMode,
    Verification,
    VerificationException,
)

FOLLOW_UP_MONTHS = (1, 3, 6)


def _signatures_due(op: ReturnOperation) -> None:
    """Tell the signers of each hand-over that has just become signable (``notifications``)."""
    from homeward.notifications import services as notifications

    notifications.signatures_due(op)


def _require_mediator(user: User) -> None:
    access.require(access.manages_returns(user))  # other roles do not see these actions at all


def _require_case_writer(user: User, case: Case) -> None:
    access.require(access.may_edit(user, case))


def _now(at: Any = None) -> dt.datetime:
    return at or timezone.now()


# --- verification --------------------------------------------------------------------------------


def _verification(case: Case, item: str) -> Verification:
    if item not in Item.values:
        raise InputError({"item": [_("Unknown checklist item.")]})
    v, _created = Verification.objects.get_or_create(case=case, item=item)
    return v


def add_document(user: User, case: Case, item: str, kind: str, *, description: str = "", data: bytes | None = None,
                 content_type: str = "", at: Any = None, via: str = "page") -> EvidenceDocument:
    """Record an evidence document for a checklist item; its file, if given, is stored encrypted."""
    _require_case_writer(user, case)
    if kind not in DocumentKind.values:
        raise InputError({"kind": [_("Unknown document kind.")]})
    if data is not None and len(data) > files.MAX_BYTES:
        raise InputError({"file": [_("The file is larger than 20 MB.")]})
    with transaction.atomic():
        v = _verification(case, item)
        doc = EvidenceDocument(verification=v, kind=kind, description=description.strip()[:300], uploaded_by=user,
                               uploaded_at=_now(at))
        if data:
            doc.stored_name, doc.sha256 = files.store(data)
            doc.size = len(data)
            doc.content_type = (content_type or "application/octet-stream")[:100]
        doc.save()
        audit.record(user, "upload", doc, via=via)
    return doc


def confirm_item(user: User, case: Case, item: str, *, notes: str = "", at: Any = None,
                 via: str = "page") -> Verification:
    """A mediator confirms a checklist item; it needs at least one evidence document."""
    _require_mediator(user)
    with transaction.atomic():
        v = _verification(case, item)
        if not v.documents.exists():
            raise InputError({"item": [_("Record at least one evidence document before confirming “%(item)s”.")
                                       % {"item": Item(item).label}]})
        v.notes = notes.strip()[:2000] or v.notes
        v.confirmed_by = user
        v.confirmed_at = _now(at)
        v.save()
        audit.record(user, "confirm", v, via=via)
    return v


def record_exception(user: User, case: Case, justification: str, items: Iterable[str] | None = None, *,
                     via: str = "page") -> VerificationException:
    """A mediator waives missing checklist items with a justification; the case stays flagged."""
    _require_mediator(user)
    if len(justification.strip()) < 10:
        raise InputError({"justification": [_("Give a justification of at least 10 characters.")]})
    chosen = list(items) if items else [r.item for r in checklist.rows(case) if not r.satisfied]
    if not chosen or any(i not in Item.values for i in chosen):
        raise InputError({"items": [_("Name the checklist items the exception covers.")]})
    with transaction.atomic():
        exc = VerificationException.objects.create(case=case, items=sorted(set(chosen)),
                                                   justification=justification.strip(), recorded_by=user)
        audit.record(user, "exception", exc, via=via)
    return exc


# --- operations ---------------------------------------------------------------------------------


def create_operation(user: User, *, name: str, from_party: Party, to_party: Party, planned_start: dt.date,
                     planned_end: dt.date, capacity: int = 12, notes: str = "", mediator: Any = None,
                     is_demo: bool = False, via: str = "page") -> ReturnOperation:
    _require_mediator(user)
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = [_("Give the operation a name.")]
    if from_party == to_party:
        errors["to_party"] = [_("The receiving party must differ from the handing party.")]
    if planned_end < planned_start:
        errors["planned_end"] = [_("The end cannot be before the start.")]
    if capacity < 1:
        errors["capacity"] = [_("The capacity must be at least 1.")]
    if errors:
        raise InputError(errors)
    with transaction.atomic():
        op = ReturnOperation.objects.create(name=name.strip(), from_party=from_party, to_party=to_party,
                                            mediator=mediator or user, planned_start=planned_start,
                                            planned_end=planned_end, capacity=capacity, notes=notes,
                                            is_demo=is_demo)
        audit.record(user, "create", op, via=via)
    return op


def _editable(op: ReturnOperation, statuses: tuple[str, ...] = (OperationStatus.PLANNING,
                                                                   OperationStatus.CONFIRMED)) -> None:
    if op.status not in statuses:
        raise TransitionError(_("Operation #%(id)s is %(status)s: this change is no longer possible.")
                              % {"id": op.pk, "status": OperationStatus(op.status).label})


def _bump(op: ReturnOperation, expected: int | None = None) -> None:
    """Count an edit of the operation. With ``expected`` (the version the editor saw), only if nobody saved it
    since: else ``ConflictError``, and the caller's transaction (the edit) is rolled back."""
    qs = ReturnOperation.objects.filter(pk=op.pk)
    if expected is not None:
        qs = qs.filter(version=expected)
    if not qs.update(version=F("version") + 1):
        raise ConflictError()
    op.refresh_from_db(fields=["version"])


def _expect(op: ReturnOperation, expected: int | None) -> None:
    """Refuse at once an edit made from a stale version (``_bump`` checks again, atomically, when saving)."""
    if expected is not None and expected != op.version:
        raise ConflictError()


def join_refusals(case: Case, op: ReturnOperation | None = None) -> list[str]:
    """Why ``case`` cannot join an operation (empty: it can). Labels and numbers only."""
    problems: list[str] = []
    if case.status != CaseStatus.CLEARED_FOR_RETURN:
        problems.append(_("case cleared for return (it is “%(status)s”)") % {"status": CaseStatus(case.status).label})
    problems += checklist.unmet(case)
    others = Member.objects.filter(case=case, operation__status__in=ACTIVE_STATUSES)
    if op is not None:
        others = others.exclude(operation=op)
    if others.exists():
        problems.append(_("not already in another active operation"))
    return problems


def add_child(user: User, op: ReturnOperation, case: Case, *, at: Any = None, expected_version: int | None = None,
              via: str = "page") -> Member:
    """Add a cleared child; refuses, naming what is missing, unless the checklist is complete."""
    _require_mediator(user)
    _editable(op)
    _expect(op, expected_version)
    if Member.objects.filter(operation=op, case=case).exists():
        raise InputError({"case_id": [_("Case #%(id)s is already in this operation.") % {"id": case.pk}]})
    problems = join_refusals(case, op)
    if problems:
        raise TransitionError(_("Case #%(id)s cannot join the operation; missing: %(items)s.")
                              % {"id": case.pk, "items": "; ".join(problems)}, unmet=problems)
    if op.members.count() >= op.capacity:
        raise InputError({"case_id": [_("The operation is full (capacity %(n)s).") % {"n": op.capacity}]})
    with transaction.atomic():
        member = Member.objects.create(operation=op, kind=MemberKind.CHILD, case=case, party=case.child.party,
                                       added_at=_now(at))
        _bump(op, expected_version)
        audit.record(user, "add_member", op, via=via)
    return member


def add_person(user: User, op: ReturnOperation, *, kind: str, full_name: str, party: Party, role: str = "",
               medical_support: str = "", expected_version: int | None = None, via: str = "page") -> Member:
    """Add an accompanying adult or an escort."""
    _require_mediator(user)
    _editable(op)
    _expect(op, expected_version)
    if kind not in (MemberKind.ADULT, MemberKind.ESCORT):
        raise InputError({"kind": [_("Choose an accompanying adult or an escort.")]})
    if not full_name.strip():
        raise InputError({"full_name": [_("Give the name.")]})
    if op.members.count() >= op.capacity:
        raise InputError({"full_name": [_("The operation is full (capacity %(n)s).") % {"n": op.capacity}]})
    with transaction.atomic():
        member = Member.objects.create(operation=op, kind=kind, full_name=full_name.strip(), party=party,
                                       role=role.strip(), medical_support=medical_support.strip())
        _bump(op, expected_version)
        audit.record(user, "add_member", op, via=via)
    return member


def remove_member(user: User, member: Member, *, expected_version: int | None = None, via: str = "page") -> None:
    _require_mediator(user)
    op = member.operation
    _editable(op)
    _expect(op, expected_version)
    signed = Signature.objects.filter(handover__operation=op).values_list("case_ids", flat=True)
    if member.case_id and any(member.case_id in ids for ids in signed):
        raise TransitionError(_("This child is named in a signed hand-over and cannot be removed."))
    with transaction.atomic():
        member.delete()
        _bump(op, expected_version)
        audit.record(user, "remove_member", op, via=via)


def add_leg(user: User, op: ReturnOperation, *, from_place: str, from_country: str, to_place: str, to_country: str,
            mode: str, carrier: str = "", planned_departure: Any = None, planned_arrival: Any = None,
            expected_version: int | None = None, via: str = "page") -> Leg:
    _require_mediator(user)
    _editable(op, ACTIVE_STATUSES)
    _expect(op, expected_version)
    if mode not in TransportMode.values:
        raise InputError({"mode": [_("Unknown mode of transport.")]})
    if not all(s.strip() for s in (from_place, from_country, to_place, to_country)):
        raise InputError({"from_place": [_("Give both ends of the leg with their countries.")]})
    if planned_departure and planned_arrival and planned_arrival < planned_departure:
        raise InputError({"planned_arrival": [_("The arrival cannot be before the departure.")]})
    with transaction.atomic():
        seq = (op.legs.order_by("-sequence").values_list("sequence", flat=True).first() or 0) + 1
        leg = Leg.objects.create(operation=op, sequence=seq, from_place=from_place.strip(),
                                 from_country=from_country.strip(), to_place=to_place.strip(),
                                 to_country=to_country.strip(), mode=mode, carrier=carrier.strip(),
                                 planned_departure=planned_departure, planned_arrival=planned_arrival)
        _bump(op, expected_version)
        audit.record(user, "add_leg", op, via=via)
    return leg


def route_points(op: ReturnOperation) -> list[tuple[int, str, str]]:
    """The points of the route as ``(before_leg, place, country)``: the start of leg 1, then the end of each
    leg (the end of the last leg is "before leg L+1"). Hand-overs and hosting periods are placed at one."""
    legs = (sorted(op.legs.all(), key=lambda leg: leg.sequence) if _prefetched(op, "legs")
            else list(op.legs.order_by("sequence")))
    if not legs:
        return []
    return [(1, legs[0].from_place, legs[0].from_country)] + [
        (leg.sequence + 1, leg.to_place, leg.to_country) for leg in legs]


def _same_country(a: str, b: str) -> bool:
    from homeward.ui.countries import country_code

    ca, cb = country_code(a), country_code(b)
    return ca == cb if ca and cb else a.strip().casefold() == b.strip().casefold()


def _check_route_point(op: ReturnOperation, before_leg: int, country: str, field: str) -> None:
    """A point placed on the route must exist and lie in the country given for it."""
    points = {n: (place, c) for n, place, c in route_points(op)}
    if not points:
        return  # no leg yet: nothing to check against
    if before_leg not in points:
        raise InputError({field: [_("There is no such point on the route: choose one of its stops.")]})
    place, expected = points[before_leg]
    if country.strip() and not _same_country(country, expected):
        raise InputError({"country": [_("This point of the route (%(place)s) is not in the country given.")
                                      % {"place": place}]})


def add_hosting(user: User, op: ReturnOperation, *, place: str, city: str, country: str, host: Party,
                starts: dt.datetime, ends: dt.datetime, before_leg: int = 1, expected_version: int | None = None,
                via: str = "page") -> HostingPeriod:
    _require_mediator(user)
    _editable(op, ACTIVE_STATUSES)
    _expect(op, expected_version)
    if ends < starts:
        raise InputError({"ends": [_("The end cannot be before the start.")]})
    if not place.strip():
        raise InputError({"place": [_("Give the place.")]})
    _check_route_point(op, max(1, before_leg), country, "before_leg")
    with transaction.atomic():
        period = HostingPeriod.objects.create(operation=op, place=place.strip(), city=city.strip(),
                                              country=country.strip(), host=host, starts=starts, ends=ends,
                                              before_leg=max(1, before_leg))
        _bump(op, expected_version)
        audit.record(user, "add_hosting", op, via=via)
    return period


def add_handover(user: User, op: ReturnOperation, *, before_leg: int, place: str, country: str, from_party: Party,
                 to_party: Party, final: bool = False, planned_at: Any = None,
                 case_ids: Iterable[int] | None = None, expected_version: int | None = None,
                 via: str = "page") -> Handover:
    """Plan a hand-over point. Without ``case_ids`` it covers every child of the operation at the
    moment of the first signature."""
    _require_mediator(user)
    _editable(op, ACTIVE_STATUSES)
    _expect(op, expected_version)
    if from_party == to_party:
        raise InputError({"to_party": [_("The receiving party must differ from the handing party.")]})
    if before_leg < 1:
        raise InputError({"before_leg": [_("Give the leg this hand-over comes before (1 = before the first).")]})
    if not place.strip():
        raise InputError({"place": [_("Give the place.")]})
    _check_route_point(op, before_leg, country, "before_leg")
    with transaction.atomic():
        h = Handover.objects.create(operation=op, before_leg=before_leg, place=place.strip(),
                                    country=country.strip(), from_party=from_party, to_party=to_party, final=final,
                                    planned_at=planned_at)
        if case_ids:
            chosen = set(case_ids)
            cases = list(Case.objects.filter(pk__in=chosen, return_members__operation=op))
            if len(cases) != len(chosen):
                raise InputError({"case_ids": [_("Name only children of this operation.")]})
            h.cases.set(cases)
        _bump(op, expected_version)
        audit.record(user, "add_handover", op, via=via)
        _signatures_due(op)
    return h


def _prefetched(obj: Any, name: str) -> bool:
    return name in getattr(obj, "_prefetched_objects_cache", {})


def with_summaries(qs: QuerySet[ReturnOperation]) -> QuerySet[ReturnOperation]:
    """Operations with what a list shows of each in a fixed number of queries: member counts, the members with
    their cases (``medical_summary``) and the legs (``transit_countries``)."""
    return qs.annotate(
        n_people=Count("members", distinct=True),
        n_children=Count("members", filter=Q(members__kind=MemberKind.CHILD), distinct=True),
    ).prefetch_related(Prefetch("members", queryset=Member.objects.select_related("case__child", "party")), "legs")


def transit_countries(op: ReturnOperation) -> list[str]:
    """Countries the route passes through, in order, other than where it starts and ends."""
    legs = (sorted(op.legs.all(), key=lambda leg: leg.sequence) if _prefetched(op, "legs")
            else list(op.legs.order_by("sequence")))
    if not legs:
        return []
    seen: list[str] = []
    for leg in legs:
        for country in (leg.from_country, leg.to_country):
            if country not in seen:
                seen.append(country)
    ends = {legs[0].from_country, legs[-1].to_country}
    return [c for c in seen if c not in ends]


def medical_summary(op: ReturnOperation, viewer: Viewer | None = None) -> dict[str, int]:
    """How many members need medical support, derived from the children's records and the adults' entries.

    Counted over the members ``viewer`` may see (``access.sees_member``): a party learns nothing about the
    other party's members, not even how many of them need support. ``None`` (the operator) counts all."""
    children = adults = 0
    members = op.members.all() if _prefetched(op, "members") else op.members.select_related("case__child", "party")
    for m in members:
        if not access.sees_member(viewer, m):
            continue
        if m.kind == MemberKind.CHILD and m.case is not None:
            if m.case.child.medical_needs.strip() or m.case.child.disability.strip() or m.medical_support:
                children += 1
        elif m.medical_support.strip():
            adults += 1
    return {"children": children, "adults": adults, "total": children + adults}


# --- operation status ----------------------------------------------------------------------------


OPERATION_TRANSITIONS: dict[tuple[str, str], bool] = {  # (from, to) -> reason required
    (OperationStatus.PLANNING, OperationStatus.CONFIRMED): False,
    (OperationStatus.CONFIRMED, OperationStatus.PLANNING): True,
    (OperationStatus.PLANNING, OperationStatus.CANCELLED): True,
    (OperationStatus.CONFIRMED, OperationStatus.CANCELLED): True,
    (OperationStatus.UNDER_WAY, OperationStatus.COMPLETED): False,
}


def confirmation_unmet(op: ReturnOperation) -> list[str]:
    unmet: list[str] = []
    children = list(op.members.filter(kind=MemberKind.CHILD).select_related("case"))
    if not children:
        unmet.append(_("at least one child"))
    if not op.legs.exists():
        unmet.append(_("at least one route leg"))
    if not op.handovers.filter(final=True).exists():
        unmet.append(_("a final hand-over"))
    if not op.handovers.filter(before_leg=1).exists():
        unmet.append(_("a hand-over before the first leg"))
    if op.members.count() > op.capacity:
        unmet.append(_("members within capacity"))
    for m in children:
        assert m.case is not None
        missing = checklist.unmet(m.case)
        if missing:
            unmet.append(_("case #%(id)s: %(items)s") % {"id": m.case.pk, "items": ", ".join(missing)})
    return unmet


def completion_unmet(op: ReturnOperation) -> list[str]:
    unmet: list[str] = []
    if op.legs.exclude(status=LegStatus.COMPLETED).exists():
        unmet.append(_("every leg arrived"))
    if op.handovers.filter(completed_at__isnull=True).exists():
        unmet.append(_("every hand-over signed by both parties"))
    return unmet


def set_status(user: User, op: ReturnOperation, target: str, *, reason: str = "", at: Any = None,
               expected_version: int | None = None, via: str = "page") -> ReturnOperation:
    _require_mediator(user)
    _expect(op, expected_version)
    key = (op.status, target)
    if key not in OPERATION_TRANSITIONS:
        raise TransitionError(_("An operation cannot move from “%(src)s” to “%(dst)s”.")
                              % {"src": OperationStatus(op.status).label,
                                 "dst": OperationStatus(target).label if target in OperationStatus.values else "?"})
    if OPERATION_TRANSITIONS[key] and not reason.strip():
        raise TransitionError(_("Give a reason for this change."), unmet=["reason"])
    unmet = confirmation_unmet(op) if target == OperationStatus.CONFIRMED else (
        completion_unmet(op) if target == OperationStatus.COMPLETED else [])
    if target == OperationStatus.CANCELLED and op.handovers.filter(signatures__isnull=False).exists():
        unmet.append(_("no hand-over signed yet"))
    if unmet:
        raise TransitionError(_("Not yet possible: %(items)s.") % {"items": "; ".join(unmet)}, unmet=unmet)
    with transaction.atomic():
        moved = ReturnOperation.objects.filter(pk=op.pk, status=op.status)
        if expected_version is not None:
            moved = moved.filter(version=expected_version)
        updated = moved.update(
            status=target, status_reason=reason.strip(), version=F("version") + 1,
            completed_at=_now(at) if target == OperationStatus.COMPLETED else None)
        if not updated:
            raise ConflictError()
        audit.record(user, "status", op, via=via)
        _signatures_due(op)
    op.refresh_from_db()
    return op


# --- custody -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CustodyStep:
    party: Party
    since: dt.datetime | None
    handover: Handover | None
    operation: ReturnOperation


def custody_chain(case: Case) -> list[CustodyStep]:
    """Who was responsible for the child, from joining an operation through every signed hand-over."""
    steps: list[CustodyStep] = []
    members = Member.objects.filter(case=case).exclude(operation__status=OperationStatus.CANCELLED).select_related(
        "operation", "operation__from_party").order_by("added_at", "id")
    for m in members:
        op = m.operation
        steps.append(CustodyStep(op.from_party, m.added_at, None, op))
        for h in (Handover.objects.filter(cases=case, operation=op, completed_at__isnull=False)
                  .select_related("to_party").order_by("completed_at", "id")):
            steps.append(CustodyStep(h.to_party, h.completed_at, h, op))
    return steps


def custodian(case: Case, at: dt.datetime | None = None) -> Party | None:
    """The party responsible for the child at ``at`` (now by default); None if no operation knows."""
    holder = None
    for step in custody_chain(case):
        if at is None or step.since is None or step.since <= at:
            holder = step.party
    return holder


# --- hand-overs and legs -------------------------------------------------------------------------


def handover_cases(h: Handover) -> list[Case]:
    """The children a hand-over covers: its list once fixed, else every child of the operation."""
    fixed = list(h.cases.select_related("child", "child__party").order_by("pk"))
    if fixed or h.signatures.exists():
        return fixed
    return list(Case.objects.filter(return_members__operation=h.operation).select_related(
        "child", "child__party").order_by("pk"))


def digest(h: Handover, case_ids: list[int]) -> str:
    body = json.dumps({"operation": h.operation_id, "handover": h.pk, "from": h.from_party.code,
                       "to": h.to_party.code, "cases": sorted(case_ids)}, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(body.encode()).hexdigest()


def sides_for(user: User, h: Handover) -> list[str]:
    prefetched = getattr(h, "_prefetched_objects_cache", {}).get("signatures")  # a list of hand-overs prefetches
    signed = ({s.side for s in prefetched} if prefetched is not None
              else set(h.signatures.values_list("side", flat=True)))
    out = []
    if access.signs_for(user, h.from_party) and Side.HANDING not in signed:
        out.append(Side.HANDING.value)
    if access.signs_for(user, h.to_party) and Side.RECEIVING not in signed:
        out.append(Side.RECEIVING.value)
    return out


def signing_unmet(h: Handover) -> list[str]:
    """Why this hand-over cannot be signed yet (labels and numbers only)."""
    op = h.operation
    unmet: list[str] = []
    if op.status not in (OperationStatus.CONFIRMED, OperationStatus.UNDER_WAY):
        unmet.append(_("the operation confirmed"))
    # Earlier on the route, or before the same leg and planned first (ids are random: they say nothing of order).
    same_leg = op.handovers.filter(completed_at__isnull=True, before_leg=h.before_leg)
    earlier = op.handovers.filter(completed_at__isnull=True, before_leg__lt=h.before_leg)
    earlier = earlier | same_leg.filter(created_at__lt=h.created_at)
    earlier = earlier | same_leg.filter(created_at=h.created_at, pk__lt=h.pk)
    for other in earlier.distinct().order_by("before_leg", "created_at", "pk"):
        unmet.append(_("the earlier hand-over #%(id)s signed") % {"id": other.pk})
    for leg in op.legs.filter(sequence__lt=h.before_leg).exclude(status=LegStatus.COMPLETED):
        unmet.append(_("leg %(n)s arrived") % {"n": leg.sequence})
    cases = handover_cases(h)
    if not cases:
        unmet.append(_("at least one child to hand over"))
    for case in cases:
        holder = custodian(case)
        if holder is None or holder.pk != h.from_party_id:
            unmet.append(_("case #%(id)s in the custody of %(party)s") % {"id": case.pk, "party": h.from_party.code})
        expected = (CaseStatus.IN_TRANSIT,) if h.final else (
            CaseStatus.CLEARED_FOR_RETURN, CaseStatus.IN_MEDIATOR_CARE, CaseStatus.IN_TRANSIT)
        if case.status not in expected:
            unmet.append(_("case #%(id)s “%(status)s” (it is “%(now)s”)")
                         % {"id": case.pk, "status": CaseStatus(expected[0]).label,
                            "now": CaseStatus(case.status).label})
    return unmet


def sign(user: User, h: Handover, side: str, *, case_ids: Iterable[int] | None = None, at: Any = None,
         via: str = "page") -> Signature:
    """Sign one side of a hand-over for the exact children listed; the second signature completes it.

    ``case_ids``, if given, must equal the hand-over's list: a signer confirms what it sees.
    """
    if side not in Side.values:
        raise InputError({"side": [_("Choose the handing or the receiving side.")]})
    party = h.from_party if side == Side.HANDING else h.to_party
    if not access.signs_for(user, party):
        raise TransitionError(_("Only %(party)s may sign this side of the hand-over.") % {"party": party.code})
    when = _now(at)
    with transaction.atomic():
        h = Handover.objects.select_for_update().select_related("operation", "from_party", "to_party").get(pk=h.pk)
        if h.signatures.filter(side=side).exists():
            raise ConflictError(_("This side of hand-over #%(id)s is already signed.") % {"id": h.pk})
        unmet = signing_unmet(h)
        if unmet:
            raise TransitionError(_("Hand-over #%(id)s cannot be signed yet; missing: %(items)s.")
                                  % {"id": h.pk, "items": "; ".join(unmet)}, unmet=unmet)
        cases = handover_cases(h)
        ids = sorted(c.pk for c in cases)
        if case_ids is not None and sorted(set(case_ids)) != ids:
            raise ConflictError(_("The list of children changed; reload the hand-over and sign again."))
        if not h.cases.exists():
            h.cases.set(cases)
        sha = digest(h, ids)
        entry = ledger.record("handover_signoff", actor=user, party_code=party.code, object_type="handover",
                              object_id=h.pk, content={"operation": h.operation_id, "handover": h.pk, "side": side,
                                                       "party": party.code, "cases": ids, "digest": sha})
        sig = Signature.objects.create(handover=h, side=side, party=party, signed_by=user, signed_at=when,
                                       case_ids=ids, digest=sha, ledger_index=entry.index)
        audit.record(user, "sign", h, via=via)
        if h.signatures.count() == 2:
            _complete(user, h, cases, when)
        from homeward.notifications import services as notifications

        notifications.signed(h, side)
        _signatures_due(h.operation)  # the other side, or the next hand-over, may now wait for a signature
    return sig


def _actor(user: User, op: ReturnOperation) -> User:
    return user if access.is_mediator(user) else op.mediator


def _complete(user: User, h: Handover, cases: list[Case], when: dt.datetime) -> None:
    """Both sides signed: custody passes, and the cases move on."""
    Handover.objects.filter(pk=h.pk).update(completed_at=when)
    h.completed_at = when
    op = h.operation
    actor = _actor(user, op)
    reason = _("Hand-over #%(id)s signed by %(a)s and %(b)s.") % {"id": h.pk, "a": h.from_party.code,
                                                                 "b": h.to_party.code}
    for case in cases:
        case.refresh_from_db()
        if h.final and case.status == CaseStatus.IN_TRANSIT:
            registry_services.transition(actor, case, CaseStatus.REUNITED, reason=reason, at=when, via="returns")
        elif h.to_party.kind == PartyKind.MEDIATOR and case.status == CaseStatus.CLEARED_FOR_RETURN:
            registry_services.transition(actor, case, CaseStatus.IN_MEDIATOR_CARE, reason=reason, at=when,
                                         via="returns")
    if op.status == OperationStatus.CONFIRMED:
        ReturnOperation.objects.filter(pk=op.pk).update(status=OperationStatus.UNDER_WAY, version=F("version") + 1)
    op.refresh_from_db()
    if op.status == OperationStatus.UNDER_WAY and not completion_unmet(op):
        ReturnOperation.objects.filter(pk=op.pk).update(status=OperationStatus.COMPLETED, completed_at=when,
                                                        version=F("version") + 1)


def leg_start_unmet(leg: Leg) -> list[str]:
    op = leg.operation
    unmet: list[str] = []
    if op.status not in (OperationStatus.CONFIRMED, OperationStatus.UNDER_WAY):
        unmet.append(_("the operation confirmed"))
    if leg.status != LegStatus.PLANNED:
        unmet.append(_("the leg not yet started"))
    for prev in op.legs.filter(sequence__lt=leg.sequence).exclude(status=LegStatus.COMPLETED):
        unmet.append(_("leg %(n)s arrived") % {"n": prev.sequence})
    before = op.handovers.filter(before_leg__lte=leg.sequence)
    if not before.exists():
        unmet.append(_("a signed hand-over before this leg"))
    for h in before.filter(completed_at__isnull=True):
        unmet.append(_("hand-over #%(id)s signed by both parties") % {"id": h.pk})
    return unmet


def start_leg(user: User, leg: Leg, *, at: Any = None, via: str = "page") -> Leg:
    """Start a leg; needs the previous sign-off. The first leg puts children in the mediator's care in transit."""
    _require_mediator(user)
    unmet = leg_start_unmet(leg)
    if unmet:
        raise TransitionError(_("Leg %(n)s cannot start yet; missing: %(items)s.")
                              % {"n": leg.sequence, "items": "; ".join(unmet)}, unmet=unmet)
    when = _now(at)
    op = leg.operation
    with transaction.atomic():
        if not Leg.objects.filter(pk=leg.pk, status=LegStatus.PLANNED).update(status=LegStatus.UNDER_WAY,
                                                                               actual_departure=when):
            raise ConflictError()
        reason = _("Leg %(n)s of operation #%(op)s started.") % {"n": leg.sequence, "op": op.pk}
        for m in op.members.filter(kind=MemberKind.CHILD).select_related("case"):
            case = m.case
            assert case is not None
            if case.status == CaseStatus.IN_MEDIATOR_CARE:
                registry_services.transition(user, case, CaseStatus.IN_TRANSIT, reason=reason, at=when,
                                             via="returns")
        if op.status == OperationStatus.CONFIRMED:
            ReturnOperation.objects.filter(pk=op.pk).update(status=OperationStatus.UNDER_WAY,
                                                            version=F("version") + 1)
        audit.record(user, "start_leg", op, via=via)
    leg.refresh_from_db()
    return leg


def arrive_leg(user: User, leg: Leg, *, at: Any = None, via: str = "page") -> Leg:
    _require_mediator(user)
    if leg.status != LegStatus.UNDER_WAY:
        raise TransitionError(_("Leg %(n)s is not under way.") % {"n": leg.sequence})
    when = _now(at)
    with transaction.atomic():
        Leg.objects.filter(pk=leg.pk).update(status=LegStatus.COMPLETED, actual_arrival=when)
        audit.record(user, "arrive_leg", leg.operation, via=via)
        _signatures_due(leg.operation)
    leg.refresh_from_db()
    return leg


# --- follow-up and closure -----------------------------------------------------------------------


def schedule_follow_ups(case: Case, start: dt.date, months: Iterable[int] = FOLLOW_UP_MONTHS) -> list[FollowUp]:
    """Schedule the visits after reunification (idempotent: an already scheduled month is kept)."""
    out = []
    for m in months:
        due = _add_months(start, m)
        fu, _created = FollowUp.objects.get_or_create(case=case, months=m, defaults={"due": due})
        out.append(fu)
    return out


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise ValueError("unreachable")


def record_follow_up(user: User, fu: FollowUp, *, status: str, outcome: str = "", notes: str = "",
                     further_support: bool = False, at: Any = None, expected_version: int | None = None,
                     via: str = "page") -> FollowUp:
    """Record a visit as done or missed. With ``expected_version`` (the version the recorder saw), refused
    with ``ConflictError`` if someone recorded it since."""
    _require_case_writer(user, fu.case)
    if expected_version is not None and expected_version != fu.version:
        raise ConflictError()
    if status not in (FollowUpStatus.DONE, FollowUpStatus.MISSED):
        raise InputError({"status": [_("Record the visit as done or missed.")]})
    if status == FollowUpStatus.DONE and outcome not in Outcome.values:
        raise InputError({"outcome": [_("Give the outcome of the visit.")]})
    with transaction.atomic():
        fu.status, fu.outcome, fu.notes = status, outcome if status == FollowUpStatus.DONE else "", notes.strip()
        fu.further_support = further_support
        fu.done_at = _now(at)
        fu.recorded_by = user
        if not FollowUp.objects.filter(pk=fu.pk, version=fu.version).update(version=F("version") + 1):
            raise ConflictError()
        fu.version += 1
        fu.save()
        audit.record(user, "follow_up", fu, via=via)
    return fu


def close_case(user: User, case: Case, *, reason: str = "", at: Any = None, via: str = "page") -> None:
    """Close a reunited case: after its follow-ups, or now with a recorded reason."""
    _require_mediator(user)
    case.refresh_from_db()
    with transaction.atomic():
        if reason.strip():
            ClosureReason.objects.update_or_create(case=case, defaults={"reason": reason.strip(),
                                                                        "recorded_by": user})
        registry_services.transition(user, case, CaseStatus.CLOSED, reason=reason, at=at, via=via)
