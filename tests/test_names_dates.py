"""parse_date: formats, precision, swapped reading, safe errors."""

from __future__ import annotations

import datetime as dt

import pytest

from homeward.names import DateError, ParsedDate, parse_date

REF = dt.date(2024, 6, 1)


def test_iso_date_has_day_precision() -> None:
    assert parse_date("2015-11-23", reference=REF) == ParsedDate(dt.date(2015, 11, 23), "day", None)


def test_swapped_reading_offered_for_03_11_2015() -> None:
    parsed = parse_date("03.11.2015", reference=REF)
    assert parsed.value == dt.date(2015, 11, 3)
    assert parsed.precision == "day"
    assert parsed.swapped == dt.date(2015, 3, 11)


def test_slash_and_two_digit_year_are_day_first() -> None:
    assert parse_date("03/11/2015", reference=REF).value == dt.date(2015, 11, 3)
    assert parse_date("03-11-15", reference=REF).value == dt.date(2015, 11, 3)
    assert parse_date("03.11.98", reference=REF).value == dt.date(1998, 11, 3)


def test_no_swapped_reading_when_day_and_month_are_equal_or_day_above_12() -> None:
    assert parse_date("05.05.2015", reference=REF).swapped is None
    assert parse_date("23.11.2015", reference=REF).swapped is None


def test_month_first_date_is_read_when_day_first_is_impossible() -> None:
    assert parse_date("11/25/2015", reference=REF) == ParsedDate(dt.date(2015, 11, 25), "day", None)


def test_swapped_reading_in_the_future_is_not_offered() -> None:
    assert parse_date("03.01.2024", reference=dt.date(2024, 1, 10)).swapped is None


def test_month_and_year_precision() -> None:
    assert parse_date("2015-11", reference=REF) == ParsedDate(dt.date(2015, 11, 1), "month", None)
    assert parse_date("11.2015", reference=REF) == ParsedDate(dt.date(2015, 11, 1), "month", None)
    assert parse_date("листопад 2015", reference=REF) == ParsedDate(dt.date(2015, 11, 1), "month", None)
    assert parse_date("2015", reference=REF) == ParsedDate(dt.date(2015, 1, 1), "year", None)
    assert parse_date("2015 р.", reference=REF).precision == "year"


def test_month_names_in_three_languages() -> None:
    for text in ["3 листопада 2015", "3 ноября 2015 г.", "Nov 3, 2015", "3 November 2015"]:
        assert parse_date(text, reference=REF) == ParsedDate(dt.date(2015, 11, 3), "day", None), text


def test_age_on_date_gives_an_estimated_birth_date() -> None:
    parsed = parse_date("age 7 on 2022-05-01", reference=REF)
    assert parsed.precision == "estimated"
    assert parsed.value is not None
    assert dt.date(2014, 5, 2) <= parsed.value <= dt.date(2015, 5, 1)
    assert parse_date("вік 7 років станом на 01.05.2022", reference=REF) == parsed


def test_age_without_date_is_relative_to_reference() -> None:
    parsed = parse_date("7 years", reference=REF)
    assert parsed.precision == "estimated"
    assert parsed.value is not None and parsed.value.year in (2016, 2017)


def test_circa_year_is_estimated() -> None:
    assert parse_date("circa 2015", reference=REF) == ParsedDate(dt.date(2015, 1, 1), "estimated", None)
    assert parse_date("близько 2015", reference=REF).precision == "estimated"


def test_unknown_words_give_unknown_precision() -> None:
    for text in ["", "unknown", "невідомо", "неизвестно", "н/д"]:
        assert parse_date(text, reference=REF) == ParsedDate(None, "unknown", None), text


def test_impossible_date_error_does_not_echo_value() -> None:
    with pytest.raises(DateError) as info:
        parse_date("31.02.2015", reference=REF)
    message = str(info.value)
    assert "impossible" in message
    for fragment in ("31", "02", "2015"):
        assert fragment not in message


def test_date_error_is_a_value_error_and_names_the_problem() -> None:
    assert issubclass(DateError, ValueError)
    with pytest.raises(DateError, match="unrecognised date format"):
        parse_date("next tuesday-ish", reference=REF)
    with pytest.raises(DateError, match="month out of range"):
        parse_date("32.13.2015", reference=REF)
    with pytest.raises(DateError, match="year outside"):
        parse_date("1812", reference=REF)


def test_time_of_day_and_spaces_around_separators_are_ignored() -> None:
    expected = ParsedDate(dt.date(2015, 11, 23), "day", None)
    for text in ["2015-11-23 00:00:00", "2015-11-23T00:00:00Z", "23.11.2015 0:00", "23. 11. 2015"]:
        assert parse_date(text, reference=REF) == expected, text
