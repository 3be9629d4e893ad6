"""Specification of the public statistics as dated snapshots that cannot be differenced (issue 13, item 7)."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from tests.factories import login, make_child

pytestmark = pytest.mark.django_db
THRESHOLD = 5


def reunite_many(users, counts: dict[tuple[int, int], int]) -> None:
    from homeward.registry.models import CaseEvent

    for (year, month), n in counts.items():
        for i in range(n):
            child = make_child(users["ua"], surname=f"R{year}{month:02d}{i}")
            CaseEvent.objects.create(case=child.case, from_status="in_transit", to_status="reunited",
                                     actor=users["mediator"], actor_party="QA",
                                     at=dt.datetime(year, month, 12, tzinfo=dt.UTC))


def publish(client, users) -> None:
    login(client, users["mediator"])
    assert client.post("/figures/snapshots/").status_code == 302
    client.logout()


def _prev(month: str) -> str:
    y, m = int(month[:4]), int(month[5:])
    return f"{y - (m == 1):04d}-{(m - 2) % 12 + 1:02d}"


def _next(month: str) -> str:
    y, m = int(month[:4]), int(month[5:])
    return f"{y + (m == 12):04d}-{m % 12 + 1:02d}"


def published_intervals(client) -> set[tuple[str, str, int]]:
    """Every (first month, last month, count) a visitor can read off the public JSON and the page's chart."""
    facts: set[tuple[str, str, int]] = set()
    data = json.loads(client.get("/stats/figures.json").content)
    for r in data["figures"]:
        if not r["series"].startswith("verified") or r["value"] is None:
            continue
        last = r["as_of"][:7]
        first = "0000-01" if r["series"] == "verified_cumulative" else r.get("period_from", last)
        facts.add((first, last, int(r["value"])))
    page = client.get("/stats/").content.decode()
    for value, day in re.findall(r"Homeward \(verified, cumulative\): (\d+) — (\d{4}-\d{2})-\d{2}", page):
        facts.add(("0000-01", day, int(value)))
    return facts


def derivable(facts: set[tuple[str, str, int]]) -> set[tuple[str, str, int]]:
    """Close the published intervals under subtraction: [a, c] − [a, b] = [b+1, c]; [a, c] − [b, c] = [a, b−1]."""
    known = set(facts)
    for _ in range(6):
        new = set()
        for a1, b1, n1 in known:
            for a2, b2, n2 in known:
                if a1 == a2 and b2 < b1:
                    new.add((_next(b2), b1, n1 - n2))
                if b1 == b2 and a1 < a2:
                    new.add((a1, _prev(a2), n1 - n2))
        if new <= known:
            break
        known |= new
    return known


def test_no_published_number_minus_another_gives_a_cell_under_the_threshold(client, users) -> None:
    # the case: a running total of 39 by June 2024, then July 3 and August 6 (48 − 39 − 6 = 3)
    reunite_many(users, {(2024, 5): 20, (2024, 6): 19, (2024, 7): 3, (2024, 8): 6, (2024, 9): 2})
    publish(client, users)
    facts = published_intervals(client)
    assert facts, "the published statistics show the verified series"
    small = sorted((a, b, n) for a, b, n in derivable(facts) if 0 < n < THRESHOLD)
    assert small == [], small


def test_the_public_statistics_do_not_move_when_a_record_is_saved(client, users) -> None:
    reunite_many(users, {(2024, 3): 6})
    publish(client, users)
    before = [client.get(u).content for u in ("/stats/figures.json", "/api/v1/figures/stats")]
    reunite_many(users, {(2024, 4): 7, (2024, 5): 1})
    assert [client.get(u).content for u in ("/stats/figures.json", "/api/v1/figures/stats")] == before
    publish(client, users)
    data = json.loads(client.get("/stats/figures.json").content)
    assert [(r["period_from"], r["period_to"], r["value"]) for r in data["figures"] if r["series"] == "verified"] == [
        ("2024-03", "2024-03", 6), ("2024-04", "2024-04", 7)]  # May's single case waits for a later period
    assert data["snapshot"]["published_at"]


def test_a_new_snapshot_keeps_the_published_periods_and_totals_move_in_steps_of_the_threshold(client, users) -> None:
    from homeward.figures.models import StatsSnapshot

    reunite_many(users, {(2024, 1): 5, (2024, 2): 2})
    publish(client, users)
    reunite_many(users, {(2024, 1): 1, (2024, 3): 4})  # one recorded late for January
    publish(client, users)
    first, second = StatsSnapshot.objects.order_by("published_at", "id")
    assert second.data["periods"][:1] == first.data["periods"] == [
        {"from": "2024-01", "to": "2024-01", "count": 5, "cumulative": 5}]
    assert second.data["periods"][1:] == [{"from": "2024-02", "to": "2024-03", "count": 7, "cumulative": 12}]
    for a, b in zip(first.data["case_totals"], second.data["case_totals"], strict=True):
        if a["count"] is not None and b["count"] is not None:
            assert a["count"] % THRESHOLD == 0 and b["count"] % THRESHOLD == 0
            assert a["count"] == b["count"] or abs(a["count"] - b["count"]) >= THRESHOLD


def test_the_month_under_way_is_never_counted(users) -> None:
    from homeward.figures import services

    now = dt.datetime(2024, 7, 20, tzinfo=dt.UTC)
    reunite_many(users, {(2024, 6): 5, (2024, 7): 9})
    data = services.build_snapshot(now)
    assert data["periods"] == [{"from": "2024-06", "to": "2024-06", "count": 5, "cumulative": 5}]


@pytest.mark.parametrize("who", ["ua", "ru", "ngo", "auditor"])
def test_only_mediators_publish_statistics(client, users, who) -> None:
    from homeward.figures.models import StatsSnapshot

    login(client, users[who])
    assert client.get("/figures/snapshots/").status_code == 404
    assert client.post("/figures/snapshots/").status_code == 404
    assert StatsSnapshot.objects.count() == 0


def test_before_any_publication_the_public_page_says_so_and_shows_no_registry_count(client, users) -> None:
    reunite_many(users, {(2024, 3): 6})
    page = client.get("/stats/").content.decode()
    assert "No statistics have been published yet." in page
    data = json.loads(client.get("/stats/figures.json").content)
    assert data["snapshot"] is None and [r for r in data["figures"] if r["series"].startswith("verified")] == []
