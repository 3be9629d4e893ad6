"""The queue's own housekeeping."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from homeward.jobs.models import WorkerHeartbeat
from homeward.jobs.queue import job

KEEP_FINISHED_DAYS = 14


@job()
def prune() -> int:
    """Delete finished task records older than two weeks and heartbeats of workers gone for a day."""
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    deleted, _ = DBTaskResult.objects.filter(status__in=["SUCCESSFUL", "FAILED"],
                                             finished_at__lt=now - dt.timedelta(days=KEEP_FINISHED_DAYS)).delete()
    WorkerHeartbeat.objects.filter(beat_at__lt=now - dt.timedelta(days=1)).delete()
    return deleted
