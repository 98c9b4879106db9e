"""Every sheet accounted for: a sheet without a recognised header counts its rows."""

import datetime as dt
import io
from pathlib import Path

from conftest import read, write_xlsx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from merge.errors import InputError
from merge.pipeline import RunRequest, run

HEADER = ["Name", "Vorname", "Straße", "PLZ", "Ort"]
GOOD = ["Beispiel", "Anna", "Lindenweg 1", "12345", "Musterstadt"]


def test_a_sheet_without_a_known_header_has_its_rows_refused_and_its_headers_named(
    tmp_path: Path,
) -> None:
    path = write_xlsx(
        tmp_path / "w.xlsx",
        {
            "Liste": [HEADER, GOOD],
            "Nachtrag": [["Wer", "Wo"], ["B", "x"], [None, None], ["C", "y"]],
        },
    )
    rows, notes = read(path)
    later = [row for row in rows if ":Nachtrag:" in row.origin]
    assert [(row.origin.rsplit(":", 1)[1], row.empty) for row in later] == [
        ("2", False),
        ("3", True),
        ("4", False),
    ]
    assert all(row.problem and row.problem.startswith("sheet not recognised") for row in later
               if not row.empty)  # fmt: skip
    note = next(note for note in notes if ":Nachtrag:" in note)
    assert "headers seen: 'Wer', 'Wo'" in note and "its 3 rows are refused" in note


def test_a_first_row_that_looks_like_a_person_is_not_shown(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "w.xlsx",
        {"Liste": [HEADER, GOOD], "Kopie": [["Probe", "Am Markt 3"], ["Muster", "Weg 2"]]},
    )
    _, notes = read(path)
    note = next(note for note in notes if ":Kopie:" in note)
    assert "its first row looks like data, not like a header" in note
    assert "Probe" not in note and "Markt" not in note


def test_a_file_with_no_recognised_sheet_stops_with_the_headers_it_saw(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "w.xlsx", {"Tabelle1": [["Wer", "Wo"], ["B", "x"]]})
    try:
        read(path)
    except InputError as err:
        message = str(err)
    else:
        raise AssertionError("not refused")
    assert "no sheet has recognisable columns (headers seen: 'Wer', 'Wo')" in message
    assert "petition-merge columns" in message and "spalten.toml" in message


# --- a property: whatever its headers, a sheet of n rows adds n to the rows ---------------

header_cell = st.one_of(
    st.sampled_from(["Name", "Vorname", "Anschrift", "Straße", "PLZ", "Ort", "Nr.", "Land"]),
    st.text(max_size=20),
)
# Cells that can never be a header (no letters), so that no data row is taken for one.
data_cell = st.one_of(st.integers(-(10**6), 10**6), st.text(alphabet="0123456789 .,-/", min_size=1))


def xlsx(sheets: dict[str, list[list[object]]]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(
                [ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row]
            )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    header=st.lists(header_cell, min_size=1, max_size=6).filter(
        lambda cells: any(ILLEGAL_CHARACTERS_RE.sub("", c).strip() for c in cells)
    ),
    body=st.lists(st.lists(data_cell, min_size=1, max_size=6), min_size=0, max_size=25),
)
def test_a_sheet_of_n_rows_always_adds_n_to_the_rows(
    tmp_path_factory: object, header: list[str], body: list[list[object]]
) -> None:
    root: Path = tmp_path_factory.mktemp("run")  # type: ignore[attr-defined]
    source = root / "liste.xlsx"
    source.write_bytes(xlsx({"Liste": [HEADER, GOOD], "Andere": [header, *body]}))
    request = RunRequest(cwd=root, today=dt.date(2026, 11, 27), inputs=(source,), dry_run=True)
    accounting = run(request).accounting
    assert accounting.rows == 1 + len(body)
    counted = accounting.counts()
    assert sum(counted.values()) - counted["rows"] == accounting.rows
