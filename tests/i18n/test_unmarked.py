"""Nothing a user reads escapes the catalog: run the CLI in the pseudo language and look.

In the pseudo language every translated message prints between ⟦ and ⟧ (tests/unmarked.py).
A word outside the marks, in the console, in --help, in the checklist, in the post-office
sheet or in the manifest's messages, is a string nobody marked for translation.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import CORPUS, ROOT, batch_dirs
from docx import Document
from openpyxl import load_workbook
from unmarked import postal_names, unmarked_words, words_of

from merge.campaign import available_campaigns
from merge.cli import cli

# Data that stands outside the marks: the example's sheet names and headers, the campaign's
# name, product and format codes, and what the tool prints of the user's files.
DATA = [
    "petition-merge",
    "cli",  # the program's name under CliRunner
    *sorted(cli.commands),  # type: ignore[attr-defined]
    *(sub for group in cli.commands.values() for sub in getattr(group, "commands", {})),  # type: ignore[attr-defined]
    "de",
    "en",
    *available_campaigns(ROOT),  # xuar, the shipped campaign's id
    *postal_names(),  # Deutsche Post's names and the envelope formats, in every language
]


@pytest.fixture
def pseudo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PETITION_MERGE_LANG", "pseudo")


def invoke(*args: str, input: str | None = None) -> str:
    result = CliRunner().invoke(cli, list(args), input=input)
    assert "Traceback" not in result.output, result.output
    return result.output


def assert_all_marked(text: str, what: str, data: list[str] | None = None) -> None:
    words = unmarked_words(text, [*DATA, *(data or [])])
    assert words == [], f"{what}: unmarked words {words[:20]} in:\n{text[:3000]}"


def commands() -> list[list[str]]:
    """Every command, and every command of a group (ledger migrate)."""
    found: list[list[str]] = [[]]
    for name, command in sorted(cli.commands.items()):  # type: ignore[attr-defined]
        found.append([name])
        found += [[name, sub] for sub in sorted(getattr(command, "commands", {}))]
    return found


@pytest.mark.parametrize("command", commands(), ids=lambda c: " ".join(c) or "petition-merge")
def test_every_help_is_marked(pseudo: None, command: list[str]) -> None:
    assert_all_marked(invoke(*command, "--help"), f"{command} --help")


def test_a_run_its_checklist_post_office_sheet_and_manifest_are_marked(
    example: Path, pseudo: None
) -> None:
    output = invoke("run", "--no-pdf")
    inputs = [word for path in sorted((example / "inputs").iterdir()) for word in words_of(path)]
    assert_all_marked(output, "run", inputs)
    (batch,) = batch_dirs(example)
    checklist = load_workbook(batch / "dispatch-checklist.xlsx")
    for sheet in checklist.worksheets:
        texts = [
            str(cell.value)
            for row in sheet.iter_rows()
            for cell in row
            if isinstance(cell.value, str)
        ]
        # Names and addresses are not in the checklist; origins and numbers are data.
        assert_all_marked("\n".join(texts), f"checklist sheet {sheet.title}")
    for docx in batch.glob("post-office*.docx"):
        document = Document(str(docx))
        texts = [p.text for p in document.paragraphs]
        texts += [
            cell.text for table in document.tables for row in table.rows for cell in row.cells
        ]
        assert_all_marked("\n".join(texts), docx.name)
    manifest = json.loads((batch / "manifest.json").read_text(encoding="utf-8"))
    messages = [
        entry.get(key, "")
        for bucket in manifest.values()
        if isinstance(bucket, list)
        for entry in bucket
        if isinstance(entry, dict)
        for key in ("reason", "warning", "message")
    ]
    assert_all_marked("\n".join(messages), "manifest messages")
    assert_all_marked(invoke("status"), "status")
    assert_all_marked(invoke("mark-mailed", f"{batch.name}:1"), "mark-mailed")
    assert_all_marked(invoke("discard", f"{batch.name}:2", input="y\n"), "discard")
    assert_all_marked(invoke("purge", batch.name, "--yes"), "purge")


def test_rejections_notes_and_warnings_of_awkward_files_are_marked(
    project: Path, pseudo: None
) -> None:
    data: list[str] = []
    for name in [
        "all-rows-rejected.csv",
        "duplicate-variants.csv",
        "hidden-rows.xlsx",
        "hidden-sheet.xlsx",
        "header-too-low.xlsx",
        "formula-injection.csv",
        "template-injection.csv",
        "no-address-column.csv",
        "mixed-line-endings.csv",
        "many-columns.csv",
    ]:
        shutil.copy(CORPUS / name, project / "inputs" / name)
        data += words_of(CORPUS / name)
    assert_all_marked(invoke("run", "--dry-run"), "run --dry-run", data)
    columns = invoke("columns", "--no-write")
    data += re.findall(r"^\s+([A-Z]{1,4})\s", columns, re.MULTILINE)  # column letters
    assert_all_marked(columns, "columns", data)


@pytest.mark.parametrize(
    "args",
    [
        ["run", "missing.xlsx"],
        ["run", "--campaign", "nowhere"],
        ["run", "--labels", "9999"],
        ["run", "--lables", "3422"],
        ["status", "--ledger", "outputs"],
        ["discard", "2026-01-01-9"],
        ["label-test", "--label-offset", "x"],
        ["check-template", "missing.docx"],
    ],
    ids=" ".join,
)
def test_errors_are_marked(project: Path, pseudo: None, args: list[str]) -> None:
    output = invoke(*args)
    assert output.strip()
    folders = [path.name for path in project.iterdir() if path.is_dir()]  # inputs, templates
    assert_all_marked(output, " ".join(args), folders)
