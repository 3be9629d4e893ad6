"""Names a mediator can read (issue 10, item 4): lists of children show a Latin reading beside the original script,
and names sort in Ukrainian/Russian alphabetical order (Є after Е, І after И), not by code point."""

from __future__ import annotations

import re
from typing import Any

import pytest

from conftest import make_child
from homeward.registry.models import Child


@pytest.fixture
def alphabet(users: dict[str, Any]) -> dict[str, Any]:
    return {name: make_child(users["ua"], surname=name, given_name="Марія") for name in
            ("Єрмак", "Ілляшенко", "Андрієнко", "Гнатюк", "Ґалаґан", "Жук", "Яковенко")}


def _order(body: str, names: list[str]) -> list[str]:
    return sorted(names, key=body.index)


def test_children_sort_by_name_in_ukrainian_alphabetical_order(client: Any, users: dict[str, Any],
                                                               alphabet: Any) -> None:
    client.force_login(users["ua"])
    body = client.get("/children/?sort=name").content.decode()
    assert _order(body, list(alphabet)) == ["Андрієнко", "Гнатюк", "Ґалаґан", "Єрмак", "Жук", "Ілляшенко",
                                            "Яковенко"]
    body = client.get("/children/?sort=-name").content.decode()
    assert _order(body, list(alphabet))[0] == "Яковенко"


def test_the_default_order_of_children_is_alphabetical(alphabet: Any) -> None:
    surnames = list(Child.objects.values_list("surname", flat=True))
    assert surnames.index("Єрмак") > surnames.index("Андрієнко")
    assert surnames.index("Ілляшенко") > surnames.index("Жук")


def test_a_renamed_child_moves_to_its_new_place(alphabet: Any) -> None:
    child = alphabet["Яковенко"]
    child.surname = "Абрамович"
    child.save(update_fields=["surname"])
    assert list(Child.objects.values_list("surname", flat=True))[0] == "Абрамович"


def test_mediator_sees_the_latin_reading_of_each_party_in_its_own_scheme(client: Any, users: dict[str, Any]) -> None:
    make_child(users["ua"], surname="Коваленко", given_name="Марія", patronymic="")
    make_child(users["ru"], surname="Щеглова", given_name="Юлия", patronymic="")
    make_child(users["ru"], surname="Петренко", given_name="Олег", patronymic="")  # spelt alike: the party decides
    client.force_login(users["mediator"])
    body = client.get("/children/").content.decode()
    readings = re.findall(r'class="latin-reading[^"]*"[^>]*>([^<]+)<', body)
    assert "Kovalenko Mariia" in readings  # KMU 2010
    assert "Shcheglova Iuliia" in readings  # ICAO Doc 9303 (Russian passports)
    assert "Petrenko Oleg" in readings  # RU party: Russian reading (KMU would give Oleh)


def test_party_officer_list_shows_names_as_written_only(client: Any, users: dict[str, Any]) -> None:
    make_child(users["ua"], surname="Коваленко", given_name="Марія", patronymic="")
    client.force_login(users["ua"])
    body = client.get("/children/").content.decode()
    assert "Коваленко" in body and "latin-reading" not in body


def test_a_name_written_in_latin_gets_no_second_reading(client: Any, users: dict[str, Any]) -> None:
    make_child(users["ua"], surname="Kovalenko", given_name="Mariia", patronymic="")
    client.force_login(users["mediator"])
    assert "latin-reading" not in client.get("/children/").content.decode()


def test_mediator_reads_list_entries_and_review_pairs_in_latin(client: Any, users: dict[str, Any]) -> None:
    from homeward.ui.tags import latin

    entry = type("Entry", (), {"full_name": "Мельник Олександр"})()
    assert "Melnyk Oleksandr" in latin(entry)
    assert latin(type("Pair", (), {"full_name": ""})()) == ""
