"""Writing one batch folder: the files it holds, its steps, and which files carry names
(purge deletes exactly those)."""

import dataclasses
import json
import zipfile
from pathlib import Path

from conftest import KOMPAKT, STANDARD, letter, make_batch, petition_signer

from merge.batch import PERSONAL_FILES
from merge.batch.model import Batch
from merge.batch.write import write_files
from merge.lists.accounting import DuplicateRow, ListedRow, RowNote
from merge.lists.paginate import paginate
from merge.reporter import Kind, Report

NAMES = [f"Testperson-{n}, Erika" for n in range(1, 8)]


def batch() -> Batch:
    """Seven signers on two lists in two letters; a duplicate, a rejected and a listed row."""
    pages = list(paginate(petition_signer(n, name) for n, name in enumerate(NAMES, 1)))
    return make_batch(
        pages,
        name="2026-11-27-1",
        duplicates=[DuplicateRow("inputs/test.xlsx:Sheet1:9", "inputs/test.xlsx:Sheet1:2")],
        rejected=[RowNote("inputs/test.xlsx:Sheet1:10", "no name - fill in the name column")],
        previously_listed=[ListedRow("inputs/test.xlsx:Sheet1:11", "2026-11-20-1")],
        letters=[letter(1, [1], KOMPAKT), letter(2, [2], STANDARD)],
        names=True,
    )


def texts_in(path: Path) -> str:
    """All the XML text of a .docx or .xlsx, or the text of another file."""
    if path.suffix in (".docx", ".xlsx"):
        with zipfile.ZipFile(path) as archive:
            return "".join(
                archive.read(name).decode("utf-8", "replace") for name in archive.namelist()
            )
    return path.read_text(encoding="utf-8")


def test_write_files_writes_the_batch_and_names_only_appear_in_personal_files(
    tmp_path: Path,
) -> None:
    reports: list[Report] = []
    written = write_files(tmp_path, dataclasses.replace(batch(), pdf=False), reports.append)
    assert written == [
        "petition-lists.docx",
        "labels.docx",
        "envelopes.docx",
        "post-office.docx",
        "dispatch-checklist.xlsx",
        "manifest.json",
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(written)
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert (manifest["batch"], manifest["files"]) == ("2026-11-27-1", written)
    assert reports == [
        Report(Kind.STEP, "writing 2 address labels and envelopes"),
        Report(Kind.STEP, "writing 2 petition lists"),
    ]
    holding_names = {name for name in written if "Testperson-1, Erika" in texts_in(tmp_path / name)}
    assert holding_names == {"petition-lists.docx", "dispatch-checklist.xlsx"}
    assert holding_names <= set(PERSONAL_FILES)


def test_purge_deletes_the_lists_their_pdf_and_the_checklist() -> None:
    assert PERSONAL_FILES == (
        "petition-lists.docx",
        "petition-lists.pdf",
        "dispatch-checklist.xlsx",
    )
