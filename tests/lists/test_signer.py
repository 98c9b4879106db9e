"""SourceRow -> Signer: the printed name and address lines, or why a row cannot be printed."""

from conftest import source_row as row

from merge.lists.accounting import account_rows
from merge.lists.signer import to_signer


def test_split_name_prints_as_last_comma_first() -> None:
    signer = to_signer(row(2, last="Beispiel", first="Erika", address="Weg 1"))
    assert not isinstance(signer, str)
    assert signer.name == "Beispiel, Erika"
    assert signer.address == ("Weg 1",)
    assert signer.origin == "l.xlsx:S:2"


def test_split_address_becomes_street_and_town_lines() -> None:
    signer = to_signer(
        row(
            2,
            full="Erika Beispiel",
            street="Lindenweg",
            house_number="4a",
            postcode="12345",
            city="Musterstadt",
            country="Deutschland",
        )
    )
    assert not isinstance(signer, str)
    assert signer.address == ("Lindenweg 4a", "12345 Musterstadt", "Deutschland")


def test_house_number_already_in_street_is_not_repeated() -> None:
    signer = to_signer(row(2, last="B", street="Lindenweg 4", house_number="4", city="Ort"))
    assert not isinstance(signer, str)
    assert signer.address == ("Lindenweg 4", "Ort")


def test_numeric_german_postcode_gets_its_leading_zero_back() -> None:
    signer = to_signer(row(2, last="B", street="Weg 1", postcode=1067.0, city="Erfundorf"))
    assert not isinstance(signer, str)
    assert signer.address[1] == "01067 Erfundorf"


def test_four_digit_postcode_abroad_keeps_four_digits() -> None:
    signer = to_signer(
        row(2, last="B", street="Rue 1", postcode=1234, city="Exempleville", country="Belgien")
    )
    assert not isinstance(signer, str)
    assert signer.address[1] == "1234 Exempleville"


def test_spaces_are_collapsed_and_address_line_breaks_kept() -> None:
    signer = to_signer(
        row(2, combined="  Beispiel ,   Erika ", address=" Weg   1 \r\n\n 12345   Musterstadt \r")
    )
    assert not isinstance(signer, str)
    assert signer.name == "Beispiel , Erika"
    assert signer.address == ("Weg 1", "12345 Musterstadt")


def test_rows_without_name_or_address_are_rejected_with_a_reason() -> None:
    assert to_signer(row(2, address="Weg 1")) == "no name - fill in the name column"
    assert "no last name" in str(to_signer(row(2, first="Erika", address="Weg 1")))
    assert "no address" in str(to_signer(row(2, last="B", address="  ")))
    assert "no postcode or town" in str(to_signer(row(2, last="B", street="Weg 1")))


def test_control_characters_in_cells_left_unused_are_not_reported() -> None:
    result = account_rows(
        [
            row(2, address="Weg\x071"),  # no name: the address is never read
            row(3, last="B", street="Weg 1", postcode_city="12345 Ort", city="O\x07rt"),
            row(4, last="B", street="Weg 1", postcode_city="", city="O\x07rt"),
        ]
    )
    assert [r.origin for r in result.rejected] == ["l.xlsx:S:2"]
    assert [w.origin for w in result.warnings] == ["l.xlsx:S:4"]
