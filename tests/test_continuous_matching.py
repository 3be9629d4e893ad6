"""Continuous matching: a saved child or tracing request is matched against the other side's records in the
background; likely pairs enter the mediator's queue, silently for the parties; judged pairs come back only
when their evidence changed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from homeward.linkage.models import Candidate
from homeward.registry.models import Child, PairEvidence, TracingRequest
from tests.conftest import make_child

pytestmark = pytest.mark.django_db

MARIIA_CYR = {"given_name": "Марія", "surname": "Коваленко", "patronymic": "Іванівна", "sex": "F",
              "birth_date": dt.date(2012, 3, 4), "birth_place": "Маріуполь"}
MARIIA_LATIN = {"given_name": "Mariia", "surname": "Kovalenko", "patronymic": "Ivanivna", "sex": "F",
                "birth_date": "2012-03-04", "birth_place": "Mariupol"}


@pytest.fixture(autouse=True)
def continuous(settings: Any) -> None:
    settings.CONTINUOUS_MATCHING = True


def pairs() -> set[tuple[str, int, str, int]]:
    return set(Candidate.objects.values_list("left_type", "left_id", "right_type", "right_id"))


def post_child(client: Any, headers: dict[str, str], body: dict[str, Any]) -> Any:
    return client.post("/api/v1/children", body, content_type="application/json", **headers)


def judge(users: dict[str, Any], candidate: Candidate, decision: str) -> None:
    from homeward.linkage import services

    services.decide(users["mediator"], candidate, decision, "checked the files" if decision == "different" else "")


# --- the acceptance case -----------------------------------------------------------------------------


def test_ua_officer_registering_a_child_only_ru_holds_gets_no_warning_and_the_pair_goes_to_the_mediator(
        users, client, token_for):
    held = make_child(users["ru"], **MARIIA_CYR)
    resp = post_child(client, token_for("ua"), MARIIA_LATIN)
    assert resp.status_code == 201, resp.content
    assert resp.json()["possible_duplicates"] == []
    new_id = resp.json()["id"]
    left, right = sorted((held.pk, new_id))  # a pair is stored in (type, id) order; ids are random
    assert pairs() == {("child", left, "child", right)}
    candidate = Candidate.objects.get()
    assert candidate.decision == "pending" and candidate.run is None and candidate.match_probability >= 0.5
    assert any(r["comparison"] == "birth date" for r in candidate.reasons)


def test_the_cross_party_pair_is_in_the_mediators_queue_page_and_the_officers_get_404(users, client, token_for):
    make_child(users["ru"], **MARIIA_CYR)
    post_child(client, token_for("ua"), MARIIA_LATIN)
    candidate = Candidate.objects.get()
    client.force_login(users["mediator"])
    assert client.get("/linkage/review/").status_code == 200
    assert client.get(f"/linkage/review/{candidate.pk}/").status_code == 200
    for officer in ("ua", "ru"):
        client.force_login(users[officer])
        assert client.get(f"/linkage/review/{candidate.pk}/").status_code == 404
        assert client.get("/linkage/review/").status_code == 404


def test_registering_through_the_page_shows_the_ua_officer_no_warning_of_a_ru_child(users, client):
    make_child(users["ru"], **MARIIA_CYR)
    client.force_login(users["ua"])
    resp = client.post("/children/new/", {**MARIIA_LATIN, "birth_date_precision": "day",
                                           "separation_category": "other"})
    assert resp.status_code == 302, resp.content.decode()[:2000]
    created = Child.objects.get(party__code="UA")
    assert created.surname == "Kovalenko"
    assert len(pairs()) == 1


def test_a_child_of_the_officers_own_party_is_the_warnings_business_not_the_queues(users, client, token_for):
    held = make_child(users["ua"], **MARIIA_CYR)
    resp = post_child(client, token_for("ua"), MARIIA_LATIN)
    assert [d["id"] for d in resp.json()["possible_duplicates"]] == [held.pk]
    assert pairs() == set()


# --- what is matched against what ----------------------------------------------------------------------


def test_a_new_child_is_matched_against_open_tracing_requests(users):
    from homeward.registry.models import Person

    parent = Person.objects.create(party=users["ngo"].party, surname="Коваленко", relationship="mother")
    request = TracingRequest.objects.create(party=users["ngo"].party, requester=parent, **MARIIA_CYR)
    child = make_child(users["ua"], **{**MARIIA_CYR, "given_name": "Мария"})
    assert pairs() == {("tracing_request", request.pk, "child", child.pk)}


def test_a_new_tracing_request_is_matched_against_the_children_of_every_party(users):
    from homeward.registry import services
    from homeward.registry.models import Person

    ua_child = make_child(users["ua"], **MARIIA_CYR)
    ru_child = make_child(users["ru"], **{**MARIIA_CYR, "given_name": "Мария", "patronymic": "Ивановна"})
    parent = services.save_new(users["ngo"], Person(surname="Коваленко", relationship="mother"))
    request = services.save_new(users["ngo"], TracingRequest(requester=parent, **MARIIA_CYR))
    found = {(lt, li, rt, ri) for lt, li, rt, ri in pairs() if lt == "tracing_request"}
    assert found == {("tracing_request", request.pk, "child", ua_child.pk),
                     ("tracing_request", request.pk, "child", ru_child.pk)}


def test_a_closed_tracing_request_is_not_matched(users):
    from homeward.registry.models import Person

    parent = Person.objects.create(party=users["ngo"].party, surname="Коваленко", relationship="mother")
    TracingRequest.objects.create(party=users["ngo"].party, requester=parent, status="withdrawn", **MARIIA_CYR)
    make_child(users["ua"], **MARIIA_CYR)
    assert pairs() == set()


def test_a_new_child_is_matched_against_the_names_on_the_other_sides_latest_list(users, parties):
    from homeward.exchange import services
    from homeward.exchange.models import ListEntry

    data = ("Фамилия;Имя;Отчество;Дата рождения;Пол;Место рождения\n"
            "Коваленко;Мария;Ивановна;04.03.2012;ж;Мариуполь\n").encode()
    services.import_list(users["ru"], party=parties["RU"], title="RU holds", filename="ru.csv", data=data, via="cli")
    entry = ListEntry.objects.get()
    child = make_child(users["ua"], **MARIIA_CYR)
    assert ("list_entry", entry.pk, "child", child.pk) in pairs()


def test_a_different_child_of_the_other_side_is_not_proposed(users):
    make_child(users["ru"], **MARIIA_CYR)
    make_child(users["ua"], given_name="Богдан", surname="Шевчук", sex="M", birth_date=dt.date(2010, 7, 1),
               birth_place="Львів")
    assert pairs() == set()


# --- judged pairs ------------------------------------------------------------------------------------


def test_a_pair_judged_different_is_not_proposed_again_when_a_record_is_saved_unchanged(users):
    from homeward.registry import services

    make_child(users["ru"], **MARIIA_CYR)
    ua = make_child(users["ua"], **{**MARIIA_CYR, "given_name": "Мария"})
    judge(users, Candidate.objects.get(), "different")
    ua.refresh_from_db()
    ua.medical_needs = "glasses"  # not matching evidence
    services.save_changes(users["ua"], ua, ua.version)
    assert list(Candidate.objects.values_list("decision", flat=True)) == ["different"]


def test_a_pair_judged_different_reopens_when_its_evidence_changes(users):
    from homeward.registry import services

    make_child(users["ru"], **MARIIA_CYR)
    ua = make_child(users["ua"], **{**MARIIA_CYR, "birth_date": dt.date(2012, 4, 3)})  # day and month swapped
    candidate = Candidate.objects.get()
    assert any(r["level"] == "day and month swapped" for r in candidate.reasons)
    judge(users, candidate, "different")
    ua.refresh_from_db()
    ua.birth_date = dt.date(2012, 3, 4)  # the date corrected: now the same date
    services.save_changes(users["ua"], ua, ua.version)
    candidate.refresh_from_db()
    assert candidate.decision == "pending" and candidate.decided_by is None
    assert any(r["level"] == "same date" for r in candidate.reasons)
    assert Candidate.objects.count() == 1


def test_a_pair_confirmed_as_the_same_child_is_never_reopened(users):
    from homeward.registry import services

    make_child(users["ru"], **MARIIA_CYR)
    ua = make_child(users["ua"], **{**MARIIA_CYR, "birth_date": dt.date(2012, 4, 3)})
    judge(users, Candidate.objects.get(), "same")
    ua.refresh_from_db()
    ua.birth_date = dt.date(2012, 3, 4)
    services.save_changes(users["ua"], ua, ua.version)
    assert list(Candidate.objects.values_list("decision", flat=True)) == ["same"]


def test_a_pair_judged_on_a_batch_runs_explanation_is_not_proposed_again(users):
    """A pair judged from a matching run (no evidence digest stored yet) is compared on its explanation."""
    from homeward.registry import continuous

    ru = make_child(users["ru"], **MARIIA_CYR)
    ua = make_child(users["ua"], **{**MARIIA_CYR, "given_name": "Мария"})
    candidate = Candidate.objects.get()
    PairEvidence.objects.all().delete()
    judge(users, candidate, "different")
    continuous.match("child", ua.pk)
    continuous.match("child", ru.pk)
    assert list(Candidate.objects.values_list("decision", flat=True)) == ["different"]


def test_matching_a_record_twice_stores_one_pair(users):
    from homeward.registry import continuous

    make_child(users["ru"], **MARIIA_CYR)
    ua = make_child(users["ua"], **{**MARIIA_CYR, "given_name": "Мария"})
    first = continuous.match("child", ua.pk)
    again = continuous.match("child", ua.pk)
    assert (first.proposed, again.proposed, Candidate.objects.count(), PairEvidence.objects.count()) == (0, 0, 1, 1)
    assert again.updated == 1


def test_a_record_is_matched_in_its_three_scopes_with_each_name_words_index_values_read_once(users, parties):
    """A child is matched against the other side's children, the open tracing requests and the other side's
    list names: three searches of the same words, whose name values (the index's keys) are read once, and the
    same pairs are found as with a read per scope."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from homeward.exchange import services as exchange
    from homeward.registry import continuous, search
    from homeward.registry.models import Person

    data = ("Фамилия;Имя;Отчество;Дата рождения;Пол;Место рождения\n"
            "Коваленко;Мария;Ивановна;04.03.2012;ж;Мариуполь\n").encode()
    exchange.import_list(users["ru"], party=parties["RU"], title="RU holds", filename="ru.csv", data=data, via="cli")
    parent = Person.objects.create(party=users["ngo"].party, surname="Коваленко", relationship="mother")
    TracingRequest.objects.create(party=users["ngo"].party, requester=parent, **MARIIA_CYR)
    make_child(users["ru"], **MARIIA_CYR)
    ua = make_child(users["ua"], **{**MARIIA_CYR, "given_name": "Мария"})
    found = {p for p in pairs() if ("child", ua.pk) in (p[:2], p[2:])}
    assert {lt for lt, *_ in found} | {rt for *_, rt, _ in found} == {"child", "tracing_request", "list_entry"}

    def value_reads(run: Any) -> int:
        with CaptureQueriesContext(connection) as ctx:
            run()
        return sum('FROM "registry_namevaluekey"' in q["sql"] for q in ctx.captured_queries)

    Candidate.objects.all().delete()
    PairEvidence.objects.all().delete()
    assert value_reads(lambda: continuous.match("child", ua.pk)) == 1  # "Мария", "Коваленко": once, together
    assert pairs() == found
    per_scope = 0
    for _kind, scope in continuous.targets(ua):
        per_scope += value_reads(lambda scope=scope: search.search(scope, "Мария Коваленко"))
    assert per_scope == 3


# --- the evidence digest -----------------------------------------------------------------------------


def test_the_evidence_digest_is_a_hash_of_the_levels_never_a_value(users):
    make_child(users["ru"], **MARIIA_CYR)
    make_child(users["ua"], **{**MARIIA_CYR, "given_name": "Мария"})
    stored = PairEvidence.objects.get().digest
    assert len(stored) == 64 and all(c in "0123456789abcdef" for c in stored)
    for value in ("Марія", "Мария", "Коваленко", "2012", "Маріуполь"):
        assert value not in stored


def test_the_digest_depends_on_the_levels_only():
    from homeward.registry.continuous import digest

    a = digest([("birth date", "same date"), ("surname", "same name")])
    assert a == digest([("surname", "same name"), ("birth date", "same date")])
    assert a != digest([("birth date", "day and month swapped"), ("surname", "same name")])


# --- in the background -------------------------------------------------------------------------------


def test_a_save_queues_one_job_and_proposes_nothing_until_a_worker_runs_it(users, settings):
    from django_tasks_db.models import DBTaskResult

    from homeward.registry import continuous

    make_child(users["ru"], **MARIIA_CYR)
    settings.BACKGROUND_JOBS = True
    ua = make_child(users["ua"], **{**MARIIA_CYR, "given_name": "Мария"})
    job = DBTaskResult.objects.get(task_path="homeward.registry.continuous.match_record")
    assert (job.status, job.args_kwargs["args"]) == ("READY", ["child", ua.pk])
    assert pairs() == set()
    assert continuous.match_record.func(None, "child", ua.pk) == 1
    assert len(pairs()) == 1


def test_a_failing_match_never_undoes_the_registration(users, monkeypatch):
    from homeward.registry import continuous

    def broken(kind: str, pk: int) -> Any:
        raise RuntimeError("matcher down")

    monkeypatch.setattr(continuous, "match", broken)
    child = make_child(users["ua"], **MARIIA_CYR)
    assert Child.objects.filter(pk=child.pk).exists()


def test_nothing_is_matched_with_continuous_matching_off(users, settings):
    settings.CONTINUOUS_MATCHING = False
    make_child(users["ru"], **MARIIA_CYR)
    make_child(users["ua"], **{**MARIIA_CYR, "given_name": "Мария"})
    assert pairs() == set()


# --- what one match costs ----------------------------------------------------------------------------


def _ru_namesakes(users: dict[str, Any], n: int) -> list[Child]:
    """``n`` RU children each likely the same child as MARIIA_CYR (another birth place each)."""
    return [make_child(users["ru"], **{**MARIIA_CYR, "birth_place": place})
            for place in ("Маріуполь", "Бердянськ", "Херсон", "Мелітополь", "Запоріжжя", "Донецьк", "Луганськ",
                          "Харків")[:n]]


def _match_queries(kind: str, pk: int) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from homeward.registry import continuous

    with CaptureQueriesContext(connection) as ctx:
        continuous.match(kind, pk)
    return [q["sql"] for q in ctx.captured_queries]


def _pair_writes(queries: list[str]) -> list[str]:
    """The statements among ``queries`` that write candidate pairs or their evidence."""
    return [q for q in queries if q.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
            and ('"linkage_candidate"' in q or '"registry_pairevidence"' in q)]


def _lifecycle_queries(users: dict[str, Any], ua: Child) -> tuple[list[str], list[str], list[str]]:
    """The queries of matching ``ua`` first (proposing), after a change of its birth date (every pair
    re-scored) and again unchanged."""
    from homeward.registry import services

    Candidate.objects.all().delete()
    PairEvidence.objects.all().delete()
    proposing = _match_queries("child", ua.pk)
    ua.refresh_from_db()
    ua.birth_date = dt.date(2012, 4, 3)  # day and month swapped: every pair's evidence and score change
    services.save_changes(users["ua"], ua, ua.version)
    rescoring = _match_queries("child", ua.pk)
    unchanged = _match_queries("child", ua.pk)
    return proposing, rescoring, unchanged


def test_one_match_costs_the_same_queries_whatever_its_number_of_candidates_and_pairs(users, settings):
    """Proposing 2 or 8 pairs, re-scoring them after a change, and matching again unchanged: the same number
    of queries whatever the number (the candidates are read per scope, the pairs read and written in bulk);
    a match that changes nothing writes nothing."""
    from homeward.notifications import services as notifications

    settings.CONTINUOUS_MATCHING = False  # the records are saved first, matched here
    notifications.pairs_proposed(1)  # today's notice exists: each proposing match below counts it up alike
    first = make_child(users["ua"], **{**MARIIA_CYR, "given_name": "Мария"})
    _ru_namesakes(users, 2)
    few = _lifecycle_queries(users, first)
    assert Candidate.objects.filter(decision="pending").count() == 2
    _ru_namesakes(users, 6)
    second = make_child(users["ua"], **{**MARIIA_CYR, "given_name": "Мария"})
    many = _lifecycle_queries(users, second)
    assert Candidate.objects.filter(decision="pending").count() == 8
    assert all(any(r["level"] == "day and month swapped" for r in c.reasons) for c in Candidate.objects.all())
    assert [len(q) for q in few] == [len(q) for q in many]
    assert [len(_pair_writes(q)) for q in many] == [2, 2, 0]  # candidates and evidence: inserted, updated, left alone


def test_the_model_and_the_registry_size_are_read_once_per_worker_for_thirty_seconds(users, settings, monkeypatch):
    import time

    from homeward.registry import continuous

    settings.CONTINUOUS_MATCHING_CACHE_SECONDS = 30
    make_child(users["ru"], **MARIIA_CYR)
    ua = make_child(users["ua"], **{**MARIIA_CYR, "given_name": "Мария"})
    continuous._models.clear()  # a new worker

    def model_reads(queries: list[str]) -> int:
        return sum('FROM "linkage_matchrun"' in q or q.startswith('SELECT COUNT(*) AS "__count" FROM "registry_child"')
                   for q in queries)

    now = time.monotonic()
    monkeypatch.setattr(time, "monotonic", lambda: now)
    assert model_reads(_match_queries("child", ua.pk)) == 2  # the first job of this worker (the cache was empty)
    monkeypatch.setattr(time, "monotonic", lambda: now + 29)
    assert model_reads(_match_queries("child", ua.pk)) == 0
    monkeypatch.setattr(time, "monotonic", lambda: now + 31)
    assert model_reads(_match_queries("child", ua.pk)) == 2


def test_a_match_failing_between_its_writes_leaves_nothing_and_the_next_run_stores_each_pair_once(
        users, settings, monkeypatch):
    """As a worker killed mid-job: the pairs and their evidence are written in one transaction."""
    from homeward.registry import continuous

    settings.CONTINUOUS_MATCHING = False
    _ru_namesakes(users, 3)
    ua = make_child(users["ua"], **{**MARIIA_CYR, "given_name": "Мария"})
    real = PairEvidence.objects.bulk_create

    def dies(*args: Any, **kwargs: Any) -> Any:
        raise SystemExit("killed")

    monkeypatch.setattr(PairEvidence.objects, "bulk_create", dies)
    with pytest.raises(SystemExit):
        continuous.match("child", ua.pk)
    assert (Candidate.objects.count(), PairEvidence.objects.count()) == (0, 0)
    monkeypatch.setattr(PairEvidence.objects, "bulk_create", real)
    assert continuous.match("child", ua.pk).proposed == 3
    continuous.match("child", ua.pk)
    assert (Candidate.objects.count(), PairEvidence.objects.count()) == (3, 3)


def test_a_judged_pair_stored_the_other_way_round_is_found_and_not_proposed_again(users, settings):
    """A pair some earlier code stored right to left is the same pair: kept judged, no second candidate."""
    from homeward.registry import continuous

    settings.CONTINUOUS_MATCHING = False
    ru = make_child(users["ru"], **MARIIA_CYR)
    ua = make_child(users["ua"], **{**MARIIA_CYR, "given_name": "Мария"})
    continuous.match("child", ua.pk)
    candidate = Candidate.objects.get()
    judge(users, candidate, "different")
    Candidate.objects.filter(pk=candidate.pk).update(left_type=candidate.right_type, left_id=candidate.right_id,
                                                     right_type=candidate.left_type, right_id=candidate.left_id)
    assert continuous.match("child", ua.pk).kept_judged == 1
    assert continuous.match("child", ru.pk).kept_judged == 1
    assert list(Candidate.objects.values_list("decision", flat=True)) == ["different"]


def test_a_pending_pair_gets_the_new_score_and_explanation_when_the_record_changes(users):
    from homeward.registry import services

    make_child(users["ru"], **MARIIA_CYR)
    ua = make_child(users["ua"], **{**MARIIA_CYR, "given_name": "Мария", "birth_place": "Херсон"})
    before = Candidate.objects.get()
    ua.refresh_from_db()
    ua.birth_place = "Маріуполь"
    services.save_changes(users["ua"], ua, ua.version)
    after = Candidate.objects.get()
    assert after.decision == "pending" and after.match_probability > before.match_probability
    assert any(r["comparison"] == "birth place" and r["level"] == "same place" for r in after.reasons)
    assert not any(r.get("level") == "same place" for r in before.reasons)


def test_a_child_is_scored_under_each_of_its_other_name_forms_on_either_side(users, settings):
    """A RU child registered under an adoptive name, with its birth name as another form, is the UA child's
    pair; and the other way round (the UA child's own other form)."""
    from homeward.registry import continuous, services
    from homeward.registry.models import NameForm

    settings.CONTINUOUS_MATCHING = False
    adopted = {**MARIIA_CYR, "given_name": "Анна", "surname": "Петренко", "patronymic": "Олегівна",
               "birth_place": ""}
    ru = make_child(users["ru"], **adopted)
    ua = make_child(users["ua"], **{**MARIIA_CYR, "given_name": "Мария"})
    assert continuous.match("child", ua.pk).proposed == 0
    services.add_name_form(users["ru"], ru, NameForm(surname="Коваленко", given_name="Марія",
                                                    patronymic="Іванівна", kind="former"))
    assert continuous.match("child", ua.pk).proposed == 1
    Candidate.objects.all().delete()
    assert continuous.match("child", ru.pk).proposed == 1  # the RU child's own forms, matched from its side
    assert any(r["comparison"] == "surname" and "same" in r["level"] for r in Candidate.objects.get().reasons)


def test_a_child_is_matched_against_the_latest_version_of_the_other_sides_list_only(users, parties, settings):
    from homeward.exchange import services
    from homeward.exchange.models import ListEntry
    from homeward.registry import continuous

    settings.CONTINUOUS_MATCHING = False
    header = "Фамилия;Имя;Отчество;Дата рождения;Пол;Место рождения\n"
    mariia = "Коваленко;Мария;Ивановна;04.03.2012;ж;Мариуполь\n"
    bohdan = "Шевчук;Богдан;Петрович;01.07.2010;м;Львов\n"
    for rows in (mariia, bohdan):  # version 2 replaces version 1's names
        services.import_list(users["ru"], party=parties["RU"], title="RU holds", filename="ru.csv",
                             data=(header + rows).encode(), via="cli")
    child = make_child(users["ua"], **MARIIA_CYR)
    Candidate.objects.all().delete()  # the list's own matching runs' pairs: continuous matching's are looked at
    assert continuous.match("child", child.pk).proposed == 0
    services.import_list(users["ru"], party=parties["RU"], title="RU holds", filename="ru.csv",
                         data=(header + bohdan + mariia).encode(), via="cli")  # version 3 has her again
    Candidate.objects.all().delete()
    assert continuous.match("child", child.pk).proposed == 1
    latest = ListEntry.objects.get(version__number=3, surname="Коваленко")
    assert pairs() == {("list_entry", latest.pk, "child", child.pk)}
