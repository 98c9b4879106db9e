"""CSVs in the legacy encodings volunteers' programs save: each is read as it was written, and
the file is named (never a name in it) when its encoding is not the common one or not certain.

Every expectation is the text that was encoded, never what the reader makes of it.
"""

import csv
import io
from pathlib import Path

import pytest
from conftest import invoke

from merge.read.delimited import decode_text
from merge.read.headers import Field
from merge.read.rows import read_rows

SHOWN = "inputs/liste.csv"
HEADER = ["Name", "Vorname", "Straße", "PLZ", "Ort"]
GERMAN = [
    ["Müller", "Jürgen", "Hauptstraße 1", "12345", "Musterstadt"],
    ["Weiß", "Käthe", "Bahnhofstraße 3", "50667", "Köln"],
    ["Schröder", "Günter", "Am Mühlbach 2", "01067", "Erfundorf"],
    ["Öztürk", "Ümit", "Äußere Gasse 7", "90402", "Nürnberg"],
    ["Beispiel", "Anna", "Lindenweg 4", "24103", "Kiel"],
]
WESTERN = [
    ["Lefèvre", "Zoë", "Rosenstraße 5", "79098", "Freiburg"],
    ["Núñez", "José", "Gartenweg 8", "80331", "München"],
    ["Sørensen", "Håkon", "Fährstraße 1", "24937", "Flensburg"],
]
CENTRAL = [
    ["Wąsik", "Łukasz", "Gartenstraße 5", "02826", "Görlitz"],
    ["Dvořák", "Jiří", "Kirchweg 9", "01067", "Dresden"],
    ["Wiśniewska", "Małgorzata", "Brückenstraße 12", "15230", "Frankfurt (Oder)"],
    ["Kučera", "Šárka", "Schulstraße 3", "01067", "Dresden"],
]
LATIN_9 = [["Šimek", "Žofie", "Weg 1", "12345", "Musterstadt"]]  # not in Latin-1

# The encodings a volunteer's file comes in, with the rows it can hold.
FILES = {
    "cp1252": GERMAN + WESTERN,
    "iso-8859-1": GERMAN + WESTERN,
    "iso-8859-15": GERMAN + WESTERN + LATIN_9,
    "cp850": GERMAN + WESTERN,
    "mac_roman": GERMAN + WESTERN,
    "cp1250": GERMAN + CENTRAL,
    "iso-8859-2": GERMAN + CENTRAL,
    "utf-16-le": GERMAN + WESTERN + CENTRAL,  # without byte-order mark
    "utf-16-be": GERMAN + WESTERN + CENTRAL,
}


def csv_text(rows: list[list[str]], delimiter: str = ";", newline: str = "\r\n") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator=newline).writerows(rows)
    return buffer.getvalue()


def decode(data: bytes) -> tuple[str, list[str]]:
    notes: list[str] = []
    return decode_text(data, SHOWN, notes.append), notes


MISREADINGS = ("cp1252", "iso-8859-15", "cp850", "mac_roman", "cp1250", "iso-8859-2")


def assert_names_no_cell(notes: list[str], rows: list[list[str]]) -> None:
    """Notes name the file only: no cell of the rows, as written or as any encoding misreads it."""
    words = {word for row in rows for cell in row for word in cell.split() if not word.isdigit()}
    for note in notes:
        assert note.startswith(f"{SHOWN}: "), note
        for word in words:
            for written in MISREADINGS:
                data = word.encode(written, errors="ignore")
                for read in MISREADINGS:
                    misread = data.decode(read, errors="ignore")
                    assert len(misread) < 3 or misread not in note, (misread, note)


@pytest.mark.parametrize("encoding", list(FILES))
def test_each_encoding_reads_back_as_written(encoding: str) -> None:
    rows = [HEADER, *FILES[encoding]]
    text = csv_text(rows, newline="\r" if encoding == "mac_roman" else "\r\n")
    read, notes = decode(text.encode(encoding))
    assert read == text
    assert len(notes) <= 1
    assert_names_no_cell(notes, rows[1:])


@pytest.mark.parametrize(
    ("encoding", "label"),
    [
        ("cp850", "DOS (cp850)"),
        ("mac_roman", "Mac (Mac Roman)"),
        ("cp1250", "Windows-1250"),
        ("iso-8859-2", "ISO-8859-2"),
        ("iso-8859-15", "ISO-8859-15"),
    ],
)
def test_a_file_not_in_windows_1252_is_named_with_its_encoding(encoding: str, label: str) -> None:
    rows = [HEADER, *FILES[encoding]]
    text = csv_text(rows)
    read, notes = decode(text.encode(encoding))
    assert read == text
    assert len(notes) == 1
    assert notes[0].startswith(f"{SHOWN}: read as {label}")
    assert notes[0].endswith('check the umlauts, or save the file again as "CSV UTF-8" to be sure')
    assert_names_no_cell(notes, rows[1:])


@pytest.mark.parametrize("encoding", ["cp1252", "iso-8859-1"])
def test_a_windows_1252_file_gives_no_note(encoding: str) -> None:
    rows = [HEADER, *GERMAN, *WESTERN, ["Beispiel", "Eva", "„Zum Anker“ – Hof 1", "12345", "Ort"]]
    text = csv_text(rows)
    if encoding == "iso-8859-1":
        text = text.replace("„", '"').replace("“", '"').replace("–", "-")
    assert decode(text.encode(encoding)) == (text, [])


def test_umlauts_that_read_the_same_in_windows_1252_give_no_note() -> None:
    # ä ö ü ß are the same bytes in ISO-8859-15, Windows-1250 and ISO-8859-2: not "unsure".
    text = csv_text([HEADER, *GERMAN])
    for encoding in ("iso-8859-15", "cp1250", "iso-8859-2"):
        assert decode(text.encode(encoding)) == (text, [])


def test_a_file_in_plain_ascii_is_utf_8_without_a_note() -> None:
    text = csv_text([["Name", "Vorname", "Strasse"], ["Beispiel", "Anna", "Lindenweg 4"]])
    assert decode(text.encode("ascii")) == (text, [])


@pytest.mark.parametrize("encoding", ["cp850", "mac_roman"])
@pytest.mark.parametrize("word", ["Köln", "Müller", "Jäger", "Weiß"])
def test_a_short_file_with_one_umlaut_is_read_right(encoding: str, word: str) -> None:
    rows = [["Name", "Vorname", "Ort"], ["Schmidt", "Peter", "Berlin"], [word, "Anna", "Kiel"]]
    text = csv_text(rows)
    read, notes = decode(text.encode(encoding))
    assert read == text
    assert len(notes) == 1
    assert ("DOS (cp850)" if encoding == "cp850" else "Mac (Mac Roman)") in notes[0]
    assert_names_no_cell(notes, rows[1:])


def test_an_uncertain_encoding_is_one_line_naming_the_file_and_both_readings() -> None:
    # "Gärtner" in Mac Roman is "Gèrtner" in DOS: either is a name; nothing else tells.
    rows = [["Name", "Vorname", "Ort"], ["Schmidt", "Peter", "Berlin"], ["Gärtner", "Anna", "Kiel"]]
    data = csv_text(rows).encode("mac_roman")
    read, notes = decode(data)
    assert read in (data.decode("mac_roman"), data.decode("cp850"))
    assert len(notes) == 1
    assert "\n" not in notes[0]
    assert notes[0].startswith(f"{SHOWN}: the encoding is not certain")
    assert "Mac Roman" in notes[0]
    assert "cp850" in notes[0]
    assert 'save the file again as "CSV UTF-8"' in notes[0]
    assert_names_no_cell(notes, rows[1:])


def test_foreign_lines_in_a_utf_8_file_are_read_in_their_own_encoding() -> None:
    utf8 = [HEADER, *GERMAN[:3], WESTERN[0]]
    pasted = [["Köhler", "Jörg", "Gartenstraße 4", "12345", "Musterstadt"], GERMAN[3]]
    lines = [csv_text([row]).encode("utf-8") for row in utf8[:3]]
    lines += [csv_text([row]).encode("cp850") for row in pasted]
    lines += [csv_text([row]).encode("utf-8") for row in utf8[3:]]
    read, notes = decode(b"".join(lines))
    assert read == csv_text([*utf8[:3], *pasted, *utf8[3:]])
    assert len(notes) == 1
    assert notes[0].startswith(
        f"{SHOWN}: lines 4, 5 are not UTF-8 like the rest of the file; read as DOS (cp850)"
    )
    assert_names_no_cell(notes, [*utf8[1:], *pasted])


def test_a_run_warns_about_a_dos_file_and_reads_its_names_right(project: Path) -> None:
    path = project / "inputs" / "dos.csv"
    path.write_bytes(csv_text([HEADER, *GERMAN]).encode("cp850"))
    result = invoke("run", "--dry-run")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    warnings = [line for line in lines if line.startswith("warning: inputs/dos.csv")]
    assert warnings == [
        "warning: inputs/dos.csv: read as DOS (cp850) - check the umlauts, or save the file "
        'again as "CSV UTF-8" to be sure'
    ]
    rows = list(read_rows(path, lambda report: None))
    assert [row.cells[Field.LAST] for row in rows] == [row[0] for row in GERMAN]
    assert [row.cells[Field.FIRST] for row in rows] == [row[1] for row in GERMAN]
