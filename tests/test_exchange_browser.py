"""End to end in Chromium: UA uploads a list, the mediator forwards part of it, RU answers two names,
UA sees the answers; RU never sees the unforwarded part."""

from __future__ import annotations

import os
from typing import Any

import pytest

from tests.conftest import browser_login
from tests.factories import UA_ROWS, ua_csv

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECRET_ROW = "Секретенко;Таємна;Іванівна;01.02.2012;ж;Херсон"
SHOTS = os.environ.get("HOMEWARD_SCREENSHOTS")


def shot(page: Any, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, name + ".png"), full_page=True)


def logout(page: Any) -> None:
    page.click("header form button:has-text('Log out')")
    page.wait_for_url("**/login/**")


def test_list_exchange_end_to_end(browser_page, users, settings, tmp_path):
    settings.EXCHANGE_MATCH_ON_IMPORT = False
    f = tmp_path / "ua-sought.csv"
    f.write_bytes(ua_csv([*UA_ROWS, SECRET_ROW]))
    page = browser_page

    # UA uploads, checks the preview, imports.
    browser_login(page, "ua-officer", "pw-ua-officer")
    page.click("nav >> text=Lists")
    page.click("text=Upload a list")
    page.fill("#id_title", "Sought in RU")
    page.set_input_files("#id_file", str(f))
    page.click("main button[type=submit]:has-text('Preview')")
    page.wait_for_selector("text=Preview of the upload")
    assert page.locator("#map_surname").input_value() == "0"
    assert page.locator("#map_birth_date").input_value() == "3"
    assert "cp1251" in page.content()
    shot(page, "1-preview")
    page.click("#import")
    page.wait_for_selector("text=Version 1 of the list imported")
    version_url = page.url
    assert page.locator("#names-table tbody tr").count() == 4
    logout(page)

    # The mediator forwards the first two names.
    browser_login(page, "mediator", "pw-mediator")
    page.goto(version_url)
    page.check("#names-table tr[data-row='2'] input[type=checkbox]")
    page.check("#names-table tr[data-row='3'] input[type=checkbox]")
    page.click("button:has-text('Forward the checked names')")
    assert "2 names of “Sought in RU” v1 will be sent to RU." in page.locator("#consequences").inner_text()
    page.click("#confirm")
    page.wait_for_selector("text=2 names forwarded to RU")
    shot(page, "2-forwarded")
    logout(page)

    # RU sees only those two and answers both.
    browser_login(page, "ru-officer", "pw-ru-officer")
    page.click("nav >> text=Lists")
    assert "Sought in RU" in page.content()
    page.click("text=v1")
    rows = page.locator("#names-table tbody tr")
    assert rows.count() == 2
    assert "Секретенко" not in page.content() and "Шевченко" not in page.content()
    first = page.locator("#names-table tr[data-row='2']")
    first.locator("select[name=status]").select_option("located")
    first.locator("input[name=whereabouts]").fill("Табір Сонечко")
    first.locator("button:has-text('Save')").click()
    page.click("#confirm")
    page.wait_for_selector("text=1 answer recorded")
    second = page.locator("#names-table tr[data-row='3']")
    second.locator("select[name=status]").select_option("not_found")
    second.locator("button:has-text('Save')").click()
    page.click("#confirm")
    page.wait_for_selector("#names-table tr[data-row='3'] .badge:has-text('Not found')")
    shot(page, "3-ru-answered")
    page.goto(version_url + "report/")
    assert "Секретенко" not in page.content()
    response = page.goto(page.base + "/lists/versions/999999/")
    assert response is not None and response.status == 404
    page.goto(page.base + "/lists/")
    logout(page)

    # UA sees the answers; the whereabouts stay restricted.
    browser_login(page, "ua-officer", "pw-ua-officer")
    page.goto(version_url)
    assert "Located" in page.locator("#names-table tr[data-row='2']").inner_text()
    assert "Not found" in page.locator("#names-table tr[data-row='3']").inner_text()
    assert "Табір Сонечко" not in page.content()
    page.click("text=Reconciliation report")
    page.wait_for_selector("text=Ledger evidence of the submission")
    assert "2 answered" in page.content()
    shot(page, "4-ua-report")
