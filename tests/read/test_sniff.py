"""Telling a signer file by its content: workbook, old Excel, text, or refused."""

import zipfile
from pathlib import Path

import pytest
from conftest import HEADER, read, write_csv, write_xlsx

from merge.errors import InputError


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
