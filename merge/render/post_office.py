"""One printed page for the post office counter: which letters, how many, what they cost.

The dispatch checklist lists every envelope; at the counter a volunteer needs the totals by
product, on one page whatever the size of the batch. The page is in the run's language (the
products keep Deutsche Post's names).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from merge.atomic import write_atomically
from merge.batch.model import Batch
from merge.i18n import _, ngettext
from merge.i18n.conventions import format_date
from merge.post.money import format_eur


def write_post_office(out: Path, batch: Batch) -> None:
    """Write the one-page summary for the post office counter as .docx, atomically."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin = section.bottom_margin = Mm(20)
    style = doc.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(11)

    title = doc.add_paragraph()
    title.add_run(_("Posting batch {batch}").format(batch=batch.name)).bold = True
    title.runs[0].font.size = Pt(16)
    doc.add_paragraph(
        _("Campaign {campaign} · prepared on {prepared} · mail by {latest}").format(
            campaign=batch.campaign.name,
            prepared=format_date(batch.prepared_on),
            latest=format_date(batch.latest_safe_mailing),
        )
    )

    plan = batch.plan
    by_product = Counter(env.product_name for env in plan.envelopes)
    price_of = {env.product_name: env.price_eur for env in plan.envelopes}
    table = doc.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    table.autofit = False
    for column, width in zip(table.columns, _WIDTHS, strict=True):
        column.width = width  # the grid LibreOffice lays out by, not only each cell's width
    _size(table.rows[0].cells)
    headings = (_("Item"), _("Number"), _("Postage each"), _("Amount"))
    for cell, heading in zip(table.rows[0].cells, headings, strict=True):
        cell.paragraphs[0].add_run(heading).bold = True
    for product, count in sorted(by_product.items(), key=lambda item: -price_of[item[0]]):
        _row(
            table,
            product,
            str(count),
            format_eur(price_of[product]),
            format_eur(price_of[product] * count),
        )
    _row(table, _("Total"), str(len(plan.envelopes)), "", format_eur(plan.total_eur), bold=True)

    doc.add_paragraph()
    stamps = ", ".join(f"{count} × {format_eur(value)}" for value, count in plan.stamps)
    doc.add_paragraph(_("Stamps: {stamps}.").format(stamps=stamps))
    if plan.cheaper is not None:
        other = plan.cheaper
        doc.add_paragraph().add_run(
            ngettext(
                "Cheaper: the same lists would cost {cost} in {code} envelopes instead of "
                "{total} ({n} letter instead of {count}; next time: petition-merge run "
                "--envelope {code}).",
                "Cheaper: the same lists would cost {cost} in {code} envelopes instead of "
                "{total} ({n} letters instead of {count}; next time: petition-merge run "
                "--envelope {code}).",
                other.envelopes,
            ).format(
                cost=format_eur(other.total_eur),
                code=other.code,
                total=format_eur(plan.total_eur),
                n=other.envelopes,
                count=len(plan.envelopes),
            )
        ).bold = True
    caveat = _price_caveat(batch)
    if caveat:
        doc.add_paragraph().add_run(caveat).bold = True
    about = (
        _(
            "Envelopes {code} (the cheapest format), prices {period} (Deutsche Post, "
            "{service}). The weights are estimates: please weigh one filled envelope before "
            "buying stamps."
        )
        if plan.auto
        else _(
            "Envelopes {code}, prices {period} (Deutsche Post, {service}). The weights are "
            "estimates: please weigh one filled envelope before buying stamps."
        )
    )
    doc.add_paragraph(
        about.format(
            code=plan.envelope_format.code, period=plan.table.name, service=plan.service_name
        )
    )
    write_atomically(out, lambda tmp: doc.save(str(tmp)))


def _price_caveat(batch: Batch) -> str | None:
    """Say at the counter when the prices are a guess: none known for the day, or unverified."""
    table = batch.plan.table
    day = batch.post.mail_date or batch.prepared_on
    if not table.valid_from <= day <= table.valid_to:
        return _(
            "Caution: no postage prices are known for {day}; the {period} prices are assumed. "
            "Please check them at the counter."
        ).format(day=format_date(day), period=table.name)
    if table.status == "unverified":
        return _(
            "Caution: the {period} prices are not verified. Please check them at the counter."
        ).format(period=table.name)
    return None


_WIDTHS = (Mm(80), Mm(25), Mm(35), Mm(30))


def _row(table: object, *texts: str, bold: bool = False) -> None:
    cells = table.add_row().cells  # type: ignore[attr-defined]
    _size(cells)
    for column, (cell, text) in enumerate(zip(cells, texts, strict=True)):
        run = cell.paragraphs[0].add_run(text)
        run.bold = bold
        if column:
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _size(cells: object) -> None:
    for cell, width in zip(cells, _WIDTHS, strict=True):  # type: ignore[call-overload]
        cell.width = width
