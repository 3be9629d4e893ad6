"""API schemas of the registry. Enumerations are closed (unknown values are 422); lengths match the models."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Field

from homeward.registry.choices import DatePrecision, Relationship, SeparationCategory, Sex
from homeward.registry.workflow import CaseStatus
from homeward.schema import Schema

# Closed vocabularies, spelled out for the schema and the type checker; a test keeps them equal to the choices.
SexCode = Literal["F", "M", "U"]
Precision = Literal["day", "month", "year", "estimated", "unknown"]
Category = Literal["deported", "evacuated", "lost_contact", "orphaned", "parent_detained", "other"]
RelationshipCode = Literal["mother", "father", "grandparent", "aunt_uncle", "sibling", "legal_guardian", "institution"]
StatusCode = Literal["reported", "located", "verifying", "cleared_for_return", "in_mediator_care", "in_transit",
                     "reunited", "closed", "not_found", "declined", "contested", "withdrawn"]
VOCABULARIES = {SexCode: Sex, Precision: DatePrecision, Category: SeparationCategory,
                RelationshipCode: Relationship, StatusCode: CaseStatus}

Name = Field("", max_length=100)


class NameFormIn(Schema):
    given_name: str = Name
    surname: str = Name
    patronymic: str = Name
    kind: Literal["other_script", "former", "adoptive", "alias"]
    source: str = Field("", max_length=200)


class ChildIn(Schema):
    given_name: str = Name
    surname: str = Name
    patronymic: str = Name
    sex: SexCode = "U"
    birth_date: dt.date | None = None
    birth_date_precision: Precision = "day"
    estimated_age: int | None = Field(None, ge=0, le=25)
    age_estimated_on: dt.date | None = None
    birth_place: str = Field("", max_length=200)
    region: str = Field("", max_length=100)
    last_known_location: str = Field("", max_length=200)
    current_facility: str = Field("", max_length=200)
    separation_category: Category = "other"
    separation_details: str = Field("", max_length=4000)
    medical_needs: str = Field("", max_length=2000)
    disability: str = Field("", max_length=2000)


class ChildCreate(ChildIn):
    name_forms: list[NameFormIn] = []


class ChildUpdate(ChildIn):
    version: int


class NameFormOut(Schema):
    given_name: str
    surname: str
    patronymic: str
    kind: str
    source: str


class ChildOut(Schema):
    id: int
    party: str
    version: int
    given_name: str
    surname: str
    patronymic: str
    sex: str
    birth_date: dt.date | None
    birth_date_precision: str
    estimated_age: int | None
    age_estimated_on: dt.date | None
    birth_place: str
    region: str
    last_known_location: str
    current_facility: str
    separation_category: str
    separation_details: str
    medical_needs: str | None = None
    disability: str | None = None
    name_forms: list[NameFormOut] = []
    case_id: int | None = None
    case_status: str | None = None
    match_reasons: list[str] = Field(default=[], description="With ?q=: why this child matched the query, per word")


class PossibleDuplicateOut(Schema):
    """A child the caller may see that the registered one likely repeats (``homeward.registry.duplicates``)."""

    id: int
    match_probability: float
    explanation: str


class ChildCreatedOut(ChildOut):
    possible_duplicates: list[PossibleDuplicateOut] = []


class PersonIn(Schema):
    given_name: str = Name
    surname: str = Field(..., min_length=1, max_length=100)
    patronymic: str = Name
    relationship: RelationshipCode
    child_id: int | None = None
    phone: str = Field("", max_length=40)
    email: str = Field("", max_length=200)
    address: str = Field("", max_length=300)


class PersonUpdate(PersonIn):
    version: int


class PersonOut(Schema):
    id: int
    party: str
    version: int
    given_name: str
    surname: str
    patronymic: str
    relationship: str
    child_id: int | None
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    match_reasons: list[str] = Field(default=[], description="With ?q=: why this person matched the query, per word")


class TracingRequestIn(ChildIn):
    requester_id: int


class TracingRequestUpdate(ChildIn):
    version: int


class TracingRequestOut(ChildOut):
    requester_id: int
    child_id: int | None
    status: str


class CaseIn(Schema):
    child_id: int
    requesting_party: str | None = Field(None, max_length=16, description="Mediator only: the party whose "
                                         "submission the case answers (others get 422).")


class TransitionIn(Schema):
    to: StatusCode
    reason: str = Field("", max_length=2000)
    version: int | None = None


class CaseEventOut(Schema):
    from_status: str
    to_status: str
    actor_party: str
    at: dt.datetime
    reason: str


class CaseOut(Schema):
    id: int
    child_id: int
    party: str
    status: str
    version: int
    requesting_party: str | None
    caseworker: str | None
    allowed_transitions: list[str]
    events: list[CaseEventOut]


class CaseStatusOut(Schema):
    """What a party sees of a case that answers its own submission: the status, nothing personal."""

    id: int
    status: str
    updated_at: dt.datetime


def name_form_payload(n: Any) -> dict[str, Any]:
    return {"given_name": n.given_name, "surname": n.surname, "patronymic": n.patronymic, "kind": n.kind,
            "source": n.source}


CHILD_ROW_FIELDS = (*ChildIn.model_fields, "id", "party_id", "party__code", "version", "case__id", "case__status")
"""What ``child_row_payload`` reads of a child: ``Child.objects.values(*CHILD_ROW_FIELDS)``."""


def child_row_payload(row: dict[str, Any], *, restricted: bool, name_forms: list[dict[str, Any]]) -> dict[str, Any]:
    """``child_payload`` of a child read as values (``CHILD_ROW_FIELDS``) rather than as a model instance with its
    party and case: a page of 50 built ~9,000 Python calls of model instances (``GET /api/v1/children``, by
    ``profile_routes.py``). The same payload (``tests/test_page_costs.py`` compares them)."""
    data = {f: row[f] for f in ChildIn.model_fields}
    data.update(id=row["id"], party=row["party__code"], version=row["version"], name_forms=name_forms,
                case_id=row["case__id"], case_status=row["case__status"])
    if not restricted:
        data.update(medical_needs=None, disability=None)
    data["match_reasons"] = []
    return data


def child_payload(child: Any, *, restricted: bool, name_forms: list[dict[str, Any]] | None = None,
                  new: bool = False) -> dict[str, Any]:
    """``name_forms``: the child's, read for a whole page (``list_children``) or just written; else read here.
    ``new``: a child registered by this request, which has no case yet (not looked up)."""
    data = {f: getattr(child, f) for f in ChildIn.model_fields}
    if name_forms is None:  # .all(): served by a prefetch when there is one (the name search's)
        name_forms = [name_form_payload(n) for n in child.name_forms.all()]
    data.update(id=child.pk, party=child.party.code, version=child.version, name_forms=name_forms)
    case = None if new else getattr(child, "case", None)
    data.update(case_id=case.pk if case else None, case_status=case.status if case else None)
    if not restricted:
        data.update(medical_needs=None, disability=None)
    hit = getattr(child, "search_hit", None)
    data["match_reasons"] = hit.why if hit is not None else []
    return data
