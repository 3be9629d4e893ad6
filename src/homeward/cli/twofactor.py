"""``homeward two-factor``: a user's two-factor status, reset (a lost phone), and a code from a secret."""

from __future__ import annotations

import base64
import binascii
import time

import click

from homeward.cli._django import setup


@click.group("two-factor")
def two_factor() -> None:
    """Two-factor sign-in (TOTP authenticator app and recovery codes)."""


@two_factor.command("status")
@click.argument("username")
def status(username: str) -> None:
    """Whether USERNAME must use two-factor sign-in, has enrolled, and how many recovery codes are left.

    \b
    Example:
      homeward two-factor status ua-officer
    """
    setup()
    from homeward.accounts import twofactor
    from homeward.accounts.models import User

    user = User.objects.filter(username=username).first()
    if user is None:
        raise click.ClickException(f"No user named {username!r}. See: homeward user list")
    must = "required" if twofactor.role_requires(user) else "optional"
    enrolled = "enrolled" if twofactor.enrolled(user) else "not enrolled"
    click.echo(f"{username}: two-factor {must}, {enrolled}, {twofactor.recovery_codes_left(user)} recovery codes left")


@two_factor.command("reset")
@click.argument("username")
def reset(username: str) -> None:
    """Remove USERNAME's authenticator and recovery codes (a lost phone); they enrol again at next sign-in.

    \b
    Example:
      homeward two-factor reset ua-officer
    """
    setup()
    from homeward.access import OPERATOR
    from homeward.accounts import audit, twofactor
    from homeward.accounts.models import User

    user = User.objects.filter(username=username).first()
    if user is None:
        raise click.ClickException(f"No user named {username!r}. See: homeward user list")
    twofactor.reset(user)
    audit.record(OPERATOR, "reset_2fa", object_type="user", object_id=user.pk)
    click.echo(f"Two-factor sign-in of {username} reset; they set up an authenticator at their next sign-in.")


@two_factor.command("code")
@click.argument("secret")
def code(secret: str) -> None:
    """Print the current 6-digit code for a base32 SECRET (as an authenticator app would; e.g. for the demo).

    \b
    Example:
      homeward two-factor code JBSWY3DPEHPK3PXP
    """
    from django_otp.oath import totp

    cleaned = "".join(secret.split()).upper()
    try:
        key = base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))
    except (binascii.Error, ValueError):
        raise click.BadParameter("not a base32 secret (letters A-Z and digits 2-7)", param_hint="SECRET") from None
    click.echo(f"{totp(key, step=30, t0=0, digits=6):06d}  (valid {30 - int(time.time()) % 30} s more)")


COMMANDS: list[click.Command] = [two_factor]
