"""The pure search keys: which query words find which names, at which tier, and why."""

from __future__ import annotations

import pytest

from homeward.names.search import EXACT, SAME_NAME, TYPO, explain, query_keys, record_keys

RECORD = ("Коваленко", "Олександр", "Петрович")


def match(query: str, surname: str = RECORD[0], given: str = RECORD[1], patronymic: str = RECORD[2]):
    words = query_keys(query)
    return [explain(w, surname, given, patronymic) for w in words]


@pytest.mark.parametrize("query,tier,reason", [
    ("Коваленко", EXACT, "spelling"),
    ("КОВАЛЕНКО", EXACT, "spelling"),
    ("Kovalenko", SAME_NAME, "script"),
    ("Kowalenko", SAME_NAME, "script"),
    ("Коваленка", SAME_NAME, "gender_form"),
    ("Kovalemko", TYPO, "typo"),
    ("Kovalrnko", TYPO, "typo"),
    ("Kovaleko", TYPO, "typo"),
])
def test_query_word_finds_surname_at_its_tier(query, tier, reason):
    (m,) = match(query)
    assert m is not None and (m.tier, m.reason, m.part) == (tier, reason, "surname")


@pytest.mark.parametrize("query,reason", [
    ("Oleksandr", "script"), ("Aleksandr", "uk_form"), ("Саша", "diminutive"), ("Александр", "uk_form"),
])
def test_given_name_is_found_in_other_forms(query, reason):
    (m,) = match(query)
    assert m is not None and m.part == "given" and m.tier == SAME_NAME and m.reason == reason


def test_russian_record_of_a_ukrainian_query_is_a_russian_form():
    (m,) = match("Олександр", "Коваленко", "Александр", "")
    assert m is not None and m.reason == "ru_form" and m.record_word == "Александр"


def test_each_query_word_must_match():
    assert None in match("Kovalenko Mariia")
    assert all(m is not None for m in match("Oleksandr Kovalenko"))


def test_unrelated_name_does_not_match():
    assert match("Шевченко") == [None]
    assert match("Petrenko") == [None]


def test_keys_are_bounded_and_typo_keys_only_for_longer_words():
    keys = record_keys("Ли", "Ян", "")
    assert not any(k.startswith("d:") for k in keys)
    assert all(len(k) <= 64 for k in record_keys("К" * 200, "", ""))


def test_query_without_name_words_has_no_keys():
    assert query_keys(" 123 , ") == []
    assert len(query_keys("a b c d e f g h")) == 6
