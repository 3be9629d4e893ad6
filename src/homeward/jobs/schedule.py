"""Periodic jobs: what runs on its own, how often. Workers queue them when due (``jobs.worker``).

Each periodic job is claimed by one worker at a time (a conditional update of ``PeriodicRun``), and is
not queued again while an earlier instance still waits or runs, so a busy queue never piles them up.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from homeward.jobs.models import PeriodicRun
from homeward.jobs.queue import enqueue, unfinished

log = logging.getLogger("homeward.jobs")


def _checkpoint_every() -> float:
    return float(min(int(getattr(settings, "LEDGER_CHECKPOINT_INTERVAL", 300)), 60))


@dataclass(frozen=True)
class Periodic:
    name: str
    task: str
    every: Callable[[], float]


PERIODIC: list[Periodic] = [
    Periodic("ledger.checkpoint", "homeward.ledger.tasks.sign_checkpoint", _checkpoint_every),
    Periodic("linkage.orphaned_runs", "homeward.linkage.tasks.fail_orphaned_runs", lambda: 300.0),
    Periodic("jobs.prune", "homeward.jobs.tasks.prune", lambda: 3600.0),
    Periodic("notifications.follow_ups_due", "homeward.notifications.tasks.remind_follow_ups", lambda: 3600.0),
    Periodic("notifications.prune", "homeward.notifications.tasks.prune", lambda: 86400.0),
]
"""Every periodic job. Domains add theirs here (one line each), so the whole schedule reads in one place."""


def enqueue_due(now: dt.datetime | None = None) -> list[str]:
    """Queue every periodic job that is due; returns their names."""
    now = now or timezone.now()
    queued = []
    # One read of every job's next run: a worker's maintenance round (every 5 s) looked each job up in a
    # transaction of its own, though most rounds find none due; only a due (or new) job is claimed below.
    next_runs = dict(PeriodicRun.objects.values_list("name", "next_run_at"))
    for p in PERIODIC:
        if p.name in next_runs and next_runs[p.name] > now:
            continue
        with transaction.atomic():
            row, _created = PeriodicRun.objects.get_or_create(name=p.name, defaults={"next_run_at": now})
            if row.next_run_at > now:
                continue
            claimed = PeriodicRun.objects.filter(pk=row.pk, next_run_at=row.next_run_at).update(
                next_run_at=now + dt.timedelta(seconds=p.every()), last_enqueued_at=now)
            if not claimed:
                continue  # another worker claimed it
            task = import_string(p.task)
            if unfinished(task):
                continue
            enqueue(task)
            queued.append(p.name)
    return queued
