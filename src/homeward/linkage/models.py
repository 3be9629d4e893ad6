"""Matching runs and the review queue (the Django side of the linkage core)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RunKind(models.TextChoices):
    TRACING_VS_REGISTRY = "tracing_vs_registry", _("Tracing requests against the registry")
    REGISTRY_DEDUPE = "registry_dedupe", _("Duplicates within the registry")
    RECORDS_VS_REGISTRY = "records_vs_registry", _("A list against the registry")


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class MatchRun(models.Model):
    """One matching run: what was linked, its progress, and the trained model (saved and versioned)."""

    kind = models.CharField(max_length=32, choices=RunKind.choices)
    status = models.CharField(max_length=16, choices=RunStatus.choices, default=RunStatus.QUEUED)
    stage = models.CharField(max_length=40, blank=True)
    progress = models.FloatField(default=0.0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    threshold = models.FloatField(default=0.5)
    model_version = models.CharField(max_length=64, blank=True)
    model_json = models.TextField(blank=True)
    stats = models.JSONField(default=dict, blank=True)
    error = models.CharField(max_length=500, blank=True)
    inputs = models.CharField(max_length=200, blank=True)
    """Dotted path of the function that loads the run's records (called with ``params``); blank: by ``kind``."""
    params = models.JSONField(default=dict, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    """How many times a worker started the run: more than one means a worker stopped mid-run and it restarted."""

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"MatchRun #{self.pk}"


class Decision(models.TextChoices):
    PENDING = "pending", _("Pending review")
    SAME = "same", _("Same child")
    DIFFERENT = "different", _("Different children")
    UNSURE = "unsure", _("Unsure")


class Candidate(models.Model):
    """A proposed pair of records, with the matcher's explanation, awaiting a mediator's decision.

    Records are referenced as ``(type, id)``: ``child``, ``tracing_request`` or an exchange list entry.
    """

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="candidates", null=True)
    left_type = models.CharField(max_length=32)
    left_id = models.BigIntegerField()
    right_type = models.CharField(max_length=32)
    right_id = models.BigIntegerField()
    match_probability = models.FloatField()
    match_weight = models.FloatField()
    reasons = models.JSONField(default=list)  # [{"comparison", "level", "weight"}]
    decision = models.CharField(max_length=16, choices=Decision.choices, default=Decision.PENDING, db_index=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(max_length=2000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    ambiguity_group = models.CharField(max_length=80, blank=True, db_index=True)
    """Set when the matcher found two or more about equally likely records for one record (``left:<type>:<id>``
    or ``right:<type>:<id>``): every rival is a candidate with the same group, reviewed side by side."""

    class Meta:
        ordering = ["-match_probability", "id"]
        constraints = [models.UniqueConstraint(fields=["left_type", "left_id", "right_type", "right_id"],
                                               name="linkage_candidate_unique_pair")]

    def __str__(self) -> str:
        return f"Candidate #{self.pk}"


class ModelSource(models.TextChoices):
    RUN = "run", _("Trained by a matching run")
    REFIT = "refit", _("Refitted from reviewers' decisions")
    ROLLBACK = "rollback", _("Rolled back to an earlier model")
    REFERENCE = "reference", _("Shipped reference model")


class ModelVersion(models.Model):
    """One version of the matching model with its lineage: which run trained it, which labels (reviewers'
    decisions) refitted it, from which earlier version, and when. Append-only: a rollback is a new version
    copying an earlier one's parameters. The current model is the latest version."""

    source = models.CharField(max_length=16, choices=ModelSource.choices)
    version = models.CharField(max_length=64)
    model_json = models.TextField()
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")
    run = models.ForeignKey(MatchRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="versions")
    labels = models.ManyToManyField(Candidate, blank=True, related_name="model_versions")
    report = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"ModelVersion #{self.pk}"
