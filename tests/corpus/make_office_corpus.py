"""Write the office corpus: signer lists as office programs, forms and platforms save them.

Run from the repository root: `python tests/corpus/make_office_corpus.py`. The files land in
tests/corpus/office/ and are committed, so the tests need none of the programs;
tests/read/test_office_corpus.py says what petition-merge must do with each.

The bad-input corpus (make_corpus.py) was built by the same hands as the reader, so the two
share their blind spots. These files imitate what real programs write (their headers, encodings,
separators, line ends, sheet names, extra sheets) and what volunteers do to a list by hand.
Where LibreOffice runs (it does here and in CI), it makes the file: a list is built with openpyxl,
then opened and saved by `soffice --headless --convert-to` with a profile of its own, so formulas
carry LibreOffice's cached values and the file is the bytes a volunteer's LibreOffice writes.
Excel, Google Sheets, Apple Numbers and the form and campaign tools do not run here: those files
are built to the format the sources below describe, not made by the program. Without
LibreOffice its files are skipped (the committed ones stay).

All names and addresses are invented; real town names appear only as towns, with invented
streets.

Files, what each imitates, how it is made, and the source for the format:

Forms and platforms
- google-forms-responses.csv: the responses sheet of a German Google Form, downloaded from
  Google Sheets as CSV (UTF-8 without BOM, comma). Columns "Zeitstempel", "E-Mail-Adresse", then
  the questions as typed. Sheets had turned the answer 01067 into the number 1067, so the CSV
  holds the text "1067". Built to the format. Sources: the first columns of a responses sheet
  ("0 Timestamp 1 Email address", then one column per question),
  https://github.com/Pawa-IT-Solutions/Leave-Request-App-Script/blob/master/Code.gs ; German
  form questions, https://support.google.com/docs/answer/3378864?hl=de . The German header
  "Zeitstempel" is taken from the German interface; no public file showing it was found.
- google-forms-anschrift.xlsx: the same kind of form downloaded as .xlsx, sheet
  "Formularantworten 1", one paragraph question "Wie lautet deine Anschrift?" answered on two
  lines or on one. Built to the format (openpyxl). Sources: the sheet name "Form Responses 1" of a
  Google Forms .xlsx download, https://gist.github.com/keilabcs.
- microsoft-forms.xlsx: Microsoft Forms "Open in Excel" download of an anonymous form: sheet
  "Sheet1", columns "ID", "Startzeit", "Fertigstellungszeit", "E-Mail" ("anonymous"), "Name"
  (empty: the respondent's account name), then the questions "Vorname", "Nachname", ...
  Built to the format; the German labels "Startzeit" and "Fertigstellungszeit" are those of the
  German interface, not found in a public file. Sources: the exported columns ID, Start time,
  Completion time, Email, Name in github.com/Ketsa143/Design-Thinking assets/doc/encuesta.js
  (a sheet "Sheet1" with Email "anonymous"); a reader of such exports,
  https://github.com/dervism/puls-reporter
- action-network-export.csv: an Action Network list download: snake_case columns uuid,
  first_name, last_name, email, zip_code, can2_user_address (the street line), can2_user_city,
  can2_state_abbreviated, country, can2_phone, can2_subscription_status. Activists need only an
  e-mail address, so some rows have no street. Built to the format. Sources: the column names
  in public scripts reading such exports (code corpus: "can2_user_address",
  "can2_user_city", "can2_state_abbreviated", "zip_code"); core fields and e-mail-only
  activists, https://help.actionnetwork.org/hc/en-us/articles/205362993-READ-FIRST-Action-Network-General-Concepts
- civicrm-export.csv: a CiviCRM "Export contacts" CSV with the labels "Contact ID", "Contact
  Type", "First Name", "Last Name", "Street Address", "Supplemental Address 1", "Supplemental
  Address 2", "City", "Postal Code", "Country", "Email", every field quoted (assumed). Built to
  the format. Source: the field labels of github.com/civicrm/civicrm-core
  CRM/Export/BAO/Export.php and the civicrm_address labels (code corpus:
  'supplemental_address_1' => 'Supplemental Address 1').
- campact-style-export.csv: a German campaign sign-up export (Anrede, Vorname, Nachname, Straße,
  Hausnummer, PLZ, Ort, Land as ISO code, E-Mail, Newsletter, date), UTF-8 with BOM,
  semicolons. No public description of a Campact export was found: built to the common German
  CRM layout, e.g. https://www.reviso.com/de/csv-datei-csv-dateiformat/
  ("KUNDENNR;ANREDE;VORNAME;NACHNAME;STRASSE;HAUSNR;PLZ;ORT").
- change-org-signatures.csv: a Change.org signature download: UTF-16 with BOM, tab-separated,
  "Name", "City", "State", "Postal Code", "Country", "Signed On" - no street at all. Built to the
  format. Source: github.com/adamdennett/BH_Schools_2 geocode_change_org.R reads
  petition_signatures_jobs_*.csv with delim "\\t" and encoding "UTF-16" and uses its
  postal_code column; the other column names are not confirmed by a public file.
- openpetition-signers.csv: an openPetition signature list: name, postcode and town, never the
  street ("Auf der Unterschriftenliste erscheint neben dem vollen Namen auch der Ort und die
  Postleitzahl, nicht jedoch die vollständige Anschrift"). Built to the format. Source:
  https://www.openpetition.de/blog/ratgeber/faq/faq-fragen-von-unterstuetzern

Excel, LibreOffice, Apple Numbers
- excel-csv-semikolon.csv: German Excel "CSV (Trennzeichen-getrennt)": the locale's code page
  (Windows-1252), the list separator ";", CRLF. Built to the format. Sources: Excel's plain CSV
  uses the locale's Windows code page, https://donatstudios.com/CSV-An-Encoding-Nightmare ; in
  Germany the separator is ";",
  https://www.dev-toolbox.tech/tools/csv-json/examples/excel-csv-export
- excel-csv-utf8-bom.csv: Excel "CSV UTF-8 (durch Trennzeichen getrennt)": UTF-8 with BOM,
  ";" in a German locale, CRLF; names outside Windows-1252. Built to the format. Sources: as
  above (BOM EF BB BF on "CSV UTF-8").
- excel-csv-trailing-semicolons.csv: Excel's CSV of a sheet with one formatted column past the
  list and formatted empty rows below it: every line ends in ";" and the file ends in ";;;;;"
  lines. Built to the format: Excel writes its used range, formatted empty cells included; no
  public description of this was found (CSV writers offer "Skip Empty Rows" against it, e.g.
  https://docs.devexpress.com/CoreLibraries/DevExpress.XtraPrinting.CsvExportOptions._properties).
- excel-unicode-text-anschrift.txt: Excel "Unicode-Text": UTF-16 LE with BOM, tabs, CRLF, a cell
  with an Alt+Enter line break quoted with a bare LF inside. Built to the format. Sources:
  https://wiki.scn.sap.com/wiki/display/ABAP/Excel+files+-+CSV+format (UTF-16LE, BOM, tab);
  http://www.mschaef.com/blog/tech/excel/cr-lf.html (LF inside quoted values).
- xlsxwriter-frozen-autofilter.xlsx: a list as Excel saves it after a volunteer filtered it:
  merged title row, frozen header, an autofilter on "Ort" with the rows it hides, "Lfd. Nr.",
  "Vor- und Nachname", "Straße + Hausnr.", "E-Mail-Adresse", "Ort, Datum", "Unterschrift".
  Written by XlsxWriter (which writes Excel's own part layout), not by Excel.
- libreoffice-calc.ods: made by LibreOffice Calc (ODS) from a hand-made list: two title rows and
  an empty row above the header, "Name, Vorname", "Straße + Hausnr.", "PLZ/Ort", and the
  "Ort, Datum" and "Unterschrift" columns of a paper list typed up.
- libreoffice-ms-excel-97.xls: made by LibreOffice, filter "MS Excel 97" (BIFF8): a "Nr."
  column counting 1..n beside "Straße" cells that hold the house numbers; postcodes as numbers
  (Dresden 1067). Filter names: https://wiki.openoffice.org/wiki/Documentation/DevGuide/Spreadsheets/Filter_Options
- libreoffice-hidden-filtered.xlsx: made by LibreOffice (XLSX_FILTER): an
  autofilter, two rows hidden, Straße and Hausnummer in two columns, numbers as LibreOffice
  writes them (4 read back as 4.0). (The headless conversion drops the frozen pane.)
- libreoffice-csv-export.csv: made by LibreOffice's CSV export with filter options
  "59,34,76,1" (separator ";", quote '"', UTF-8, from line 1) of a list with one "Adresse"
  cell per signer, on one line or two. Options: https://github.com/unoconv/unoconv/issues/161
- excel-sum-row.xlsx: a list with an empty row and a count row ("Anzahl:" and =COUNTA(...))
  below it; saved by LibreOffice so the formula holds its cached value.
- anschrift-built-from-parts.xlsx: a list kept for a mail merge: Straße, PLZ, Ort and an
  "Anschrift" column =Straße&CHAR(10)&PLZ&" "&Ort; saved by LibreOffice (cached values).
- apple-numbers-export.xlsx: Apple Numbers "Export To > Excel" with the summary worksheet: a
  first sheet "Export Summary" of text rows and a table of sheet names, then the table as
  "Blatt 1 - Tabelle 1" (postcodes typed as numbers). Built to the format. Sources: the summary
  text, https://drjackhwhelper.com/export-summary-this-document-was-exported-from-numbers-972677 ;
  sheets and tables "Sheet 1"/"Table 1", numbers-parser's documentation (code corpus). The
  German worksheet name "Blatt 1 - Tabelle 1" is a guess from the English one.
- apple-numbers-export.csv: Apple Numbers "Export To > CSV" with "Include table names": a line
  "Tabelle 1" above the header, UTF-8, comma, LF; Austrian and Swiss signers with "Land".
  Built to the format; the table-name line is from Numbers' export dialog, not from a public
  file. Source that Numbers exports CSV and TSV,
  https://www.antwort.net/a/technologie/dateiformate-die-apple-numbers-unterstuetzt.html

By hand (built with openpyxl, as volunteers type them in Excel or LibreOffice)
- two-blocks-repeated-header.xlsx: two blocks of the list on one sheet, an empty row and the
  header repeated between them.
- title-rows-linebreak-header.xlsx: title rows and an empty row above a header with
  "Vor- und Zuname" and a line break in "Straße\\nHausnr."; the same person twice, typed with
  extra spaces.
- name-comma-address-cell.xlsx: "Name, Vorname" typed as "Beispiel, Erika" in one column,
  "Adresse (Straße, PLZ, Ort)" in one cell on two lines (Alt+Enter) or on one line.
- plz-ort-combined.xlsx: "Vorname", "Nachname", "Straße, Nr.", "PLZ/Ort".
- postcodes-as-numbers.xlsx: PLZ stored as numbers that lost their leading zero (1067), typed as
  text with 4 digits ("1067", "2345") and a number of 3 digits.
- country-column.xlsx: a "Land" column: Deutschland, Österreich, AT, Schweiz, CH, a country
  nobody knows ("Atlantis"), a German postcode for an Austrian town.
- anleitung-sheet.xlsx: a good sheet "Liste" and a sheet "Anleitung" of text rows.
- unrecognised-sheet.xlsx: a sheet "Spenden" (date, amount, purpose) before the signer sheet.
- second-street-column.xlsx: a column "Neue Straße" a volunteer added after someone moved.
- no-signer-sheet.xlsx: the wrong file sent: a phone tree with no signer columns at all.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import xlsxwriter
from make_corpus import ODS_FILTER, XLSX_FILTER, by_libreoffice  # run from tests/corpus/
from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.worksheet.worksheet import Worksheet

HERE = Path(__file__).parent / "office"
HEADER = ["Name", "Vorname", "Straße", "PLZ", "Ort"]
Rows = Sequence[Sequence[Any]]


def workbook_bytes(
    sheets: dict[str, Rows], touch: Callable[[dict[str, Worksheet]], None] | None = None
) -> bytes:
    """Write a workbook with openpyxl, one sheet per entry, cells as given (None = empty).

    Cells holding a line break wrap, as Alt+Enter makes them; ``touch`` may then freeze panes,
    hide rows and so on.
    """
    workbook = Workbook()
    workbook.remove(workbook.active)
    made: dict[str, Worksheet] = {}
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
        for cells in sheet.iter_rows():
            for cell in cells:
                if isinstance(cell.value, str) and "\n" in cell.value:
                    cell.alignment = Alignment(wrap_text=True)
        made[title] = sheet
    if touch:
        touch(made)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_text(
    rows: Rows, delimiter: str = ",", newline: str = "\r\n", quote_all: bool = False
) -> str:
    """Write rows as CSV, quoting as Excel does (only where needed) unless ``quote_all``."""
    buffer = io.StringIO()
    quoting = csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL
    csv.writer(buffer, delimiter=delimiter, lineterminator=newline, quoting=quoting).writerows(
        ["" if value is None else value for value in row] for row in rows
    )
    return buffer.getvalue()


def _hide(
    sheet: str, rows: Sequence[int], filter_ref: str, freeze: str = "A2"
) -> Callable[[dict[str, Worksheet]], None]:
    """Freeze the header, set an autofilter and hide ``rows``, as filtering in a program does."""

    def touch(sheets: dict[str, Worksheet]) -> None:
        ws = sheets[sheet]
        ws.freeze_panes = freeze
        ws.auto_filter.ref = filter_ref
        for number in rows:
            ws.row_dimensions[number].hidden = True

    return touch


# --- forms and platforms --------------------------------------------------------------------

GOOGLE_QUESTIONS = [
    "Zeitstempel",
    "E-Mail-Adresse",
    "Vor- und Nachname",
    "Straße und Hausnummer",
    "Postleitzahl",
    "Wohnort",
    "Möchtest du über die Kampagne informiert werden?",
]


def google_forms_responses() -> str:
    return csv_text(
        [
            GOOGLE_QUESTIONS,
            ["03.10.2026 10:15:22", "erika.beispiel@example.org", "Erika Beispiel",
             "Lindenweg 4", "12345", "Musterstadt", "Ja"],
            ["03.10.2026 11:02:40", "bernd.muster@example.org", "Bernd Muster",
             "Ahornallee 2", "23456", "Beispielhausen", "Nein"],
            ["04.10.2026 09:30:05", "clara.probe@example.org", "Clara Probe",
             "Birkenhof 3", "1067", "Dresden", "Ja"],
            ["04.10.2026 18:45:10", "erika.beispiel@example.org", "erika beispiel",
             "Lindenweg 4", "12345", "musterstadt", "Ja"],
            ["05.10.2026 08:12:55", "dora.exempel@example.org", "Dora Exempel",
             "", "34567", "Erfundorf", "Nein"],
        ]
    )  # fmt: skip


def google_forms_anschrift() -> bytes:
    when = dt.datetime(2026, 10, 3, 10, 15, 22)
    step = dt.timedelta(hours=5, minutes=7)
    header = ["Zeitstempel", "E-Mail-Adresse", "Vorname", "Nachname",
              "Wie lautet deine Anschrift?"]  # fmt: skip
    answers = [
        ("Erika", "Beispiel", "Lindenweg 4\n12345 Musterstadt"),
        ("Bernd", "Muster", "Ahornallee 2, 23456 Beispielhausen"),
        ("Clara", "Probe", "Birkenhof 3"),
        ("Dora", "Exempel", "34567 Erfundorf"),
        ("Emil", "Testmann", "Ulmenstraße 12\n01069 Dresden"),
    ]
    rows = [
        [when + n * step, f"{first.lower()}.{last.lower()}@example.org", first, last, address]
        for n, (first, last, address) in enumerate(answers)
    ]
    return workbook_bytes({"Formularantworten 1": [header, *rows]})


def microsoft_forms() -> bytes:
    header = ["ID", "Startzeit", "Fertigstellungszeit", "E-Mail", "Name",
              "Vorname", "Nachname", "Straße und Hausnummer", "PLZ", "Ort"]  # fmt: skip
    answers = [
        ("Erika", "Beispiel", "Lindenweg 4", "12345", "Musterstadt"),
        ("Bernd", "Muster", "Ahornallee 2", "23456", "Beispielhausen"),
        ("Ida", "Modell", "Elbufer 5", "1067", "Dresden"),
        ("Frieda", "Vorlage", "Rosenstraße 8", "45678", "Erfundorf"),
    ]
    start = dt.datetime(2026, 10, 5, 19, 4, 1)
    rows = [
        [n, start + dt.timedelta(hours=n), start + dt.timedelta(hours=n, minutes=2),
         "anonymous", None, *answer]
        for n, answer in enumerate(answers, 1)
    ]  # fmt: skip
    return workbook_bytes({"Sheet1": [header, *rows]})


def action_network_export() -> str:
    header = ["uuid", "first_name", "last_name", "email", "zip_code", "can2_user_address",
              "can2_user_city", "can2_state_abbreviated", "country", "can2_phone",
              "can2_subscription_status"]  # fmt: skip
    people = [
        ("Erika", "Beispiel", "12345", "Lindenweg 4", "Musterstadt"),
        ("Bernd", "Muster", "23456", "Ahornallee 2", "Beispielhausen"),
        ("Clara", "Probe", "01067", "", ""),
        ("Dora", "Exempel", "34567", "", "Erfundorf"),
    ]
    rows = [
        [f"0b9d6c2e-0000-4000-8000-00000000000{n}", first, last,
         f"{first.lower()}.{last.lower()}@example.org", zip_code, street, city, "", "DE", "",
         "subscribed"]
        for n, (first, last, zip_code, street, city) in enumerate(people, 1)
    ]  # fmt: skip
    return csv_text([header, *rows], newline="\n")


def civicrm_export() -> str:
    header = ["Contact ID", "Contact Type", "First Name", "Last Name", "Street Address",
              "Supplemental Address 1", "Supplemental Address 2", "City", "Postal Code",
              "Country", "Email"]  # fmt: skip
    rows = [
        ["101", "Individual", "Erika", "Beispiel", "Lindenweg 4", "c/o Muster", "",
         "Musterstadt", "12345", "Germany", "erika.beispiel@example.org"],
        ["102", "Individual", "Bernd", "Muster", "Ahornallee 2", "", "",
         "Beispielhausen", "23456", "Germany", "bernd.muster@example.org"],
        ["103", "Individual", "Clara", "Probe", "Birkenhof 3", "", "",
         "Dresden", "01067", "Germany", ""],
        ["104", "Individual", "Hanna", "Fiktiv", "Bahnhofstrasse 10", "", "",
         "Zürich", "8001", "Switzerland", "hanna.fiktiv@example.org"],
        ["105", "Individual", "Jonas", "Schablone", "Marktgasse 2", "", "",
         "Erfundorf", "", "Germany", ""],
    ]  # fmt: skip
    return csv_text([header, *rows], newline="\n", quote_all=True)


def campact_style_export() -> bytes:
    header = ["Anrede", "Vorname", "Nachname", "Straße", "Hausnummer", "PLZ", "Ort", "Land",
              "E-Mail", "Newsletter", "Eingetragen am"]  # fmt: skip
    rows = [
        ["Frau", "Erika", "Beispiel", "Lindenweg", "4", "12345", "Musterstadt", "DE",
         "erika.beispiel@example.org", "ja", "03.10.2026 10:15"],
        ["Herr", "Bernd", "Muster", "Ahornallee", "2", "23456", "Beispielhausen", "DE",
         "bernd.muster@example.org", "nein", "03.10.2026 11:20"],
        ["", "Alex", "Vorlage", "Rosenweg", "12a", "34567", "Erfundorf", "DE",
         "alex.vorlage@example.org", "ja", "04.10.2026 08:05"],
        ["Frau", "Mia", "Attrappe", "Seegasse", "3", "1010", "Wien", "AT",
         "mia.attrappe@example.org", "nein", "04.10.2026 21:40"],
    ]  # fmt: skip
    return b"\xef\xbb\xbf" + csv_text([header, *rows], ";").encode("utf-8")


def change_org_signatures() -> bytes:
    rows = [
        ["Name", "City", "State", "Postal Code", "Country", "Signed On"],
        ["Erika Beispiel", "Musterstadt", "", "12345", "DE", "2026-10-03"],
        ["Bernd Muster", "Beispielhausen", "", "23456", "DE", "2026-10-04"],
        ["Clara Probe", "Dresden", "Sachsen", "01067", "DE", "2026-10-05"],
    ]
    return b"\xff\xfe" + csv_text(rows, "\t").encode("utf-16-le")


def openpetition_signers() -> bytes:
    rows = [
        ["Nr.", "Name", "PLZ", "Ort", "Land", "Datum"],
        ["1", "Erika Beispiel", "12345", "Musterstadt", "Deutschland", "03.10.2026"],
        ["2", "Bernd Muster", "23456", "Beispielhausen", "Deutschland", "04.10.2026"],
        ["3", "Clara Probe", "01067", "Dresden", "Deutschland", "05.10.2026"],
    ]
    return b"\xef\xbb\xbf" + csv_text(rows, ";").encode("utf-8")


# --- Excel, LibreOffice, Numbers ------------------------------------------------------------


def excel_csv_semikolon() -> bytes:
    rows = [
        HEADER,
        ["Müller", "Jürgen", "Hauptstraße 5", "12345", "Musterstadt"],
        ["Weiß", "Käthe", "Gartenstraße 9", "23456", "Beispielhausen"],
        ["Mueller", "Juergen", "Hauptstraße 5", "12345", "Musterstadt"],
    ]
    return csv_text(rows, ";").encode("cp1252")


def excel_csv_utf8_bom() -> bytes:
    rows = [
        ["Nachname", "Vorname", "Adresszusatz", "Straße", "PLZ", "Ort"],
        ["Örnek", "Ayşe", "c/o Beispiel", "Lindenweg 4", "12345", "Musterstadt"],
        ["Przykład", "Zofia", "", "Ahornallee 2", "23456", "Beispielhausen"],
        ["Vorlage", "Frieda", "", "Rosenweg 1", "", "Erfundorf"],
    ]
    return b"\xef\xbb\xbf" + csv_text(rows, ";").encode("utf-8")


def excel_csv_trailing_semicolons() -> bytes:
    rows = [
        [*HEADER, ""],
        ["Beispiel", "Erika", "Lindenweg 4", "12345", "Musterstadt", ""],
        ["Muster", "Bernd", "Ahornallee 2", "23456", "Beispielhausen", ""],
        ["Probe", "Clara", "Birkenhof 3", "01067", "Dresden", ""],
        *[[""] * 6] * 4,
    ]
    return csv_text(rows, ";").encode("cp1252")


def excel_unicode_text() -> bytes:
    rows = [
        ["Name", "Vorname", "Anschrift"],
        ["Beispiel", "Erika", "Lindenweg 4\n12345 Musterstadt"],
        ["Muster", "Bernd", "Ahornallee 2, 23456 Beispielhausen"],
        ["Probe", "Clara", "Birkenhof 3"],
    ]
    return b"\xff\xfe" + csv_text(rows, "\t").encode("utf-16-le")


def xlsxwriter_frozen_autofilter() -> bytes:
    """A list filtered in Excel: the filter hides the rows whose Ort is not chosen."""
    header = ["Lfd. Nr.", "Vor- und Nachname", "Straße + Hausnr.", "PLZ", "Ort",
              "E-Mail-Adresse", "Ort, Datum", "Unterschrift"]  # fmt: skip
    rows = [
        [1, "Erika Beispiel", "Lindenweg 4", 12345, "Musterstadt",
         "erika.beispiel@example.org", "Dresden, 03.10.2026", None],
        [2, "Bernd Muster", "Ahornallee 2", 23456, "Beispielhausen", None,
         "Leipzig, 03.10.2026", None],
        [3, "Clara Probe", "Birkenhof 3", 1067, "Dresden", None, "Dresden, 04.10.2026", None],
        [4, "Dora Exempel", "Rosenweg 1", None, "Erfundorf", None, "Erfundorf, 04.10.2026",
         None],
        [5, "Emil Testmann", None, 34567, "Erfundorf", None, "Erfundorf, 05.10.2026", None],
    ]  # fmt: skip
    shown = ["Musterstadt", "Erfundorf"]
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet("Unterschriften")
    bold = workbook.add_format({"bold": True, "text_wrap": True})
    sheet.merge_range("A1:H1", "Unterschriftenliste Infostand", bold)
    sheet.write_row(2, 0, header, bold)
    for number, row in enumerate(rows, start=3):
        for column, value in enumerate(row):
            if value is not None:
                sheet.write(number, column, value)
        if row[4] not in shown:
            sheet.set_row(number, None, None, {"hidden": True})
    sheet.freeze_panes(3, 0)
    sheet.autofilter(2, 0, 2 + len(rows), len(header) - 1)
    sheet.filter_column_list(4, shown)
    workbook.close()
    return buffer.getvalue()


def libreoffice_calc_ods() -> bytes | None:
    rows = [
        ["Unterschriftenliste - Petition für die Freilassung politischer Gefangener"],
        ["Gesammelt am Infostand, Oktober 2026"],
        [],
        ["Name, Vorname", "Straße + Hausnr.", "PLZ/Ort", "Ort, Datum", "Unterschrift"],
        ["Beispiel, Erika", "Lindenweg 4", "12345 Musterstadt", "Dresden, 12.10.2026", None],
        ["Muster, Bernd", "Ahornallee 2", "23456 Beispielhausen", "Leipzig, 13.10.2026",
         "(unterschrieben)"],
        ["Probe, Clara", "Birkenhof 3", None, "Dresden, 12.10.2026", None],
    ]  # fmt: skip
    return by_libreoffice(workbook_bytes({"Tabelle1": rows}), "ods", ODS_FILTER)


def libreoffice_ms_excel_97() -> bytes | None:
    rows = [
        ["Nr.", *HEADER],
        [1, "Beispiel", "Erika", "Lindenweg 4", 12345, "Musterstadt"],
        [2, "Muster", "Bernd", "Ahornallee 2", 23456, "Beispielhausen"],
        [3, "Probe", "Clara", "Birkenhof 3", 1067, "Dresden"],
        [4, "Exempel", "Dora", "Kastanienweg 7", 34567, "Erfundorf"],
    ]
    return by_libreoffice(workbook_bytes({"Liste": rows}), "xls", "MS Excel 97")


def libreoffice_hidden_filtered() -> bytes | None:
    rows = [
        ["Name", "Vorname", "Straße", "Hausnummer", "PLZ", "Ort"],
        ["Beispiel", "Erika", "Lindenweg", 4, 12345, "Musterstadt"],
        ["Muster", "Bernd", "Ahornallee", 2, 23456, "Beispielhausen"],
        ["Probe", "Clara", "Birkenhof", 3, "01067", "Dresden"],
        ["Exempel", "Dora", "Kastanienweg", 7, 34567, "Erfundorf"],
        ["Testmann", "Emil", "Ulmenstraße", 12, 45678, "Erfundorf"],
    ]
    source = workbook_bytes({"Liste": rows}, _hide("Liste", (3, 4), "A1:F6"))
    return by_libreoffice(source, "xlsx", XLSX_FILTER)


def libreoffice_csv_export() -> bytes | None:
    rows = [
        ["Name", "Vorname", "Adresse"],
        ["Beispiel", "Erika", "Lindenweg 1, 12345 Musterstadt"],
        ["Muster", "Bernd", "Ahornallee 2\n23456 Beispielhausen"],
        ["Probe", "Clara", "Birkenhof 3\n01067 Dresden"],
        ["Exempel", "Dora", "34567 Erfundorf"],
    ]
    filter_name = "Text - txt - csv (StarCalc):59,34,76,1"
    return by_libreoffice(workbook_bytes({"Tabelle1": rows}), "csv", filter_name)


def excel_sum_row() -> bytes | None:
    rows = [
        HEADER,
        ["Beispiel", "Erika", "Lindenweg 4", "12345", "Musterstadt"],
        ["Muster", "Bernd", "Ahornallee 2", "23456", "Beispielhausen"],
        ["Probe", "Clara", "Birkenhof 3", "01067", "Dresden"],
        ["Exempel", "Dora", "Kastanienweg 7", "34567", "Erfundorf"],
        [],
        ["Anzahl:", "=COUNTA(A2:A5)"],
    ]
    return by_libreoffice(workbook_bytes({"Liste": rows}), "xlsx", XLSX_FILTER)


def anschrift_built_from_parts() -> bytes | None:
    people = [
        ("Beispiel", "Erika", "Lindenweg 4", "12345", "Musterstadt"),
        ("Muster", "Bernd", "Ahornallee 2", "23456", "Beispielhausen"),
        ("Probe", "Clara", "Birkenhof 3", "01067", "Dresden"),
        ("Exempel", "Dora", "Kastanienweg 7", None, "Erfundorf"),
    ]
    rows = [
        [*HEADER, "Anschrift"],
        *([*person, f'=C{n}&CHAR(10)&D{n}&" "&E{n}'] for n, person in enumerate(people, start=2)),
    ]
    return by_libreoffice(workbook_bytes({"Liste": rows}), "xlsx", XLSX_FILTER)


NUMBERS_SUMMARY = (
    "This document was exported from Numbers. Each table was converted to an Excel worksheet. "
    "All other objects on each Numbers sheet were placed on separate worksheets. Please be "
    "aware that formula calculations may differ in Excel."
)


def apple_numbers_xlsx() -> bytes:
    summary = [
        [NUMBERS_SUMMARY],
        [],
        ["Numbers Sheet Name", "Numbers Table Name", "Excel Worksheet Name"],
        ["Blatt 1", "Tabelle 1", "Blatt 1 - Tabelle 1"],
    ]
    table = [
        HEADER,
        ["Beispiel", "Erika", "Lindenweg 4", 12345, "Musterstadt"],
        ["Probe", "Clara", "Birkenhof 3", 1067, "Dresden"],
        ["Muster", "Bernd", "Ahornallee 2", 4109, "Leipzig"],
    ]
    return workbook_bytes({"Export Summary": summary, "Blatt 1 - Tabelle 1": table})


def apple_numbers_csv() -> bytes:
    rows = [
        [*HEADER, "Land"],
        ["Beispiel", "Erika", "Lindenweg 4", "12345", "Musterstadt", "Deutschland"],
        ["Fiktiv", "Hanna", "Bahnhofstrasse 10", "8001", "Zürich", "Schweiz"],
        ["Modell", "Ida", "Hauptplatz 1", "8010", "Graz", "Österreich"],
        ["Skizze", "Lars", "Ringstraße 3", "80100", "Graz", "Österreich"],
    ]
    return ("Tabelle 1\n" + csv_text(rows, newline="\n")).encode("utf-8")


# --- by hand ----------------------------------------------------------------------------------


def two_blocks_repeated_header() -> bytes:
    rows = [
        HEADER,
        ["Beispiel", "Erika", "Lindenweg 4", "12345", "Musterstadt"],
        ["Muster", "Bernd", "Ahornallee 2", "23456", "Beispielhausen"],
        ["Probe", "Clara", "Birkenhof 3", "01067", "Dresden"],
        [],
        HEADER,
        ["Exempel", "Dora", "Kastanienweg 7", "34567", "Erfundorf"],
        ["Testmann", "Emil", "Ulmenstraße 12", "45678", "Erfundorf"],
    ]
    return workbook_bytes({"Tabelle1": rows})


def title_rows_linebreak_header() -> bytes:
    rows = [
        ["Unterschriftensammlung Infostand Marktplatz"],
        ["Bitte leserlich schreiben"],
        [],
        ["Vor- und Zuname", "Straße\nHausnr.", "PLZ", "Ort"],
        ["Erika Beispiel", "Lindenweg 4", "12345", "Musterstadt"],
        ["Bernd Muster", "Ahornallee 2", "23456", "Beispielhausen"],
        ["Erika  Beispiel", "Lindenweg  4", "12345", "Musterstadt"],
        ["Clara Probe", "Birkenhof 3", "01067", "Dresden"],
    ]

    def freeze(sheets: dict[str, Worksheet]) -> None:
        sheets["Unterschriften"].freeze_panes = "A5"

    return workbook_bytes({"Unterschriften": rows}, freeze)


def name_comma_address_cell() -> bytes:
    rows = [
        ["Name, Vorname", "Adresse (Straße, PLZ, Ort)"],
        ["Beispiel, Erika", "Lindenweg 4\n12345 Musterstadt"],
        ["Muster, Bernd", "Ahornallee 2, 23456 Beispielhausen"],
        ["Probe, Clara", "Birkenhof 3\n1067 Dresden"],
        [None, "Kastanienweg 7\n34567 Erfundorf"],
    ]
    return workbook_bytes({"Liste": rows})


def plz_ort_combined() -> bytes:
    rows = [
        ["Vorname", "Nachname", "Straße, Nr.", "PLZ/Ort"],
        ["Erika", "Beispiel", "Lindenweg 4", "12345 Musterstadt"],
        ["Bernd", "Muster", "Ahornallee 2", "23456 Beispielhausen"],
        ["Clara", "Probe", "Birkenhof 3", "Dresden"],
        ["Dora", None, "Rosenweg 1", "34567 Erfundorf"],
    ]
    return workbook_bytes({"Tabelle1": rows})


def postcodes_as_numbers() -> bytes:
    rows = [
        HEADER,
        ["Modell", "Ida", "Elbufer 5", 1067, "Dresden"],
        ["Fiktiv", "Hanna", "Ringweg 2", 4109, "Leipzig"],
        ["Beispiel", "Erika", "Lindenweg 4", 12345, "Musterstadt"],
        ["Probe", "Clara", "Birkenhof 3", "1067", "Dresden"],
        ["Muster", "Bernd", "Ahornallee 2", "2345", "Beispielhausen"],
        ["Exempel", "Dora", "Kastanienweg 7", 345, "Erfundorf"],
    ]
    return workbook_bytes({"Liste": rows})


def country_column() -> bytes:
    rows = [
        [*HEADER, "Land"],
        ["Beispiel", "Erika", "Lindenweg 4", 12345, "Musterstadt", None],
        ["Muster", "Bernd", "Ahornallee 2", 23456, "Beispielhausen", "Deutschland"],
        ["Modell", "Ida", "Hauptplatz 1", 8010, "Graz", "Österreich"],
        ["Fiktiv", "Hanna", "Ringgasse 5", 1010, "Wien", "AT"],
        ["Schablone", "Jonas", "Marktgasse 2", 3011, "Bern", "Schweiz"],
        ["Entwurf", "Karla", "Seestrasse 9", "8001", "Zürich", "CH"],
        ["Attrappe", "Mia", "Sonnenweg 3", 12345, "Atlantis", "Atlantis"],
        ["Dummy", "Nils", "Bergweg 4", 12345, "Innsbruck", "Österreich"],
    ]
    return workbook_bytes({"Liste": rows})


GOOD_THREE = [
    HEADER,
    ["Beispiel", "Erika", "Lindenweg 4", "12345", "Musterstadt"],
    ["Muster", "Bernd", "Ahornallee 2", "23456", "Beispielhausen"],
    ["Probe", "Clara", "Birkenhof 3", "01067", "Dresden"],
]


def anleitung_sheet() -> bytes:
    notes = [
        ["So füllst du die Liste aus"],
        ["1. Bitte in Druckbuchstaben schreiben."],
        [],
        ["2. Jede Zeile ist eine Person."],
        ["Danke für deine Hilfe!"],
    ]
    return workbook_bytes({"Liste": GOOD_THREE, "Anleitung": notes})


def unrecognised_sheet() -> bytes:
    donations = [
        ["Datum", "Betrag", "Verwendungszweck"],
        [dt.datetime(2026, 10, 3), 20, "Infostand"],
        [dt.datetime(2026, 10, 4), 15.5, "Spende"],
    ]
    signers = [
        ["Name", "Vorname", "Anschrift"],
        ["Beispiel", "Erika", "Lindenweg 4, 12345 Musterstadt"],
        ["Muster", "Bernd", "Ahornallee 2, 23456 Beispielhausen"],
    ]
    return workbook_bytes({"Spenden": donations, "Unterschriften": signers})


def second_street_column() -> bytes:
    rows = [
        [*HEADER, "Neue Straße"],
        ["Beispiel", "Erika", "Lindenweg 4", "12345", "Musterstadt", None],
        ["Muster", "Bernd", "Ahornallee 2", "23456", "Beispielhausen", "Buchenweg 9"],
        ["Probe", "Clara", "Birkenhof 3", "01067", "Dresden", None],
        ["Exempel", "Dora", "Kastanienweg 7", "34567", "Erfundorf", None],
    ]
    return workbook_bytes({"Liste": rows})


def no_signer_sheet() -> bytes:
    rows = [
        ["Kontakt", "Telefon", "E-Mail-Adresse", "Rückruf am"],
        ["Erika Beispiel", "0123 4567890", "erika.beispiel@example.org", dt.datetime(2026, 10, 6)],
        ["Bernd Muster", "0123 4567891", "bernd.muster@example.org", dt.datetime(2026, 10, 7)],
    ]
    return workbook_bytes({"Telefonkette": rows})


def files() -> dict[str, Callable[[], bytes | str | None]]:
    """Every office corpus file by name, with the function that makes it (None: skip)."""
    return {
        "google-forms-responses.csv": google_forms_responses,
        "google-forms-anschrift.xlsx": google_forms_anschrift,
        "microsoft-forms.xlsx": microsoft_forms,
        "action-network-export.csv": action_network_export,
        "civicrm-export.csv": civicrm_export,
        "campact-style-export.csv": campact_style_export,
        "change-org-signatures.csv": change_org_signatures,
        "openpetition-signers.csv": openpetition_signers,
        "excel-csv-semikolon.csv": excel_csv_semikolon,
        "excel-csv-utf8-bom.csv": excel_csv_utf8_bom,
        "excel-csv-trailing-semicolons.csv": excel_csv_trailing_semicolons,
        "excel-unicode-text-anschrift.txt": excel_unicode_text,
        "xlsxwriter-frozen-autofilter.xlsx": xlsxwriter_frozen_autofilter,
        "libreoffice-calc.ods": libreoffice_calc_ods,
        "libreoffice-ms-excel-97.xls": libreoffice_ms_excel_97,
        "libreoffice-hidden-filtered.xlsx": libreoffice_hidden_filtered,
        "libreoffice-csv-export.csv": libreoffice_csv_export,
        "excel-sum-row.xlsx": excel_sum_row,
        "anschrift-built-from-parts.xlsx": anschrift_built_from_parts,
        "apple-numbers-export.xlsx": apple_numbers_xlsx,
        "apple-numbers-export.csv": apple_numbers_csv,
        "two-blocks-repeated-header.xlsx": two_blocks_repeated_header,
        "title-rows-linebreak-header.xlsx": title_rows_linebreak_header,
        "name-comma-address-cell.xlsx": name_comma_address_cell,
        "plz-ort-combined.xlsx": plz_ort_combined,
        "postcodes-as-numbers.xlsx": postcodes_as_numbers,
        "country-column.xlsx": country_column,
        "anleitung-sheet.xlsx": anleitung_sheet,
        "unrecognised-sheet.xlsx": unrecognised_sheet,
        "second-street-column.xlsx": second_street_column,
        "no-signer-sheet.xlsx": no_signer_sheet,
    }


def main() -> None:
    HERE.mkdir(exist_ok=True)
    written = 0
    for name, make in files().items():
        content = make()
        if content is None:
            print(f"skipped {name} (LibreOffice missing or failed; the committed file stays)")
            continue
        data = content.encode("utf-8") if isinstance(content, str) else content
        (HERE / name).write_bytes(data)
        written += 1
    print(f"wrote {written} of {len(files())} files to {HERE}")


if __name__ == "__main__":
    main()
