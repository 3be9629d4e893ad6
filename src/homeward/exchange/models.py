"""List exchange: a party's list of children, its versions and names, forwarding, responses, matches.

* ``PartyList``      one list of one party (identified by party and title), concerning the other party;
* ``ListVersion``    one accepted upload of it: the exact bytes, their SHA-256, the ledger entry;
* ``ListEntry``      one name of a version;
* ``RejectedRow``    a row left out of a version accepted "valid rows only", with its reasons;
* ``ListRejection``  an upload refused whole: only the reasons (row, field, problem), never the data;
* ``Forwarding``     the mediator passing all or part of a version to the concerning party;
* ``EntryResponse``  the concerning party's answer about one forwarded name (latest one counts);
* ``PendingUpload``  an upload between preview and confirmation (deleted on confirm or cancel).

``str()`` of every model names only the id: it ends up in logs and messages.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from homeward.accounts.models import Party
from homeward.ids import OpaqueIdField


class VersionStatus(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    PARTIAL = "partial", _("Valid rows accepted")


class ResponseStatus(models.TextChoices):
    LOCATED = "located", _("Located")
    NOT_FOUND = "not_found", _("Not found")
    DECEASED = "deceased", _("Deceased")
    RETURNED = "returned", _("Already returned")
    CONTESTED = "contested", _("Contested")
    MORE_DATA = "more_data", _("Needs more data")


class PartyList(models.Model):
    id = OpaqueIdField()
    title = models.CharField(_("title"), max_length=200)
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="lists",
                              verbose_name=_("submitting party"))
    concerning = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="lists_concerning",
                                   verbose_name=_("concerning party"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["party", "title"], name="exchange_list_party_title")]

    def __str__(self) -> str:
        return f"List #{self.pk}"

    def latest_version(self) -> ListVersion | None:
        return self.versions.order_by("-number").first()


class ListVersion(models.Model):
    id = OpaqueIdField()
    party_list = models.ForeignKey(PartyList, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=16, choices=VersionStatus.choices, default=VersionStatus.ACCEPTED)
    file_format = models.CharField(max_length=8)
    encoding = models.CharField(max_length=16, blank=True)
    delimiter = models.CharField(max_length=4, blank=True)
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveIntegerField()
    mapping = models.JSONField(default=dict)
    row_count = models.PositiveIntegerField(default=0)
    accepted_count = models.PositiveIntegerField(default=0)
    rejected_count = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    ledger_index = models.BigIntegerField(null=True, blank=True)
    signature = models.TextField(blank=True)
    signature_key = models.CharField(max_length=200, blank=True)
    signature_ledger_index = models.BigIntegerField(null=True, blank=True)
    matched_at = models.DateTimeField(null=True, blank=True)
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["party_list", "number"]
        constraints = [models.UniqueConstraint(fields=["party_list", "number"], name="exchange_version_number")]

    def __str__(self) -> str:
        return f"ListVersion #{self.pk}"


class Forwarding(models.Model):
    id = OpaqueIdField()
    version = models.ForeignKey(ListVersion, on_delete=models.PROTECT, related_name="forwardings")
    to_party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    count = models.PositiveIntegerField(default=0)
    note = models.CharField(max_length=500, blank=True)
    ledger_index = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"Forwarding #{self.pk}"


class ListEntry(models.Model):
    id = OpaqueIdField()
    version = models.ForeignKey(ListVersion, on_delete=models.CASCADE, related_name="entries")
    row = models.PositiveIntegerField(help_text="Row number in the file (the header is row 1).")
    record_id = models.CharField(max_length=100, blank=True)
    surname = models.CharField(_("surname"), max_length=100, blank=True)
    given_name = models.CharField(_("given name"), max_length=100, blank=True)
    patronymic = models.CharField(_("patronymic"), max_length=100, blank=True)
    sex = models.CharField(_("sex"), max_length=1, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    birth_date_precision = models.CharField(max_length=16, blank=True)
    birth_place = models.CharField(_("birth place"), max_length=200, blank=True)
    forwarding = models.ForeignKey(Forwarding, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="entries")
    child = models.ForeignKey("registry.Child", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="list_entries")

    class Meta:
        ordering = ["version", "row"]
        indexes = [models.Index(fields=["version", "row"])]

    def __str__(self) -> str:
        return f"ListEntry #{self.pk}"

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.surname, self.given_name, self.patronymic) if p)

    @property
    def party(self) -> Party:
        """The submitting party (lets the linkage review show a list name like a registry record)."""
        return self.version.party_list.party

    def get_sex_display(self) -> str:
        return {"M": str(_("Male")), "F": str(_("Female"))}.get(self.sex, str(_("Unknown")))

    def latest_response(self) -> EntryResponse | None:
        cached = getattr(self, "_latest_response", None)
        if cached is not None:
            return cached or None
        return self.responses.order_by("-at", "-id").first()


class RejectedRow(models.Model):
    id = OpaqueIdField()
    version = models.ForeignKey(ListVersion, on_delete=models.CASCADE, related_name="rejected_rows")
    row = models.PositiveIntegerField()
    values = models.JSONField(default=dict)
    reasons = models.JSONField(default=list, help_text="[{field, problem}] naming fields, never values.")

    class Meta:
        ordering = ["version", "row"]

    def __str__(self) -> str:
        return f"RejectedRow #{self.pk}"


class ListRejection(models.Model):
    """An upload refused whole. Holds the reasons only (rows, fields, problems), never the file's data."""

    id = OpaqueIdField()
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    party_list = models.ForeignKey(PartyList, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="rejections")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField(default=0)
    row_count = models.PositiveIntegerField(default=0)
    reasons = models.JSONField(default=list, help_text="[{row, field, problem}]")

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"ListRejection #{self.pk}"


class EntryResponse(models.Model):
    id = OpaqueIdField()
    entry = models.ForeignKey(ListEntry, on_delete=models.PROTECT, related_name="responses")
    status = models.CharField(max_length=16, choices=ResponseStatus.choices)
    whereabouts = models.TextField(_("whereabouts"), max_length=2000, blank=True,
                                   help_text=_("Restricted: seen by the mediator and the answering party only."))
    note = models.TextField(_("note"), max_length=2000, blank=True)
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    ledger_index = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"EntryResponse #{self.pk}"


class PendingUpload(models.Model):
    """An uploaded file awaiting confirmation; addressed by a random token, visible to its uploader only."""

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="+")
    concerning = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=200)
    filename = models.CharField(max_length=200)
    content = models.BinaryField()
    signature = models.TextField(blank=True)
    mapping = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"PendingUpload #{self.pk}"
