"""The worker: runs queued jobs, beats a heartbeat, re-queues the jobs of dead workers, starts periodic jobs.

One ``homeward worker`` process runs one loop per queue group (matching runs in one, everything short in
the other), each a ``django_tasks_db`` worker loop in its own thread, plus a maintenance loop in the main
thread that every :data:`BEAT_EVERY` seconds

1. writes the heartbeat of each loop (``WorkerHeartbeat``; ``/healthz`` reads it),
2. puts back in the queue every task left *running* by a worker that is gone: its heartbeat is older than
   :data:`STALE_AFTER` seconds, its row was removed at a clean exit, or its process no longer exists on
   this host. The job then runs again from the start (jobs are idempotent, see ``jobs.queue.job``),
3. queues the periodic jobs that are due (``jobs.schedule``), one worker at a time,
4. exits when the server that started it is gone (``parent_pid``), so an embedded worker never outlives it.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import signal
import socket
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import close_old_connections
from django.utils import timezone
from django.utils.crypto import get_random_string

from homeward.jobs.models import WorkerHeartbeat
from homeward.jobs.queue import DEFAULT_QUEUE, MATCHING_QUEUE

log = logging.getLogger("homeward.jobs")

BEAT_EVERY = 5.0
STALE_AFTER = 20.0
POLL_INTERVAL = 1.0
DEFAULT_GROUPS: tuple[tuple[str, ...], ...] = ((MATCHING_QUEUE,), (DEFAULT_QUEUE,))


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _gone(hb: WorkerHeartbeat | None, now: Any, host: str) -> bool:
    if hb is None:
        return True
    if (now - hb.beat_at).total_seconds() > STALE_AFTER:
        return True
    return hb.host == host and not pid_alive(hb.pid)


def recover(now: Any = None) -> int:
    """Re-queue every task whose worker is gone; returns how many. Safe to run from any number of workers."""
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    host = socket.gethostname()
    beats = {hb.worker_id: hb for hb in WorkerHeartbeat.objects.all()}
    requeued = 0
    for pk, worker_ids, started_at, path in DBTaskResult.objects.filter(status="RUNNING").values_list(
            "pk", "worker_ids", "started_at", "task_path"):
        last = worker_ids[-1] if worker_ids else ""
        if not _gone(beats.get(last), now, host):
            continue
        # Only if nobody else re-queued or finished it meanwhile (same start time = same attempt).
        if DBTaskResult.objects.filter(pk=pk, status="RUNNING", started_at=started_at).update(status="READY"):
            requeued += 1
            log.warning("event=job_requeued task=%s job=%s attempts=%d lost_worker=%s", pk,
                        path.rsplit(".", 1)[-1], len(worker_ids), last)
    return requeued


def alive(now: Any = None) -> list[WorkerHeartbeat]:
    """Heartbeats of the workers alive now."""
    now = now or timezone.now()
    return list(WorkerHeartbeat.objects.filter(beat_at__gte=now - dt.timedelta(seconds=STALE_AFTER)))


def running() -> bool:
    """Is any worker alive? (Always true when jobs run inline.)"""
    from django.conf import settings

    return not getattr(settings, "BACKGROUND_JOBS", True) or bool(alive())


def _loop_class() -> type:
    from django_tasks_db.management.commands.db_worker import Worker

    class Loop(Worker):
        """django_tasks_db's worker loop, noting the running task for the heartbeat and the log."""

        current: str = ""
        done: int = 0

        def run_task(self, db_task_result: Any) -> None:
            from homeward import logs

            self.current = str(db_task_result.id)
            name = db_task_result.task_path.rsplit(".", 1)[-1]
            attempt = len(db_task_result.worker_ids)
            started = time.monotonic()
            with logs.context(job=name, task=self.current[:8], attempt=attempt):
                log.info("event=job_started")
                try:
                    super().run_task(db_task_result)
                finally:
                    status = type(db_task_result).objects.filter(pk=db_task_result.pk).values_list(
                        "status", flat=True).first()
                    log.log(logging.INFO if status == "SUCCESSFUL" else logging.ERROR,
                            "event=job_finished status=%s ms=%d", (status or "").lower(),
                            (time.monotonic() - started) * 1000)
                    self.current = ""
                    self.done += 1

    return Loop


@dataclass
class WorkerProcess:
    """One ``homeward worker`` process. ``batch`` runs what is queued, then returns (for scripts and tests)."""

    groups: Sequence[Sequence[str]] = DEFAULT_GROUPS
    interval: float = POLL_INTERVAL
    parent_pid: int | None = None
    batch: bool = False
    schedule: bool = True
    name: str = field(default_factory=lambda: get_random_string(8))
    loops: list[Any] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)

    def worker_id(self, group: Sequence[str]) -> str:
        return f"{socket.gethostname()[:24]}:{os.getpid()}:{self.name}:{'+'.join(group)}"[:64]

    def beat(self) -> None:
        now = timezone.now()
        for loop in self.loops:
            fields = {"host": socket.gethostname(), "pid": os.getpid(), "queues": ",".join(loop.queue_names),
                      "beat_at": now, "task_id": loop.current, "tasks_done": loop.done}
            # one UPDATE a beat once the row exists (update_or_create took a transaction, a locking SELECT and
            # the UPDATE, every 5 s for each loop); the first beat, or one after ``forget``, creates it
            if not WorkerHeartbeat.objects.filter(worker_id=loop.worker_id).update(**fields):
                WorkerHeartbeat.objects.update_or_create(worker_id=loop.worker_id, defaults=fields)

    def forget(self) -> None:
        """Remove this process's heartbeats, so that a task it leaves unfinished is re-queued at once."""
        WorkerHeartbeat.objects.filter(worker_id__in=[loop.worker_id for loop in self.loops]).delete()

    def maintain(self) -> None:
        from homeward.jobs import schedule

        self.beat()
        recover()
        if self.schedule and not self.batch:
            schedule.enqueue_due()

    def stop(self, *_args: Any) -> None:
        self._stop.set()
        for loop in self.loops:
            loop.running = False

    def run(self) -> None:
        loop_class = _loop_class()
        self.loops = [loop_class(queue_names=list(g), interval=self.interval, batch=self.batch,
                                 backend_name="default", startup_delay=False, max_tasks=None,
                                 worker_id=self.worker_id(g), excluded_queue_names=[]) for g in self.groups]
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, self.stop)
            signal.signal(signal.SIGINT, self.stop)
        self.maintain()
        threads = [threading.Thread(target=self._run_loop, args=(loop,), name=f"jobs-{'+'.join(loop.queue_names)}",
                                    daemon=True) for loop in self.loops]
        for t in threads:
            t.start()
        log.info("event=worker_started pid=%d queues=%s", os.getpid(),
                 ";".join(",".join(g) for g in self.groups))
        try:
            while not self._stop.wait(BEAT_EVERY if not self.batch else 0.2):
                if self.parent_pid is not None and not pid_alive(self.parent_pid):
                    log.warning("event=worker_parent_gone parent=%d", self.parent_pid)
                    self.stop()
                    break
                if self.batch and not any(t.is_alive() for t in threads):
                    break
                try:
                    self.maintain()
                except Exception:  # keep working; the next round tries again
                    log.exception("event=worker_maintenance_failed")
                finally:
                    close_old_connections()
            for t in threads:
                t.join(timeout=10)
        finally:
            self.forget()
            log.info("event=worker_stopped pid=%d", os.getpid())

    @staticmethod
    def _run_loop(loop: Any) -> None:
        try:
            loop.run()
        except Exception:
            log.exception("event=worker_loop_crashed")
        finally:
            close_old_connections()
