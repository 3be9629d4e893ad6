"""collation_key: Ukrainian/Russian alphabetical order, usable from Python sorting and in SQL ORDER BY."""

from __future__ import annotations

import random
import re

import pytest
from django.db import connection

from homeward.names import collation_key
from homeward.names.collate import CYRILLIC_ORDER

UKRAINIAN_ALPHABET = "АБВГҐДЕЄЖЗИІЇЙКЛМНОПРСТУФХЦЧШЩЬЮЯ"
RUSSIAN_ALPHABET = "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ"


def by_key(names: list[str]) -> list[str]:
    return sorted(names, key=collation_key)


def test_ukrainian_alphabet_sorts_in_its_own_order() -> None:
    letters = list(UKRAINIAN_ALPHABET)
    shuffled = letters[:]
    random.Random(1).shuffle(shuffled)
    assert by_key(shuffled) == letters


def test_russian_alphabet_sorts_in_its_own_order() -> None:
    letters = [c for c in RUSSIAN_ALPHABET if c != "Ё"]
    shuffled = letters[:]
    random.Random(2).shuffle(shuffled)
    assert by_key(shuffled) == letters


def test_ghe_with_upturn_ye_i_and_yi_follow_their_neighbours_not_precede_a() -> None:
    names = ["Їжакевич", "Іванов", "Євтушенко", "Ґудзь", "Андрієнко", "Гончар", "Ельченко", "Игнатов", "Йосипенко"]
    assert by_key(names) == [
        "Андрієнко", "Гончар", "Ґудзь", "Ельченко", "Євтушенко", "Игнатов", "Іванов", "Їжакевич", "Йосипенко",
    ]


def test_soft_and_hard_signs_sort_as_letters_in_their_place() -> None:
    assert by_key(["Марьяна", "Марта", "Мария", "Марія"]) == ["Мария", "Марія", "Марта", "Марьяна"]
    assert by_key(["Подъячев", "Подгорный", "Подьячев"]) == ["Подгорный", "Подъячев", "Подьячев"]


def test_yo_sorts_with_ye_and_just_after_the_same_word_with_ye() -> None:
    assert by_key(["Ёлкин", "Елена", "Ершов"]) == ["Елена", "Ёлкин", "Ершов"]
    assert by_key(["Ерёменко", "Еременко"]) == ["Еременко", "Ерёменко"]


def test_case_apostrophes_and_stress_marks_do_not_change_the_order() -> None:
    assert by_key(["ЯРОШ", "андрій", "Мар'яна"]) == ["андрій", "Мар'яна", "ЯРОШ"]
    assert collation_key("Марʼяна") == collation_key("Мар'яна") == collation_key("Марʼяна".replace("ʼ", ""))
    assert collation_key("Ма\u0301рія") == collation_key("Марія")


def test_shorter_word_first_and_words_compared_in_turn() -> None:
    assert by_key(["Петренкова", "Петренко Іван", "Петренко", "Петренко-Коваленко"]) == [
        "Петренко", "Петренко Іван", "Петренко-Коваленко", "Петренкова",
    ]


def test_latin_names_come_after_cyrillic_in_latin_order_diacritics_after_the_plain_letter() -> None:
    assert by_key(["Sbitnev", "Šapoval", "Sapoval", "Яценко", "Abramov", "Андрієнко"]) == [
        "Андрієнко", "Яценко", "Abramov", "Sapoval", "Šapoval", "Sbitnev",
    ]


def test_digits_sort_before_letters_and_case_breaks_ties_lower_first() -> None:
    assert by_key(["Ivan", "IVAN", "ivan", "2 Ivan"]) == ["2 Ivan", "ivan", "Ivan", "IVAN"]


def test_other_scripts_have_a_stable_place_after_latin() -> None:
    assert by_key(["محمد", "Zoe", "Ђорђе", "Яна"]) == ["Яна", "Ђорђе", "Zoe", "محمد"]


def test_key_is_plain_ascii_digits_and_capitals() -> None:
    for text in ["Олександр Петрович", "Šapoval", "Ђорђе", "محمد", "", "  -- '"]:
        assert re.fullmatch(r"[0-9A-Z]*", collation_key(text))


def test_merged_alphabet_contains_both_alphabets_in_order() -> None:
    uk = [CYRILLIC_ORDER.index(c) for c in UKRAINIAN_ALPHABET.lower()]
    ru = [CYRILLIC_ORDER.index(c) for c in RUSSIAN_ALPHABET.lower() if c != "ё"]
    assert uk == sorted(uk) and ru == sorted(ru)


NAMES = ["Яковенко", "Євген", "Іван", "Андрій", "Ґалаґан", "Гнат", "Kovalenko", "Їжак", "Ильин", "Ёлкин", "Елена",
         "Щука", "Шевченко", "Эдуард", "Марьяна", "Петренко Іван", "Петренкова", "Šapoval", "Sapoval", "ivan", "IVAN"]


@pytest.mark.django_db
def test_order_by_the_stored_key_in_the_database_equals_python_sorting() -> None:
    rows = " UNION ALL ".join("SELECT %s AS name, %s AS k" for _ in NAMES)
    params: list[str] = [v for name in NAMES for v in (name, collation_key(name))]
    collations = [""]
    if connection.vendor == "postgresql":
        collations += [' COLLATE "C"', ' COLLATE "und-x-icu"', ' COLLATE "uk-x-icu"']
    for collate in collations:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT name FROM ({rows}) t ORDER BY k{collate}", params)  # noqa: S608
            assert [r[0] for r in cursor.fetchall()] == by_key(NAMES), collate
