"""In Chromium: the mediator sees the bell's unread count, opens the list and follows a notification."""

from __future__ import annotations

import pytest

from tests.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

UA_LIST = ("Прізвище;Ім'я;По батькові;Дата народження;Стать;Місце народження\n"
           "Ткаченко;Олександр;Петрович;05.03.2014;ч;Херсон\n"
           "Бондаренко;Максим;Сергійович;03.09.2011;ч;Маріуполь\n").encode("cp1251")


def test_mediator_sees_the_bell_count_opens_the_list_and_follows_the_link(browser_page, users, parties,
                                                                            settings):
    from homeward.exchange import services

    settings.EXCHANGE_MATCH_ON_IMPORT = False
    version = services.import_list(users["ua"], party=parties["UA"], title="Sought in RU", filename="ua.csv",
                                   data=UA_LIST, concerning=parties["RU"], via="cli").version
    services.forward(users["mediator"], version)
    services.respond(users["ru"], [services.Answer(e, "located") for e in version.entries.all()])

    page = browser_page
    browser_login(page, "mediator", "pw-mediator")
    assert page.locator("#bell-count").inner_text() == "1"
    assert "1 unread" in (page.locator("#bell").get_attribute("aria-label") or "")
    page.set_viewport_size({"width": 390, "height": 844})  # on a phone the bell stays outside the folded menu
    assert page.locator("#bell-count").is_visible() and not page.locator("#menu nav").is_visible()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.click("#bell")
    page.wait_for_url("**/notifications/")
    item = page.locator("#notifications li").first
    assert "2 answers received on list version" in item.inner_text()
    assert "Ткаченко" not in page.content() and "Бондаренко" not in page.content()
    item.locator("a").first.click()
    page.wait_for_url(f"**/lists/versions/{version.pk}/")
    assert page.locator("h1").count() == 1
    assert page.locator("#bell-count").count() == 0, "the opened notification is read"
