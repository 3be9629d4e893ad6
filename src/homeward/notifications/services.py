"""Telling users what waits for them: who is told of what, in which channel, and the words for it.

Each ``*_`` hook below is called by the domain's own write, **inside its transaction** (so a rolled-back
change tells nobody), and picks its recipients by the same rules the linked page applies: a party
officer is told only of its own party's objects, the mediator's work goes to mediator roles. A
notification carries a kind, a count, an object id and a link of ids; never a name or any personal field.

============================  =======================================  ==========================================
Kind                          Recipients                               Made by
============================  =======================================  ==========================================
``list_forwarded``            officers of the party the names went to  ``exchange.services.forward``
``answer_received``           mediator roles, the submitting party     ``exchange.services.respond``
``candidates_waiting``        mediator roles (one per matching run)    ``linkage.services.execute``
``candidates_waiting``        mediator roles (one a day, counted up)   ``registry.continuous.match``
``signature_due``             the signers of each side still unsigned  ``returns.services`` (when signable)
``follow_up_due``             mediator roles, the child's party        the periodic job ``remind_follow_ups``
``follow_up_assigned``        the case worker assigned to the case     the periodic job ``remind_follow_ups``
============================  =======================================  ==========================================
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from homeward import access
from homeward.access import Viewer
from homeward.accounts.roles import MEDIATOR_ROLES, PartyKind, Role
from homeward.notifications.models import EmailLanguage, FollowUpReminder, Kind, Notification, Preference

if TYPE_CHECKING:
    import datetime as dt

    from homeward.accounts.models import Party, User
    from homeward.exchange.models import Forwarding, ListVersion
    from homeward.linkage.models import MatchRun
    from homeward.returns.models import Handover, ReturnOperation

log = logging.getLogger("homeward.notifications")

KINDS_BY_ROLE: dict[str, tuple[str, ...]] = {
    Role.MEDIATOR_ADMIN: (Kind.ANSWER_RECEIVED, Kind.CANDIDATES_WAITING, Kind.SIGNATURE_DUE, Kind.FOLLOW_UP_DUE,
                          Kind.FOLLOW_UP_ASSIGNED),
    Role.MEDIATOR_CASEWORKER: (Kind.ANSWER_RECEIVED, Kind.CANDIDATES_WAITING, Kind.SIGNATURE_DUE,
                               Kind.FOLLOW_UP_DUE, Kind.FOLLOW_UP_ASSIGNED),
    Role.PARTY_OFFICER: (Kind.LIST_FORWARDED, Kind.ANSWER_RECEIVED, Kind.SIGNATURE_DUE, Kind.FOLLOW_UP_DUE),
}
"""The kinds each role can receive (the settings page offers these)."""


# --- recipients ----------------------------------------------------------------------------------


def _users() -> QuerySet[User]:
    from homeward.accounts.models import User

    return User.objects.filter(is_active=True)


def mediators() -> QuerySet[User]:
    return _users().filter(role__in=MEDIATOR_ROLES, party__kind=PartyKind.MEDIATOR)


def officers(party_id: int | None) -> QuerySet[User]:
    if party_id is None:
        return _users().none()
    return _users().filter(role=Role.PARTY_OFFICER, party_id=party_id, party__kind=PartyKind.AUTHORITY)


def signers(party: Party) -> QuerySet[User]:
    """Who signs a hand-over side for ``party`` (the rule of ``access.signs_for``)."""
    if party.kind == PartyKind.MEDIATOR:
        return mediators().filter(party_id=party.pk)
    return officers(party.pk)


# --- channels ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Channels:
    in_app: bool = True
    email: bool = False


def channels(users: Iterable[User], kind: str) -> dict[int, Channels]:
    """Each user's channels for ``kind`` (defaults where the user chose nothing)."""
    ids = [u.pk for u in users]
    chosen = {p.user_id: Channels(p.in_app, p.email) for p in Preference.objects.filter(user_id__in=ids, kind=kind)}
    return {pk: chosen.get(pk, Channels()) for pk in ids}


def save_preferences(user: User, choices: dict[str, Channels], language: str | None = None) -> None:
    with transaction.atomic():
        for kind, ch in choices.items():
            if kind not in Kind.values:
                continue
            Preference.objects.update_or_create(user=user, kind=kind, defaults={"in_app": ch.in_app,
                                                                               "email": ch.email})
        if language:
            EmailLanguage.objects.update_or_create(user=user, defaults={"language": language})


def email_language(user: User) -> str:
    return EmailLanguage.objects.filter(user=user).values_list("language", flat=True).first() or settings.LANGUAGE_CODE


# --- making notifications ------------------------------------------------------------------------


def notify(recipients: Iterable[User], kind: str, *, key: str, link: str, count: int = 1,
           object_id: int | None = None, accumulate: bool = False) -> list[Notification]:
    """Tell each recipient once per ``key``. With ``accumulate``, a repeat adds ``count`` to the unread
    notification (or makes a read one unread again with the new count) instead of being skipped.

    Call it inside the transaction of the change it reports. E-mails are queued in that transaction."""
    from homeward import jobs
    from homeward.notifications import tasks

    if count <= 0:
        return []
    users = {u.pk: u for u in recipients}
    if not users:
        return []
    wanted = channels(users.values(), kind)
    now = timezone.now()
    made: list[Notification] = []
    for pk, user in users.items():
        ch = wanted[pk]
        if not (ch.in_app or ch.email):
            continue
        n, created = Notification.objects.get_or_create(recipient_id=pk, key=key, defaults={
            "kind": kind, "count": count, "object_id": object_id, "link": link, "created_at": now,
            "in_app": ch.in_app})
        if not created:
            if not accumulate:
                continue
            n = Notification.objects.select_for_update().get(pk=n.pk)
            n.count = n.count + count if n.read_at is None else count
            n.read_at, n.emailed_at, n.created_at, n.in_app = None, None, now, ch.in_app
            n.save(update_fields=["count", "read_at", "emailed_at", "created_at", "in_app"])
        made.append(n)
        if ch.email and user.email:
            jobs.enqueue(tasks.send_email, n.pk)
    if made:
        log.info("event=notified kind=%s key=%s recipients=%d", kind, key, len(made))
    return made


def list_forwarded(fwd: Forwarding) -> list[Notification]:
    """Names of a list were forwarded to a party: its officers are asked to answer them."""
    return notify(officers(fwd.to_party_id), Kind.LIST_FORWARDED, key=f"forwarding:{fwd.pk}", count=fwd.count,
                  object_id=fwd.version_id, link=reverse("exchange:version", args=[fwd.version_id]) + "?show=pending")


def answers_received(version: ListVersion, count: int, answering_party_id: int | None) -> list[Notification]:
    """The party a list concerns answered ``count`` of its names: the mediator and the party that submitted
    the list are told (never the answering party itself)."""
    submitter = version.party_list.party_id
    recipients = [*mediators(), *(officers(submitter) if submitter != answering_party_id else [])]
    return notify(recipients, Kind.ANSWER_RECEIVED, key=f"answers:{version.pk}", count=count,
                  object_id=version.pk, link=reverse("exchange:version", args=[version.pk]), accumulate=True)


def candidates_waiting(run: MatchRun, count: int) -> list[Notification]:
    """A matching run stored ``count`` new pairs for review: one notification per run, not one per pair."""
    return notify(mediators(), Kind.CANDIDATES_WAITING, key=f"run:{run.pk}", count=count, object_id=run.pk,
                  link=reverse("linkage:run", args=[run.pk]))


def pairs_proposed(count: int, today: dt.date | None = None) -> list[Notification]:
    """Continuous matching put ``count`` pairs (new or re-opened) in the review queue: mediator roles get one
    notification a day, its count growing with each record matched, not one per pair."""
    today = today or timezone.localdate()
    return notify(mediators(), Kind.CANDIDATES_WAITING, key=f"pairs:{today.isoformat()}", count=count,
                  link=reverse("linkage:review"), accumulate=True)


def signatures_due(op: ReturnOperation) -> list[Notification]:
    """Tell the signers of every hand-over of ``op`` that can now be signed, once per side."""
    from homeward.returns.models import Handover, Side
    from homeward.returns.services import handover_cases, signing_unmet

    made: list[Notification] = []
    for h in Handover.objects.filter(operation_id=op.pk, completed_at__isnull=True).select_related(
            "operation", "from_party", "to_party"):
        signed = set(h.signatures.values_list("side", flat=True))
        sides = [(s, p) for s, p in ((Side.HANDING, h.from_party), (Side.RECEIVING, h.to_party)) if s not in signed]
        if not sides or signing_unmet(h):
            continue
        n = len(handover_cases(h))
        for side, party in sides:
            made += notify(signers(party), Kind.SIGNATURE_DUE, key=_handover_key(h, side), count=n, object_id=h.pk,
                           link=reverse("returns:handover", args=[h.pk]))
    return made


def _handover_key(h: Handover, side: str) -> str:
    return f"handover:{h.pk}:{side}"


def signed(h: Handover, side: str) -> int:
    """A side was signed: its "awaiting your signature" notifications are done (marked read)."""
    return Notification.objects.filter(key=_handover_key(h, side), read_at__isnull=True).update(
        read_at=timezone.now())


def remind_follow_ups(today: dt.date | None = None) -> int:
    """Tell of every follow-up visit that has come due (due today or earlier, still to make) and was not
    told yet: mediator roles get one notification with the count of all, each party's officers one with
    the count of their own children's visits, and the case worker assigned to a case one of its own
    (``follow_up_assigned``, counting the visits of all their cases). Each user's settings for each kind
    apply. Returns how many visits were told. Idempotent: a visit is told once, however often it runs."""
    from homeward.registry.workflow import CaseStatus
    from homeward.returns.models import FollowUp, FollowUpStatus

    today = today or timezone.localdate()
    with transaction.atomic():
        due = list(FollowUp.objects.filter(status=FollowUpStatus.SCHEDULED, case__status=CaseStatus.REUNITED,
                                           due__lte=today)
                   .exclude(pk__in=FollowUpReminder.objects.values("follow_up_id"))
                   .values_list("pk", "case__child__party_id", "case__caseworker_id"))
        if not due:
            return 0
        FollowUpReminder.objects.bulk_create([FollowUpReminder(follow_up_id=pk) for pk, _p, _w in due],
                                             ignore_conflicts=True)
        link = reverse("returns:follow_ups") + "?show=open"
        key = f"followups:{today.isoformat()}"
        notify(mediators(), Kind.FOLLOW_UP_DUE, key=key, count=len(due), link=link, accumulate=True)
        for party_id, n in sorted(Counter(party for _pk, party, _w in due).items(), key=lambda kv: kv[0] or 0):
            notify(officers(party_id), Kind.FOLLOW_UP_DUE, key=key, count=n, link=link, accumulate=True)
        mine = reverse("returns:follow_ups") + "?show=mine"
        for worker_id, n in sorted(Counter(w for _pk, _p, w in due if w is not None).items()):
            # only a mediator may be assigned a case (registry.services.assign_caseworker); an assignee who
            # has since left or changed role is told nothing
            notify(mediators().filter(pk=worker_id), Kind.FOLLOW_UP_ASSIGNED, key=f"{key}:assigned", count=n,
                   link=mine, accumulate=True)
    return len(due)


KEEP_READ_DAYS = 90


def prune(now: dt.datetime | None = None) -> int:
    """Delete notifications read more than :data:`KEEP_READ_DAYS` days ago (unread ones stay, however old);
    returns how many."""
    import datetime

    now = now or timezone.now()
    deleted, _kinds = Notification.objects.filter(
        read_at__lt=now - datetime.timedelta(days=KEEP_READ_DAYS)).delete()
    return deleted


# --- reading -------------------------------------------------------------------------------------


def inbox(viewer: Viewer | None) -> QuerySet[Notification]:
    """The in-app notifications of ``viewer`` (nobody else's, ever; none for the operator or a visitor)."""
    user = access.user_of(viewer)
    if user is None:
        return Notification.objects.none()
    return Notification.objects.filter(recipient_id=user.pk, in_app=True)


def _unread(qn: Any) -> str:
    from homeward.accounts.reads import column

    return (f"FROM {qn(Notification._meta.db_table)} n WHERE {column(qn, 'n', Notification, 'recipient')} = %s "
            f"AND {column(qn, 'n', Notification, 'in_app')} = %s AND {column(qn, 'n', Notification, 'read_at')} "
            "IS NULL")


def unread_count(user: Viewer | None) -> int:
    """``inbox(user).filter(read_at__isnull=True).count()``, for the bell on every page: one statement written
    once per connection (``accounts.reads``), not a queryset built and compiled on each page."""
    from django.db import connections

    from homeward.accounts import reads

    owner = access.user_of(user)
    if owner is None:
        return 0
    connection = connections[Notification.objects.db]
    in_app = Notification._meta.get_field("in_app").get_db_prep_value(True, connection)
    return reads.count(connection, "unread_notifications", _unread, [owner.pk, in_app])


def mark_read(user: Viewer | None, pks: Iterable[int] | None = None) -> int:
    qs = inbox(user).filter(read_at__isnull=True)
    if pks is not None:
        qs = qs.filter(pk__in=list(pks))
    return qs.update(read_at=timezone.now())


def text(n: Notification) -> str:
    """What the notification says, in the active language: a kind, a count and ids, nothing personal."""
    values = {"count": n.count, "id": n.object_id or ""}
    if n.kind == Kind.LIST_FORWARDED:
        msg = ngettext("%(count)d name on list version #%(id)s was forwarded to your party for an answer.",
                       "%(count)d names on list version #%(id)s were forwarded to your party for an answer.",
                       n.count)
    elif n.kind == Kind.ANSWER_RECEIVED:
        msg = ngettext("%(count)d answer received on list version #%(id)s.",
                       "%(count)d answers received on list version #%(id)s.", n.count)
    elif n.kind == Kind.CANDIDATES_WAITING and n.object_id is None:
        msg = ngettext("%(count)d new candidate pair from continuous matching is waiting for review.",
                       "%(count)d new candidate pairs from continuous matching are waiting for review.", n.count)
    elif n.kind == Kind.CANDIDATES_WAITING:
        msg = ngettext("%(count)d new candidate pair from matching run #%(id)s is waiting for review.",
                       "%(count)d new candidate pairs from matching run #%(id)s are waiting for review.", n.count)
    elif n.kind == Kind.SIGNATURE_DUE:
        msg = ngettext("Hand-over #%(id)s of %(count)d child awaits your party's signature.",
                       "Hand-over #%(id)s of %(count)d children awaits your party's signature.", n.count)
    elif n.kind == Kind.FOLLOW_UP_DUE:
        msg = ngettext("%(count)d follow-up visit is due.", "%(count)d follow-up visits are due.", n.count)
    elif n.kind == Kind.FOLLOW_UP_ASSIGNED:
        msg = ngettext("%(count)d follow-up visit on a case assigned to you is due.",
                       "%(count)d follow-up visits on cases assigned to you are due.", n.count)
    else:
        return str(n.get_kind_display())
    return msg % values


def subject(n: Notification) -> str:
    return _("Homeward: %(text)s") % {"text": text(n)}


def body(n: Notification) -> str:
    base = str(getattr(settings, "HOMEWARD_BASE_URL", "http://127.0.0.1:8000")).rstrip("/")
    return "\n\n".join([
        text(n),
        _("Open it in Homeward: %(url)s") % {"url": base + n.link},
        _("You receive this e-mail because you chose it in your notification settings: %(url)s")
        % {"url": base + reverse("notifications:settings")},
    ]) + "\n"


def has_email_language(user: User) -> bool:
    return EmailLanguage.objects.filter(user=user).exists()
