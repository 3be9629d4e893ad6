"""Registry search by name in any script: index upkeep, ranking, explanations and scoping (pages and API)."""

from __future__ import annotations

import pytest

from tests.factories import make_child

pytestmark = pytest.mark.django_db

QUERIES = ["Kovalenko", "Oleksandr Kovalenko", "Саша Коваленко", "Kowalenko"]


@pytest.fixture
def kovalenkos(users):
    return {
        "ua": make_child(users["ua"], surname="Коваленко", given_name="Олександр"),
        "ru": make_child(users["ru"], surname="Коваленко", given_name="Александр", patronymic="Иванович"),
        "other": make_child(users["ua"], surname="Шевченко", given_name="Марія", sex="F", patronymic=""),
    }


def api_ids(client, token, q):
    resp = client.get("/api/v1/children", {"q": q}, **token)
    assert resp.status_code == 200, resp.content
    body = resp.json()
    return [c["id"] for c in body["items"]], body["count"], body["items"]


@pytest.mark.parametrize("q", QUERIES)
def test_mediator_finds_kovalenko_children_of_both_parties(client, token_for, kovalenkos, q):
    ids, count, _ = api_ids(client, token_for("mediator"), q)
    assert set(ids) == {kovalenkos["ua"].pk, kovalenkos["ru"].pk}
    assert count == 2


@pytest.mark.parametrize("q", QUERIES)
def test_ua_officer_cannot_see_ru_child_in_search(client, token_for, kovalenkos, q):
    ids, count, _ = api_ids(client, token_for("ua"), q)
    assert ids == [kovalenkos["ua"].pk]
    assert count == 1


@pytest.mark.parametrize("q", QUERIES)
def test_ru_officer_search_finds_only_ru_children(client, token_for, kovalenkos, q):
    ids, count, _ = api_ids(client, token_for("ru"), q)
    assert (ids, count) == ([kovalenkos["ru"].pk], 1)


def test_search_of_a_name_held_only_by_the_other_party_counts_zero(client, token_for, users):
    make_child(users["ru"], surname="Иванова", given_name="Мария", sex="F")
    ids, count, _ = api_ids(client, token_for("ua"), "Ivanova")
    assert (ids, count) == ([], 0)


def test_ngo_and_auditor_find_nothing(client, token_for, kovalenkos):
    assert api_ids(client, token_for("ngo"), "Kovalenko")[1] == 0
    resp = client.get("/api/v1/children", {"q": "Kovalenko"}, **token_for("auditor"))
    assert resp.status_code == 200 and resp.json()["count"] == 0


def test_exact_spelling_ranks_before_another_form(client, token_for, kovalenkos):
    ids, _, items = api_ids(client, token_for("mediator"), "Александр")
    assert ids == [kovalenkos["ru"].pk, kovalenkos["ua"].pk]
    assert items[0]["match_reasons"] == []
    assert "Олександр" in items[1]["match_reasons"][0]


def test_same_name_ranks_before_typo(client, token_for, users):
    typo = make_child(users["ua"], surname="Коваленко", given_name="Олексндр")
    same = make_child(users["ua"], surname="Коваленко", given_name="Олександр")
    ids, _, items = api_ids(client, token_for("mediator"), "Oleksandr")
    assert ids == [same.pk, typo.pk]
    assert "Олексндр" in items[1]["match_reasons"][0]


def test_renamed_child_is_found_under_the_new_name_only(client, token_for, users, kovalenkos):
    from homeward.registry import services

    child = kovalenkos["other"]
    child.surname = "Бондаренко"
    services.save_changes(users["ua"], child, child.version)
    assert api_ids(client, token_for("ua"), "Shevchenko")[1] == 0
    assert api_ids(client, token_for("ua"), "Bondarenko")[0] == [child.pk]


def test_child_is_found_under_a_name_form_added_later(client, token_for, users, kovalenkos):
    from homeward.registry import services
    from homeward.registry.models import NameForm

    child = kovalenkos["other"]
    services.add_name_form(users["ua"], child, NameForm(surname="Smith", given_name="Mary", kind="adoptive"))
    assert api_ids(client, token_for("ua"), "Mary Smith")[0] == [child.pk]


def test_child_created_by_api_with_name_forms_is_found_by_them(client, token_for):
    resp = client.post("/api/v1/children", {"surname": "Мельник", "given_name": "Софія", "name_forms": [
        {"surname": "Miller", "given_name": "Sophie", "kind": "adoptive"}]}, content_type="application/json",
        **token_for("ua"))
    assert resp.status_code == 201
    assert api_ids(client, token_for("ua"), "Miller")[0] == [resp.json()["id"]]


def test_search_combines_with_other_filters(client, token_for, kovalenkos):
    resp = client.get("/api/v1/children", {"q": "Kovalenko", "party": "RU"}, **token_for("mediator"))
    assert [c["id"] for c in resp.json()["items"]] == [kovalenkos["ru"].pk]


def test_children_page_finds_latin_query_and_says_why(client, users, kovalenkos):
    client.force_login(users["mediator"])
    resp = client.get("/children/", {"q": "Kovalenko"})
    assert resp.status_code == 200
    html = resp.content.decode()
    assert f"/children/{kovalenkos['ua'].pk}/" in html and f"/children/{kovalenkos['ru'].pk}/" in html
    assert "Шевченко" not in html
    assert "match-why" in html


def test_children_page_for_ua_officer_hides_ru_child(client, users, kovalenkos):
    client.force_login(users["ua"])
    resp = client.get("/children/", {"q": "Kovalenko"}, HTTP_HX_REQUEST="true")
    html = resp.content.decode()
    assert f"/children/{kovalenkos['ua'].pk}/" in html
    assert f"/children/{kovalenkos['ru'].pk}/" not in html
    assert "Иванович" not in html


def test_reindex_rebuilds_the_index(client, token_for, kovalenkos):
    from homeward.registry import search
    from homeward.registry.models import NameRef

    NameRef.objects.all().delete()
    assert api_ids(client, token_for("mediator"), "Kovalenko")[1] == 0
    written = search.reindex()
    assert written["child"] > 0
    assert api_ids(client, token_for("mediator"), "Kovalenko")[1] == 2


def test_find_children_is_scoped_to_the_actor(users, kovalenkos):
    from homeward.registry.search import find_children

    assert [pk for pk, _ in find_children(users["ua"], "Kovalenko")] == [kovalenkos["ua"].pk]
    assert {pk for pk, _ in find_children(users["mediator"], "Kovalenko")} == {
        kovalenkos["ua"].pk, kovalenkos["ru"].pk}
    assert find_children(users["auditor"], "Kovalenko") == []


def test_a_word_still_being_typed_finds_names_that_begin_with_it_after_full_matches(users):
    from homeward import access
    from homeward.registry import search
    from tests.factories import make_child

    make_child(users["ua"], surname="Шевченко", given_name="Тарас")
    make_child(users["ua"], surname="Бондаренко", given_name="Дарина", sex="F")
    make_child(users["ru"], surname="Шевчук", given_name="Иван")
    found = search.search(access.children(users["ua"]), "Шевч")
    assert found is not None and [c.surname for c in found] == ["Шевченко"]


@pytest.mark.parametrize("insert_rows", [1, 7, 200])
def test_index_many_writes_every_key_of_every_record_across_batches(users, insert_rows, monkeypatch):
    from homeward.names.search import record_keys
    from homeward.registry import search
    from homeward.registry.models import NameRef

    monkeypatch.setattr(search, "INSERT_ROWS", insert_rows)
    names = [("Коваленко", "Олександр", "Петрович"), ("Шевченко", "Марія", ""), ("Kovalenko", "Ivan", ""),
             ("Бондаренко", "Дарина", "Іванівна")] * 6
    records = [(1000 + i, [n]) for i, n in enumerate(names)]
    written = search.index_many("p", records, batch_size=11)
    assert search.stored_keys("p") == {rid: record_keys(*n) for rid, (n,) in records}
    assert written == len(records) == NameRef.objects.filter(ref_type="p").count()
    assert search.index_many("p", records[:3]) == 3
    assert NameRef.objects.filter(ref_type="p").count() == len(records)  # replaced, not added twice
    assert search.stored_keys("p") == {rid: record_keys(*n) for rid, (n,) in records}


def test_the_index_stores_each_distinct_name_value_once_with_its_keys(users):
    from homeward.names.search import field_keys
    from homeward.registry import search
    from homeward.registry.models import NameValue, NameValueKey

    names = [("Коваленко", "Марія", ""), ("Коваленко", "Олександр", ""), ("Шевченко", "Марія", "")] * 50
    search.index_many("t", [(1 + i, [n]) for i, n in enumerate(names)])
    search.index_many("p", [(1, [("Коваленко", "Марія", "Іванівна")])])
    values = set(NameValue.objects.values_list("part", "text"))
    assert values == {("s", "Коваленко"), ("s", "Шевченко"), ("g", "Марія"), ("g", "Олександр"),
                      ("p", "Іванівна")}
    parts = {"s": "surname", "g": "given", "p": "patronymic"}
    assert NameValueKey.objects.count() == sum(len(field_keys(t, parts[p])) for p, t in values)  # type: ignore[arg-type]


def test_a_name_value_already_stored_is_reused_not_made_again(users):
    from homeward.registry import search

    first = search.value_ids({("s", "Коваленко"), ("g", "Марія")})
    again = search.value_ids({("s", "Коваленко"), ("g", "Марія"), ("g", "Олена"), ("g", "")})
    assert again[("s", "Коваленко")] == first[("s", "Коваленко")] and again[("g", "Марія")] == first[("g", "Марія")]
    assert ("g", "") not in again and len(set(again.values())) == 3


def test_a_child_with_two_name_forms_is_found_under_either(users):
    from homeward import access
    from homeward.registry import search
    from homeward.registry.models import NameForm
    from tests.factories import make_child

    child = make_child(users["ua"], surname="Коваленко", given_name="Олександр")
    NameForm.objects.create(child=child, surname="Petrenko", given_name="Sasha", kind="former")
    search.index(child)
    for q in ("Kovalenko", "Petrenko", "Петренко Олександр"):
        found = search.search(access.children(users["ua"]), q)
        assert found is not None and [c.pk for c in found] == [child.pk], q


@pytest.mark.parametrize("q", QUERIES)
def test_the_demo_holds_the_cross_script_pair_that_its_searches_find(client, token_for, users, q):
    """A new user tries the issue's searches on `make demo`: the UA Олександр and the RU Александр Коваленко."""
    from homeward.registry import demo
    from homeward.registry.models import Child

    demo.load(n_ua=3, n_ru=2, n_ru_care=0)
    ua = Child.objects.get(party__code="UA", given_name="Олександр", surname="Коваленко")
    ru = Child.objects.get(party__code="RU", given_name="Александр", surname="Коваленко")
    assert set(api_ids(client, token_for("mediator"), q)[0]) >= {ua.pk, ru.pk}
    assert ru.pk not in api_ids(client, token_for("ua"), q)[0]
    assert ua.pk in api_ids(client, token_for("ua"), q)[0]


@pytest.mark.django_db(transaction=True)
def test_the_migration_to_name_values_rebuilds_the_index_of_existing_records():
    """Registry 0009 (keys per name value) on a database indexed the old way: every existing child, with its
    other name forms, is found afterwards under the same keys as a record written now."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("registry", "0008_child_birth_date_index")]
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    party = old.get_model("accounts", "Party").objects.create(code="UA", name="Ukraine", kind="authority")
    child_model = old.get_model("registry", "Child")
    first = child_model.objects.create(party=party, surname="Коваленко", given_name="Олександр", patronymic="Петрович")
    second = child_model.objects.create(party=party, surname="Шевченко", given_name="Марія")
    old.get_model("registry", "NameForm").objects.create(child=second, surname="Shevchenko", given_name="Mariia",
                                                         kind="other_script")
    old.get_model("registry", "NameKey").objects.create(ref_type="c", ref_id=first.pk, key="e:stale", tier=0)

    MigrationExecutor(connection).migrate(latest)

    from homeward.names.search import record_keys
    from homeward.registry import search

    want_second = record_keys("Шевченко", "Марія", "")
    for k, t in record_keys("Shevchenko", "Mariia", "").items():
        want_second[k] = min(t, want_second.get(k, t))
    assert search.stored_keys("c") == {first.pk: record_keys("Коваленко", "Олександр", "Петрович"),
                                       second.pk: want_second}
    assert "registry_namekey" not in connection.introspection.table_names()
