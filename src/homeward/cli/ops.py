"""Operations commands: the worker (``homeward worker``), backups (``backup`` / ``restore``)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from homeward.cli._django import setup


@click.command()
@click.option("--batch", is_flag=True, help="Run every job queued now, then exit (no periodic jobs).")
@click.option("--queue", "queues", multiple=True, metavar="NAME",
              help="Run only these queues (default: 'matching' and 'default', each in its own loop).")
@click.option("--parent", "parent_pid", type=int, default=None, hidden=True,
              help="Exit when this process is gone (used by `homeward serve`).")
@click.option("--nice", type=click.IntRange(0, 19), default=0, show_default=True,
              help="Run at a lower CPU priority (Unix nice). `homeward serve` starts its worker at 10, so the "
                   "server's requests go first and jobs use the CPU the requests leave.")
def worker(batch: bool, queues: tuple[str, ...], parent_pid: int | None, nice: int) -> None:
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
    if nice and hasattr(os, "nice"):
        os.nice(nice)
    setup()
    from homeward.jobs import QUEUES
    from homeward.jobs.worker import DEFAULT_GROUPS, WorkerProcess

    unknown = [q for q in queues if q not in QUEUES]
    if unknown:
        raise click.BadParameter(f"unknown queue {unknown[0]!r}; queues: {', '.join(QUEUES)}", param_hint="--queue")
    groups = tuple((q,) for q in queues) if queues else DEFAULT_GROUPS
    WorkerProcess(groups=groups, batch=batch, parent_pid=parent_pid).run()


def read_passphrase(passphrase_file: Path | None, *, confirm: bool) -> str:
    """The passphrase: the first line of --passphrase-file, else of standard input (asked without echo on a
    terminal). Refuses an empty one. Never printed."""
    if passphrase_file is not None:
        lines = passphrase_file.read_text(encoding="utf-8").splitlines()
        value = lines[0] if lines else ""
    elif sys.stdin is not None and sys.stdin.isatty():
        value = click.prompt("Passphrase", hide_input=True, confirmation_prompt=confirm, err=True,
                             default="", show_default=False)
    else:
        line = sys.stdin.readline() if sys.stdin is not None else ""
        value = line[:-1] if line.endswith("\n") else line
        value = value[:-1] if value.endswith("\r") else value
    if not value:
        raise click.UsageError("the passphrase is empty: give one on standard input or with --passphrase-file")
    return value


_passphrase_option = click.option(
    "--passphrase-file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Read the passphrase from the first line of this file instead of standard input.",
)


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@_passphrase_option
def backup(file: Path, passphrase_file: Path | None) -> None:
    """Write an encrypted backup of the database, the ledger keys and the evidence files to FILE.

    The passphrase comes from standard input (asked twice without echo on a terminal) or --passphrase-file;
    keep it apart from the backup: without it nothing in FILE can be read. The database is copied while
    the server keeps running (SQLite's backup API, or pg_dump with HOMEWARD_DATABASE_URL); FILE must not
    exist yet. Restore it with `homeward restore`.

    \b
    Examples:
      homeward backup /srv/backups/homeward-$(date +%F).hwbk            # asks for the passphrase
      homeward backup nightly.hwbk --passphrase-file /etc/homeward/backup.pass
      printf '%s\\n' "$PASS" | homeward backup nightly.hwbk
    """
    passphrase = read_passphrase(passphrase_file, confirm=True)
    setup()
    from homeward.backup import BackupError
    from homeward.backup import backup as make_backup

    try:
        summary = make_backup(file, passphrase)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(
        f"Backup written to {summary.path}: {summary.vendor} database and {summary.members - 1} files, "
        f"{summary.encrypted_bytes / 1e6:.1f} MB encrypted, in {summary.seconds:.1f} s."
    )


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_passphrase_option
def restore(file: Path, passphrase_file: Path | None) -> None:
    """Restore the backup FILE into an empty $HOMEWARD_HOME (and empty database), then verify the ledger.

    The target must be empty: a new $HOMEWARD_HOME and, with HOMEWARD_DATABASE_URL, a new database
    (createdb NAME). Nothing is written unless the whole backup decrypts and matches its manifest: a wrong
    passphrase, a damaged or cut-short file, or a target that holds data is refused with the reason. Then
    the ledger is verified as by `homeward ledger verify`; exits 1 if it does not verify.

    \b
    Examples:
      HOMEWARD_HOME=/srv/homeward-new homeward restore homeward-2026-12-01.hwbk
      createdb homeward_restored && HOMEWARD_DATABASE_URL=postgres:///homeward_restored \\
          HOMEWARD_HOME=/srv/homeward-new homeward restore nightly.hwbk --passphrase-file backup.pass
    """
    passphrase = read_passphrase(passphrase_file, confirm=False)
    setup()
    from homeward.backup import BackupError
    from homeward.backup import restore as run_restore

    try:
        summary = run_restore(file, passphrase)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(
        f"Restored the {summary.vendor} backup of {summary.created_at}: database "
        f"({summary.database_bytes / 1e6:.1f} MB) and {summary.files} files, in {summary.seconds:.1f} s."
    )
    if summary.pending_migrations:
        click.echo(f"{len(summary.pending_migrations)} migrations are not applied yet: run `homeward init`.")
    if summary.ledger_error:
        click.echo(f"FAIL: the restored ledger does not verify: {summary.ledger_error}", err=True)
        sys.exit(1)
    r = summary.ledger
    click.echo(
        f"Ledger OK: {r.size} entries, root {r.root.hex()}, {r.checkpoints} checkpoints, "
        f"{r.cosignatures} cosignatures, {r.keys} party keys"
    )


COMMANDS: list[click.Command] = [worker, backup, restore]
