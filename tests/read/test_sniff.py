"""Telling a signer file by its content: workbook, old Excel, text, or refused."""

import contextvars
import zipfile
from pathlib import Path

import pytest
from conftest import FIXTURES, HEADER, read, write_csv, write_xlsx

from merge import i18n
from merge.errors import InputError
from merge.read.sniff import sniff


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

    def on_the_page() -> str:
        i18n.speak_for_page()
        with pytest.raises(InputError) as info:
            sniff(path, "inputs/bomb.xlsx", max_unpacked_mb=2)
        return str(info.value)

    said = contextvars.copy_context().run(on_the_page)  # the page has no limit to raise
    assert said.startswith("inputs/bomb.xlsx: unpacks to 3 MB, more than the limit of 2 MB")
    assert "--" not in said and "save the list alone as .xlsx or .csv" in said


def test_pdf_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "liste.pdf"
    path.write_bytes(b"%PDF-1.7\n...")
    with pytest.raises(InputError, match="is a PDF"):
        read(path)


@pytest.mark.parametrize(
    ("name", "kind"),
    [("signers.xls", "ole"), ("signers.ods", "zip")],
)
def test_sniff_tells_workbooks_apart_by_their_first_bytes(name: str, kind: str) -> None:
    assert sniff(FIXTURES / name, name) == kind


def test_sniff_takes_xlsx_as_zip_and_any_text_as_text(tmp_path: Path) -> None:
    xlsx = write_xlsx(tmp_path / "x.csv", {"S": [HEADER]})
    assert sniff(xlsx, "x.csv") == "zip"
    for encoding in ("utf-8", "utf-8-sig", "utf-16", "cp1252"):
        text = write_csv(tmp_path / f"{encoding}.xlsx", [HEADER], encoding=encoding)
        assert sniff(text, text.name) == "text"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty - check that the right file was saved or sent"),
        (b"\xef\xbb\xbf \r\n\t\r\n", "is empty"),
        (b"<!DOCTYPE html><html><table>", "is a web page (HTML), not a spreadsheet"),
        (b"\xef\xbb\xbf  <table><tr><td>Name</td></tr></table>", "is a web page (HTML)"),
        (b'<?xml version="1.0"?><Workbook>', "is a web page (HTML)"),  # Excel 2003 XML
        (b"%PDF-1.4\n", "is a PDF, not a spreadsheet - export the list as .xlsx or .csv"),
    ],
)
def test_sniff_refuses_what_is_no_spreadsheet_in_one_line(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "liste.xlsx"
    path.write_bytes(content)
    with pytest.raises(InputError) as info:
        sniff(path, "inputs/liste.xlsx")
    assert str(info.value).startswith(f"inputs/liste.xlsx: {message}")


def test_a_zip_of_other_files_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "fotos.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("bild.jpg", b"\xff\xd8")
    with pytest.raises(InputError, match=r"fotos\.xlsx: is a zip archive, not a spreadsheet"):
        sniff(path, "fotos.xlsx")


def test_the_unpacked_size_limit_is_inclusive(tmp_path: Path) -> None:
    def workbook(name: str, size: int) -> Path:
        path = tmp_path / name
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("xl/workbook.xml", b"")
            archive.writestr("xl/worksheets/sheet1.xml", b" " * size)
        return path

    assert sniff(workbook("exact.xlsx", 1024 * 1024), "exact.xlsx", max_unpacked_mb=1) == "zip"
    with pytest.raises(InputError, match="unpacks to 1 MB, more than the limit of 1 MB"):
        sniff(workbook("over.xlsx", 1024 * 1024 + 1), "over.xlsx", max_unpacked_mb=1)
