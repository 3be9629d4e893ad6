from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from homeward.accounts.models import Party
from homeward.ids import OpaqueIdField
from homeward.names.collate import collation_key
from homeward.registry.choices import (
    DatePrecision,
    NameFormKind,
    Relationship,
    SeparationCategory,
    Sex,
    TracingEventKind,
    TracingStatus,
)
from homeward.registry.workflow import CaseStatus


class Versioned(models.Model):
    """Optimistic locking: every save of a form or API update must name the version it started from."""

    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class ChildDescription(models.Model):
    """The fields that describe a child; shared by registered children and tracing requests."""

    given_name = models.CharField(_("given name"), max_length=100, blank=True)
    surname = models.CharField(_("surname"), max_length=100, blank=True)
    patronymic = models.CharField(_("patronymic"), max_length=100, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    birth_date_precision = models.CharField(_("birth date precision"), max_length=16,
                                            choices=DatePrecision.choices, default=DatePrecision.DAY)
    estimated_age = models.PositiveSmallIntegerField(_("estimated age"), null=True, blank=True,
                                                     validators=[MinValueValidator(0), MaxValueValidator(25)])
    age_estimated_on = models.DateField(_("age estimated on"), null=True, blank=True)
    birth_place = models.CharField(_("birth place"), max_length=200, blank=True)
    region = models.CharField(_("region"), max_length=100, blank=True)
    last_known_location = models.CharField(_("last known location"), max_length=200, blank=True)
    current_facility = models.CharField(_("current facility"), max_length=200, blank=True)
    separation_category = models.CharField(_("circumstances of separation"), max_length=32,
                                           choices=SeparationCategory.choices, default=SeparationCategory.OTHER)
    separation_details = models.TextField(_("details of separation"), max_length=4000, blank=True)
    medical_needs = models.TextField(_("medical needs"), max_length=2000, blank=True)
    disability = models.TextField(_("disability"), max_length=2000, blank=True)

    class Meta:
        abstract = True

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.surname, self.given_name, self.patronymic) if p)


class Child(ChildDescription, Versioned):
    id = OpaqueIdField()
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="children",
                              verbose_name=_("submitting party"))
    shared_with = models.ManyToManyField(Party, blank=True, related_name="shared_children")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                   related_name="+")
    is_demo = models.BooleanField(default=False)
    # The name in Ukrainian/Russian alphabetical order (homeward.names.collate): ORDER BY this column puts
    # Є after Е and І after И, where ordering by the name itself puts them before А. Kept by save().
    sort_key = models.CharField(max_length=600, blank=True, default="", editable=False, db_index=True)

    class Meta:
        ordering = ["sort_key", "id"]
        # created_at: the children list's "newest first" (ids are random, so they cannot give it)
        # birth_date: the duplicate check's look-up of children born the same day (a scan of the registry without it)
        indexes = [models.Index(fields=["party", "surname"]), models.Index(fields=["created_at", "id"],
                                                                           name="registry_child_created"),
                   models.Index(fields=["birth_date"], name="registry_child_birth_date")]

    def __str__(self) -> str:
        return f"Child #{self.pk}"  # never the name: str() ends up in logs and messages

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.sort_key = collation_key(self.full_name)[:600]  # the first ~150 letters decide the order
        fields = kwargs.get("update_fields")
        if fields is not None and {"surname", "given_name", "patronymic"} & set(fields):
            kwargs["update_fields"] = {*fields, "sort_key"}
        super().save(*args, **kwargs)

    def clean(self) -> None:
        """A child is registered under a name: at least a surname or a given name (pages, API and imports alike)."""
        from django.core.exceptions import ValidationError

        super().clean()
        if not (self.surname.strip() or self.given_name.strip()):
            raise ValidationError({"surname": _("Give at least a surname or a given name.")})


class NameForm(models.Model):
    """Another form of a child's name: another script, a former or an adoptive name."""

    id = OpaqueIdField()
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="name_forms")
    given_name = models.CharField(_("given name"), max_length=100, blank=True)
    surname = models.CharField(_("surname"), max_length=100, blank=True)
    patronymic = models.CharField(_("patronymic"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=NameFormKind.choices)
    source = models.CharField(_("source"), max_length=200, blank=True)

    def __str__(self) -> str:
        return f"NameForm #{self.pk}"


class DuplicateOverride(models.Model):
    """A child registered although the registry already held likely the same child: who chose so, and why.

    The reason is kept here (the audit trail and the ledger hold identifiers only)."""

    id = OpaqueIdField()
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="duplicate_overrides")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    reason = models.TextField(_("reason"), max_length=2000)
    possible_duplicates = models.JSONField(default=list)  # [{"id", "match_probability"}] the warning listed
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"DuplicateOverride #{self.pk}"


class PairEvidence(models.Model):
    """What continuous matching last saw of a pair of records: a digest of the comparison levels it took
    (never the values). A changed record re-opens a pair only when this digest changes."""

    left_type = models.CharField(max_length=32)
    left_id = models.BigIntegerField()
    right_type = models.CharField(max_length=32)
    right_id = models.BigIntegerField()
    digest = models.CharField(max_length=64)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["left_type", "left_id", "right_type", "right_id"],
                                               name="registry_pair_evidence_unique_pair")]
        indexes = [models.Index(fields=["right_type", "right_id"])]

    def __str__(self) -> str:
        return f"PairEvidence #{self.pk}"


class Person(Versioned):
    """A relative or legal representative of a child."""

    id = OpaqueIdField()
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="persons")
    shared_with = models.ManyToManyField(Party, blank=True, related_name="shared_persons")
    given_name = models.CharField(_("given name"), max_length=100, blank=True)
    surname = models.CharField(_("surname"), max_length=100)
    patronymic = models.CharField(_("patronymic"), max_length=100, blank=True)
    child = models.ForeignKey(Child, on_delete=models.SET_NULL, null=True, blank=True, related_name="relatives")
    relationship = models.CharField(_("relationship"), max_length=32, choices=Relationship.choices)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                   related_name="+")
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["surname", "given_name", "id"]

    def __str__(self) -> str:
        return f"Person #{self.pk}"

    def clean(self) -> None:
        """A relative is recorded under a surname; blanks alone are none."""
        from django.core.exceptions import ValidationError

        super().clean()
        if not self.surname.strip():
            raise ValidationError({"surname": models.Field.default_error_messages["blank"]})

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.surname, self.given_name, self.patronymic) if p)


class TracingRequest(ChildDescription, Versioned):
    """A family's request to find a child, filed for a Person; linked to a Child once matched."""

    id = OpaqueIdField()
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="tracing_requests")
    shared_with = models.ManyToManyField(Party, blank=True, related_name="shared_tracing_requests")
    requester = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="tracing_requests")
    child = models.ForeignKey(Child, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="tracing_requests")
    status = models.CharField(max_length=16, choices=TracingStatus.choices, default=TracingStatus.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                   related_name="+")
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "id"]

    def __str__(self) -> str:
        return f"TracingRequest #{self.pk}"

    def clean(self) -> None:
        """A request must say whom it seeks: at least a surname or a given name of the child."""
        from django.core.exceptions import ValidationError

        super().clean()
        if not (self.surname.strip() or self.given_name.strip()):
            raise ValidationError({"surname": _("Give at least the surname or the given name of the child sought.")})


class TracingEvent(models.Model):
    """One step in a tracing request's history: filed, changed, a note, withdrawn (with its reason), matched."""

    id = OpaqueIdField()
    request = models.ForeignKey(TracingRequest, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=TracingEventKind.choices)
    text = models.TextField(max_length=4000, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    actor_party = models.CharField(max_length=16, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"TracingEvent #{self.pk}"


class Case(Versioned):
    """One child's path home."""

    id = OpaqueIdField()
    child = models.OneToOneField(Child, on_delete=models.PROTECT, related_name="case")
    requesting_party = models.ForeignKey(Party, on_delete=models.PROTECT, null=True, blank=True,
                                         related_name="requested_cases",
                                         help_text="The party whose submission this case answers, if not the child's.")
    requesters = models.ManyToManyField(Person, blank=True, related_name="cases")
    caseworker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="assigned_cases")
    status = models.CharField(max_length=32, choices=CaseStatus.choices, default=CaseStatus.REPORTED,
                              db_index=True)
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["-updated_at", "id"]

    def __str__(self) -> str:
        return f"Case #{self.pk}"


class CaseEvent(models.Model):
    """One transition of a case: who, from which party, when, why."""

    id = OpaqueIdField()
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=32, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(max_length=32, choices=CaseStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    actor_party = models.CharField(max_length=16)
    at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["at", "id"]


class NameValue(models.Model):
    """One distinct name-field value of the search index: a surname, given name or patronymic as written
    (``part`` s/g/p), stored once however many records carry it. Its keys are in :class:`NameValueKey`;
    records point to it through :class:`NameRef`. Never shown; a value no record points to any more is
    harmless (a query only keeps records inside the caller's scope) and goes at the next reindex.
    """

    part = models.CharField(max_length=1)  # s = surname, g = given name, p = patronymic
    text = models.CharField(max_length=100)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["part", "text"], name="namevalue_unique")]

    def __str__(self) -> str:
        return f"NameValue #{self.pk}"


class NameValueKey(models.Model):
    """The search keys of one name value (``homeward.names.search`` field keys, with their tier): written once
    when the value is first seen, not once per record."""

    value = models.ForeignKey(NameValue, on_delete=models.CASCADE, related_name="keys", db_index=False)
    key = models.CharField(max_length=64)
    tier = models.PositiveSmallIntegerField()

    class Meta:
        indexes = [models.Index(fields=["key", "value"], name="namevaluekey_lookup")]
        constraints = [models.UniqueConstraint(fields=["value", "key"], name="namevaluekey_unique")]

    def __str__(self) -> str:
        return f"NameValueKey #{self.pk}"


class NameRef(models.Model):
    """The search index's record side: one row per record and name form, pointing to the record's three name
    values (``NameValue`` ids; null for an empty field).

    ``ref_type`` says which table ``ref_id`` points into (c = child, one row per name form; p = person;
    t = tracing request; l = list entry).  Kept up to date by ``homeward.registry.search.index``, called by
    the services that write those records (never by signals).  A row whose record is gone is harmless: a
    query only keeps ids inside the caller's scope.
    """

    class RefType:
        CHILD = "c"
        PERSON = "p"
        TRACING_REQUEST = "t"
        LIST_ENTRY = "l"

    ref_type = models.CharField(max_length=1)  # never shown to anyone
    ref_id = models.BigIntegerField()
    surname_value = models.BigIntegerField(null=True)
    given_value = models.BigIntegerField(null=True)
    patronymic_value = models.BigIntegerField(null=True)

    class Meta:
        indexes = [
            models.Index(fields=["ref_type", "surname_value", "ref_id"], name="nameref_surname"),
            models.Index(fields=["ref_type", "given_value", "ref_id"], name="nameref_given"),
            models.Index(fields=["ref_type", "patronymic_value", "ref_id"], name="nameref_patronymic"),
            models.Index(fields=["ref_type", "ref_id"], name="nameref_record"),
        ]

    def __str__(self) -> str:
        return f"NameRef #{self.pk}"


class NamePosting(models.Model):
    """The search index's record side for list entries: per name value and list version, the ids of the
    version's entries that carry the value (``ids``: packed little-endian 64-bit integers, ascending).

    A list import writes one row per distinct value of the new version (~9,000 for 10,000 entries, one B-tree
    and the table) in place of a ``NameRef`` row per entry (five B-trees on SQLite, six on PostgreSQL): a list
    entry's names never change, and a version's entries are written once (``homeward.registry.search``).
    A row whose entries are gone is harmless: a query only keeps ids inside the caller's scope.
    """

    pk = models.CompositePrimaryKey("value_id", "version_id")
    value_id = models.BigIntegerField()  # a NameValue id (of any part: value ids are unique across parts)
    version_id = models.BigIntegerField()  # a ListVersion id
    ids = models.BinaryField()

    def __str__(self) -> str:
        return "NamePosting"
