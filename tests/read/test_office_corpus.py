"""The office corpus: lists as office programs, forms and platforms save them, and as volunteers
edit them by hand; every row is accounted for, or the run stops with one line.

The files are in tests/corpus/office/ (made by tests/corpus/make_office_corpus.py, which says
what each imitates and where the format comes from). The expected counts are read from the rows
the script writes and the rules of issue 13, not from what the reader does today.
"""

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import CORPUS

from merge.cli import cli
from merge.lists.accounting import Accounting
from merge.pipeline import RunRequest, run

TODAY = dt.date(2026, 11, 27)
OFFICE_CORPUS = CORPUS / "office"

# file -> (exit code, words the one-line error must contain)
REFUSED_OFFICE = {
    # no street column at all: every row is rejected, so there is no one to print
    "change-org-signatures.csv": (3, "no signers found"),
    "openpetition-signers.csv": (3, "no signers found"),
    "no-signer-sheet.xlsx": (3, "no sheet has recognisable columns"),
}

# file -> ((rows, blank, signers, duplicates, rejected), words a note must hold, imitates)
OFFICE = {
    "google-forms-responses.csv": (
        (5, 0, 2, 1, 2), None, "Google Forms responses downloaded from Sheets as CSV"),
    "google-forms-anschrift.xlsx": (
        (5, 0, 3, 0, 2), None, "Google Forms .xlsx, the address as one paragraph answer"),
    "microsoft-forms.xlsx": (
        (4, 0, 3, 0, 1), None, "Microsoft Forms 'Open in Excel', anonymous form"),
    "action-network-export.csv": (
        (4, 0, 2, 0, 2), None, "Action Network list download, can2_* columns"),
    "civicrm-export.csv": (
        (5, 0, 4, 0, 1), None, "CiviCRM contact export"),
    "campact-style-export.csv": (
        (4, 0, 4, 0, 0), None, "campaign sign-up export, Straße and Hausnummer apart"),
    "excel-csv-semikolon.csv": (
        (3, 0, 2, 1, 0), None, "German Excel 'CSV (Trennzeichen-getrennt)', Windows-1252"),
    "excel-csv-utf8-bom.csv": (
        (3, 0, 2, 0, 1), None, "Excel 'CSV UTF-8', BOM, semicolons, Adresszusatz"),
    "excel-csv-trailing-semicolons.csv": (
        (7, 4, 3, 0, 0), None, "Excel CSV with a formatted empty column and ';;;;;' lines"),
    "excel-unicode-text-anschrift.txt": (
        (3, 0, 2, 0, 1), None, "Excel 'Unicode-Text', UTF-16 LE, tabs, Alt+Enter cell"),
    "xlsxwriter-frozen-autofilter.xlsx": (
        (5, 0, 3, 0, 2), "hidden", "a list filtered in Excel: frozen header, hidden rows"),
    "libreoffice-calc.ods": (
        (3, 0, 2, 0, 1), None, "LibreOffice .ods: title rows, PLZ/Ort, 'Ort, Datum'"),
    "libreoffice-ms-excel-97.xls": (
        (4, 0, 4, 0, 0), None, "LibreOffice 'MS Excel 97' .xls, a running 'Nr.' column"),
    "libreoffice-hidden-filtered.xlsx": (
        (5, 0, 5, 0, 0), "hidden", "LibreOffice .xlsx with an autofilter and hidden rows"),
    "libreoffice-csv-export.csv": (
        (4, 0, 3, 0, 1), None, "LibreOffice CSV export, ';', every text quoted"),
    "excel-sum-row.xlsx": (
        (6, 1, 4, 0, 1), None, "a count row 'Anzahl:' below the list"),
    "anschrift-built-from-parts.xlsx": (
        (4, 0, 3, 0, 1), None, "an Anschrift column built from Straße/PLZ/Ort"),
    "apple-numbers-export.xlsx": (  # the summary sheet is left out, with a note
        (3, 0, 3, 0, 0), "the summary Apple Numbers adds to every export, not a list; its 3 "
        "rows left out", "Apple Numbers .xlsx with its 'Export Summary' sheet"),
    "apple-numbers-export.csv": (
        (4, 0, 3, 0, 1), None, "Apple Numbers CSV with the table name above the header"),
    "two-blocks-repeated-header.xlsx": (
        (7, 1, 5, 0, 1), None, "two blocks, an empty row and the header repeated"),
    "title-rows-linebreak-header.xlsx": (
        (4, 0, 3, 1, 0), None, "title rows, 'Straße\\nHausnr.', 'Vor- und Zuname'"),
    "name-comma-address-cell.xlsx": (
        (4, 0, 2, 0, 2), None, "'Beispiel, Erika' in one column, one-cell addresses"),
    "plz-ort-combined.xlsx": (
        (4, 0, 2, 0, 2), None, "'Straße, Nr.' and 'PLZ/Ort'"),
    "postcodes-as-numbers.xlsx": (
        (6, 0, 3, 0, 3), None, "postcodes that lost their leading zero, and wrong ones"),
    "country-column.xlsx": (
        (8, 0, 6, 0, 2), None, "a 'Land' column: AT, CH, and 'Atlantis'"),
    "anleitung-sheet.xlsx": (
        (7, 1, 3, 0, 3), None, "a second sheet 'Anleitung' of text rows"),
    "unrecognised-sheet.xlsx": (
        (4, 0, 2, 0, 2), None, "a sheet 'Spenden' with no signer header"),
    "second-street-column.xlsx": (
        (4, 0, 3, 0, 1), None, "a column 'Neue Straße' added by hand"),
}  # fmt: skip

# file -> words each rejected row's reason must hold, in input order (None: not checked)
REASONS: dict[str, list[str | None]] = {
    "google-forms-responses.csv": ["postcode is not five digits", "no street"],
    "google-forms-anschrift.xlsx": ["no postcode or town", "no street"],
    "microsoft-forms.xlsx": ["postcode is not five digits"],
    "action-network-export.csv": ["no street", "no street"],
    "civicrm-export.csv": ["no postcode or town"],
    "excel-csv-utf8-bom.csv": ["no postcode or town"],
    "excel-unicode-text-anschrift.txt": ["no postcode or town"],
    "xlsxwriter-frozen-autofilter.xlsx": ["no postcode or town", "no street"],
    "libreoffice-calc.ods": ["no postcode or town"],  # "Ort, Datum" is not the town
    "libreoffice-csv-export.csv": ["no street"],
    "excel-sum-row.xlsx": [None],
    "anschrift-built-from-parts.xlsx": ["postcode"],
    "apple-numbers-export.csv": ["postcode does not fit"],
    "two-blocks-repeated-header.xlsx": [None],  # the repeated header row
    "name-comma-address-cell.xlsx": ["postcode is not five digits", "no name"],
    "plz-ort-combined.xlsx": ["postcode", "no last name"],
    "postcodes-as-numbers.xlsx": ["postcode is not five digits"] * 3,
    "country-column.xlsx": ["country not recognised", "postcode does not fit"],
    "anleitung-sheet.xlsx": ["sheet not recognised"] * 3,
    "unrecognised-sheet.xlsx": ["sheet not recognised"] * 2,
    "second-street-column.xlsx": ["looks like part of the address"],
}

ERIKA = ("Lindenweg 4", "12345 Musterstadt")
BERND = ("Ahornallee 2", "23456 Beispielhausen")
CLARA = ("Birkenhof 3", "01067 Dresden")

# file -> (signer index, name as printed, address lines as printed)
SIGNERS: dict[str, list[tuple[int, str, tuple[str, ...]]]] = {
    "google-forms-responses.csv": [(0, "Erika Beispiel", ERIKA), (1, "Bernd Muster", BERND)],
    "google-forms-anschrift.xlsx": [
        (0, "Beispiel, Erika", ERIKA),
        (1, "Muster, Bernd", BERND),  # "Ahornallee 2, 23456 Beispielhausen" split at the comma
        (2, "Testmann, Emil", ("Ulmenstraße 12", "01069 Dresden")),
    ],
    "microsoft-forms.xlsx": [
        (0, "Beispiel, Erika", ERIKA),  # "Nachname", not the empty account "Name"
        (2, "Vorlage, Frieda", ("Rosenstraße 8", "45678 Erfundorf")),
    ],
    "excel-csv-semikolon.csv": [
        (0, "Müller, Jürgen", ("Hauptstraße 5", "12345 Musterstadt")),
        (1, "Weiß, Käthe", ("Gartenstraße 9", "23456 Beispielhausen")),
    ],
    "excel-csv-utf8-bom.csv": [(1, "Przykład, Zofia", BERND)],
    "excel-csv-trailing-semicolons.csv": [(2, "Probe, Clara", CLARA)],
    "excel-unicode-text-anschrift.txt": [
        (0, "Beispiel, Erika", ERIKA),  # the Alt+Enter cell: two lines
        (1, "Muster, Bernd", BERND),
    ],
    "xlsxwriter-frozen-autofilter.xlsx": [
        (0, "Erika Beispiel", ERIKA),  # "Lfd. Nr." 1 is not a house number
        (2, "Clara Probe", CLARA),  # 1067 stored as a number gets its zero back
    ],
    "libreoffice-calc.ods": [(0, "Beispiel, Erika", ERIKA), (1, "Muster, Bernd", BERND)],
    "libreoffice-ms-excel-97.xls": [(0, "Beispiel, Erika", ERIKA), (2, "Probe, Clara", CLARA)],
    "libreoffice-hidden-filtered.xlsx": [
        (0, "Beispiel, Erika", ERIKA),  # Hausnummer 4.0 is printed 4
        (2, "Probe, Clara", CLARA),
    ],
    "libreoffice-csv-export.csv": [
        (0, "Beispiel, Erika", ("Lindenweg 1", "12345 Musterstadt")),
        (1, "Muster, Bernd", BERND),
    ],
    "anschrift-built-from-parts.xlsx": [
        (0, "Beispiel, Erika", ERIKA),  # once, not the parts and the Anschrift cell both
        (2, "Probe, Clara", CLARA),
    ],
    "apple-numbers-export.xlsx": [
        (1, "Probe, Clara", CLARA),
        (2, "Muster, Bernd", ("Ahornallee 2", "04109 Leipzig")),
    ],
    "two-blocks-repeated-header.xlsx": [
        (3, "Exempel, Dora", ("Kastanienweg 7", "34567 Erfundorf")),  # below the second header
    ],
    "title-rows-linebreak-header.xlsx": [(0, "Erika Beispiel", ERIKA), (2, "Clara Probe", CLARA)],
    "name-comma-address-cell.xlsx": [(0, "Beispiel, Erika", ERIKA), (1, "Muster, Bernd", BERND)],
    "plz-ort-combined.xlsx": [(0, "Beispiel, Erika", ERIKA), (1, "Muster, Bernd", BERND)],
    "postcodes-as-numbers.xlsx": [
        (0, "Modell, Ida", ("Elbufer 5", "01067 Dresden")),
        (1, "Fiktiv, Hanna", ("Ringweg 2", "04109 Leipzig")),
        (2, "Beispiel, Erika", ERIKA),
    ],
    "anleitung-sheet.xlsx": [(0, "Beispiel, Erika", ERIKA), (2, "Probe, Clara", CLARA)],
    "unrecognised-sheet.xlsx": [(0, "Beispiel, Erika", ERIKA), (1, "Muster, Bernd", BERND)],
    "second-street-column.xlsx": [(1, "Probe, Clara", CLARA)],
}  # fmt: skip

# Files whose rows carry a country: whether and how it is printed is not fixed, so only the
# first address lines are compared. file -> (signer index, name, first address lines)
SIGNERS_WITH_COUNTRY: dict[str, list[tuple[int, str, tuple[str, ...]]]] = {
    "action-network-export.csv": [(0, "Beispiel, Erika", ERIKA), (1, "Muster, Bernd", BERND)],
    "campact-style-export.csv": [
        (0, "Beispiel, Erika", ERIKA),  # Straße + Hausnummer
        (2, "Vorlage, Alex", ("Rosenweg 12a", "34567 Erfundorf")),
        (3, "Attrappe, Mia", ("Seegasse 3", "1010 Wien")),  # AT: four digits
    ],
    "apple-numbers-export.csv": [
        (0, "Beispiel, Erika", ERIKA),
        (1, "Fiktiv, Hanna", ("Bahnhofstrasse 10", "8001 Zürich")),
        (2, "Modell, Ida", ("Hauptplatz 1", "8010 Graz")),
    ],
    "country-column.xlsx": [
        (0, "Beispiel, Erika", ERIKA),
        (2, "Modell, Ida", ("Hauptplatz 1", "8010 Graz")),
        (3, "Fiktiv, Hanna", ("Ringgasse 5", "1010 Wien")),  # a number, but no zero for AT
        (4, "Schablone, Jonas", ("Marktgasse 2", "3011 Bern")),
        (5, "Entwurf, Karla", ("Seestrasse 9", "8001 Zürich")),
    ],
    "civicrm-export.csv": [(1, "Muster, Bernd", BERND), (2, "Probe, Clara", CLARA)],
}

# file -> (signer index, lines the address must hold among its lines): the address extra
# ("Adresszusatz", "Supplemental Address 1") is printed as a line of its own
ADDRESS_HOLDS = {
    "excel-csv-utf8-bom.csv": [(0, ("c/o Beispiel", "Lindenweg 4", "12345 Musterstadt"))],
    "civicrm-export.csv": [
        (0, ("c/o Muster", "Lindenweg 4", "12345 Musterstadt")),
        (3, ("Bahnhofstrasse 10", "8001 Zürich")),
    ],
}

# file -> (duplicate's origin ends with, the row it repeats ends with)
DUPLICATES = {
    "google-forms-responses.csv": (":5", ":2"),
    "excel-csv-semikolon.csv": (":4", ":2"),
    "title-rows-linebreak-header.xlsx": (":Unterschriften:7", ":Unterschriften:5"),
}


def read_office(project: Path, name: str) -> tuple[Accounting, list[str]]:
    """Run on one office corpus file without writing; return its accounting and the notes."""
    reports: list[str] = []
    result = run(
        RunRequest(cwd=project, today=TODAY, inputs=(OFFICE_CORPUS / name,), dry_run=True),
        lambda report: reports.append(report.text),
    )
    acc = result.accounting
    return acc, [*reports, *(f"{w.origin}: {w.reason}" for w in acc.warnings)]


def test_office_corpus_is_complete() -> None:
    on_disk = {p.name for p in OFFICE_CORPUS.iterdir()}
    assert on_disk == OFFICE.keys() | REFUSED_OFFICE.keys()
    assert len(on_disk) >= 27
    checked = REASONS.keys() | SIGNERS.keys() | SIGNERS_WITH_COUNTRY.keys() | ADDRESS_HOLDS.keys()
    assert checked <= OFFICE.keys()
    for name, keywords in REASONS.items():
        assert len(keywords) == OFFICE[name][0][4], name


@pytest.mark.parametrize("name", sorted(REFUSED_OFFICE))
def test_office_file_without_signers_stops_the_run_in_one_line(project: Path, name: str) -> None:
    code, words = REFUSED_OFFICE[name]
    result = CliRunner().invoke(cli, ["run", "--no-pdf", str(OFFICE_CORPUS / name)])
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and name in errors[0] and words in errors[0], result.stderr
    assert not (project / "outputs").exists()


@pytest.mark.parametrize("name", sorted(OFFICE))
def test_office_file_is_accounted_for(project: Path, name: str) -> None:
    counts, words, _imitates = OFFICE[name]
    acc, notes = read_office(project, name)
    got = (acc.rows, acc.blank, len(acc.signers), len(acc.duplicates), len(acc.rejected))
    assert got == counts, [f"{r.origin}: {r.reason}" for r in acc.rejected]
    assert acc.rows == acc.blank + len(acc.signers) + len(acc.duplicates) + len(acc.rejected)
    if words:
        assert any(words in note for note in notes), notes


@pytest.mark.parametrize("name", sorted(REASONS))
def test_office_file_rejects_rows_for_the_right_reason(project: Path, name: str) -> None:
    acc, _ = read_office(project, name)
    reasons = [f"{r.origin}: {r.reason}" for r in acc.rejected]
    assert len(reasons) == len(REASONS[name]), reasons
    for reason, words in zip(reasons, REASONS[name], strict=True):
        assert words is None or words in reason, reasons


@pytest.mark.parametrize("name", sorted(SIGNERS))
def test_office_file_prints_names_and_addresses_as_typed(project: Path, name: str) -> None:
    acc, _ = read_office(project, name)
    for index, signer_name, address in SIGNERS[name]:
        signer = acc.signers[index]
        assert (signer.name, signer.address) == (signer_name, address), signer.origin


@pytest.mark.parametrize("name", sorted(SIGNERS_WITH_COUNTRY))
def test_office_file_prints_foreign_postcodes_as_their_country_writes_them(
    project: Path, name: str
) -> None:
    acc, _ = read_office(project, name)
    for index, signer_name, lines in SIGNERS_WITH_COUNTRY[name]:
        signer = acc.signers[index]
        assert signer.name == signer_name, signer.origin
        assert signer.address[: len(lines)] == lines, signer.origin


@pytest.mark.parametrize("name", sorted(ADDRESS_HOLDS))
def test_office_file_prints_the_address_extra_as_a_line(project: Path, name: str) -> None:
    acc, _ = read_office(project, name)
    for index, lines in ADDRESS_HOLDS[name]:
        address = acc.signers[index].address
        assert set(lines) <= set(address), address


@pytest.mark.parametrize("name", sorted(DUPLICATES))
def test_office_file_finds_the_same_person_typed_twice(project: Path, name: str) -> None:
    acc, _ = read_office(project, name)
    origin, first = DUPLICATES[name]
    [duplicate] = acc.duplicates
    assert duplicate.origin.endswith(origin) and duplicate.duplicate_of.endswith(first)
