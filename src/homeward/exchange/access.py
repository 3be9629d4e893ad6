"""Who sees which list, version and name. Every page, API route, export and count goes through here.

* Mediator roles see every list.
* A party officer sees its own party's lists in full, and of a list concerning its party only the
  names the mediator forwarded to it (and the versions holding them).
* NGO case workers and auditors see no lists.

Anything outside a user's scope is 404, never 403, and never counted.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from homeward.accounts.roles import Role
from homeward.exchange.models import ListEntry, ListRejection, ListVersion, PartyList
from homeward.registry.access import get_or_404

__all__ = ["candidates", "entries", "get_or_404", "lists", "may_use", "rejections", "versions"]


class System:
    """The operator at the command line (``homeward lists …``): acts with the mediator's view."""

    is_authenticated = True
    is_active = True
    is_mediator = True
    is_auditor = False
    role = Role.MEDIATOR_ADMIN
    party_id = None
    party_code = ""
    pk = None


SYSTEM = System()


def _officer(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.role == Role.PARTY_OFFICER
                and user.party_id)


def _mediator(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_mediator)


def may_use(user: Any) -> bool:
    """Whether the user has any business with lists at all (pages answer 404 otherwise)."""
    return _mediator(user) or _officer(user)


def lists(user: Any) -> QuerySet[PartyList]:
    qs = PartyList.objects.select_related("party", "concerning")
    if _mediator(user):
        return qs
    if _officer(user):
        forwarded = ListEntry.objects.filter(version__party_list=OuterRef("pk"),
                                             forwarding__to_party_id=user.party_id)
        return qs.filter(Q(party_id=user.party_id) | Exists(forwarded))
    return qs.none()


def versions(user: Any) -> QuerySet[ListVersion]:
    qs = ListVersion.objects.select_related("party_list", "party_list__party", "party_list__concerning")
    if _mediator(user):
        return qs
    if _officer(user):
        forwarded = ListEntry.objects.filter(version=OuterRef("pk"), forwarding__to_party_id=user.party_id)
        return qs.filter(Q(party_list__party_id=user.party_id) | Exists(forwarded))
    return qs.none()


def entries(user: Any) -> QuerySet[ListEntry]:
    qs = ListEntry.objects.select_related("version", "version__party_list", "forwarding")
    if _mediator(user):
        return qs
    if _officer(user):
        return qs.filter(Q(version__party_list__party_id=user.party_id) | Q(forwarding__to_party_id=user.party_id))
    return qs.none()


def rejections(user: Any) -> QuerySet[ListRejection]:
    qs = ListRejection.objects.select_related("party")
    if _mediator(user):
        return qs
    if _officer(user):
        return qs.filter(party_id=user.party_id)
    return qs.none()


def candidates(user: Any) -> QuerySet[Any]:
    """Linkage candidates involving a list name; reviewed by the mediator only."""
    from homeward.linkage.models import Candidate

    qs = Candidate.objects.filter(Q(left_type="list_entry") | Q(right_type="list_entry"))
    return qs if _mediator(user) else qs.none()


def is_submitter(user: Any, version: ListVersion) -> bool:
    return _officer(user) and version.party_list.party_id == user.party_id


def is_receiver(user: Any, version: ListVersion) -> bool:
    return _officer(user) and version.party_list.concerning_id == user.party_id


def sees_whereabouts(user: Any, response: Any) -> bool:
    """Whereabouts are restricted: the mediator and the answering party only."""
    return _mediator(user) or (_officer(user) and response.party_id == user.party_id)


def may_import_for(user: Any, party: Any) -> bool:
    return _mediator(user) or (_officer(user) and party is not None and party.pk == user.party_id)
