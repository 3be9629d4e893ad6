"""Name search beyond the children registry: tracing requests, persons, list names (within a version and
across lists) and the child picker of a return operation, on pages and in the API, ranked with reasons and
scoped (another party's records are never found, counted or reachable: 404)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from click.testing import CliRunner

from homeward.registry import search
from homeward.registry.models import NameRef, NameValue, Person, TracingRequest
from tests.conftest import make_child
from tests.factories import cleared_case

pytestmark = pytest.mark.django_db


def person(user: Any, **fields: Any) -> Person:
    from homeward.registry import services

    data = {"surname": "Коваленко", "given_name": "Ірина", "relationship": "mother"}
    data.update(fields)
    return services.save_new(user, Person(**data))


def tracing(user: Any, **fields: Any) -> TracingRequest:
    from homeward.registry import services

    data = {"surname": "Коваленко", "given_name": "Олександр", "sex": "M", "birth_date": dt.date(2014, 3, 5)}
    data.update(fields)
    return services.save_new(user, TracingRequest(requester=person(user), **data))


@pytest.fixture
def requests(users: dict[str, Any]) -> dict[str, TracingRequest]:
    return {"ua": tracing(users["ua"]),
            "ru": tracing(users["ru"], given_name="Александр", surname="Коваленко"),
            "other": tracing(users["ua"], surname="Шевчук", given_name="Богдан")}


def items(client: Any, headers: dict[str, str], url: str, **params: Any) -> tuple[list[int], int, list[Any]]:
    resp = client.get(url, params, **headers)
    assert resp.status_code == 200, resp.content
    body = resp.json()
    return [x["id"] for x in body["items"]], body["count"], body["items"]


# --- tracing requests --------------------------------------------------------------------------------


@pytest.mark.parametrize("q", ["Kovalenko", "Oleksandr Kovalenko", "Саша Коваленко", "Kowalenko"])
def test_mediator_finds_the_tracing_requests_of_both_parties_in_any_script(client, token_for, requests, q):
    ids, count, _ = items(client, token_for("mediator"), "/api/v1/tracing-requests", q=q)
    assert set(ids) == {requests["ua"].pk, requests["ru"].pk} and count == 2


def test_ua_officer_cannot_see_ru_tracing_request_in_search(client, token_for, requests):
    ids, count, _ = items(client, token_for("ua"), "/api/v1/tracing-requests", q="Александр Коваленко")
    assert (ids, count) == ([requests["ua"].pk], 1)


def test_tracing_request_results_say_why_they_matched(client, token_for, requests):
    _ids, _count, found = items(client, token_for("mediator"), "/api/v1/tracing-requests", q="Александр")
    by_id = {x["id"]: x["match_reasons"] for x in found}
    assert by_id[requests["ru"].pk] == []  # the same spelling needs no explanation
    assert any("Олександр" in why for why in by_id[requests["ua"].pk])


def test_tracing_request_search_keeps_the_status_filter(client, token_for, requests, users):
    from homeward.registry.models import TracingRequest as TR

    TR.objects.filter(pk=requests["ru"].pk).update(status="withdrawn")
    ids, _count, _ = items(client, token_for("mediator"), "/api/v1/tracing-requests", q="Kovalenko", status="open")
    assert ids == [requests["ua"].pk]


def test_tracing_list_page_finds_by_any_script_and_hides_the_other_party(client, users, requests):
    client.force_login(users["mediator"])
    page = client.get("/tracing/", {"q": "Kovalenko"}).content.decode()
    assert f"/tracing/{requests['ua'].pk}/" in page and f"/tracing/{requests['ru'].pk}/" in page
    assert f"/tracing/{requests['other'].pk}/" not in page
    client.force_login(users["ua"])
    page = client.get("/tracing/", {"q": "Kovalenko"}).content.decode()
    assert f"/tracing/{requests['ua'].pk}/" in page and f"/tracing/{requests['ru'].pk}/" not in page
    assert "1 request" in page


def test_tracing_list_page_answers_search_as_you_type_with_the_results(client, users, requests):
    client.force_login(users["mediator"])
    page = client.get("/tracing/", {"q": "Коваленко"}, HTTP_HX_REQUEST="true").content.decode()
    assert 'id="results"' in page and 'hx-trigger="input changed delay:300ms' in page


# --- persons -----------------------------------------------------------------------------------------


def test_persons_are_found_in_any_script_and_only_in_scope(client, token_for, users):
    ua = person(users["ua"], surname="Коваленко", given_name="Ірина")
    ru = person(users["ru"], surname="Коваленко", given_name="Ирина")
    person(users["ua"], surname="Шевчук", given_name="Ірина")
    assert set(items(client, token_for("mediator"), "/api/v1/persons", q="Iryna Kovalenko")[0]) == {ua.pk, ru.pk}
    assert items(client, token_for("ua"), "/api/v1/persons", q="Ирина Коваленко")[:2] == ([ua.pk], 1)
    assert items(client, token_for("ru"), "/api/v1/persons", q="Kovalenko")[:2] == ([ru.pk], 1)


def test_persons_without_a_query_are_listed_as_before(client, token_for, users):
    ua = person(users["ua"])
    ids, count, found = items(client, token_for("ua"), "/api/v1/persons")
    assert (ids, count, found[0]["match_reasons"]) == ([ua.pk], 1, [])


# --- list names ----------------------------------------------------------------------------------------

RU_LIST = ("Фамилия;Имя;Отчество;Дата рождения;Пол;Место рождения\n"
           "Коваленко;Александр;Петрович;05.03.2014;м;Херсон\n"
           "Иванов;Иван;Иванович;01.01.2010;м;Курск\n").encode()
UA_LIST = ("Прізвище;Ім'я;По батькові;Дата народження;Стать;Місце народження\n"
           "Коваленко;Олександр;Петрович;05.03.2014;ч;Херсон\n"
           "Шевченко;Софія;Андріївна;27.01.2015;ж;Мелітополь\n").encode()


@pytest.fixture
def lists(users: dict[str, Any], parties: dict[str, Any], settings: Any) -> dict[str, Any]:
    from homeward.exchange import services

    settings.EXCHANGE_MATCH_ON_IMPORT = False
    ru = services.import_list(users["ru"], party=parties["RU"], title="RU holds", filename="ru.csv", data=RU_LIST,
                              via="cli").version
    ua = services.import_list(users["ua"], party=parties["UA"], title="UA seeks", filename="ua.csv", data=UA_LIST,
                              via="cli").version
    return {"ru": ru, "ua": ua, "ru_kovalenko": ru.entries.get(row=2), "ua_kovalenko": ua.entries.get(row=2)}


def test_names_within_a_list_version_are_found_in_any_script(client, token_for, lists):
    v = lists["ru"]
    resp = client.get(f"/api/v1/lists/versions/{v.pk}/entries", {"q": "Oleksandr Kovalenko"}, **token_for("mediator"))
    assert resp.status_code == 200
    found = resp.json()["items"]
    assert [x["id"] for x in found] == [lists["ru_kovalenko"].pk]
    assert found[0]["match_reasons"]
    everyone = client.get(f"/api/v1/lists/versions/{v.pk}/entries", **token_for("mediator")).json()
    assert everyone["count"] == 2 and len(everyone["items"]) == 2


def test_version_page_filters_its_names_by_a_query(client, users, lists):
    client.force_login(users["mediator"])
    page = client.get(f"/lists/versions/{lists['ru'].pk}/", {"q": "Kovalenko"}).content.decode()
    assert f'id="entry-{lists["ru_kovalenko"].pk}"' in page
    other = lists["ru"].entries.get(row=3)
    assert f'id="entry-{other.pk}"' not in page


def test_names_across_lists_are_found_for_the_mediator(client, token_for, users, lists):
    ids, count, found = items(client, token_for("mediator"), "/api/v1/lists/entries", q="Коваленко Олександр")
    assert set(ids) == {lists["ru_kovalenko"].pk, lists["ua_kovalenko"].pk} and count == 2
    assert {x["list_title"] for x in found} == {"RU holds", "UA seeks"}
    client.force_login(users["mediator"])
    page = client.get("/lists/search/", {"q": "Kovalenko"}).content.decode()
    assert "RU holds" in page and "UA seeks" in page


def test_ua_officer_cannot_see_ru_list_names_not_forwarded_to_it(client, token_for, users, lists):
    ids, count, _ = items(client, token_for("ua"), "/api/v1/lists/entries", q="Kovalenko")
    assert (ids, count) == ([lists["ua_kovalenko"].pk], 1)
    client.force_login(users["ua"])
    page = client.get("/lists/search/", {"q": "Kovalenko"}).content.decode()
    assert "RU holds" not in page and "UA seeks" in page


def test_a_forwarded_name_is_found_by_the_receiving_party(client, token_for, users, lists):
    from homeward.exchange import services

    services.forward(users["mediator"], lists["ru"], [lists["ru_kovalenko"].pk])
    ids, _count, _ = items(client, token_for("ua"), "/api/v1/lists/entries", q="Kovalenko")
    assert set(ids) == {lists["ua_kovalenko"].pk, lists["ru_kovalenko"].pk}


def test_a_list_import_writes_one_posting_per_name_value_of_the_version_not_a_row_per_entry(lists):
    from homeward.exchange.models import ListEntry
    from homeward.names.search import record_keys
    from homeward.registry.models import NamePosting

    entries = list(ListEntry.objects.all())
    assert len(entries) == 4 and not NameRef.objects.filter(ref_type="l").exists()
    assert search.stored_keys("l") == {e.pk: record_keys(e.surname, e.given_name, e.patronymic) for e in entries}
    # RU: Коваленко, Иванов; Александр, Иван; Петрович, Иванович. UA: Коваленко, Шевченко; Олександр, Софія;
    # Петрович, Андріївна: twelve (value, version) pairs
    assert NamePosting.objects.count() == 12
    assert NamePosting.objects.filter(version_id=lists["ru"].pk).count() == 6


def test_list_names_are_found_when_every_query_word_is_common(client, token_for, lists, monkeypatch):
    monkeypatch.setattr(search, "PROBE_ROWS", 0)  # every word "common": the words' postings intersected
    ids, count, _ = items(client, token_for("mediator"), "/api/v1/lists/entries", q="Kovalenko Oleksandr")
    assert set(ids) == {lists["ru_kovalenko"].pk, lists["ua_kovalenko"].pk} and count == 2
    ids, count, _ = items(client, token_for("ua"), "/api/v1/lists/entries", q="Kovalenko Oleksandr")
    assert (ids, count) == ([lists["ua_kovalenko"].pk], 1)


def test_a_rare_list_name_seeds_the_search_and_the_other_word_is_checked_on_its_entries(client, token_for, lists):
    ids, count, _ = items(client, token_for("mediator"), "/api/v1/lists/entries", q="Софія Шевченко")
    assert (ids, count) == ([lists["ua"].entries.get(row=3).pk], 1)
    assert items(client, token_for("mediator"), "/api/v1/lists/entries", q="Софія Коваленко")[1] == 0


def test_reindex_rewrites_the_list_entries_postings(lists):
    from homeward.registry.models import NamePosting

    before = search.stored_keys("l")
    NamePosting.objects.all().delete()
    assert search.stored_keys("l") == {}
    assert search.reindex()["list entry"] == 4
    assert search.stored_keys("l") == before
    NamePosting.objects.filter(version_id=lists["ru"].pk).delete()
    assert search.index_many("l", [(lists["ru_kovalenko"].pk, [("", "", "")])]) == 2  # its version, whole
    assert search.stored_keys("l") == before


def test_ngo_gets_404_on_the_list_name_search(client, token_for, users, lists):
    assert client.get("/api/v1/lists/entries", {"q": "Kovalenko"}, **token_for("ngo")).status_code == 404
    client.force_login(users["ngo"])
    assert client.get("/lists/search/", {"q": "Kovalenko"}).status_code == 404


# --- the child picker of a return operation -----------------------------------------------------------


cleared = cleared_case  # a case walked to cleared_for_return (tests/factories.py)


@pytest.fixture
def operation(users: dict[str, Any], parties: dict[str, Any]) -> Any:
    from homeward.returns import services

    return services.create_operation(users["mediator"], name="Return operation Riga", from_party=parties["RU"],
                                     to_party=parties["UA"], planned_start=dt.date(2026, 1, 10),
                                     planned_end=dt.date(2026, 1, 12), capacity=10)


def test_the_child_picker_finds_cleared_children_by_any_spelling(client, users, operation):
    kovalenko = cleared(users["ru"], users["mediator"], surname="Коваленко", given_name="Александр")
    other = cleared(users["ru"], users["mediator"], surname="Шевчук", given_name="Богдан")
    make_child(users["ru"], surname="Коваленко", given_name="Олег")  # not cleared for return
    client.force_login(users["mediator"])
    resp = client.get(f"/returns/{operation.pk}/picker/", {"q": "Oleksandr Kovalenko"}, HTTP_HX_REQUEST="true")
    body = resp.content.decode()
    assert resp.status_code == 200
    assert f'value="{kovalenko.pk}"' in body and f'value="{other.pk}"' not in body and "Олег" not in body
    assert "Russian form of Oleksandr" in body  # why it matched
    everyone = client.get(f"/returns/{operation.pk}/picker/").content.decode()
    assert f'value="{kovalenko.pk}"' in everyone and f'value="{other.pk}"' in everyone


def test_the_operation_page_searches_its_picker_as_you_type(client, users, operation):
    client.force_login(users["mediator"])
    page = client.get(f"/returns/{operation.pk}/").content.decode()
    assert f'hx-get="/returns/{operation.pk}/picker/"' in page and 'hx-trigger="input changed delay:300ms"' in page


@pytest.mark.parametrize("who", ["ua", "ru", "ngo", "auditor"])
def test_only_mediators_use_the_child_picker(client, users, operation, who):
    cleared(users["ru"], users["mediator"], surname="Коваленко")
    client.force_login(users[who])
    assert client.get(f"/returns/{operation.pk}/picker/", {"q": "Kovalenko"}).status_code == 404


# --- the index command ---------------------------------------------------------------------------------


def test_reindex_command_rebuilds_the_index_with_progress(users, requests):
    from homeward.cli import main

    make_child(users["ua"], surname="Коваленко")
    before = {ref: search.stored_keys(ref) for ref in "cptl"}
    assert before["c"]
    NameRef.objects.all().delete()
    NameValue.objects.all().delete()
    result = CliRunner().invoke(main, ["search", "reindex"])
    assert result.exit_code == 0, result.output
    assert "child: 1/1 records" in result.output and "tracing request: 3/3 records" in result.output
    assert {ref: search.stored_keys(ref) for ref in "cptl"} == before
    assert "records indexed" in result.output


def test_reindex_command_has_help_with_examples():
    from homeward.cli import main

    result = CliRunner().invoke(main, ["search", "reindex", "--help"])
    assert result.exit_code == 0 and "homeward search reindex" in result.output
