"""Querysets compiled once per connection and kind of scope (``accounts.reads.rows`` / ``counted``) give what the
ORM gives for every user, each within their own scope; the dashboard they serve shows the same page as when every
queryset is built anew; a value the SQL would not carry as a parameter is refused, not sent."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import import_list
from tests.ui_world import world  # noqa: F401

pytestmark = pytest.mark.django_db

ROLES = ["mediator", "caseworker", "ua", "ru", "ngo", "auditor"]


def _built_each_time(monkeypatch: Any) -> None:
    """``reads.rows`` and ``reads.counted`` as plain ORM reads: the queryset built and evaluated on every call."""
    from homeward.accounts import reads

    def run(name: str, actor: Any, build: Any, values: dict[str, Any], count: bool) -> Any:
        queryset = build(actor, **values)
        return queryset.count() if count else list(queryset)

    monkeypatch.setattr(reads, "_run", run)


def _page(client: Any, user: Any) -> str:
    client.force_login(user)
    resp = client.get("/")
    assert resp.status_code == 200
    body = resp.content.decode()
    return re.sub(r'(nonce|value)="[^"]*"', r'\1=""', body)  # the CSP nonce and CSRF token of each response


@pytest.mark.parametrize("role", ROLES)
def test_the_dashboard_is_the_page_it_was_when_every_queryset_was_built_anew(
        client: Any, users: dict[str, Any], world: Any, monkeypatch: Any, role: str) -> None:  # noqa: F811
    compiled = _page(client, users[role])
    again = _page(client, users[role])  # the statements now reused
    with monkeypatch.context() as m:
        _built_each_time(m)
        built = _page(client, users[role])
    assert compiled == again == built
    assert ('id="work' in built) == (role != "auditor")  # every role but the auditor has a work queue


def test_each_officer_reads_their_own_scope_through_the_statement_the_other_compiled(
        users: dict[str, Any], parties: dict[str, Any]) -> None:
    from homeward.exchange import progress
    from homeward.ui import queues

    import_list(users["ua"], parties["UA"], title="Sought by UA", concerning=parties["RU"])
    import_list(users["ru"], parties["RU"], title="Sought by RU", concerning=parties["UA"],
                rows=["Коваленко;Дарина;;12.04.2013;ж;Херсон"], filename="ru.csv")
    for first, second in (("ru", "ua"), ("ua", "ru")):
        seen = {who: [p.party_list.title for p in progress.read(users[who])] for who in (first, second)}
        assert seen == {"ua": ["Sought by UA"], "ru": ["Sought by RU"]}  # nothing forwarded: each its own list
    assert [p.party_list.title for p in progress.read(users["mediator"])] == ["Sought by RU", "Sought by UA"]
    assert queues.for_user(users["ua"])[0].count == 0  # nothing forwarded to UA to answer


@pytest.mark.parametrize("role", ROLES)
def test_the_lists_progress_read_as_values_is_what_the_orm_gave(
        users: dict[str, Any], parties: dict[str, Any], world: Any, role: str, monkeypatch: Any) -> None:  # noqa: F811
    from homeward.exchange import progress

    for i in range(3):
        import_list(users["ru"], parties["RU"], title=f"List {i}", concerning=parties["UA"],
                    rows=[f"Коваленко{'абв'[i]};Дарина;;12.04.2013;ж;Херсон"], filename=f"l{i}.csv")

    def shown(rows: list[Any]) -> list[tuple[Any, ...]]:
        return [(p.party_list.pk, p.party_list.title, p.party_list.party.code, p.party_list.concerning.code,
                 p.party_list.concerning_id, p.version.pk, p.version.number, p.version.uploaded_at, p.total,
                 p.forwarded, p.answered, p.rank) for p in rows]

    for limit in (200, 2):
        with monkeypatch.context() as m:
            _built_each_time(m)
            expected = shown(progress.for_user(users[role], limit))
        assert shown(progress.for_user(users[role], limit)) == expected
        assert shown(progress.read(users[role], limit)) == expected
        assert shown(progress.read(users[role], limit)) == expected  # the compiled statements again
    if role in ("mediator", "ua", "ru"):
        assert expected and all(isinstance(row[7], dt.datetime) for row in expected)


def test_the_hand_overs_to_sign_are_those_and_the_sides_the_orm_and_sides_for_give(
        users: dict[str, Any], parties: dict[str, Any], two_cleared: list[Any]) -> None:
    from homeward import access
    from homeward.returns import services
    from homeward.returns.models import Signature
    from homeward.ui import queues
    from tests.factories import planned_operation

    planned_operation(users, parties, two_cleared[:1], name="First")
    planned_operation(users, parties, two_cleared[1:], name="Second")
    first = access.handovers(users["mediator"]).filter(to_party=parties["QA"]).order_by("planned_at", "pk").first()
    Signature.objects.create(handover=first, side="receiving", party=parties["QA"], signed_by=users["mediator"],
                             digest="0" * 64)
    for role in ROLES:
        user = users[role]
        expected = [(h.pk, h.place, h.planned_at, h.operation.name, h.from_party.code, h.to_party.code,
                     tuple(services.sides_for(user, h)))
                    for h in access.handovers(user).filter(completed_at__isnull=True).order_by("planned_at", "pk")
                    if services.sides_for(user, h)]
        found = [(h.pk, h.place, h.planned_at, h.operation.name, h.from_party.code, h.to_party.code, h.sides)
                 for h in queues.handovers_to_sign(user)]
        assert found == expected, role
    assert len(queues.handovers_to_sign(users["mediator"])) == 3  # 4 hand-overs, QA's receipt of one signed


def test_a_work_queue_count_is_the_orms_count_of_the_same_scope(
        users: dict[str, Any], world: Any, monkeypatch: Any) -> None:  # noqa: F811
    from homeward.ui import queues

    for role in ROLES:
        compiled = [(w.key, w.count, w.url, w.detail) for w in queues.for_user(users[role])]
        with monkeypatch.context() as m:
            _built_each_time(m)
            built = [(w.key, w.count, w.url, w.detail) for w in queues.for_user(users[role])]
        assert compiled == built, role
    counts = {w.key: w.count for w in queues.for_user(users["mediator"])}
    assert counts["pairs"] == 1 and counts["overdue"] == 1 and counts["forward"] == 1


def test_a_compiled_statement_is_built_twice_at_its_first_use_and_never_again(users: dict[str, Any]) -> None:
    from homeward import access
    from homeward.accounts import reads

    built = []

    def build(u: Any, today: dt.date) -> Any:
        built.append(u)
        return access.follow_ups(u).filter(due__lt=today)

    for user in (users["ua"], users["ru"], users["ua"]):
        assert reads.counted("test.built", user, build, today=dt.date.today()) == 0
    assert len(built) == 2  # the UA and RU officers share one kind of scope: one statement, its two builds
    assert all(u.pk != users["ua"].pk and u.party_id not in (users["ua"].party_id, users["ru"].party_id)
               for u in built)  # stand-ins, never a real user's ids
    with CaptureQueriesContext(connection) as ctx:
        reads.counted("test.built", users["mediator"], build, today=dt.date.today())
    assert len(built) == 4 and len(ctx.captured_queries) == 1  # compiling a count sends nothing


def test_an_in_list_of_another_length_gets_its_own_statement_and_duplicates_count_once(
        users: dict[str, Any], parties: dict[str, Any]) -> None:
    from homeward.accounts import reads
    from homeward.accounts.models import Party

    def build(u: Any, codes: list[str]) -> Any:
        return Party.objects.filter(code__in=codes).order_by("code").values_list("code", flat=True)

    assert reads.rows("test.in", users["ua"], build, codes=["UA"]) == ["UA"]
    assert reads.rows("test.in", users["ua"], build, codes=["RU", "UA", "RU"]) == ["RU", "UA"]
    assert reads.rows("test.in", users["ua"], build, codes=["QA"]) == ["QA"]
    assert reads.rows("test.in", users["ua"], build, codes=[]) == []


def test_a_value_written_into_the_sql_or_transformed_by_the_orm_is_refused(users: dict[str, Any]) -> None:
    from homeward.accounts import reads
    from homeward.accounts.models import Party

    with pytest.raises(RuntimeError, match="SQL depends on its values"):  # LIMIT is written into the text
        reads.rows("test.sliced", users["ua"], lambda u, n: Party.objects.values_list("code")[:n], n=2)
    with pytest.raises(RuntimeError, match="none of them"):
        reads.rows("test.contains", users["ua"], lambda u, q: Party.objects.filter(code__icontains=q)
                   .values_list("code"), q="U")
    with pytest.raises(TypeError, match="model instances"):
        reads.rows("test.models", users["ua"], lambda u: Party.objects.all())


def test_a_user_who_is_not_saved_is_read_by_the_orm_each_time() -> None:
    from django.contrib.auth.models import AnonymousUser

    from homeward import access
    from homeward.accounts import reads

    assert reads.counted("test.anonymous", AnonymousUser(), lambda u: access.children(u)) == 0


@pytest.mark.parametrize("role", ["mediator", "ua", "ru", "ngo"])
def test_the_children_page_is_the_page_it_was_when_its_party_choices_were_built_anew(
        client: Any, users: dict[str, Any], monkeypatch: Any, role: str) -> None:
    from homeward import access
    from homeward.accounts import reads
    from homeward.accounts.models import Party
    from homeward.registry.views import _parties_with_children
    from tests.factories import make_child

    make_child(users["ua"], surname="Коваленко")
    make_child(users["ru"], surname="Шевчук")
    client.force_login(users[role])

    def page() -> str:
        resp = client.get("/children/?sort=name")
        assert resp.status_code == 200
        return re.sub(r'(nonce|value)="[^"]*"', r'\1=""', resp.content.decode())

    compiled = page()
    with monkeypatch.context() as m:
        _built_each_time(m)
        built = page()
    assert compiled == built
    expected = [{"code": p.code, "name": p.name}
                for p in Party.objects.filter(children__in=access.children(users[role])).distinct()]
    assert reads.rows("children.parties", users[role], _parties_with_children) == expected
    assert ('id="party"' in compiled) == (role == "mediator")  # one party's children: no choice to offer
