"""Per-list progress figures (for the list index and the mediator's dashboard), within a user's scope."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest

from homeward import access
from homeward.access import Viewer
from homeward.exchange.models import EntryResponse, ListVersion, PartyList

# The dashboard's panel shows this many of the newest lists, with a link to all of them (``/lists/``, a page at a
# time): its cost stays the same however many lists the parties exchange (it rendered up to 50 rows).
DASHBOARD_ROWS = 10


@dataclass
class Progress:
    party_list: PartyList
    version: ListVersion | None
    total: int
    forwarded: int
    answered: int
    rank: int = 0  # the list's place among the user's lists, newest first (0, 1, …)

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.forwarded) if self.forwarded else 0


def for_user(user: Viewer, limit: int = 200, plists: list[PartyList] | None = None) -> list[Progress]:
    """Each list's latest version the user may see, with its figures: three queries, whatever the number of lists.
    ``plists``: those lists (one page of :func:`listed`) instead of the ``limit`` newest."""
    if plists is None:
        plists = list(access.lists(user).order_by("-created_at", "-id")[:limit])
    from homeward.accounts import reads

    # The versions' lists (and their parties) are the ones just read: not joined and built again per version; of
    # a version, only what the progress shows (a link to it, its number and date), as values from statements
    # compiled once per connection and scope (``accounts.reads.rows``).
    latest: dict[int, ListedVersion] = {}
    for list_id, pk, number, uploaded_at in reads.rows("progress.versions", user, _versions_query,
                                                        lists=[p.pk for p in plists]):
        if list_id not in latest:
            latest[list_id] = ListedVersion(pk, number, uploaded_at)
    figures = {row[0]: row for row in reads.rows("progress.figures", user, _figures_query,
                                                  versions=[v.pk for v in latest.values()])}
    out: list[Progress] = []
    for rank, plist in enumerate(plists):
        version = latest.get(plist.pk)
        if version is None:
            continue
        version.party_list = plist
        _v, total, forwarded, answered = figures.get(version.pk, (None, 0, 0, 0))
        out.append(Progress(plist, version, total, forwarded, answered, rank))  # type: ignore[arg-type]
    return out


@dataclass
class ListedVersion:
    """What :func:`for_user` gives of a list's latest version: a link to it, its number and date, and its list."""

    pk: int
    number: int
    uploaded_at: Any
    party_list: Any = None


def listed(user: Viewer) -> QuerySet[PartyList]:
    """The lists :func:`for_user` reports (those with a version the user may see), newest first."""
    return access.lists(user).filter(pk__in=access.versions(user).values("party_list_id")).order_by(
        "-created_at", "-id")


@dataclass(frozen=True)
class PartyRef:
    """What a progress row shows of a party: its code."""

    pk: int
    code: str


@dataclass(frozen=True)
class ListRef:
    """What a progress row and the work queue show of a list (read as values, not a model instance)."""

    pk: int
    title: str
    party: PartyRef
    concerning: PartyRef

    @property
    def concerning_id(self) -> int:
        return self.concerning.pk


@dataclass(frozen=True)
class VersionRef:
    """What a progress row shows of a list's version: a link to it, its number and date."""

    pk: int
    number: int
    uploaded_at: Any


def _lists_query(user: Viewer, limit: int) -> QuerySet[PartyList, Any]:
    return access.lists(user).order_by("-created_at", "-id").values(
        "id", "title", "party_id", "party__code", "concerning_id", "concerning__code")[:limit]


def _versions_query(user: Viewer, lists: list[int]) -> QuerySet[ListVersion, Any]:
    return (access.versions(user).select_related(None).filter(party_list_id__in=lists)
            .order_by("party_list_id", "-number").values_list("party_list_id", "id", "number", "uploaded_at"))


def _figures_query(user: Viewer, versions: list[int]) -> QuerySet[Any]:
    answered = EntryResponse.objects.filter(entry=OuterRef("pk"))
    return access.entries(user).filter(version__in=versions).order_by().values("version_id").annotate(
        total=Count("id"), forwarded=Count("id", filter=Q(forwarding__isnull=False)),
        answered=Count("id", filter=Q(Exists(answered)))).values_list("version_id", "total", "forwarded", "answered")


def read(user: Viewer, limit: int = 200) -> list[Progress]:
    """:func:`for_user` (the same lists, versions and figures, by the same three queries), each query compiled once
    per connection and kind of scope (``accounts.reads.rows``), its rows read as values: the list and version as
    :class:`ListRef` and :class:`VersionRef`, not model instances. For the pages that show progress as rows."""
    from homeward.accounts import reads

    plists = reads.rows(f"progress.lists:{limit}", user, lambda u: _lists_query(u, limit))  # LIMIT is in the SQL
    latest: dict[int, VersionRef] = {}
    for list_id, pk, number, uploaded_at in reads.rows("progress.versions", user, _versions_query,
                                                        lists=[p["id"] for p in plists]):
        if list_id not in latest:
            latest[list_id] = VersionRef(pk, number, uploaded_at)
    figures = {row[0]: row for row in reads.rows("progress.figures", user, _figures_query,
                                                  versions=[v.pk for v in latest.values()])}
    parties: dict[int, PartyRef] = {}

    def party(pk: int, code: str) -> PartyRef:
        found = parties.get(pk)
        if found is None:
            found = parties[pk] = PartyRef(pk, code)
        return found

    out: list[Progress] = []
    for rank, row in enumerate(plists):
        version = latest.get(row["id"])
        if version is None:
            continue
        plist = ListRef(row["id"], row["title"], party(row["party_id"], row["party__code"]),
                        party(row["concerning_id"], row["concerning__code"]))
        _v, total, forwarded, answered_n = figures.get(version.pk, (None, 0, 0, 0))
        out.append(Progress(plist, version, total, forwarded, answered_n, rank))  # type: ignore[arg-type]
    return out


def for_request(request: HttpRequest, limit: int = 200) -> list[Progress]:
    """``read(request.user, limit)``, its queries made once per request: the dashboard's work queue and its
    progress panel both show it (profiled: two thirds of the dashboard's time went to it twice)."""
    cached: tuple[int, list[Progress]] | None = getattr(request, "_homeward_list_progress", None)
    if cached is None or cached[0] < limit:
        cached = (limit, read(request.user, limit))
        request._homeward_list_progress = cached  # type: ignore[attr-defined]
    return [p for p in cached[1] if p.rank < limit]
