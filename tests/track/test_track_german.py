"""Tracking in German and English: the dispatch checklist in the run's language, read back in
either (and as checklists before the interface spoke English wrote it), and the messages of
the ledger, mark-mailed, discard, purge and the batch folder in German."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import (
    batch_record,
    invoke,
    make_batch,
    make_page,
    make_signer,
    manifests,
    record_batches,
    signer_rows,
    write_csv,
)
from openpyxl import load_workbook
from unmarked import unmarked_words

from merge import i18n
from merge.batch import check_batch_name
from merge.batch.model import Batch
from merge.batch.staging import missing_folders
from merge.errors import InputError, LedgerError, MergeError, OutputError, UsageError
from merge.lists.accounting import DuplicateRow, HeldRow, ListedRow, RowNote
from merge.pipeline import RunRequest, run
from merge.post.money import format_eur
from merge.post.plan import Letter
from merge.reporter import Kind, Report
from merge.settings import KeyReader
from merge.track.checklist_read import Mark, parse_date, read_checklist
from merge.track.checklist_write import write_checklist
from merge.track.discard import discard
from merge.track.ledger import existing_ledger, open_ledger, parse_envelope_spec
from merge.track.mark_mailed import mark_mailed
from merge.track.purge import purgeable

BATCH = "2026-11-27-1"
PREPARED = dt.date(2026, 11, 27)
TODAY = dt.date(2026, 12, 31)  # the day the tracking commands run
REJECTED_REASON = "keine Postleitzahl - tragen Sie sie in der Datei ein"  # as accounting gives it


@pytest.fixture
def german(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("PETITION_MERGE_LANG", "de")
    i18n.activate("de")
    yield
    i18n.activate("en")


def checklist_batch() -> Batch:
    """Three envelopes of one list each; a rejected, a duplicate, a listed and a held row."""
    pages = [
        make_page(n, [make_signer(f"inputs/stand.xlsx:Markt:{5 * n + i}") for i in range(5)])
        for n in (1, 2, 3)
    ]
    letters = [
        Letter(n, (n,), 1, 15.0, "standard", "Standardbrief International", Decimal("1.25"), 0.3)
        for n in (1, 2, 3)
    ]
    batch = make_batch(
        pages,
        name=BATCH,
        prepared_on=PREPARED,
        rejected=[RowNote("inputs/stand.xlsx:Markt:2", REJECTED_REASON)],
        duplicates=[DuplicateRow("inputs/stand.xlsx:Markt:3", "inputs/a.xlsx:S:2")],
        previously_listed=[ListedRow("inputs/stand.xlsx:Markt:4", "2026-11-20-1")],
        letters=letters,
        names=True,
        deadline=dt.date(2026, 12, 20),
        transit_days=14,
    )
    held = HeldRow("inputs/stand.xlsx:Markt:30", "2026-11-20-1", "same name, another address")
    accounting = dataclasses.replace(batch.accounting, rows=batch.accounting.rows + 1, held=(held,))
    return dataclasses.replace(batch, accounting=accounting)


def written(tmp_path: Path, language: str) -> Path:
    """The checklist of checklist_batch(), written in ``language``; the run's language stays."""
    before = i18n.language()
    i18n.activate(language)
    try:
        path = tmp_path / f"checklist-{language}.xlsx"
        write_checklist(path, checklist_batch())
    finally:
        i18n.activate(before)
    return path


def values(path: Path, sheet: str) -> list[list[Any]]:
    return [list(row) for row in load_workbook(path)[sheet].iter_rows(values_only=True)]


def mark(path: Path, sheet: str, cells: dict[str, Any]) -> Path:
    """Type into the checklist as a coordinator would in Excel, and save."""
    workbook = load_workbook(path)
    for address, value in cells.items():
        workbook[sheet][address] = value
    workbook.save(path)
    return path


# --- the checklist in German ----------------------------------------------------------------


def test_a_german_run_writes_the_checklist_in_german(tmp_path: Path, german: None) -> None:
    path = tmp_path / "c.xlsx"
    write_checklist(path, checklist_batch())
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["Umschläge", "Listen", "Übersicht", "Nicht verwendbar & doppelt"]
    envelopes = workbook["Umschläge"]
    assert [cell.value for cell in envelopes[1]] == [
        "Umschlag",
        "Listen",
        "Unterschriften",
        "Produkt",
        "Porto",
        "Gewicht (g, geschätzt)",
        "Verschickt am",
        "Verschickt von",
    ]
    assert envelopes["G2"].number_format == "DD.MM.YYYY"
    assert envelopes.oddHeader.center.text == f"Versand-Checkliste {BATCH}"
    assert envelopes.oddFooter.center.text == "Seite &P von &N"
    [rule] = envelopes.data_validations.dataValidation
    assert rule.errorTitle == "Kein Datum"
    assert rule.error == (
        "Bitte tragen Sie den Tag ein, an dem der Umschlag verschickt wurde, z. B. 27.11.2026 "
        "(zwischen 01.01.2000 und 31.12.2100). Ein 'x' oder 'ja' heißt: verschickt, Tag "
        "unbekannt - klicken Sie dann auf 'Ja'."
    )
    assert (rule.promptTitle, rule.prompt) == (
        "Verschickt am",
        "Der Tag, an dem der Umschlag verschickt wurde, z. B. 27.11.2026",
    )
    assert values(path, "Listen")[0] == ["Liste", "Umschlag", "Datei:Blatt:Zeile", "Namen"]


def test_the_german_rows_sheet_says_why_each_row_is_on_no_list(
    tmp_path: Path, german: None
) -> None:
    path = tmp_path / "c.xlsx"
    data = checklist_batch()
    write_checklist(path, data)
    rows = values(path, "Nicht verwendbar & doppelt")
    assert rows == [
        ["Datei:Blatt:Zeile", "Art", "Grund"],
        ["inputs/stand.xlsx:Markt:2", "nicht verwendbar", REJECTED_REASON],
        ["inputs/stand.xlsx:Markt:3", "doppelt", "dieselbe Person wie inputs/a.xlsx:S:2"],
        [
            "inputs/stand.xlsx:Markt:4",
            "schon auf einer früheren Liste",
            "schon auf einer früheren Liste (Versand 2026-11-20-1)",
        ],
        # The reason comes from the accounting, in the run's language: written as given.
        ["inputs/stand.xlsx:Markt:30", "zurückgehalten", data.accounting.held[0].reason],
    ]


def test_the_german_summary_has_german_labels_and_dates(tmp_path: Path, german: None) -> None:
    path = tmp_path / "c.xlsx"
    write_checklist(path, checklist_batch())
    sheet = load_workbook(path)["Übersicht"]
    rows = {row[0].value: row[1] for row in sheet.iter_rows() if row[0].value}
    assert values(path, "Übersicht")[0][:2] == ["Versand", BATCH]
    assert rows["Vorbereitet am"].value == dt.datetime(2026, 11, 27)
    assert rows["Vorbereitet am"].number_format == "DD.MM.YYYY"
    assert rows["Einsendeschluss"].value == dt.datetime(2026, 12, 20)
    assert rows["Spätestens versenden am"].value == dt.datetime(2026, 12, 6)
    assert rows["Laufzeit (Tage)"].value == 14
    assert rows["Umschlagnummern"].value == "1-3"
    assert rows[f"Briefmarken zu {format_eur(Decimal('1.25'))}"].value == 3
    assert rows[f"Briefmarken zu {format_eur(Decimal('1.25'))}"].number_format == '0" Stück"'
    assert {
        "Zeilen gelesen",
        "Leere Zeilen",
        "Unterschriften",
        "Doppelt",
        "Nicht verwendbar",
    } <= set(rows)
    assert {"Schon auf früheren Listen", "Zurückgehalten (geändert)", "Porto gesamt"} <= set(rows)


# --- the checklist in English ---------------------------------------------------------------


def test_an_english_run_writes_the_checklist_in_english(tmp_path: Path) -> None:
    path = tmp_path / "c.xlsx"
    write_checklist(path, checklist_batch())
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["Envelopes", "Lists", "Summary", "Rejected & duplicates"]
    envelopes = workbook["Envelopes"]
    assert [cell.value for cell in envelopes[1]][6:] == ["Mailed on", "Mailed by"]
    assert envelopes["G2"].number_format == "YYYY-MM-DD"
    assert envelopes.oddFooter.center.text == "Page &P of &N"
    [rule] = envelopes.data_validations.dataValidation
    assert "e.g. 2026-11-27 (between 2000-01-01 and 2100-12-31)" in rule.error
    assert values(path, "Lists")[0] == ["List", "Envelope", "File:sheet:row", "Names"]
    rows = values(path, "Rejected & duplicates")
    assert rows[0] == ["File:sheet:row", "Kind", "Reason"]
    assert [row[1] for row in rows[1:]] == [
        "rejected",
        "duplicate",
        "on an earlier list",
        "held back",
    ]
    assert rows[2][2] == "same person as inputs/a.xlsx:S:2"
    summary = load_workbook(path)["Summary"]
    labels = {row[0].value: row[1] for row in summary.iter_rows() if row[0].value}
    assert labels["Prepared on"].number_format == "YYYY-MM-DD"
    assert labels["Latest safe mailing date"].value == dt.datetime(2026, 12, 6)


# --- read back whatever language wrote it ----------------------------------------------------

TICKS = {"G2": "28.11.2026", "H2": "Anna", "G3": "x", "G4": dt.date(2026, 11, 29)}
MARKS = (
    Mark(1, dt.date(2026, 11, 28), "Anna"),
    Mark(2, None, None),
    Mark(3, dt.date(2026, 11, 29), None),
)


@pytest.mark.parametrize(
    ("written_in", "read_in", "sheet"),
    [
        ("de", "en", "Umschläge"),
        ("en", "de", "Envelopes"),
        ("de", "de", "Umschläge"),
        ("en", "en", "Envelopes"),
    ],
)
def test_a_checklist_reads_back_under_either_language(
    tmp_path: Path, written_in: str, read_in: str, sheet: str
) -> None:
    path = mark(written(tmp_path, written_in), sheet, TICKS)
    i18n.activate(read_in)
    assert read_checklist(path) == (BATCH, MARKS)


def test_an_iso_date_in_a_german_checklist_and_a_german_one_in_an_english_one(
    tmp_path: Path,
) -> None:
    german_file = mark(written(tmp_path, "de"), "Umschläge", {"G2": "2026-11-28"})
    english_file = mark(written(tmp_path, "en"), "Envelopes", {"G2": "28.11.2026"})
    for language in ("de", "en"):
        i18n.activate(language)
        for path in (german_file, english_file):
            assert read_checklist(path)[1] == (Mark(1, dt.date(2026, 11, 28), None),)


# The headings a checklist had before the interface spoke English (petition-merge before
# issue 15): sheets, envelope columns and summary labels, all German.
EARLIER_SHEETS = {
    "Envelopes": "Umschläge",
    "Lists": "Listen",
    "Summary": "Übersicht",
    "Rejected & duplicates": "Abgelehnt & Doppelt",
}
EARLIER_COLUMNS = [
    "Umschlag",
    "Listen",
    "Unterschriften",
    "Produkt",
    "Porto",
    "Gewicht (g, geschätzt)",
    "Versandt am",
    "Versandt von",
]
EARLIER_LABELS = {"Batch": "Batch", "Envelope numbers": "Umschlagnummern"}


def earlier_checklist(tmp_path: Path, numbers: str = "1-3") -> Path:
    """A checklist as petition-merge wrote it before issue 15 (German headings, "Batch")."""
    path = written(tmp_path, "en")
    workbook = load_workbook(path)
    for sheet in workbook.worksheets:
        sheet.title = EARLIER_SHEETS[sheet.title]
    for column, heading in enumerate(EARLIER_COLUMNS, start=1):
        workbook["Umschläge"].cell(1, column, heading)
    for row in workbook["Übersicht"].iter_rows():
        if row[0].value in EARLIER_LABELS:
            row[0].value = EARLIER_LABELS[row[0].value]
        if row[0].value == "Umschlagnummern":
            row[1].value = numbers
    workbook.save(path)
    return path


@pytest.mark.parametrize("language", ["de", "en"])
def test_a_checklist_made_before_this_change_still_reads(tmp_path: Path, language: str) -> None:
    path = mark(earlier_checklist(tmp_path), "Umschläge", TICKS)
    i18n.activate(language)
    assert read_checklist(path) == (BATCH, MARKS)


@pytest.mark.parametrize("language", ["de", "en"])
def test_keine_and_none_both_mean_a_batch_without_envelopes(tmp_path: Path, language: str) -> None:
    path = earlier_checklist(tmp_path, numbers="keine")
    workbook = load_workbook(path)
    workbook["Umschläge"].delete_rows(2, 3)
    workbook.save(path)
    i18n.activate(language)
    assert read_checklist(path) == (BATCH, ())


def test_an_english_run_names_the_german_headings_of_a_german_checklist(tmp_path: Path) -> None:
    path = mark(written(tmp_path, "de"), "Umschläge", {"G1": None})
    with pytest.raises(InputError) as caught:
        read_checklist(path)  # the run is English
    assert str(caught.value) == (
        f'{path}:Umschläge: the header row 1 has no column "Verschickt am" - type the heading '
        "back in, or mark the envelopes without the checklist: petition-merge mark-mailed "
        "BATCH:NUMBER"
    )


def test_a_german_run_names_the_english_headings_of_an_english_checklist(
    tmp_path: Path, german: None
) -> None:
    path = mark(written(tmp_path, "en"), "Summary", {"A14": "Notiz"})
    with pytest.raises(InputError) as caught:
        read_checklist(path)
    assert str(caught.value) == (
        f'{path}:Summary: keine Zeile "Envelope numbers" in Spalte A - stellen Sie sie wieder '
        "her, oder tragen Sie die Umschläge ohne Checkliste ein: petition-merge mark-mailed "
        "VERSAND:NUMMER"
    )


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        (
            {"G2": "morgen"},
            'Umschläge!G2: "morgen" ist kein Datum - schreiben Sie es so: 27.11.2026, oder '
            "lassen Sie die Zelle leer",
        ),
        (
            {"G2": "27.11."},
            'Umschläge!G2: "27.11." hat keine Jahreszahl - schreiben Sie es so: 27.11.2026',
        ),
        (
            {"G2": dt.date(1926, 11, 27)},
            'Umschläge!G2: "27.11.1926" kann kein Versanddatum sein - schreiben Sie es so: '
            "27.11.2026, oder lassen Sie die Zelle leer",
        ),
        ({"A3": "zwei"}, 'Umschläge!A3: "zwei" ist keine Umschlagnummer - stellen Sie den'),
        ({"A3": 1}, "Umschläge!A3: Umschlag 1 steht zweimal da (A2 und A3) - stellen Sie"),
        (
            {"A3": 9},
            "Umschläge!A3: Umschlag 9 gehört nicht zu diesem Versand (seine Umschläge sind 1-3)",
        ),
        ({"H1": "Verschickt am"}, 'Umschläge: zwei Spalten "Verschickt am" (G1 und H1) - löschen'),
    ],
)
def test_checklist_errors_in_german(
    tmp_path: Path, german: None, cells: dict[str, Any], message: str
) -> None:
    path = mark(written(tmp_path, "de"), "Umschläge", cells)
    with pytest.raises(InputError) as caught:
        read_checklist(path)
    assert str(caught.value).startswith(f"{path}:{message}")


def test_a_missing_sheet_is_named_in_the_language_of_the_file(tmp_path: Path) -> None:
    path = written(tmp_path, "de")
    workbook = load_workbook(path)
    workbook["Umschläge"].title = "Tabelle1"
    workbook.save(path)
    i18n.activate("de")
    with pytest.raises(InputError) as caught:
        read_checklist(path)
    assert str(caught.value) == (
        f'{path}: kein Tabellenblatt "Umschläge" (die Datei hat: "Tabelle1", "Listen", '
        '"Übersicht", "Nicht verwendbar & doppelt") - nehmen Sie die Versand-Checkliste, die '
        "petition-merge geschrieben hat, oder benennen Sie das Blatt wieder zurück"
    )


@pytest.mark.parametrize("text", ["28.11.2026", "28.11.26", "2026-11-28", "1.12.2026"])
def test_mark_mailed_dates_are_read_in_every_spelling_in_german(german: None, text: str) -> None:
    assert parse_date(text) in (dt.date(2026, 11, 28), dt.date(2026, 12, 1))


def test_an_unreadable_mark_mailed_date_shows_an_example_in_german(german: None) -> None:
    with pytest.raises(ValueError) as caught:
        parse_date("gestern")
    assert str(caught.value) == (
        '"gestern" ist kein Datum - schreiben Sie es so: 28.11.2026 (oder 28.11.26, 2026-11-28)'
    )
    assert "%" not in str(caught.value)


# --- the checklist through the CLI: written in German, marked under English ---------------------


def test_a_german_run_s_checklist_is_marked_by_an_english_mark_mailed(project: Path) -> None:
    write_csv(
        project / "inputs" / "liste.csv",
        [["Name", "Vorname", "Straße", "PLZ", "Ort"], *signer_rows(12)],
    )
    result = invoke("run", "--lang", "de", "--no-pdf", "--per-envelope", "1")
    assert result.exit_code == 0, result.output
    batch = manifests(project)[0]["batch"]
    checklist = project / "outputs" / batch / "dispatch-checklist.xlsx"
    assert load_workbook(checklist).sheetnames[0] == "Umschläge"
    today = dt.date.today()
    mark(checklist, "Umschläge", {"G2": f"{today:%d.%m.%Y}", "G3": "x"})
    marked = invoke("mark-mailed", "--lang", "en", "--checklist", str(checklist))
    assert marked.exit_code == 0, marked.output
    assert f"{batch}:1: mailed on {today.isoformat()}" in marked.stdout
    again = invoke("mark-mailed", "--lang", "de", "--checklist", str(checklist))
    assert again.exit_code == 0, again.output
    assert f"{batch}:1: unverändert: verschickt am {today:%d.%m.%Y}" in again.stdout
    assert f"{batch}:2: unverändert: verschickt am {today:%d.%m.%Y}" in again.stdout


# --- ledger, mark-mailed, discard and purge messages in German ----------------------------------


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    """A ledger with batch b, prepared 27.11.2026, envelopes 1-3 (five signers each)."""
    path = tmp_path / "ledger.sqlite"
    record_batches(path, batch_record("b", tmp_path, 15, [1, 2, 3]))
    return path


def message(err: pytest.ExceptionInfo[MergeError]) -> str:
    return str(err.value)


def test_a_missing_ledger_is_explained_in_german(tmp_path: Path, german: None) -> None:
    path = tmp_path / "ledger.sqlite"
    with pytest.raises(LedgerError) as caught, existing_ledger(path):
        pass
    assert message(caught) == (
        f"{path}: noch kein Versandbuch - es entsteht beim ersten `petition-merge run`; geben "
        "Sie es mit --ledger an, wenn es woanders liegt"
    )


@pytest.mark.parametrize(
    ("spec", "text"),
    [
        (
            "b:1-x",
            "'b:1-x': '1-x' ist weder eine Umschlagnummer noch ein Bereich - schreiben Sie z. B. "
            "b:3 oder b:1-4,7",
        ),
        ("b:4-2", "'b:4-2': der Bereich '4-2' ist verkehrt herum - schreiben Sie 2-4"),
    ],
)
def test_envelope_numbers_are_refused_in_german(german: None, spec: str, text: str) -> None:
    with pytest.raises(LedgerError) as caught:
        parse_envelope_spec(spec)
    assert message(caught) == text


def test_an_unknown_batch_or_envelope_is_refused_in_german(ledger: Path, german: None) -> None:
    with pytest.raises(LedgerError) as caught:
        discard(ledger, "x", TODAY)
    assert message(caught) == f"{ledger}: kein Versand 'x' im Versandbuch - eingetragen sind: b"
    with pytest.raises(LedgerError) as caught:
        discard(ledger, "b:7", TODAY)
    assert message(caught) == (
        "Versand b hat die Umschläge 1-3; einen Umschlag 7 gibt es nicht - prüfen Sie die Nummer"
    )
    record_batches(ledger, batch_record("c", ledger.parent, 5, [1], keys="c"))
    with pytest.raises(LedgerError) as caught:
        discard(ledger, "c:2", TODAY)
    assert message(caught) == (
        "Versand c hat nur den Umschlag 1; einen Umschlag 2 gibt es nicht - prüfen Sie die Nummer"
    )


def test_mark_mailed_says_what_changed_and_refuses_in_german(ledger: Path, german: None) -> None:
    day = dt.date(2026, 11, 28)
    changes = mark_mailed(ledger, ["b:1-2"], None, day, "Anna", today=TODAY)
    assert [c.what for c in changes] == ["verschickt am 28.11.2026"] * 2
    with pytest.raises(LedgerError) as caught:
        mark_mailed(ledger, ["b:1-2"], None, dt.date(2026, 11, 30), "Ben", today=TODAY)
    assert message(caught) == (
        "b:1: schon eingetragen als verschickt am 28.11.2026 von Anna, nicht als verschickt am "
        "30.11.2026 von Ben (und 1 weiterer Umschlag) - nichts wurde geändert; wenn der Eintrag "
        "falsch ist, starten Sie noch einmal mit --correct (der alte Eintrag bleibt im Verlauf "
        "des Umschlags erhalten)"
    )
    later = dt.date(2026, 11, 30)
    corrected = mark_mailed(ledger, ["b:1"], None, later, None, today=TODAY, correct=True)
    assert corrected[0].what == (
        "korrigiert: verschickt am 30.11.2026 von Anna (vorher: verschickt am 28.11.2026 von Anna)"
    )


def test_a_mailing_day_outside_the_batch_is_refused_in_german(ledger: Path, german: None) -> None:
    with pytest.raises(UsageError) as caught:
        mark_mailed(ledger, ["b:1"], None, dt.date(2027, 1, 2), None, today=TODAY)
    assert message(caught) == (
        "--date: 02.01.2027 liegt in der Zukunft (heute ist der 31.12.2026) - geben Sie den Tag "
        "an, an dem die "
        "Umschläge zur Post gingen, z. B. --date 31.12.2026"
    )
    with pytest.raises(UsageError) as caught:
        mark_mailed(ledger, ["b:1"], None, dt.date(2026, 11, 1), None, today=TODAY)
    assert message(caught).startswith(
        "--date: 01.11.2026 liegt vor dem Tag, an dem Versand b vorbereitet wurde (27.11.2026)"
    )


def test_nothing_to_mark_names_the_column_in_german(ledger: Path, german: None) -> None:
    with pytest.raises(LedgerError) as caught:
        mark_mailed(ledger, [], None, TODAY, None, today=TODAY)
    assert "in der die Spalte 'Verschickt am' ausgefüllt ist" in message(caught)


def test_discard_explains_in_german_that_the_signers_can_go_on_new_lists(
    ledger: Path, german: None
) -> None:
    mark_mailed(ledger, ["b:1"], None, dt.date(2026, 11, 28), None, today=TODAY)
    discard(ledger, "b:3", TODAY)
    assert [c.what for c in discard(ledger, "b", TODAY)] == [
        "unverändert: verschickt am 28.11.2026",
        "verworfen - die Unterschriften darin können wieder auf neue Listen",
        "unverändert: schon verworfen",
    ]
    with pytest.raises(LedgerError) as caught:
        mark_mailed(ledger, ["b:2"], None, dt.date(2026, 11, 28), None, today=TODAY)
    assert message(caught).startswith(
        "b:2: dieser Umschlag wurde verworfen und kann nicht als verschickt eingetragen werden"
    )


@pytest.mark.parametrize(
    ("mailed", "text"),
    [
        (["b:1-2"], "Versand b hat noch 1 Umschlag, der nicht als verschickt eingetragen ist"),
        (["b:1"], "Versand b hat noch 2 Umschläge, die nicht als verschickt eingetragen sind"),
    ],
)
def test_purge_refuses_in_german_with_the_right_plural(
    ledger: Path, german: None, mailed: list[str], text: str
) -> None:
    mark_mailed(ledger, mailed, None, dt.date(2026, 11, 28), None, today=TODAY)
    with pytest.raises(LedgerError) as caught:
        purgeable(ledger, "b")
    assert message(caught).startswith(text)
    assert "bevor Sie die Namen und Anschriften dieses Versands löschen" in message(caught)


def test_a_lost_batch_folder_is_explained_in_german(ledger: Path, german: None) -> None:
    opened = open_ledger(ledger, create=False)
    assert opened is not None
    try:
        [text] = missing_folders(opened)
    finally:
        opened.close()
    assert text.startswith("Versand b: sein Ordner ")
    assert text.endswith(
        "fehlt, aber seine 15 Unterzeichnenden stehen laut Versandbuch noch auf einer Liste - "
        "wenn seine "
        "Umschläge nicht verschickt wurden, verwerfen Sie den Versand mit `petition-merge "
        "discard b`; dann können die Unterschriften dieser Personen wieder auf neue Listen"
    )


def test_batch_folder_errors_in_german(tmp_path: Path, german: None) -> None:
    with pytest.raises(UsageError) as caught:
        check_batch_name("a\nb")
    assert message(caught).startswith(
        "'a\\nb' kann kein Name für einen Versand sein - verwenden Sie nur"
    )
    with pytest.raises(OutputError) as caught:
        write_checklist(tmp_path / "fehlt" / "c.xlsx", checklist_batch())
    assert "hier kann nicht geschrieben werden" in message(caught)
    assert "prüfen Sie, ob es den Ordner gibt" in message(caught)


# --- nothing unmarked: the pseudo language ---------------------------------------------------


@pytest.fixture
def pseudo(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("PETITION_MERGE_LANG", "pseudo")
    i18n.activate("pseudo")
    yield
    i18n.activate("en")


def test_every_text_of_the_checklist_is_marked(tmp_path: Path, pseudo: None) -> None:
    path = tmp_path / "c.xlsx"
    write_checklist(path, checklist_batch())
    workbook = load_workbook(path)
    data = checklist_batch()
    # Data, not words of this area: the product (postage data), the campaign's name, the
    # signers' names, and the reasons the accounting gave.
    allowed = [
        "Standardbrief International",
        data.campaign.name,
        "Testperson, Erika",
        REJECTED_REASON,
        data.accounting.held[0].reason,
    ]
    texts = list(workbook.sheetnames)
    for sheet in workbook.worksheets:
        texts += [sheet.oddHeader.center.text or "", sheet.oddFooter.center.text or ""]
        for row in sheet.iter_rows(values_only=True):
            texts += [value for value in row if isinstance(value, str)]
        for rule in sheet.data_validations.dataValidation:
            texts += [rule.errorTitle, rule.error, rule.promptTitle, rule.prompt]
    found = {text: unmarked_words(text, allowed) for text in texts}
    assert {text: words for text, words in found.items() if words} == {}
    assert read_checklist(path) == (BATCH, ())  # the pseudo checklist reads back too


def test_every_message_of_the_tracking_is_marked(
    ledger: Path, tmp_path: Path, pseudo: None
) -> None:
    texts = [c.what for c in mark_mailed(ledger, ["b:1"], None, PREPARED, "Anna", today=TODAY)]
    texts += [c.what for c in discard(ledger, "b", TODAY)]
    texts += [c.what for c in discard(ledger, "b", TODAY)]
    failing = [
        lambda: mark_mailed(ledger, ["b:1"], None, dt.date(2026, 11, 28), "Ben", today=TODAY),
        lambda: mark_mailed(ledger, ["b:2"], None, PREPARED, None, today=TODAY),
        lambda: mark_mailed(ledger, [], None, PREPARED, None, today=TODAY),
        lambda: mark_mailed(ledger, ["b:1"], None, dt.date(2027, 1, 1), None, today=TODAY),
        lambda: discard(ledger, "nope", TODAY),
        lambda: discard(ledger, "b:9", TODAY),
        lambda: discard(ledger, "b:x", TODAY),
        lambda: discard(ledger, "b:3-1", TODAY),
        lambda: discard(tmp_path / "none.sqlite", "b", TODAY),
        lambda: check_batch_name(""),
        lambda: read_checklist(tmp_path / "missing.xlsx"),
        lambda: write_checklist(tmp_path / "fehlt" / "c.xlsx", checklist_batch()),
    ]
    for call in failing:
        with pytest.raises(MergeError) as caught:
            call()
        texts.append(str(caught.value))
    # A purge refusal needs a batch with envelopes to mail.
    record_batches(ledger, batch_record("c", tmp_path, 5, [1], keys="c"))
    with pytest.raises(LedgerError) as refused:
        purgeable(ledger, "c")
    texts.append(str(refused.value))
    opened = open_ledger(ledger, create=False)
    assert opened is not None
    try:
        texts += missing_folders(opened)
    finally:
        opened.close()
    # Data: the names of who mailed (--by) and the batch names the calls gave.
    allowed = ["Anna", "Ben", "nope"]
    found = {text: unmarked_words(text, allowed) for text in texts}
    assert {text: words for text, words in found.items() if words} == {}


# --- the run's steps and the settings reader ------------------------------------------------


def run_reports(project: Path, signers: int) -> tuple[list[Report], MergeError | None]:
    """Run the pipeline on ``signers`` invented signers; return its reports and its error."""
    rows = [["Name", "Vorname", "Straße", "PLZ", "Ort"], *signer_rows(signers)]
    write_csv(project / "inputs" / "liste.csv", rows)
    reports: list[Report] = []
    request = RunRequest(cwd=project, today=dt.date.today(), pdf=False)
    try:
        run(request, reports.append)
    except MergeError as err:
        return reports, err
    return reports, None


def test_the_steps_of_a_run_in_german(project: Path, german: None) -> None:
    reports, error = run_reports(project, 12)
    assert error is None
    assert [r.text for r in reports if r.kind is Kind.STEP] == [
        "1 Datei wird gelesen",
        "1 Adressetikett und Umschlag werden geschrieben",
        "3 Unterschriftenlisten werden geschrieben",
    ]


def test_no_signers_is_said_in_german(project: Path, german: None) -> None:
    _reports, error = run_reports(project, 0)
    assert isinstance(error, InputError)
    assert str(error) == (
        "inputs/liste.csv: keine Unterzeichnenden gefunden (0 Zeilen: 0 leer, 0 nicht "
        "verwendbar, 0 doppelt) - unter den Kopfzeilen der Dateien stehen keine Zeilen: tragen "
        "Sie die Unterzeichnenden ein"
    )


def test_the_steps_of_a_run_are_marked(project: Path, pseudo: None) -> None:
    reports, error = run_reports(project, 12)
    assert error is None
    steps = [r.text for r in reports if r.kind is Kind.STEP]
    assert len(steps) == 3
    assert {text: unmarked_words(text) for text in steps if unmarked_words(text)} == {}


def test_a_missing_or_wrong_key_is_refused_in_german(german: None) -> None:
    with pytest.raises(MergeError) as caught:
        KeyReader({}, "templates/k.toml").text("name")
    assert str(caught.value) == (
        "templates/k.toml: Eintrag 'name' fehlt - ergänzen Sie ihn "
        '(ein Text in "Anführungszeichen")'
    )
    with pytest.raises(MergeError) as caught:
        KeyReader({"name": []}, "templates/k.toml").text("name")
    assert str(caught.value) == (
        "templates/k.toml: Eintrag 'name' muss ein Text in \"Anführungszeichen\" sein "
        "(gefunden: eine leere Liste)"
    )
