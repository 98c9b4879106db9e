"""Workbooks through calamine: every sheet, every format, cell types, column letters."""

import datetime as dt
from pathlib import Path

import pytest
from conftest import FIXTURES, HEADER, read, write_xlsx

from merge.read.headers import Field


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
    assert any("columns not used: Notiz" in note for note in notes)
