"""API bearer tokens: issued with a name and an expiry, listed and revoked by their owner.

Only a SHA-256 of each token is stored. Issuing a token under a name the user already has an active token
for replaces (revokes) that token, so repeated token requests by a script do not pile up live tokens;
a user holds at most ``settings.API_TOKEN_MAX_ACTIVE`` active tokens. Changing the password or deactivating
the user revokes every token (``User.save``).
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import secrets
import weakref
from typing import Any

from django.conf import settings
from django.db import connections, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.accounts.models import ApiToken, Party, User
from homeward.exceptions import InputError, NotFound

NAME_MAX = 64


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def clean_name(name: str) -> str:
    """A token name: printable, 1 to 64 characters (a label such as ``ledger-sync``, not a secret)."""
    name = " ".join((name or "").split())
    if not name:
        raise InputError({"name": [_("Give the token a name.")]}, "Give the token a name.")
    if len(name) > NAME_MAX or not name.isprintable():
        raise InputError({"name": [_("Use a name of at most 64 printable characters.")]},
                         "Use a name of at most 64 printable characters.")
    return name


def owned_by(user: User) -> QuerySet[ApiToken]:
    """The user's own tokens, newest first (the only tokens a user may list or revoke)."""
    return ApiToken.objects.filter(user=user)


def active(user: User) -> QuerySet[ApiToken]:
    return owned_by(user).filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


def issue(user: User, name: str = "api", days: int | None = None) -> tuple[ApiToken, str]:
    """Mint a token for ``user``; returns the stored row and the raw value (shown once, never stored).

    An active token of the same name is revoked first. ``days`` (1 to ``settings.API_TOKEN_DAYS``) shortens
    the lifetime; the default is the configured maximum.
    """
    name = clean_name(name)
    limit = settings.API_TOKEN_DAYS
    if days is None:
        days = limit
    if not 1 <= days <= limit:
        raise InputError({"days": [_("Give a number of days from 1 to %(limit)d.") % {"limit": limit}]},
                         f"A token lives 1 to {limit} days.")
    now = timezone.now()
    with transaction.atomic():
        # lock the user's row so two concurrent requests cannot both pass the limit
        User.objects.select_for_update().filter(pk=user.pk).first()
        active(user).filter(name=name).update(revoked_at=now, revoked_reason="replaced")
        if active(user).count() >= settings.API_TOKEN_MAX_ACTIVE:
            raise InputError({"name": [_("Too many active tokens; revoke one first.")]},
                             f"You have {settings.API_TOKEN_MAX_ACTIVE} active tokens; revoke one first.")
        raw = "hw_" + secrets.token_urlsafe(32)
        token = ApiToken.objects.create(user=user, name=name, key_hash=_hash(raw), prefix=raw[:8], created_at=now,
                                        expires_at=now + datetime.timedelta(days=days))
    return token, raw


@dataclasses.dataclass(frozen=True)
class _Lookup:
    """The token look-up of one database connection: its statement and each selected column's converters."""

    sql: str
    columns: list[tuple[Any, list[Any]]]  # (Col expression, its converters), in the statement's order


_lookups: weakref.WeakKeyDictionary[Any, _Lookup] = weakref.WeakKeyDictionary()
_USER_FIELDS = [f.attname for f in User._meta.concrete_fields]
_PARTY_FIELDS = [f.attname for f in Party._meta.concrete_fields]
_PARTY_PK = _PARTY_FIELDS.index(Party._meta.pk.attname)


def _lookup(connection: Any) -> _Lookup:
    """What ``ApiToken.objects.select_related("user", "user__party").filter(key_hash=…, revoked_at__isnull=True,
    expires_at__gt=now, user__is_active=True)`` sends, written once per connection: building and compiling that
    queryset was ~3,000 Python calls of every API request (~16 % of ``GET /api/v1/children``)."""
    found = _lookups.get(connection)
    if found is not None:
        return found
    qn = connection.ops.quote_name
    token, user, party = ApiToken._meta, User._meta, Party._meta
    selected = [("t", token.pk), ("t", token.get_field("last_used_at"))]
    selected += [("u", f) for f in user.concrete_fields] + [("p", f) for f in party.concrete_fields]
    columns = []
    for alias, field in selected:
        col = field.get_col(alias)
        columns.append((col, connection.ops.get_db_converters(col) + col.get_db_converters(connection)))

    def column(alias: str, meta: Any, name: str) -> str:
        return f"{alias}.{qn(meta.get_field(name).column)}"

    # Only the models' own table and column names go into the text (quoted); the values are parameters.
    sql = (f"SELECT {', '.join(f'{alias}.{qn(field.column)}' for alias, field in selected)} "  # noqa: S608
           f"FROM {qn(token.db_table)} t "
           f"INNER JOIN {qn(user.db_table)} u ON u.{qn(user.pk.column)} = {column('t', token, 'user')} "
           f"LEFT OUTER JOIN {qn(party.db_table)} p ON p.{qn(party.pk.column)} = {column('u', user, 'party')} "
           f"WHERE {column('t', token, 'key_hash')} = %s AND {column('t', token, 'revoked_at')} IS NULL "
           f"AND {column('t', token, 'expires_at')} > %s AND {column('u', user, 'is_active')} = %s")
    found = _lookups[connection] = _Lookup(sql, columns)
    return found


def authenticate(raw: str) -> User | None:
    """The active user a live (unrevoked, unexpired) token belongs to, or ``None``; the user is read with their
    party, in one statement (``_lookup``)."""
    now = timezone.now()
    connection = connections[ApiToken.objects.db]
    lookup = _lookup(connection)
    params = [_hash(raw), ApiToken._meta.get_field("expires_at").get_db_prep_value(now, connection),
              User._meta.get_field("is_active").get_db_prep_value(True, connection)]
    with connection.cursor() as cursor:
        cursor.execute(lookup.sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    values = list(row)
    for i, (col, converters) in enumerate(lookup.columns):
        for convert in converters:
            values[i] = convert(values[i], col, connection)
    token_id, last_used_at = values[0], values[1]
    n = len(_USER_FIELDS)
    user = User.from_db(connection.alias, _USER_FIELDS, values[2:2 + n])
    party_values = values[2 + n:]
    party = None if party_values[_PARTY_PK] is None else Party.from_db(connection.alias, _PARTY_FIELDS, party_values)
    User._meta.get_field("party").set_cached_value(user, party)
    if last_used_at is None or (now - last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token_id).update(last_used_at=now)
    return user


def get_owned(user: User, token_id: object) -> ApiToken:
    """The user's token ``token_id``; another user's token, or none, is ``NotFound``."""
    try:
        pk = int(str(token_id))
    except ValueError:
        raise NotFound() from None
    if not 0 < pk < 2**63:
        raise NotFound()
    token = owned_by(user).filter(pk=pk).first()
    if token is None:
        raise NotFound()
    return token


def revoke(user: User, token_id: object, reason: str = "revoked") -> ApiToken:
    """Revoke one of the user's own tokens (idempotent: a revoked token stays revoked as it was)."""
    token = get_owned(user, token_id)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_reason = reason
        token.save(update_fields=["revoked_at", "revoked_reason"])
    return token


def revoke_all(user: User, reason: str) -> int:
    """Revoke every live token of the user; returns how many."""
    return owned_by(user).filter(revoked_at__isnull=True).update(revoked_at=timezone.now(), revoked_reason=reason)
