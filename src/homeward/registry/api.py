"""Registry routes: children, persons, tracing requests, cases and their transitions.

Every route asks the access policy (``homeward.access``); another party's record is 404.
"""


from typing import Any, NamedTuple

from django.db import transaction
from django.db.models import QuerySet
from ninja import Query, Router, Status
from ninja.pagination import paginate

from homeward import access
from homeward.access import Actor, AuthedRequest
from homeward.accounts import audit
from homeward.accounts.models import Party, User
from homeward.exceptions import InputError
from homeward.pagination import Pagination, SerialisedPage
from homeward.registry import search, services
from homeward.registry.models import Case, CaseEvent, Child, NameForm, Person, TracingRequest
from homeward.registry.schemas import (
    CHILD_ROW_FIELDS,
    CaseIn,
    CaseOut,
    CaseStatusOut,
    ChildCreate,
    ChildCreatedOut,
    ChildOut,
    ChildUpdate,
    PersonIn,
    PersonOut,
    PersonUpdate,
    TracingRequestIn,
    TracingRequestOut,
    TracingRequestUpdate,
    TransitionIn,
    child_payload,
    child_row_payload,
    name_form_payload,
)
from homeward.schema import Schema

router = Router(tags=["registry"])


class ChildFilters(Schema):
    q: str | None = None
    status: str | None = None
    party: str | None = None
    region: str | None = None


def filter_children(qs: QuerySet[Child], f: ChildFilters) -> QuerySet[Child]:
    """Every filter but the name query (see :func:`search_children`)."""
    if f.status:
        qs = qs.filter(case__status=f.status)
    if f.party:
        qs = qs.filter(party__code=f.party)
    if f.region:
        qs = qs.filter(region__icontains=f.region)
    return qs


def search_children(qs: QuerySet[Child], f: ChildFilters) -> QuerySet[Child] | search.Ranked[Child]:
    """``qs`` (scoped by the access policy) with the filters applied; with ``q``, the matching children ranked
    by the name search (any script, scheme or form; see ``homeward.registry.search``)."""
    qs = filter_children(qs, f)
    found = search.search(qs, f.q) if f.q else None
    return qs if found is None else found


def _require_writer(user: Actor) -> None:
    access.require(access.may_register(user))  # roles without write access see no registry at all


def _apply(obj: Any, data: dict[str, Any]) -> None:
    for key, value in data.items():
        setattr(obj, key, value)


# --- children ---------------------------------------------------------------------------------

@router.get("/children", response=list[ChildOut])
@paginate(Pagination)
def list_children(request: AuthedRequest, filters: Query[ChildFilters]) -> list[dict[str, Any]]:
    """Children the caller may see, filtered by case status, party or region, and by ``q``: a name in any script,
    transliteration, language form or diminutive, one typo per word allowed; then ranked best match first
    (exact spelling, same name, typo), each with ``match_reasons``."""
    qs = search_children(access.children(request.user).select_related("case"), filters)
    user = request.user
    if isinstance(qs, QuerySet):  # no name search: the page's rows as values, not model instances
        def rows(children: list[dict[str, Any]]) -> list[dict[str, Any]]:
            forms = _grouped(NameForm.objects.filter(child_id__in=[c["id"] for c in children]).order_by("child_id"),
                             "child_id", ("given_name", "surname", "patronymic", "kind", "source"))
            return [child_row_payload(c, restricted=access.sees_restricted(user, _Owned(c["party_id"])),
                                      name_forms=forms.get(c["id"], [])) for c in children]

        return SerialisedPage(qs.values(*CHILD_ROW_FIELDS), request=request,  # type: ignore[return-value]
                              serialise_page=rows)

    def page(children: list[Child]) -> list[dict[str, Any]]:
        # The page's name forms in one query, unless the name search has read them already.
        read = {c.pk for c in children if "name_forms" not in getattr(c, "_prefetched_objects_cache", {})}
        forms = _grouped(NameForm.objects.filter(child_id__in=read).order_by("child_id"), "child_id",
                         ("given_name", "surname", "patronymic", "kind", "source")) if read else {}
        return [child_payload(c, restricted=access.sees_restricted(user, c),
                              name_forms=forms.get(c.pk, []) if c.pk in read else None) for c in children]

    return SerialisedPage(qs, request=request, serialise_page=page)  # type: ignore[return-value]


class _Owned(NamedTuple):
    """A record's party, for ``access.sees_restricted`` of a row read as values."""

    party_id: int | None


def _grouped(qs: QuerySet[Any], key: str, fields: tuple[str, ...]) -> dict[Any, list[dict[str, Any]]]:
    """The rows of ``qs`` as dicts of ``fields``, grouped by ``key``, in the order of ``qs``; none for no rows.

    What ``prefetch_related`` gives, as plain values: one query for a page, without a model instance and a
    related manager's queryset built per row (a quarter of the CPU of a page of 50 children, profiled)."""
    out: dict[Any, list[dict[str, Any]]] = {}
    for row in qs.values(key, *fields):
        out.setdefault(row.pop(key), []).append(row)
    return out


def _detail(request: AuthedRequest, qs: QuerySet[Any], pk: int) -> Any:
    """One record in the caller's scope (else 404); the view is audited."""
    obj = access.get(qs, pk)
    audit.record(request.user, "view", obj, via="api")
    return obj


def _editable(request: AuthedRequest, qs: QuerySet[Any], pk: int) -> Any:
    obj = access.get(qs, pk)
    access.require(access.may_edit(request.user, obj))
    return obj


def _update(request: AuthedRequest, obj: Any, payload: Schema, **fields: Any) -> None:
    """Apply an update payload (which carries the version it started from) through the services."""
    data = payload.dict()
    version = data.pop("version")
    data.update(fields)
    _apply(obj, data)
    services.save_changes(request.user, obj, version, via="api")


@router.get("/children/{child_id}", response=ChildOut)
def get_child(request: AuthedRequest, child_id: int) -> dict[str, Any]:
    child = _detail(request, access.children(request.user), child_id)
    return child_payload(child, restricted=access.sees_restricted(request.user, child))


@router.post("/children", response={201: ChildCreatedOut})
def create_child(request: AuthedRequest, payload: ChildCreate) -> Status[dict[str, Any]]:
    """Register a child; ``possible_duplicates`` lists children the caller may see that it likely repeats."""
    from homeward.registry import duplicates

    _require_writer(request.user)
    data = payload.dict()
    forms = data.pop("name_forms")
    found = duplicates.possible_duplicates(request.user, data, forms)
    with transaction.atomic():
        child = Child()
        _apply(child, data)
        services.save_new(request.user, child, via="api")
        made = [NameForm.objects.create(child=child, **form) for form in forms]
        if forms:
            from homeward.registry import continuous, search

            search.index(child)
            continuous.queue(child)  # again, with its other name forms
    # its name forms are those just written and it has no case yet: neither is read back
    out = child_payload(child, restricted=True, name_forms=[name_form_payload(n) for n in made], new=True)
    return Status(201, {**out, "possible_duplicates": [d.as_api() for d in found]})


@router.put("/children/{child_id}", response=ChildOut)
def update_child(request: AuthedRequest, child_id: int, payload: ChildUpdate) -> dict[str, Any]:
    child = _editable(request, access.children(request.user), child_id)
    _update(request, child, payload)
    return child_payload(child, restricted=True)


# --- persons ----------------------------------------------------------------------------------

def _person_payload(p: Person, user: Actor) -> dict[str, Any]:
    data = {f: getattr(p, f) for f in ("id", "version", "given_name", "surname", "patronymic", "relationship",
                                       "child_id")}
    data["party"] = p.party.code
    if access.sees_restricted(user, p):
        data.update(phone=p.phone, email=p.email, address=p.address)
    data["match_reasons"] = search.match_reasons(p)
    return data


def _visible_child(user: Actor, child_id: int | None) -> Child | None:
    if child_id is None:
        return None
    try:
        return access.children(user).get(pk=child_id)
    except Child.DoesNotExist:
        raise InputError({"child_id": ["No such child."]}) from None


@router.get("/persons", response=list[PersonOut])
@paginate(Pagination)
def list_persons(request: AuthedRequest, q: str | None = None) -> list[dict[str, Any]]:
    """Relatives and representatives the caller may see; with ``q``, those whose names match it in any script,
    scheme or form, best match first, each with ``match_reasons``."""
    user = request.user
    qs = search.filtered(access.persons(user).select_related("party"), q)
    return SerialisedPage(qs, lambda p: _person_payload(p, user), request)  # type: ignore[return-value]


@router.get("/persons/{person_id}", response=PersonOut)
def get_person(request: AuthedRequest, person_id: int) -> dict[str, Any]:
    person = _detail(request, access.persons(request.user), person_id)
    return _person_payload(person, request.user)


@router.post("/persons", response={201: PersonOut})
def create_person(request: AuthedRequest, payload: PersonIn) -> Status[dict[str, Any]]:
    _require_writer(request.user)
    data = payload.dict()
    child = _visible_child(request.user, data.pop("child_id"))
    person = Person(child=child)
    _apply(person, data)
    services.save_new(request.user, person, via="api")
    return Status(201, _person_payload(person, request.user))


@router.put("/persons/{person_id}", response=PersonOut)
def update_person(request: AuthedRequest, person_id: int, payload: PersonUpdate) -> dict[str, Any]:
    person = _editable(request, access.persons(request.user), person_id)
    _update(request, person, payload, child=_visible_child(request.user, payload.child_id))
    return _person_payload(person, request.user)


# --- tracing requests ---------------------------------------------------------------------------

def _tracing_payload(t: TracingRequest, user: Actor) -> dict[str, Any]:
    data = {f: getattr(t, f) for f in TracingRequestUpdate.model_fields if f != "version"}
    data.update(id=t.pk, party=t.party.code, version=t.version, requester_id=t.requester_id, child_id=t.child_id,
                status=t.status, name_forms=[], match_reasons=search.match_reasons(t))
    if not access.sees_restricted(user, t):
        data.update(medical_needs=None, disability=None)
    return data


@router.get("/tracing-requests", response=list[TracingRequestOut])
@paginate(Pagination)
def list_tracing_requests(request: AuthedRequest, q: str | None = None,
                          status: str | None = None) -> list[dict[str, Any]]:
    """Tracing requests the caller may see, by ``status``; with ``q``, those whose sought child's name matches it
    in any script, scheme or form, best match first, each with ``match_reasons``."""
    user = request.user
    qs = access.tracing_requests(user).select_related("party")
    if status:
        qs = qs.filter(status=status)
    found = search.filtered(qs, q)
    if isinstance(found, QuerySet):  # no name search: the page's rows as values, not model instances
        return SerialisedPage(found.values(*_TRACING_ROW_FIELDS), lambda row: _tracing_row_payload(row, user),
                              request)  # type: ignore[return-value]
    return SerialisedPage(found, lambda t: _tracing_payload(t, user), request)  # type: ignore[return-value]


_TRACING_ROW_FIELDS = (*(f for f in TracingRequestUpdate.model_fields if f != "version"), "id", "party_id",
                       "party__code", "version", "requester_id", "child_id", "status")


def _tracing_row_payload(row: dict[str, Any], user: Actor) -> dict[str, Any]:
    """``_tracing_payload`` of a tracing request read as values (``_TRACING_ROW_FIELDS``), not as a model instance
    with its party and requester; the same payload (tests/test_page_costs.py)."""
    data = {f: row[f] for f in TracingRequestUpdate.model_fields if f != "version"}
    data.update(id=row["id"], party=row["party__code"], version=row["version"], requester_id=row["requester_id"],
                child_id=row["child_id"], status=row["status"], name_forms=[], match_reasons=[])
    if not access.sees_restricted(user, _Owned(row["party_id"])):
        data.update(medical_needs=None, disability=None)
    return data


@router.get("/tracing-requests/{request_id}", response=TracingRequestOut)
def get_tracing_request(request: AuthedRequest, request_id: int) -> dict[str, Any]:
    tracing = _detail(request, access.tracing_requests(request.user), request_id)
    return _tracing_payload(tracing, request.user)


@router.post("/tracing-requests", response={201: TracingRequestOut})
def create_tracing_request(request: AuthedRequest, payload: TracingRequestIn) -> Status[dict[str, Any]]:
    _require_writer(request.user)
    data = payload.dict()
    try:
        requester = access.persons(request.user).get(pk=data.pop("requester_id"))
    except Person.DoesNotExist:
        raise InputError({"requester_id": ["No such person."]}) from None
    tracing = TracingRequest(requester=requester)
    _apply(tracing, data)
    services.save_new(request.user, tracing, via="api")
    return Status(201, _tracing_payload(tracing, request.user))


@router.put("/tracing-requests/{request_id}", response=TracingRequestOut)
def update_tracing_request(request: AuthedRequest, request_id: int, payload: TracingRequestUpdate) -> dict[str, Any]:
    tracing = _editable(request, access.tracing_requests(request.user), request_id)
    _update(request, tracing, payload)
    return _tracing_payload(tracing, request.user)


# --- cases ------------------------------------------------------------------------------------

_EVENT_FIELDS = ("from_status", "to_status", "actor_party", "at", "reason")


def _case_payload(case: Case, user: Actor, events: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """``events``: the case's events, oldest first, read for a whole page (``list_cases``); else read here."""
    if events is None:
        events = list(case.events.order_by("at", "id").values(*_EVENT_FIELDS))
    return {
        "id": case.pk, "child_id": case.child_id, "party": case.child.party.code, "status": case.status,
        "version": case.version,
        "requesting_party": case.requesting_party.code if case.requesting_party else None,
        "caseworker": case.caseworker.get_username() if case.caseworker else None,
        "allowed_transitions": [t.target for t in services.allowed_transitions(user, case)],
        "events": events,
    }


@router.get("/cases", response=list[CaseOut])
@paginate(Pagination)
def list_cases(request: AuthedRequest, status: str | None = None) -> list[dict[str, Any]]:
    user = request.user
    qs = access.cases(user).select_related("requesting_party", "caseworker", "child__party")
    if status:
        qs = qs.filter(status=status)

    def page(cases: list[dict[str, Any]]) -> list[dict[str, Any]]:  # the page's events in one query
        events = _grouped(CaseEvent.objects.filter(case_id__in=[c["id"] for c in cases])
                          .order_by("case_id", "at", "id"), "case_id", _EVENT_FIELDS)
        return [_case_row_payload(c, user, events.get(c["id"], [])) for c in cases]

    # The page's rows as values, not case, child, party and user model instances (~11,000 Python calls a page of 50).
    return SerialisedPage(qs.values(*_CASE_ROW_FIELDS), request=request,  # type: ignore[return-value]
                          serialise_page=page)


_CASE_ROW_FIELDS = ("id", "child_id", "child__party_id", "child__party__code", "status", "version",
                    "requesting_party__code", f"caseworker__{User.USERNAME_FIELD}")


class _CaseChild(NamedTuple):
    party_id: int | None


class _CaseRow(NamedTuple):
    """What ``services.allowed_transitions`` reads of a case: its status and its child's party."""

    status: str
    child: _CaseChild


def _case_row_payload(row: dict[str, Any], user: Actor, events: list[dict[str, Any]]) -> dict[str, Any]:
    """``_case_payload`` of a case read as values (``_CASE_ROW_FIELDS``): the same payload (test_page_costs.py)."""
    case = _CaseRow(row["status"], _CaseChild(row["child__party_id"]))
    return {
        "id": row["id"], "child_id": row["child_id"], "party": row["child__party__code"], "status": row["status"],
        "version": row["version"], "requesting_party": row["requesting_party__code"],
        "caseworker": row[f"caseworker__{User.USERNAME_FIELD}"],
        "allowed_transitions": [t.target for t in services.allowed_transitions(user, case)],  # type: ignore[arg-type]
        "events": events,
    }


@router.get("/case-statuses", response=list[CaseStatusOut])
@paginate(Pagination)
def list_case_statuses(request: AuthedRequest) -> QuerySet[Case]:
    """Status only, for every case the caller's party submitted or that answers its submissions."""
    return access.case_statuses(request.user).only("id", "status", "updated_at")


@router.get("/cases/{case_id}", response=CaseOut)
def get_case(request: AuthedRequest, case_id: int) -> dict[str, Any]:
    case = _detail(request, access.cases(request.user), case_id)
    return _case_payload(case, request.user)


@router.post("/cases", response={201: CaseOut})
def create_case(request: AuthedRequest, payload: CaseIn) -> Status[dict[str, Any]]:
    _require_writer(request.user)
    child = access.get(access.children(request.user), payload.child_id)
    if Case.objects.filter(child=child).exists():
        raise InputError({"child_id": ["This child already has a case."]})
    requesting = None
    if payload.requesting_party and not access.sets_mediator_fields(request.user):
        raise InputError({"requesting_party": ["Only the mediator sets the requesting party."]})
    if payload.requesting_party:
        requesting = Party.objects.filter(code=payload.requesting_party).first()
        if requesting is None:
            raise InputError({"requesting_party": ["Unknown party."]})
    case = services.open_case(request.user, child, requesting_party=requesting, via="api")
    return Status(201, _case_payload(case, request.user))


@router.post("/cases/{case_id}/transitions", response=CaseOut)
def transition_case(request: AuthedRequest, case_id: int, payload: TransitionIn) -> dict[str, Any]:
    """Move a case to another status; the response lists the transitions now allowed to the caller."""
    # its child and party with it: the transition's checks and the response need both
    case = access.get(access.cases(request.user).select_related("child__party"), case_id)
    services.transition(request.user, case, payload.to, reason=payload.reason, expected_version=payload.version,
                        via="api")
    return _case_payload(case, request.user)
