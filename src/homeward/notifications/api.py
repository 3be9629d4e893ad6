"""The caller's own notifications in the API: list, unread count, mark read. Another user's notification is
404, like any record outside one's scope. Texts are in the request's language (``Accept-Language``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Router
from ninja.pagination import paginate

from homeward import access
from homeward.access import AuthedRequest
from homeward.notifications import services
from homeward.notifications.models import Notification
from homeward.pagination import Pagination
from homeward.schema import Schema

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    kind: str
    count: int
    object_id: int | None
    link: str
    text: str
    created_at: dt.datetime
    read: bool

    @staticmethod
    def resolve_text(obj: Notification) -> str:
        return services.text(obj)

    @staticmethod
    def resolve_read(obj: Notification) -> bool:
        return obj.read_at is not None


class UnreadOut(Schema):
    unread: int


class MarkedOut(Schema):
    marked: int


@router.get("", response=list[NotificationOut])
@paginate(Pagination)
def list_notifications(request: AuthedRequest, unread: bool = False) -> Any:
    """The caller's notifications, newest first (``unread=true``: only those not yet read).

    Example: ``GET /api/v1/notifications?unread=true&limit=20``"""
    qs = services.inbox(request.user)
    return qs.filter(read_at__isnull=True) if unread else qs


@router.get("/unread", response=UnreadOut)
def unread_count(request: AuthedRequest) -> dict[str, int]:
    """How many of the caller's notifications are unread (the bell's number)."""
    return {"unread": services.unread_count(request.user)}


@router.post("/{notification_id}/read", response=NotificationOut)
def mark_read(request: AuthedRequest, notification_id: int) -> Notification:
    """Mark one of the caller's notifications read; another user's answers 404."""
    n = access.get(services.inbox(request.user), notification_id)
    services.mark_read(request.user, [n.pk])
    n.refresh_from_db()
    return n


@router.post("/read", response=MarkedOut)
def mark_all_read(request: AuthedRequest) -> dict[str, int]:
    """Mark every notification of the caller read."""
    return {"marked": services.mark_read(request.user)}
