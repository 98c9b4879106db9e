"""The sheet scan: formula-error cells and hidden rows calamine does not report."""

import zipfile
from pathlib import Path

import pytest
from conftest import CORPUS, HEADER, read, write_xlsx

from merge.read import marks as sheet_scan


@pytest.mark.parametrize("name", ["formula-errors.xlsx", "formula-errors.ods"])
def test_cells_showing_formula_errors_are_named_not_read_as_empty(
    tmp_path: Path, name: str
) -> None:
    corpus = CORPUS / name  # errors computed by LibreOffice
    rows, _ = read(corpus)
    assert [(row.origin.rsplit(":", 1)[1], row.problem) for row in rows] == [
        ("2", None),
        (
            "3",
            "cell A3 shows the formula error #DIV/0! - correct the formula, or type the value in",
        ),
        ("4", "cell A4 shows the formula error #REF! - correct the formula, or type the value in"),
        (
            "5",
            "cell C5 shows the formula error #DIV/0! - correct the formula, or type the value in",
        ),
    ]
    path = write_xlsx(  # openpyxl stores "#N/A" as an error cell (t="e")
        tmp_path / "errors.xlsx",
        {
            "Liste": [
                [*HEADER, "Notiz"],
                ["Beispiel", "Anna", "Weg 1", "12345", "Ort", "#N/A"],  # an unused column
                ["Probe", "Bernd", "Weg 2", "12345", "#N/A", None],  # a used column
                ["#N/A", None, None, None, "#N/A", None],  # errors alone: a blank row
            ]
        },
    )
    assert b't="e"' in zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    rows, notes = read(path)
    assert [(row.empty, row.problem) for row in rows] == [
        (False, None),
        (False, "cell E3 shows the formula error #N/A - correct the formula, or type the value in"),
        (True, None),
    ]
    assert any(
        note.endswith(
            ":Liste: row 4 shows nothing but formula errors (a formula filled "
            "down below the list?); counted as blank"
        )
        for note in notes
    ), notes


def _ods(path: Path, rows_xml: str, *, before: str = "", tables: str = "") -> Path:
    """Write a minimal OpenDocument spreadsheet whose first table has the rows given as XML.

    ``before`` goes before the body (styles, say), ``tables`` after the first table.
    """
    ns = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"'
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns}>{before}'
        '<office:body><office:spreadsheet><table:table table:name="Stand &amp; Markt">'
        f"{rows_xml}</table:table>{tables}</office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content)
        archive.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
            '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
            '<manifest:file-entry manifest:full-path="/" manifest:media-type='
            '"application/vnd.oasis.opendocument.spreadsheet"/>'
            '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type='
            '"text/xml"/></manifest:manifest>',
        )
    return path


def _cell(text: str, *, repeat: int = 1, error: bool = False) -> str:
    attributes = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
    if error:  # as LibreOffice writes it: calamine reads such a cell as ""
        attributes += (
            ' office:value-type="string" office:string-value="" calcext:value-type="error"'
        )
    elif text:
        attributes += ' office:value-type="string"'
    if not text:
        return f"<table:table-cell{attributes}/>"
    return f"<table:table-cell{attributes}><text:p>{text}</text:p></table:table-cell>"


def test_ods_repeated_rows_and_cells_are_counted_for_errors_and_hidden_rows(
    tmp_path: Path,
) -> None:
    def row(cells: str, attributes: str = "") -> str:
        return f"<table:table-row{attributes}>{cells}</table:table-row>"

    header = "".join(_cell(h) for h in ("Name", "Vorname", "Notiz", "Straße", "PLZ", "Ort"))
    person = _cell("Beispiel") + _cell("Anna") + _cell("", repeat=2) + _cell("12345") + _cell("O")
    path = _ods(
        tmp_path / "stand.ods",
        row(header)
        + row(_cell("", repeat=6), ' table:number-rows-repeated="2"')  # rows 2-3: empty
        + row(person, ' table:visibility="collapse" table:number-rows-repeated="2"')  # 4-5
        + row(_cell("Probe") + _cell("", repeat=2) + _cell("#REF!", error=True) + _cell("1"))
        + row(_cell("", repeat=2) + _cell("#N/A", error=True) + _cell("Weg 1"))  # unused C
        + row(_cell("", repeat=6), ' table:number-rows-repeated="1048000"'),
    )
    rows, notes = read(path)
    assert f"{path}:Stand & Markt: hidden rows read anyway: 4-5" in notes
    by_number = {int(r.origin.rsplit(":", 1)[1]): r for r in rows}
    assert by_number[4].problem is None and by_number[5].problem is None
    assert by_number[6].problem is not None and by_number[6].problem.startswith(
        "cell D6 shows the formula error #REF!"
    )
    assert by_number[7].problem is None


def test_ods_rows_are_counted_across_the_pieces_content_xml_is_read_in(tmp_path: Path) -> None:
    def row(cells: str, attributes: str = "") -> str:
        return f"<table:table-row{attributes}>{cells}</table:table-row>"

    header = row("".join(_cell(h) for h in ("Name", "Anschrift")))
    people = [row(_cell(f"Testperson-{n}") + _cell(f"Beispielweg {n}")) for n in range(30_000)]
    hidden = row(_cell("Versteckt") + _cell("Weg 1"), ' table:visibility="collapse"')
    broken = row(_cell("Probe") + _cell("#VALUE!", error=True))
    path = _ods(tmp_path / "gross.ods", header + "".join(people) + hidden + broken)
    assert zipfile.ZipFile(path).getinfo("content.xml").file_size > 2 * 1024 * 1024
    rows, notes = read(path)
    assert len(rows) == 30_002
    assert f"{path}:Stand & Markt: hidden rows read anyway: 30002" in notes
    assert rows[-1].origin.endswith(":30003") and rows[-1].problem is not None
    assert rows[-1].problem.startswith("cell B30003 shows the formula error #VALUE!")
    assert all(r.problem is None for r in rows[:-1])


def _row(cells: str, attributes: str = "") -> str:
    return f"<table:table-row{attributes}>{cells}</table:table-row>"


_ODS_HEADER = _row("".join(_cell(h) for h in ("Name", "Anschrift")))


def test_ods_errors_are_found_in_every_table_and_right_of_column_a(tmp_path: Path) -> None:
    second = (
        '<table:table table:name="Zweite">'
        + _row(_cell("", repeat=2) + _cell("Name") + _cell("Anschrift"))
        + _row(_cell("", repeat=2) + _cell("#N/A", error=True) + _cell("Weg 1"))
        + "</table:table>"
    )
    first = _ODS_HEADER + _row(_cell("Probe") + _cell("Weg 1")) * 3
    path = _ods(tmp_path / "zwei.ods", first, tables=second)
    rows, _ = read(path)
    assert [(r.origin.split(":", 1)[1], r.problem is not None) for r in rows] == [
        ("Stand & Markt:2", False),
        ("Stand & Markt:3", False),
        ("Stand & Markt:4", False),
        ("Zweite:2", True),
    ]
    assert rows[-1].problem is not None and rows[-1].problem.startswith("cell C2 shows")


def test_ods_table_start_cut_by_the_megabyte_boundary_is_still_found(tmp_path: Path) -> None:
    rows = _ODS_HEADER + _row(_cell("Probe") + _cell("#REF!", error=True))
    plain = zipfile.ZipFile(_ods(tmp_path / "plain.ods", rows)).read("content.xml")
    # Styles (here a comment) fill the first megabyte, so the table's start tag is cut in two.
    filler = "<!--" + "x" * ((1 << 20) - 10 - plain.index(b"<table:table ") - 7) + "-->"
    path = _ods(tmp_path / "styles.ods", rows, before=filler)
    content = zipfile.ZipFile(path).read("content.xml")
    start = content.index(b"<table:table ")
    assert start < 1 << 20 < content.index(b">", start)  # the start tag spans the boundary
    rows_read, _ = read(path)
    assert rows_read[0].problem is not None
    assert rows_read[0].problem.startswith("cell B2 shows the formula error #REF!")


def test_ods_repeats_cannot_make_the_marks_huge(tmp_path: Path) -> None:
    rows = _ODS_HEADER + _row(
        _cell("#REF!", repeat=16_384, error=True), ' table:number-rows-repeated="1048000"'
    )
    path = _ods(tmp_path / "klein.ods", rows)
    assert path.stat().st_size < 2000
    marks = sheet_scan.sheet_marks(path)["Stand & Markt"]
    assert len(marks.errors) == sheet_scan._MAX_MARKED_ROWS
    assert len({id(cells) for cells in marks.errors.values()}) == 1  # one dict, shared
    assert len(marks.errors[2]) == sheet_scan._MAX_REPEAT
