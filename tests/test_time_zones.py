"""Times say which zone they are in: the browser's zone (the ``hw_tz`` cookie) when it sent one, UTC
otherwise; legs and hand-overs are shown in UTC with the local time beside it; a bad zone name is ignored."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from homeward.ui.tags import when, when_utc

AT = dt.datetime(2025, 3, 14, 13, 5, tzinfo=dt.UTC)


def test_without_a_zone_a_time_is_shown_in_utc_and_labelled_utc():
    with timezone.override(dt.UTC):
        assert ">2025-03-14 13:05 UTC</time>" in when(AT)


def test_a_time_is_shown_in_the_users_zone_with_its_abbreviation():
    with timezone.override("Europe/Kyiv"):
        shown = when(AT)
    assert ">2025-03-14 15:05 EET</time>" in shown and 'title="Europe/Kyiv"' in shown


def test_a_leg_time_is_in_utc_with_the_local_time_beside_it():
    with timezone.override("Europe/Moscow"):
        shown = when_utc(AT)
    assert "2025-03-14 13:05 UTC" in shown and "(2025-03-14 16:05 MSK)" in shown


def test_a_leg_time_for_a_user_in_utc_is_not_repeated():
    with timezone.override(dt.UTC):
        shown = when_utc(AT)
    assert shown.count("13:05 UTC") == 1 and "(" not in shown


def test_a_missing_time_is_a_dash():
    assert when(None) == "—" and when_utc(None) == "—"


@pytest.fixture
def filed_request(users: dict[str, Any]) -> Any:
    """An NGO's tracing request filed at ``AT``."""
    from homeward.registry import services as registry
    from homeward.registry.models import Person, TracingRequest

    mother = registry.save_new(users["ngo"], Person(surname="Коваль", relationship="mother"))
    request = registry.file_tracing_request(users["ngo"], TracingRequest(surname="Коваль", requester=mother))
    TracingRequest.objects.filter(pk=request.pk).update(created_at=AT)
    return request


@pytest.mark.django_db
def test_the_tracing_page_shows_the_filing_time_in_the_zone_the_browser_reports(client, users, filed_request):
    request = filed_request
    client.force_login(users["ngo"])
    client.cookies["hw_tz"] = "Asia/Qatar"
    body = client.get(f"/tracing/{request.pk}/").content.decode()
    assert "2025-03-14 16:05 +03" in body


@pytest.mark.django_db
@pytest.mark.parametrize("cookie", ["Not/AZone", "../../etc/passwd", "x" * 200])
def test_an_unknown_zone_from_the_browser_falls_back_to_utc(client: Any, users: dict[str, Any], filed_request: Any,
                                                            cookie: str):
    request = filed_request
    client.force_login(users["ngo"])
    client.cookies["hw_tz"] = cookie
    resp = client.get(f"/tracing/{request.pk}/")
    assert resp.status_code == 200 and "2025-03-14 13:05 UTC" in resp.content.decode()
