from __future__ import annotations

import datetime
import hashlib
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from homeward.accounts.roles import MEDIATOR_ROLES, ROLE_PARTY_KINDS, PartyKind, Role
from homeward.ids import OpaqueIdField


class Party(models.Model):
    """A side in the process: a state authority (UA, RU), the mediator (QA) or an NGO."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=PartyKind.choices)

    class Meta:
        ordering = ["code"]
        verbose_name_plural = "parties"

    def __str__(self) -> str:
        return self.code

    def clean(self) -> None:
        if self.code and not self.code.replace("-", "").replace("_", "").isalnum():
            raise ValidationError({"code": _("Use letters, digits, hyphens or underscores only.")})


class User(AbstractUser):
    """A person who logs in. Each belongs to exactly one party and has exactly one role."""

    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="users", null=True)
    role = models.CharField(_("role"), max_length=32, choices=Role.choices, default=Role.PARTY_OFFICER)

    @property
    def is_mediator(self) -> bool:
        return self.role in MEDIATOR_ROLES

    @property
    def is_auditor(self) -> bool:
        return self.role == Role.AUDITOR

    @property
    def party_code(self) -> str:
        return self.party.code if self.party else ""

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save; a new password or a deactivation revokes the user's API tokens."""
        password_changed = self.pk is not None and getattr(self, "_password", None) is not None
        super().save(*args, **kwargs)
        if self.pk is not None and (password_changed or not self.is_active):
            from homeward.accounts import tokens

            tokens.revoke_all(self, "password_changed" if password_changed else "deactivated")

    def clean(self) -> None:
        super().clean()
        if self.party is None:
            raise ValidationError({"party": _("Every user belongs to a party.")})
        allowed = ROLE_PARTY_KINDS.get(self.role, frozenset())
        if self.party.kind not in allowed:
            raise ValidationError({"role": _("This role cannot belong to a party of this kind.")})


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _token_expiry() -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=settings.API_TOKEN_DAYS)


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored; the raw value is shown once.

    A token has a name (one active token per name: issuing a name again replaces the old token), an expiry,
    and is revoked by its owner, by a password change or by deactivation (``homeward.accounts.tokens``).
    """

    id = OpaqueIdField()
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=64, default="api")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(default=_token_expiry)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=32, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "revoked_at"], name="apitoken_user_live")]

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def status(self) -> str:
        if self.revoked_at is not None:
            return "revoked"
        return "active" if self.expires_at > timezone.now() else "expired"

    @classmethod
    def issue(cls, user: User, name: str = "api", days: int | None = None) -> str:
        """A new raw token for ``user`` (see ``tokens.issue``)."""
        from homeward.accounts import tokens

        return tokens.issue(user, name=name, days=days)[1]

    @classmethod
    def authenticate(cls, raw: str) -> User | None:
        from homeward.accounts import tokens

        return tokens.authenticate(raw)


class LoginFailure(models.Model):
    """One failed login, kept for throttling. The username is hashed; addresses are kept as given."""

    username_hash = models.CharField(max_length=64, db_index=True)
    address = models.GenericIPAddressField(null=True, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)


class AuditEvent(models.Model):
    """Who looked at or changed what, and when. Never holds the personal data itself."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    party_code = models.CharField(max_length=16, blank=True)
    action = models.CharField(max_length=32)
    object_type = models.CharField(max_length=32)
    object_id = models.CharField(max_length=64, blank=True)
    via = models.CharField(max_length=8, default="page")
    # reads of many records at once (a list, a search, an export, an API page): the route pattern, how many
    # records the response carried, their ids (",1,5,9,") and a SHA-256 digest of them; ids only, no fields
    route = models.CharField(max_length=200, blank=True)
    count = models.PositiveIntegerField(null=True)
    ids = models.TextField(blank=True)
    digest = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
