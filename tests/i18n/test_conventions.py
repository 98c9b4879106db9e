"""Dates and numbers as German volunteers write and type them, English as before."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from merge import i18n
from merge.i18n.conventions import (
    date_of,
    date_parts,
    format_date,
    format_number,
    parse_date,
    parse_number,
)


@pytest.fixture
def german() -> None:
    i18n.activate("de")


def test_dates_are_shown_the_german_way_in_german(german: None) -> None:
    assert format_date(dt.date(2026, 12, 1)) == "01.12.2026"
    assert format_number(Decimal("1.5")) == "1,5"
    assert format_number(2.25, 1) == "2,2"


def test_dates_are_shown_as_before_in_english() -> None:
    i18n.activate("en")
    assert format_date(dt.date(2026, 12, 1)) == "2026-12-01"
    assert format_number(Decimal("1.5")) == "1.5"


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("text", ["31.12.2026", "31.12.2026 ", "2026-12-31", " 31.12.2026"])
def test_german_and_iso_dates_are_read_in_either_language(language: str, text: str) -> None:
    i18n.activate(language)
    assert parse_date(text) == dt.date(2026, 12, 31)


def test_short_day_and_month_are_read() -> None:
    assert parse_date("1.2.2026") == dt.date(2026, 2, 1)
    assert parse_date("2026-2-1") == dt.date(2026, 2, 1)


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("text", ["31.12.26", " 31.12.26 ", "31.12.2026"])
def test_a_two_digit_year_is_read_as_20yy(language: str, text: str) -> None:
    i18n.activate(language)
    assert parse_date(text) == dt.date(2026, 12, 31)


def test_a_two_digit_year_with_short_day_and_month_is_read() -> None:
    assert parse_date("3.1.27") == dt.date(2027, 1, 3)
    assert parse_date("01.01.00") == dt.date(2000, 1, 1)
    assert parse_date("31.12.99") == dt.date(2099, 12, 31)


def test_a_four_digit_year_is_taken_as_written() -> None:
    assert date_parts("01.01.0026") == (26, 1, 1)
    assert date_parts("31.02.26") == (2026, 2, 31)  # the calendar is parse_date's to check


@pytest.mark.parametrize("text", ["31.12.026", "31.12.2", "26-12-31", "31.12.20266"])
def test_a_year_of_one_or_three_digits_is_no_date(german: None, text: str) -> None:
    with pytest.raises(ValueError, match=r"kein Datum - schreiben Sie es so: 31\.12\.2026$"):
        parse_date(text)


def test_a_settings_file_text_with_a_two_digit_year_names_the_day() -> None:
    assert date_of("31.12.26") == dt.date(2026, 12, 31)
    assert date_of("31.13.26") is None


def test_a_two_digit_day_not_in_the_calendar_keeps_the_four_digit_example(german: None) -> None:
    with pytest.raises(ValueError) as caught:
        parse_date("30.02.26")
    assert str(caught.value) == (
        "'30.02.26' gibt es im Kalender nicht - schreiben Sie das Datum so: 31.12.2026"
    )


@pytest.mark.parametrize("text", ["31/12/2026", "12.31", "morgen", "31.12.", ""])
def test_a_date_that_is_not_one_shows_an_example_not_a_format_code(german: None, text: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_date(text)
    message = str(caught.value)
    assert "31.12.2026" in message
    assert "%" not in message
    assert "Datum" in message


def test_a_day_not_in_the_calendar_is_refused_with_an_example(german: None) -> None:
    with pytest.raises(ValueError, match=r"31\.12\.2026") as caught:
        parse_date("30.02.2026")
    assert "Kalender" in str(caught.value)


def test_an_english_date_error_shows_an_iso_example() -> None:
    i18n.activate("en")
    with pytest.raises(ValueError, match="2026-12-31"):
        parse_date("tomorrow")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,5", "1.5"),
        ("1.5", "1.5"),
        ("-0,5", "-0.5"),
        ("+2", "2"),
        (",5", "0.5"),
        ("\u22121", "-1"),
    ],
)
def test_numbers_take_a_decimal_comma_or_point(text: str, expected: str) -> None:
    assert parse_number(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["1.000,5", "1,5,2", "abc", "", "1e3", "nan"])
def test_what_is_not_one_number_is_refused(german: None, text: str) -> None:
    with pytest.raises(ValueError, match="1,5") as caught:
        parse_number(text)
    assert "Zahl" in str(caught.value)
