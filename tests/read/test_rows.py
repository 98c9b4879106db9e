import datetime as dt
import zipfile
from pathlib import Path

import pytest
from conftest import CORPUS, FIXTURES, HEADER, write_csv, write_xlsx

from merge.errors import InputError
from merge.read import marks as sheet_scan
from merge.read.delimited import decode_text, sniff_delimiter
from merge.read.headers import Field
from merge.read.rows import SourceRow, list_inputs, read_rows
from merge.reporter import Kind, Report


def read(path: Path, **kwargs: object) -> tuple[list[SourceRow], list[str]]:
    reports: list[Report] = []
    rows = list(read_rows(path, reports.append, **kwargs))  # type: ignore[arg-type]
    assert {report.kind for report in reports} <= {Kind.NOTE}  # the reader only notes
    return rows, [report.text for report in reports]


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


@pytest.mark.parametrize(
    ("delimiter", "encoding"),
    [(",", "utf-8"), (";", "utf-8-sig"), ("\t", "utf-8"), (";", "cp1252"), (",", "utf-16")],
)
def test_csv_encodings_and_delimiters_are_detected(
    tmp_path: Path, delimiter: str, encoding: str
) -> None:
    path = write_csv(
        tmp_path / "l.csv",
        [HEADER, ["Größer", "Jürgen", "Maßweg 1", "01067", "Erfundorf"]],
        delimiter=delimiter,
        encoding=encoding,
    )
    rows, _ = read(path)
    assert rows[0].cells[Field.LAST] == "Größer"
    assert rows[0].cells[Field.FIRST] == "Jürgen"
    assert rows[0].cells[Field.POSTCODE] == "01067"
    assert rows[0].origin == f"{path}:l:2"


def test_csv_quoted_multiline_cell_is_one_row(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "m.csv",
        [["Name", "Anschrift"], ["Beispiel, Anna", "Weg 1\n12345 Musterstadt"], ["B", "W 2"]],
    )
    rows, _ = read(path)
    assert rows[0].cells[Field.ADDRESS] == "Weg 1\n12345 Musterstadt"
    assert [row.origin.rsplit(":", 1)[1] for row in rows] == ["2", "3"]


def test_csv_mixed_line_endings_are_rows(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_bytes(b"Name,Anschrift\r\nA,W 1\nB,W 2\rC,W 3\r\n")
    rows, _ = read(path)
    assert [row.cells[Field.FULL] for row in rows] == ["A", "B", "C"]


def test_sniff_delimiter_prefers_the_consistent_split() -> None:
    assert sniff_delimiter("Name;Anschrift;Ort\nA, B;W 1;O\n") == ";"
    assert sniff_delimiter("Name\tAnschrift\nA;B\tW\n") == "\t"
    assert sniff_delimiter("Name,Anschrift\n") == ","


def test_decode_text_falls_back_to_windows_1252() -> None:
    assert decode_text("Müller – „Zitat“".encode("cp1252"), "x.csv") == "Müller – „Zitat“"
    assert decode_text("\ufeffName".encode(), "x.csv") == "Name"


def test_binary_garbage_is_not_read_as_csv(tmp_path: Path) -> None:
    path = tmp_path / "bild.csv"
    path.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(InputError, match="is not a spreadsheet or text file"):
        read(path)


def test_content_not_name_decides_the_format(tmp_path: Path) -> None:
    real_csv = write_csv(tmp_path / "a.xlsx", [HEADER, ["A", "a", "W", "1", "O"]])
    rows, _ = read(real_csv)
    assert len(rows) == 1
    real_xlsx = write_xlsx(tmp_path / "b.xlsx", {"S": [HEADER, ["A", "a", "W", "1", "O"]]})
    rows, _ = read(real_xlsx.rename(tmp_path / "b.csv"))
    assert rows[0].origin.endswith("b.csv:S:2")


def test_word_document_is_refused_as_not_a_spreadsheet(tmp_path: Path) -> None:
    path = tmp_path / "brief.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(InputError, match="is a Word document, not a spreadsheet"):
        read(path)


def test_truncated_workbook_is_a_clear_input_error(tmp_path: Path) -> None:
    good = write_xlsx(tmp_path / "g.xlsx", {"S": [HEADER, ["A", "a", "W", "1", "O"]]})
    broken = tmp_path / "kaputt.xlsx"
    broken.write_bytes(good.read_bytes()[:300])
    with pytest.raises(InputError, match=r"kaputt.xlsx: damaged"):
        read(broken)


def test_zip_bomb_is_refused_before_inflating(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (3 * 1024 * 1024))
    assert path.stat().st_size < 100_000
    with pytest.raises(InputError, match=r"unpacks to 3 MB.*--max-unpacked-mb"):
        read(path, max_unpacked_mb=2)


def test_pdf_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "liste.pdf"
    path.write_bytes(b"%PDF-1.7\n...")
    with pytest.raises(InputError, match="is a PDF"):
        read(path)


def test_list_inputs_takes_spreadsheets_from_a_folder_sorted_and_skips_lock_files(
    tmp_path: Path,
) -> None:
    for name in ("b.csv", "a.xlsx", "~$a.xlsx", ".~lock.a.ods#", "notes.md", "c.ods"):
        (tmp_path / name).write_text("x")
    assert [p.name for p in list_inputs([tmp_path])] == ["a.xlsx", "b.csv", "c.ods"]


def test_list_inputs_missing_path_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file or folder"):
        list_inputs([tmp_path / "fehlt.xlsx"])


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
