"""Headers as people, form tools and campaign platforms write them; running-number columns."""

from pathlib import Path

import pytest
from conftest import read, write_csv

from merge.read.headers import Field, map_columns


@pytest.mark.parametrize(
    ("header", "fields"),
    [
        (["Name und Vorname", "Adresse (Straße, PLZ, Ort)"], [Field.COMBINED, Field.ADDRESS]),
        (["Vor- und Zuname", "Straße + Hausnr.", "PLZ + Ort"],
         [Field.FULL, Field.STREET, Field.POSTCODE_CITY]),
        (["Name", "Vorname", "Straße/Hausnr.", "PLZ/Ort"],
         [Field.LAST, Field.FIRST, Field.STREET, Field.POSTCODE_CITY]),
        # an export of an online petition or campaign tool
        (["first_name", "last_name", "email", "address1", "zip_code", "city", "country"],
         [Field.FIRST, Field.LAST, Field.STREET, Field.POSTCODE, Field.CITY, Field.COUNTRY]),
        (["Name", "City", "Postal Code", "Country"],
         [Field.FULL, Field.CITY, Field.POSTCODE, Field.COUNTRY]),
    ],
)  # fmt: skip
def test_decorated_combined_and_exported_headers_are_recognised(
    header: list[str], fields: list[Field]
) -> None:
    columns = map_columns(header)
    assert [field for field, _ in columns.columns] == fields
    assert columns.guessed == ()


def test_form_questions_are_read_by_their_field_word_and_said_so() -> None:
    header = ["Zeitstempel", "Wie ist dein Vorname?", "Wie lautet dein Nachname?",
              "Wie lautet deine Anschrift?"]  # fmt: skip
    columns = map_columns(header)
    assert columns.columns == ((Field.FIRST, 1), (Field.LAST, 2), (Field.ADDRESS, 3))
    assert [field for _, field in columns.guessed] == [Field.FIRST, Field.LAST, Field.ADDRESS]
    assert columns.ignored == ("Zeitstempel",)


def test_a_question_naming_two_fields_is_not_guessed() -> None:
    columns = map_columns(["Name", "Straße und Hausnummer, PLZ und Ort bitte"])
    assert columns.columns == ((Field.FULL, 0),)
    assert columns.ignored == ("Straße und Hausnummer, PLZ und Ort bitte",)


def test_a_running_number_is_never_glued_to_the_street(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "formular.csv",
        [
            ["Nr.", "Name", "Vorname", "Straße", "PLZ", "Ort"],
            ["1", "Muster", "Erika", "Lindenweg 4", "12345", "Musterstadt"],
            ["2", "Probe", "Max", "Am Markt 12 b", "12345", "Musterstadt"],
            ["3", "Beispiel", "Anna", "Hauptstr. 7", "12345", "Musterstadt"],
        ],
    )
    rows, notes = read(path)
    assert all(Field.HOUSE_NUMBER not in row.cells for row in rows)
    assert any("column A counts the rows (1, 2, 3, ...)" in note for note in notes)


def test_real_house_numbers_beside_streets_without_numbers_are_kept(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "liste.csv",
        [
            ["Name", "Vorname", "Straße", "Nr.", "PLZ", "Ort"],
            ["Muster", "Erika", "Lindenweg", "4", "12345", "Musterstadt"],
            ["Probe", "Max", "Am Markt", "5", "12345", "Musterstadt"],
            ["Beispiel", "Anna", "Hauptstr.", "6", "12345", "Musterstadt"],
        ],
    )
    rows, notes = read(path)
    assert [row.cells[Field.HOUSE_NUMBER] for row in rows] == ["4", "5", "6"]
    assert not any("counts the rows" in note for note in notes)


def test_an_address_cell_built_from_its_parts_is_printed_once(tmp_path: Path) -> None:
    from merge.lists.accounting import account_rows

    path = write_csv(
        tmp_path / "serienbrief.csv",
        [
            ["Name", "Vorname", "Straße", "PLZ", "Ort", "Anschrift"],
            ["Muster", "Erika", "Lindenweg 4", "12345", "Musterstadt",
             "Lindenweg 4\n12345 Musterstadt"],
            ["Probe", "Max", "", "12345", "Musterstadt", "c/o Beispiel\nAm Markt 1"],
        ],
    )  # fmt: skip
    rows, _ = read(path)
    signers = account_rows(rows).signers
    assert [s.address for s in signers] == [
        ("Lindenweg 4", "12345 Musterstadt"),  # the parts, not the parts and the cell
        ("c/o Beispiel", "Am Markt 1", "12345 Musterstadt"),  # the cell, completed by PLZ/Ort
    ]


def test_headers_about_something_else_are_not_read_by_their_field_word() -> None:
    columns = map_columns(["Name", "Anschrift", "Ort, Datum", "E-Mail-Adresse", "Telefon (Handy)"])
    assert dict(columns.columns) == {Field.FULL: 0, Field.ADDRESS: 1}
    assert columns.guessed == ()
    assert columns.unplaced == ()  # where the list was signed is no part of the address


def test_address_extra_lines_are_a_field_of_their_own() -> None:
    for header in ("Adresszusatz", "c/o", "Address line 2", "Supplemental Address 1"):
        assert dict(map_columns(["Name", "Anschrift", header]).columns)[Field.EXTRA] == 2


def test_a_column_naming_part_of_the_address_that_is_not_used_is_marked() -> None:
    columns = map_columns(["Name", "Straße", "PLZ", "Ort", "Straße (alt)", "Notiz"])
    assert columns.unplaced == (("Straße (alt)", 4),)
    assert columns.ignored == ("Straße (alt)", "Notiz")


def test_a_row_with_a_value_in_an_unused_address_column_is_refused(tmp_path: Path) -> None:
    from merge.lists.accounting import account_rows

    path = write_csv(
        tmp_path / "liste.csv",
        [
            ["Name", "Straße", "PLZ", "Ort", "Straße und Hausnummer, PLZ und Ort bitte"],
            ["Muster", "Lindenweg 4", "12345", "Musterstadt", ""],
            ["Probe", "", "", "", "Am Markt 1, 12345 Musterstadt"],
        ],
    )
    rows, _ = read(path)
    accounting = account_rows(rows)
    assert [s.origin for s in accounting.signers] == [f"{path}:liste:2"]
    assert [r.origin for r in accounting.rejected] == [f"{path}:liste:3"]
    assert accounting.rejected[0].reason.startswith(
        "column E 'Straße und Hausnummer, PLZ und Ort bitte' looks like part of the address but "
        "is not used - say which field it is in "
    )


def test_numbered_address_parts_are_never_read_as_the_whole_address() -> None:
    """CiviCRM exports "Supplemental Address 2" and "... 3" beside the street and the town:
    read as the address cell, a value there would be dropped for the complete parts."""
    header = ["First Name", "Last Name", "Street Address", "Supplemental Address 1",
              "Supplemental Address 2", "Address line 3", "City", "Postal Code"]  # fmt: skip
    columns = map_columns(header)
    assert Field.ADDRESS not in columns.fields()
    assert [text for text, _ in columns.unplaced] == ["Supplemental Address 2", "Address line 3"]
