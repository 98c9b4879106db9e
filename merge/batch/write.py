"""Write the files of one batch folder: lists, labels, envelopes, checklist, PDFs, manifest."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from merge.batch import (
    CHECKLIST,
    COUNTER_DOCX,
    ENVELOPES_DOCX,
    LABELS_DOCX,
    LISTS_DOCX,
    MANIFEST,
)
from merge.batch.manifest import counts, write_json
from merge.campaign import Campaign
from merge.lists.accounting import Accounting
from merge.lists.paginate import Page
from merge.post.plan import PostagePlan
from merge.render import envelopes, labels, pdf, petitions
from merge.render.post_office import CounterSheet, render_counter_sheet
from merge.track.checklist import ChecklistData, EnvelopeLine, ListLine, RowLine
from merge.track.checklist_write import write_checklist

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
    petitions.render_petitions(
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
        petitions.render_petitions(
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
