"""Shared fixtures: parties on every side and a user of every role, so that access checks can appear in
every test module (like healthchecks' BaseTestCase with users in different teams)."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path
from typing import Any

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"

# The names toolkit's disk cache: one throwaway directory per test session, never the user's own cache.
os.environ.setdefault("HOMEWARD_NAMES_CACHE", tempfile.mkdtemp(prefix="homeward-names-cache-"))


@pytest.fixture
def parties(db: Any) -> dict[str, Any]:
    from homeward.accounts.models import Party

    return {
        "UA": Party.objects.create(code="UA", name="Ukraine", kind="authority"),
        "RU": Party.objects.create(code="RU", name="Russia", kind="authority"),
        "QA": Party.objects.create(code="QA", name="Qatar", kind="mediator"),
        "NGO1": Party.objects.create(code="NGO1", name="Tracing NGO", kind="ngo"),
    }


def _user(username: str, party: Any, role: str) -> Any:
    from homeward.accounts.models import User

    u = User(username=username, party=party, role=role)
    u.set_password("pw-" + username)
    u.save()
    return u


@pytest.fixture
def users(parties: dict[str, Any]) -> dict[str, Any]:
    return {
        "mediator": _user("mediator", parties["QA"], "mediator_admin"),
        "caseworker": _user("caseworker", parties["QA"], "mediator_caseworker"),
        "ua": _user("ua-officer", parties["UA"], "party_officer"),
        "ru": _user("ru-officer", parties["RU"], "party_officer"),
        "ngo": _user("ngo-worker", parties["NGO1"], "ngo_caseworker"),
        "auditor": _user("auditor", parties["QA"], "auditor"),
    }


def make_child(user: Any, **fields: Any) -> Any:
    from homeward.registry import services
    from homeward.registry.models import Child

    data = {"given_name": "Олександр", "surname": "Коваленко", "patronymic": "Петрович", "sex": "M",
            "birth_date": dt.date(2014, 3, 5), "birth_place": "Херсон"}
    data.update(fields)
    child = services.save_new(user, Child(**data))
    services.open_case(user, child)
    return child


@pytest.fixture
def ua_child(users: dict[str, Any]) -> Any:
    return make_child(users["ua"], surname="Ткаченко", medical_needs="asthma-secret")


@pytest.fixture
def ru_child(users: dict[str, Any]) -> Any:
    return make_child(users["ru"], given_name="Мария", surname="Иванова-Секретная", sex="F")


@pytest.fixture
def token_for(users: dict[str, Any], client: Any) -> Any:
    """Bearer token of a user, obtained through the API as a client would."""

    def get(key: str) -> dict[str, str]:
        user = users[key]
        resp = client.post("/api/v1/auth/token", {"username": user.username, "password": "pw-" + user.username},
                           content_type="application/json")
        assert resp.status_code == 200, resp.content
        return {"HTTP_AUTHORIZATION": "Bearer " + resp.json()["token"]}

    return get


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@pytest.fixture
def browser_page(live_server: Any) -> Any:
    """A Playwright page in Debian's Chromium, against the live test server.

    Skips when Chromium is not installed, unless HOMEWARD_REQUIRE_BROWSER=1 (set by .ci/run), where a
    missing browser is a failure. Use ``page.base`` for the server's address and ``login(page, user)``.
    """
    import os
    import shutil

    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        if os.environ.get("HOMEWARD_REQUIRE_BROWSER") == "1":
            pytest.fail("Chromium is required for the browser tests (apt-get install chromium)")
        pytest.skip("Chromium is not installed (apt-get install chromium); .ci/run installs it")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=shutil.which("chromium") or CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15000)
        page.base = live_server.url
        yield page
        context.close()
        browser.close()


def browser_login(page: Any, username: str, password: str) -> None:
    page.goto(page.base + "/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_url(page.base + "/")
