"""A UTF-8 file with a few lines in another encoding: the rest is never garbled, and the
lines that were read differently are named."""

from pathlib import Path

from conftest import invoke

from merge.read.delimited import decode_text
from merge.read.headers import Field
from merge.read.rows import read_rows

UTF8_ROWS = [
    "Name,Vorname,Straße,PLZ,Ort",
    "Müller,Jürgen,Hauptstraße 1,12345,Musterstadt",
    "Weiß,Käthe,Bahnhofstraße 3,12345,Musterstadt",
]
PASTED = "Schröder,Günter,Lindenweg 2,12345,Musterstadt"  # from a Windows-1252 export


def mixed(path: Path) -> Path:
    lines = [UTF8_ROWS[0].encode(), UTF8_ROWS[1].encode(), PASTED.encode("cp1252")]
    path.write_bytes(b"\r\n".join([*lines, UTF8_ROWS[2].encode(), b""]))
    return path


def test_the_utf8_lines_stay_utf8_and_the_other_line_is_repaired_and_named(tmp_path: Path) -> None:
    notes: list[str] = []
    text = decode_text(mixed(tmp_path / "m.csv").read_bytes(), "inputs/m.csv", notes.append)
    assert text.splitlines() == [UTF8_ROWS[0], UTF8_ROWS[1], PASTED, UTF8_ROWS[2]]
    assert notes == [
        "inputs/m.csv: line 3 is not UTF-8 like the rest of the file; read as "
        "Windows-1252 - check its umlauts, or save the file again as UTF-8"
    ]


def test_a_run_warns_and_prints_every_name_right(project: Path) -> None:
    mixed(project / "inputs" / "m.csv")
    result = invoke("run", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "warning: inputs/m.csv: line 3 is not UTF-8" in result.output
    rows = list(read_rows(project / "inputs" / "m.csv", lambda report: None))
    assert [row.cells[Field.LAST] for row in rows] == ["Müller", "Schröder", "Weiß"]
    assert [row.cells[Field.FIRST] for row in rows] == ["Jürgen", "Günter", "Käthe"]


def test_a_file_all_in_windows_1252_is_read_whole_without_a_warning(tmp_path: Path) -> None:
    data = "\r\n".join([*UTF8_ROWS, PASTED]).encode("cp1252")
    notes: list[str] = []
    assert decode_text(data, "x", notes.append).splitlines() == [*UTF8_ROWS, PASTED]
    assert notes == []


def test_one_utf8_header_against_one_broken_line_keeps_the_file_utf8(tmp_path: Path) -> None:
    """The property test's find: "Straße" in the header and one line of broken bytes."""
    for newline in (b"\r\n", b"\r"):  # CR-only: old Mac files
        data = newline.join([UTF8_ROWS[0].encode(), UTF8_ROWS[1].encode(), b"\xed\xa0\x80;\xff"])
        notes: list[str] = []
        lines = decode_text(data, "inputs/m.csv", notes.append).splitlines()
        assert lines[:2] == UTF8_ROWS[:2]
        assert len(notes) == 1 and notes[0].startswith("inputs/m.csv: line 3 is not UTF-8")
