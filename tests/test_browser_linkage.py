"""End to end in Chromium: a mediator reviews a cross-script candidate pair and confirms it."""

from __future__ import annotations

import pytest

from tests.conftest import browser_login
from tests.factories import run_now, sought_pair

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def sought(users):
    return sought_pair(users)


def test_mediator_confirms_candidate_and_case_updates(browser_page, users, sought):
    child, request = sought
    run_now(users["mediator"])
    page = browser_page
    browser_login(page, "mediator", "pw-mediator")
    page.click("nav >> text=Review queue")
    row = page.locator("tr", has_text="Kovalenko")
    row.locator("text=Review").click()
    assert page.locator("text=Why the matcher proposes this pair").is_visible()
    page.check("input[value=same]")
    page.fill("#reason", "Birth certificate matches")
    page.click("text=Record decision")
    page.wait_for_selector("text=Decision recorded.")
    child.case.refresh_from_db()
    assert child.case.status == "located"
    page.goto(f"{page.base}/children/{child.pk}/")
    assert "Matched to tracing request" in page.content()


def test_party_officer_cannot_open_the_review_queue(browser_page, users, sought):
    page = browser_page
    browser_login(page, "ua-officer", "pw-ua-officer")
    assert page.locator("nav >> text=Review queue").count() == 0
    response = page.goto(page.base + "/linkage/review/")
    assert response is not None and response.status == 404
