"""List exchange under ``/api/v1/lists/``. Same policy as the pages (``homeward.access``): another
party's list, version or name is 404, and never counted."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from homeward import access
from homeward.access import Actor, AuthedRequest
from homeward.accounts import audit
from homeward.accounts.models import Party, User
from homeward.exceptions import InputError
from homeward.exchange import diff, importer, matching, progress, reports, services
from homeward.exchange.models import ListVersion
from homeward.pagination import Pagination, SerialisedPage
from homeward.schema import Schema

router = Router(tags=["exchange"])


def _require(request: AuthedRequest) -> User:
    access.require(access.uses_lists(request.user))
    return request.user


class ListOut(Schema):
    id: int
    title: str
    party: str
    concerning: str
    latest_version: int | None
    names: int
    forwarded: int
    answered: int


class VersionOut(Schema):
    id: int
    list: int
    number: int
    party: str
    concerning: str
    uploaded_at: str
    sha256: str
    ledger_index: int | None
    signed_by: str
    names: int
    rows: int | None = None
    rejected: int | None = None


class ListEntryOut(Schema):
    id: int
    row: int
    record_id: str
    surname: str
    given_name: str
    patronymic: str
    sex: str
    birth_date: str | None
    birth_place: str
    forwarded: bool
    status: str
    whereabouts: str | None
    note: str
    match_reasons: list[str] = []


class FoundEntryOut(Schema):
    """A name on a list, found by a name search across the lists the caller may see."""

    id: int
    list_id: int
    list_title: str
    version_id: int
    version: int
    row: int
    surname: str
    given_name: str
    patronymic: str
    sex: str
    birth_date: str | None
    birth_place: str
    match_reasons: list[str]


class ForwardIn(Schema):
    entries: list[int] | None = None
    note: str = ""


class ForwardOut(Schema):
    forwarded: int
    ledger_index: int | None


class AnswerIn(Schema):
    entry: int
    status: str
    whereabouts: str = ""
    note: str = ""


class AnswersIn(Schema):
    answers: list[AnswerIn]


class AnswersOut(Schema):
    recorded: int
    ledger_indices: list[int | None]


class ListDecisionIn(Schema):
    decision: str
    reason: str = ""


def _version_out(user: Actor, v: ListVersion) -> dict[str, Any]:
    full = access.is_mediator(user) or access.is_submitter(user, v)
    return {"id": v.pk, "list": v.party_list_id, "number": v.number, "party": v.party_list.party.code,
            "concerning": v.party_list.concerning.code, "uploaded_at": v.uploaded_at.isoformat(),
            "sha256": v.sha256, "ledger_index": v.ledger_index, "signed_by": v.signature_key,
            "names": access.entries(user).filter(version=v).count(),
            "rows": v.row_count if full else None, "rejected": v.rejected_count if full else None}


@router.get("/", response=list[ListOut])
@paginate(Pagination)
def list_lists(request: AuthedRequest) -> Any:
    """Lists the caller may see, with the progress of their latest version, newest first, a page at a time."""
    user = _require(request)

    def page(plists: list[Any]) -> list[dict[str, Any]]:  # the figures (three queries) for the page's lists only
        return [{"id": p.party_list.pk, "title": p.party_list.title, "party": p.party_list.party.code,
                 "concerning": p.party_list.concerning.code, "latest_version": p.version.pk if p.version else None,
                 "names": p.total, "forwarded": p.forwarded, "answered": p.answered}
                for p in progress.for_user(user, plists=plists)]

    return SerialisedPage(progress.listed(user), serialise_page=page)


@router.post("/import", response={201: VersionOut})
def import_list(request: AuthedRequest, file: File[UploadedFile], title: Form[str], party: Form[str] = "",
                concerning: Form[str] = "", accept_valid: Form[bool] = False,
                signature: Form[str] = "") -> Any:
    """Import a list file (multipart). A file with invalid rows is rejected whole (422 with the row report
    and the rejection id) unless ``accept_valid``."""
    user = _require(request)
    the_party = Party.objects.filter(code=party.upper()).first() if party else user.party
    if the_party is None:
        raise InputError({"party": ["Unknown party."]})
    other = Party.objects.filter(code=concerning.upper()).first() if concerning else None
    if (file.size or 0) > importer.max_bytes():
        raise InputError({"file": [f"The file is larger than {importer.max_bytes() // 2**20} MB."]})
    outcome = services.import_list(user, party=the_party, title=title, filename=file.name or "upload",
                                   data=file.read(), concerning=other, accept_valid=accept_valid,
                                   signature=signature, via="api")
    if outcome.version is None:
        rej = outcome.rejection
        assert rej is not None
        rows = [{"row": p.row, "field": p.field, "column": p.column, "problem": p.text()}
                for p in outcome.check.problems]
        return HttpResponse(status=422, content_type="application/json", content=json.dumps({
            "detail": "The file was rejected; nothing of it was stored.", "rejection": rej.pk,
            "errors": {"rows": [f"row {r['row']}, field {r['field']}: {r['problem']}" for r in rows]},
            "rows": rows}))
    return Status(201, _version_out(user, outcome.version))


@router.get("/versions/{version_id}", response=VersionOut)
def get_version(request: AuthedRequest, version_id: int) -> dict[str, Any]:
    user = _require(request)
    v = access.get(access.versions(user), version_id)
    audit.record(user, "view", v, via="api")
    return _version_out(user, v)


def _entry_out(r: reports.Row) -> dict[str, Any]:
    from homeward.registry import search

    e = r.entry
    return {"match_reasons": search.match_reasons(e), "id": e.pk, "row": e.row, "record_id": e.record_id,
            "surname": e.surname, "given_name": e.given_name, "patronymic": e.patronymic, "sex": e.sex,
            "birth_date": e.birth_date.isoformat() if e.birth_date else None, "birth_place": e.birth_place,
            "forwarded": r.forwarded_at is not None, "status": r.status, "whereabouts": r.whereabouts or None,
            "note": r.note}


@router.get("/versions/{version_id}/entries", response=list[ListEntryOut])
@paginate(Pagination)
def get_entries(request: AuthedRequest, version_id: int, q: str | None = None) -> Any:
    """The names of a version the caller may see (the receiving party: only those forwarded to it), in row order,
    a page at a time; with ``q``, those matching it in any script, scheme or form, best match first, each with
    ``match_reasons``. Answers are fetched for the page only."""
    from homeward.registry import search

    user = _require(request)
    v = access.get(access.versions(user), version_id)
    audit.record(user, "view", v, via="api")
    now = timezone.now()
    names = search.filtered(reports.with_answers(access.entries(user).filter(version=v)).order_by("row"), q)
    return SerialisedPage(names, lambda e: _entry_out(reports.row_of(user, e, now)))


@router.get("/entries", response=list[FoundEntryOut])
@paginate(Pagination)
def find_entries(request: AuthedRequest, q: str) -> Any:
    """Names across every list version the caller may see (the receiving party: those forwarded to it) that
    match ``q`` in any script, scheme or form, best match first, each with ``match_reasons``."""
    from homeward.registry import search

    user = _require(request)
    found = search.search(access.entries(user), q)
    return SerialisedPage(found if found is not None else access.entries(user).none(), _found_entry, request)


def _found_entry(e: Any) -> dict[str, Any]:
    from homeward.registry import search

    return {"id": e.pk, "list_id": e.version.party_list_id, "list_title": e.version.party_list.title,
            "version_id": e.version_id, "version": e.version.number, "row": e.row, "surname": e.surname,
            "given_name": e.given_name, "patronymic": e.patronymic, "sex": e.sex,
            "birth_date": e.birth_date.isoformat() if e.birth_date else None, "birth_place": e.birth_place,
            "match_reasons": search.match_reasons(e)}


@router.post("/versions/{version_id}/forward", response=ForwardOut)
def forward(request: AuthedRequest, version_id: int, payload: ForwardIn) -> dict[str, Any]:
    """Mediator: forward all (no ``entries``) or the given names to the concerning party."""
    user = _require(request)
    v = access.get(access.versions(user), version_id)
    access.require(access.is_mediator(user))
    fwd = services.forward(user, v, payload.entries, note=payload.note, via="api")
    return {"forwarded": fwd.count if fwd else 0, "ledger_index": fwd.ledger_index if fwd else None}


@router.post("/versions/{version_id}/responses", response=AnswersOut)
def respond(request: AuthedRequest, version_id: int, payload: AnswersIn) -> dict[str, Any]:
    """The receiving party answers names forwarded to it; all answers are recorded or none."""
    user = _require(request)
    v = access.get(access.versions(user), version_id)
    access.require(access.is_receiver(user, v))
    visible = {e.pk: e for e in access.entries(user).filter(version=v, forwarding__to_party_id=user.party_id)}
    answers = []
    for a in payload.answers:
        access.require(a.entry in visible)
        answers.append(services.Answer(visible[a.entry], a.status, a.whereabouts, a.note))
    made = services.respond(user, answers, via="api")
    return {"recorded": len(made), "ledger_indices": [r.ledger_index for r in made]}


@router.get("/versions/{version_id}/report")
def report(request: AuthedRequest, version_id: int) -> dict[str, Any]:
    """Counts per status, pending names with their age, and the ledger evidence of the submission."""
    user = _require(request)
    v = access.get(access.versions(user), version_id)
    audit.record(user, "report", v, via="api")
    rep = reports.build(user, v)
    ev = rep.evidence
    return {"version": v.pk, "sha256": v.sha256, "submitted_at": v.uploaded_at.isoformat(),
            "counts": {code: n for code, _label, n in rep.counts},
            "pending": [{"entry": r.entry.pk, "row": r.entry.row, "days": r.age_days} for r in rep.pending],
            "evidence": {"ledger_index": ev.index, "entry": ev.entry_text, "leaf_hash": ev.leaf_hash,
                         "tree_size": ev.tree_size, "root": ev.root, "proof": ev.proof, "verified": ev.verified}}


@router.get("/versions/{version_id}/export/{fmt}")
def export(request: AuthedRequest, version_id: int, fmt: str) -> HttpResponse:
    """The reconciliation report as ``csv``, ``xlsx`` or ``pdf``."""
    from homeward.exchange.views import EXPORTS

    user = _require(request)
    v = access.get(access.versions(user), version_id)
    access.require(fmt in EXPORTS)
    content_type, render_fn = EXPORTS[fmt]
    audit.record(user, "export", v, via="api")
    resp = HttpResponse(render_fn(reports.build(user, v)), content_type=content_type)
    resp["Content-Disposition"] = f'attachment; filename="reconciliation-{v.party_list_id}-v{v.number}.{fmt}"'
    return resp


@router.get("/diff")
def version_diff(request: AuthedRequest, a: int, b: int) -> dict[str, Any]:
    """Added, removed and changed names (field by field) between two versions of one list."""
    user = _require(request)
    va = access.get(access.versions(user), a)
    vb = access.get(access.versions(user), b)
    access.require(va.party_list_id == vb.party_list_id)
    d = diff.diff_entries(list(access.entries(user).filter(version=va)), list(access.entries(user).filter(version=vb)))
    return {"added": [e.pk for e in d.added], "removed": [e.pk for e in d.removed], "unchanged": d.unchanged,
            "changed": [{"old": c.old.pk, "new": c.new.pk,
                         "changes": [{"field": ch.field, "old": str(ch.old or ""), "new": str(ch.new or "")}
                                     for ch in c.changes]} for c in d.changed]}


@router.post("/candidates/{candidate_id}/decision")
def decide(request: AuthedRequest, candidate_id: int, payload: ListDecisionIn) -> dict[str, Any]:
    """Mediator: same / different / unsure; ``same`` creates or updates the Child and Case."""
    user = _require(request)
    c = access.get(access.list_candidates(user), candidate_id)
    child = matching.decide(user, c, payload.decision, payload.reason)
    c.refresh_from_db()
    return {"candidate": c.pk, "decision": c.decision, "child": child.pk if child else None}


@router.get("/rejections/{rejection_id}")
def rejection(request: AuthedRequest, rejection_id: int) -> dict[str, Any]:
    user = _require(request)
    rej = access.get(access.rejections(user), rejection_id)
    return {"id": rej.pk, "party": rej.party.code, "at": rej.at.isoformat(), "sha256": rej.sha256,
            "rows": rej.row_count,
            "problems": [{**p, "problem": importer.Problem.from_dict(p).text()} for p in rej.reasons]}
