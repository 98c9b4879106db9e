"""The bad-input corpus: every file gets its rows accounted for, or one clear line.

The files are in tests/corpus/ (made by make_corpus.py); two large cases are built here.
Whatever the file, there is never a traceback and never a partial batch.
"""

import datetime as dt
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import CORPUS

from merge.cli import cli
from merge.pipeline import RunRequest, run
from merge.read.rows import read_rows

TODAY = dt.date(2026, 11, 27)

# file -> (exit code, words the one-line error must contain)
REFUSED = {
    "truncated.xlsx": (3, "damaged file"),
    "corrupt-zip.xlsx": (3, "damaged file"),
    "broken-sheet-xml.xlsx": (3, "cannot read this sheet"),
    "password-protected.xlsx": (3, "protected by a password - open it, remove the password"),
    "very-long-field.csv": (3, "line 2: cannot read this CSV"),
    "empty.csv": (3, "is empty"),
    "bom-only.csv": (3, "is empty"),
    "only-header.csv": (3, "no signers found (0 rows"),
    "all-rows-rejected.csv": (3, "no signers found (2 rows: 0 blank, 2 rejected"),
    "html-table.xls": (3, "is a web page (HTML), not a spreadsheet"),
    "word-document.xlsx": (3, "is a Word document, not a spreadsheet"),
    "pdf-renamed.xlsx": (3, "is a PDF, not a spreadsheet"),
    "binary-garbage.csv": (3, "is not a spreadsheet or text file"),
    "plain-zip.xlsx": (3, "is a zip archive, not a spreadsheet"),
    "header-too-low.xlsx": (3, "no sheet has recognisable columns"),
    "no-address-column.csv": (3, "has a name column but no address column"),
    # found by the fuzzer (tests/fuzz/fuzz_readers.py) and kept as regressions
    "fuzz-calamine-panic.xlsx": (3, "damaged or not a spreadsheet"),
    "fuzz-zip-version.xlsx": (3, "damaged file, cannot be opened as a workbook"),
    "fuzz-corrupt-deflate.xlsx": (3, "cannot read this sheet"),
}

# file -> (rows, blank, signers, duplicates, rejected), and words a note or warning must hold
READ = {
    "nul-bytes.csv": ((2, 0, 2, 0, 0), ":2: control characters removed"),
    "mixed-line-endings.csv": ((3, 0, 3, 0, 0), None),
    "stray-quote.csv": ((2, 0, 2, 0, 0), None),
    "formula-errors.xlsx": ((4, 0, 1, 0, 3), None),
    "formula-errors.ods": ((4, 0, 1, 0, 3), None),
    "merged-header.xlsx": ((1, 0, 1, 0, 0), "header found in row 2"),
    "hidden-sheet.xlsx": ((2, 0, 2, 0, 0), ":Versteckt: sheet is hidden; read anyway"),
    "hidden-rows.xlsx": ((3, 0, 3, 0, 0), ":Liste: hidden rows read anyway: 3-4"),
    "hidden-rows.ods": ((3, 0, 3, 0, 0), ":Liste: hidden rows read anyway: 3-4"),
    "many-columns.csv": ((1, 0, 1, 0, 0), None),
    "really-a-csv.xlsx": ((3, 0, 3, 0, 0), None),
    "really-an-xlsx.csv": ((3, 0, 3, 0, 0), None),
    "excel-unicode-text.txt": ((1, 0, 1, 0, 0), None),
    "windows-1252.csv": ((1, 0, 1, 0, 0), None),
    "formula-injection.csv": ((2, 0, 2, 0, 0), None),
    "template-injection.csv": ((2, 0, 2, 0, 0), None),
    "unicode-mix.csv": ((5, 0, 5, 0, 0), None),
    "whitespace-rows.xlsx": ((2, 1, 1, 0, 0), None),
    "duplicate-variants.csv": ((3, 0, 2, 1, 0), None),
}


def test_corpus_is_complete() -> None:
    on_disk = {p.name for p in CORPUS.iterdir() if p.is_file() and p.suffix != ".py"}
    assert on_disk == REFUSED.keys() | READ.keys()
    assert len(on_disk) >= 30


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_refused_file_gets_one_line_and_nothing_is_written(project: Path, name: str) -> None:
    code, words = REFUSED[name]
    result = CliRunner().invoke(cli, ["run", "--no-pdf", str(CORPUS / name)])
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and name in errors[0] and words in errors[0], result.stderr
    assert "panicked" not in result.stderr
    assert not (project / "outputs").exists()


@pytest.mark.parametrize("name", sorted(READ))
def test_readable_file_is_accounted_for(project: Path, name: str) -> None:
    counts, words = READ[name]
    reports: list[str] = []
    result = run(
        RunRequest(cwd=project, today=TODAY, inputs=(CORPUS / name,), dry_run=True),
        lambda report: reports.append(report.text),
    )
    acc = result.accounting
    assert (acc.rows, acc.blank, len(acc.signers), len(acc.duplicates), len(acc.rejected)) == counts
    notes = [*reports, *(f"{w.origin}: {w.reason}" for w in acc.warnings)]
    if words:
        assert any(words in note for note in notes), notes


def test_injected_text_stays_data(project: Path) -> None:
    result = run(
        RunRequest(
            cwd=project,
            today=TODAY,
            inputs=(CORPUS / "formula-injection.csv", CORPUS / "template-injection.csv"),
            dry_run=True,
        ),
        lambda report: None,
    )
    names = [s.name for s in result.accounting.signers]
    assert names == ['=HYPERLINK("x")', "@home", "{{ 7*7 }}", "{#x#}"]
    assert result.accounting.signers[2].address == (
        "{% if true %}Weg{% endif %}",
        "12345 Musterstadt",
    )


def test_zip_bomb_is_refused_before_inflating(project: Path, tmp_path: Path) -> None:
    from corpus.make_corpus import zip_bomb

    bomb = tmp_path / "bombe.xlsx"
    zip_bomb(bomb, gibibytes=2)
    assert bomb.stat().st_size < 4 * 1024 * 1024
    started = time.perf_counter()
    result = CliRunner().invoke(cli, ["run", str(bomb)])
    assert time.perf_counter() - started < 5  # it was not inflated
    assert result.exit_code == 3
    assert "unpacks to 2048 MB, more than the limit of 200 MB" in result.stderr
    assert "--max-unpacked-mb" in result.stderr


def test_sheet_of_200_000_rows_is_read_in_full(tmp_path: Path) -> None:
    from corpus.make_corpus import many_rows, raw_xlsx

    big = tmp_path / "gross.xlsx"
    raw_xlsx(big, many_rows(200_000))
    count = 0
    last = None
    for row in read_rows(big, lambda report: None):
        count += 1
        last = row
    assert count == 200_000
    assert last is not None and last.origin.endswith(":Liste:200001")
