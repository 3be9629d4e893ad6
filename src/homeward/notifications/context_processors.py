"""The bell in the header: the signed-in user's unread count, counted only if a page shows it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import cached_property

from homeward.access import Viewer


class Bell:
    def __init__(self, user: Viewer) -> None:
        self.user = user

    @cached_property
    def count(self) -> int:
        from homeward.notifications import services

        return services.unread_count(self.user)


def bell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notification_bell": Bell(user)}
