"""Throttling of failed logins, per username and per client address."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from homeward.accounts.models import LoginFailure


def _key(username: str) -> str:
    return hashlib.sha256(username.strip().lower().encode()).hexdigest()


def is_locked(username: str, address: str | None) -> bool:
    since = timezone.now() - timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)
    recent = LoginFailure.objects.filter(at__gte=since)
    if recent.filter(username_hash=_key(username)).count() >= settings.LOGIN_FAILURE_LIMIT:
        return True
    # One address may try several accounts (an office behind one gateway), but not endlessly.
    return bool(address) and recent.filter(address=address).count() >= 4 * settings.LOGIN_FAILURE_LIMIT


def note_failure(username: str, address: str | None) -> None:
    LoginFailure.objects.create(username_hash=_key(username), address=address or None)


def clear(username: str) -> None:
    LoginFailure.objects.filter(username_hash=_key(username)).delete()
