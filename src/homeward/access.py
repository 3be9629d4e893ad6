"""The access policy: who may see and do what. The only place where access is decided.

Every page, API route, export, count, template tag and service asks this module; none writes its
own rule. A record outside an actor's scope does not exist for it: it is a :class:`NotFound`
(pages answer the 404 page, the API a JSON 404), never a 403, and it is never counted.

The rules
---------
* **Mediator roles** (administrator, case worker) see everything; only they plan returns, review
  matches, forward list names and review figures. The audit trail is the administrator's alone.
* **A party officer** sees the children, persons, tracing requests and cases its party submitted,
  and the *status only* of cases that answer its own submissions (``Case.requesting_party``). It
  sees its own lists in full and, of a list concerning its party, only the names the mediator
  forwarded to it. In a return operation it takes part in, it sees personal and medical facts of
  its *own* members only, and every count is over its own members.
* **An NGO case worker** sees what its organisation created and what the mediator shared with it;
  restricted fields (medical needs, disability, contact details) only of its own records. No lists,
  no operations.
* **An auditor** sees no personal data: every personal scope is empty. The ledger and aggregate
  figures are open to it.
* **The command-line operator** (:data:`OPERATOR`) acts with the mediator's view.

Public API (everything else here is private)
--------------------------------------------
Actors and requests
    ``Actor`` (a :class:`~homeward.accounts.models.User` or the :data:`OPERATOR`), ``Viewer`` (an
    actor or an anonymous visitor), ``AuthedRequest`` (an ``HttpRequest`` whose ``user`` is a
    signed-in ``User``; annotate views and API routes with it), ``user_of(actor)`` (the database
    user behind an actor, ``None`` for the operator: for ``created_by`` and similar columns).
Refusing
    ``require(condition)`` raises :class:`NotFound` unless ``condition``; ``get(scope, pk)`` fetches
    one record of a scope or raises :class:`NotFound`; ``page(check)`` decorates a page view: sign-in
    required, and actors failing ``check`` get the 404 page.
Roles
    ``is_mediator``, ``is_mediator_admin``, ``is_officer``, ``is_auditor``.
Scopes (querysets of what an actor may see; empty when nothing)
    registry: ``children``, ``persons``, ``tracing_requests``, ``cases``, ``case_statuses``,
    ``counted_cases``; lists: ``lists``, ``versions``, ``entries``, ``rejections``,
    ``list_candidates``; returns: ``operations``, ``handovers``, ``return_cases``, ``follow_ups``,
    ``evidence_documents``; linkage: ``candidates``, ``runs``; accounts: ``audit_events``.
Permissions (``may_*``: an action; ``sees_*``: a field or a member)
    registry: ``may_register``, ``may_edit``, ``sees_restricted``, ``sets_mediator_fields``; lists:
    ``uses_lists``, ``may_import_for``, ``is_submitter``, ``is_receiver``, ``sees_whereabouts``; returns:
    ``uses_returns``, ``manages_returns``, ``sees_member``, ``visible_members``, ``signs_for``;
    mediator-only areas (linkage review, figures review): ``is_mediator``; ledger: ``reads_whole_ledger``,
    ``may_open`` (an entry's metadata), ``cosigns_for``; audit: ``reads_audit``.

Adding a route: pick the scope or predicate that says who may use it, ``require`` it, and add the
route to the table of ``tests/test_access_matrix.py`` (the test fails until you do).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.http import HttpRequest, HttpResponse

from homeward.accounts.roles import MEDIATOR_ROLES, PartyKind, Role
from homeward.exceptions import NotFound

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from homeward.accounts.models import AuditEvent, Party, User
    from homeward.exchange.models import EntryResponse, ListEntry, ListRejection, ListVersion, PartyList
    from homeward.linkage.models import Candidate, MatchRun, ModelVersion
    from homeward.registry.models import Case, Child, Person, TracingRequest
    from homeward.returns.models import EvidenceDocument, FollowUp, Handover, Member, ReturnOperation

__all__ = [
    "OPERATOR", "Actor", "AuthedRequest", "NotFound", "Operator", "Viewer", "audit_events", "candidates",
    "case_statuses", "cases", "children", "cosigns_for", "counted_cases", "entries", "evidence_documents",
    "follow_ups", "get", "handovers", "is_auditor", "is_mediator", "is_mediator_admin", "is_officer", "is_receiver",
    "is_submitter", "list_candidates", "lists", "manages_returns", "may_edit", "may_import_for", "may_open",
    "may_register", "operations", "page", "persons", "reads_audit", "reads_whole_ledger", "rejections", "require",
    "return_cases", "runs", "sees_member", "sees_restricted", "sees_whereabouts", "sets_mediator_fields", "signs_for",
    "tracing_requests", "user_of", "uses_lists", "uses_returns", "versions", "visible_members",
]

M = TypeVar("M", bound=Model)
V = TypeVar("V", bound=Callable[..., HttpResponse])


# --- actors --------------------------------------------------------------------------------------


class Operator:
    """The operator at the command line (``homeward lists …``, ``homeward operations …``).

    Acts with the mediator's view. It is not a database user: audit rows and ledger entries made
    on its behalf name no user and say ``via="cli"``.
    """

    is_authenticated = True
    is_active = True
    is_mediator = True
    is_auditor = False
    role = Role.MEDIATOR_ADMIN
    party = None
    party_id = None
    party_code = ""
    pk = None

    def get_username(self) -> str:
        return "operator"

    def __repr__(self) -> str:
        return "OPERATOR"


OPERATOR = Operator()

if TYPE_CHECKING:
    Actor: TypeAlias = "User | Operator"
    Viewer: TypeAlias = "User | Operator | AnonymousUser"
else:
    Actor = Viewer = Any


class AuthedRequest(HttpRequest):
    """An ``HttpRequest`` behind sign-in (``@page``, ``@login_required`` or the API's authentication)."""

    user: User


def user_of(actor: Viewer | None) -> User | None:
    """The database user behind an actor: ``None`` for the operator and anonymous visitors."""
    from homeward.accounts.models import User

    return actor if isinstance(actor, User) and actor.pk is not None else None


def _active(actor: Any) -> bool:
    return bool(actor is not None and getattr(actor, "is_authenticated", False) and getattr(actor, "is_active", False))


def _role(actor: Any) -> str | None:
    return actor.role if _active(actor) else None


def _pid(actor: Any) -> int:
    """The actor's party id, once a check has established that it has one."""
    return int(actor.party_id)


# --- refusing ------------------------------------------------------------------------------------


def require(condition: object) -> None:
    """Refuse (``NotFound``) unless ``condition`` holds: the route does not exist for this actor."""
    if not condition:
        raise NotFound()


def get(scope: QuerySet[M], pk: Any) -> M:
    """One record of an already scoped queryset by primary key; anything else (absent, out of scope,
    not a number) is the same ``NotFound``."""
    try:
        return scope.get(pk=int(pk))
    except (ValueError, TypeError, OverflowError, ObjectDoesNotExist):
        raise NotFound() from None


def page(check: Callable[[Any], bool] | None = None) -> Callable[[V], V]:
    """Decorate a page view: sign-in required; a signed-in actor failing ``check`` gets the 404 page."""

    def decorate(view: V) -> V:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if check is not None:
                require(check(request.user))
            return view(request, *args, **kwargs)

        return login_required(wrapped)  # type: ignore[return-value]

    return decorate


# --- roles ---------------------------------------------------------------------------------------


def is_mediator(actor: Viewer | None) -> bool:
    return _role(actor) in MEDIATOR_ROLES


def is_mediator_admin(actor: Viewer | None) -> bool:
    return _role(actor) == Role.MEDIATOR_ADMIN


def is_officer(actor: Viewer | None) -> bool:
    """A party officer with a party (the authority of UA, RU, …)."""
    return _role(actor) == Role.PARTY_OFFICER and bool(getattr(actor, "party_id", None))


def is_auditor(actor: Viewer | None) -> bool:
    return _role(actor) == Role.AUDITOR


def _registrant(actor: Any) -> bool:
    """Roles that keep records of their own party: officers and NGO case workers."""
    return _role(actor) in (Role.PARTY_OFFICER, Role.NGO_CASEWORKER) and bool(getattr(actor, "party_id", None))


# --- registry ------------------------------------------------------------------------------------


def _shared_with(model: Any, pid: int) -> QuerySet[Any]:
    """The ids of ``model``'s records shared with party ``pid`` (a subquery on the sharing table)."""
    field = model._meta.get_field("shared_with")
    return field.remote_field.through.objects.filter(**{f"{field.m2m_reverse_field_name()}_id": pid}).values(
        f"{field.m2m_field_name()}_id")


def _party_scope(actor: Any, qs: QuerySet[M], prefix: str = "", model: Any = None) -> QuerySet[M]:
    """``qs`` (of ``model``'s records, or of records whose ``prefix`` leads to one) as ``actor`` may see them: its
    party's own and those shared with it. The shared ones through ``id IN (subquery)``, not a join to the sharing
    table: a join repeats a record shared twice, and the ``DISTINCT`` that removed the repeats made PostgreSQL sort
    every record of the scope before taking a page of it (docs/benchmarks.md)."""
    if is_mediator(actor):
        return qs
    if _registrant(actor):
        pid = _pid(actor)
        shared = _shared_with(model or qs.model, pid)
        shared_key = f"{prefix[:-2]}_id__in" if prefix else "pk__in"  # child__ -> child_id__in: no join to child
        return qs.filter(Q(**{f"{prefix}party_id": pid}) | Q(**{shared_key: shared}))
    return qs.none()  # auditors, anonymous visitors and anyone unforeseen: no personal data


def children(actor: Viewer | None) -> QuerySet[Child]:
    from homeward.registry.models import Child

    return _party_scope(actor, Child.objects.select_related("party"))


def persons(actor: Viewer | None) -> QuerySet[Person]:
    from homeward.registry.models import Person

    return _party_scope(actor, Person.objects.select_related("party"))


def tracing_requests(actor: Viewer | None) -> QuerySet[TracingRequest]:
    from homeward.registry.models import TracingRequest

    return _party_scope(actor, TracingRequest.objects.select_related("party", "requester"))


def cases(actor: Viewer | None) -> QuerySet[Case]:
    """Cases whose child the actor may see in full."""
    from homeward.registry.models import Case, Child

    return _party_scope(actor, Case.objects.select_related("child", "child__party", "caseworker"), prefix="child__",
                        model=Child)


def case_statuses(actor: Viewer | None) -> QuerySet[Case]:
    """Cases whose *status* the actor may see: its own, plus those answering its party's submissions."""
    from homeward.registry.models import Case

    if is_mediator(actor):
        return Case.objects.all()
    if is_officer(actor):
        pid = _pid(actor)
        from homeward.registry.models import Child

        return Case.objects.filter(Q(child__party_id=pid) | Q(child_id__in=_shared_with(Child, pid))
                                   | Q(requesting_party_id=pid))
    return cases(actor).select_related(None)  # a plain queryset like the others: callers may ``only()`` it


def counted_cases(actor: Viewer | None) -> QuerySet[Case]:
    """The cases an actor's status counts are over. The auditor counts every case (aggregates only,
    never a record); everyone else counts the cases whose status it may see."""
    from homeward.registry.models import Case

    if is_auditor(actor):
        return Case.objects.all()
    return case_statuses(actor)


def may_register(actor: Viewer | None) -> bool:
    """May keep registry records at all (register, file, list its tracing requests)."""
    return is_mediator(actor) or _registrant(actor)


def may_edit(actor: Viewer | None, obj: Any) -> bool:
    """Writes to a child, person, tracing request or case: mediators anywhere; officers and NGO workers
    only on their own party's records (never on records merely shared with them)."""
    from homeward.registry.models import Case

    if is_mediator(actor):
        return True
    if _registrant(actor):
        party_id = obj.child.party_id if isinstance(obj, Case) else getattr(obj, "party_id", None)
        return bool(party_id == _pid(actor))
    return False


def sets_mediator_fields(actor: Viewer | None) -> bool:
    """Fields only the mediator sets (a case's ``requesting_party``: whose submission it answers, which decides
    who sees its status): refused to everyone else with a 422 naming the field, never silently ignored."""
    return is_mediator(actor)


def sees_restricted(actor: Viewer | None, obj: Any) -> bool:
    """Restricted fields (medical needs, disability, contact details): mediators and the record's own party."""
    return is_mediator(actor) or (_active(actor) and obj.party_id is not None
                                  and obj.party_id == getattr(actor, "party_id", None))


# --- list exchange -------------------------------------------------------------------------------


def uses_lists(actor: Viewer | None) -> bool:
    """Whether the actor has any business with lists at all (mediators and officers)."""
    return is_mediator(actor) or is_officer(actor)


def lists(actor: Viewer | None) -> QuerySet[PartyList]:
    from homeward.exchange.models import ListEntry, PartyList

    qs = PartyList.objects.select_related("party", "concerning")
    if is_mediator(actor):
        return qs
    if is_officer(actor):
        pid = _pid(actor)
        forwarded = ListEntry.objects.filter(version__party_list=OuterRef("pk"), forwarding__to_party_id=pid)
        return qs.filter(Q(party_id=pid) | Exists(forwarded))
    return qs.none()


def versions(actor: Viewer | None) -> QuerySet[ListVersion]:
    from homeward.exchange.models import ListEntry, ListVersion

    qs = ListVersion.objects.select_related("party_list", "party_list__party", "party_list__concerning")
    if is_mediator(actor):
        return qs
    if is_officer(actor):
        pid = _pid(actor)
        forwarded = ListEntry.objects.filter(version=OuterRef("pk"), forwarding__to_party_id=pid)
        return qs.filter(Q(party_list__party_id=pid) | Exists(forwarded))
    return qs.none()


def entries(actor: Viewer | None) -> QuerySet[ListEntry]:
    """Names on lists: all of its own party's lists; of the other party's, those forwarded to it."""
    from homeward.exchange.models import ListEntry

    qs = ListEntry.objects.select_related("version", "version__party_list", "forwarding")
    if is_mediator(actor):
        return qs
    if is_officer(actor):
        pid = _pid(actor)
        return qs.filter(Q(version__party_list__party_id=pid) | Q(forwarding__to_party_id=pid))
    return qs.none()


def rejections(actor: Viewer | None) -> QuerySet[ListRejection]:
    from homeward.exchange.models import ListRejection

    qs = ListRejection.objects.select_related("party")
    if is_mediator(actor):
        return qs
    if is_officer(actor):
        return qs.filter(party_id=_pid(actor))
    return qs.none()


def list_candidates(actor: Viewer | None) -> QuerySet[Candidate]:
    """Linkage candidates involving a list name; reviewed by the mediator only."""
    from homeward.linkage.models import Candidate

    return candidates(actor).filter(Q(left_type="list_entry") | Q(right_type="list_entry")) \
        if is_mediator(actor) else Candidate.objects.none()


def is_submitter(actor: Viewer | None, version: ListVersion) -> bool:
    """An officer of the party that submitted the list."""
    return is_officer(actor) and version.party_list.party_id == _pid(actor)


def is_receiver(actor: Viewer | None, version: ListVersion) -> bool:
    """An officer of the party the list concerns (it answers the names forwarded to it)."""
    return is_officer(actor) and version.party_list.concerning_id == _pid(actor)


def sees_whereabouts(actor: Viewer | None, response: EntryResponse) -> bool:
    """Whereabouts in an answer are restricted: the mediator and the answering party only."""
    return is_mediator(actor) or (is_officer(actor) and response.party_id == _pid(actor))


def may_import_for(actor: Viewer | None, party: Party | None) -> bool:
    """Submit a list on behalf of ``party``: the mediator (and the operator) for any, officers for their own."""
    return is_mediator(actor) or (is_officer(actor) and party is not None
                                  and party.pk == _pid(actor))


# --- returns -------------------------------------------------------------------------------------


def uses_returns(actor: Viewer | None) -> bool:
    """Whether the actor has any business with return operations (mediators and officers)."""
    return is_mediator(actor) or is_officer(actor)


def manages_returns(actor: Viewer | None) -> bool:
    """Plan and run operations, confirm checklists, close cases: mediator roles only."""
    return is_mediator(actor)


def operations(actor: Viewer | None) -> QuerySet[ReturnOperation]:
    """Operations in which the actor's party hands over or receives (as the direction or at a hand-over)."""
    from homeward.returns.models import ReturnOperation

    qs = ReturnOperation.objects.select_related("from_party", "to_party", "mediator")
    if is_mediator(actor):
        return qs
    if is_officer(actor):
        pid = _pid(actor)
        return qs.filter(Q(from_party_id=pid) | Q(to_party_id=pid) | Q(handovers__from_party_id=pid)
                         | Q(handovers__to_party_id=pid)).distinct()
    return qs.none()


def handovers(actor: Viewer | None) -> QuerySet[Handover]:
    from homeward.returns.models import Handover

    return Handover.objects.filter(operation__in=operations(actor)).select_related(
        "operation", "from_party", "to_party")


def return_cases(actor: Viewer | None) -> QuerySet[Case]:
    """Cases whose checklist, custody and follow-ups the actor may see: mediators all, officers their own."""
    from homeward.registry.models import Case

    if not uses_returns(actor):
        return Case.objects.none()
    return cases(actor)


def follow_ups(actor: Viewer | None) -> QuerySet[FollowUp]:
    from homeward.returns.models import FollowUp

    return FollowUp.objects.filter(case__in=return_cases(actor)).select_related("case", "case__child")


def evidence_documents(actor: Viewer | None) -> QuerySet[EvidenceDocument]:
    from homeward.returns.models import EvidenceDocument

    return EvidenceDocument.objects.filter(verification__case__in=return_cases(actor))


def sees_member(actor: Viewer | None, member: Member) -> bool:
    """May ``actor`` see this operation member's personal and medical facts? Mediators: every member;
    officers: children of their own party's cases and adults of their own party."""
    from homeward.returns.models import MemberKind

    if actor is None or is_mediator(actor):
        return True
    if not is_officer(actor):
        return False
    pid = _pid(actor)
    if member.kind == MemberKind.CHILD:
        return member.case is not None and member.case.child.party_id == pid
    return member.party_id == pid


def visible_members(actor: Viewer | None, members: list[Member]) -> list[Member]:
    """The members whose line ``actor`` may see (``None`` = the command-line operator)."""
    return [m for m in members if sees_member(actor, m)]


def signs_for(actor: Viewer | None, party: Party) -> bool:
    """A user signs a hand-over for its own party only: officers for an authority, mediator roles for the
    mediator."""
    if not _active(actor) or getattr(actor, "party_id", None) != party.pk:
        return False
    if party.kind == PartyKind.MEDIATOR:
        return is_mediator(actor)
    return is_officer(actor)


# --- linkage -------------------------------------------------------------------------------------


def candidates(actor: Viewer | None) -> QuerySet[Candidate]:
    """The review queue: mediator roles only."""
    from homeward.linkage.models import Candidate

    return Candidate.objects.all() if is_mediator(actor) else Candidate.objects.none()


def runs(actor: Viewer | None) -> QuerySet[MatchRun]:
    from homeward.linkage.models import MatchRun

    return MatchRun.objects.all() if is_mediator(actor) else MatchRun.objects.none()


def model_versions(actor: Viewer | None) -> QuerySet[ModelVersion]:
    """Matching model versions and their lineage: mediator roles only."""
    from homeward.linkage.models import ModelVersion

    return ModelVersion.objects.all() if is_mediator(actor) else ModelVersion.objects.none()


# --- ledger --------------------------------------------------------------------------------------


def reads_whole_ledger(viewer: Viewer | None) -> bool:
    """The mediator's team and auditors hold no party's interest: they read the whole log up to its current size
    and every entry's metadata (a party reads only up to the latest checkpoint when padding is on)."""
    return is_mediator(viewer) or is_auditor(viewer)


def may_open(viewer: Viewer | None, party_code: str) -> bool:
    """Whether ``viewer`` may read the metadata (kind, party, object id) of a ledger entry recorded for
    ``party_code``: the mediator's team and auditors every entry (the metadata is not personal data); a party's
    users only their own party's entries -- not the other party's, and not the system's or the mediator's
    (``party_code`` empty or the mediator's), which may be about the other party's records."""
    if reads_whole_ledger(viewer):
        return True
    own = getattr(viewer, "party_code", "") if _active(viewer) else ""
    return bool(own) and own == party_code


def cosigns_for(actor: Viewer | None, party_code: str) -> bool:
    """Submit ``party_code``'s cosignature of a checkpoint: an officer of that party (its witness's account)
    only. Anyone else gets a 404, as for any route that does not exist for it."""
    return is_officer(actor) and getattr(actor, "party_code", None) == party_code


# --- accounts ------------------------------------------------------------------------------------


def reads_audit(actor: Viewer | None) -> bool:
    """The audit trail is the mediator administrator's."""
    return is_mediator_admin(actor)


def audit_events(actor: Viewer | None) -> QuerySet[AuditEvent]:
    from homeward.accounts.models import AuditEvent

    qs = AuditEvent.objects.select_related("user")
    return qs if reads_audit(actor) else qs.none()
