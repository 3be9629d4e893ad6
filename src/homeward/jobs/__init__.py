"""Background work: a task queue (django-tasks with its database backend), the worker that runs it, and
the periodic jobs.

    from homeward import jobs

    @jobs.job(queue=jobs.MATCHING_QUEUE, on_give_up=mark_failed)
    def run_match(run_id: int) -> str: ...

    jobs.enqueue(run_match, run.pk)    # inside the transaction that created the run

``homeward worker`` runs the workers; ``homeward serve`` starts one beside the server. See
docs/jobs.md for the choice of library, retries after a killed worker, and the schedule.
"""

from homeward.jobs.queue import (
    DEFAULT_QUEUE,
    MATCHING_QUEUE,
    MAX_ATTEMPTS,
    QUEUES,
    attempt,
    enqueue,
    job,
    unfinished,
)

__all__ = ["DEFAULT_QUEUE", "MATCHING_QUEUE", "MAX_ATTEMPTS", "QUEUES", "attempt", "enqueue", "job", "unfinished"]
