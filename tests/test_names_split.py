"""split_full_name: a full name written in one field."""

from __future__ import annotations

import pytest

from homeward.names import split_full_name


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Коваленко Олександр Петрович", ("Коваленко", "Олександр", "Петрович")),
        ("Олександр Петрович Коваленко", ("Коваленко", "Олександр", "Петрович")),
        ("Шевченко Анна Іванівна", ("Шевченко", "Анна", "Іванівна")),
        ("Иванова Мария Сергеевна", ("Иванова", "Мария", "Сергеевна")),
        ("Oleksandr Kovalenko", ("Kovalenko", "Oleksandr", "")),
        ("Kovalenko Oleksandr", ("Kovalenko", "Oleksandr", "")),
        ("Петренко Іван", ("Петренко", "Іван", "")),
        ("Іван Петренко", ("Петренко", "Іван", "")),
        ("KOVALENKO Mariia", ("KOVALENKO", "Mariia", "")),
        ("Kovalenko, Oleksandr", ("Kovalenko", "Oleksandr", "")),
        ("Коваленко, Олександр Петрович", ("Коваленко", "Олександр", "Петрович")),
        ("Petrenko-Kovalenko Anna", ("Petrenko-Kovalenko", "Anna", "")),
        ("  Коваленко   Олександр  ", ("Коваленко", "Олександр", "")),
        ("Коваленко-Петренко Марія Іванівна", ("Коваленко-Петренко", "Марія", "Іванівна")),
        ("Ковальчук Анна-Марія", ("Ковальчук", "Анна-Марія", "")),
    ],
)
def test_full_name_is_split_into_surname_given_patronymic(text: str, expected: tuple[str, str, str]) -> None:
    assert split_full_name(text) == expected


def test_single_given_name_goes_to_given() -> None:
    assert split_full_name("Олександр") == ("", "Олександр", "")


def test_single_surname_goes_to_surname() -> None:
    assert split_full_name("Коваленко") == ("Коваленко", "", "")


def test_empty_full_name() -> None:
    assert split_full_name("   ") == ("", "", "")


def test_given_name_with_patronymic_and_no_surname() -> None:
    assert split_full_name("Олександр Сергійович") == ("", "Олександр", "Сергійович")


SURNAMES = ["Коваленко", "Шевченко", "Бойко", "Мельник", "Ткаченко", "Кравченко", "Коваль", "Бондаренко",
            "Олійник", "Шевчук", "Поліщук", "Лисенко", "Мороз", "Павленко", "Кравець", "Иванов", "Смирнова"]
GIVEN = ["Олександр", "Марія", "Іван", "Анна", "Дмитро", "Софія", "Андрій", "Дарина", "Максим", "Анастасія",
         "Артем", "Вікторія", "Назар", "Богдан", "Поліна", "Злата", "Єва", "Кирило", "Наталья", "Сергей"]


def test_two_word_names_are_split_by_dictionary_in_either_order_and_script() -> None:
    from homeward.names import transliterate

    wrong = []
    for surname in SURNAMES:
        for given in GIVEN:
            for s, g in [(surname, given), (transliterate(surname, "uk_kmu2010"), transliterate(given, "uk_kmu2010"))]:
                for text in (f"{s} {g}", f"{g} {s}"):
                    if split_full_name(text) != (s, g, ""):
                        wrong.append(text)
    assert wrong == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Коваленко О. П.", ("Коваленко", "О.", "П.")),
        ("Коваленко О.П.", ("Коваленко", "О.", "П.")),
        ("О.П. Коваленко", ("Коваленко", "О.", "П.")),
        ("O. Kovalenko", ("Kovalenko", "O.", "")),
        ("Kovalenko O.", ("Kovalenko", "O.", "")),
    ],
)
def test_initials_are_never_taken_for_a_surname(text: str, expected: tuple[str, str, str]) -> None:
    assert split_full_name(text) == expected
