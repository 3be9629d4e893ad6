"""Recording who viewed or changed which record. Only identifiers are stored, never personal fields."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from homeward.accounts.models import AuditEvent

if TYPE_CHECKING:
    from django.http import HttpRequest

    from homeward.access import Viewer

READ = "read"


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


def ids_digest(object_type: str, ids: Iterable[Any]) -> str:
    """SHA-256 over the record type and the sorted ids: the same set of records gives the same digest."""
    joined = ",".join(sorted(str(i) for i in ids))
    return hashlib.sha256(f"{object_type}:{joined}".encode()).hexdigest()


def route_of(request: HttpRequest) -> str:
    """The route pattern that answered (``api/v1/children/<int:child_id>``): never the path or query string,
    which may carry a searched name."""
    match = getattr(request, "resolver_match", None)
    return (match.route if match is not None and match.route else "")[:200]


def read(request: HttpRequest, object_type: str, objects: Iterable[Any], *, via: str = "page") -> None:
    """One audit row for a response that carried personal data (a list page, a search, an export, an edit
    form, an API page): the actor, the route, how many records, their ids and a digest of the ids. Written
    even when the page is empty, so that looking is recorded too. The records' fields never go in."""
    from homeward.access import user_of

    ids = [o if isinstance(o, int | str) else o.pk for o in objects]
    db_user = user_of(request.user)
    AuditEvent.objects.create(
        user=db_user,
        party_code=db_user.party_code if db_user is not None else "",
        action=READ,
        object_type=object_type,
        object_id=str(ids[0]) if len(ids) == 1 else "",
        via=via,
        route=route_of(request),
        count=len(ids),
        ids="," + ",".join(str(i) for i in ids) + "," if ids else "",
        digest=ids_digest(object_type, ids),
    )
