"""In Chromium: a mediator works through the review queue with the keyboard alone."""

from __future__ import annotations

import pytest

from tests.conftest import browser_login
from tests.factories import make_pairs

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_mediator_reviews_ten_pairs_with_the_keyboard_alone(browser_page, users):
    from homeward.linkage.models import Candidate

    pairs = make_pairs(users, 11)
    page = browser_page
    browser_login(page, "mediator", "pw-mediator")
    page.goto(page.base + "/linkage/review/")
    page.focus("#start-review")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/linkage/review/{pairs[0].pk}/")
    page.keyboard.press("n")  # skip the first pair
    page.wait_for_url(f"**/linkage/review/{pairs[1].pk}/")
    plan = ["s", "d", "u", "s", "d", "u", "s", "d", "u", "u"]
    for i, key in enumerate(plan, start=1):
        page.keyboard.press(key)
        assert page.locator(f".zone[data-for={ {'s': 'same', 'd': 'different', 'u': 'unsure'}[key] }]").is_visible()
        if key == "d":
            page.keyboard.type("Different mothers on the birth certificates")  # the reason box has the focus
        page.keyboard.press("Enter")
        following = f"**/linkage/review/{pairs[i + 1].pk}/" if i + 1 < len(pairs) else "**/linkage/review/"
        page.wait_for_url(following)
    decided = dict(Candidate.objects.filter(pk__in=[p.pk for p in pairs]).values_list("pk", "decision"))
    assert decided[pairs[0].pk] == "pending"
    assert [decided[p.pk] for p in pairs[1:]] == [{"s": "same", "d": "different", "u": "unsure"}[k] for k in plan]
    assert Candidate.objects.get(pk=pairs[2].pk).reason == "Different mothers on the birth certificates"
