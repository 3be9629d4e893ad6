"""Recording who viewed or changed which record. Only identifiers are stored, never personal fields."""

from __future__ import annotations

from typing import Any

from homeward.accounts.models import AuditEvent


def record(user: Any, action: str, obj: Any = None, *, object_type: str = "", object_id: Any = "",
           via: str = "page") -> None:
    if obj is not None:
        object_type = object_type or obj._meta.model_name
        object_id = object_id or obj.pk
    authenticated = getattr(user, "is_authenticated", False)
    AuditEvent.objects.create(
        user=user if authenticated else None,
        party_code=user.party_code if authenticated else "",
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        via=via,
    )
