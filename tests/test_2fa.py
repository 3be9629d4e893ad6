"""Two-factor sign-in: TOTP after the password for the mediator and party officers, enrolment for those who
have none, single-use recovery codes, lockouts that count wrong codes, and API tokens only after both steps."""

from __future__ import annotations

import time
from typing import Any

import pytest
from click.testing import CliRunner

pytestmark = pytest.mark.django_db

REQUIRED = frozenset({"mediator_admin", "mediator_caseworker", "party_officer"})


@pytest.fixture(autouse=True)
def two_factor_on(settings: Any) -> None:
    """The production rule (the suite's settings switch it off for everyone else's tests)."""
    settings.TWO_FACTOR_ROLES = REQUIRED
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp's back-off would make back-to-back tries time-dependent
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def code_for(device: Any, steps: int = 0) -> str:
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps * device.step
    return f"{totp.token():06d}"


def wrong_code(device: Any) -> str:
    near = {code_for(device, s) for s in (-2, -1, 0, 1, 2)}
    return next(c for c in (f"{n:06d}" for n in range(123456, 999999, 7919)) if c not in near)


def enrol(user: Any) -> tuple[Any, list[str]]:
    from homeward.accounts import twofactor

    device = twofactor.pending_device(user)
    codes = twofactor.confirm(user, code_for(device))
    assert codes is not None
    device.refresh_from_db()
    return device, codes


def password(client: Any, user: Any, address: str = "10.0.0.1") -> Any:
    return client.post("/login/", {"username": user.username, "password": "pw-" + user.username},
                       REMOTE_ADDR=address)


def second_step(client: Any, code: str, address: str = "10.0.0.1", next_url: str = "") -> Any:
    return client.post("/login/verify/", {"code": code, "next": next_url}, REMOTE_ADDR=address)


def test_production_settings_require_two_factor_for_mediator_and_officers_only():
    import homeward.settings as production

    assert production.TWO_FACTOR_ROLES == REQUIRED
    assert "homeward.accounts.twofactor.OTPMiddleware" in production.MIDDLEWARE  # django-otp's, subclassed
    otp = production.MIDDLEWARE.index("homeward.accounts.twofactor.OTPMiddleware")
    assert production.MIDDLEWARE[otp + 1] == "homeward.accounts.twofactor.TwoFactorMiddleware"
    assert otp > production.MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware")


# --- enrolment ------------------------------------------------------------------------------------------


def test_not_enrolled_officer_is_led_to_enrolment_after_the_password(client, users):
    resp = password(client, users["ua"])
    assert resp.status_code == 302
    assert resp["Location"].startswith("/account/two-factor/")


def test_not_enrolled_officer_cannot_reach_pages_until_enrolled(client, users, ua_child):
    password(client, users["ua"])
    for path in ("/", "/children/", f"/children/{ua_child.pk}/", "/account/tokens/", "/audit/"):
        resp = client.get(path)
        assert resp.status_code == 302, path
        assert resp["Location"].startswith("/account/two-factor/?next="), path
    # nor the API with the session
    assert client.get("/api/v1/children").status_code == 401
    assert client.get("/api/v1/auth/me").status_code == 401


def test_enrolment_shows_the_secret_as_text_and_an_otpauth_uri_stable_until_confirmed(client, users):
    from homeward.accounts.models import AuditEvent

    password(client, users["ua"])
    first = client.get("/account/two-factor/")
    assert first.status_code == 200
    secret, uri = first.context["secret"], first.context["uri"]
    assert len(secret) == 32 and secret in first.content.decode()
    assert uri.startswith("otpauth://totp/Homeward%3Aua-officer?secret=" + secret)
    assert client.get("/account/two-factor/").context["secret"] == secret
    assert not AuditEvent.objects.filter(action="enrol_2fa").exists()


def test_enrolment_with_a_right_code_shows_recovery_codes_once_and_opens_the_pages(client, users):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    password(client, users["ua"])
    client.get("/account/two-factor/")
    device = TOTPDevice.objects.get(user=users["ua"])
    resp = client.post("/account/two-factor/", {"code": code_for(device), "next": "/children/"})
    assert resp.status_code == 200
    codes = resp.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(c in resp.content.decode() for c in codes)
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/children/").status_code == 200
    status_page = client.get("/account/two-factor/").content.decode()
    assert not any(c in status_page for c in codes)  # shown once


def test_enrolment_with_a_wrong_code_is_refused_and_counted(client, users):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from homeward.accounts.models import LoginFailure

    password(client, users["ua"])
    client.get("/account/two-factor/")
    device = TOTPDevice.objects.get(user=users["ua"])
    resp = client.post("/account/two-factor/", {"code": wrong_code(device)})
    assert resp.status_code == 200 and resp.context["error"]
    device.refresh_from_db()
    assert not device.confirmed
    assert LoginFailure.objects.count() == 1
    assert client.get("/").status_code == 302


def test_enrolled_user_with_only_the_password_cannot_replace_the_authenticator(client, users):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _codes = enrol(users["ua"])
    password(client, users["ua"])
    resp = client.get("/account/two-factor/")
    assert resp.status_code == 302 and resp["Location"].startswith("/login/verify/")
    assert list(TOTPDevice.objects.filter(user=users["ua"])) == [device]


# --- the second step ------------------------------------------------------------------------------------


def test_enrolled_officer_is_asked_for_a_code_after_the_password(client, users):
    enrol(users["ua"])
    resp = password(client, users["ua"])
    assert resp.status_code == 302 and resp["Location"].startswith("/login/verify/")
    assert client.get("/children/")["Location"].startswith("/login/verify/?next=")


def test_right_code_signs_in_and_follows_next(client, users):
    device, _ = enrol(users["ua"])
    password(client, users["ua"])
    resp = second_step(client, code_for(device, 1), next_url="/children/")
    assert resp.status_code == 302 and resp["Location"] == "/children/"
    assert client.get("/children/").status_code == 200
    assert client.get("/api/v1/auth/me").status_code == 200


def test_next_pointing_elsewhere_is_ignored(client, users):
    device, _ = enrol(users["ua"])
    password(client, users["ua"])
    resp = second_step(client, code_for(device, 1), next_url="https://evil.example/")
    assert resp["Location"] == "/"


def test_wrong_code_is_refused_and_the_session_stays_half_signed_in(client, users):
    device, _ = enrol(users["ua"])
    password(client, users["ua"])
    resp = second_step(client, wrong_code(device))
    assert resp.status_code == 200 and resp.context["error"]
    assert client.get("/children/").status_code == 302


def test_a_code_used_once_is_refused_the_second_time(client, users):
    device, _ = enrol(users["ua"])
    code = code_for(device, 1)
    password(client, users["ua"])
    assert second_step(client, code).status_code == 302
    client.logout()
    password(client, users["ua"])
    resp = second_step(client, code)
    assert resp.status_code == 200 and resp.context["error"]
    assert second_step(client, code_for(device, 2)).status_code == 302


def test_a_recovery_code_works_once(client, users):
    _device, codes = enrol(users["ua"])
    password(client, users["ua"])
    resp = second_step(client, codes[0].upper()[:4] + "-" + codes[0][4:])  # as typed from a printout
    assert resp.status_code == 302
    assert client.get("/children/").status_code == 200
    client.logout()
    password(client, users["ua"])
    assert second_step(client, codes[0]).status_code == 200
    assert second_step(client, codes[1]).status_code == 302


def test_new_recovery_codes_replace_the_old_ones(client, users):
    device, old = enrol(users["ua"])
    password(client, users["ua"])
    second_step(client, code_for(device, 1))
    resp = client.post("/account/two-factor/", {"action": "recovery_codes"})
    new = resp.context["codes"]
    client.logout()
    password(client, users["ua"])
    assert second_step(client, old[0]).status_code == 200
    assert second_step(client, new[0]).status_code == 302


def test_wrong_codes_count_towards_the_login_lockout(client, users):
    device, _ = enrol(users["ua"])
    password(client, users["ua"])
    for _ in range(5):
        assert second_step(client, wrong_code(device)).status_code == 200
    # locked: even the right code is refused now, and so is the password
    assert second_step(client, code_for(device, 1)).status_code == 429
    client.logout()
    assert password(client, users["ua"]).status_code == 429


def test_a_right_password_does_not_clear_failed_codes(client, users):
    device, _ = enrol(users["ua"])
    for _ in range(4):
        password(client, users["ua"])
        second_step(client, wrong_code(device))
        client.logout()
    password(client, users["ua"])
    second_step(client, wrong_code(device))
    assert second_step(client, code_for(device, 1)).status_code == 429


def test_a_full_sign_in_clears_the_failures(client, users):
    from homeward.accounts.models import LoginFailure

    device, _ = enrol(users["ua"])
    password(client, users["ua"])
    second_step(client, wrong_code(device))
    assert LoginFailure.objects.count() == 1
    second_step(client, code_for(device, 1))
    assert LoginFailure.objects.count() == 0


def test_ngo_worker_and_auditor_sign_in_with_the_password_alone(client, users):
    for key in ("ngo", "auditor"):
        resp = password(client, users[key])
        assert resp.status_code == 302 and resp["Location"] == "/", key
        assert client.get("/").status_code == 200
        client.logout()


def test_an_ngo_worker_who_enrolled_is_asked_for_the_code(client, users):
    device, _ = enrol(users["ngo"])
    resp = password(client, users["ngo"])
    assert resp["Location"].startswith("/login/verify/")
    assert second_step(client, code_for(device, 1)).status_code == 302
    assert client.get("/").status_code == 200


def test_a_forced_login_counts_as_half_signed_in(client, users):
    client.force_login(users["mediator"])
    assert client.get("/")["Location"].startswith("/account/two-factor/")


def test_verify_page_of_a_user_without_authenticator_leads_to_enrolment(client, users):
    password(client, users["ua"])
    assert client.get("/login/verify/")["Location"].startswith("/account/two-factor/")


# --- API tokens ------------------------------------------------------------------------------------------


def token_request(client: Any, user: Any, **extra: Any) -> Any:
    return client.post("/api/v1/auth/token", {"username": user.username, "password": "pw-" + user.username,
                                              **extra}, content_type="application/json", REMOTE_ADDR="10.0.0.9")


def test_token_request_of_an_officer_without_authenticator_is_refused_with_how_to_enrol(client, users):
    resp = token_request(client, users["ua"])
    assert resp.status_code == 401
    assert "/account/two-factor/" in resp.json()["detail"]


def test_token_request_of_an_enrolled_officer_needs_the_code(client, users):
    from homeward.accounts.models import ApiToken, LoginFailure

    device, _ = enrol(users["ua"])
    missing = token_request(client, users["ua"])
    assert missing.status_code == 401 and "otp" in missing.json()["detail"]
    wrong = token_request(client, users["ua"], otp=wrong_code(device))
    assert wrong.status_code == 401
    assert LoginFailure.objects.count() == 1
    assert not ApiToken.objects.exists()
    ok = token_request(client, users["ua"], otp=code_for(device, 1))
    assert ok.status_code == 200
    assert client.get("/api/v1/auth/me", HTTP_AUTHORIZATION="Bearer " + ok.json()["token"]).status_code == 200


def test_a_token_of_an_officer_works_for_scripts_without_a_session(client, users, ua_child):
    device, _ = enrol(users["ua"])
    raw = token_request(client, users["ua"], otp=code_for(device, 1)).json()["token"]
    resp = client.get(f"/api/v1/children/{ua_child.pk}", HTTP_AUTHORIZATION="Bearer " + raw)
    assert resp.status_code == 200


def test_token_request_wrong_codes_lock_the_account(client, users):
    device, _ = enrol(users["ua"])
    for _ in range(5):
        token_request(client, users["ua"], otp=wrong_code(device))
    assert token_request(client, users["ua"], otp=code_for(device, 1)).status_code == 429


def test_token_request_of_an_ngo_worker_needs_no_code(client, users):
    assert token_request(client, users["ngo"]).status_code == 200


# --- the command line ----------------------------------------------------------------------------------


def cli(*args: str) -> Any:
    from homeward.cli import main

    return CliRunner().invoke(main, list(args))


def test_cli_reset_makes_the_user_enrol_again(client, users):
    enrol(users["ua"])
    assert "enrolled, 10 recovery codes" in cli("two-factor", "status", "ua-officer").output
    result = cli("two-factor", "reset", "ua-officer")
    assert result.exit_code == 0, result.output
    assert "not enrolled" in cli("two-factor", "status", "ua-officer").output
    assert password(client, users["ua"])["Location"].startswith("/account/two-factor/")


def test_cli_code_prints_the_current_code_of_a_secret(users):
    from homeward.accounts import twofactor

    device, _ = enrol(users["ua"])
    result = cli("two-factor", "code", twofactor.secret(device))
    assert result.exit_code == 0
    assert result.output.split()[0] in {code_for(device, s) for s in (0, 1)}
    assert cli("two-factor", "code", "not base32!").exit_code != 0


# --- the demo --------------------------------------------------------------------------------------------


def test_demo_enrols_the_mediator_and_officers_and_prints_their_secrets(db):
    from homeward.accounts import demo, twofactor
    from homeward.registry.demo import ensure_parties_and_users

    users = ensure_parties_and_users()
    demo.load_demo()
    demo.load_demo()  # idempotent: the same secrets
    printed = demo.sign_in_help()
    for name in ("mediator", "mediator-cw", "ua-officer", "ru-officer"):
        assert twofactor.enrolled(users[name])
        assert demo.secrets()[name] in printed
    assert not twofactor.enrolled(users["ngo-worker"]) and not twofactor.enrolled(users["auditor"])
    assert "ngo-worker" not in printed


def test_demo_leaves_a_user_whose_password_is_not_the_demo_one(db):
    from homeward.accounts import demo, twofactor
    from homeward.registry.demo import ensure_parties_and_users

    users = ensure_parties_and_users()
    users["mediator"].set_password("a real passphrase")
    users["mediator"].save()
    demo.load_demo()
    assert not twofactor.enrolled(users["mediator"])
