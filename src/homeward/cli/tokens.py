"""``homeward tokens``: list and revoke a user's API tokens (a thin shell over ``accounts.tokens``)."""

from __future__ import annotations

from typing import Any

import click

from homeward.cli._django import setup


def _user(username: str) -> Any:
    from homeward.accounts.models import User

    user = User.objects.filter(username=username).first()
    if user is None:
        raise click.ClickException(f"No user named {username!r}. See: homeward user list")
    return user


@click.group()
def tokens() -> None:
    """API tokens: list a user's tokens, revoke one or all of them."""


@tokens.command("list")
@click.argument("username")
def tokens_list(username: str) -> None:
    """List USERNAME's API tokens (id, name, prefix, status, expiry, last use), newest first.

    \b
    Example:
      homeward tokens list ua-officer
    """
    setup()
    from homeward.accounts import tokens as service

    rows = list(service.owned_by(_user(username)))
    if not rows:
        click.echo(f"{username} has no tokens.")
    for t in rows:
        used = t.last_used_at.strftime("%Y-%m-%d %H:%M") if t.last_used_at else "never"
        click.echo(f"{t.pk:<6} {t.name:<20} {t.prefix}…  {t.status:<8} expires {t.expires_at:%Y-%m-%d %H:%M} UTC"
                   f"  last used {used}")


@tokens.command("revoke")
@click.argument("username")
@click.argument("token_id", required=False, type=int)
@click.option("--all", "revoke_all", is_flag=True, help="Revoke every live token of the user.")
def tokens_revoke(username: str, token_id: int | None, revoke_all: bool) -> None:
    """Revoke USERNAME's token TOKEN_ID (see `homeward tokens list`), or all of them with --all.

    \b
    Examples:
      homeward tokens revoke ua-officer 12
      homeward tokens revoke ua-officer --all     # e.g. a laptop was lost
    """
    setup()
    from homeward.access import OPERATOR
    from homeward.accounts import audit
    from homeward.accounts import tokens as service
    from homeward.exceptions import NotFound

    user = _user(username)
    if revoke_all == (token_id is not None):
        raise click.UsageError("Give either a TOKEN_ID or --all.")
    if revoke_all:
        n = service.revoke_all(user, "revoked")
        audit.record(OPERATOR, "token_revoke", object_type="user", object_id=user.pk)
        click.echo(f"{n} token(s) of {username} revoked.")
        return
    try:
        token = service.revoke(user, token_id)
    except NotFound:
        raise click.ClickException(
            f"{username} has no token {token_id}. See: homeward tokens list {username}") from None
    audit.record(OPERATOR, "token_revoke", token)
    click.echo(f"Token {token.pk} ({token.name}, {token.prefix}…) of {username} revoked.")


COMMANDS: list[click.Command] = [tokens]
