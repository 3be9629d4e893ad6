"""``{% exchange_progress as rows %}``: per-list progress within the current user's scope."""

from __future__ import annotations

from typing import Any

from django import template

from homeward import access
from homeward.exchange import progress

register = template.Library()


@register.simple_tag(takes_context=True)
def exchange_progress(context: dict[str, Any], limit: int | None = None) -> list[progress.Progress]:
    """The ``limit`` newest lists (the dashboard's panel: ``progress.DASHBOARD_ROWS``; every list is on
    ``/lists/``)."""
    limit = limit or progress.DASHBOARD_ROWS
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if user is None or not access.uses_lists(user):
        return []
    if request is not None and getattr(request, "user", None) is user:
        return progress.for_request(request, limit)
    return progress.for_user(user, limit)
