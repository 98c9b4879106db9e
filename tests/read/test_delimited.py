"""CSV, TSV and TXT: encodings, delimiters, quoted cells over several lines."""

from pathlib import Path

import pytest
from conftest import HEADER, read, write_csv

from merge.errors import InputError
from merge.read.delimited import decode_text, sniff_delimiter
from merge.read.headers import Field


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


def test_a_tie_between_comma_and_semicolon_goes_to_the_semicolon() -> None:
    """Found by the property test: a comma in every line splits as evenly as the semicolon."""
    text = "Name, Vorname;Anschrift\r\nGutperson;Beispielweg 1, 12345 Musterstadt\r\n"
    assert sniff_delimiter(text) == ";"
    assert sniff_delimiter("Name,Anschrift\nA;B,W\n") == ","  # not a tie: two columns each


def test_decode_text_falls_back_to_windows_1252() -> None:
    assert decode_text("Müller – „Zitat“".encode("cp1252"), "x.csv") == "Müller – „Zitat“"
    assert decode_text("\ufeffName".encode(), "x.csv") == "Name"


def test_binary_garbage_is_not_read_as_csv(tmp_path: Path) -> None:
    path = tmp_path / "bild.csv"
    path.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(InputError, match="is not a spreadsheet or text file"):
        read(path)


def test_a_stray_control_character_in_a_csv_is_read_as_text(tmp_path: Path) -> None:
    path = tmp_path / "liste.csv"
    path.write_bytes(b"Name,Anschrift\n" + b"Probe,Weg\x071\n" + b"Testperson,Beispielweg 2\n" * 4)
    rows, _ = read(path)
    assert [row.cells[Field.ADDRESS] for row in rows] == ["Weg\x071", *["Beispielweg 2"] * 4]


def test_a_stray_control_character_in_a_short_csv_is_read_as_text(tmp_path: Path) -> None:
    path = tmp_path / "kurz.csv"
    path.write_bytes(b"Name,Anschrift\nProbe,Weg\x071\n")
    rows, _ = read(path)
    assert [row.cells[Field.ADDRESS] for row in rows] == ["Weg\x071"]
