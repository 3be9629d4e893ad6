"""A small world with something in every queue: a UA list forwarded in part to RU, a tracing request of the
NGO, a candidate pair, a return operation awaiting signatures, an overdue follow-up visit."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest


@pytest.fixture
def world(users: dict[str, Any], parties: dict[str, Any], settings: Any) -> dict[str, Any]:
    from homeward.exchange import services as exchange
    from homeward.linkage.models import Candidate
    from homeward.registry import services as registry
    from homeward.registry.models import Person, TracingRequest
    from homeward.returns.models import FollowUp
    from tests.factories import cleared_case, planned_operation, ua_csv

    settings.EXCHANGE_MATCH_ON_IMPORT = False
    version = exchange.import_list(users["ua"], party=parties["UA"], title="Sought in RU", filename="l.csv",
                                   data=ua_csv()).version
    first = version.entries.order_by("row").first()
    exchange.forward(users["mediator"], version, [first.pk])
    mother = registry.save_new(users["ngo"], Person(surname="Коваль", relationship="mother"))
    request = registry.file_tracing_request(users["ngo"], TracingRequest(surname="Коваль", requester=mother))
    case = cleared_case(users["ru"], users["mediator"], surname="Шевченко")
    op = planned_operation(users, parties, [case])
    Candidate.objects.create(left_type="child", left_id=case.child_id, right_type="tracing_request",
                             right_id=request.pk, match_probability=0.9, match_weight=3.0)
    other = cleared_case(users["ua"], users["mediator"], surname="Бондар")
    FollowUp.objects.create(case=other, months=1, due=dt.date.today() - dt.timedelta(days=5))
    from homeward.registry.models import Case

    Case.objects.filter(pk=other.pk).update(status="reunited")
    return {"version": version, "request": request, "operation": op}
