"""A "Land" cell read as a country, in the languages signers write it in."""

import pytest

from merge.lists.country import GERMANY, find_country


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Deutschland", "DE"),
        ("BRD", "DE"),
        ("Österreich", "AT"),
        ("Oesterreich", "AT"),
        ("Austria", "AT"),
        ("AT", "AT"),
        ("Schweiz", "CH"),
        ("Suisse", "CH"),
        ("Nederland", "NL"),
        ("Niederlande", "NL"),
        ("Polska", "PL"),
        ("Vereinigtes Königreich", "GB"),
        ("UK", "GB"),
        ("  frankreich ", "FR"),
    ],
)
def test_country_names_and_codes_are_found(text: str, code: str) -> None:
    country = find_country(text)
    assert country is not None and country.code == code


def test_germany_is_the_one_rule_for_rows_without_a_country() -> None:
    assert find_country("Deutschland") is GERMANY
    assert GERMANY.postcode is not None and GERMANY.postcode.fullmatch("01067")
    assert not GERMANY.postcode.fullmatch("1067")


@pytest.mark.parametrize("text", ["Atlantis", "Musterstadt", "XX", ""])
def test_what_is_no_country_is_not_guessed(text: str) -> None:
    assert find_country(text) is None


def test_postcode_shapes_come_from_the_address_data() -> None:
    austria, netherlands, poland = (find_country(name) for name in ("AT", "NL", "PL"))
    assert austria and austria.postcode and austria.postcode.fullmatch("1010")
    assert not austria.postcode.fullmatch("10101")
    assert netherlands and netherlands.postcode and netherlands.postcode.fullmatch("1234 AB")
    assert poland and poland.postcode and poland.postcode.fullmatch("00-950")
    assert not poland.postcode.fullmatch("00950")


def test_a_country_without_postcodes_needs_none() -> None:
    hong_kong = find_country("Hongkong")
    assert hong_kong is not None and hong_kong.postcode is None and not hong_kong.required
