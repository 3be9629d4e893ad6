"""The demo's two-factor sign-in: the demo users whose role must use it get an authenticator secret, which
``homeward demo`` prints (add it to an authenticator app, or get the current code with
``homeward two-factor code SECRET``). The NGO worker and the auditor sign in with the password alone.

Only a user still holding the demo password is enrolled here, and an existing authenticator is never
replaced, so a real account that happens to share a demo name is left alone.
"""

from __future__ import annotations

from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from homeward.accounts import twofactor
from homeward.accounts.models import User


def _demo_users() -> list[User]:
    from homeward.registry.demo import DEMO_PASSWORD, USERS

    names = [username for username, _code, role in USERS if role in settings.TWO_FACTOR_ROLES]
    users = User.objects.filter(username__in=names, is_active=True).order_by("username")
    return [u for u in users if u.check_password(DEMO_PASSWORD)]


def load_demo() -> None:
    """Give each demo user who must use two-factor sign-in a confirmed authenticator (idempotent)."""
    for user in _demo_users():
        if not twofactor.enrolled(user):
            TOTPDevice.objects.create(user=user, name="demo authenticator", confirmed=True)


def secrets() -> dict[str, str]:
    """Username → base32 secret of each demo user's authenticator."""
    out = {}
    for user in _demo_users():
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is not None:
            out[user.username] = twofactor.secret(device)
    return out


def sign_in_help() -> str:
    """The lines ``homeward demo`` prints under the logins."""
    known = secrets()
    if not known:
        return ""
    lines = ["Two-factor sign-in (mediator and party officers): after the password, a 6-digit code. Add a secret",
             "to an authenticator app, or print the current code with: homeward two-factor code SECRET"]
    lines += [f"  {name:<12} secret {secret}" for name, secret in known.items()]
    return "\n".join(lines)
