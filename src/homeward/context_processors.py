from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone, translation

from homeward import __version__, access, nav


def homeward(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    return {
        "homeward_version": __version__,
        "text_direction": "rtl" if translation.get_language_bidi() else "ltr",
        "is_mediator": access.is_mediator(user),
        "is_mediator_admin": access.is_mediator_admin(user),
        "nav_items": nav.items(user, match.view_name if match else ""),
        "time_zone_name": timezone.get_current_timezone_name(),
    }
