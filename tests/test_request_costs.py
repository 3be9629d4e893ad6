"""What a request costs beyond its own records, found by profiling the load test's routes
(benchmarks/load/profile_routes.py): work done twice for one page is done once, and what never changes is
not read again for every request."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import import_list

pytestmark = pytest.mark.django_db


def _lists_queries(client: Any, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        resp = client.get(url)
    assert resp.status_code == 200
    return sum(1 for q in ctx.captured_queries if 'FROM "exchange_partylist"' in q["sql"]), resp.content.decode()


@pytest.mark.parametrize("role", ["mediator", "ua"])
def test_the_dashboard_reads_the_lists_progress_once_for_its_work_queue_and_its_progress_panel(
        client: Any, users: dict[str, Any], parties: dict[str, Any], role: str) -> None:
    import_list(users["ua"], parties["UA"], title="Sought by UA", concerning=parties["RU"])
    client.force_login(users[role])
    n, page = _lists_queries(client, "/")
    assert n == 1
    assert "Sought by UA" in page  # the panel still shows the list (to the mediator and to its own party)


def test_the_progress_a_page_shares_is_the_progress_of_the_first_lists_only_when_a_panel_asks_for_fewer(
        users: dict[str, Any], parties: dict[str, Any]) -> None:
    from django.test import RequestFactory

    from homeward.exchange import progress

    for i in range(4):
        import_list(users["ru"], parties["RU"], title=f"List {i}", concerning=parties["UA"],
                    rows=[f"Коваленко{'абвг'[i]};Дарина;;12.04.2013;ж;Херсон"], filename=f"l{i}.csv")
    request = RequestFactory().get("/")
    request.user = users["mediator"]
    everything = progress.for_request(request)
    with CaptureQueriesContext(connection) as ctx:
        first_two = progress.for_request(request, 2)
    assert len(ctx.captured_queries) == 0
    expected = progress.for_user(users["mediator"], 2)
    assert [p.party_list.pk for p in first_two] == [p.party_list.pk for p in expected]
    assert [(p.total, p.forwarded, p.answered) for p in first_two] == [(p.total, p.forwarded, p.answered)
                                                                       for p in expected]
    assert len(everything) == 4 and len(first_two) == 2


def test_the_checkpoint_api_reads_the_cosignatures_once_for_the_note_and_the_list(
        client: Any, users: dict[str, Any], token_for: Any, settings: Any, tmp_path: Any) -> None:
    from homeward.ledger import service

    settings.HOME = tmp_path  # the log key is made here
    service.record_many(service.Record("list_submission", None, "UA", "exchange.list", i, {"n": i})
                        for i in range(3))
    service.make_checkpoint()
    auth = token_for("auditor")
    with CaptureQueriesContext(connection) as ctx:
        resp = client.get("/api/v1/ledger/checkpoint", **auth)
    assert resp.status_code == 200 and resp.json()["size"] >= 3
    assert sum(1 for q in ctx.captured_queries if 'FROM "ledger_cosignature"' in q["sql"]) == 1
