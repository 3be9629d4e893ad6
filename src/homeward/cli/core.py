"""Core commands: database set-up, the demo, the server, parties and users."""

from __future__ import annotations

import importlib.util
import sys
from typing import Any

import click

from homeward.cli._django import setup

DEMO_LOGINS = """Demo logins (password: demo)
  mediator     mediator administrator (QA) — sees everything
  mediator-cw  mediator case worker (QA)
  ua-officer   party officer (UA) — sees only Ukraine's records
  ru-officer   party officer (RU) — sees only Russia's records
  ngo-worker   NGO case worker (NGO1)
  auditor      auditor — ledger and aggregate figures only"""


def _demo_logins() -> str:
    """The demo logins, and the two-factor secrets of the demo users who must use a second factor."""
    from homeward.accounts.demo import sign_in_help

    return "\n".join(part for part in (DEMO_LOGINS, sign_in_help()) if part)


def _migrate(verbosity: int = 0) -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=verbosity)


def _load_demo() -> None:
    from tqdm import tqdm

    from homeward.registry import demo

    bar = tqdm(total=1, desc="demo data", unit="child", file=sys.stderr, leave=True)

    def progress(done: int, total: int) -> None:
        bar.total = total
        bar.n = done
        bar.refresh()

    try:
        result = demo.load(progress)
    except demo.NotADemoDatabase as exc:
        bar.close()
        raise click.ClickException(str(exc)) from None
    bar.close()
    for loader in _extra_demo_loaders():
        loader()
    click.echo(f"Demo data: {result['created']} children created." if result["created"]
               else "Demo data already present; nothing changed.")


def _extra_demo_loaders() -> list[Any]:
    """Demo loaders of the other domains, in dependency order (each idempotent)."""
    import importlib

    loaders = []
    for name in ("homeward.returns.demo", "homeward.exchange.demo", "homeward.figures.demo", "homeward.ledger.demo",
                 "homeward.notifications.demo", "homeward.accounts.demo"):
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        loaders.append(module.load_demo)
    return loaders


@click.command()
@click.option("--demo", is_flag=True, help="Also create the demo parties, users and synthetic records.")
def init(demo: bool) -> None:
    """Create or migrate the database (SQLite under $HOMEWARD_HOME, or $HOMEWARD_DATABASE_URL).

    \b
    Examples:
      homeward init
      homeward init --demo          # refuses a database that holds non-demo records
    """
    setup()
    _migrate()
    click.echo("Database ready.")
    if demo:
        _load_demo()
        click.echo(_demo_logins())


EMBEDDED_WORKER_NICE = 10


class EmbeddedWorker:
    """``homeward worker`` as a child process of the server, started again if it dies, stopped with it."""

    def __init__(self) -> None:
        import os
        import threading

        self.proc: Any = None
        self._stop = threading.Event()
        self._owner = os.getpid()

    def start(self) -> None:
        import atexit
        import threading

        self._spawn()
        threading.Thread(target=self._watch, name="embedded-worker", daemon=True).start()
        atexit.register(self.stop)

    def _spawn(self) -> None:
        import os
        import subprocess

        # Jobs (matching runs, continuous matching) are CPU-heavy and nobody waits on them: at nice 10 they use
        # what the server's requests leave of the CPU, instead of an equal share of it.
        self.proc = subprocess.Popen([sys.executable, "-m", "homeward", "worker", "--parent", str(os.getpid()),
                                      "--nice", str(EMBEDDED_WORKER_NICE)])

    def _watch(self) -> None:
        import logging
        import time

        log = logging.getLogger("homeward.jobs")
        delay, started = 1.0, time.monotonic()
        while not self._stop.wait(1.0):
            if self.proc.poll() is None:
                if time.monotonic() - started > 60:
                    delay = 1.0
                continue
            log.warning("event=embedded_worker_exited code=%s restart_in_s=%d", self.proc.returncode, delay)
            if self._stop.wait(delay):
                break
            self._spawn()
            started, delay = time.monotonic(), min(delay * 2, 30.0)

    def stop(self) -> None:
        import os
        import subprocess

        if os.getpid() != self._owner:
            # A forked server process (a gunicorn worker) inherits this object and its atexit hook: only the
            # process that started the worker may stop it.
            return
        self._stop.set()
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def _serve(host: str, port: int, *, worker: bool = True, threads: int = 8, workers: int = 1) -> None:
    """Serve on ``host:port``: one waitress process (``workers == 1``), or a gunicorn master with ``workers``
    processes of ``threads`` threads each on the same socket. Either way the embedded job worker is started
    once, by this process, never by the server processes."""
    import signal

    if workers > 1 and importlib.util.find_spec("gunicorn") is None:
        raise click.UsageError("--workers above 1 needs gunicorn: .venv/bin/pip install -r requirements.lock")

    from homeward.wsgi import application

    if workers > 1 and sys.platform == "win32":
        raise click.UsageError("--workers above 1 needs gunicorn, which runs on Linux and macOS only")
    if worker:
        EmbeddedWorker().start()
    else:
        click.echo("No worker started (--no-worker): run `homeward worker` for matching, checkpoints and "
                   "notifications.", err=True)
    click.echo(f"Homeward on http://{host}:{port}/  (Ctrl+C to stop)")
    if workers > 1:
        from homeward.cli.server import run as gunicorn_run

        gunicorn_run(application, host=host, port=port, workers=workers, threads=threads)
        return
    from waitress import serve as waitress_serve

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # stop the embedded worker on the way out
    waitress_serve(application, host=host, port=port, threads=threads, ident="homeward")


_worker_option = click.option("--worker/--no-worker", default=True, show_default=True,
                              help="Start one `homeward worker` process beside the server (jobs, checkpoints).")
_threads_option = click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 64),
                               help="Request threads of each server process.")
_workers_option = click.option(
    "--workers", default=1, show_default=True, type=click.IntRange(1, 64),
    help="Server processes on the one address (above 1: gunicorn; about one per core). The job worker is "
         "still started once.")


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@_worker_option
@_threads_option
@_workers_option
def serve(host: str, port: int, worker: bool, threads: int, workers: int) -> None:
    """Serve the web application and the API, with one background worker beside it.

    \b
    Examples:
      homeward serve --port 8000
      homeward serve --workers 2 --port 8000         # two server processes (PostgreSQL; one per core)
      homeward serve --no-worker & homeward worker   # the worker as a service of its own
    """
    setup()
    _serve(host, port, worker=worker, threads=threads, workers=workers)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@_worker_option
def demo(host: str, port: int, worker: bool) -> None:
    """Set up the demo database and serve it with a worker (= init --demo + serve).

    \b
    Example:
      homeward demo --port 8000
    """
    setup()
    _migrate()
    _load_demo()
    click.echo(_demo_logins())
    _serve(host, port, worker=worker)


@click.group()
def party() -> None:
    """Parties: the authorities of each side, the mediator and NGOs."""


@party.command("add")
@click.argument("code")
@click.option("--name", required=True)
@click.option("--kind", required=True, type=click.Choice(["authority", "mediator", "ngo"]))
def party_add(code: str, name: str, kind: str) -> None:
    """Add a party.

    \b
    Example:
      homeward party add UA --name "Ukraine" --kind authority
    """
    setup()
    from django.core.exceptions import ValidationError

    from homeward.accounts.models import Party

    p = Party(code=code.upper(), name=name, kind=kind)
    try:
        p.full_clean()
    except ValidationError as exc:
        raise click.ClickException("; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())) from None
    p.save()
    click.echo(f"Party {p.code} added.")


@party.command("list")
def party_list() -> None:
    """List parties.

    \b
    Example:
      homeward party list
    """
    setup()
    from homeward.accounts.models import Party

    for p in Party.objects.all():
        click.echo(f"{p.code:<8} {p.kind:<10} {p.name}")


@click.group()
def user() -> None:
    """Users: each belongs to one party and has one role."""


@user.command("add")
@click.argument("name")
@click.option("--party", "party_code", required=True, help="Party code, e.g. UA.")
@click.option("--role", required=True, type=click.Choice(["mediator_admin", "mediator_caseworker", "party_officer",
                                                          "ngo_caseworker", "auditor"]))
@click.option("--email", default="", help="E-mail address for notifications (the user chooses which).")
def user_add(name: str, party_code: str, role: str, email: str) -> None:
    """Add a user; the password is read from standard input.

    \b
    Example:
      printf 'a long passphrase' | homeward user add olena --party UA --role party_officer
      printf 'a long passphrase' | homeward user add olena --party UA --role party_officer --email o@example.org
    """
    setup()
    from django.core.exceptions import ValidationError

    from homeward.accounts.models import Party, User

    password = sys.stdin.readline().rstrip("\n") if not sys.stdin.isatty() else click.prompt(
        "Password", hide_input=True, confirmation_prompt=True)
    if len(password) < 8:
        raise click.ClickException("The password must have at least 8 characters.")
    p = Party.objects.filter(code=party_code.upper()).first()
    if p is None:
        raise click.ClickException(f"No party with code {party_code!r}. See: homeward party list")
    if User.objects.filter(username=name).exists():
        raise click.ClickException(f"A user named {name!r} exists already.")
    u = User(username=name, party=p, role=role, email=email.strip())
    try:
        u.full_clean(exclude=["password"])
    except ValidationError as exc:
        raise click.ClickException("; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())) from None
    u.set_password(password)
    u.save()
    click.echo(f"User {name} ({role}, {p.code}) added.")


@user.command("email")
@click.argument("name")
@click.argument("address")
def user_email(name: str, address: str) -> None:
    """Set (or, with "", remove) the e-mail address a user's chosen notifications go to.

    \b
    Example:
      homeward user email olena olena@example.org
      homeward user email olena ""
    """
    setup()
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    from homeward.accounts.models import User

    address = address.strip()
    if address:
        try:
            validate_email(address)
        except ValidationError:
            raise click.ClickException("That is not an e-mail address.") from None
    if not User.objects.filter(username=name).update(email=address):
        raise click.ClickException(f"No user named {name!r}. See: homeward user list")
    click.echo(f"E-mail of {name} {'set' if address else 'removed'}.")


@user.command("list")
def user_list() -> None:
    """List users with party and role.

    \b
    Example:
      homeward user list
    """
    setup()
    from homeward.accounts.models import User

    for u in User.objects.select_related("party").order_by("username"):
        click.echo(f"{u.username:<16} {u.party_code:<6} {u.role}{'' if u.is_active else '  (inactive)'}")


COMMANDS: list[click.Command] = [init, serve, demo, party, user]
