"""End to end in Chromium: the public statistics page, without login, shows the timeline with its sources
and no personal data."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import add_report, make_child, reunite

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_public_stats_page_renders_timeline_with_sources_and_no_personal_data(browser_page, users):
    from homeward.figures import services

    for i in range(6):
        child = make_child(users["ua"], given_name="Zoryslava", surname=f"Quixotenko{i}")
        reunite(child, users["mediator"], dt.datetime(2025, 1, 15, tzinfo=dt.UTC))
    doc = add_report(users["mediator"])
    services.review_claim(users["mediator"], doc.claims.get(value=214), "confirm")

    page = browser_page
    response = page.goto(page.base + "/stats/")
    assert response is not None and response.status == 200
    assert page.url.endswith("/stats/")  # no login asked
    svg = page.locator("svg").first
    svg.wait_for()
    assert svg.bounding_box()["width"] > 200  # the chart is drawn, not an empty element
    text = page.locator("main").inner_text()
    assert "Wire report" in text and "2025-03-11" in text and "214" in text
    assert "Zoryslava" not in page.content() and "Quixotenko" not in page.content()
    with page.expect_download() as download:
        page.click("text=CSV")
    assert "Zoryslava" not in download.value.path().read_text(encoding="utf-8")
