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


EXPECTED = {  # the reminder of two visits, in each language, and the list filter it opens
    "en": ("2 follow-up visits on cases assigned to you are due.", "My cases: visits to make"),
    "uk": ("Настав час 2 контрольних візитів у справах, доручених вам.", "Мої справи: візити попереду"),
    "ru": ("Пора провести 2 контрольных визита по порученным вам делам.", "Мои дела: предстоящие визиты"),
    "ar": ("حان موعد زيارتي متابعة (2) في الحالات المسندة إليك.", "حالاتي: زيارات قادمة"),
}


@pytest.mark.parametrize("lang", list(EXPECTED))
def test_the_assigned_case_worker_follows_the_follow_up_reminder_to_their_visits_on_a_phone(browser_page, users,
                                                                                              lang):
    import datetime as dt

    from django.utils import timezone

    from homeward.notifications import services as notifications
    from homeward.registry import services as registry
    from homeward.registry.models import Case
    from homeward.returns.services import schedule_follow_ups
    from tests.factories import make_child

    case = make_child(users["ru"], surname="Иванова-Секретная").case
    Case.objects.filter(pk=case.pk).update(status="reunited")
    schedule_follow_ups(case, timezone.localdate() - dt.timedelta(days=100))  # 1- and 3-month visits due
    registry.assign_caseworker(users["mediator"], case, users["caseworker"])
    assert notifications.remind_follow_ups() == 2

    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.context.add_cookies([{"name": "django_language", "value": lang, "url": page.base}])
    browser_login(page, "caseworker", "pw-caseworker")
    page.click("#bell")
    page.wait_for_url("**/notifications/")
    reminder, filter_label = EXPECTED[lang]
    item = page.locator("#notifications li", has_text=reminder)
    assert item.count() == 1 and "Иванова" not in page.content()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    item.locator("a").first.click()
    page.wait_for_url("**/returns/follow-ups/?show=mine")
    assert page.locator("#show option:checked").inner_text().strip() == filter_label
    assert page.locator("#follow-ups tbody tr").count() == 3  # every visit still to make on the case
    assert page.locator("#status-" + str(case.follow_ups.order_by("due").first().pk)).input_value() == ""

    page.goto(page.base + "/notifications/settings/")  # the way back points the way the text reads
    flipped = page.locator("main .flip").first.evaluate("e => getComputedStyle(e).transform")
    assert (flipped != "none") == (lang == "ar")
