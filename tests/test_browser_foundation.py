"""End to end in Chromium: a party officer works with its own records and cannot reach the other side's."""

from __future__ import annotations

import pytest

from tests.conftest import browser_login
from tests.factories import make_child

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_ua_officer_opens_ua_child_and_cannot_reach_ru_child(browser_page, users):
    ua = make_child(users["ua"], surname="Бондаренко", given_name="Дарина", sex="F")
    ru = make_child(users["ru"], surname="Смирнова", given_name="Алиса", sex="F")
    page = browser_page
    browser_login(page, "ua-officer", "pw-ua-officer")

    page.click("text=Children")
    assert page.locator("table").inner_text().count("Бондаренко") == 1
    assert "Смирнова" not in page.content()

    page.click("text=Бондаренко Дарина")
    assert page.url.endswith(f"/children/{ua.pk}/")
    assert page.locator("h1").inner_text().startswith("Бондаренко")

    response = page.goto(f"{page.base}/children/{ru.pk}/")
    assert response is not None and response.status == 404
    assert "Смирнова" not in page.content()


def test_search_filters_the_children_table_without_reload(browser_page, users):
    make_child(users["ua"], surname="Бондаренко", given_name="Дарина", sex="F")
    make_child(users["ua"], surname="Шевченко", given_name="Тарас")
    page = browser_page
    browser_login(page, "ua-officer", "pw-ua-officer")
    page.goto(page.base + "/children/")
    page.fill("#q", "Шевч")
    page.wait_for_function("() => !document.querySelector('#results').innerText.includes('Бондаренко')")
    assert "Шевченко" in page.locator("#results").inner_text()


def test_mediator_moves_a_case_with_the_offered_button(browser_page, users):
    child = make_child(users["ua"], surname="Мельник")
    page = browser_page
    browser_login(page, "mediator", "pw-mediator")
    page.goto(f"{page.base}/children/{child.pk}/")
    page.click("form.transition button:has-text('Located')")
    assert "The case moves from “Reported” to “Located”." in page.locator("#consequences").inner_text()
    page.click("#confirm")
    page.wait_for_selector("text=Case moved to")
    child.case.refresh_from_db()
    assert child.case.status == "located"
