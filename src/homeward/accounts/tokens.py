"""API bearer tokens: issued with a name and an expiry, listed and revoked by their owner.

Only a SHA-256 of each token is stored. Issuing a token under a name the user already has an active token
for replaces (revokes) that token, so repeated token requests by a script do not pile up live tokens;
a user holds at most ``settings.API_TOKEN_MAX_ACTIVE`` active tokens. Changing the password or deactivating
the user revokes every token (``User.save``).
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.db import connections, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.accounts import reads
from homeward.accounts.models import ApiToken, User
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


def _token_user(qn: Any) -> tuple[reads.Selected, str]:
    """What ``ApiToken.objects.select_related("user", "user__party").filter(key_hash=…, revoked_at__isnull=True,
    expires_at__gt=now, user__is_active=True)`` sends (``accounts.reads``: built and compiled as a queryset on
    every API request, it was ~3,000 Python calls, ~16 % of ``GET /api/v1/children``)."""
    token = ApiToken._meta
    selected = [("t", token.pk), ("t", token.get_field("last_used_at")), *reads.user_selected()]
    return selected, (
        f"FROM {qn(token.db_table)} t INNER JOIN {qn(User._meta.db_table)} u "
        f"ON u.{qn(str(User._meta.pk.column))} = {reads.column(qn, 't', ApiToken, 'user')} {reads.party_join(qn)} "
        f"WHERE {reads.column(qn, 't', ApiToken, 'key_hash')} = %s AND {reads.column(qn, 't', ApiToken, 'revoked_at')} "
        f"IS NULL AND {reads.column(qn, 't', ApiToken, 'expires_at')} > %s "
        f"AND {reads.column(qn, 'u', User, 'is_active')} = %s")


def authenticate(raw: str) -> User | None:
    """The active user a live (unrevoked, unexpired) token belongs to, or ``None``; the user is read with their
    party, in one statement."""
    now = timezone.now()
    connection = connections[ApiToken.objects.db]
    values = reads.statement(connection, "token_user", _token_user).fetch_one(connection, [
        _hash(raw), ApiToken._meta.get_field("expires_at").get_db_prep_value(now, connection),
        User._meta.get_field("is_active").get_db_prep_value(True, connection)])
    if values is None:
        return None
    token_id, last_used_at = values[0], values[1]
    if last_used_at is None or (now - last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token_id).update(last_used_at=now)
    return reads.user_with_party(connection.alias, values[2:])


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
