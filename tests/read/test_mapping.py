"""The column mapping file (spalten.toml): what it decides, and one line for every mistake."""

from pathlib import Path

import pytest
from conftest import read, write_csv, write_xlsx

from merge.errors import InputError
from merge.read.headers import Field
from merge.read.mapping import ColumnMappings


def mapping(folder: Path, text: str) -> Path:
    (folder / "spalten.toml").write_text(text, encoding="utf-8")
    return folder / "spalten.toml"


def test_headers_nobody_could_guess_are_read_as_the_file_says(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "anmeldungen.csv",
        [["Wer?", "Wo?", "Stadt"], ["Erika Beispiel", "Lindenweg 4", "12345 Musterstadt"]],
    )
    mapping(tmp_path, '["anmeldungen.csv"]\n"Wer?" = "vor_und_nachname"\n"Wo?" = "Straße"\n'
                      '"Stadt" = "plz_ort"\n')  # fmt: skip
    rows, notes = read(path)
    assert rows[0].cells == {
        Field.FULL: "Erika Beispiel",
        Field.STREET: "Lindenweg 4",
        Field.POSTCODE_CITY: "12345 Musterstadt",
    }
    assert any('spalten.toml ["anmeldungen.csv"] says' in n for n in notes)


def test_the_file_goes_before_the_header_recognition(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "l.csv",
        [["Name", "Anschrift", "Nr."], ["Beispiel", "Lindenweg 4, 12345 Musterstadt", "4"]],
    )
    mapping(tmp_path, '["l.csv"]\n"Nr." = "nicht_verwenden"\n')
    rows, notes = read(path)
    assert Field.HOUSE_NUMBER not in rows[0].cells
    assert any("columns not used: 'Nr.'" in note for note in notes)


def test_a_sheet_without_header_is_read_by_column_letters(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "w.xlsx",
        {"Liste": [["Beispiel", "Erika", "Lindenweg 4", "12345 Musterstadt"],
                   ["Probe", "Max", "Am Markt 1", "12345 Musterstadt"]]},
    )  # fmt: skip
    mapping(
        tmp_path,
        '["w.xlsx:Liste"]\nkopfzeile = 0\n"Spalte A" = "nachname"\n"Spalte B" = "vorname"\n'
        '"Spalte C" = "strasse"\n"Spalte D" = "plz_ort"\n',
    )
    rows, notes = read(path)
    assert [row.origin for row in rows] == [f"{path}:Liste:1", f"{path}:Liste:2"]
    assert rows[1].cells[Field.LAST] == "Probe"
    assert any("no header row; every row is read as a signer" in note for note in notes)


def test_a_sheet_marked_as_no_list_is_left_out_with_its_row_count(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "w.xlsx",
        {"Liste": [["Name", "Anschrift"], ["B", "Weg 1, 12345 O"]],
         "Anleitung": [["Bitte deutlich schreiben"], ["Danke!"]]},
    )  # fmt: skip
    mapping(tmp_path, '["w.xlsx:Anleitung"]\nverwenden = false\n')
    rows, notes = read(path)
    assert all(":Liste:" in row.origin for row in rows)
    assert any(":Anleitung: not read" in note and "2 rows left out" in note for note in notes)


def test_a_most_specific_table_wins_and_names_that_are_not_there_are_said(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "w.xlsx", {"Liste": [["Wer", "Wo", "X"], ["B", "Weg 1, 12345 O", "C"]]}
    )
    mapping(tmp_path, '["*"]\n"Wer" = "nachname"\n"Wo" = "anschrift"\n"X" = "vorname"\n\n'
                      '["w.xlsx:Liste"]\n"X" = "nicht_verwenden"\n"Wohin" = "ort"\n')  # fmt: skip
    rows, notes = read(path)
    assert rows[0].cells == {Field.LAST: "B", Field.ADDRESS: "Weg 1, 12345 O"}
    assert any("names 'Wohin' - the sheet has no such header" in note for note in notes)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('["a.csv"]\n"Wer" = "nme"\n', '"Wer" = "nme" is not a field - write one of nachname'),
        ('["a.csv"]\n"Wer" = 3\n', '"Wer" = 3 - write the field in quotes'),
        ('"Wer" = "name"\n', "stands outside a table"),
        ('["a.csv"\n"Wer" = "name"\n', "spalten.toml: line 1: a section name"),
        ('["a.csv"]\nkopfzeile = -1\n', "kopfzeile = -1 - give the header's row number"),
    ],
)
def test_every_mistake_in_the_file_is_one_line_naming_it(
    tmp_path: Path, text: str, words: str
) -> None:
    with pytest.raises(InputError) as caught:
        ColumnMappings(mapping(tmp_path, text), "inputs/spalten.toml")
    message = str(caught.value)
    assert message.startswith("inputs/spalten.toml") and words in message
    assert "\n" not in message
