"""Per-list progress figures (for the list index and the mediator's dashboard), within a user's scope."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q

from homeward import access
from homeward.access import Viewer
from homeward.exchange.models import EntryResponse, ListVersion, PartyList


@dataclass
class Progress:
    party_list: PartyList
    version: ListVersion | None
    total: int
    forwarded: int
    answered: int

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.forwarded) if self.forwarded else 0


def for_user(user: Viewer, limit: int = 200) -> list[Progress]:
    out: list[Progress] = []
    for plist in access.lists(user).order_by("-created_at")[:limit]:
        version = access.versions(user).filter(party_list=plist).order_by("-number").first()
        if version is None:
            continue
        answered = EntryResponse.objects.filter(entry=OuterRef("pk"))
        figures = access.entries(user).filter(version=version).annotate(a=Exists(answered)).aggregate(
            total=Count("id"), forwarded=Count("id", filter=Q(forwarding__isnull=False)),
            answered=Count("id", filter=Q(a=True)))
        out.append(Progress(plist, version, figures["total"], figures["forwarded"], figures["answered"]))
    return out
