"""The case workflow table and its rules."""

from __future__ import annotations

import pytest

from homeward.registry.workflow import MAIN_PATH, TRANSITIONS, CaseStatus, register_gate

pytestmark = pytest.mark.django_db


def test_main_path_is_walkable_step_by_step():
    for a, b in zip(MAIN_PATH, MAIN_PATH[1:], strict=False):
        assert (a, b) in TRANSITIONS


def test_every_status_is_reachable_from_reported():
    reached, frontier = {CaseStatus.REPORTED.value}, [CaseStatus.REPORTED.value]
    while frontier:
        src = frontier.pop()
        for (a, b) in TRANSITIONS:
            if a == src and b not in reached:
                reached.add(b)
                frontier.append(b)
    assert reached == set(CaseStatus.values)


def test_closed_is_final():
    assert not [t for (a, _b), t in TRANSITIONS.items() if a == CaseStatus.CLOSED]


def test_side_exits_require_a_reason():
    for target in ("not_found", "declined", "contested", "withdrawn"):
        assert all(t.reason_required for (_a, b), t in TRANSITIONS.items() if b == target)


def test_caseworker_cannot_clear_for_return(users, ua_child, monkeypatch):
    from homeward.exceptions import TransitionError
    from homeward.registry import services, workflow

    monkeypatch.setattr(workflow, "_GATES", {})  # roles only; the returns checklist gate has its own tests

    case = ua_child.case
    services.transition(users["caseworker"], case, "located")
    services.transition(users["caseworker"], case, "verifying")
    with pytest.raises(TransitionError):
        services.transition(users["caseworker"], case, "cleared_for_return")
    services.transition(users["mediator"], case, "cleared_for_return")
    case.refresh_from_db()
    assert case.status == "cleared_for_return"


def test_a_gate_blocks_a_transition_naming_what_is_missing(users, ua_child, monkeypatch):
    from homeward.exceptions import TransitionError
    from homeward.registry import services, workflow

    monkeypatch.setattr(workflow, "_GATES", {})
    register_gate("reported", "located", lambda case: ["identity document"])
    with pytest.raises(TransitionError) as err:
        services.transition(users["mediator"], ua_child.case, "located")
    assert err.value.unmet == ["identity document"]
    ua_child.case.refresh_from_db()
    assert ua_child.case.status == "reported"


def test_transition_and_its_event_commit_together(users, ua_child, monkeypatch):
    from homeward.ledger import service as ledger
    from homeward.registry import services

    def explode(*args, **kwargs):
        raise RuntimeError("recording failed")

    monkeypatch.setattr(ledger, "record", explode)
    with pytest.raises(RuntimeError):
        services.transition(users["mediator"], ua_child.case, "located")
    ua_child.case.refresh_from_db()
    assert ua_child.case.status == "reported"
    assert ua_child.case.events.count() == 1


def test_architecture_doc_shows_the_current_transition_table():
    from pathlib import Path

    from homeward.registry.workflow import markdown_table

    doc = (Path(__file__).resolve().parents[1] / "docs" / "architecture.md").read_text(encoding="utf-8")
    assert markdown_table() in doc
