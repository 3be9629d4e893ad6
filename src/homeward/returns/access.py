"""Who sees which operation, hand-over, checklist and follow-up. Built on ``registry.access``.

* Mediator roles see every operation and every member.
* A party officer sees the operations in which its party hands over or receives (as the operation's
  direction or at one of its hand-overs), and within them personal data of *its own* children and
  adults only; other members appear as case numbers.
* NGO case workers and auditors see no operation.
Anything outside that scope is 404.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from homeward.accounts.roles import Role
from homeward.registry import access as registry_access
from homeward.registry.models import Case
from homeward.returns.models import FollowUp, Handover, Member, ReturnOperation


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def is_officer(user: Any) -> bool:
    return _active(user) and user.role == Role.PARTY_OFFICER and bool(user.party_id)


def operations(user: Any) -> QuerySet[ReturnOperation]:
    qs = ReturnOperation.objects.select_related("from_party", "to_party", "mediator")
    if not _active(user):
        return qs.none()
    if user.is_mediator:
        return qs
    if is_officer(user):
        pid = user.party_id
        return qs.filter(Q(from_party_id=pid) | Q(to_party_id=pid) | Q(handovers__from_party_id=pid)
                         | Q(handovers__to_party_id=pid)).distinct()
    return qs.none()


def handovers(user: Any) -> QuerySet[Handover]:
    return Handover.objects.filter(operation__in=operations(user)).select_related(
        "operation", "from_party", "to_party")


def cases(user: Any) -> QuerySet[Case]:
    """Cases whose checklist and custody the user may see: those whose child it may see."""
    if not _active(user) or not (user.is_mediator or is_officer(user)):
        return Case.objects.none()
    return registry_access.cases(user)


def member_visible(user: Any, member: Member) -> bool:
    """May ``user`` see this member's personal data?"""
    if user.is_mediator:
        return True
    if member.kind == "child" and member.case_id is not None:
        return bool(member.case and member.case.child.party_id == user.party_id)
    return member.party_id == user.party_id


def may_manage(user: Any) -> bool:
    """Plan and run operations: mediator roles only."""
    return _active(user) and bool(user.is_mediator)


def follow_ups(user: Any) -> QuerySet[FollowUp]:
    return FollowUp.objects.filter(case__in=cases(user)).select_related("case", "case__child")
