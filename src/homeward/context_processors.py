from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import translation

from homeward import __version__, access


def homeward(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "homeward_version": __version__,
        "text_direction": "rtl" if translation.get_language_bidi() else "ltr",
        "is_mediator": access.is_mediator(user),
        "is_mediator_admin": access.is_mediator_admin(user),
    }
