"""Throttling of failed logins, per account and per client address.

Failures are counted under the username as Django's login form reads it (NFKC, see
``AbstractBaseUser.normalize_username``) and then case-folded, so ``ｔmp2``, ``tｍp2`` and ``TMP2``
share one counter, and a correct password under any such spelling cannot clear a lock early.
"""

from __future__ import annotations

import hashlib
import unicodedata
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from homeward.accounts.models import LoginFailure

# One address may try several accounts (an office behind one gateway), but not endlessly.
ADDRESS_FACTOR = 4


def canonical_username(username: str) -> str:
    """The username as one account: NFKC (as Django's form does), stripped, case-folded, NFKC again."""
    folded = unicodedata.normalize("NFKC", username).strip().casefold()
    return unicodedata.normalize("NFKC", folded)


def _key(username: str) -> str:
    return hashlib.sha256(canonical_username(username).encode()).hexdigest()


def is_locked(username: str, address: str | None) -> bool:
    since = timezone.now() - timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)
    recent = LoginFailure.objects.filter(at__gte=since)
    if recent.filter(username_hash=_key(username)).count() >= settings.LOGIN_FAILURE_LIMIT:
        return True
    return bool(address) and recent.filter(address=address).count() >= ADDRESS_FACTOR * settings.LOGIN_FAILURE_LIMIT


def note_failure(username: str, address: str | None) -> None:
    LoginFailure.objects.create(username_hash=_key(username), address=address or None)


def clear(username: str) -> None:
    """Forget the account's failures after a correct login (the address's count stays)."""
    LoginFailure.objects.filter(username_hash=_key(username)).delete()
