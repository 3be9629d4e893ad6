"""API tokens: named, expiring, listed and revoked by their owner (page, API, CLI), revoked by a password
change or a deactivation, and never a pile of live tokens from repeated requests."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from click.testing import CliRunner

pytestmark = pytest.mark.django_db


def obtain(client: Any, username: str, **extra: Any) -> Any:
    return client.post("/api/v1/auth/token", {"username": username, "password": "pw-" + username, **extra},
                       content_type="application/json")


def bearer(raw: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": "Bearer " + raw}


def me_status(client: Any, raw: str) -> int:
    """What the token alone gets (a fresh client: no session cookie to fall back on)."""
    from django.test import Client

    return Client().get("/api/v1/auth/me", **bearer(raw)).status_code


def test_token_response_names_its_id_name_and_expiry_30_days_ahead(client, users):
    from django.utils import timezone

    body = obtain(client, "ua-officer", name="ledger-sync").json()
    assert body["name"] == "ledger-sync"
    expires = dt.datetime.fromisoformat(body["expires_at"])
    assert abs(expires - (timezone.now() + dt.timedelta(days=30))) < dt.timedelta(minutes=1)
    assert me_status(client, body["token"]) == 200


def test_a_shorter_lifetime_may_be_asked_for_but_not_a_longer_one(client, users):
    from django.utils import timezone

    body = obtain(client, "ua-officer", days=2).json()
    assert dt.datetime.fromisoformat(body["expires_at"]) < timezone.now() + dt.timedelta(days=2, minutes=1)
    resp = obtain(client, "ua-officer", days=31)
    assert resp.status_code == 422
    assert "days" in resp.json()["errors"]


def test_lifetime_follows_the_setting(client, users, settings):
    from django.utils import timezone

    settings.API_TOKEN_DAYS = 7
    body = obtain(client, "ua-officer").json()
    assert dt.datetime.fromisoformat(body["expires_at"]) < timezone.now() + dt.timedelta(days=7, minutes=1)


def test_expired_token_is_401(client, users):
    from django.utils import timezone

    from homeward.accounts.models import ApiToken

    raw = obtain(client, "ua-officer").json()["token"]
    assert me_status(client, raw) == 200
    ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert me_status(client, raw) == 401


def test_revoked_token_is_401(client, users):
    first = obtain(client, "ua-officer", name="one").json()
    second = obtain(client, "ua-officer", name="two").json()
    resp = client.delete(f"/api/v1/auth/tokens/{first['id']}", **bearer(second["token"]))
    assert resp.status_code == 204
    assert me_status(client, first["token"]) == 401
    assert me_status(client, second["token"]) == 200


def test_a_revoked_expired_or_unknown_token_is_401_even_beside_a_signed_in_session(client, users):
    from django.utils import timezone

    from homeward.accounts.models import ApiToken

    revoked = obtain(client, "ua-officer", name="one").json()
    expired = obtain(client, "ua-officer", name="two").json()
    client.delete(f"/api/v1/auth/tokens/{revoked['id']}", **bearer(expired["token"]))
    ApiToken.objects.filter(pk=expired["id"]).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    client.force_login(users["ua"])
    assert client.get("/api/v1/auth/me").status_code == 200  # the session alone is a session
    for raw in (revoked["token"], expired["token"], "hw_not-a-token", ""):
        assert client.get("/api/v1/auth/me", **bearer(raw)).status_code == 401
        assert client.get("/api/v1/children", HTTP_AUTHORIZATION="bearer " + raw).status_code == 401


def test_a_bearer_request_is_the_tokens_user_not_the_sessions(client, users):
    raw = obtain(client, "ru-officer").json()["token"]
    client.force_login(users["ua"])
    assert client.get("/api/v1/auth/me", **bearer(raw)).json()["username"] == "ru-officer"
    assert client.get("/api/v1/auth/me").json()["username"] == users["ua"].username


def test_a_token_may_revoke_itself(client, users):
    body = obtain(client, "ua-officer").json()
    assert client.delete(f"/api/v1/auth/tokens/{body['id']}", **bearer(body["token"])).status_code == 204
    assert me_status(client, body["token"]) == 401


def test_other_users_token_id_is_404_and_stays_live(client, users):
    ua = obtain(client, "ua-officer").json()
    ru = obtain(client, "ru-officer").json()
    resp = client.delete(f"/api/v1/auth/tokens/{ru['id']}", **bearer(ua["token"]))
    assert resp.status_code == 404
    assert me_status(client, ru["token"]) == 200


def test_absent_and_huge_token_ids_are_404(client, users):
    ua = obtain(client, "ua-officer").json()
    assert client.delete("/api/v1/auth/tokens/999999", **bearer(ua["token"])).status_code == 404
    assert client.delete(f"/api/v1/auth/tokens/{10**20}", **bearer(ua["token"])).status_code == 404


def test_token_list_shows_own_tokens_only_and_never_their_values(client, users):
    ua = obtain(client, "ua-officer", name="laptop").json()
    obtain(client, "ru-officer", name="ru-script")
    resp = client.get("/api/v1/auth/tokens", **bearer(ua["token"]))
    assert resp.status_code == 200
    rows = resp.json()
    assert [r["name"] for r in rows] == ["laptop"]
    assert rows[0]["status"] == "active" and rows[0]["prefix"] == ua["token"][:8]
    assert ua["token"] not in resp.content.decode()


def test_asking_again_under_the_same_name_replaces_the_token(client, users):
    from homeward.accounts import tokens
    from homeward.accounts.models import ApiToken

    old = obtain(client, "ua-officer", name="nightly").json()["token"]
    new = obtain(client, "ua-officer", name="nightly").json()["token"]
    assert me_status(client, old) == 401
    assert me_status(client, new) == 200
    assert tokens.active(users["ua"]).count() == 1
    assert ApiToken.objects.get(prefix=old[:8]).revoked_reason == "replaced"


def test_live_tokens_per_user_are_capped(client, users, settings):
    settings.API_TOKEN_MAX_ACTIVE = 3
    for i in range(3):
        assert obtain(client, "ua-officer", name=f"t{i}").status_code == 200
    resp = obtain(client, "ua-officer", name="t3")
    assert resp.status_code == 422
    assert "revoke one" in resp.json()["detail"]
    # replacing an existing name is still allowed at the cap
    assert obtain(client, "ua-officer", name="t1").status_code == 200


def test_password_change_revokes_every_token(client, users):
    raw = obtain(client, "ua-officer").json()["token"]
    other = obtain(client, "ru-officer").json()["token"]
    user = users["ua"]
    user.set_password("a new passphrase")
    user.save()
    assert me_status(client, raw) == 401
    assert me_status(client, other) == 200


def test_saving_a_user_without_a_new_password_keeps_tokens(client, users):
    raw = obtain(client, "ua-officer").json()["token"]
    user = users["ua"]
    user.first_name = "Olena"
    user.save()
    assert me_status(client, raw) == 200


def test_deactivation_revokes_tokens_and_reactivation_does_not_revive_them(client, users):
    from homeward.accounts.models import ApiToken

    raw = obtain(client, "ua-officer").json()["token"]
    user = users["ua"]
    user.is_active = False
    user.save()
    assert ApiToken.objects.get().revoked_reason == "deactivated"
    user.is_active = True
    user.save()
    assert me_status(client, raw) == 401


def test_token_issue_and_revoke_are_audited_without_the_token(client, users):
    from homeward.accounts.models import AuditEvent

    body = obtain(client, "ua-officer").json()
    client.delete(f"/api/v1/auth/tokens/{body['id']}", **bearer(body["token"]))
    events = list(AuditEvent.objects.order_by("id").values_list("action", "object_type", "object_id"))
    assert events == [("token", "apitoken", str(body["id"])), ("token_revoke", "apitoken", str(body["id"]))]


# --- the page ------------------------------------------------------------------------------------------


def test_tokens_page_creates_a_token_shown_once_and_lists_it(client, users):
    from homeward.accounts.models import ApiToken

    client.force_login(users["ua"])
    resp = client.post("/account/tokens/", {"name": "my script", "days": "10"})
    assert resp.status_code == 200
    raw = resp.context["new_token"]["raw"]
    assert raw in resp.content.decode()
    assert me_status(client, raw) == 200
    again = client.get("/account/tokens/")
    assert "my script" in again.content.decode() and raw not in again.content.decode()
    assert ApiToken.objects.get().expires_at < ApiToken.objects.get().created_at + dt.timedelta(days=10, seconds=1)


def test_tokens_page_refuses_a_blank_name_naming_the_field(client, users):
    client.force_login(users["ua"])
    resp = client.post("/account/tokens/", {"name": "  ", "days": "10"})
    assert resp.status_code == 422
    assert resp.context["errors"]["name"]


def test_tokens_page_lists_only_own_tokens(client, users):
    from homeward.accounts import tokens

    tokens.issue(users["ru"], name="ru-secret-script")
    client.force_login(users["ua"])
    assert "ru-secret-script" not in client.get("/account/tokens/").content.decode()


def test_tokens_page_revokes_own_token(client, users):
    from homeward.accounts import tokens

    token, raw = tokens.issue(users["ua"], name="x")
    client.force_login(users["ua"])
    resp = client.post(f"/account/tokens/{token.pk}/revoke/")
    assert resp.status_code == 302
    assert me_status(client, raw) == 401


def test_tokens_page_revoking_another_users_token_is_404(client, users):
    from homeward.accounts import tokens

    token, raw = tokens.issue(users["ru"], name="x")
    client.force_login(users["ua"])
    assert client.post(f"/account/tokens/{token.pk}/revoke/").status_code == 404
    assert me_status(client, raw) == 200


def test_tokens_page_needs_sign_in(client, users):
    resp = client.get("/account/tokens/")
    assert resp.status_code == 302 and "/login/" in resp["Location"]


# --- the command line ----------------------------------------------------------------------------------


def cli(*args: str) -> Any:
    from homeward.cli import main

    return CliRunner().invoke(main, list(args))


def test_cli_lists_a_users_tokens(users):
    from homeward.accounts import tokens

    token, raw = tokens.issue(users["ua"], name="backup-job")
    result = cli("tokens", "list", "ua-officer")
    assert result.exit_code == 0, result.output
    assert "backup-job" in result.output and raw[:8] in result.output and "active" in result.output
    assert raw not in result.output


def test_cli_revokes_one_token_and_refuses_another_users_id(client, users):
    from homeward.accounts import tokens

    token, raw = tokens.issue(users["ua"], name="a")
    ru_token, ru_raw = tokens.issue(users["ru"], name="b")
    refused = cli("tokens", "revoke", "ua-officer", str(ru_token.pk))
    assert refused.exit_code != 0 and "has no token" in refused.output
    assert me_status(client, ru_raw) == 200
    result = cli("tokens", "revoke", "ua-officer", str(token.pk))
    assert result.exit_code == 0, result.output
    assert me_status(client, raw) == 401


def test_cli_revokes_all_tokens_of_a_user(client, users):
    from homeward.accounts import tokens

    raws = [tokens.issue(users["ua"], name=n)[1] for n in ("a", "b")]
    result = cli("tokens", "revoke", "ua-officer", "--all")
    assert result.exit_code == 0 and "2 token(s)" in result.output
    assert [me_status(client, r) for r in raws] == [401, 401]


# --- the account page and changing the password ---------------------------------------------------------


def test_account_page_opens_for_every_role(client, users):
    for user in users.values():
        client.force_login(user)
        resp = client.get("/account/")
        assert resp.status_code == 200, user.username
        assert 'href="/account/tokens/"' in resp.content.decode()


def test_password_change_page_revokes_tokens_and_keeps_this_session(client, users):
    from homeward.accounts import tokens

    _token, raw = tokens.issue(users["ua"], name="script")
    client.force_login(users["ua"])
    resp = client.post("/account/password/", {"old_password": "pw-ua-officer", "new_password1": "a new passphrase",
                                               "new_password2": "a new passphrase"})
    assert resp.status_code == 302 and resp["Location"] == "/account/"
    assert me_status(client, raw) == 401
    assert client.get("/account/").status_code == 200
    users["ua"].refresh_from_db()
    assert users["ua"].check_password("a new passphrase")


def test_password_change_with_a_wrong_old_password_or_a_short_one_changes_nothing(client, users):
    from homeward.accounts import tokens

    _token, raw = tokens.issue(users["ua"], name="script")
    client.force_login(users["ua"])
    wrong = client.post("/account/password/", {"old_password": "nope", "new_password1": "a new passphrase",
                                                "new_password2": "a new passphrase"})
    assert wrong.status_code == 200 and "old_password" in wrong.context["form"].errors
    short = client.post("/account/password/", {"old_password": "pw-ua-officer", "new_password1": "short",
                                                "new_password2": "short"})
    assert short.status_code == 200 and "new_password2" in short.context["form"].errors
    assert me_status(client, raw) == 200


def _orm_lookup(raw: str) -> Any:
    """The token's user as the ORM read it before ``tokens.authenticate`` wrote its one statement."""
    from django.utils import timezone

    from homeward.accounts.models import ApiToken
    from homeward.accounts.tokens import _hash

    token = (ApiToken.objects.select_related("user", "user__party")
             .filter(key_hash=_hash(raw), revoked_at__isnull=True, expires_at__gt=timezone.now(),
                     user__is_active=True).first())
    return None if token is None else token.user


def test_a_tokens_user_is_read_with_their_party_in_one_statement_as_the_orm_reads_them(users, parties):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from homeward.accounts import tokens
    from homeward.accounts.models import ApiToken, User

    live = {role: ApiToken.issue(users[role], name="a") for role in ("ua", "ru", "mediator", "ngo", "auditor")}
    partyless = User.objects.create_user("no-party", password="pw-no-party-long", party=None)
    live["partyless"] = ApiToken.issue(partyless, name="a")
    revoked, expired, inactive = (ApiToken.issue(users["ua"], name=n) for n in ("revoked", "expired", "inactive"))
    ApiToken.objects.filter(name="revoked").update(revoked_at=timezone.now())
    ApiToken.objects.filter(name="expired").update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    gone = User.objects.create_user("gone", password="pw-gone-long-enough", party=parties["UA"])
    inactive = ApiToken.issue(gone, name="a")
    User.objects.filter(pk=gone.pk).update(is_active=False)  # not save(): that would revoke the token itself
    for raw in [*live.values(), revoked, expired, inactive, "hw_no-such-token", ""]:
        want = _orm_lookup(raw)
        tokens.authenticate(raw)  # its first use: the token's last use is written
        with CaptureQueriesContext(connection) as ctx:
            got = tokens.authenticate(raw)
        if want is None:
            assert got is None, raw
            continue
        assert got is not None and got.pk == want.pk
        assert {f.attname: getattr(got, f.attname) for f in User._meta.concrete_fields} == {
            f.attname: getattr(want, f.attname) for f in User._meta.concrete_fields}
        assert User._meta.get_field("party").is_cached(got)
        assert (got.party and (got.party.pk, got.party.code, got.party.name, got.party.kind)) == (
            want.party and (want.party.pk, want.party.code, want.party.name, want.party.kind))
        assert got.party_code == want.party_code and got._state.db == want._state.db and not got._state.adding
        assert len(ctx.captured_queries) == 1  # used within the minute: its last use is not written again
    token = ApiToken.objects.get(user=users["ua"], name="a")
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now() - dt.timedelta(minutes=2))
    with CaptureQueriesContext(connection) as ctx:
        assert tokens.authenticate(live["ua"]) == users["ua"]
    assert len(ctx.captured_queries) == 2
    token.refresh_from_db()
    assert token.last_used_at is not None and timezone.now() - token.last_used_at < dt.timedelta(seconds=10)
