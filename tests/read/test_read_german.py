"""The reader in German: real files read under PETITION_MERGE_LANG=de give German notes,
reasons and errors, with the same codes as in English. Invented names and addresses.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import CORPUS, HEADER, ROOT, read, write_csv, write_xlsx
from unmarked import unmarked_words, words_of

from merge import i18n
from merge.errors import InputError, MergeError
from merge.read.delimited import decode_text
from merge.read.mapping import FIELD_KEYS, NOT_USED, mappings_for
from merge.read.rows import read_rows
from merge.read.survey import ADDRESS_PART, BY_NAME, RUNNING_NUMBER, UNUSED, survey
from merge.reporter import Report

GOOD = ["Beispiel", "Anna", "Lindenweg 1", "12345", "Musterstadt"]


@pytest.fixture
def german(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("PETITION_MERGE_LANG", "de")
    i18n.activate("de")
    yield
    i18n.activate("en")


def in_language(language: str, path: Path) -> tuple[list[tuple[str, str | None]], list[str]]:
    """Read a file in a language: (origin, code) of every refused row, and the notes."""
    i18n.activate(language)
    try:
        rows, notes = read(path)
    finally:
        i18n.activate("en")
    refused = [(row.origin, getattr(row.problem, "code", None)) for row in rows if row.problem]
    return refused, notes


def test_notes_about_a_sheet_are_german(tmp_path: Path, german: None) -> None:
    path = write_xlsx(
        tmp_path / "w.xlsx",
        {"Liste": [["Unterschriften Stand"], [], [*HEADER, "E-Mail"], [*GOOD, None]]},
    )
    _, notes = read(path, display="inputs/w.xlsx")
    assert "inputs/w.xlsx:Liste: Kopfzeile in Zeile 3 gefunden" in notes
    assert "inputs/w.xlsx:Liste: nicht verwendete Spalten: 'E-Mail'" in notes


def test_a_sheet_not_recognised_refuses_its_rows_in_german_with_a_stable_code(
    tmp_path: Path, german: None
) -> None:
    path = write_xlsx(
        tmp_path / "w.xlsx",
        {"Liste": [HEADER, GOOD], "Nachtrag": [["Wer", "Wo"], ["B", "x"], ["C", "y"]]},
    )
    rows, notes = read(path, display="inputs/w.xlsx")
    [first, second] = [row for row in rows if ":Nachtrag:" in row.origin]
    assert first.problem is not None and first.problem.startswith("Tabellenblatt nicht erkannt")
    assert "Spalte" in first.problem and "inputs/spalten.toml" in first.problem
    assert {getattr(row.problem, "code", None) for row in (first, second)} == {
        "sheet-not-recognised"
    }
    note = next(note for note in notes if ":Nachtrag:" in note)
    assert "keine Kopfzeile mit einer Namens- und einer Anschriftenspalte" in note
    assert "gefundene Spaltenüberschriften: 'Wer', 'Wo'" in note
    assert "die 2 Zeilen dieses Blatts werden abgelehnt" in note


def test_plural_forms_are_right_in_german(tmp_path: Path, german: None) -> None:
    one = write_xlsx(tmp_path / "one.xlsx", {"Liste": [HEADER, GOOD], "X": [["Wer"], ["B"]]})
    _, notes = read(one)
    assert any("die 1 Zeile dieses Blatts wird abgelehnt" in note for note in notes), notes
    utf8 = "Name;Vorname;Straße\r\nMüller;Jürgen;Weg 1\r\n".encode()
    for pasted, expected in (
        (b"Wei\xdf;K\xe4the;Weg 2\r\n", "Zeile 3 hat einen anderen Zeichensatz"),
        (b"Wei\xdf;K\xe4the;Weg 2\r\nGr\xfcn;J\xf6rg;Weg 3\r\n", "Zeilen 3, 4 haben einen"),
    ):
        said: list[str] = []
        decode_text(utf8 + pasted, "inputs/m.csv", said.append)
        assert len(said) == 1 and said[0].startswith(f"inputs/m.csv: {expected}"), said
        assert "speichern Sie die Datei erneut als UTF-8" in said[0]


def test_codes_are_the_same_in_german_and_english(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "w.xlsx",
        {
            "Liste": [
                [*HEADER, "Straße 2"],
                [*GOOD, None],
                ["Probe", "Eva", "Weg 3", "1", "X", "a"],
            ],
            "Nachtrag": [["Wer", "Wo"], ["B", "x"]],
        },
    )
    german, german_notes = in_language("de", path)
    english, english_notes = in_language("en", path)
    assert (
        german
        == english
        == [
            (f"{path}:Liste:3", "address-column-not-used"),
            (f"{path}:Nachtrag:2", "sheet-not-recognised"),
        ]
    )
    assert german_notes != english_notes and len(german_notes) == len(english_notes)


def test_formula_errors_are_named_in_german(german: None) -> None:
    rows, _notes = read(CORPUS / "formula-errors.xlsx", display="inputs/f.xlsx")
    problems = [row.problem for row in rows if row.problem]
    assert problems and all(problem.startswith("Zelle ") for problem in problems)
    assert all("zeigt den Formelfehler" in problem for problem in problems)
    assert {getattr(problem, "code", None) for problem in problems} == {"formula-error"}


def test_a_hidden_sheet_is_noted_in_german(german: None) -> None:
    _, notes = read(CORPUS / "hidden-sheet.xlsx", display="inputs/h.xlsx")
    assert any(
        note.endswith("das Tabellenblatt ist ausgeblendet; trotzdem gelesen") for note in notes
    )


@pytest.mark.parametrize(
    ("name", "german_words"),
    [
        ("pdf-renamed.xlsx", "ist eine PDF-Datei, keine Tabelle - exportieren Sie die Liste"),
        ("empty.csv", "ist leer - prüfen Sie, ob die richtige Datei"),
        ("word-document.xlsx", "ist ein Word-Dokument, keine Tabelle"),
        ("password-protected.xlsx", "ist durch ein Passwort geschützt - öffnen Sie die Datei"),
        ("no-address-column.csv", "hat eine Namensspalte, aber keine Anschriftenspalte"),
        ("header-too-low.xlsx", "kein Tabellenblatt hat erkennbare Spalten"),
        ("very-long-field.csv", "Zeile 2: diese CSV-Datei kann nicht gelesen werden"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_in_german(
    name: str, german_words: str, german: None
) -> None:
    with pytest.raises(InputError) as caught:
        read(CORPUS / name, display=f"inputs/{name}")
    assert str(caught.value).startswith(f"inputs/{name}: ")
    assert german_words in str(caught.value)


def test_a_missing_file_is_refused_in_german(tmp_path: Path, german: None) -> None:
    from merge.read.rows import list_inputs

    with pytest.raises(InputError, match="gibt es nicht - prüfen Sie den Namen"):
        list_inputs([tmp_path / "fehlt.xlsx"])


def test_mistakes_in_the_mapping_file_are_explained_in_german(tmp_path: Path, german: None) -> None:
    write_csv(tmp_path / "a.csv", [["Wer", "Anschrift"], ["Beispiel", "Weg 1, 12345 Musterstadt"]])
    mapping = tmp_path / "spalten.toml"
    mapping.write_text('["a.csv"]\n"Wer" = "nachnahme"\n', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        mappings_for(tmp_path, "inputs")
    assert str(caught.value) == (
        'inputs/spalten.toml ["a.csv"]: "Wer" = "nachnahme" ist kein Feld - schreiben Sie '
        "eines dieser Felder: " + ", ".join([*FIELD_KEYS.values(), NOT_USED])
    )
    mapping.write_text('["a.csv"]\n"Wer" = "nachname"\n"Wohin" = ""\n', encoding="utf-8")
    reports: list[Report] = []
    list(read_rows(tmp_path / "a.csv", reports.append, display="inputs/a.csv"))
    notes = [report.text for report in reports]
    assert any("inputs/spalten.toml" in note and "nennt 'Wohin'" in note for note in notes)
    assert any("'Wohin' hat in inputs/spalten.toml" in note and "noch kein Feld" in note
               for note in notes)  # fmt: skip


def test_the_columns_survey_says_in_german_how_each_column_is_read(
    tmp_path: Path, german: None
) -> None:
    rows = [["Nr.", *HEADER, "Straße 2", "E-Mail"]]
    rows += [[n, "Beispiel", "Anna", f"Lindenweg {n}", "12345", "Musterstadt", None, None]
             for n in range(1, 5)]  # fmt: skip
    path = write_xlsx(tmp_path / "w.xlsx", {"Liste": rows})
    [sheet] = survey(path, "inputs/w.xlsx", mappings_for(tmp_path, "inputs"), lambda r: None)
    how = {column.header: (column.kind, column.how) for column in sheet.columns}
    assert how["Nr."] == (RUNNING_NUMBER, "laufende Nummer (1, 2, 3, ...), nicht verwendet")
    assert how["Name"] == (BY_NAME, "nach ihrer Überschrift")
    assert how["Straße 2"][0] == ADDRESS_PART and "Teil der Anschrift" in how["Straße 2"][1]
    assert how["E-Mail"] == (UNUSED, "nicht verwendet")
    assert sheet.needs_mapping


def test_english_reads_as_before(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "w.xlsx", {"Liste": [["Titel"], [*HEADER, "E-Mail"], [*GOOD, 1]]})
    _, notes = read(path, display="inputs/w.xlsx")
    assert notes == [
        "inputs/w.xlsx:Liste: header found in row 2",
        "inputs/w.xlsx:Liste: columns not used: 'E-Mail'",
    ]


# --- nothing the reader says is outside the catalog (the pseudo language) ------------------------

EXAMPLES = [
    *sorted((ROOT / "inputs").iterdir()),
    *sorted(path for path in CORPUS.iterdir() if path.is_file() and path.suffix != ".py"),
    *sorted((CORPUS / "office").iterdir()),
]


def said_in_pseudo(path: Path) -> list[str]:
    """Every note, refusal reason and error the reader gives for a file, in the pseudo language."""
    reports: list[Report] = []
    texts: list[str] = []
    i18n.activate(i18n.PSEUDO)
    try:
        rows = list(read_rows(path, reports.append, display=f"inputs/{path.name}"))
        texts += [row.problem for row in rows if row.problem]
        mappings = mappings_for(path.parent, "inputs")
        for sheet in survey(path, f"inputs/{path.name}", mappings, reports.append):
            texts += [sheet.skipped, *(column.how for column in sheet.columns)]
    except MergeError as err:
        texts.append(str(err))
    finally:
        i18n.activate("en")
    return [report.text for report in reports] + [text for text in texts if text]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.name)
def test_every_note_and_reason_of_the_reader_is_marked(path: Path) -> None:
    data = words_of(path)  # the file's sheet names, headers and cells
    for text in said_in_pseudo(path):
        assert not unmarked_words(text, data), text
        assert re.match(r"\s*" + i18n.PSEUDO_OPEN, text), text  # a message, not a bare value
