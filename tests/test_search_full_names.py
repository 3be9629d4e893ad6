"""Full-name search (surname, given name, patronymic) in any script and scheme: children registered without a
patronymic, real-world romanisations of patronymics, rank order and scoping (issue 10)."""

from __future__ import annotations

import pytest

from tests.factories import make_child

pytestmark = pytest.mark.django_db


def ranked(users, role, q):
    from homeward import access
    from homeward.registry import search

    found = search.search(access.children(users[role]), q)
    assert found is not None
    return found


def api(client, token, q):
    resp = client.get("/api/v1/children", {"q": q}, **token)
    assert resp.status_code == 200, resp.content
    body = resp.json()
    return [c["id"] for c in body["items"]], body["count"], body["items"]


@pytest.fixture
def family(users):
    """Коваленко children: with the queried patronymic in Ukrainian and Russian, without one, with another."""
    return {
        "uk": make_child(users["ua"], surname="Коваленко", given_name="Олександр", patronymic="Володимирович"),
        "ru": make_child(users["ru"], surname="Коваленко", given_name="Александр", patronymic="Владимирович"),
        "none_ua": make_child(users["ua"], surname="Kovalenko", given_name="Oleksandr", patronymic=""),
        "none_ru": make_child(users["ru"], surname="Коваленко", given_name="Александр", patronymic=""),
        "other_father": make_child(users["ua"], surname="Коваленко", given_name="Олександр", patronymic="Іванович"),
        "other_given": make_child(users["ua"], surname="Коваленко", given_name="Марія", sex="F", patronymic=""),
    }


@pytest.mark.parametrize("q", ["Коваленко Олександр Володимирович", "Kovalenko Oleksandr Volodymyrovych",
                               "Oleksandr Volodymyrovych Kovalenko", "Коваленко Александр Владимирович"])
def test_a_full_name_finds_children_without_a_patronymic_after_those_with_the_same_one(users, family, q):
    found = ranked(users, "mediator", q).ranked
    ids = [pk for pk, _t in found]
    full, without = {family["uk"].pk, family["ru"].pk}, {family["none_ua"].pk, family["none_ru"].pk}
    assert set(ids) == full | without
    assert set(ids[:2]) == full  # every word matched comes first
    assert family["other_father"].pk not in ids  # another father's child is not the same child
    assert all(3 in t for pk, t in found if pk in without) and not any(3 in t for pk, t in found if pk in full)


def test_two_words_never_leave_one_out(users, family):
    ids = ranked(users, "mediator", "Олександр Володимирович").ids()
    assert set(ids) == {family["uk"].pk, family["ru"].pk}


def test_a_word_that_is_no_patronymic_is_never_left_out(users, family):
    ids = ranked(users, "mediator", "Коваленко Олександр Шевченко").ids()
    assert ids == []


def test_the_reason_says_the_record_has_no_patronymic(client, token_for, family):
    ids, count, items = api(client, token_for("mediator"), "Kovalenko Oleksandr Volodymyrovych")
    assert count == 4
    why = {c["id"]: c["match_reasons"] for c in items}
    assert any("no patronymic" in r for r in why[family["none_ru"].pk])
    assert not any("no patronymic" in r for r in why[family["ru"].pk])


@pytest.mark.parametrize("role, own", [("ua", ("uk", "none_ua")), ("ru", ("ru", "none_ru"))])
def test_an_officer_finds_only_its_own_party_with_an_exact_count(client, token_for, family, role, own):
    ids, count, _ = api(client, token_for(role), "Коваленко Олександр Володимирович")
    assert ids == [family[own[0]].pk, family[own[1]].pk]
    assert count == 2


def test_whether_a_child_without_patronymic_is_found_does_not_depend_on_other_parties(users):
    """The other party's child with the same full name changes nothing of what an officer finds."""
    mine = make_child(users["ua"], surname="Бондаренко", given_name="Іван", patronymic="")
    before = ranked(users, "ua", "Бондаренко Іван Петрович")
    assert (before.ids(), before.count()) == ([mine.pk], 1)
    make_child(users["ru"], surname="Бондаренко", given_name="Иван", patronymic="Петрович")
    after = ranked(users, "ua", "Бондаренко Іван Петрович")
    assert (after.ids(), after.count()) == ([mine.pk], 1)


@pytest.mark.parametrize("probe_rows", [0, 1, 5000])  # 0 and 1: every word common (the database intersects)
def test_children_without_a_patronymic_are_found_whichever_words_are_common(users, family, probe_rows,
                                                                            monkeypatch):
    from homeward.registry import search

    monkeypatch.setattr(search, "PROBE_ROWS", probe_rows)
    ids = ranked(users, "mediator", "Коваленко Олександр Володимирович").ids()
    assert set(ids[2:]) == {family["none_ua"].pk, family["none_ru"].pk}


# Hand-written romanisations as documents and people write them, of Коваленко Олександр Володимирович (UA) and
# Коваленко Александр Владимирович (RU): each must find both children, whatever scheme wrote it.
REAL_WORLD = [
    "Kovalenko Oleksandr Volodymyrovych",  # KMU 2010 / BGN/PCGN (Ukrainian)
    "Kovalenko Oleksandr Volodymyrovyč",  # ISO 9 style, Ukrainian
    "Kovalenko Aleksandr Vladimirovič",  # ISO 9 (GOST 7.79 A), Russian
    "Kovalenko Aleksandr Vladimirovich",  # BGN/PCGN, ICAO, Russian
    "Kowalenko Ołeksandr Wołodymyrowycz",  # Polish-style
    "Kowalenko Alexander Wladimirowitsch",  # German-style
    "Kovalenko Aleksandr Vladimirovitch",  # French-style
    "Oleksandr Volodymyrovych Kovalenko",  # given-first, as a Latin document writes it
    "Коваленко Олександр Володимирович",
    "Коваленко Александр Владимирович",
]


@pytest.mark.parametrize("q", REAL_WORLD)
def test_real_world_spellings_of_a_full_name_find_both_parties_children_first(users, family, q):
    ids = ranked(users, "mediator", q).ids()
    assert set(ids[:2]) == {family["uk"].pk, family["ru"].pk}


@pytest.mark.parametrize("q", ["Oleksandr Volodymyrovych", "Aleksandr Vladimirovich", "Wołodymyrowycz Ołeksandr"])
def test_given_name_and_patronymic_alone_find_both(users, family, q):
    ids = ranked(users, "mediator", q).ids()
    assert set(ids) == {family["uk"].pk, family["ru"].pk}


@pytest.mark.parametrize("q, patronymic", [
    ("Шевченко Марія Сергіївна", "Сергеевна"), ("Shevchenko Mariia Serhiivna", "Сергеевна"),
    ("Shevchenko Mariya Serhiyivna", "Сергеевна"), ("Шевченко Марія Андріївна", "Андреевна"),
    ("Shevchenko Mariia Andriivna", "Андреевна"), ("Шевченко Марія Олексіївна", "Алексеевна"),
    ("Shevchenko Mariia Oleksiivna", "Алексеевна"), ("Шевченко Марія Ігорівна", "Игоревна"),
    ("Shevchenko Mariia Ihorivna", "Игоревна"), ("Шевченко Марія Юріївна", "Юрьевна"),
    ("Shevchenko Mariia Yuriivna", "Юрьевна"), ("Шевченко Марія Іллівна", "Ильинична"),
])
def test_ukrainian_patronymics_of_a_girl_find_the_russian_record(users, q, patronymic):
    child = make_child(users["ru"], surname="Шевченко", given_name="Мария", sex="F", patronymic=patronymic)
    make_child(users["ru"], surname="Шевченко", given_name="Мария", sex="F", patronymic="Петровна")
    assert ranked(users, "mediator", q).ids() == [child.pk]


# Soft and hard signs written as primes (ISO 9, GOST 7.79, some passports) are inside a word, not between two.
@pytest.mark.parametrize("registered, queries", [
    (("Starostina", "Sof′ja", "Andreevna"), ["Софія Старостіна", "Старостіна Софія Андріївна", "Sofiia Starostina"]),
    (("Koval′chuk", "Darina", "Pavlovna"), ["Дарина Ковальчук", "Ковальчук Дарина Павлівна", "Kovalchuk Daryna"]),
    (("Budennyjj", "Kirilo", "Anatol′evich"), ["Буденний Кирило Анатолійович", "Budennyi Kyrylo Anatoliiovych"]),
    (("Pod″jachev", "Ivan", ""), ["Іван Подъячев", "Ivan Podiachev"]),
])
def test_a_latin_name_with_a_prime_for_a_soft_or_hard_sign_is_found(users, registered, queries):
    surname, given, patronymic = registered
    child = make_child(users["ru"], surname=surname, given_name=given, patronymic=patronymic)
    make_child(users["ru"], surname="Коваль", given_name="Дарина", patronymic="")  # "Koval" alone: not the child
    for q in queries:
        assert ranked(users, "mediator", q).ids()[:1] == [child.pk], q


@pytest.mark.django_db(transaction=True)
def test_the_migration_rekeys_the_name_values_written_with_a_prime():
    """Registry 0011 on a database whose values with a prime were keyed as two words: afterwards their keys are
    what a value written now gets, and the other values' keys are untouched."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("registry", "0010_list_entry_postings")]
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    value_model, key_model = old.get_model("registry", "NameValue"), old.get_model("registry", "NameValueKey")
    signed = value_model.objects.create(part="s", text="Koval′chuk")
    plain = value_model.objects.create(part="g", text="Darina")
    for value, key in ((signed, "e:koval"), (signed, "e:chuk"), (plain, "e:darina"), (plain, "a:kept")):
        key_model.objects.create(value_id=value.pk, key=key, tier=0)

    MigrationExecutor(connection).migrate(latest)

    from homeward.names.search import field_keys
    from homeward.registry.models import NameValueKey

    def keys(pk):
        return dict(NameValueKey.objects.filter(value_id=pk).values_list("key", "tier"))

    assert keys(signed.pk) == field_keys("Koval′chuk", "surname") and "a:kovalchuk" in keys(signed.pk)
    assert keys(plain.pk) == {"e:darina": 0, "a:kept": 0}
