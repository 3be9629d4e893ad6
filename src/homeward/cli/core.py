"""Core commands: database set-up, the demo, the server, parties and users."""

from __future__ import annotations

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
    for name in ("homeward.returns.demo", "homeward.exchange.demo", "homeward.figures.demo", "homeward.ledger.demo"):
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
        click.echo(DEMO_LOGINS)


def _checkpoints_in_background() -> None:
    """Sign ledger checkpoints on the fixed interval while the server runs (LEDGER_CHECKPOINT_INTERVAL)."""
    import logging
    import threading
    import time

    from django.conf import settings
    from django.db import close_old_connections

    from homeward.ledger import service

    interval = int(getattr(settings, "LEDGER_CHECKPOINT_INTERVAL", service.DEFAULT_CHECKPOINT_INTERVAL))

    def loop() -> None:
        while True:
            try:
                service.checkpoint_if_due(interval)
            except Exception:  # keep serving; the next round tries again
                logging.getLogger("homeward.ledger").exception("scheduled checkpoint failed")
            finally:
                close_old_connections()
            time.sleep(min(interval, 60))

    threading.Thread(target=loop, name="ledger-checkpoints", daemon=True).start()


def _serve(host: str, port: int) -> None:
    from waitress import serve as waitress_serve

    from homeward.linkage.services import fail_interrupted_runs
    from homeward.wsgi import application

    if fail_interrupted_runs():
        click.echo("Matching runs interrupted by the last shutdown are marked failed; start them again.", err=True)
    _checkpoints_in_background()
    click.echo(f"Homeward on http://{host}:{port}/  (Ctrl+C to stop)")
    waitress_serve(application, host=host, port=port, threads=8, ident="homeward")


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
def serve(host: str, port: int) -> None:
    """Serve the web application and the API.

    \b
    Example:
      homeward serve --port 8000
    """
    setup()
    _serve(host, port)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
def demo(host: str, port: int) -> None:
    """Set up the demo database and serve it (= init --demo + serve).

    \b
    Example:
      homeward demo --port 8000
    """
    setup()
    _migrate()
    _load_demo()
    click.echo(DEMO_LOGINS)
    _serve(host, port)


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
def user_add(name: str, party_code: str, role: str) -> None:
    """Add a user; the password is read from standard input.

    \b
    Example:
      printf 'a long passphrase' | homeward user add olena --party UA --role party_officer
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
    u = User(username=name, party=p, role=role)
    try:
        u.full_clean(exclude=["password"])
    except ValidationError as exc:
        raise click.ClickException("; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())) from None
    u.set_password(password)
    u.save()
    click.echo(f"User {name} ({role}, {p.code}) added.")


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
