"""Writing one batch folder: the files it holds, what the checklist is given, and which files
carry names (purge deletes exactly those)."""

import datetime as dt
import json
import zipfile
from decimal import Decimal
from pathlib import Path

from conftest import KOMPAKT, STANDARD, letter, petition_signer, postage_plan

from merge.batch import PERSONAL_FILES
from merge.batch.write import BatchContent, PrintOptions, checklist_data, write_files
from merge.campaign import Campaign
from merge.lists.accounting import Accounting, DuplicateRow, ListedRow, RowNote
from merge.lists.paginate import paginate
from merge.render.labels import label_product
from merge.track.checklist import EnvelopeLine, ListLine, RowLine

NAMES = [f"Testperson-{n}, Erika" for n in range(1, 8)]
PLAN = postage_plan([letter(1, [1], KOMPAKT), letter(2, [2], STANDARD)], [("1.80", 1), ("1.25", 1)])


def accounting() -> Accounting:
    return Accounting(
        rows=10,
        signers=[petition_signer(n, name) for n, name in enumerate(NAMES, 1)],
        duplicates=[DuplicateRow("inputs/test.xlsx:Sheet1:9", "inputs/test.xlsx:Sheet1:2")],
        rejected=[RowNote("inputs/test.xlsx:Sheet1:10", "no name - fill in the name column")],
        previously_listed=[ListedRow("inputs/test.xlsx:Sheet1:11", "2026-11-20-1")],
    )


def test_checklist_data_counts_each_envelopes_signers_and_says_why_rows_are_left_out(
    campaign: Campaign,
) -> None:
    acc = accounting()
    pages = tuple(paginate(acc.signers))
    data = checklist_data(
        "2026-11-27-1", dt.date(2026, 11, 27), campaign, acc, pages, PLAN, 21, names=False
    )
    assert (data.batch, data.campaign, data.prepared_on) == (
        "2026-11-27-1",
        "xuar",
        dt.date(2026, 11, 27),
    )
    assert (data.deadline, data.transit_days) == (dt.date(2023, 12, 31), 21)
    assert data.latest_safe_mailing == dt.date(2023, 12, 10)
    assert data.envelopes == (
        EnvelopeLine(1, (1,), 5, "Kompaktbrief International", Decimal("1.80"), 15.0),
        EnvelopeLine(2, (2,), 2, "Standardbrief International", Decimal("1.25"), 15.0),
    )
    origins = tuple(f"inputs/test.xlsx:Sheet1:{n}" for n in range(2, 9))
    assert data.lists == (ListLine(1, 1, origins[:5], None), ListLine(2, 2, origins[5:], None))
    assert data.rows == (
        RowLine("inputs/test.xlsx:Sheet1:10", "rejected", "no name - fill in the name column"),
        RowLine(
            "inputs/test.xlsx:Sheet1:9", "duplicate", "same person as inputs/test.xlsx:Sheet1:2"
        ),
        RowLine("inputs/test.xlsx:Sheet1:11", "listed", "already on a list of batch 2026-11-20-1"),
    )
    assert (data.stamps, data.total_eur) == (PLAN.stamps, Decimal("3.05"))
    assert data.counts["lists"] == 2 and data.counts["signers"] == 7


def test_checklist_data_has_names_only_when_asked(campaign: Campaign) -> None:
    acc = accounting()
    pages = tuple(paginate(acc.signers))
    data = checklist_data("b", dt.date(2026, 11, 27), campaign, acc, pages, PLAN, 21, names=True)
    assert [line.names for line in data.lists] == [tuple(NAMES[:5]), tuple(NAMES[5:])]


def texts_in(path: Path) -> str:
    """All the XML text of a .docx or .xlsx, or the text of another file."""
    if path.suffix in (".docx", ".xlsx"):
        with zipfile.ZipFile(path) as archive:
            return "".join(
                archive.read(name).decode("utf-8", "replace") for name in archive.namelist()
            )
    return path.read_text(encoding="utf-8")


def test_write_files_writes_the_batch_and_names_only_appear_in_personal_files(
    tmp_path: Path, campaign: Campaign
) -> None:
    acc = accounting()
    pages = tuple(paginate(acc.signers))
    checklist = checklist_data("b", dt.date(2026, 11, 27), campaign, acc, pages, PLAN, 21, True)
    content = BatchContent(
        name="2026-11-27-1",
        campaign=campaign,
        pages=pages,
        plan=PLAN,
        addressee=campaign.addressee,
        label=label_product("3422"),
        manifest={"batch": "2026-11-27-1"},
        checklist=checklist,
    )
    options = PrintOptions(1, (0.0, 0.0), False, "DL", False, pdf=False)
    steps: list[str] = []
    written = write_files(tmp_path, content, options, steps.append)
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
    assert manifest == {"batch": "2026-11-27-1", "files": written}
    assert steps == ["writing 2 address label(s) and envelope(s)", "writing 2 petition list(s)"]
    holding_names = {name for name in written if "Testperson-1, Erika" in texts_in(tmp_path / name)}
    assert holding_names == {"petition-lists.docx", "dispatch-checklist.xlsx"}
    assert holding_names <= set(PERSONAL_FILES)


def test_purge_deletes_the_lists_their_pdf_and_the_checklist() -> None:
    assert PERSONAL_FILES == (
        "petition-lists.docx",
        "petition-lists.pdf",
        "dispatch-checklist.xlsx",
    )
