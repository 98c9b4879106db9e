"""Workbooks through calamine: every sheet, every format, cell types, column letters."""

import datetime as dt
import sys
from pathlib import Path

import pytest
from conftest import CORPUS, FIXTURES, HEADER, read, write_xlsx

from merge.errors import InputError
from merge.read.headers import Field
from merge.read.workbook import column_index, column_letters, open_workbook, workbook_sheets
from merge.reporter import Report


@pytest.mark.parametrize("name", ["signers.ods", "signers.xls"])
def test_ods_and_xls_are_read_with_every_sheet(name: str) -> None:
    rows, notes = read(FIXTURES / name)
    assert [row.origin.split(":", 1)[1] for row in rows] == [
        "Kirchentag:4",
        "Kirchentag:5",
        "Kirchentag:6",
        "Kirchentag:7",
    ]
    assert rows[0].cells[Field.LAST] == "Äbersold"
    assert rows[0].cells[Field.POSTCODE] == 1067
    assert rows[2].empty
    assert any(":Notizen: no header" in note for note in notes)


def test_xlsm_is_read_like_xlsx(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "m.xlsx", {"S": [HEADER, ["A", "a", "W", "1", "O"]]})
    renamed = path.rename(tmp_path / "m.xlsm")
    rows, _ = read(renamed)
    assert len(rows) == 1


def test_cells_keep_their_spreadsheet_types(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "t.xlsx",
        {"S": [[*HEADER, "Datum"], ["A", "a", "W 1", 1067, "O", dt.date(2026, 3, 1)]]},
    )
    rows, _ = read(path)
    assert rows[0].cells[Field.POSTCODE] == 1067


def test_columns_keep_their_letters_when_the_data_starts_right_of_column_a(
    tmp_path: Path,
) -> None:
    header = ["Name", "Vorname", "Notiz", "Straße", "PLZ", "Ort"]  # C to H
    path = write_xlsx(
        tmp_path / "right.xlsx",
        {
            "Liste": [
                [None, None, *header],
                [None, None, "Beispiel", "Anna", "#N/A", "Weg 1", "12345", "Ort"],
                [None, None, "#REF!", "Bernd", None, "Weg 2", "12345", "Ort"],
            ]
        },
    )
    rows, notes = read(path)
    assert rows[0].cells[Field.LAST] == "Beispiel" and rows[0].problem is None  # E is unused
    assert rows[1].problem is not None and rows[1].problem.startswith("cell C3 shows")
    assert any("columns not used: 'Notiz'" in note for note in notes)


# 0-based column index -> Excel's letters; XFD is Excel's last column.
COLUMNS = [(0, "A"), (25, "Z"), (26, "AA"), (51, "AZ"), (52, "BA"), (701, "ZZ"), (702, "AAA"),
           (16383, "XFD")]  # fmt: skip


@pytest.mark.parametrize(("index", "letters"), COLUMNS)
def test_column_letters_and_index_are_excels(index: int, letters: str) -> None:
    assert column_letters(index) == letters
    assert column_index(letters) == index


def test_column_letters_and_index_undo_each_other() -> None:
    letters = [column_letters(index) for index in range(20_000)]
    assert len(set(letters)) == 20_000
    assert [column_index(text) for text in letters] == list(range(20_000))


def test_a_password_protected_workbook_is_one_line_saying_what_to_do() -> None:
    with pytest.raises(InputError) as info:
        open_workbook(CORPUS / "password-protected.xlsx", "inputs/geheim.xlsx")
    assert str(info.value) == (
        "inputs/geheim.xlsx: is protected by a password - open it, remove the password and save "
        "again"
    )


def test_a_panic_inside_calamine_is_one_line_and_prints_nothing(
    capfd: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(InputError) as info:
        open_workbook(CORPUS / "fuzz-calamine-panic.xlsx", "inputs/kaputt.xlsx")
    assert str(info.value) == (  # calamine's own words ("assertion failed") stay out
        "inputs/kaputt.xlsx: damaged or not a spreadsheet - open it in Excel or LibreOffice and "
        "save it again as .xlsx"
    )
    assert "panicked" not in capfd.readouterr().err
    print("still here", file=sys.stderr)  # file descriptor 2 is back where it was
    assert capfd.readouterr().err == "still here\n"


def test_hidden_sheets_are_read_and_said_to_be_hidden() -> None:
    reports: list[Report] = []
    sheets = workbook_sheets(CORPUS / "hidden-sheet.xlsx", "inputs/h.xlsx", reports.append)
    assert [name for name, _ in sheets] == ["Sichtbar", "Versteckt"]
    assert reports == [Report.note("inputs/h.xlsx:Versteckt: sheet is hidden; read anyway")]
