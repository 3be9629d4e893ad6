"""Login lockouts: one counter per account however the username is spelled, and one per address."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.django_db

WIDE_T, WIDE_M, WIDE_P = "\uff54", "\uff4d", "\uff50"  # fullwidth t, m, p: NFKC folds them to ASCII


@pytest.fixture
def tmp2(parties: dict[str, Any]) -> Any:
    from homeward.accounts.models import User

    user = User(username="tmp2", party=parties["UA"], role="party_officer")
    user.set_password("right-password")
    user.save()
    return user


def page_login(client: Any, username: str, password: str, address: str = "10.0.0.1") -> Any:
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def api_login(client: Any, username: str, password: str, address: str = "10.0.0.1") -> Any:
    return client.post("/api/v1/auth/token", {"username": username, "password": password},
                       content_type="application/json", REMOTE_ADDR=address)


def test_fullwidth_spellings_of_a_username_share_one_failure_counter(client, tmp2):
    from homeward.accounts.models import LoginFailure

    for i in range(5):
        spelling = (WIDE_T + "mp2") if i % 2 else ("t" + WIDE_M + "p2")
        assert page_login(client, spelling, "wrong", address=f"10.0.1.{i}").status_code == 200
    assert LoginFailure.objects.values("username_hash").distinct().count() == 1
    # A sixth attempt under yet another spelling is refused before the password is even checked.
    assert page_login(client, "TMP2", "wrong", address="10.0.2.1").status_code == 429


def test_correct_password_under_another_spelling_while_locked_stays_locked(client, tmp2):
    for i in range(5):
        page_login(client, (WIDE_T + "mp2", "t" + WIDE_M + "p2")[i % 2], "wrong", address=f"10.0.1.{i}")
    resp = page_login(client, "tm" + WIDE_P + "2", "right-password", address="10.0.3.3")
    assert resp.status_code == 429
    assert "_auth_user_id" not in client.session
    # The lock was not cleared by that attempt: the plain spelling is still refused too.
    assert page_login(client, "tmp2", "right-password", address="10.0.3.4").status_code == 429


def test_api_token_request_counts_fullwidth_spellings_on_the_same_account(client, tmp2):
    for i in range(5):
        assert api_login(client, ("t" + WIDE_M + "p2", WIDE_T + "mp2")[i % 2], "wrong",
                         address=f"10.0.4.{i}").status_code == 401
    assert api_login(client, "tmp2", "right-password", address="10.0.5.1").status_code == 429


def test_one_address_is_locked_after_failures_across_many_accounts(client, tmp2):
    from homeward.accounts.throttle import ADDRESS_FACTOR

    for i in range(ADDRESS_FACTOR * 5):
        page_login(client, f"nobody-{i}", "wrong", address="10.9.9.9")
    assert page_login(client, "tmp2", "right-password", address="10.9.9.9").status_code == 429
    # The account itself is not locked: from another address its owner still gets in.
    assert page_login(client, "tmp2", "right-password", address="10.9.9.10").status_code == 302


def test_a_correct_login_clears_only_that_account(client, tmp2, users):
    for _ in range(4):
        page_login(client, "tmp2", "wrong")
        page_login(client, "ua-officer", "wrong")
    assert page_login(client, "tmp2", "right-password").status_code == 302
    client.logout()
    page_login(client, "ua-officer", "wrong")
    assert page_login(client, "ua-officer", "pw-ua-officer").status_code == 429
