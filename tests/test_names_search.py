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


def _one_edit_by_definition(key: str) -> set[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    out = set()
    for i in range(len(key) + 1):
        out |= {key[:i] + c + key[i:] for c in letters}
        if i < len(key):
            out |= {key[:i] + key[i + 1:]} | {key[:i] + c + key[i + 1:] for c in letters}
        if i + 1 < len(key):
            out.add(key[:i] + key[i + 1] + key[i] + key[i + 2:])
    return {k for k in out - {key} if len(k.replace(" ", "")) >= 4} if len(key) >= 4 else set()


@pytest.mark.parametrize("key", ["abc", "abcd", "abcde", "ab cd", "abc de", "navantazhenkoatmsha", "aaaa"])
def test_a_typo_key_is_every_string_one_letter_added_dropped_changed_or_swapped_away(key: str) -> None:
    from homeward.names.search import one_edit

    assert one_edit(key) == _one_edit_by_definition(key)


def test_a_query_word_makes_its_typo_variants_once_per_distinct_ascii_key(monkeypatch: pytest.MonkeyPatch) -> None:
    from homeward.names import search

    made: list[str] = []
    real = search.one_edit
    monkeypatch.setattr(search, "one_edit", lambda key: made.append(key) or real(key))
    search._query_word.cache_clear()
    word = search._query_word("Навантаженкоатмшща")  # the same ASCII key as a surname, given name, patronymic
    search._query_word.cache_clear()
    assert made == ["navantazhenkoatmsha"]
    assert {k for k, t in word.keys.items() if t == TYPO} == {"a:" + k for k in real("navantazhenkoatmsha")}
    assert word.keys["e:навантаженкоатмшща"] == EXACT and word.keys["a:navantazhenkoatmsha"] == SAME_NAME
