"""The dispatch checklist: what it holds, how it prints, and reading back what users tick."""

from __future__ import annotations

import csv
import dataclasses
import os
import shutil
import subprocess
import warnings
import zipfile
from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import python_calamine
from conftest import make_batch, make_page, make_signer
from openpyxl import load_workbook

from merge.batch.model import Batch
from merge.errors import InputError, OutputError
from merge.lists.accounting import DuplicateRow, RowNote
from merge.post.money import format_eur
from merge.post.plan import Letter
from merge.track.checklist import format_numbers
from merge.track.checklist_read import Mark, read_checklist
from merge.track.checklist_write import write_checklist

D = Decimal
BATCH = "2026-11-27 Markt & Mensa"
DAY = date(2026, 11, 27)
# Text that Excel or LibreOffice would take for a formula if it were not stored as text.
FORMULA_SHEET = "=SUM(A1)"
TRICKY_NAMES = ('=HYPERLINK("http://example.invalid","klick")', "+49 123", "-x", "@home")
TRICKY_REASON = "=1+1 is no name"


def checklist_data(envelopes: int = 10, names: bool = False) -> Batch:
    """An invented batch: eight lists per envelope, five signers per list."""
    pages = []
    for number in range(1, 8 * envelopes + 1):
        origins = [f"inputs/stand.xlsx:{FORMULA_SHEET}:{number * 5 + i}" for i in range(5)]
        people = (*TRICKY_NAMES, f"Testperson-{number}")
        signers = [make_signer(o, n) for o, n in zip(origins, people, strict=True)]
        pages.append(make_page(number, signers))
    letters = [
        Letter(
            number=n,
            lists=tuple(range(8 * n - 7, 8 * n + 1)),
            sheets=8,
            grams=48.4,
            product="kompakt" if n % 2 else "gross",
            product_name="Kompaktbrief International" if n % 2 else "Großbrief International",
            price_eur=D("1.80") if n % 2 else D("3.30"),
            thickness_mm=2.4,
        )
        for n in range(1, envelopes + 1)
    ]
    return make_batch(
        pages,
        name=BATCH,
        rejected=[RowNote(f"inputs/stand.xlsx:{FORMULA_SHEET}:3", TRICKY_REASON)],
        duplicates=[DuplicateRow("inputs/stand.xlsx:Markt:9", "inputs/a.xlsx:S:2")],
        blank=10,
        letters=letters,
        names=names,
        campaign_name="=Testkampagne",
        deadline=date(2026, 12, 20),
        transit_days=14,
    )


def with_list(data: Batch, origin: str, name: str) -> Batch:
    """The batch with its first list replaced by one holding a single signer."""
    first = make_page(1, [make_signer(origin, name)])
    return dataclasses.replace(data, pages=(first, *data.pages[1:]), names=True)


@pytest.fixture
def written(tmp_path: Path) -> Path:
    path = tmp_path / "dispatch-checklist.xlsx"
    write_checklist(path, checklist_data())
    return path


def edit(path: Path, cells: Mapping[str, Any], sheet: str = "Envelopes") -> Path:
    """Change cells as a user would in Excel, and save."""
    workbook = load_workbook(path)
    for address, value in cells.items():
        workbook[sheet][address] = value
    workbook.save(path)
    return path


def edit_with(path: Path, change: Callable[[Any], None], sheet: str = "Envelopes") -> Path:
    workbook = load_workbook(path)
    change(workbook[sheet])
    workbook.save(path)
    return path


def values(path: Path, sheet: str) -> list[list[Any]]:
    return [list(row) for row in load_workbook(path)[sheet].iter_rows(values_only=True)]


# --- writing --------------------------------------------------------------------------------


def test_envelope_sheet_lists_every_envelope_with_empty_mark_columns(written: Path) -> None:
    rows = values(written, "Envelopes")
    assert rows[0] == [
        "Envelope",
        "Lists",
        "Signatures",
        "Product",
        "Postage",
        "Weight (g, estimated)",
        "Mailed on",
        "Mailed by",
    ]
    assert rows[1] == [1, "1-8", 40, "Kompaktbrief International", 1.8, 48.4, None, None]
    assert [row[0] for row in rows[1:]] == list(range(1, 11))
    sheet = load_workbook(written)["Envelopes"]
    assert sheet["E2"].number_format == '#,##0.00 "€"'
    assert sheet["G2"].number_format == "YYYY-MM-DD"  # German: DD.MM.YYYY


def test_workbook_has_the_four_sheets_in_order(written: Path) -> None:
    assert load_workbook(written).sheetnames == [
        "Envelopes",
        "Lists",
        "Summary",
        "Rejected & duplicates",
    ]


def test_envelope_sheet_is_frozen_filtered_validated_and_prints_a4_landscape(
    written: Path,
) -> None:
    sheet = load_workbook(written)["Envelopes"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:H11"
    [rule] = sheet.data_validations.dataValidation
    assert (rule.type, rule.errorStyle) == ("date", "warning")
    assert rule.operator in (None, "between")  # absent means "between" (ECMA-376)
    assert (rule.formula1, rule.formula2) == ("36526", "73415")  # 01.01.2000, 31.12.2100
    assert str(rule.sqref) == "G2:G11"
    assert rule.showErrorMessage and "2026-11-20" in rule.error  # the day it was prepared
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.paperSize == 9  # A4
    assert sheet.page_setup.fitToWidth in (None, 1)  # absent means 1 (ECMA-376)
    assert sheet.page_setup.fitToHeight == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$1:$1"
    assert sheet.oddHeader.center.text == "Dispatch checklist 2026-11-27 Markt && Mensa"


def test_user_text_is_stored_as_text_never_as_a_formula(tmp_path: Path) -> None:
    path = tmp_path / "c.xlsx"
    write_checklist(path, checklist_data(names=True))
    workbook = load_workbook(path)
    origin = workbook["Lists"]["C2"]
    assert origin.data_type == "s"
    assert origin.value.startswith(f"inputs/stand.xlsx:{FORMULA_SHEET}:5\n")
    names = workbook["Lists"]["D2"]
    assert (names.data_type, names.value) == ("s", "\n".join((*TRICKY_NAMES, "Testperson-1")))
    rejected = workbook["Rejected & duplicates"]
    assert [cell.value for cell in rejected[2]] == [
        f"inputs/stand.xlsx:{FORMULA_SHEET}:3",
        "rejected",
        TRICKY_REASON,
    ]
    reason = rejected["C2"]
    assert (reason.data_type, reason.quotePrefix) == ("s", True)
    campaign = workbook["Summary"]["B2"]
    assert (campaign.data_type, campaign.value) == ("s", "=Testkampagne")


def test_characters_xml_cannot_hold_are_replaced_not_refused(tmp_path: Path) -> None:
    data = checklist_data(envelopes=1)
    names = ("Test\x0bperson", "Lone\ud800surrogate", "Non\ufffe\uffffcharacters", "Emoji 🙂")
    path = tmp_path / "c.xlsx"
    write_checklist(path, with_list(data, "inputs/a.xlsx:S:2", "\n".join(names)))
    expected = "Test\ufffdperson\nLone\ufffdsurrogate\nNon\ufffd\ufffdcharacters\nEmoji 🙂"
    assert load_workbook(path)["Lists"]["D2"].value == expected
    workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    assert workbook.get_sheet_by_name("Lists").to_python()[1][3] == expected


def test_text_is_cut_to_what_an_excel_cell_holds_in_utf16_units(tmp_path: Path) -> None:
    data = checklist_data(envelopes=1)
    long_names = ("x" * 20_000 + "🙂" * 10_000,)  # an emoji takes two UTF-16 units
    path = tmp_path / "c.xlsx"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # XlsxWriter warns when it has to cut itself
        write_checklist(path, with_list(data, "inputs/a.xlsx:S:2", long_names[0]))
    value = load_workbook(path)["Lists"]["D2"].value
    assert value == "x" * 20_000 + "🙂" * 6_383  # 20 000 + 2 * 6 383 = 32 766 units
    height = load_workbook(path)["Lists"].row_dimensions[2].height
    assert 408 <= height <= 409  # Excel's highest row (in whole pixels)


@pytest.mark.parametrize(
    ("batch", "header"),
    [
        ("Kirche&Gemeinde", "Dispatch checklist Kirche&&\u2060Gemeinde"),
        ("Foto&[Picture]", "Dispatch checklist Foto&&\u2060[Picture]"),
        ("B" * 300 + "&&", "Dispatch checklist " + "B" * 233 + "…"),
        ("B" * 232 + "&G", "Dispatch checklist " + "B" * 232 + "…"),
    ],
)
def test_page_header_survives_ampersands_and_long_batch_names(
    tmp_path: Path, batch: str, header: str
) -> None:
    path = tmp_path / "c.xlsx"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # XlsxWriter warns, and drops the header, if it dislikes it
        write_checklist(path, dataclasses.replace(checklist_data(envelopes=1), name=batch))
    workbook = load_workbook(path)
    assert workbook["Envelopes"].oddHeader.center.text == header
    for sheet in workbook.worksheets:  # "Lists ...", "Summary ...": each has its header
        text = sheet.oddHeader.center.text
        assert text and len(text.encode("utf-16-le")) // 2 <= 253
        assert batch[:4] in text


@pytest.mark.parametrize("names", [False, True])
def test_names_column_only_when_names_are_given(tmp_path: Path, names: bool) -> None:
    path = tmp_path / "c.xlsx"
    write_checklist(path, checklist_data(names=names))
    header = values(path, "Lists")[0]
    assert header == ["List", "Envelope", "File:sheet:row", *(["Names"] if names else [])]
    assert load_workbook(path)["Lists"].auto_filter.ref == f"A1:{'D' if names else 'C'}81"


def test_every_count_of_a_batch_has_a_label(tmp_path: Path) -> None:
    data = checklist_data()
    counts = data.counts()
    path = tmp_path / "c.xlsx"
    write_checklist(path, data)
    labels = [row[0] for row in values(path, "Summary") if row[0]]
    assert "On earlier lists" in labels
    assert not set(counts) & set(labels)  # no key shown as it is named in the code


def test_summary_holds_batch_counts_stamps_and_dates(written: Path) -> None:
    rows = {row[0]: row[1] for row in values(written, "Summary") if row[0]}
    assert values(written, "Summary")[0][:2] == ["Batch", BATCH]  # where the reader looks
    assert rows["Campaign"] == "=Testkampagne"
    assert rows["Prepared on"] == datetime(2026, 11, 20)
    assert rows["Rows read"] == 412
    assert rows["Blank rows"] == 10
    assert rows["Signatures"] == 400
    assert rows["Envelopes"] == 10
    assert rows["Envelope numbers"] == "1-10"
    assert rows[f"Stamps of {format_eur(Decimal('3.30'))}"] == 5
    assert rows[f"Stamps of {format_eur(Decimal('1.80'))}"] == 5
    assert rows["Total postage"] == 25.5
    assert rows["Deadline"] == datetime(2026, 12, 20)
    assert rows["Transit (days)"] == 14
    assert rows["Latest safe mailing date"] == datetime(2026, 12, 6)


@pytest.mark.parametrize(
    ("numbers", "text"),
    [
        ((), ""),
        ((3,), "3"),
        ((9, 10), "9, 10"),
        ((1, 2, 3, 4, 5, 6, 7, 8), "1-8"),
        ((12, 1, 2, 3, 5, 7, 8, 9, 11), "1-3, 5, 7-9, 11, 12"),
    ],
)
def test_format_numbers_joins_runs_of_three_or_more(numbers: tuple[int, ...], text: str) -> None:
    assert format_numbers(numbers) == text


def test_write_replaces_an_old_checklist_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    path = tmp_path / "c.xlsx"
    path.write_text("old")
    write_checklist(path, checklist_data(envelopes=2))
    assert read_checklist(path) == (BATCH, ())
    assert os.listdir(tmp_path) == ["c.xlsx"]


def test_write_failure_keeps_the_old_file_and_raises_output_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "c.xlsx"
    path.write_text("old")

    def full_disk(*_: object, **__: object) -> None:
        raise OSError(28, "No space left on device")

    # The disk fills up while the xlsx (a zip) is written.
    monkeypatch.setattr(zipfile.ZipFile, "write", full_disk)
    monkeypatch.setattr(zipfile.ZipFile, "writestr", full_disk)
    with pytest.raises(OutputError, match="No space left on device") as caught:
        write_checklist(path, checklist_data(envelopes=2))
    assert str(caught.value).startswith(f"{path}: cannot write")
    assert path.read_text() == "old"
    assert os.listdir(tmp_path) == ["c.xlsx"]


def test_a_batch_without_envelopes_reads_back_without_marks(tmp_path: Path) -> None:
    path = tmp_path / "c.xlsx"
    write_checklist(path, checklist_data(envelopes=0))
    assert read_checklist(path) == (BATCH, ())


def test_write_into_a_missing_folder_raises_output_error(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="cannot write here"):
        write_checklist(tmp_path / "nope" / "c.xlsx", checklist_data(envelopes=1))


# --- reading --------------------------------------------------------------------------------

# What users type in "Mailed on" (G) and "Mailed by" (H), and the marks it means.
EDITS: dict[str, Any] = {
    "G2": DAY,  # a real date
    "G3": datetime(2026, 11, 28, 14, 30),
    "G5": "27.11.2026",
    "H5": "  Erika Beispiel ",
    "G6": "x",
    "G7": "ja",
    "H8": "Max Muster",  # a name without a date is no mark
    "G9": "27.11.26",
    "G10": "2026-11-27",
    "G11": "✓",
}
EXPECTED = (
    Mark(1, DAY, None),
    Mark(2, date(2026, 11, 28), None),
    Mark(3, DAY, None),
    Mark(4, DAY, "Erika Beispiel"),
    Mark(5, None, None),
    Mark(6, None, None),
    Mark(8, DAY, None),
    Mark(9, DAY, None),
    Mark(10, None, None),
)


def tick_like_a_user(path: Path) -> Path:
    """Apply EDITS, and an Excel serial number in a cell whose date format was removed."""

    def change(sheet: Any) -> None:
        for address, value in EDITS.items():
            sheet[address] = value
        sheet["G4"] = 46353  # 27.11.2026
        sheet["G4"].number_format = "General"

    return edit_with(path, change)


def test_fresh_checklist_reads_back_with_no_marks(written: Path) -> None:
    assert read_checklist(written) == (BATCH, ())


def test_reads_the_dates_and_ticks_users_type(written: Path) -> None:
    assert read_checklist(tick_like_a_user(written)) == (BATCH, EXPECTED)


@pytest.mark.parametrize(
    ("value", "mailed_on"),
    [
        (" 1.12.2026 ", date(2026, 12, 1)),
        ("01. 12. 2026", date(2026, 12, 1)),
        ("27.11.2026 00:00", DAY),
        ("2026-11-27T00:00:00", DAY),
        ("X", None),
        ("Yes", None),
        ("✔", None),
        (True, None),
    ],
)
def test_reads_other_forms_of_a_mark(written: Path, value: Any, mailed_on: date | None) -> None:
    edit(written, {"G3": value})
    assert read_checklist(written)[1] == (Mark(2, mailed_on, None),)


@pytest.mark.parametrize("value", ["nein", "  ", False])
def test_no_and_blank_are_not_marks(written: Path, value: Any) -> None:
    edit(written, {"G3": value, "H3": "Erika Beispiel"})
    assert read_checklist(written)[1] == ()


def test_reads_the_table_below_title_rows_and_without_an_unused_column(written: Path) -> None:
    def change(sheet: Any) -> None:
        sheet.delete_cols(3)  # "Signatures": "Mailed on" is now in F
        sheet.insert_rows(1, 2)
        sheet["A1"] = "Versand Woche 48"
        sheet["F5"] = "27.11.2026"

    edit_with(written, change)
    assert read_checklist(written)[1] == (Mark(2, DAY, None),)


def test_ignores_rows_added_below_the_table_without_a_number_or_mark(written: Path) -> None:
    edit(written, {"B14": "Summe", "C13": "=SUM(C2:C11)", "H14": "Anna Beispiel"})
    assert read_checklist(written) == (BATCH, ())


def test_a_sorted_table_still_marks_the_right_envelopes(written: Path) -> None:
    def change(sheet: Any) -> None:
        rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
        for index, row in enumerate(reversed(rows), start=2):
            for column, value in enumerate(row, start=1):
                sheet.cell(index, column, value)
        sheet["G2"] = "27.11.2026"  # now envelope 10

    edit_with(written, change)
    assert read_checklist(written)[1] == (Mark(10, DAY, None),)


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        (
            {"G5": "morgen"},
            'Envelopes!G5: "morgen" is not a date - write it as 2026-11-27 or leave it empty',
        ),
        ({"G5": "27.11."}, 'Envelopes!G5: "27.11." has no year - write it as 27.11.2026'),
        ({"G5": "31.02.2026"}, 'Envelopes!G5: "31.02.2026" is not a date'),
        ({"G5": "11/27/2026"}, 'Envelopes!G5: "11/27/2026" is not a date'),
        ({"G5": date(1926, 11, 27)}, 'Envelopes!G5: "1926-11-27" is not a plausible mailing'),
        ({"A5": "drei"}, 'Envelopes!A5: "drei" is not an envelope number - restore it'),
        ({"A5": 4.5}, 'Envelopes!A5: "4.5" is not an envelope number'),
        ({"A5": 3}, "Envelopes!A5: envelope 3 appears twice (A4 and A5)"),
        ({"A5": 33}, "Envelopes!A5: envelope 33 is not in this batch (its envelopes are 1-10)"),
        (
            {"G13": "x"},
            "Envelopes!G13: marked as mailed, but A13 has no envelope number",
        ),
        ({"G1": None}, 'Envelopes: the header row 1 has no column "Mailed on" - type'),
        ({"A1": "Nr."}, 'Envelopes: the header row 1 has no column "Envelope"'),
        ({"H1": "Mailed on"}, 'Envelopes: two columns "Mailed on" (G1 and H1)'),
    ],
)
def test_bad_edits_raise_one_line_naming_the_cell(
    written: Path, cells: dict[str, Any], message: str
) -> None:
    edit(written, cells)
    with pytest.raises(InputError) as caught:
        read_checklist(written)
    text = str(caught.value)
    assert text.startswith(f"{written}:")
    assert message in text
    assert "\n" not in text


def test_an_unreadable_date_from_a_serial_number_names_the_cell(written: Path) -> None:
    def change(sheet: Any) -> None:
        sheet["G3"] = 7
        sheet["G3"].number_format = "General"

    edit_with(written, change)
    with pytest.raises(InputError, match=r"Envelopes!G3: 7 is not a date - write it as"):
        read_checklist(written)


def test_missing_header_row_is_named(written: Path) -> None:
    edit_with(written, lambda sheet: sheet.delete_rows(1))
    with pytest.raises(InputError, match='Envelopes: no header row with "Envelope" and'):
        read_checklist(written)


def test_missing_envelope_sheet_is_named_with_the_sheets_present(written: Path) -> None:
    edit_with(written, lambda sheet: setattr(sheet, "title", "Tabelle1"))
    with pytest.raises(InputError) as caught:
        read_checklist(written)
    assert str(caught.value) == (
        f'{written}: no sheet "Envelopes" (the file has "Tabelle1", "Lists", "Summary", '
        '"Rejected & duplicates") - use the dispatch checklist petition-merge wrote, or rename '
        "the sheet back"
    )


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ({"B1": None}, 'Summary!B1: "Batch" is empty - restore it'),
        ({"A14": "Notiz"}, 'Summary: no row "Envelope numbers" in column A'),
        ({"B14": "eins bis zehn"}, 'Summary!B14: "eins bis zehn" is not a list of envelope'),
    ],
)
def test_a_damaged_summary_is_named(written: Path, cells: dict[str, Any], message: str) -> None:
    assert load_workbook(written)["Summary"]["A14"].value == "Envelope numbers"
    edit(written, cells, sheet="Summary")
    with pytest.raises(InputError, match=message):
        read_checklist(written)


def test_not_a_spreadsheet_or_missing_file_is_an_input_error(tmp_path: Path) -> None:
    text = tmp_path / "c.xlsx"
    text.write_text("Umschlag;Versandt am\n1;27.11.2026\n")
    with pytest.raises(InputError, match=r"c\.xlsx: damaged or not a spreadsheet .* as \.xlsx"):
        read_checklist(text)
    with pytest.raises(InputError, match="no such file"):
        read_checklist(tmp_path / "missing.xlsx")


def test_batch_name_is_returned_not_judged(written: Path) -> None:
    edit(written, {"B1": "anderer Batch"}, sheet="Summary")
    assert read_checklist(written) == ("anderer Batch", ())


def test_read_never_quotes_who_mailed_in_errors(written: Path) -> None:
    edit(written, {"G3": "morgen", "H3": "Erika Beispiel"})
    with pytest.raises(InputError) as caught:
        read_checklist(written)
    assert "Erika" not in str(caught.value)


# --- through LibreOffice --------------------------------------------------------------------


def soffice(source: Path, target: str, outdir: Path, profile: Path) -> None:
    """Convert with LibreOffice, as a coordinator saving the file would."""
    command = [
        shutil.which("soffice") or "soffice",
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        target,
        "--outdir",
        str(outdir),
        str(source),
    ]
    subprocess.run(command, capture_output=True, check=True, timeout=120)


@pytest.fixture(scope="module")
def through_libreoffice(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An edited checklist saved by LibreOffice as xlsx, ods, csv (every sheet) and PDF."""
    folder = tmp_path_factory.mktemp("libreoffice")
    source = folder / "edited.xlsx"
    write_checklist(source, checklist_data(names=True))
    tick_like_a_user(source)
    profile = folder / "profile"
    all_sheets_csv = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
    for target, outdir in (
        ("xlsx", "xlsx"),
        ("ods", "ods"),
        (all_sheets_csv, "csv"),
        ("pdf", "pdf"),
    ):
        soffice(source, target, folder / outdir, profile)
    return folder


@pytest.mark.soffice
@pytest.mark.parametrize("saved", ["xlsx/edited.xlsx", "ods/edited.ods"])
def test_checklist_saved_by_libreoffice_reads_back_the_same(
    through_libreoffice: Path, saved: str
) -> None:
    assert read_checklist(through_libreoffice / saved) == (BATCH, EXPECTED)


@pytest.mark.soffice
def test_formula_looking_text_survives_libreoffice_as_literal_text(
    through_libreoffice: Path,
) -> None:
    def rows(sheet: str) -> list[list[str]]:
        path = through_libreoffice / "csv" / f"edited-{sheet}.csv"
        with path.open(encoding="utf-8", newline="") as file:
            return list(csv.reader(file))

    lists = rows("Lists")
    assert lists[1][2].startswith(f"inputs/stand.xlsx:{FORMULA_SHEET}:5\n")
    assert lists[1][3] == "\n".join((*TRICKY_NAMES, "Testperson-1"))
    assert rows("Rejected & duplicates")[1][2] == TRICKY_REASON
    assert rows("Summary")[1][:2] == ["Campaign", "=Testkampagne"]


@pytest.mark.soffice
def test_envelope_sheet_prints_ten_envelopes_on_one_landscape_page(
    through_libreoffice: Path,
) -> None:
    pdf = through_libreoffice / "pdf" / "edited.pdf"
    size = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "1", str(pdf)], capture_output=True, text=True, check=True
    )
    width, height = (float(n) for n in size.stdout.split("Page    1 size:")[1].split()[0:3:2])
    assert (round(width), round(height)) == (842, 595)  # A4 landscape, in points
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True)
    first = text.stdout.split("\f")[0]
    assert "Dispatch checklist 2026-11-27 Markt & Mensa" in first
    assert "Mailed on" in first and "Mailed by" in first
    assert "73-80" in first  # envelope 10's lists: the whole table is on page one
    assert "Page 1 of" in first
