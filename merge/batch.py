"""Write the files of one batch folder: lists, labels, envelopes, checklist, PDFs, manifest.

A batch is built in a hidden staging folder beside its destination and renamed into place
only when complete; a run that is killed leaves at most a staging folder, which the next
run removes once the process that made it is gone.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from merge import documents, envelopes, labels, pdf, postage
from merge.atomic import write_atomically
from merge.campaign import Campaign
from merge.checklist import ChecklistData, EnvelopeLine, ListLine, RowLine
from merge.checklist_writer import write_checklist
from merge.counter import CounterSheet, render_counter_sheet
from merge.errors import OutputError
from merge.paginate import Page
from merge.postage import PostagePlan
from merge.signers import Accounting

LISTS_DOCX = "petition-lists.docx"
LISTS_PDF = "petition-lists.pdf"
LABELS_DOCX = "labels.docx"
ENVELOPES_DOCX = "envelopes.docx"
COUNTER_DOCX = "post-office.docx"
CHECKLIST = "dispatch-checklist.xlsx"
MANIFEST = "manifest.json"
# Files that hold signers' names or addresses, deleted by purge.
PERSONAL_FILES = (LISTS_DOCX, LISTS_PDF, CHECKLIST)

STAGING_SUFFIX = ".partial"
_STAGING_PID = re.compile(r"\.pid(\d+)\.")
STALE_AFTER_SECONDS = 24 * 3600  # where the process cannot be asked whether it still runs

Step = Callable[[str], None]


@dataclass(frozen=True)
class BatchContent:
    """Everything one batch folder shows."""

    name: str
    campaign: Campaign
    pages: tuple[Page, ...]
    plan: PostagePlan
    addressee: tuple[str, ...]
    label: labels.LabelProduct
    manifest: dict[str, Any]  # written as manifest.json, with "files" added
    checklist: ChecklistData


@dataclass(frozen=True)
class PrintOptions:
    start_label: int
    label_offset_mm: tuple[float, float]
    return_labels: bool
    envelope: str
    window: bool
    pdf: bool


def make_staging(target: Path) -> Path:
    """Create the hidden folder a batch is built in (readable by its owner only)."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        return Path(
            tempfile.mkdtemp(
                prefix=f".{target.name}.pid{os.getpid()}.", suffix=STAGING_SUFFIX, dir=target.parent
            )
        )
    except OSError as err:
        raise OutputError(
            f"{target.parent}: cannot create the batch folder ({err.strerror})"
        ) from err


def remove_stale_staging(folder: Path, keep: Sequence[Path] = ()) -> None:
    """Remove half-built batch folders left by a run that was killed or lost its power.

    A staging folder names the process that builds it; it is stale once that process is
    gone. Where that cannot be asked (not POSIX), only folders older than a day go. ``keep``
    are staging folders the ledger still needs (recorded, not yet renamed).
    """
    for staging in folder.glob(f".*{STAGING_SUFFIX}"):
        if staging in keep:
            continue
        match = _STAGING_PID.search(staging.name)
        if match and os.name == "posix":
            if _process_alive(int(match.group(1))):
                continue
        elif time.time() - staging.stat().st_mtime < STALE_AFTER_SECONDS:
            continue
        shutil.rmtree(staging, ignore_errors=True)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


def write_files(
    staging: Path,
    content: BatchContent,
    options: PrintOptions,
    step: Step,
    progress: pdf.Progress | None = None,
) -> list[str]:
    """Write every file of the batch into ``staging``; return their names."""
    count = len(content.plan.envelopes)
    campaign = content.campaign
    step(f"writing {count} address label(s) and envelope(s)")
    labels.render_labels(
        staging / LABELS_DOCX,
        content.addressee,
        count,
        content.label,
        start=options.start_label,
        offset_mm=options.label_offset_mm,
        sender=campaign.return_address if options.return_labels else None,
    )
    envelopes.render_envelopes(
        staging / ENVELOPES_DOCX,
        content.addressee,
        count,
        envelope=options.envelope,
        window=options.window,
        sender_line=campaign.sender_line or None,
    )
    step(f"writing {len(content.pages)} petition list(s)")
    documents.render_petitions(
        campaign.template, campaign, content.pages, content.name, staging / LISTS_DOCX
    )
    render_counter_sheet(
        staging / COUNTER_DOCX,
        CounterSheet(
            batch=content.name,
            campaign=campaign.name,
            prepared_on=content.checklist.prepared_on,
            latest_safe_mailing=content.checklist.latest_safe_mailing,
            plan=content.plan,
        ),
    )
    docx = [LISTS_DOCX, LABELS_DOCX, ENVELOPES_DOCX, COUNTER_DOCX]
    written = list(docx)
    if options.pdf and pdf.find_soffice() is not None:
        step("making the PDFs with LibreOffice")
        _write_pdfs(staging, content, docx, progress)
        written = [name for d in docx for name in (d, _pdf_name(d))]
    write_checklist(staging / CHECKLIST, content.checklist)
    written += [CHECKLIST, MANIFEST]
    write_json(staging / MANIFEST, {**content.manifest, "files": written})
    return written


def _pdf_name(docx: str) -> str:
    return docx.removesuffix(".docx") + ".pdf"


def _write_pdfs(
    staging: Path, content: BatchContent, docx: Sequence[str], progress: pdf.Progress | None
) -> None:
    """Convert the documents; a large lists document in parts, one LibreOffice per core."""
    pages = content.pages
    if len(pages) < pdf.PARALLEL_FROM_PAGES:
        pdf.convert_all_to_pdf([(staging / d, staging / _pdf_name(d)) for d in docx])
        return
    pdf.convert_all_to_pdf([(staging / d, staging / _pdf_name(d)) for d in docx[1:]])

    def write_part(first: int, last: int, out: Path) -> None:
        documents.render_petitions(
            content.campaign.template,
            content.campaign,
            pages[first:last],
            content.name,
            out,
            total=len(pages),
        )

    pdf.convert_in_parts(write_part, len(pages), staging / _pdf_name(docx[0]), progress=progress)


def checklist_data(
    name: str,
    prepared_on: dt.date,
    campaign: Campaign,
    accounting: Accounting,
    pages: Sequence[Page],
    plan: PostagePlan,
    transit_days: int,
    names: bool,
) -> ChecklistData:
    """Gather what the dispatch checklist shows; names only when the coordinator asked."""
    envelope_of = {number: env.number for env in plan.envelopes for number in env.lists}
    by_number = {page.number: page for page in pages}
    rows = [RowLine(r.origin, "rejected", r.reason) for r in accounting.rejected]
    rows += [
        RowLine(d.origin, "duplicate", f"same person as {d.duplicate_of}")
        for d in accounting.duplicates
    ]
    rows += [
        RowLine(p.origin, "listed", f"already on a list of batch {p.batch}")
        for p in accounting.previously_listed
    ]
    return ChecklistData(
        batch=name,
        campaign=campaign.name,
        prepared_on=prepared_on,
        deadline=campaign.deadline,
        latest_safe_mailing=campaign.deadline - dt.timedelta(days=transit_days),
        transit_days=transit_days,
        envelopes=tuple(
            EnvelopeLine(
                number=env.number,
                lists=env.lists,
                signers=sum(len(by_number[n].signers) for n in env.lists),
                product=env.product_name,
                price_eur=env.price_eur,
                grams=env.grams,
            )
            for env in plan.envelopes
        ),
        lists=tuple(
            ListLine(
                number=page.number,
                envelope=envelope_of[page.number],
                origins=tuple(s.origin for s in page.signers),
                names=tuple(s.name for s in page.signers) if names else None,
            )
            for page in pages
        ),
        rows=tuple(rows),
        counts=counts(accounting, len(pages)),
        stamps=plan.stamps,
        total_eur=plan.total_eur,
    )


def counts(accounting: Accounting, lists: int) -> dict[str, int]:
    return {
        "rows": accounting.rows,
        "blank": accounting.blank,
        "signers": len(accounting.signers),
        "duplicates": len(accounting.duplicates),
        "rejected": len(accounting.rejected),
        "previously_listed": len(accounting.previously_listed),
        "lists": lists,
    }


def postage_manifest(plan: PostagePlan) -> dict[str, Any]:
    data = postage.plan_as_json(plan)
    listed = data.pop("envelopes")
    return {"envelopes": listed, "postage": data}


def write_json(path: Path, data: dict[str, Any]) -> None:
    """Write the manifest, atomically: a line per top-level key, and per item of a list.

    As readable as an indented dump, and made by json's C encoder: an indented dump runs
    in Python, 0.2 s for the 20 000 lists of a national batch.
    """

    def dumped(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False)

    parts = []
    for key, value in data.items():
        if isinstance(value, list) and value:
            items = ",\n    ".join(map(dumped, value))
            parts.append(f"  {dumped(key)}: [\n    {items}\n  ]")
        else:
            parts.append(f"  {dumped(key)}: {dumped(value)}")
    text = "{\n" + ",\n".join(parts) + "\n}\n"
    write_atomically(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
