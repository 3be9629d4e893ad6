"""Operations commands: the worker (``homeward worker``), backups (``backup`` / ``restore``)."""

from __future__ import annotations

import click

from homeward.cli._django import setup


@click.command()
@click.option("--batch", is_flag=True, help="Run every job queued now, then exit (no periodic jobs).")
@click.option("--queue", "queues", multiple=True, metavar="NAME",
              help="Run only these queues (default: 'matching' and 'default', each in its own loop).")
@click.option("--parent", "parent_pid", type=int, default=None, hidden=True,
              help="Exit when this process is gone (used by `homeward serve`).")
def worker(batch: bool, queues: tuple[str, ...], parent_pid: int | None) -> None:
    """Run the background jobs: matching runs, list matching, checkpoints, reminders, notifications.

    One worker process runs the long matching runs and the short jobs in two loops, so short jobs never
    wait behind a long run. Run more workers for more at once. A worker killed in the middle of a job
    (kill -9, a crash): the next worker puts the job back in the queue within 20 seconds and runs it
    again; its writes are transactional, so nothing is stored twice. `homeward serve` starts one worker
    beside the server unless given --no-worker.

    \b
    Examples:
      homeward worker                  # run until stopped (Ctrl+C finishes the current job)
      homeward worker --batch          # run what is queued now, then exit
      homeward worker --queue default  # only the short jobs
    """
    setup()
    from homeward.jobs import QUEUES
    from homeward.jobs.worker import DEFAULT_GROUPS, WorkerProcess

    unknown = [q for q in queues if q not in QUEUES]
    if unknown:
        raise click.BadParameter(f"unknown queue {unknown[0]!r}; queues: {', '.join(QUEUES)}", param_hint="--queue")
    groups = tuple((q,) for q in queues) if queues else DEFAULT_GROUPS
    WorkerProcess(groups=groups, batch=batch, parent_pid=parent_pid).run()


COMMANDS: list[click.Command] = [worker]
