"""Search results in rank order, read tier by tier: pages across tiers, exact counts per party, scoping."""

from __future__ import annotations

import pytest

from tests.factories import make_child

pytestmark = pytest.mark.django_db

# (party, surname, given name): "Коваленко" is the exact spelling, "Kovalenko" the same name in another
# script, "Ковпленко" one letter off; "Шевченко" must never be found.
ROWS = [
    ("ua", "Коваленко", "Борис"), ("ua", "Коваленко", "Андрій"), ("ru", "Коваленко", "Виктор"),
    ("ru", "Коваленко", "Александр"), ("ua", "Kovalenko", "Ivan"), ("ru", "Kovalenko", "Petr"),
    ("ua", "Ковпленко", "Яків"), ("ru", "Ковпленко", "Юрий"), ("ua", "Шевченко", "Тарас"),
    ("ru", "Коваленко", "Борис"), ("ua", "Kovalenko", "Andrii"),
]


@pytest.fixture
def registry(users):
    made = {"ua": [], "ru": []}
    for party, surname, given in ROWS:
        child = make_child(users[party], surname=surname, given_name=given, patronymic="")
        if surname != "Шевченко":
            made[party].append(child.pk)
    return made


def expected(registry, role):
    return set(registry["ua"]) | set(registry["ru"]) if role == "mediator" else set(registry[role])


def ranked(users, role, q="Коваленко"):
    from homeward import access
    from homeward.registry import search

    found = search.search(access.children(users[role]), q)
    assert found is not None
    return found


def paged(users, role, size):
    """Pages as a paginator reads them: a fresh search per page, the count first, then the slice."""
    out, offset, counts = [], 0, set()
    while True:
        found = ranked(users, role)
        counts.add(found.count())
        page = found[offset : offset + size]
        if not page:
            return out, counts
        out += [(c.pk, c.search_hit.tiers) for c in page]
        offset += size


def assert_rank_order(results):
    ranks = [(max(t), sum(t)) for _, t in results]
    assert ranks == sorted(ranks)
    assert len(set(ranks)) >= 3  # exact, same name and typo tiers all present


@pytest.mark.parametrize("role", ["mediator", "ua", "ru"])
def test_pages_across_tiers_give_every_result_once_in_rank_order(users, registry, role):
    whole = [(c.pk, c.search_hit.tiers) for c in ranked(users, role)]
    assert {pk for pk, _ in whole} == expected(registry, role)
    assert_rank_order(whole)
    for size in (1, 2, 3, 5):
        pages, counts = paged(users, role, size)
        assert pages == whole
        assert counts == {len(whole)}


@pytest.mark.parametrize("first_page", [1, 100])
@pytest.mark.parametrize("role", ["mediator", "ua", "ru"])
def test_count_is_exact_for_each_party_before_any_page_is_read(users, registry, role, first_page, monkeypatch):
    from homeward.registry import search

    monkeypatch.setattr(search, "FIRST_PAGE", first_page)  # 1: the groups after the first are only COUNTed
    found = ranked(users, role)
    assert found.count() == len(expected(registry, role))
    assert len(found) == found.count()


def test_results_within_a_tier_are_in_alphabetical_order(users, registry):
    from homeward.names.collate import collation_key

    found = ranked(users, "mediator")
    exact = [c for c in found if max(c.search_hit.tiers) == 0]
    assert [c.given_name for c in exact] == ["Александр", "Андрій", "Борис", "Борис", "Виктор"]
    keys = [(collation_key(c.full_name), c.pk) for c in exact]
    assert keys == sorted(keys)


@pytest.mark.parametrize("role", ["mediator", "ua", "ru"])
def test_big_tiers_read_in_chunks_stay_exact_and_in_id_order(users, registry, role, monkeypatch):
    from homeward.registry import search

    monkeypatch.setattr(search, "SCOPE_CHUNK", 2)
    monkeypatch.setattr(search, "SORT_BY_NAME_UP_TO", 1)
    monkeypatch.setattr(search, "FIRST_PAGE", 1)
    whole = ranked(users, role).ranked
    assert {pk for pk, _ in whole} == expected(registry, role)
    assert_rank_order(whole)
    for rank in {(max(t), sum(t)) for _, t in whole}:
        ids = [pk for pk, t in whole if (max(t), sum(t)) == rank]
        assert ids == sorted(ids) or len(ids) <= 1
    for size in (1, 2, 4):
        pages, counts = paged(users, role, size)
        assert [pk for pk, _ in pages] == [pk for pk, _ in whole]
        assert counts == {len(whole)}


@pytest.mark.parametrize("first_page", [1, 100])
def test_api_pages_and_counts_of_an_officer_hold_only_its_party(client, token_for, users, registry, first_page,
                                                               monkeypatch):
    from homeward.registry import search

    monkeypatch.setattr(search, "FIRST_PAGE", first_page)
    seen, offset = [], 0
    while True:
        resp = client.get("/api/v1/children", {"q": "Коваленко", "limit": 2, "offset": offset},
                          **token_for("ua"))
        assert resp.status_code == 200
        body = resp.json()
        assert body["count"] == len(registry["ua"])
        if not body["items"]:
            break
        assert {c["party"] for c in body["items"]} == {"UA"}
        seen += [c["id"] for c in body["items"]]
        offset += 2
    assert sorted(seen) == sorted(registry["ua"]) and len(seen) == len(set(seen))


def test_find_children_keeps_rank_order_and_scope(users, registry):
    from homeward.registry.search import find_children

    found = find_children(users["ru"], "Коваленко")
    assert {pk for pk, _ in found} == set(registry["ru"])
    assert_rank_order(found)


@pytest.mark.parametrize("probe_rows", [0, 3, 5000])  # 0: every word is common, the database intersects
@pytest.mark.parametrize("role", ["mediator", "ua"])
def test_two_word_queries_find_the_same_children_whichever_word_is_common(users, role, probe_rows, monkeypatch):
    from homeward.registry import search

    want = {}
    for party in ("ua", "ru"):
        want[party] = [
            make_child(users[party], surname="Коваленко", given_name="Олександр", patronymic="").pk,
            make_child(users[party], surname="Kovalenko", given_name="Oleksandr", patronymic="").pk,
            make_child(users[party], surname="Ковпленко", given_name="Олександр", patronymic="").pk,
        ]
        make_child(users[party], surname="Коваленко", given_name="Марія", sex="F", patronymic="")
        make_child(users[party], surname="Шевченко", given_name="Олександр", patronymic="")
    monkeypatch.setattr(search, "PROBE_ROWS", probe_rows)
    found = ranked(users, role, "Олександр Коваленко").ranked
    assert {pk for pk, _ in found} == (set(want["ua"]) | set(want["ru"]) if role == "mediator" else set(want["ua"]))
    assert {t for _, t in found} == {(0, 0), (1, 1), (0, 2)}
    assert_rank_order(found)


def test_a_large_rank_group_pages_in_alphabetical_order_with_an_exact_count(users):
    """More results in one rank group than a first page reads (FIRST_PAGE): the database sorts and returns only
    the page's share, the count is still exact and scoped, and every later page continues the same order."""
    from homeward import access
    from homeward.names.collate import collation_key
    from homeward.registry import search
    from homeward.registry.models import Child

    given = ["Олександр", "Марія", "Єва", "Іван", "Ґанна", "Андрій", "Ярослав", "Юлія", "Борис", "Ірина"]
    made = []
    for i in range(150):
        party = users["ua"].party if i % 3 else users["ru"].party  # a third are the other party's
        c = Child(party=party, surname="Коваленко", given_name=f"{given[i % 10]}", patronymic=f"П{i:03d}")
        c.sort_key = collation_key(c.full_name)[:600]
        made.append(c)
    Child.objects.bulk_create(made)
    search.index_many(search.REF.CHILD, [(c.pk, [(c.surname, c.given_name, c.patronymic)]) for c in made])
    own = sorted((c for c in made if c.party_id == users["ua"].party_id), key=lambda c: (c.sort_key, c.pk))
    found = search.search(access.children(users["ua"]), "Коваленко")
    assert found is not None and found.count() == len(own) == 100
    assert [c.pk for c in found[0:25]] == [c.pk for c in own[:25]]
    assert [c.pk for c in found[75:100]] == [c.pk for c in own[75:100]]
    again = search.search(access.children(users["ua"]), "Коваленко")
    assert again is not None and [c.pk for c in again] == [c.pk for c in own]


@pytest.mark.parametrize("probe_rows", [0, 1, 5000])  # 0 and 1: every word common, in either order of rarity
def test_three_word_queries_find_the_same_children_whichever_words_are_common(users, probe_rows, monkeypatch):
    """The database's intersection of the words' index ranges (rarest word first, each next word checked on
    the records kept so far) finds what the seed-and-check path finds, a record's name forms included."""
    from homeward.registry import search
    from homeward.registry.models import NameForm
    from homeward.registry.services import add_name_form

    hit = make_child(users["ua"], surname="Коваленко", given_name="Олександр", patronymic="Петрович")
    typo = make_child(users["ua"], surname="Коваленко", given_name="Олександр", patronymic="Петрвич")
    by_form = make_child(users["ua"], surname="Шевченко", given_name="Олександр", patronymic="Іванович")
    add_name_form(users["ua"], by_form, NameForm(surname="Коваленко", given_name="Олександр", patronymic="Петрович"))
    for given in ("Олександр", "Олександр", "Марія"):  # more rows for the first word than the others
        make_child(users["ua"], surname="Мельник", given_name=given, patronymic="Петрович")
    make_child(users["ua"], surname="Коваленко", given_name="Олександр", patronymic="Іванович")
    monkeypatch.setattr(search, "PROBE_ROWS", probe_rows)
    found = ranked(users, "ua", "Олександр Коваленко Петрович").ranked
    assert dict(found) == {hit.pk: (0, 0, 0), by_form.pk: (0, 0, 0), typo.pk: (0, 0, 2)}


def test_a_rank_group_larger_than_a_first_page_is_counted_in_full_with_its_sort(users):
    """The sort of a rank group returns a first page (FIRST_PAGE rows) and the number of the group's records in
    scope beside it; the count is every one of them, and the pages past the first read on in the same order."""
    from homeward import access
    from homeward.names.collate import collation_key
    from homeward.registry import search
    from homeward.registry.models import Child

    made = []
    for i in range(130):
        c = Child(party=users["ua"].party if i % 2 else users["ru"].party, surname="Коваленко",
                  given_name=["Олена", "Марія", "Ірина"][i % 3], patronymic=f"П{i:03d}")
        c.sort_key = collation_key(c.full_name)[:600]
        made.append(c)
    Child.objects.bulk_create(made)
    search.index_many(search.REF.CHILD, [(c.pk, [(c.surname, c.given_name, c.patronymic)]) for c in made])
    every = sorted(made, key=lambda c: (c.sort_key, c.pk))
    found = search.search(access.children(users["mediator"]), "Коваленко")
    assert found is not None and found.count() == 130
    assert [c.pk for c in found[0:25]] == [c.pk for c in every[:25]]
    assert [c.pk for c in found[110:130]] == [c.pk for c in every[110:130]]
    own = search.search(access.children(users["ua"]), "Коваленко")
    assert own is not None and own.count() == 65
