"""Two-factor sign-in: a TOTP authenticator app, with single-use recovery codes (django-otp).

Who must use it: every user whose role is in ``settings.TWO_FACTOR_ROLES`` (the mediator's and the parties'
officers), and every user who has enrolled of their own accord (an NGO worker, an auditor). Such a user signs
in with the password and then a code; until the code is given the session is *half signed in*, and
``TwoFactorMiddleware`` lets it reach only the second step, enrolment and log-out (pages), and nothing of
the API. A user who must use it and has no authenticator yet is led to enrol first.

Secrets live in django-otp's ``TOTPDevice`` (its replay guard refuses a code at or before the last one
used, its back-off slows guessing); recovery codes in a ``StaticDevice`` (each code is deleted when used).
Wrong codes also count as failed logins in ``accounts.throttle``, so the lockout covers both steps.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django_otp.middleware import OTPMiddleware as DjangoOTPMiddleware
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

if TYPE_CHECKING:
    from homeward.access import Viewer
    from homeward.accounts.models import User

RECOVERY_CODES = 10
# The session remembers whether its user has an authenticator, so that most requests cost no query.
SESSION_ENROLLED = "homeward_2fa_enrolled"
# Pages a half-signed-in session may open.
OPEN_URL_NAMES = frozenset({"login", "logout", "two_factor_verify", "two_factor_enrol", "set_language"})


def enrolled(user: Viewer) -> bool:
    """The user has a confirmed authenticator."""
    return bool(getattr(user, "pk", None)) and TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def role_requires(user: Viewer) -> bool:
    return getattr(user, "role", None) in settings.TWO_FACTOR_ROLES


def applies(user: Viewer, is_enrolled: bool) -> bool:
    """Two-factor sign-in applies to this user: by role, or because they enrolled."""
    return bool(getattr(user, "is_authenticated", False)) and (is_enrolled or role_requires(user))


def session_enrolled(request: HttpRequest) -> bool:
    value = request.session.get(SESSION_ENROLLED)
    if value is None:
        value = enrolled(request.user)
        request.session[SESSION_ENROLLED] = value
    return bool(value)


def is_verified(request: HttpRequest) -> bool:
    """The session passed the second step (django-otp's ``OTPMiddleware`` reads the device from it)."""
    check = getattr(request.user, "is_verified", None)
    return bool(check and check())


def pending(request: HttpRequest) -> bool:
    """The session is half signed in: the password was right, the second step is still to do."""
    user = request.user
    if not getattr(user, "is_authenticated", False):
        return False
    return applies(user, session_enrolled(request)) and not is_verified(request)


def remember_enrolment(sender: object, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    """On every login (the form, or ``force_login``): note in the session whether the user has enrolled."""
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_ENROLLED] = enrolled(user)


# --- enrolment ------------------------------------------------------------------------------------------


def pending_device(user: User) -> TOTPDevice:
    """The user's unconfirmed authenticator (made on first call; the same secret until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


def secret(device: TOTPDevice) -> str:
    """The secret as the base32 text authenticator apps accept (RFC 4648, no padding)."""
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def otpauth_uri(device: TOTPDevice) -> str:
    """The ``otpauth://totp/Issuer:user?secret=…`` URI authenticator apps read (as text or a QR code)."""
    issuer = settings.OTP_TOTP_ISSUER
    label = quote(f"{issuer}:{device.user.get_username()}")
    return (f"otpauth://totp/{label}?secret={secret(device)}&issuer={quote(issuer)}"
            f"&algorithm=SHA1&digits={device.digits}&period={device.step}")


def _normalise(code: str) -> str:
    return "".join(ch for ch in (code or "") if ch.isalnum()).lower()


def confirm(user: User, code: str) -> list[str] | None:
    """Confirm the pending authenticator with a code from it; returns fresh recovery codes, or ``None``."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("id").first()
        code = _normalise(code)
        if device is None or not code.isdigit() or not device.verify_token(code):
            return None
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    return new_recovery_codes(user)


def new_recovery_codes(user: User) -> list[str]:
    """Replace the user's recovery codes with ``RECOVERY_CODES`` new ones (each works once)."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name="recovery codes", confirmed=True)
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def reset(user: User) -> None:
    """Forget the user's authenticator and recovery codes (a lost phone); they enrol again at next sign-in."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()


# --- the second step ------------------------------------------------------------------------------------


def verify(user: User, code: str) -> TOTPDevice | StaticDevice | None:
    """The device that accepts ``code``: the authenticator for a 6-digit code, else a recovery code."""
    code = _normalise(code)
    if not code:
        return None
    with transaction.atomic():
        if code.isdigit() and len(code) == 6:
            device: TOTPDevice | StaticDevice | None = (
                TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first())
        else:
            device = StaticDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        if device is not None and device.verify_token(code):
            return device
    return None


class OTPMiddleware(DjangoOTPMiddleware):
    """django-otp's middleware, its device read by one statement written once per device model
    (``accounts.reads.by_pk``) instead of a queryset built and compiled on every page of a verified session."""

    def _device_from_persistent_id(self, persistent_id: str) -> Any:
        if persistent_id.count(".") > 1:  # a legacy id: django-otp's own reading
            return super()._device_from_persistent_id(persistent_id)
        from django.apps import apps
        from django_otp.models import Device

        from homeward.accounts import reads

        try:  # as Device.from_persistent_id reads it
            model_label, device_id = persistent_id.rsplit("/", 1)
            app_label, model_name = model_label.split(".")
            device_cls = apps.get_model(app_label, model_name)
            pk = int(device_id)
        except (ValueError, LookupError):
            return None
        return reads.by_pk(device_cls, pk) if issubclass(device_cls, Device) else None


class TwoFactorMiddleware:
    """A half-signed-in session reaches only the second step (pages) and nothing of the API.

    Goes after django-otp's ``OTPMiddleware``. Bearer tokens are untouched: they are only minted to users who
    passed both steps (``POST /api/v1/auth/token`` asks for the code, or the tokens page behind the second
    step), so scripts keep working with them.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if pending(request):
            if request.path_info.startswith("/api/"):
                request.user = AnonymousUser()  # the session does not count; a bearer token still may
            elif self._url_name(request) not in OPEN_URL_NAMES:
                step = "two_factor_verify" if session_enrolled(request) else "two_factor_enrol"
                return redirect(f"{reverse(step)}?next={quote(request.get_full_path())}")
        return self.get_response(request)

    @staticmethod
    def _url_name(request: HttpRequest) -> str | None:
        try:
            return resolve(request.path_info).url_name
        except Resolver404:
            return None
