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
