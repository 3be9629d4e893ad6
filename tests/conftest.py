"""Shared fixtures: parties on every side and a user of every role, so that access checks can appear in
every test module (like healthchecks' BaseTestCase with users in different teams). The builders behind them
are in ``tests/factories.py``; import builders from there, never from another test module."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import pytest

from tests.factories import cleared_case, make_child, make_parties, make_users, password_of

SHARED = Path(__file__).resolve().parents[1].parent / "shared"

# The names toolkit's disk cache: one throwaway directory per test session, never the user's own cache.
os.environ.setdefault("HOMEWARD_NAMES_CACHE", tempfile.mkdtemp(prefix="homeward-names-cache-"))


@pytest.fixture(autouse=True)
def _fresh_duplicate_counts() -> Any:
    """The duplicate warning's cached scope sizes and name counts (per process, keyed by the scope's SQL) of
    one test's database never serve another test's."""
    from homeward.registry import duplicates

    duplicates.clear_counts()
    yield
    duplicates.clear_counts()


@pytest.fixture
def parties(db: Any) -> dict[str, Any]:
    return make_parties()


@pytest.fixture
def users(parties: dict[str, Any]) -> dict[str, Any]:
    return make_users(parties)


@pytest.fixture
def ua_child(users: dict[str, Any]) -> Any:
    return make_child(users["ua"], surname="Ткаченко", medical_needs="asthma-secret")


@pytest.fixture
def ru_child(users: dict[str, Any]) -> Any:
    return make_child(users["ru"], given_name="Мария", surname="Иванова-Секретная", sex="F")


@pytest.fixture
def two_cleared(users: dict[str, Any]) -> list[Any]:
    """Two cases cleared for return: an RU-registered and a UA-registered child."""
    return [cleared_case(users["ru"], users["mediator"], surname="Шевченко"),
            cleared_case(users["ua"], users["mediator"], surname="Бондаренко")]


@pytest.fixture
def token_for(users: dict[str, Any], client: Any) -> Any:
    """Bearer token of a user, obtained through the API as a client would."""

    def get(key: str) -> dict[str, str]:
        user = users[key]
        resp = client.post("/api/v1/auth/token", {"username": user.username, "password": password_of(user.username)},
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
