"""Putting work on the queue: the one way background work starts in Homeward.

A job is a function decorated with :func:`job`; it becomes a django-tasks ``Task`` on the database
backend (``django_tasks_db``), so queueing it inserts a row **in the caller's transaction**: the work is
queued if and only if the change that asked for it commits. ``homeward worker`` runs the queue.

With ``settings.BACKGROUND_JOBS`` off (the test suite) :func:`enqueue` runs the job at once, in the
caller's thread, and lets its exceptions through, so tests stay deterministic.
"""

from __future__ import annotations

import contextvars
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings

log = logging.getLogger("homeward.jobs")

DEFAULT_QUEUE = "default"
"""Short jobs: checkpoints, notifications, reminders."""
MATCHING_QUEUE = "matching"
"""Long jobs: matching runs. A worker runs this queue in its own loop, so short jobs never wait behind it."""
QUEUES = (DEFAULT_QUEUE, MATCHING_QUEUE)
MAX_ATTEMPTS = 3

_attempt: contextvars.ContextVar[int] = contextvars.ContextVar("homeward_job_attempt", default=1)


@dataclass(frozen=True)
class _InlineContext:
    attempt: int = 1


def attempt() -> int:
    """The attempt number of the job running in this thread (1 for a first run, 2 after one retry …)."""
    return _attempt.get()


def job(*, queue: str = DEFAULT_QUEUE, max_attempts: int = MAX_ATTEMPTS,
        on_give_up: Callable[..., Any] | None = None) -> Callable[[Callable[..., Any]], Any]:
    """Make ``fn`` a queued job. Its arguments must be JSON values (ids, not objects).

    A job may run more than once: a worker that dies mid-job (``kill -9``, a crash, a lost machine)
    leaves it *running*; the next worker puts it back in the queue (``homeward.jobs.worker``). So a job
    must be idempotent: it writes its results in one transaction and does nothing when they are there
    already. After ``max_attempts`` starts the job is given up: ``on_give_up(*args, **kwargs)`` records
    the failure where users see it.
    """
    from django_tasks import task

    def decorate(fn: Callable[..., Any]) -> Any:
        def body(context: Any, *args: Any, **kwargs: Any) -> Any:
            n = int(getattr(context, "attempt", 1) or 1)
            if n > max_attempts:
                log.error("job=%s attempt=%d gave up after %d attempts", fn.__name__, n, max_attempts)
                if on_give_up is not None:
                    on_give_up(*args, **kwargs)
                return None
            token = _attempt.set(n)
            try:
                return fn(*args, **kwargs)
            finally:
                _attempt.reset(token)

        # The task is found by the worker under fn's name; its signature stays body's (context first).
        body.__name__, body.__qualname__, body.__module__, body.__doc__ = (
            fn.__name__, fn.__qualname__, fn.__module__, fn.__doc__)
        return task(queue_name=queue, takes_context=True)(body)

    return decorate


def enqueue(task: Any, *args: Any, **kwargs: Any) -> str | None:
    """Queue ``task`` with JSON arguments; returns the task id (``None`` when it ran inline)."""
    if not getattr(settings, "BACKGROUND_JOBS", True):
        task.func(_InlineContext(), *args, **kwargs)
        return None
    result = task.enqueue(*args, **kwargs)
    log.debug("job=%s task=%s queued", task.name, result.id)  # one per saved record: a flood at info level
    return str(result.id)


def unfinished(task: Any) -> list[dict[str, Any]]:
    """Arguments of every queued or running instance of ``task`` (``{"args": [...], "kwargs": {...}}``)."""
    from django_tasks_db.models import DBTaskResult

    return list(DBTaskResult.objects.filter(task_path=task.module_path, status__in=["READY", "RUNNING"])
                .values_list("args_kwargs", flat=True))
