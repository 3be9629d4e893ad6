"""Each role's work queue on the dashboard: what is waiting for this user, counted within its scope, each
with a link to the list that shows exactly those items.

* mediator roles: candidate pairs to review, lists with names not yet forwarded, hand-overs to sign for the
  mediator, overdue follow-up visits, and the visits still to make on the cases assigned to this user;
* party officers: lists with names forwarded to their party and not yet answered, hand-overs to sign for
  their party, overdue follow-up visits of their own children;
* NGO case workers: their tracing requests by status.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from homeward import access
from homeward.access import Viewer
from homeward.accounts import reads
from homeward.accounts.roles import Role
from homeward.ui.rows import url_of

if TYPE_CHECKING:
    from django.http import HttpRequest

    from homeward.accounts.models import User
    from homeward.exchange.progress import Progress


@dataclass
class Item:
    key: str
    label: str
    count: int
    url: str
    todo: bool = True  # shown as work to do when count > 0
    detail: list[dict[str, Any]] = field(default_factory=list)
    records: list[Any] = field(default_factory=list)  # what the count counts, when the page shows them too


def _pairs(user: User) -> Item:
    from homeward.linkage.models import Candidate, Decision

    n = reads.counted("queue.pairs", user, lambda u: Candidate.objects.filter(decision=Decision.PENDING))
    return Item("pairs", ngettext("candidate pair to review", "candidate pairs to review", n), n,
                reverse("linkage:review"))


def _progress(user: User, request: HttpRequest | None = None) -> list[tuple[Progress, Any]]:
    """The progress of each list the user sees that has a version, with that version; given the ``request``, read
    once for its whole page."""
    from homeward.exchange import progress

    found = progress.for_request(request) if request is not None else progress.read(user)
    return [(p, p.version) for p in found if p.version is not None]


def _lists_to_forward(user: User, request: HttpRequest | None = None) -> Item:
    rows = [(p, v) for p, v in _progress(user, request) if p.total > p.forwarded]
    n = len(rows)
    url = (url_of("exchange:version", rows[0][1].pk) + "?show=unforwarded" if n == 1
           else reverse("exchange:lists") + "?todo=forward")
    return Item("forward", ngettext("list with names to forward", "lists with names to forward", n), n, url,
                detail=[{"url": url_of("exchange:version", v.pk) + "?show=unforwarded",
                         "text": f"{p.party_list.title} v{v.number}", "n": p.total - p.forwarded}
                        for p, v in rows[:5]])


def _lists_to_answer(user: User, request: HttpRequest | None = None) -> Item:
    rows = [(p, v) for p, v in _progress(user, request) if p.party_list.concerning_id == user.party_id
            and p.forwarded > p.answered]
    n = len(rows)
    url = (url_of("exchange:version", rows[0][1].pk) + "?show=pending" if n == 1
           else reverse("exchange:lists") + "?todo=answer")
    return Item("answer", ngettext("list with names to answer", "lists with names to answer", n), n, url,
                detail=[{"url": url_of("exchange:version", v.pk) + "?show=pending",
                         "text": f"{p.party_list.title} v{v.number}", "n": p.forwarded - p.answered}
                        for p, v in rows[:5]])


@dataclass(frozen=True)
class PartyShown:
    pk: int
    code: str
    kind: str


@dataclass(frozen=True)
class OperationShown:
    name: str


@dataclass(frozen=True)
class HandoverToSign:
    """What the dashboard shows of a hand-over awaiting the user's signature (read as values)."""

    pk: int
    place: str
    planned_at: Any
    from_party: PartyShown
    to_party: PartyShown
    operation: OperationShown
    sides: tuple[str, ...]


def _pending_handovers(u: User) -> Any:
    return access.handovers(u).filter(completed_at__isnull=True).order_by("planned_at", "pk").values_list(
        "id", "place", "planned_at", "operation__name", "from_party_id", "from_party__code", "from_party__kind",
        "to_party_id", "to_party__code", "to_party__kind")[:200]


def _signed_sides(u: User, handovers: list[int]) -> Any:
    from homeward.returns.models import Signature

    return Signature.objects.filter(handover_id__in=handovers).values_list("handover_id", "side")


def handovers_to_sign(user: User) -> list[HandoverToSign]:
    """Hand-overs in the user's scope (the 200 planned first) that still wait for a signature the user may give:
    the sides ``returns.services.sides_for`` gives, from two queries compiled once (``accounts.reads.rows``)."""
    from homeward.returns.models import Side

    pending = reads.rows("queue.handovers", user, _pending_handovers)
    signed: dict[int, set[str]] = {}
    for handover_id, side in reads.rows("queue.handover_sides", user, _signed_sides,
                                        handovers=[row[0] for row in pending]):
        signed.setdefault(handover_id, set()).add(side)
    parties: dict[int, PartyShown] = {}

    def party(pk: int, code: str, kind: str) -> PartyShown:
        found = parties.get(pk)
        if found is None:
            found = parties[pk] = PartyShown(pk, code, kind)
        return found

    out = []
    for pk, place, planned_at, operation, from_id, from_code, from_kind, to_id, to_code, to_kind in pending:
        done = signed.get(pk, set())
        from_party, to_party = party(from_id, from_code, from_kind), party(to_id, to_code, to_kind)
        sides = []
        if access.signs_for(user, cast(Any, from_party)) and Side.HANDING not in done:
            sides.append(Side.HANDING.value)
        if access.signs_for(user, cast(Any, to_party)) and Side.RECEIVING not in done:
            sides.append(Side.RECEIVING.value)
        if sides:
            out.append(HandoverToSign(pk, place, planned_at, from_party, to_party, OperationShown(operation),
                                      tuple(sides)))
    return out


def _signatures(user: User) -> Item:
    todo = handovers_to_sign(user)
    n = len(todo)
    url = url_of("returns:handover", todo[0].pk) if n == 1 else reverse("dashboard") + "#handovers"
    return Item("sign", ngettext("hand-over awaiting your signature", "hand-overs awaiting your signature", n), n,
                url, detail=[{"url": url_of("returns:handover", h.pk),
                              "text": f"#{h.pk} {h.from_party.code} → {h.to_party.code} · {h.place}", "n": None}
                             for h in todo[:5]], records=todo)


def _overdue_query(u: User, today: Any) -> Any:
    from homeward.registry.workflow import CaseStatus
    from homeward.returns.models import FollowUpStatus

    return access.follow_ups(u).filter(status=FollowUpStatus.SCHEDULED, case__status=CaseStatus.REUNITED,
                                       due__lt=today)


def _overdue(user: User) -> Item:
    n = reads.counted("queue.overdue", user, _overdue_query, today=timezone.localdate())
    return Item("overdue", ngettext("follow-up visit overdue", "follow-up visits overdue", n), n,
                reverse("returns:follow_ups") + "?show=overdue")


def _my_visits_query(u: User) -> Any:
    from homeward.registry.workflow import CaseStatus
    from homeward.returns.models import FollowUpStatus

    return access.follow_ups(u).filter(status=FollowUpStatus.SCHEDULED, case__status=CaseStatus.REUNITED,
                                       case__caseworker_id=u.pk)


def _my_visits(user: User) -> Item:
    n = reads.counted("queue.my_visits", user, _my_visits_query)
    return Item("my_visits", ngettext("visit to make on your cases", "visits to make on your cases", n), n,
                reverse("returns:follow_ups") + "?show=mine")


def _tracing_query(u: User) -> Any:
    return access.tracing_requests(u).order_by().values_list("status").annotate(n=Count("id")).values_list(
        "status", "n")


def _tracing(user: User) -> list[Item]:
    from homeward.registry.choices import TracingStatus

    counts = dict(reads.rows("queue.tracing", user, _tracing_query))
    url = reverse("tracing_list")
    labels = {
        TracingStatus.OPEN: lambda n: ngettext("open tracing request", "open tracing requests", n),
        TracingStatus.MATCHED: lambda n: ngettext("tracing request matched to a child",
                                                  "tracing requests matched to a child", n),
        TracingStatus.CLOSED: lambda n: ngettext("closed tracing request", "closed tracing requests", n),
        TracingStatus.WITHDRAWN: lambda n: ngettext("withdrawn tracing request", "withdrawn tracing requests", n),
    }
    return [Item("tracing_" + s, labels[s](counts.get(s, 0)), counts.get(s, 0), f"{url}?status={s}",
                 todo=s == TracingStatus.OPEN) for s in TracingStatus]


def for_user(viewer: Viewer, request: HttpRequest | None = None) -> list[Item]:
    """The signed-in user's work queue (the access policy decides the role; nobody else has one); given the
    ``request``, the lists' progress is shared with the rest of its page."""
    user = access.user_of(viewer)
    if user is None or not user.is_active:
        return []
    if access.is_mediator(user):
        return [_pairs(user), _lists_to_forward(user, request), _signatures(user), _overdue(user), _my_visits(user)]
    if access.is_officer(user):
        return [_lists_to_answer(user, request), _signatures(user), _overdue(user)]
    if user.role == Role.NGO_CASEWORKER:
        return _tracing(user)
    return []


def title(user: Viewer) -> str:
    return _("Your work")
