"""The demo return operations: shaped like the reported ones, with complete custody chains."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo_db():
    from homeward.registry import demo as registry_demo
    from homeward.returns import demo

    registry_demo.load(n_ua=25, n_ru=6, n_ru_care=8)
    demo.load_demo()
    return demo


def _children(op):
    return op.members.filter(kind="child").select_related("case")


def test_demo_has_completed_return_operations_of_4_6_11_children_and_46_kursk_residents(demo_db):
    from homeward.returns.models import ReturnOperation

    done = list(ReturnOperation.objects.filter(status="completed", is_demo=True))
    ru_to_ua = sorted(_children(op).count() for op in done if op.direction == "RU → UA")
    assert ru_to_ua == [4, 6, 11]
    kursk = next(op for op in done if op.direction == "UA → RU")
    assert kursk.members.count() == 46 and _children(kursk).count() == 12
    from homeward.returns import services

    assert services.transit_countries(kursk) == ["Belarus"]
    countries = {c for op in done for leg in op.legs.all() for c in (leg.from_country, leg.to_country)}
    assert {"Qatar", "Estonia", "Latvia", "Lithuania", "Poland", "Belarus"} <= countries
    assert ReturnOperation.objects.filter(status="planning", is_demo=True).exists()
    assert ReturnOperation.objects.filter(status="under_way", is_demo=True).exists()


def test_demo_custody_chains_are_complete_and_signed_in_the_ledger(demo_db):
    from homeward.ledger.models import LedgerEntry
    from homeward.returns import services
    from homeward.returns.models import ReturnOperation

    signatures = 0
    for op in ReturnOperation.objects.filter(status="completed"):
        for h in op.handovers.all():
            assert h.complete and h.signatures.count() == 2
            signatures += 2
        assert not op.legs.exclude(status="completed").exists()
        for m in _children(op):
            chain = [s.party.code for s in services.custody_chain(m.case)]
            assert chain == [op.from_party.code, "QA", op.to_party.code]
            assert services.custodian(m.case) == op.to_party
            assert m.case.status in ("reunited", "closed")
    assert signatures == 16
    assert LedgerEntry.objects.filter(kind="handover_signoff").count() == signatures + 2  # + the operation under way


def test_demo_operation_under_way_has_custody_with_the_mediator_and_the_final_handover_open(demo_db):
    from homeward.returns import services
    from homeward.returns.models import ReturnOperation

    op = ReturnOperation.objects.get(status="under_way", is_demo=True)
    for m in _children(op):
        assert m.case.status == "in_transit" and services.custodian(m.case).code == "QA"
    final = op.handovers.get(final=True)
    assert not final.complete
    assert "leg 1 arrived" in services.signing_unmet(final)


def test_demo_loader_is_idempotent_and_cli_lists_the_operations(demo_db):
    from homeward.cli import main
    from homeward.returns.models import ReturnOperation

    before = ReturnOperation.objects.count()
    assert demo_db.load_demo() == {"created": 0}
    assert ReturnOperation.objects.count() == before
    result = CliRunner().invoke(main, ["operations", "list"], catch_exceptions=False)
    assert result.exit_code == 0
    assert "Kursk residents via Belarus (demo)" in result.output and "46 people (12 children)" in result.output
    assert "4 children" in result.output and "6 children" in result.output and "11 children" in result.output
    assert result.output.count("completed") == 4
