"""The sources registry: documents, the organisations and persons they quote, and the claims in them.

A :class:`Claim` starts as the extractor's reading of a sentence (``status="extracted"``, with the
original reading kept in ``extracted``) and becomes public only after a mediator confirms or corrects
it. Nothing here holds personal data about children: claims are published aggregate figures.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Quantity(models.TextChoices):
    DEPORTED = "deported", _("Deported or forcibly transferred")
    RETURNED = "returned", _("Returned")
    REUNITED = "reunited", _("Reunited with family")
    EVACUATED = "evacuated", _("Evacuated, accepted or received")
    ADOPTED = "adopted", _("Adopted or placed in families")
    IDENTIFIED = "identified", _("Identified or located")
    OTHER = "other", _("Other (missing, displaced, …)")


class Scope(models.TextChoices):
    EVENT = "event", _("Single event")
    CUMULATIVE = "cumulative", _("Cumulative total")


class ClaimStatus(models.TextChoices):
    EXTRACTED = "extracted", _("Awaiting review")
    CONFIRMED = "confirmed", _("Confirmed")
    CORRECTED = "corrected", _("Corrected")
    REJECTED = "rejected", _("Rejected")


PUBLIC_STATUSES = (ClaimStatus.CONFIRMED, ClaimStatus.CORRECTED)


class OrganisationKind(models.TextChoices):
    GOVERNMENT = "government", _("Government or official body")
    INTERNATIONAL = "international", _("International organisation")
    NGO = "ngo", _("Non-governmental organisation")
    RESEARCH = "research", _("Research group")
    MEDIA = "media", _("News outlet")
    OTHER = "other", _("Other")


def normalise_name(name: str) -> str:
    """Lower case, no punctuation or accents, single spaces: the key name variants are matched on."""
    name = unicodedata.normalize("NFKC", name).lower().replace("’", "'").replace("ё", "е")
    name = re.sub(r"[^\w\s'-]", " ", name)
    return re.sub(r"\s+", " ", name).strip()


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=OrganisationKind.choices, default=OrganisationKind.OTHER)
    country = models.CharField(_("country"), max_length=8, blank=True, help_text=_("ISO code, e.g. UA, RU."))
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SourcePerson(models.Model):
    """A named official or spokesperson whose statements are quoted (a public figure, not a child)."""

    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title"), max_length=200, blank=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="people")
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("person quoted")

    def __str__(self) -> str:
        return self.name


class NameVariant(models.Model):
    """Another spelling of an organisation's or a person's name ("Lubinets", "Лубінець", "Лубинец")."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, null=True, blank=True,
                                     related_name="variants")
    person = models.ForeignKey(SourcePerson, on_delete=models.CASCADE, null=True, blank=True,
                               related_name="variants")
    name = models.CharField(_("name"), max_length=200)
    key = models.CharField(max_length=200, db_index=True, editable=False)
    language = models.CharField(_("language"), max_length=8, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(organisation__isnull=False, person__isnull=True)
                           | models.Q(organisation__isnull=True, person__isnull=False)),
                name="figures_variant_names_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.key = normalise_name(self.name)
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class Document(models.Model):
    title = models.CharField(_("title"), max_length=300)
    outlet = models.CharField(_("outlet"), max_length=200, blank=True)
    outlet_organisation = models.ForeignKey(Organisation, on_delete=models.SET_NULL, null=True, blank=True,
                                            related_name="documents")
    url = models.URLField(_("URL"), max_length=500, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    published_on = models.DateField(_("publication date"), null=True, blank=True)
    retrieved_at = models.DateTimeField(_("retrieved at"), default=timezone.now)
    text = models.TextField(_("text"), max_length=200_000)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    is_demo = models.BooleanField(default=False, help_text=_("Illustrative sample, not a real report."))

    class Meta:
        ordering = ["-published_on", "-id"]

    def __str__(self) -> str:
        return self.title


class Claim(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="claims")
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2, null=True, blank=True)
    qualifier = models.CharField(_("qualifier"), max_length=32, blank=True)
    quantity = models.CharField(_("quantity"), max_length=16, choices=Quantity.choices)
    direction = models.CharField(_("direction"), max_length=8, blank=True)
    claimant = models.CharField(_("claimant"), max_length=300, blank=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="claims")
    person = models.ForeignKey(SourcePerson, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="claims")
    as_of = models.CharField(_("as of"), max_length=10, blank=True, help_text=_("YYYY-MM-DD, YYYY-MM or YYYY"))
    as_of_date = models.DateField(null=True, blank=True, editable=False,
                                  help_text="The last day of the as-of period, for ordering and timelines.")
    scope = models.CharField(_("scope"), max_length=16, choices=Scope.choices, default=Scope.CUMULATIVE)
    start = models.PositiveIntegerField(default=0)
    end = models.PositiveIntegerField(default=0)
    sentence = models.TextField(max_length=5000, blank=True)
    status = models.CharField(max_length=16, choices=ClaimStatus.choices, default=ClaimStatus.EXTRACTED,
                              db_index=True)
    extracted = models.JSONField(default=dict, blank=True, help_text="The extractor's original reading.")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["document", "start", "id"]
        indexes = [models.Index(fields=["quantity", "status"])]

    def __str__(self) -> str:
        return f"Claim #{self.pk}"

    def save(self, *args: object, **kwargs: object) -> None:
        self.as_of_date = period_end(self.as_of)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES

    @property
    def source_label(self) -> str:
        return self.person.name if self.person else (self.organisation.name if self.organisation else self.claimant)


def period_end(as_of: str) -> dt.date | None:
    """The last day of an ISO date, month or year: ``2024-07`` → 2024-07-31."""
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", as_of):
            return dt.date.fromisoformat(as_of)
        if re.fullmatch(r"\d{4}-\d{2}", as_of):
            y, m = int(as_of[:4]), int(as_of[5:])
            return dt.date(y, m, calendar.monthrange(y, m)[1])
        if re.fullmatch(r"\d{4}", as_of):
            return dt.date(int(as_of), 12, 31)
    except ValueError:
        return None
    return None


class StatsSnapshot(models.Model):
    """Homeward's own public counts as a mediator published them on a date: the public pages show the latest
    snapshot, never live counts, so that saving a record changes nothing a visitor can see.

    ``data`` holds aggregates only (see :func:`homeward.figures.services.build_snapshot`): reunification
    periods each of at least the threshold with their running totals, and case totals by status.
    """

    published_at = models.DateTimeField(default=timezone.now, db_index=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    cutoff = models.DateTimeField(help_text="Registry events up to this moment are counted.")
    data = models.JSONField(default=dict)

    class Meta:
        ordering = ["-published_at", "-id"]
        get_latest_by = "published_at"

    def __str__(self) -> str:
        return f"Statistics of {self.published_at:%Y-%m-%d}"
