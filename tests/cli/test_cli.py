import datetime as dt
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import HEADER, batch_dirs, signer_rows, write_csv, write_xlsx

from merge.cli import cli


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def assert_one_line_error(result: Result, code: int, *fragments: str) -> None:
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 1, result.stderr
    for fragment in fragments:
        assert fragment in lines[0]


def test_run_on_the_example_accounts_for_every_row_and_writes_a_batch(example: Path) -> None:
    result = invoke("run", "--no-pdf")
    assert result.exit_code == 0, result.output
    [batch] = batch_dirs(example)
    assert batch.name == f"{dt.date.today().isoformat()}-1"
    manifest = json.loads((batch / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["counts"] == {
        "rows": 45,
        "blank": 0,
        "signers": 40,
        "duplicates": 2,
        "rejected": 3,
        "previously_listed": 0,
        "held": 0,
        "lists": 8,
    }
    assert manifest["duplicates"] == [
        {
            "origin": "inputs/infostand-und-gottesdienst.xlsx:Gottesdienst:2",
            "duplicate_of": "inputs/infostand-und-gottesdienst.xlsx:Infostand Markt:4",
        },
        {  # "Greta Schröder" on the paper form, "Schröder, Greta" at the market
            "origin": "inputs/infostand-und-gottesdienst.xlsx:Formular Kirchentag:6",
            "duplicate_of": "inputs/infostand-und-gottesdienst.xlsx:Infostand Markt:15",
        },
    ]
    assert [row["origin"] for row in manifest["rejected"]] == [
        "inputs/infostand-und-gottesdienst.xlsx:Infostand Markt:14",  # no address
        "inputs/infostand-und-gottesdienst.xlsx:Formular Kirchentag:8",  # a four-digit PLZ
        "inputs/umfrage-formular.csv:umfrage-formular:5",  # a street alone
    ]
    assert manifest["files"] == [
        "petition-lists.docx",
        "labels.docx",
        "envelopes.docx",
        "post-office.docx",
        "dispatch-checklist.xlsx",
        "manifest.json",
    ]
    assert sorted(p.name for p in batch.iterdir()) == sorted(manifest["files"])
    assert manifest["envelopes"] == [
        {
            "number": 1,
            "lists": [1, 2, 3, 4, 5, 6, 7, 8],
            "sheets": 8,
            "grams": 45.0,
            "product": "kompakt",
            "price_eur": 1.8,
        }
    ]
    assert manifest["postage"]["totals"]["cost_eur"] == 1.8
    listed = [origin for page in manifest["lists"] for origin in page["origins"]]
    assert len(listed) == len(set(listed)) == 40
    assert "signers (printed)" in result.output and "40" in result.output


def test_console_never_shows_names_or_addresses(example: Path) -> None:
    result = invoke("run", "--no-pdf")
    for private in ("Müller", "Johanna", "Lindenweg", "Musterstadt", "Lehmann"):
        assert private not in result.output


def test_second_run_gets_the_next_batch_folder_and_never_overwrites(example: Path) -> None:
    assert invoke("run", "--no-pdf").exit_code == 0
    assert invoke("run", "--no-pdf", "--reprint").exit_code == 0
    assert [d.name[-2:] for d in batch_dirs(example)] == ["-1", "-2"]


def test_dry_run_prints_the_accounting_and_writes_nothing(example: Path) -> None:
    result = invoke("run", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "Dry run: nothing written" in result.output
    assert "Rejected" in result.output and "Infostand Markt:14" in result.output
    assert batch_dirs(example) == []


def test_out_names_the_batch_folder_and_refuses_an_existing_one(example: Path) -> None:
    assert invoke("run", "--no-pdf", "--out", "outputs/probe").exit_code == 0
    assert (example / "outputs" / "probe" / "manifest.json").is_file()
    again = invoke("run", "--no-pdf", "--reprint", "--out", "outputs/probe")
    assert_one_line_error(again, 6, "already exists")


def test_named_inputs_are_read_in_the_order_given(project: Path) -> None:
    write_xlsx(project / "b.xlsx", {"S": [HEADER, *signer_rows(3, start=10)]})
    write_csv(project / "a.csv", [HEADER, *signer_rows(3)])
    assert invoke("run", "--no-pdf", "b.xlsx", "a.csv").exit_code == 0
    [batch] = batch_dirs(project)
    manifest = json.loads((batch / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["lists"][0]["origins"] == [
        "b.xlsx:S:2",
        "b.xlsx:S:3",
        "b.xlsx:S:4",
        "a.csv:a:2",
        "a.csv:a:3",
    ]


def test_not_a_spreadsheet_is_exit_3_one_line_nothing_written(project: Path) -> None:
    (project / "inputs" / "liste.xlsx").write_bytes(b"%PDF-1.4 not really")
    assert_one_line_error(invoke("run"), 3, "inputs/liste.xlsx", "is a PDF")
    assert batch_dirs(project) == []


def test_no_recognisable_columns_lists_the_accepted_names(project: Path) -> None:
    write_xlsx(project / "inputs" / "x.xlsx", {"S": [["Wer", "Wohin"], ["a", "b"]]})
    assert_one_line_error(invoke("run"), 3, "inputs/x.xlsx", "Anschrift", "Vorname")
    assert batch_dirs(project) == []


def test_unreadable_csv_names_the_line(project: Path) -> None:
    path = project / "inputs" / "lang.csv"
    path.write_text("Name;Anschrift\nA;W 1\nB;" + "x" * 200_000 + "\n", encoding="utf-8")
    assert_one_line_error(invoke("run"), 3, "inputs/lang.csv: line 3", "cannot read this CSV")
    assert batch_dirs(project) == []


def test_no_signers_at_all_is_exit_3(project: Path) -> None:
    write_csv(project / "inputs" / "leer.csv", [HEADER, ["", "Erika", "", "", ""]])
    assert_one_line_error(invoke("run"), 3, "inputs/leer.csv: no signers found", "1 rejected")
    assert batch_dirs(project) == []


def test_missing_input_is_exit_3(project: Path) -> None:
    assert_one_line_error(invoke("run", "fehlt.xlsx"), 3, "fehlt.xlsx: no such file")


def test_empty_inputs_folder_is_exit_3(project: Path) -> None:
    assert_one_line_error(invoke("run"), 3, "no spreadsheets found")


def test_malformed_campaign_is_exit_5(project: Path) -> None:
    write_csv(project / "inputs" / "a.csv", [HEADER, *signer_rows(2)])
    bad = project / "templates" / "kaputt.toml"
    bad.write_text('title = "unterminated\n', encoding="utf-8")
    assert_one_line_error(invoke("run", "--campaign", "kaputt"), 5, "kaputt.toml")
    assert batch_dirs(project) == []


def test_unknown_campaign_is_exit_5(project: Path) -> None:
    write_csv(project / "inputs" / "a.csv", [HEADER, *signer_rows(2)])
    assert_one_line_error(invoke("run", "--campaign", "gibtsnicht"), 5, "gibtsnicht")


def test_wrong_usage_is_exit_2(project: Path) -> None:
    result = invoke("run", "--blank", "viele")
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_help_shows_an_example_and_the_exit_codes() -> None:
    for command in ("run", "check-template"):
        result = invoke(command, "--help")
        assert result.exit_code == 0
        assert "Example:" in result.output and "Exit codes:" in result.output


def test_python_dash_m_merge_runs_the_cli() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "merge", "--help"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0
    assert "run" in done.stdout and "check-template" in done.stdout


@pytest.mark.soffice
def test_run_with_pdf_prints_one_page_per_list_and_every_signer(example: Path) -> None:
    result = invoke("run", "--blank", "2")
    assert result.exit_code == 0, result.output
    [batch] = batch_dirs(example)
    pdf = batch / "petition-lists.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    assert "Pages:           10" in info.stdout  # 8 lists of signers + 2 blank lists
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True)
    pages = text.stdout.split("\f")
    for number in range(1, 11):
        assert f"Liste {number} / 10 · {batch.name}" in pages[number - 1]
    assert "Özdemir, Elif" in pages[0] and "Jung, Mats" in pages[7]
    assert text.stdout.count("Johanna") == 1  # the duplicate is printed once
    manifest = json.loads((batch / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["counts"]["lists"] == 10
    assert manifest["files"] == [
        "petition-lists.docx",
        "petition-lists.pdf",
        "labels.docx",
        "labels.pdf",
        "envelopes.docx",
        "envelopes.pdf",
        "post-office.docx",
        "post-office.pdf",
        "dispatch-checklist.xlsx",
        "manifest.json",
    ]
    labels = subprocess.run(
        ["pdftotext", str(batch / "labels.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert labels.count("Xi Jinping") == len(manifest["envelopes"]) == 2


def test_summary_shows_envelopes_stamps_and_cost(example: Path) -> None:
    result = invoke("run", "--dry-run", "--envelope", "c5", "--mail-date", "2025-03-01")
    assert result.exit_code == 0, result.output
    assert "Envelopes (C5, Brief International)" in result.output
    assert "Großbrief International" in result.output
    assert "stamps: 1 x €3.30; postage €3.30 (prices 2025)" in result.output
    assert "weigh one filled envelope" in result.stderr


def test_per_envelope_and_start_label_shape_the_post(example: Path) -> None:
    result = invoke("run", "--no-pdf", "--per-envelope", "3", "--start-label", "23")
    assert result.exit_code == 0, result.output
    [batch] = batch_dirs(example)
    manifest = json.loads((batch / "manifest.json").read_text(encoding="utf-8"))
    assert [e["lists"] for e in manifest["envelopes"]] == [[1, 2, 3], [4, 5, 6], [7, 8]]
    assert manifest["postage"]["totals"]["envelopes"] == 3
    # The post office page sums them up by product.
    from docx import Document

    [table] = Document(str(batch / "post-office.docx")).tables
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[1:] == [
        ["Kompaktbrief International", "2", "€1.80", "€3.60"],
        ["Standardbrief International", "1", "€1.25", "€1.25"],
        ["Total", "3", "", "€4.85"],
    ]


def test_unknown_label_code_lists_the_known_ones(example: Path) -> None:
    assert_one_line_error(
        invoke("run", "--labels", "9999"), 2, "--labels: unknown label product '9999'", "L7163"
    )
    assert batch_dirs(example) == []


def test_start_label_beyond_the_sheet_is_refused(example: Path) -> None:
    assert_one_line_error(invoke("run", "--start-label", "25"), 2, "label 25 does not exist")


def test_chinese_block_too_tall_for_the_label_names_labels_it_fits(example: Path) -> None:
    assert_one_line_error(
        invoke("run", "--no-pdf", "--local-address", "--labels", "3651"),
        5,
        "keys 'addressee_local' and 'addressee'",
        "does not fit label 3651",
        "it fits:",
        "3422",
    )
    assert batch_dirs(example) == []
    result = invoke("run", "--no-pdf", "--local-address", "--labels", "3422")
    assert result.exit_code == 0, result.output


def test_bad_label_offset_is_a_usage_error(example: Path) -> None:
    result = invoke("run", "--label-offset", "links")
    assert result.exit_code == 2
    assert "is not X;Y in mm" in result.output


def test_label_test_writes_an_outline_sheet(project: Path) -> None:
    from docx import Document

    result = invoke("label-test", "--labels", "l7163", "--out", "probe.docx")
    assert result.exit_code == 0, result.output
    assert "L7163" in result.output
    cells = [
        c.text
        for t in Document(str(project / "probe.docx")).tables
        for r in t.rows
        for c in r.cells
    ]
    assert [str(n) for n in range(1, 15)] == [text.split()[0] for text in cells if text.strip()]


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_batch_folder_and_ledger_are_readable_by_their_owner_only(example: Path) -> None:
    assert invoke("run", "--no-pdf").exit_code == 0
    [batch] = batch_dirs(example)
    assert stat.S_IMODE(batch.stat().st_mode) == 0o700
    assert {stat.S_IMODE(file.stat().st_mode) for file in batch.iterdir()} == {0o600}
    assert stat.S_IMODE((example / "outputs" / "ledger.sqlite").stat().st_mode) == 0o600


def test_broken_template_is_refused_by_run_and_check_template(project: Path) -> None:
    import zipfile

    write_csv(project / "inputs" / "a.csv", [HEADER, *signer_rows(2)])
    templates = project / "templates"
    with (
        zipfile.ZipFile(templates / "petition-list.docx") as source,
        zipfile.ZipFile(templates / "kaputt.docx", "w") as target,
    ):
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/document.xml":
                data = data.replace(b"{{ row.name }}", b"{{ row.name", 1)
            target.writestr(item, data)
    toml = (templates / "xuar.toml").read_text(encoding="utf-8")
    (templates / "kaputt.toml").write_text(
        toml.replace('template = "petition-list.docx"', 'template = "kaputt.docx"'), "utf-8"
    )
    assert_one_line_error(invoke("run", "--campaign", "kaputt"), 4, "kaputt.docx", "check-template")
    assert batch_dirs(project) == []
    checked = invoke("check-template", str(templates / "kaputt.docx"))
    assert checked.exit_code == 4
    assert "kaputt.docx" in checked.output and "Traceback" not in checked.output
