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
    latest: dict[int, ListVersion] = {}
    # The versions' lists (and their parties) are the ones just read: not joined and built again per version; of
    # a version, only what the progress shows (a link to it, its number and date).
    for found in (access.versions(user).select_related(None).filter(party_list_id__in=[p.pk for p in plists])
                  .only("id", "party_list_id", "number", "uploaded_at").order_by("party_list_id", "-number")):
        latest.setdefault(found.party_list_id, found)
    answered = EntryResponse.objects.filter(entry=OuterRef("pk"))
    figures: dict[int, Any] = {row["version_id"]: row for row in access.entries(user).filter(
        version__in=[v.pk for v in latest.values()]).order_by().values("version_id").annotate(
        total=Count("id"), forwarded=Count("id", filter=Q(forwarding__isnull=False)),
        answered=Count("id", filter=Q(Exists(answered))))}
    out: list[Progress] = []
    for rank, plist in enumerate(plists):
        version = latest.get(plist.pk)
        if version is None:
            continue
        version.party_list = plist
        row = figures.get(version.pk, {})
        out.append(Progress(plist, version, row.get("total", 0), row.get("forwarded", 0), row.get("answered", 0),
                            rank))
    return out


def listed(user: Viewer) -> QuerySet[PartyList]:
    """The lists :func:`for_user` reports (those with a version the user may see), newest first."""
    return access.lists(user).filter(pk__in=access.versions(user).values("party_list_id")).order_by(
        "-created_at", "-id")


def for_request(request: HttpRequest, limit: int = 200) -> list[Progress]:
    """``for_user(request.user, limit)``, its queries made once per request: the dashboard's work queue and its
    progress panel both show it (profiled: two thirds of the dashboard's time went to it twice)."""
    cached: tuple[int, list[Progress]] | None = getattr(request, "_homeward_list_progress", None)
    if cached is None or cached[0] < limit:
        cached = (limit, for_user(request.user, limit))
        request._homeward_list_progress = cached  # type: ignore[attr-defined]
    return [p for p in cached[1] if p.rank < limit]
