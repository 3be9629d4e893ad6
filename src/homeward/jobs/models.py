"""What the workers record about themselves: a heartbeat per worker and the next run of each periodic job.

The queued tasks themselves live in ``django_tasks_db``'s ``DBTaskResult`` table.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class WorkerHeartbeat(models.Model):
    """One running worker (a queue loop inside a ``homeward worker`` process), beating every few seconds.

    A task left *running* by a worker whose heartbeat stopped is put back in the queue (``jobs.worker``).
    """

    worker_id = models.CharField(max_length=64, unique=True)
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    queues = models.CharField(max_length=200)
    started_at = models.DateTimeField(default=timezone.now)
    beat_at = models.DateTimeField(default=timezone.now, db_index=True)
    task_id = models.CharField(max_length=64, blank=True)
    tasks_done = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-beat_at"]

    def __str__(self) -> str:
        return f"worker {self.worker_id}"


class PeriodicRun(models.Model):
    """When a periodic job (``jobs.schedule.PERIODIC``) is next due; claimed by one worker at a time."""

    name = models.CharField(max_length=64, unique=True)
    next_run_at = models.DateTimeField(default=timezone.now)
    last_enqueued_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name
