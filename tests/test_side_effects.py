"""Side effects in plain sight: a case transition writes its ledger entry and schedules follow-ups itself, in its
transaction; nothing can silently switch the ledger off; the hooks that remain are connected (docs/architecture.md)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

pytestmark = pytest.mark.django_db


def _entries(kind: str, object_id: int) -> list[Any]:
    from homeward.ledger.models import LedgerEntry

    return list(LedgerEntry.objects.filter(kind=kind, object_id=str(object_id)))


def _move_to(case: Any, status: str) -> None:
    from homeward.registry.models import Case

    Case.objects.filter(pk=case.pk).update(status=status)
    case.refresh_from_db()


def test_opening_a_case_and_each_transition_append_a_ledger_entry(users: Any, ua_child: Any) -> None:
    from homeward.registry import services

    case = ua_child.case
    assert len(_entries("case_transition", case.pk)) == 1
    services.transition(users["mediator"], case, "located")
    assert len(_entries("case_transition", case.pk)) == 2


def test_reaching_reunited_schedules_the_follow_up_visits_in_the_same_transition(users: Any, ua_child: Any) -> None:
    from homeward.registry import services
    from homeward.returns.models import FollowUp

    case = ua_child.case
    _move_to(case, "in_transit")
    event = services.transition(users["mediator"], case, "reunited")
    visits = list(FollowUp.objects.filter(case=case).order_by("months").values_list("months", "due"))
    assert [m for m, _due in visits] == [1, 3, 6]
    assert visits[0][1] > event.at.date()


def test_a_failing_follow_up_scheduler_rolls_the_transition_back(users: Any, ua_child: Any,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from homeward.registry import services
    from homeward.returns import services as returns

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("scheduler failed")

    monkeypatch.setattr(returns, "schedule_follow_ups", broken)
    case = ua_child.case
    _move_to(case, "in_transit")
    with pytest.raises(RuntimeError):
        services.transition(users["mediator"], case, "reunited")
    case.refresh_from_db()
    assert (case.status, case.events.filter(to_status="reunited").count()) == ("in_transit", 0)
    assert len(_entries("case_transition", case.pk)) == 1  # only the opening's


def test_a_failing_ledger_rolls_the_decision_back(users: Any, ua_child: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from homeward.ledger import service as ledger
    from homeward.linkage import services
    from homeward.linkage.models import Candidate

    pair = Candidate.objects.create(left_type="child", left_id=ua_child.pk, right_type="child", right_id=ua_child.pk,
                                    match_probability=0.9, match_weight=3.0)

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("ledger unavailable")

    monkeypatch.setattr(ledger, "record", broken)
    with pytest.raises(RuntimeError):
        services.decide(users["mediator"], pair, "unsure")
    pair.refresh_from_db()
    assert pair.decision == "pending"


def test_a_match_decision_appends_its_ledger_entry(users: Any, ua_child: Any) -> None:
    from homeward.linkage import services
    from homeward.linkage.models import Candidate

    pair = Candidate.objects.create(left_type="child", left_id=ua_child.pk, right_type="child", right_id=ua_child.pk,
                                    match_probability=0.9, match_weight=3.0)
    services.decide(users["mediator"], pair, "unsure")
    assert len(_entries("match_decision", pair.pk)) == 1


def test_the_ledger_app_connects_nothing_that_could_fail_silently() -> None:
    import inspect

    from homeward.ledger import apps

    assert "ready" not in vars(apps.LedgerConfig)
    assert "except ImportError" not in inspect.getsource(apps)


def test_confirmed_list_pairs_reach_the_exchange() -> None:
    from homeward.exchange.matching import apply_confirmed
    from homeward.linkage.services import candidate_confirmed

    sync_receivers, _async_receivers = candidate_confirmed._live_receivers(None)
    assert apply_confirmed in sync_receivers


def test_the_returns_gates_are_on_the_workflow() -> None:
    from homeward.registry.workflow import gates_for
    from homeward.returns import checklist

    assert checklist.clearance_gate in gates_for("verifying", "cleared_for_return")
    assert checklist.closure_gate in gates_for("reunited", "closed")


def test_the_demo_step_hook_of_returns_is_registered() -> None:
    from homeward.registry import demo
    from homeward.returns.demo import prepare_demo_step

    assert prepare_demo_step in demo.STEP_HOOKS


def test_follow_ups_are_due_after_the_reunification_date(users: Any, ua_child: Any) -> None:
    from homeward.registry import services
    from homeward.returns.models import FollowUp

    case = ua_child.case
    _move_to(case, "in_transit")
    when = dt.datetime(2025, 1, 31, 12, tzinfo=dt.UTC)
    services.transition(users["mediator"], case, "reunited", at=when)
    assert FollowUp.objects.get(case=case, months=1).due == dt.date(2025, 2, 28)
