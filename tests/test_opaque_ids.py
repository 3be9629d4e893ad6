"""Opaque ids (issue 13, the ledger row): "Ids are sequential, so their gaps count the other party's records."

Every record a party can see has a random 53-bit primary key (``homeward.ids``). New ids are neither
consecutive nor increasing, so a party learns nothing of how many records the other party made between two of
its own; lists that show "newest first" or "in the order made" order by time, not by id. Tests of ordering make
ids *decrease* with every new record, so that any ordering left on the id shows up reversed.
"""

from __future__ import annotations

import datetime as dt
import itertools
import secrets
from typing import Any

import pytest
from django.apps import apps

from homeward import ids
from tests.factories import cleared_case, make_child, make_person, make_tracing_request

pytestmark = pytest.mark.django_db

# Models that keep a sequential id, and why (docs/architecture.md, "Record ids").
SEQUENTIAL = {
    "accounts.Party": "a handful of parties, known to all",
    "accounts.User": "users are few and set up by the mediator; a user's id shows in no party-facing page",
    "accounts.LoginFailure": "never shown",
    "accounts.AuditEvent": "the mediator administrator's audit trail only",
    "registry.NameValue": "the search index, never shown",
    "registry.NameValueKey": "the search index, never shown",
    "registry.NameRef": "the search index, never shown",
    "registry.NamePosting": "the search index, never shown",
    "registry.PairEvidence": "continuous matching's memory, never shown",
    "exchange.PendingUpload": "reached by its random token, never by id",
    "notifications.Preference": "the user's own settings, never shown by id",
    "notifications.EmailLanguage": "the user's own setting, never shown by id",
    "notifications.FollowUpReminder": "never shown",
}
PARTY_FACING_APPS = ("accounts", "registry", "exchange", "returns", "notifications")


@pytest.fixture
def descending(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every new id smaller than the one before (still in the opaque range): order by id reads backwards."""
    counter = itertools.count()
    real = secrets.randbelow

    def randbelow(n: int) -> int:
        return n - 1 - 1000 * next(counter) if n == ids.HIGH - ids.LOW else real(n)

    monkeypatch.setattr(secrets, "randbelow", randbelow)


# --- the ids themselves -------------------------------------------------------------------------------------


def test_a_new_id_is_in_the_53_bit_range_above_32_bits_and_repeats_do_not_come_in_sequence() -> None:
    drawn = [ids.new_id() for _ in range(2000)]
    assert all(2**32 <= i < 2**53 for i in drawn)
    assert len(set(drawn)) == len(drawn)
    assert drawn != sorted(drawn) and drawn != sorted(drawn, reverse=True)
    # spread over the range, not bunched at one end: the mean of 2000 uniform draws is within 5 % of the middle
    middle = (2**32 + 2**53) / 2
    assert abs(sum(drawn) / len(drawn) - middle) < 0.05 * middle


def test_every_party_facing_model_has_an_opaque_id_or_is_listed_as_sequential_with_a_reason() -> None:
    opaque, sequential = [], []
    for model in apps.get_models():
        if model._meta.app_label not in PARTY_FACING_APPS or model._meta.auto_created:
            continue
        pk = model._meta.pk
        (opaque if pk.get_default is not None and pk.default is ids.new_id else sequential).append(model._meta.label)
    assert sorted(sequential) == sorted(SEQUENTIAL), "give the new model OpaqueIdField() or say why it need not"
    assert {"registry.Child", "registry.Person", "registry.TracingRequest", "registry.Case", "registry.CaseEvent",
            "exchange.PartyList", "exchange.ListVersion", "exchange.ListEntry", "returns.ReturnOperation",
            "returns.Member", "returns.Handover", "returns.FollowUp", "returns.EvidenceDocument",
            "notifications.Notification", "accounts.ApiToken"} <= set(opaque)
    for label in opaque:
        field = apps.get_model(label)._meta.pk
        assert field.get_internal_type() == "BigIntegerField" and not field.editable, label


def test_records_made_one_after_another_get_ids_neither_consecutive_nor_increasing(users: dict[str, Any]) -> None:
    children = [make_child(users["ua"], given_name=f"Дитина{n}") for n in range(12)]
    made = [c.pk for c in children] + [c.case.pk for c in children]
    assert all(2**32 <= pk < 2**53 for pk in made)
    child_ids = [c.pk for c in children]
    assert child_ids != sorted(child_ids)
    assert all(abs(b - a) > 2**20 for a, b in itertools.pairwise(child_ids))


def test_a_ua_officer_cannot_count_ru_records_from_the_gaps_between_its_own_ids(client: Any, users: dict[str, Any],
                                                                               token_for: Any) -> None:
    """UA registers a child, RU registers 30, UA registers another: UA's two ids (as the API gives them) differ by
    no count of anything, and which of its own two records came first is not even told by their ids."""
    before = make_child(users["ua"], given_name="Перший")
    for n in range(30):
        make_child(users["ru"], given_name=f"Ребёнок{n}", surname="Иванов")
    after = make_child(users["ua"], given_name="Другий")
    listed = client.get("/api/v1/children", {"limit": 1000}, **token_for("ua")).json()
    assert listed["count"] == 2
    seen = {c["given_name"]: c["id"] for c in listed["items"]}
    assert seen == {"Перший": before.pk, "Другий": after.pk}
    gap = abs(seen["Другий"] - seen["Перший"])
    assert gap > 2**20  # not 31, not 61 (children and cases), not any small number of records
    cases = client.get("/api/v1/cases", {"limit": 1000}, **token_for("ua")).json()["items"]
    assert sorted(c["id"] for c in cases) == sorted([before.case.pk, after.case.pk])
    assert abs(before.case.pk - after.case.pk) > 2**20


def test_existing_small_ids_and_new_random_ones_live_side_by_side(users: dict[str, Any]) -> None:
    """Rows made before the change keep their sequential ids; a new row gets a random one; both are found."""
    from homeward.registry.models import Person

    old = make_person(users["ua"], given_name="Стара")
    Person.objects.filter(pk=old.pk).update(id=7)  # as a row from before the migration would be (no FK points at it)
    fresh = make_person(users["ua"], given_name="Нова")
    assert Person.objects.get(pk=7).given_name == "Стара" and fresh.pk >= 2**32
    assert set(Person.objects.values_list("pk", flat=True)) == {7, fresh.pk}


# --- ordering by time, not by id ---------------------------------------------------------------------------


def test_tracing_requests_are_listed_newest_first_whatever_their_ids(client: Any, users: dict[str, Any],
                                                                      token_for: Any, descending: None) -> None:
    from homeward.registry.models import TracingRequest

    made = [make_tracing_request(users["ua"], given_name=f"Шукана{n}") for n in range(4)]
    assert [t.pk for t in made] == sorted((t.pk for t in made), reverse=True)  # the fixture works
    for n, t in enumerate(made):
        TracingRequest.objects.filter(pk=t.pk).update(created_at=dt.datetime(2026, 1, 1 + n, tzinfo=dt.UTC))
    listed = client.get("/api/v1/tracing-requests", **token_for("ua")).json()["items"]
    assert [t["id"] for t in listed] == [t.pk for t in reversed(made)]


def test_the_children_page_is_newest_first_and_sort_by_id_is_registration_order_whatever_their_ids(
        client: Any, users: dict[str, Any], descending: None) -> None:
    for name in ("Перша", "Друга", "Третя"):
        make_child(users["ua"], given_name=name, surname="Порядок")
    client.force_login(users["ua"])
    body = client.get("/children/").content.decode()
    assert body.index("Третя") < body.index("Друга") < body.index("Перша")
    body = client.get("/children/?sort=id").content.decode()
    assert body.index("Перша") < body.index("Друга") < body.index("Третя")


def test_notifications_are_newest_first_and_case_history_oldest_first_whatever_their_ids(
        client: Any, users: dict[str, Any], token_for: Any, descending: None) -> None:
    from homeward.notifications import services as notifications
    from homeward.registry import services as registry

    for n in range(3):
        notifications.notify([users["ua"]], "follow_up_due", key=f"test:{n}", link=f"/returns/follow-ups/?n={n}")
    listed = client.get("/api/v1/notifications", **token_for("ua")).json()["items"]
    assert [n["link"][-1] for n in listed] == ["2", "1", "0"]

    case = make_child(users["ua"]).case
    for step in ("located", "verifying"):
        case.refresh_from_db()
        registry.transition(users["mediator"], case, step)
    events = client.get(f"/api/v1/cases/{case.pk}", **token_for("mediator")).json()["events"]
    assert [e["to_status"] for e in events] == ["reported", "located", "verifying"]


@pytest.fixture
def operation(users: dict[str, Any], parties: dict[str, Any], descending: None) -> Any:
    """RU → UA with one leg, two hand-overs before it (RU → QA planned first, then QA → UA) and a final one
    after it; ids descending."""
    from homeward.returns import services

    m = users["mediator"]
    cases = [cleared_case(users["ru"], m, given_name=name) for name in ("Анна", "Борис")]
    op = services.create_operation(m, name="Return operation Vilnius", from_party=parties["RU"],
                                   to_party=parties["UA"], planned_start=dt.date(2026, 2, 1),
                                   planned_end=dt.date(2026, 2, 2), capacity=10)
    for case in cases:
        services.add_child(m, op, case)
    services.add_person(m, op, kind="adult", full_name="Mother", party=parties["UA"], role="mother")
    services.add_leg(m, op, from_place="Moscow", from_country="Russia", to_place="Kyiv", to_country="Ukraine",
                     mode="road")
    first = services.add_handover(m, op, before_leg=1, place="Moscow", country="Russia", from_party=parties["RU"],
                                  to_party=parties["QA"])
    second = services.add_handover(m, op, before_leg=1, place="Moscow", country="Russia", from_party=parties["QA"],
                                   to_party=parties["UA"])
    services.add_handover(m, op, before_leg=2, place="Kyiv", country="Ukraine", from_party=parties["UA"],
                          to_party=parties["NGO1"], final=True)
    assert second.pk < first.pk  # the fixture works: order by id would put the later one first
    services.set_status(m, op, "confirmed")
    op.refresh_from_db()
    op.first, op.second = first, second
    return op


def test_of_two_hand_overs_before_one_leg_the_one_planned_first_is_signed_first_whatever_their_ids(
        operation: Any) -> None:
    from homeward.returns import services

    first, second = operation.first, operation.second
    waiting_on = f"#{first.pk}"
    assert any(waiting_on in reason for reason in services.signing_unmet(second))
    assert not any(f"#{second.pk}" in reason for reason in services.signing_unmet(first))
    assert [h.pk for h in operation.handovers.all()][:2] == [first.pk, second.pk]


def test_members_and_the_manifest_keep_the_order_the_children_joined_whatever_their_ids(operation: Any,
                                                                                        users: dict[str, Any]) -> None:
    from homeward.returns import manifest

    joined = [m.case.child.given_name for m in operation.members.filter(kind="child")]
    assert joined == ["Анна", "Борис"]
    rows = manifest.rows(users["mediator"], operation)
    assert [r.name.split()[1] for r in rows[:2]] == ["Анна", "Борис"]
    assert rows[2].name == "Mother"


# --- the migration ------------------------------------------------------------------------------------------

BEFORE = [("accounts", "0003_token_expiry_and_revocation"), ("exchange", "0002_delete_matchcandidate"),
          ("notifications", "0002_follow_up_assigned"), ("registry", "0006_namekey_no_stored_typo_keys"),
          ("returns", "0002_followup_version")]


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_existing_rows_and_their_links_and_new_rows_get_random_ids() -> None:
    """From the schema before opaque ids, on a database with data (this runs on SQLite and, in CI's PostgreSQL
    leg, on PostgreSQL): rows keep their ids, foreign keys still point at them, the next row gets a random id."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    party = old.get_model("accounts", "Party").objects.create(code="UA", name="Ukraine", kind="authority")
    user = old.get_model("accounts", "User").objects.create(username="ua-officer", party=party, role="party_officer")
    children = [old.get_model("registry", "Child").objects.create(party=party, given_name=f"Дитина{n}",
                                                                   surname="Стара", created_by=user)
                for n in range(3)]
    case = old.get_model("registry", "Case").objects.create(child=children[1])
    old.get_model("registry", "CaseEvent").objects.create(case=case, from_status="", to_status="reported")
    assert [c.pk for c in children] == sorted(c.pk for c in children) and children[-1].pk < 2**32

    executor = MigrationExecutor(connection)
    executor.migrate(latest)

    from homeward.registry.models import Case, Child

    assert list(Child.objects.order_by("pk").values_list("pk", "given_name")) == [
        (c.pk, c.given_name) for c in children]
    migrated = Case.objects.get(pk=case.pk)
    assert migrated.child_id == children[1].pk and migrated.events.get().to_status == "reported"
    fresh = Child.objects.create(party_id=party.pk, given_name="Нова", surname="Нова")
    fresh_case = Case.objects.create(child=fresh)
    assert fresh.pk >= 2**32 and fresh_case.pk >= 2**32
    assert Child.objects.filter(case__isnull=False).count() == 2
