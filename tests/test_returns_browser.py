"""End to end in Chromium: the mediator plans a return operation, adds cleared children, both parties
sign each hand-over, and the children's cases end reunited."""

from __future__ import annotations

import re

import pytest

from tests.conftest import browser_login
from tests.factories import cleared_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _logout(page):
    page.click("header button:has-text('Log out')")
    page.wait_for_url(re.compile(r".*/login/.*"))


def _sign(page, handover_pk, side):
    page.goto(f"{page.base}/returns/handovers/{handover_pk}/")
    page.check(f"#confirm-{side}")
    page.click(f"#sign-{side} button[type=submit]")
    page.wait_for_selector("text=Signed.")


def test_mediator_plans_return_operation_parties_sign_handovers_and_cases_are_reunited(browser_page, users):
    from homeward.returns.models import ReturnOperation

    ru_case = cleared_case(users["ru"], users["mediator"], surname="Смирнова", given_name="Алиса", sex="F")
    ua_case = cleared_case(users["ua"], users["mediator"], surname="Гончаренко", given_name="Назар")
    page = browser_page
    browser_login(page, "mediator", "pw-mediator")

    # Plan the operation.
    page.click("nav >> text=Returns")
    page.click("text=Plan an operation")
    page.fill("#id_name", "Return operation Doha")
    page.select_option("#id_from_party", "RU")
    page.select_option("#id_to_party", "UA")
    page.fill("#id_planned_start", "02/03/2026")
    page.fill("#id_planned_end", "04/03/2026")
    page.fill("#id_capacity", "6")
    page.click("main button:has-text('Create')")
    page.wait_for_selector("text=Operation #")
    op = ReturnOperation.objects.get(name="Return operation Doha")
    assert page.url.endswith(f"/returns/{op.pk}/")

    # Add the cleared children.
    for case in (ru_case, ua_case):
        page.select_option("#case_id", str(case.pk))
        page.click("#add-child button[type=submit]")
        page.wait_for_selector(f"text=Case #{case.pk} added.")
    assert page.locator("#people").inner_text() == "2"

    # One leg, a hand-over before it and the final hand-over after it.
    page.click("#add-leg summary")
    page.fill("#id_leg-from_place", "Moscow")
    page.select_option("#id_leg-from_country_0", "RU")
    page.fill("#id_leg-to_place", "Doha")
    page.select_option("#id_leg-to_country_0", "QA")
    page.select_option("#id_leg-mode", "charter_flight")
    page.click("#add-leg button[type=submit]")
    page.wait_for_selector("text=Leg added.")
    for before, place, src, dst, final in ((1, "Embassy of Qatar", "RU", "QA", False),
                                           (2, "Doha airport", "QA", "UA", True)):
        page.click("#add-handover summary")
        page.select_option("#id_handover-point", str(before))
        page.fill("#id_handover-place", place)
        page.select_option("#id_handover-from_party", src)
        page.select_option("#id_handover-to_party", dst)
        if final:
            page.check("#id_handover-final")
        page.click("#add-handover button[type=submit]")
        page.wait_for_selector("text=Hand-over planned.")
    assert page.locator("svg polygon").count() == 2  # both hand-overs on the route diagram
    page.click("form.transition button:has-text('Confirmed')")
    page.wait_for_selector("#op-status:has-text('Confirmed')")

    first, final = list(op.handovers.order_by("before_leg"))
    # The leg cannot start before the first sign-off: the page says what is missing.
    page.click("#start-leg-1")
    page.click("#confirm")
    page.wait_for_selector(".msg.error")
    assert "signed by both parties" in page.locator(".msg.error").inner_text()

    # The mediator receives, Russia hands over.
    _sign(page, first.pk, "receiving")
    _logout(page)
    browser_login(page, "ru-officer", "pw-ru-officer")
    page.goto(f"{page.base}/returns/handovers/{first.pk}/")
    assert "Смирнова" in page.content() and "Гончаренко" not in page.content()  # only its own child's data
    _sign(page, first.pk, "handing")
    assert page.locator("#handover-state").inner_text() == "Signed by both parties"
    _logout(page)

    # The flight, then the final hand-over: the mediator hands over, Ukraine receives.
    browser_login(page, "mediator", "pw-mediator")
    page.goto(f"{page.base}/returns/{op.pk}/")
    assert page.locator("#members").inner_text().count("QA") >= 2  # custody now with the mediator
    page.click("#start-leg-1")
    page.click("#confirm")  # what starting the leg does, then confirm
    page.wait_for_selector("text=Leg 1 started.")
    page.click("#arrive-leg-1")
    page.click("#confirm")
    page.wait_for_selector("text=Leg 1 arrived.")
    _sign(page, final.pk, "handing")
    _logout(page)
    browser_login(page, "ua-officer", "pw-ua-officer")
    _sign(page, final.pk, "receiving")
    assert page.locator("#handover-state").inner_text() == "Signed by both parties"

    for case in (ru_case, ua_case):
        case.refresh_from_db()
        assert case.status == "reunited"
    op.refresh_from_db()
    assert op.status == "completed"
    page.goto(f"{page.base}/returns/{op.pk}/")
    assert page.locator("#op-status").inner_text() == "Completed"
    assert "Смирнова" not in page.content()
