"""Each role's journey in Chromium, asserting what the user sees: the mediator forwards names after a
confirmation that says what will be sent and to whom; a party officer registers a child with a mistyped date
and loses nothing; an NGO case worker files a tracing request from the dashboard; an escort's party officer
signs a hand-over on a 390 px phone. With HOMEWARD_SCREENSHOTS=DIR each step is saved, in en, uk, ru and ar."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGS = ["en", "uk", "ru", "ar"]
SHOTS = os.environ.get("HOMEWARD_SCREENSHOTS", "")


def shot(page: Any, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def set_language(page: Any, lang: str) -> None:
    page.context.add_cookies([{"name": "django_language", "value": lang, "url": page.base}])


def no_horizontal_scroll(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"))


def test_mediator_forwards_names_only_after_confirming_what_goes_to_whom(browser_page, users, parties, settings):
    from homeward.exchange import services
    from homeward.exchange.models import ListEntry
    from tests.factories import ua_csv

    settings.EXCHANGE_MATCH_ON_IMPORT = False
    version = services.import_list(users["ua"], party=parties["UA"], title="Sought in RU", filename="l.csv",
                                   data=ua_csv()).version
    n = version.entries.count()
    page = browser_page
    browser_login(page, "mediator", "pw-mediator")
    page.click("#work-forward")  # the dashboard card leads to the names still to forward
    page.wait_for_url(re.compile(rf".*/lists/versions/{version.pk}/\?show=unforwarded"))
    assert page.locator("#fwd-selected").is_disabled()  # nothing ticked yet
    assert page.locator("#fwd-selected-why").is_visible()
    shot(page, "mediator-1-version")
    page.click("#fwd-all")
    assert f"{n} names of “Sought in RU” v1 will be sent to RU." in page.locator("#consequences").inner_text()
    assert "ledger" in page.locator("#consequences").inner_text()
    shot(page, "mediator-2-confirm")
    page.click("#cancel")
    assert ListEntry.objects.filter(forwarding__isnull=False).count() == 0  # cancelling sent nothing
    page.click("#fwd-all")
    page.click("#confirm")
    page.wait_for_selector(f"text={n} names forwarded to RU")
    assert page.locator("#fwd-all").is_disabled()
    assert "Every name of this version has been forwarded already." in page.content()
    shot(page, "mediator-3-forwarded")


@pytest.mark.parametrize("lang", LANGS)
def test_party_officer_registers_a_child_with_a_mistyped_date_and_loses_nothing(browser_page, users, lang):
    from homeward.registry.models import Child

    page = browser_page
    browser_login(page, "ua-officer", "pw-ua-officer")
    set_language(page, lang)
    page.goto(page.base + "/children/new/")
    assert page.locator("#id_birth_date").get_attribute("type") == "text"
    page.fill("#id_surname", "Гнатюк")
    page.fill("#id_given_name", "Оля")
    page.fill("#id_birth_place", "Херсон")
    page.fill("#id_birth_date", "31/02/2013")
    page.click("main form button[type=submit]")
    page.wait_for_selector("#id_birth_date-error")
    assert "28" in page.locator("#id_birth_date-error").inner_text()  # February 2013 has only 28 days
    assert page.input_value("#id_birth_date") == "31/02/2013" and page.input_value("#id_surname") == "Гнатюк"
    assert page.input_value("#id_birth_place") == "Херсон"
    assert Child.objects.count() == 0
    shot(page, f"officer-{lang}-1-bad-date")
    page.fill("#id_birth_date", "28.02.2013")
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r".*/children/\d+/$"))
    assert Child.objects.get().birth_date.isoformat() == "2013-02-28"
    assert "2013-02-28" in page.content()
    shot(page, f"officer-{lang}-2-registered")


@pytest.mark.parametrize("lang", LANGS)
def test_ngo_files_a_tracing_request_from_the_dashboard(browser_page, users, lang):
    from homeward.registry.models import TracingRequest

    page = browser_page
    browser_login(page, "ngo-worker", "pw-ngo-worker")
    set_language(page, lang)
    page.goto(page.base + "/")
    nav = page.locator("nav[aria-label]").inner_html()
    assert "/lists/" not in nav and "/returns/" not in nav
    shot(page, f"ngo-{lang}-1-dashboard")
    page.click("#new-tracing")
    page.click("main form button[type=submit]")  # empty: refused, nothing filed
    page.wait_for_selector(".msg.error")
    assert TracingRequest.objects.count() == 0
    page.fill("#id_requester-surname", "Мельник")
    page.fill("#id_requester-given_name", "Ірина")
    page.select_option("#id_requester-relationship", "mother")
    page.fill("#id_surname", "Мельник")
    page.fill("#id_given_name", "Артем")
    page.fill("#id_last_known_location", "Маріуполь")
    shot(page, f"ngo-{lang}-2-form")
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r".*/tracing/\d+/$"))
    assert page.locator("#requester-name").inner_text() == "Мельник Ірина"
    shot(page, f"ngo-{lang}-3-request")
    page.set_viewport_size({"width": 390, "height": 844})  # on a phone the status stays a badge, not a bar
    assert page.locator("#tracing-status").bounding_box()["width"] < 390 / 3
    assert no_horizontal_scroll(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(page.base + "/")
    assert page.locator("#work-tracing_open .n").inner_text() == "1"


@pytest.mark.parametrize("lang", LANGS)
def test_escort_signs_a_hand_over_on_a_phone(browser_page, users, parties, lang):
    from tests.factories import cleared_case, planned_operation

    case = cleared_case(users["ru"], users["mediator"], surname="Шевченко", given_name="Тарас")
    op = planned_operation(users, parties, [case])
    first = op.handovers.get(before_leg=1)
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    browser_login(page, "ru-officer", "pw-ru-officer")
    set_language(page, lang)
    page.goto(page.base + "/")
    assert page.locator("#menu-toggle").is_visible() and not page.locator("#menu nav").is_visible()
    page.click("#menu-toggle")
    assert page.locator("#menu nav").is_visible()
    page.click("#work-sign")
    page.wait_for_url(re.compile(rf".*/returns/handovers/{first.pk}/$"))
    assert no_horizontal_scroll(page)
    box = page.locator("#sign-handing button[type=submit]").bounding_box()
    assert box is not None and box["height"] >= 40 and box["width"] <= 390
    assert page.locator("#sign-consequences").is_visible()
    shot(page, f"escort-{lang}-1-sign-off")
    page.check("#confirm-handing")
    page.click("#sign-handing button[type=submit]")
    page.wait_for_selector(".msg.success")
    assert first.signatures.count() == 1
    assert no_horizontal_scroll(page)
    shot(page, f"escort-{lang}-2-signed")
