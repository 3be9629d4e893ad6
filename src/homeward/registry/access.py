"""The one scoping layer: which records a user may see.

Every page, API route, export and count goes through these functions. A record outside a user's
scope is treated as if it did not exist (404), never as forbidden (403), so that neither its
existence nor its count leaks to the other party.

* Mediator roles see everything.
* A party officer sees the children, persons, tracing requests and cases its party submitted, and
  the *status only* of cases that answer its own submissions (``Case.requesting_party``).
* An NGO case worker sees what its organisation created and what the mediator shared with it.
* An auditor sees no personal data: every personal queryset is empty for it.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from homeward.accounts.roles import Role
from homeward.registry.models import Case, Child, Person, TracingRequest

M = TypeVar("M", bound=Model)


def _party_filter(user: Any, prefix: str = "") -> Q:
    party_id = user.party_id
    return Q(**{f"{prefix}party_id": party_id}) | Q(**{f"{prefix}shared_with": party_id})


def _scope(user: Any, qs: QuerySet[M], prefix: str = "") -> QuerySet[M]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    if user.is_mediator:
        return qs
    if user.role in (Role.PARTY_OFFICER, Role.NGO_CASEWORKER) and user.party_id:
        return qs.filter(_party_filter(user, prefix)).distinct()
    return qs.none()  # auditors and anyone unforeseen: no personal data


def children(user: Any) -> QuerySet[Child]:
    return _scope(user, Child.objects.select_related("party"))


def persons(user: Any) -> QuerySet[Person]:
    return _scope(user, Person.objects.select_related("party"))


def tracing_requests(user: Any) -> QuerySet[TracingRequest]:
    return _scope(user, TracingRequest.objects.select_related("party", "requester"))


def cases(user: Any) -> QuerySet[Case]:
    """Cases whose child the user may see in full."""
    return _scope(user, Case.objects.select_related("child", "child__party", "caseworker"), prefix="child__")


def case_statuses(user: Any) -> QuerySet[Case]:
    """Cases whose *status* the user may see: its own, plus those answering its party's submissions."""
    if not getattr(user, "is_authenticated", False):
        return Case.objects.none()
    if user.is_mediator:
        return Case.objects.all()
    if user.role == Role.PARTY_OFFICER and user.party_id:
        return Case.objects.filter(
            Q(child__party_id=user.party_id) | Q(child__shared_with=user.party_id)
            | Q(requesting_party_id=user.party_id)
        ).distinct()
    return cases(user)


def get_or_404(qs: QuerySet[M], pk: Any) -> M:
    """Fetch one record from an already scoped queryset; anything else is a plain 404."""
    try:
        return qs.get(pk=int(pk))
    except (ValueError, TypeError, ObjectDoesNotExist):
        raise Http404("Not found") from None


def may_edit(user: Any, obj: Any) -> bool:
    """Writes: mediators anywhere; officers and NGO workers only on their own party's records."""
    if user.is_mediator:
        return True
    if user.role in (Role.PARTY_OFFICER, Role.NGO_CASEWORKER):
        party_id = obj.child.party_id if isinstance(obj, Case) else getattr(obj, "party_id", None)
        return party_id == user.party_id
    return False


def sees_restricted(user: Any, obj: Any) -> bool:
    """Restricted fields (medical needs, disability, contact details): mediators and the record's own party."""
    return bool(user.is_mediator or obj.party_id == user.party_id)


def may_create(user: Any) -> bool:
    return user.is_mediator or user.role in (Role.PARTY_OFFICER, Role.NGO_CASEWORKER)
