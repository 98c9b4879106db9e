"""SourceRow -> Signer: the printed name and address lines, or why a row cannot be printed."""

from conftest import source_row as row

from merge.lists.accounting import account_rows
from merge.lists.signer import to_signer


def test_split_name_prints_as_last_comma_first() -> None:
    signer = to_signer(row(2, last="Beispiel", first="Erika", address="Weg 1\n12345 Ort"))
    assert not isinstance(signer, str)
    assert signer.name == "Beispiel, Erika"
    assert signer.address == ("Weg 1", "12345 Ort")
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
    signer = to_signer(
        row(2, last="B", street="Lindenweg 4", house_number="4", postcode="12345", city="Ort")
    )
    assert not isinstance(signer, str)
    assert signer.address == ("Lindenweg 4", "12345 Ort")


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
            row(4, last="B", street="Weg 1", postcode_city="", postcode="12345", city="O\x07rt"),
        ]
    )
    assert [r.origin for r in result.rejected] == ["l.xlsx:S:2"]
    assert [w.origin for w in result.warnings] == ["l.xlsx:S:4"]


# --- an address is complete or the row is refused ------------------------------------------


def reason(**cells: object) -> str:
    result = to_signer(row(2, last="Beispiel", **cells))
    assert isinstance(result, str), result
    return result


def address(**cells: object) -> tuple[str, ...]:
    result = to_signer(row(2, last="Beispiel", **cells))
    assert not isinstance(result, str), result
    return result.address


def test_a_street_without_postcode_or_town_is_refused() -> None:
    assert reason(street="Lindenweg 4").startswith("no postcode or town")
    assert reason(street="Lindenweg 4", city="Musterstadt").startswith("no postcode or town")
    assert reason(street="Lindenweg 4", postcode="12345").startswith("no postcode or town")


def test_a_town_without_street_is_refused() -> None:
    assert reason(postcode="12345", city="Musterstadt").startswith("no street")
    assert reason(postcode_city="12345 Musterstadt").startswith("no street")
    assert reason(address="12345 Musterstadt").startswith("no street")


def test_a_german_postcode_has_five_digits() -> None:
    assert "not five digits" in reason(street="Weg 1", postcode="1234", city="Musterstadt")
    assert "not five digits" in reason(street="Weg 1", postcode="123456", city="Musterstadt")
    assert "not five digits" in reason(street="Weg 1", postcode_city="1234 Musterstadt")
    assert "not five digits" in reason(address="Weg 1\n1234 Musterstadt")
    # a number cell lost its leading zero: given back, not refused
    assert address(street="Weg 1", postcode=1067, city="Dresden")[-1] == "01067 Dresden"


def test_other_countries_are_checked_by_their_own_postcodes() -> None:
    assert address(street="Gasse 1", postcode="1010", city="Wien", country="Österreich") == (
        "Gasse 1",
        "1010 Wien",
        "Österreich",
    )
    refused = reason(street="Gasse 1", postcode="10101", city="Wien", country="Österreich")
    assert refused.startswith("the postcode does not fit Austria (for example")  # English
    assert address(street="Straat 1", postcode_city="1234 AB Voorbeeld", country="NL")[1] == (
        "1234 AB Voorbeeld"
    )
    assert reason(street="Weg 1", postcode="12345", city="X", country="Atlantis").startswith(
        "country not recognised"
    )


def test_an_address_cell_is_whole_on_its_own_or_refused() -> None:
    assert address(address="Lindenweg 4, 12345 Musterstadt") == ("Lindenweg 4", "12345 Musterstadt")
    assert address(address="Lindenweg 4 12345 Musterstadt") == ("Lindenweg 4", "12345 Musterstadt")
    assert address(address="Gasse 1\n1010 Wien\nÖsterreich") == (
        "Gasse 1",
        "1010 Wien",
        "Österreich",
    )
    assert reason(address="Lindenweg 4").startswith("no postcode or town")
    assert reason(address="Lindenweg 4\nMusterstadt").startswith("no postcode or town")


def test_an_address_cell_or_the_parts_whichever_is_whole_never_both() -> None:
    whole_cell = "Lindenweg 4\n12345 Musterstadt"
    # the parts are whole: the cell was built from them
    assert address(
        address=whole_cell, street="Lindenweg 4", postcode="12345", city="Musterstadt"
    ) == (
        "Lindenweg 4",
        "12345 Musterstadt",
    )
    # the parts lack the postcode, the cell is whole: the cell
    assert address(address=whole_cell, street="Lindenweg 4", city="Musterstadt") == (
        "Lindenweg 4",
        "12345 Musterstadt",
    )
    # two whole towns that disagree: refused, not both printed
    assert "different places" in reason(address=whole_cell, postcode="54321", city="Anderswo")


def test_an_address_extra_line_stands_above_the_street() -> None:
    assert address(
        extra="c/o Probe", street="Lindenweg 4", postcode="12345", city="Musterstadt"
    ) == (
        "c/o Probe",
        "Lindenweg 4",
        "12345 Musterstadt",
    )
