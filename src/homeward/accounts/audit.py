"""Recording who viewed or changed which record. Only identifiers are stored, never personal fields."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from homeward.accounts.models import AuditEvent

if TYPE_CHECKING:
    from homeward.access import Viewer


def record(user: Viewer | None, action: str, obj: Any = None, *, object_type: str = "", object_id: Any = "",
           via: str = "page") -> None:
    """One audit row: ``user`` (a user, the command-line operator or ``None``) did ``action`` to ``obj``."""
    from homeward.access import OPERATOR, user_of

    if obj is not None:
        object_type = object_type or obj._meta.model_name
        object_id = object_id or obj.pk
    db_user = user_of(user)
    if user is OPERATOR:
        via = "cli"
    AuditEvent.objects.create(
        user=db_user,
        party_code=db_user.party_code if db_user is not None else "",
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        via=via,
    )
