"""Return operations: verification, groups, route legs, custody hand-overs and follow-up.

Same policy as the pages (``homeward.access``): operations of other parties, and every action a role
may not take, answer 404. Refusals by the rules answer 409 with ``unmet`` naming what is missing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, P, QueryEx, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from homeward import access
from homeward.access import Actor, AuthedRequest
from homeward.accounts import audit
from homeward.accounts.models import Party, User
from homeward.exceptions import InputError, NotFound
from homeward.pagination import Pagination, SerialisedPage
from homeward.registry.models import Case
from homeward.returns import checklist, files, manifest, services
from homeward.returns.models import (
    FollowUp,
    Handover,
    Leg,
    Member,
    MemberKind,
    ReturnOperation,
    VerificationException,
)
from homeward.schema import Schema

router = Router(tags=["returns"])


# --- schemas -------------------------------------------------------------------------------------


class OperationIn(Schema):
    name: str
    from_party: str
    to_party: str
    planned_start: dt.date
    planned_end: dt.date
    capacity: int = 12
    notes: str = ""


class OperationOut(Schema):
    id: int
    name: str
    direction: str
    from_party: str
    to_party: str
    status: str
    planned_start: dt.date
    planned_end: dt.date
    capacity: int
    people: int
    children: int
    medical_support: dict[str, int]
    transit_countries: list[str]
    version: int


class MemberOut(Schema):
    id: int
    kind: str
    case_id: int | None
    party: str
    name: str | None
    role: str | None
    birth_date: dt.date | None
    needs_medical_support: bool | None
    verification_exception: bool
    custodian: str | None
    case_status: str | None


class Expected(Schema):
    """Optimistic locking: the version of the record the edit was made from (the operation's ``version``, or the
    follow-up's); 409 if someone saved it since. Without it the edit is not checked."""

    version: int | None = Field(None, ge=1, le=2**31 - 1)


class LegIn(Schema):
    from_place: str
    from_country: str
    to_place: str
    to_country: str
    mode: str
    carrier: str = ""
    planned_departure: dt.datetime | None = None
    planned_arrival: dt.datetime | None = None


class LegAdd(LegIn, Expected):
    pass


class LegOut(LegIn):
    sequence: int
    status: str
    actual_departure: dt.datetime | None
    actual_arrival: dt.datetime | None


class HostingIn(Schema):
    place: str
    city: str
    country: str
    host: str
    starts: dt.datetime
    ends: dt.datetime
    before_leg: int = 1


class HostingAdd(HostingIn, Expected):
    pass


class HostingOut(HostingIn):
    id: int


class HandoverIn(Expected):
    before_leg: int
    place: str
    country: str
    from_party: str
    to_party: str
    final: bool = False
    planned_at: dt.datetime | None = None
    case_ids: list[int] | None = None


class SignatureOut(Schema):
    side: str
    party: str
    signed_by: str
    signed_at: dt.datetime
    case_ids: list[int]
    digest: str
    ledger_index: int | None


class HandoverOut(Schema):
    id: int
    operation_id: int
    before_leg: int
    place: str
    country: str
    from_party: str
    to_party: str
    final: bool
    planned_at: dt.datetime | None
    completed_at: dt.datetime | None
    case_ids: list[int]
    signatures: list[SignatureOut]
    unmet: list[str]
    may_sign: list[str]


class OperationDetail(OperationOut):
    mediator: str
    notes: str
    members: list[MemberOut]
    legs: list[LegOut]
    hosting: list[HostingOut]
    handovers: list[HandoverOut]


class StatusIn(Expected):
    to: str
    reason: str = ""


class CaseRef(Expected):
    case_id: int


class MemberPersonIn(Expected):
    kind: str
    full_name: str
    party: str
    role: str = ""
    medical_support: str = ""


class SignIn(Schema):
    side: str
    case_ids: list[int]


class DocumentOut(Schema):
    id: int
    kind: str
    description: str
    has_file: bool
    sha256: str
    uploaded_by: str | None
    uploaded_at: dt.datetime


class ItemOut(Schema):
    item: str
    label: str
    confirmed: bool
    waived: bool
    confirmed_by: str | None
    confirmed_at: dt.datetime | None
    documents: list[DocumentOut]


class ExceptionOut(Schema):
    items: list[str]
    justification: str
    recorded_by: str
    recorded_at: dt.datetime


class VerificationOut(Schema):
    case_id: int
    status: str
    complete: bool
    unmet: list[str]
    flagged: bool
    items: list[ItemOut]
    exceptions: list[ExceptionOut]


class ConfirmIn(Schema):
    item: str
    notes: str = ""


class ExceptionIn(Schema):
    justification: str
    items: list[str] | None = None


class CustodyStepOut(Schema):
    party: str
    since: dt.datetime | None
    handover_id: int | None
    operation_id: int


class CustodyOut(Schema):
    case_id: int
    holder: str | None
    steps: list[CustodyStepOut]


class FollowUpOut(Schema):
    id: int
    case_id: int
    months: int
    due: dt.date
    status: str
    outcome: str
    further_support: bool
    notes: str
    done_at: dt.datetime | None
    version: int


class FollowUpIn(Expected):
    status: str
    outcome: str = ""
    notes: str = ""
    further_support: bool = False


class CloseIn(Schema):
    reason: str = ""


# --- helpers -------------------------------------------------------------------------------------


def _party(code: str, field: str) -> Party:
    party = Party.objects.filter(code=code).first()
    if party is None:
        raise InputError({field: [_("Unknown party.")]})
    return party


def _operation(request: AuthedRequest, op_id: int) -> ReturnOperation:
    return access.get(access.operations(request.user), op_id)


def _leg(op: ReturnOperation, n: int) -> Leg:
    leg = op.legs.filter(sequence=n).first()
    if leg is None:
        raise NotFound()
    return leg


def _op_out(op: ReturnOperation, user: Actor) -> dict[str, Any]:
    return {"id": op.pk, "name": op.name, "direction": op.direction, "from_party": op.from_party.code,
            "to_party": op.to_party.code, "status": op.status, "planned_start": op.planned_start,
            "planned_end": op.planned_end, "capacity": op.capacity,
            "people": op.n_people if hasattr(op, "n_people") else op.members.count(),  # with_summaries, or one
            "children": op.n_children if hasattr(op, "n_children")
            else op.members.filter(kind=MemberKind.CHILD).count(),
            "medical_support": services.medical_summary(op, user), "transit_countries": services.transit_countries(op),
            "version": op.version}


def _member_out(user: Actor, m: Member, visible: set[int]) -> dict[str, Any]:
    see = m.pk in visible
    child = m.case.child if m.case is not None else None
    needs = (bool(child.medical_needs.strip() or child.disability.strip() or m.medical_support) if child
             else bool(m.medical_support))
    return {"id": m.pk, "kind": m.kind, "case_id": m.case_id, "party": m.party.code,
            "name": (child.full_name if child else m.full_name) if see else None,
            "role": m.role if see else None, "birth_date": child.birth_date if (child and see) else None,
            "needs_medical_support": needs if see else None,
            "verification_exception": bool(m.case and VerificationException.objects.filter(case=m.case).exists()),
            "custodian": (holder.code if (holder := services.custodian(m.case)) else None) if m.case else None,
            "case_status": m.case.status if m.case else None}


def _handover_out(user: User, h: Handover) -> dict[str, Any]:
    return {"id": h.pk, "operation_id": h.operation_id, "before_leg": h.before_leg, "place": h.place,
            "country": h.country, "from_party": h.from_party.code, "to_party": h.to_party.code, "final": h.final,
            "planned_at": h.planned_at, "completed_at": h.completed_at,
            "case_ids": [c.pk for c in services.handover_cases(h)],
            "signatures": [{"side": s.side, "party": s.party.code, "signed_by": s.signed_by.get_username(),
                            "signed_at": s.signed_at, "case_ids": s.case_ids, "digest": s.digest,
                            "ledger_index": s.ledger_index} for s in h.signatures.select_related("party", "signed_by")],
            "unmet": services.signing_unmet(h) if not h.complete else [],
            "may_sign": services.sides_for(user, h)}


def _detail(user: User, op: ReturnOperation) -> dict[str, Any]:
    visible = {m.pk for m in manifest.visible_members(user, op)}
    members = manifest.ordered_members(op)
    return {**_op_out(op, user), "mediator": op.mediator.get_username(), "notes": op.notes,
            "members": [_member_out(user, m, visible) for m in members],
            "legs": list(op.legs.order_by("sequence").values(
                "sequence", "from_place", "from_country", "to_place", "to_country", "mode", "carrier",
                "planned_departure", "planned_arrival", "actual_departure", "actual_arrival", "status")),
            "hosting": [{"id": p.pk, "place": p.place, "city": p.city, "country": p.country, "host": p.host.code,
                         "starts": p.starts, "ends": p.ends, "before_leg": p.before_leg}
                        for p in op.hosting.select_related("host")],
            "handovers": [_handover_out(user, h) for h in op.handovers.select_related("from_party", "to_party",
                                                                                        "operation")]}


def _case(request: AuthedRequest, case_id: int) -> Case:
    return access.get(access.return_cases(request.user), case_id)


def _verification_out(case: Case) -> dict[str, Any]:
    rows = checklist.rows(case)
    unmet = [r.label for r in rows if not r.satisfied]
    exceptions = list(VerificationException.objects.filter(case=case).select_related("recorded_by"))
    return {"case_id": case.pk, "status": case.status, "complete": not unmet, "unmet": unmet,
            "flagged": bool(exceptions),
            "items": [{"item": r.item, "label": r.label, "confirmed": r.confirmed, "waived": r.waived,
                       "confirmed_by": r.verification.confirmed_by.get_username()
                       if r.verification and r.verification.confirmed_by else None,
                       "confirmed_at": r.verification.confirmed_at if r.verification else None,
                       "documents": [_document_out(d) for d in r.documents]} for r in rows],
            "exceptions": [{"items": e.items, "justification": e.justification,
                            "recorded_by": e.recorded_by.get_username(), "recorded_at": e.recorded_at}
                           for e in exceptions]}


def _document_out(d: Any) -> dict[str, Any]:
    return {"id": d.pk, "kind": d.kind, "description": d.description, "has_file": d.has_file, "sha256": d.sha256,
            "uploaded_by": d.uploaded_by.get_username() if d.uploaded_by else None, "uploaded_at": d.uploaded_at}


def _follow_up_out(f: FollowUp) -> dict[str, Any]:
    return {"id": f.pk, "case_id": f.case_id, "months": f.months, "due": f.due, "status": f.status,
            "outcome": f.outcome, "further_support": f.further_support, "notes": f.notes, "done_at": f.done_at,
            "version": f.version}


# --- operations ----------------------------------------------------------------------------------


@router.get("/operations", response=list[OperationOut])
@paginate(Pagination)
def list_operations(request: AuthedRequest, status: str | None = None) -> Any:
    """Operations the caller's party takes part in (mediators: all), latest planned start first, a page at a
    time; ``count`` counts only those the caller may see."""

    user = request.user
    qs = access.operations(user)
    if status:
        qs = qs.filter(status=status)
    return SerialisedPage(services.with_summaries(qs.order_by("-planned_start", "-created_at", "-id")),
                 lambda op: _op_out(op, user))


@router.post("/operations", response={201: OperationDetail})
def create_operation(request: AuthedRequest, payload: OperationIn) -> Status[dict[str, Any]]:
    data = payload.dict()
    access.require(access.manages_returns(request.user))
    data["from_party"] = _party(data["from_party"], "from_party")
    data["to_party"] = _party(data["to_party"], "to_party")
    op = services.create_operation(request.user, via="api", **data)
    return Status(201, _detail(request.user, op))


@router.get("/operations/{op_id}", response=OperationDetail)
def get_operation(request: AuthedRequest, op_id: int) -> dict[str, Any]:
    op = _operation(request, op_id)
    audit.record(request.user, "view", op, via="api")
    return _detail(request.user, op)


def _edit(payload: Expected) -> dict[str, Any]:
    """A payload's fields as service arguments, its ``version`` as ``expected_version``."""
    data = payload.dict()
    data["expected_version"] = data.pop("version")
    return data


@router.post("/operations/{op_id}/status", response=OperationDetail)
def set_operation_status(request: AuthedRequest, op_id: int, payload: StatusIn) -> dict[str, Any]:
    op = _operation(request, op_id)
    services.set_status(request.user, op, payload.to, reason=payload.reason, expected_version=payload.version,
                        via="api")
    return _detail(request.user, op)


@router.post("/operations/{op_id}/members", response={201: OperationDetail})
def add_child(request: AuthedRequest, op_id: int, payload: CaseRef) -> Status[dict[str, Any]]:
    """Add a child cleared for return; 409 with ``unmet`` naming the missing checklist items."""
    op = _operation(request, op_id)
    access.require(access.manages_returns(request.user))
    case = _case(request, payload.case_id)
    services.add_child(request.user, op, case, expected_version=payload.version, via="api")
    return Status(201, _detail(request.user, op))


@router.post("/operations/{op_id}/people", response={201: OperationDetail})
def add_person(request: AuthedRequest, op_id: int, payload: MemberPersonIn) -> Status[dict[str, Any]]:
    op = _operation(request, op_id)
    access.require(access.manages_returns(request.user))  # before reading the input: others see no route
    data = _edit(payload)
    data["party"] = _party(data["party"], "party")
    services.add_person(request.user, op, via="api", **data)
    return Status(201, _detail(request.user, op))


@router.delete("/operations/{op_id}/members/{member_id}", response=OperationDetail)
def remove_member(request: AuthedRequest, op_id: int, member_id: int,
                  version: QueryEx[int | None, P(ge=1, le=2**31 - 1)] = None) -> dict[str, Any]:
    """Remove a member; with ``?version=`` (the operation's version you saw), 409 if it changed since."""
    op = _operation(request, op_id)
    member = access.get(op.members.all(), member_id)
    services.remove_member(request.user, member, expected_version=version, via="api")
    return _detail(request.user, op)


@router.post("/operations/{op_id}/legs", response={201: OperationDetail})
def add_leg(request: AuthedRequest, op_id: int, payload: LegAdd) -> Status[dict[str, Any]]:
    op = _operation(request, op_id)
    services.add_leg(request.user, op, via="api", **_edit(payload))
    return Status(201, _detail(request.user, op))


@router.post("/operations/{op_id}/legs/{n}/start", response=OperationDetail)
def start_leg(request: AuthedRequest, op_id: int, n: int) -> dict[str, Any]:
    """Start leg ``n``; 409 unless every hand-over before it is signed by both parties."""
    op = _operation(request, op_id)
    services.start_leg(request.user, _leg(op, n), via="api")
    return _detail(request.user, op)


@router.post("/operations/{op_id}/legs/{n}/arrive", response=OperationDetail)
def arrive_leg(request: AuthedRequest, op_id: int, n: int) -> dict[str, Any]:
    op = _operation(request, op_id)
    services.arrive_leg(request.user, _leg(op, n), via="api")
    return _detail(request.user, op)


@router.get("/operations/{op_id}/legs/{n}/manifest")
def leg_manifest(request: AuthedRequest, op_id: int, n: int) -> HttpResponse:
    """The leg's manifest as PDF, watermarked with the viewer and time; officers see their own members only."""
    op = _operation(request, op_id)
    leg = _leg(op, n)
    pdf = manifest.render(request.user, op, leg)
    audit.record(request.user, "export", op, via="api")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="manifest-op{op.pk}-leg{leg.sequence}.pdf"'
    return response


@router.post("/operations/{op_id}/hosting", response={201: OperationDetail})
def add_hosting(request: AuthedRequest, op_id: int, payload: HostingAdd) -> Status[dict[str, Any]]:
    op = _operation(request, op_id)
    access.require(access.manages_returns(request.user))  # before reading the input: others see no route
    data = _edit(payload)
    data["host"] = _party(data["host"], "host")
    services.add_hosting(request.user, op, via="api", **data)
    return Status(201, _detail(request.user, op))


@router.post("/operations/{op_id}/handovers", response={201: HandoverOut})
def add_handover(request: AuthedRequest, op_id: int, payload: HandoverIn) -> Status[dict[str, Any]]:
    op = _operation(request, op_id)
    access.require(access.manages_returns(request.user))  # before reading the input: others see no route
    data = _edit(payload)
    data["from_party"] = _party(data["from_party"], "from_party")
    data["to_party"] = _party(data["to_party"], "to_party")
    h = services.add_handover(request.user, op, via="api", **data)
    return Status(201, _handover_out(request.user, h))


@router.get("/handovers/{handover_id}", response=HandoverOut)
def get_handover(request: AuthedRequest, handover_id: int) -> dict[str, Any]:
    h = access.get(access.handovers(request.user), handover_id)
    return _handover_out(request.user, h)


@router.post("/handovers/{handover_id}/signatures", response={201: HandoverOut})
def sign_handover(request: AuthedRequest, handover_id: int, payload: SignIn) -> Status[dict[str, Any]]:
    """Sign one side for exactly ``case_ids`` (the hand-over's list); each signature is a ledger entry."""
    h = access.get(access.handovers(request.user), handover_id)
    services.sign(request.user, h, payload.side, case_ids=payload.case_ids, via="api")
    h.refresh_from_db()
    return Status(201, _handover_out(request.user, h))


# --- verification, custody, follow-up --------------------------------------------------------------


@router.get("/cases/{case_id}/verification", response=VerificationOut)
def get_verification(request: AuthedRequest, case_id: int) -> dict[str, Any]:
    case = _case(request, case_id)
    audit.record(request.user, "view", case, via="api")
    return _verification_out(case)


@router.post("/cases/{case_id}/verification/documents", response={201: VerificationOut})
def add_document(request: AuthedRequest, case_id: int, item: Form[str], kind: Form[str], description: Form[str] = "",
                 file: UploadedFile | None = File(None)) -> Status[dict[str, Any]]:  # noqa: B008
    """Record an evidence document (multipart form); a file is stored encrypted at rest."""
    case = _case(request, case_id)
    services.add_document(request.user, case, item, kind, description=description,
                          data=file.read() if file is not None else None,
                          content_type=file.content_type or "" if file is not None else "", via="api")
    return Status(201, _verification_out(case))


@router.get("/documents/{document_id}")
def get_document_file(request: AuthedRequest, document_id: int) -> HttpResponse:
    """The decrypted file of an evidence document (audited); 404 outside the caller's scope or without a file."""
    doc = access.get(access.evidence_documents(request.user), document_id)
    access.require(doc.has_file)
    audit.record(request.user, "download", doc, via="api")
    response = HttpResponse(files.load(doc.stored_name), content_type=doc.content_type or "application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="evidence-{doc.pk}"'
    return response


@router.post("/cases/{case_id}/verification/confirm", response=VerificationOut)
def confirm_item(request: AuthedRequest, case_id: int, payload: ConfirmIn) -> dict[str, Any]:
    case = _case(request, case_id)
    services.confirm_item(request.user, case, payload.item, notes=payload.notes, via="api")
    return _verification_out(case)


@router.post("/cases/{case_id}/verification/exception", response={201: VerificationOut})
def record_exception(request: AuthedRequest, case_id: int, payload: ExceptionIn) -> Status[dict[str, Any]]:
    case = _case(request, case_id)
    services.record_exception(request.user, case, payload.justification, payload.items, via="api")
    return Status(201, _verification_out(case))


@router.get("/cases/{case_id}/custody", response=CustodyOut)
def get_custody(request: AuthedRequest, case_id: int) -> dict[str, Any]:
    """Who is responsible for the child now, and the signed chain that led there."""
    case = _case(request, case_id)
    holder = services.custodian(case)
    return {"case_id": case.pk, "holder": holder.code if holder else None,
            "steps": [{"party": s.party.code, "since": s.since, "handover_id": s.handover.pk if s.handover else None,
                       "operation_id": s.operation.pk} for s in services.custody_chain(case)]}


@router.get("/follow-ups", response=list[FollowUpOut])
@paginate(Pagination)
def list_follow_ups(request: AuthedRequest, status: str | None = None) -> Any:
    """Follow-up visits of the returned children the caller may see, soonest due first, a page at a time (each
    page is an audited read)."""

    qs = access.follow_ups(request.user)
    if status:
        qs = qs.filter(status=status)
    return SerialisedPage(qs.order_by("due", "id"), _follow_up_out, request)


@router.post("/follow-ups/{follow_up_id}", response=FollowUpOut)
def record_follow_up(request: AuthedRequest, follow_up_id: int, payload: FollowUpIn) -> dict[str, Any]:
    fu = access.get(access.follow_ups(request.user), follow_up_id)
    services.record_follow_up(request.user, fu, via="api", **_edit(payload))
    return _follow_up_out(fu)


@router.post("/cases/{case_id}/close", response=CustodyOut)
def close_case(request: AuthedRequest, case_id: int, payload: CloseIn) -> dict[str, Any]:
    """Close a reunited case: after every follow-up visit, or now with a reason (409 names what is missing)."""
    case = _case(request, case_id)
    services.close_case(request.user, case, reason=payload.reason, via="api")
    return get_custody(request, case_id)
