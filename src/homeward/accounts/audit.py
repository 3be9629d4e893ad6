"""Recording who viewed or changed which record. Only identifiers are stored, never personal fields."""

from __future__ import annotations

import hashlib
import weakref
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import connections, transaction
from django.utils import timezone

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
    _insert({
        "at": timezone.now(),
        "user_id": db_user.pk if db_user is not None else None,
        "party_code": db_user.party_code if db_user is not None else "",
        "action": READ,
        "object_type": object_type,
        "object_id": str(ids[0]) if len(ids) == 1 else "",
        "via": via,
        "route": route_of(request),
        "count": len(ids),
        "ids": "," + ",".join(str(i) for i in ids) + "," if ids else "",
        "digest": ids_digest(object_type, ids),
    })


_READ_FIELDS = ("at", "user", "party_code", "action", "object_type", "object_id", "via", "route", "count", "ids",
                "digest")
_inserts: weakref.WeakKeyDictionary[Any, str] = weakref.WeakKeyDictionary()


def _insert(values: dict[str, Any]) -> None:
    """``AuditEvent.objects.create(**values)`` of a read (every list page and API page writes one): the ``INSERT``
    written once per connection, each value prepared for the database as the ORM prepares it for a save, not a
    model instance saved through the ORM (~700 Python calls of every list read, by ``profile_routes.py``)."""
    connection = connections[AuditEvent.objects.db]
    fields: list[Any] = [AuditEvent._meta.get_field(name) for name in _READ_FIELDS]
    sql = _inserts.get(connection)
    if sql is None:
        qn = connection.ops.quote_name
        # only the model's own (quoted) names in the text; the values are parameters
        sql = _inserts[connection] = (
            f"INSERT INTO {qn(AuditEvent._meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) "  # noqa: S608
            f"VALUES ({', '.join(['%s'] * len(fields))})")
    params = [f.get_db_prep_save(values[f.attname], connection) for f in fields]
    with transaction.mark_for_rollback_on_error(using=connection.alias), connection.cursor() as cursor:
        cursor.execute(sql, params)
