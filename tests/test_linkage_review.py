"""The review queue: runs over the database, decisions, and who may see it."""

from __future__ import annotations

import datetime as dt

import pytest

from homeward.registry.models import Child
from tests.factories import make_child, run_now, sought_pair

pytestmark = pytest.mark.django_db


@pytest.fixture
def sought(users):
    return sought_pair(users)


def test_run_proposes_cross_script_pair_with_explanation(users, sought):
    from homeward.linkage.models import Candidate

    child, request = sought
    run = run_now(users["mediator"])
    assert run.status == "done", run.error
    assert run.model_version and run.model_json
    pair = Candidate.objects.get(left_type="tracing_request", left_id=request.pk)
    assert (pair.right_type, pair.right_id) == ("child", child.pk)
    comparisons = {r["comparison"] for r in pair.reasons}
    assert {"given name", "birth date"} & comparisons or len(comparisons) >= 3


def test_confirming_links_request_and_moves_case(users, sought):
    from homeward.linkage import services
    from homeward.linkage.models import Candidate

    child, request = sought
    run_now(users["mediator"])
    pair = Candidate.objects.get(left_type="tracing_request", left_id=request.pk)
    services.decide(users["mediator"], pair, "same", "Same child: birth certificate seen")
    request.refresh_from_db()
    child.case.refresh_from_db()
    assert request.child_id == child.pk and request.status == "matched"
    assert child.case.status == "located"
    assert child.case.requesters.filter(pk=request.requester_id).exists()


def test_pair_judged_different_is_never_proposed_again(users, sought):
    from homeward.linkage import services
    from homeward.linkage.models import Candidate

    _child, request = sought
    run_now(users["mediator"])
    pair = Candidate.objects.get(left_type="tracing_request", left_id=request.pk)
    services.decide(users["mediator"], pair, "different", "Twin brother, different birth certificate")
    run_now(users["mediator"])
    assert Candidate.objects.filter(left_id=request.pk, decision="pending").count() == 0
    assert Candidate.objects.filter(left_id=request.pk).count() == 1


def test_different_needs_a_reason(users, sought):
    from homeward.exceptions import InputError
    from homeward.linkage import services
    from homeward.linkage.models import Candidate

    run_now(users["mediator"])
    pair = Candidate.objects.first()
    with pytest.raises(InputError):
        services.decide(users["mediator"], pair, "different", "")


def test_decision_is_recorded_in_the_ledger(users, sought):
    from homeward.ledger.models import LedgerEntry
    from homeward.linkage import services
    from homeward.linkage.models import Candidate

    run_now(users["mediator"])
    before = LedgerEntry.objects.count()
    services.decide(users["mediator"], Candidate.objects.first(), "unsure", "need documents")
    assert LedgerEntry.objects.count() == before + 1


@pytest.mark.parametrize("key", ["ua", "ru", "ngo", "auditor"])
def test_only_mediators_can_open_the_queue(client, users, sought, key, token_for):
    from homeward.linkage.models import Candidate

    run_now(users["mediator"])
    pair = Candidate.objects.first()
    user = users[key]
    client.login(username=user.username, password="pw-" + user.username)
    for path in ("/linkage/review/", f"/linkage/review/{pair.pk}/", f"/linkage/runs/{pair.run_id}/"):
        resp = client.get(path)
        assert resp.status_code == 404
        assert "Kovalenko" not in resp.content.decode()
    assert client.post(f"/linkage/review/{pair.pk}/decide/", {"decision": "same"}).status_code == 404
    headers = token_for(key)
    for path in ("/api/v1/linkage/candidates", f"/api/v1/linkage/candidates/{pair.pk}",
                 f"/api/v1/linkage/runs/{pair.run_id}"):
        assert client.get(path, **headers).status_code == 404
    resp = client.post(f"/api/v1/linkage/candidates/{pair.pk}/decision", {"decision": "same"},
                       content_type="application/json", **headers)
    assert resp.status_code == 404
    pair.refresh_from_db()
    assert pair.decision == "pending"


def test_mediator_reviews_in_the_queue_page(client, users, sought):
    child, request = sought
    run_now(users["mediator"])
    client.login(username="mediator", password="pw-mediator")
    body = client.get("/linkage/review/").content.decode()
    assert "Kovalenko" in body and "Коваленко" in body
    from homeward.linkage.models import Candidate

    pair = Candidate.objects.get(left_id=request.pk)
    detail = client.get(f"/linkage/review/{pair.pk}/").content.decode()
    assert all(r["level"] in detail for r in pair.reasons)
    resp = client.post(f"/linkage/review/{pair.pk}/decide/", {"decision": "same", "reason": "ok"})
    assert resp.status_code == 302
    assert Child.objects.get(pk=child.pk).case.status == "located"


def test_duplicates_within_the_registry_are_proposed_for_review(users):
    from homeward.linkage import services
    from homeward.linkage.models import Candidate

    given = ["Марія", "Іван", "Софія", "Дмитро", "Анна", "Тарас", "Олег", "Ірина", "Назар", "Злата"]
    surnames = ["Шевченко", "Бондар", "Мельник", "Ткаченко", "Кравець", "Бойко", "Лисенко", "Савченко"]
    for i in range(40):
        make_child(users["ua"], given_name=given[i % 10], surname=surnames[i % 8], patronymic="",
                   birth_date=dt.date(2006 + i % 11, 1 + i % 12, 1 + (7 * i) % 28), birth_place="Херсон")
    first = make_child(users["ua"], given_name="Олександр", surname="Коваленко", birth_date=dt.date(2014, 3, 5))
    again = make_child(users["ru"], given_name="Александр", surname="Коваленко", patronymic="Петрович",
                       birth_date=dt.date(2014, 3, 5), birth_place="Херсон")
    run = services.start(users["mediator"], "registry_dedupe", background=False)
    assert run.status == "done", run.error
    best = Candidate.objects.filter(run=run).order_by("-match_probability").first()
    assert {best.left_id, best.right_id} == {first.pk, again.pk}
    assert (best.left_type, best.right_type) == ("child", "child")
