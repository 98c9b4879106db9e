"""Signer files -> SourceRow: origins, header search, sheets, blank and short rows, folders."""

from pathlib import Path

import pytest
from conftest import HEADER, read, write_xlsx

from merge.errors import InputError
from merge.read.headers import Field
from merge.read.rows import list_inputs


def test_xlsx_rows_carry_file_sheet_and_spreadsheet_row(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "stand.xlsx",
        {"Markt": [HEADER, ["Beispiel", "Anna", "Weg 1", "12345", "Musterstadt"]]},
    )
    rows, _ = read(path)
    assert [row.origin for row in rows] == [f"{path}:Markt:2"]
    assert rows[0].cells[Field.LAST] == "Beispiel"
    assert rows[0].cells[Field.CITY] == "Musterstadt"


def test_header_below_title_rows_is_found_and_noted(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "t.xlsx",
        {"S": [["Unterschriften Sommerfest"], [], [], HEADER, ["Beispiel", "A", "W 1", "1", "O"]]},
    )
    rows, notes = read(path)
    assert [row.origin.rsplit(":", 1)[1] for row in rows] == ["5"]
    assert any("header found in row 4" in note for note in notes)


def test_every_sheet_is_read_in_workbook_order_and_unusable_sheets_are_noted(
    tmp_path: Path,
) -> None:
    path = write_xlsx(
        tmp_path / "w.xlsx",
        {
            "Zweiter": [HEADER, ["B", "b", "W 2", "2", "O"]],
            "Info": [["Nur ein Hinweis"]],
            "Erster": [HEADER, ["A", "a", "W 1", "1", "O"]],
        },
    )
    rows, notes = read(path)
    assert [row.origin.split(":")[1] for row in rows] == ["Zweiter", "Erster"]
    assert any(":Info: no header" in note for note in notes)


def test_file_with_no_recognisable_columns_is_an_input_error_listing_accepted_names(
    tmp_path: Path,
) -> None:
    path = write_xlsx(tmp_path / "x.xlsx", {"S": [["Wer", "Wo"], ["A", "B"]]})
    with pytest.raises(InputError, match=r"no sheet has recognisable columns.*Anschrift"):
        read(path)


def test_empty_rows_are_marked_empty_including_ignored_columns(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "e.xlsx",
        {"S": [[*HEADER, "E-Mail"], [None] * 6, [None, None, None, None, None, "x@example.org"]]},
    )
    rows, _ = read(path)
    assert [row.empty for row in rows] == [True, False]


def test_short_csv_rows_have_their_missing_cells_empty(tmp_path: Path) -> None:
    path = tmp_path / "short.csv"
    path.write_text("Name,Anschrift,PLZ,Ort\nA,W 1,12345,O\nB,W 2\n,\n\nC,W 3,1,O,extra\n")
    rows, _ = read(path)
    assert [row.cells for row in rows] == [
        {Field.FULL: "A", Field.ADDRESS: "W 1", Field.POSTCODE: "12345", Field.CITY: "O"},
        {Field.FULL: "B", Field.ADDRESS: "W 2", Field.POSTCODE: None, Field.CITY: None},
        {Field.FULL: "", Field.ADDRESS: "", Field.POSTCODE: None, Field.CITY: None},
        {Field.FULL: None, Field.ADDRESS: None, Field.POSTCODE: None, Field.CITY: None},
        {Field.FULL: "C", Field.ADDRESS: "W 3", Field.POSTCODE: "1", Field.CITY: "O"},
    ]
    assert [row.empty for row in rows] == [False, False, True, True, False]
    assert [row.origin.rsplit(":", 1)[1] for row in rows] == ["2", "3", "4", "5", "6"]


def test_list_inputs_takes_spreadsheets_from_a_folder_sorted_and_skips_lock_files(
    tmp_path: Path,
) -> None:
    for name in ("b.csv", "a.xlsx", "~$a.xlsx", ".~lock.a.ods#", "notes.md", "c.ods"):
        (tmp_path / name).write_text("x")
    assert [p.name for p in list_inputs([tmp_path])] == ["a.xlsx", "b.csv", "c.ods"]


def test_list_inputs_missing_path_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file or folder"):
        list_inputs([tmp_path / "fehlt.xlsx"])
