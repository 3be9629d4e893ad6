"""Enumerations of the registry. Stored values are stable English codes; labels are translated."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")
    UNKNOWN = "U", _("Unknown")


class DatePrecision(models.TextChoices):
    DAY = "day", _("Exact day")
    MONTH = "month", _("Month and year")
    YEAR = "year", _("Year only")
    ESTIMATED = "estimated", _("Age estimated")
    UNKNOWN = "unknown", _("Unknown")


class SeparationCategory(models.TextChoices):
    DEPORTED = "deported", _("Deported")
    EVACUATED = "evacuated", _("Evacuated")
    LOST_CONTACT = "lost_contact", _("Lost contact")
    ORPHANED = "orphaned", _("Orphaned")
    PARENT_DETAINED = "parent_detained", _("Parent detained")
    OTHER = "other", _("Other")


class NameFormKind(models.TextChoices):
    OTHER_SCRIPT = "other_script", _("Other script or transliteration")
    FORMER = "former", _("Former name")
    ADOPTIVE = "adoptive", _("Adoptive name")
    ALIAS = "alias", _("Alias or diminutive")


class Relationship(models.TextChoices):
    MOTHER = "mother", _("Mother")
    FATHER = "father", _("Father")
    GRANDPARENT = "grandparent", _("Grandparent")
    AUNT_UNCLE = "aunt_uncle", _("Aunt or uncle")
    SIBLING = "sibling", _("Sibling")
    LEGAL_GUARDIAN = "legal_guardian", _("Legal guardian")
    INSTITUTION = "institution", _("Institution")


class TracingStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MATCHED = "matched", _("Matched to a child")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class TracingEventKind(models.TextChoices):
    FILED = "filed", _("Filed")
    CHANGED = "changed", _("Changed")
    NOTE = "note", _("Note")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    MATCHED = "matched", _("Matched to a child")
