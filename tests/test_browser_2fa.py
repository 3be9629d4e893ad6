"""End to end in Chromium: the demo mediator signs in with the password and a TOTP code computed from the
secret the demo prints; an officer without an authenticator enrols from the page's secret."""

from __future__ import annotations

import base64
import re
from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def two_factor_on(settings: Any) -> None:
    settings.TWO_FACTOR_ROLES = frozenset({"mediator_admin", "mediator_caseworker", "party_officer"})


def code_from_secret(secret: str, steps: int = 0) -> str:
    import time

    from django_otp.oath import TOTP

    totp = TOTP(base64.b32decode(secret + "=" * (-len(secret) % 8)), 30, 0, 6, 0)
    totp.time = time.time() + 30 * steps
    return f"{totp.token():06d}"


def test_demo_mediator_signs_in_with_the_printed_secret(browser_page):
    from homeward.cli.core import _demo_logins, _extra_demo_loaders
    from homeward.registry.demo import ensure_parties_and_users

    ensure_parties_and_users()
    for loader in _extra_demo_loaders():
        if loader.__module__ == "homeward.accounts.demo":
            loader()
    printed = _demo_logins()
    match = re.search(r"^\s+mediator\s+secret ([A-Z2-7]+)$", printed, re.M)
    assert match, printed
    page = browser_page
    page.goto(page.base + "/login/")
    page.fill("#id_username", "mediator")
    page.fill("#id_password", "demo")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r".*/login/verify/.*"))
    page.fill("#id_code", code_from_secret(match.group(1)))
    page.click("main form.stack button[type=submit]")
    page.wait_for_url(page.base + "/")
    assert page.locator("text=Dashboard").first.is_visible()
    assert page.goto(page.base + "/audit/").status == 200


def test_officer_without_authenticator_enrols_and_keeps_the_recovery_codes(browser_page, users):
    page = browser_page
    page.goto(page.base + "/login/")
    page.fill("#id_username", "ua-officer")
    page.fill("#id_password", "pw-ua-officer")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r".*/account/two-factor/.*"))
    # nothing else opens before enrolment
    page.goto(page.base + "/children/")
    assert "/account/two-factor/" in page.url
    secret = page.locator("#totp-secret").inner_text().strip()
    assert page.locator("#totp-uri").get_attribute("href").startswith("otpauth://totp/")
    page.fill("#id_code", code_from_secret(secret))
    page.click("main form.stack button[type=submit]")
    codes = page.locator("#recovery-codes li").all_inner_texts()
    assert len(codes) == 10
    page.click("text=Continue")
    page.goto(page.base + "/children/")
    assert page.url == page.base + "/children/"
