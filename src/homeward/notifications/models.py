"""What a user is told: one row per recipient and subject, and each user's choice of channels per kind.

No row holds personal data: a notification is a kind, a count, the id of the object and a link made of ids.
Its text is written when it is shown (in the reader's language), never stored.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from homeward.ids import OpaqueIdField


class Kind(models.TextChoices):
    LIST_FORWARDED = "list_forwarded", _("A list forwarded to you")
    ANSWER_RECEIVED = "answer_received", _("An answer received")
    CANDIDATES_WAITING = "candidates_waiting", _("New candidate pairs waiting")
    SIGNATURE_DUE = "signature_due", _("A hand-over awaiting your signature")
    FOLLOW_UP_DUE = "follow_up_due", _("A follow-up visit due")
    FOLLOW_UP_ASSIGNED = "follow_up_assigned", _("A follow-up visit due on a case assigned to you")


class Notification(models.Model):
    """One thing to tell one user. ``key`` names what it is about (``handover:12:handing``); a recipient
    has at most one notification per key, so a repeated event adds to its count instead of piling up."""

    id = OpaqueIdField()
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    key = models.CharField(max_length=100)
    count = models.PositiveIntegerField(default=1)
    object_id = models.BigIntegerField(null=True, blank=True)
    link = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    in_app = models.BooleanField(default=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="notifications_one_per_key")]
        indexes = [models.Index(fields=["recipient", "in_app", "read_at"], name="notifications_unread")]

    def __str__(self) -> str:
        return f"Notification #{self.pk}"

    @property
    def unread(self) -> bool:
        return self.read_at is None


class Preference(models.Model):
    """A user's channels for one kind. Without a row: in-app on, e-mail off (e-mail is opt-in)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    in_app = models.BooleanField(_("in the application"), default=True)
    email = models.BooleanField(_("by e-mail"), default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notifications_one_preference")]

    def __str__(self) -> str:
        return f"Preference #{self.pk}"


class EmailLanguage(models.Model):
    """The language a user's notification e-mails are written in (chosen on the settings page)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    language = models.CharField(_("e-mail language"), max_length=8, default="en")

    def __str__(self) -> str:
        return f"EmailLanguage #{self.pk}"


class FollowUpReminder(models.Model):
    """A follow-up visit whose due date has been notified, so the reminder job tells it only once."""

    follow_up = models.OneToOneField("returns.FollowUp", on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"FollowUpReminder #{self.pk}"
