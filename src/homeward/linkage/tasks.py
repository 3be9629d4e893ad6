"""Matching on the task queue (``homeward.jobs``): runs go to the matching queue, one job per run."""

from __future__ import annotations

from homeward import jobs
from homeward.linkage import services


@jobs.job(queue=jobs.MATCHING_QUEUE, on_give_up=services.give_up)
def run_match(run_id: int) -> str:
    """Run (or, after a lost worker, run again) the matching run ``run_id``; returns its final status."""
    return str(services.resume(run_id).status)


@jobs.job()
def fail_orphaned_runs() -> int:
    return services.fail_orphaned_runs()


@jobs.job(queue=jobs.MATCHING_QUEUE)
def refit_model() -> int:
    """Refit the matching model from reviewers' decisions; returns the new version's id (0: nothing new)."""
    made = services.refit_from_labels()
    return made.pk if made is not None else 0
