"""Write the files of one batch folder from its Batch: lists, labels, envelopes, post-office
page, PDFs, dispatch checklist and manifest."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from merge.batch import (
    CHECKLIST,
    COUNTER_DOCX,
    ENVELOPES_DOCX,
    LABELS_DOCX,
    LISTS_DOCX,
    MANIFEST,
)
from merge.batch.manifest import write_manifest
from merge.batch.model import Batch, PostOptions
from merge.campaign import Campaign
from merge.errors import CampaignError
from merge.i18n import _, ngettext
from merge.lists.paginate import Page
from merge.post.envelope_formats import EnvelopeFormat
from merge.render import envelopes, labels, pdf, petitions
from merge.render.address_blocks import BlockTooLarge
from merge.render.label_products import LabelProduct
from merge.render.post_office import write_post_office
from merge.reporter import Report, Reporter, ignore
from merge.track.checklist_write import write_checklist


def write_files(
    staging: Path,
    batch: Batch,
    reporter: Reporter = ignore,
    *,
    converter: pdf.Converter | None = None,
) -> list[str]:
    """Write every file of the batch into ``staging``; return their names.

    Each stage is reported as a step; the PDF of a large batch also as progress. The PDFs
    are made by ``converter`` (default: a LibreOffice started for this batch, as the CLI does).
    """
    count = len(batch.plan.envelopes)
    reporter(
        Report.step(
            ngettext(
                "writing {n} address label and envelope",
                "writing {n} address labels and envelopes",
                count,
            ).format(n=count)
        )
    )
    write_post_texts(
        staging,
        batch.campaign,
        batch.post,
        batch.label,
        batch.addressee,
        count,
        envelope=batch.plan.envelope_format,  # the one planned, also with --envelope auto
    )
    lists = len(batch.pages)
    reporter(
        Report.step(
            ngettext("writing {n} petition list", "writing {n} petition lists", lists).format(
                n=lists
            )
        )
    )
    _write_lists(batch, batch.pages, staging / LISTS_DOCX)
    write_post_office(staging / COUNTER_DOCX, batch)
    docx = [LISTS_DOCX, LABELS_DOCX, ENVELOPES_DOCX, COUNTER_DOCX]
    written = list(docx)
    if batch.pdf and pdf.find_soffice() is not None:
        reporter(Report.step(_("making the PDFs with LibreOffice")))
        _write_pdfs(staging, batch, docx, reporter, converter or pdf.convert_all_to_pdf)
        written = [name for d in docx for name in (d, _pdf_name(d))]
    write_checklist(staging / CHECKLIST, batch)
    written += [CHECKLIST, MANIFEST]
    write_manifest(staging / MANIFEST, batch, written)
    return written


# What each block of campaign text on labels and envelopes is called in the campaign file.
_CAMPAIGN_KEYS = {
    "address block": "addressee",
    "sender line": "sender_line",
    "sender block": "return_address",
}


def write_post_texts(
    folder: Path,
    campaign: Campaign,
    post: PostOptions,
    label: LabelProduct,
    addressee: tuple[str, ...],
    count: int,
    envelope: EnvelopeFormat | str | None = None,
) -> None:
    """Write the labels and envelopes; a block of campaign text that fits nowhere is refused
    in one line naming its key and the campaign file (the run checks this before reading,
    with ``count`` 1 into a scratch folder, so a dry run says it too). The envelopes are of
    ``envelope`` (a format or its code), by default ``post.envelope``."""
    write_labels(folder, campaign, post, label, addressee, count)
    write_envelopes(folder, campaign, post, addressee, count, envelope)


def write_labels(
    folder: Path,
    campaign: Campaign,
    post: PostOptions,
    label: LabelProduct,
    addressee: tuple[str, ...],
    count: int,
) -> None:
    """Write the address (and return-address) labels, as :func:`write_post_texts` does."""
    with _naming_campaign_keys(campaign, post):
        labels.render_labels(
            folder / LABELS_DOCX,
            addressee,
            count,
            label,
            start=post.start_label,
            offset_mm=post.label_offset_mm,
            sender=campaign.return_address if post.return_labels else None,
        )


def write_envelopes(
    folder: Path,
    campaign: Campaign,
    post: PostOptions,
    addressee: tuple[str, ...],
    count: int,
    envelope: EnvelopeFormat | str | None = None,
) -> None:
    """Write the envelopes (or window sheets), as :func:`write_post_texts` does."""
    with _naming_campaign_keys(campaign, post):
        envelopes.render_envelopes(
            folder / ENVELOPES_DOCX,
            addressee,
            count,
            envelope=post.envelope if envelope is None else envelope,
            window=post.window,
            sender_line=campaign.sender_line or None,
        )


@contextmanager
def _naming_campaign_keys(campaign: Campaign, post: PostOptions) -> Iterator[None]:
    """Turn a block that fits nowhere into one line naming its key and the campaign file."""
    try:
        yield
    except BlockTooLarge as err:
        key = _CAMPAIGN_KEYS[err.what]
        if key == "addressee" and post.local_address:
            text = _(
                "{file}: keys 'addressee_local' and 'addressee': {problem}; or shorten their "
                "lines there"
            )
        else:
            text = _("{file}: key '{key}': {problem}; or shorten its lines there")
        raise CampaignError(text.format(file=campaign.source, key=key, problem=err)) from err


def _write_lists(batch: Batch, pages: Sequence[Page], out: Path) -> None:
    """Write these lists of the batch (all, or a part for the PDF) as one .docx."""
    campaign = batch.campaign
    petitions.render_petitions(
        campaign.template, campaign, pages, batch.name, out, total=len(batch.pages)
    )


def _pdf_name(docx: str) -> str:
    return docx.removesuffix(".docx") + ".pdf"


def _write_pdfs(
    staging: Path,
    batch: Batch,
    docx: Sequence[str],
    reporter: Reporter,
    converter: pdf.Converter,
) -> None:
    """Convert the documents with ``converter``; a large lists document in parts, one
    LibreOffice per core (a warm LibreOffice lays out one document at a time: on several
    cores the parts side by side are faster, even counting their starts)."""
    pages = batch.pages
    if len(pages) < pdf.PARALLEL_FROM_PAGES:
        converter([(staging / d, staging / _pdf_name(d)) for d in docx])
        return
    converter([(staging / d, staging / _pdf_name(d)) for d in docx[1:]])

    def write_part(first: int, last: int, out: Path) -> None:
        _write_lists(batch, pages[first:last], out)

    pdf.convert_in_parts(write_part, len(pages), staging / _pdf_name(docx[0]), reporter=reporter)
