"""Return operations end to end through the services: sign-offs, legs, custody at every step,
case statuses, follow-ups and closure."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.factories import planned_operation

pytestmark = pytest.mark.django_db


def _status(case: Any) -> str:
    case.refresh_from_db()
    return case.status


def test_handover_chain_moves_custody_and_case_statuses_until_reunited(users, parties, two_cleared):
    from homeward.exceptions import TransitionError
    from homeward.ledger.models import LedgerEntry
    from homeward.returns import services

    op = planned_operation(users, parties, two_cleared)
    first, final = list(op.handovers.order_by("before_leg"))
    leg1, leg2 = list(op.legs.order_by("sequence"))
    a, b = two_cleared
    assert services.custodian(a).code == "RU" and services.custodian(b).code == "RU"

    # No leg before the previous sign-off.
    with pytest.raises(TransitionError) as err:
        services.start_leg(users["mediator"], leg1)
    assert any(str(first.pk) in item for item in err.value.unmet)

    services.sign(users["ru"], first, "handing")
    assert services.custodian(a).code == "RU"  # one signature transfers nothing
    with pytest.raises(TransitionError):
        services.start_leg(users["mediator"], leg1)
    services.sign(users["mediator"], first, "receiving")
    assert services.custodian(a).code == "QA" and services.custodian(b).code == "QA"
    assert _status(a) == _status(b) == "in_mediator_care"
    op.refresh_from_db()
    assert op.status == "under_way"

    # The final hand-over cannot be signed before the legs have arrived.
    with pytest.raises(TransitionError):
        services.sign(users["mediator"], final, "handing")
    with pytest.raises(TransitionError):
        services.start_leg(users["mediator"], leg2)  # leg 1 has not arrived

    services.start_leg(users["mediator"], leg1)
    assert _status(a) == _status(b) == "in_transit"
    assert services.custodian(a).code == "QA"
    services.arrive_leg(users["mediator"], leg1)
    services.start_leg(users["mediator"], leg2)
    assert _status(a) == "in_transit"
    services.arrive_leg(users["mediator"], leg2)

    services.sign(users["mediator"], final, "handing")
    assert services.custodian(a).code == "QA"
    services.sign(users["ua"], final, "receiving")
    assert services.custodian(a).code == "UA" and services.custodian(b).code == "UA"
    assert _status(a) == _status(b) == "reunited"
    op.refresh_from_db()
    assert op.status == "completed"

    chain = [s.party.code for s in services.custody_chain(a)]
    assert chain == ["RU", "QA", "UA"]
    # Custody at any earlier moment is still known.
    assert services.custodian(a, at=first.signatures.order_by("signed_at").first().signed_at).code == "RU"

    entries = LedgerEntry.objects.filter(kind="handover_signoff")
    assert entries.count() == 4
    assert set(entries.values_list("party_code", flat=True)) == {"RU", "QA", "UA"}


def test_handover_signoff_ledger_content_holds_ids_only(users, parties, two_cleared):
    from homeward.ledger import service as ledger
    from homeward.returns import services

    op = planned_operation(users, parties, two_cleared)
    h = op.handovers.order_by("before_leg").first()
    sig = services.sign(users["ru"], h, "handing")
    content, _salt = ledger.reveal(sig.ledger_index)
    assert content["cases"] == sorted(c.pk for c in two_cleared)
    assert content["side"] == "handing" and content["party"] == "RU"
    text = repr(content)
    assert "Шевченко" not in text and "Бондаренко" not in text


def test_only_the_named_party_signs_each_side_of_a_handover(users, parties, two_cleared):
    from homeward.exceptions import ConflictError, TransitionError
    from homeward.returns import services

    op = planned_operation(users, parties, two_cleared)
    h = op.handovers.order_by("before_leg").first()
    with pytest.raises(TransitionError):
        services.sign(users["ua"], h, "handing")  # UA is not the handing party
    with pytest.raises(TransitionError):
        services.sign(users["mediator"], h, "handing")  # the mediator cannot sign for RU
    with pytest.raises(TransitionError):
        services.sign(users["ru"], h, "receiving")
    with pytest.raises(ConflictError):
        services.sign(users["ru"], h, "handing", case_ids=[two_cleared[0].pk])  # not the exact children
    services.sign(users["ru"], h, "handing", case_ids=[c.pk for c in two_cleared])
    with pytest.raises(ConflictError):
        services.sign(users["ru"], h, "handing")
    assert h.signatures.count() == 1


def test_handover_cannot_be_signed_while_operation_is_planning(users, parties, two_cleared):
    from homeward.exceptions import TransitionError
    from homeward.returns import services

    op = planned_operation(users, parties, two_cleared, confirm=False)
    with pytest.raises(TransitionError) as err:
        services.sign(users["ru"], op.handovers.first(), "handing")
    assert err.value.unmet


def test_operation_confirmation_names_what_is_missing(users, parties):
    from homeward.exceptions import TransitionError
    from homeward.returns import services

    op = services.create_operation(users["mediator"], name="Empty operation", from_party=parties["RU"],
                                   to_party=parties["UA"], planned_start=dt.date(2026, 1, 1),
                                   planned_end=dt.date(2026, 1, 2))
    with pytest.raises(TransitionError) as err:
        services.set_status(users["mediator"], op, "confirmed")
    assert "at least one child" in err.value.unmet and "a final hand-over" in err.value.unmet
    with pytest.raises(TransitionError):
        services.set_status(users["mediator"], op, "cancelled")  # needs a reason
    services.set_status(users["mediator"], op, "cancelled", reason="Flights unavailable")
    assert op.status == "cancelled"


def test_cancelled_operation_releases_its_children_for_another_operation(users, parties, two_cleared):
    from homeward.returns import services

    op = planned_operation(users, parties, two_cleared, confirm=False)
    assert services.join_refusals(two_cleared[0]) == ["not already in another active operation"]
    services.set_status(users["mediator"], op, "cancelled", reason="Postponed")
    assert services.join_refusals(two_cleared[0]) == []


def test_followups_are_scheduled_at_reunification_and_gate_closure(users, parties, two_cleared):
    from homeward.exceptions import TransitionError
    from homeward.registry import services as registry
    from homeward.returns import services
    from homeward.returns.models import FollowUp

    op = planned_operation(users, parties, two_cleared)
    m = users["mediator"]
    for n in (1, 2, 3):
        for h in op.handovers.filter(before_leg=n):
            services.sign(users[{"RU": "ru", "UA": "ua", "QA": "mediator"}[h.from_party.code]], h, "handing")
            services.sign(users[{"RU": "ru", "UA": "ua", "QA": "mediator"}[h.to_party.code]], h, "receiving")
        leg = op.legs.filter(sequence=n).first()
        if leg:
            services.start_leg(m, leg)
            services.arrive_leg(m, leg)
    a, b = two_cleared
    assert _status(a) == "reunited"
    visits = list(FollowUp.objects.filter(case=a).order_by("months"))
    assert [v.months for v in visits] == [1, 3, 6]

    with pytest.raises(TransitionError) as err:
        registry.transition(m, a, "closed")
    assert "0 of 3" in err.value.unmet[0]
    for v in visits[:2]:
        services.record_follow_up(users["ru"], v, status="done", outcome="well")  # the child's party records
    services.record_follow_up(m, visits[2], status="done", outcome="concerns", further_support=True)
    a.refresh_from_db()
    services.close_case(m, a)
    assert _status(a) == "closed"

    # The other case closes early only with a recorded reason.
    with pytest.raises(TransitionError):
        services.close_case(m, b)
    services.close_case(m, b, reason="Family moved abroad; follow-up handed to local services")
    assert _status(b) == "closed"
    assert b.events.last().reason.startswith("Family moved")


def test_followup_of_another_party_is_not_writable(users, parties, two_cleared):
    from homeward.exceptions import NotFound
    from homeward.returns import services
    from homeward.returns.models import FollowUp

    a = two_cleared[1]  # a UA-registered child
    services.schedule_follow_ups(a, dt.date(2026, 1, 15))
    visit = FollowUp.objects.filter(case=a).first()
    with pytest.raises(NotFound):
        services.record_follow_up(users["ru"], visit, status="done", outcome="well")


def test_operation_capacity_and_member_removal_rules(users, parties, two_cleared):
    from homeward.exceptions import InputError, TransitionError
    from homeward.returns import services

    m = users["mediator"]
    op = services.create_operation(m, name="Small return operation", from_party=parties["RU"],
                                   to_party=parties["UA"], planned_start=dt.date(2026, 2, 1),
                                   planned_end=dt.date(2026, 2, 2), capacity=1)
    services.add_child(m, op, two_cleared[0])
    with pytest.raises(InputError):
        services.add_child(m, op, two_cleared[1])
    with pytest.raises(InputError):
        services.add_person(m, op, kind="escort", full_name="Escort", party=parties["QA"])
    services.remove_member(m, op.members.get())
    assert not op.members.exists()

    op = planned_operation(users, parties, two_cleared)
    services.sign(users["ru"], op.handovers.order_by("before_leg").first(), "handing")
    member = op.members.filter(case=two_cleared[0]).get()
    with pytest.raises(TransitionError):
        services.remove_member(m, member)  # named in a signed hand-over


def test_handover_from_a_party_without_custody_cannot_be_signed(users, parties, two_cleared):
    from homeward.exceptions import TransitionError
    from homeward.returns import services

    op = planned_operation(users, parties, two_cleared, confirm=False)
    start_country = services.route_points(op)[0][2]
    wrong = services.add_handover(users["mediator"], op, before_leg=1, place="Border", country=start_country,
                                  from_party=parties["UA"], to_party=parties["QA"])
    op.handovers.exclude(pk=wrong.pk).filter(before_leg=1).delete()
    services.set_status(users["mediator"], op, "confirmed")
    with pytest.raises(TransitionError) as err:
        services.sign(users["ua"], wrong, "handing")
    assert any("in the custody of UA" in item for item in err.value.unmet)
