"""One printed page for the post office counter: which letters, how many, what they cost.

The dispatch checklist lists every envelope; at the counter a volunteer needs the totals by
product, on one page whatever the size of the batch.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from merge.atomic import write_atomically
from merge.batch.model import Batch
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
    title.add_run(f"Postversand {batch.name}").bold = True
    title.runs[0].font.size = Pt(16)
    doc.add_paragraph(
        f"Kampagne {batch.campaign.name} · vorbereitet am {batch.prepared_on:%d.%m.%Y} · "
        f"spätestens versenden am {batch.latest_safe_mailing:%d.%m.%Y}"
    )

    plan = batch.plan
    by_product = Counter(env.product_name for env in plan.envelopes)
    price_of = {env.product_name: env.price_eur for env in plan.envelopes}
    table = doc.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    _size(table.rows[0].cells)
    for cell, heading in zip(
        table.rows[0].cells, ("Sendung", "Anzahl", "Porto je Brief", "Summe"), strict=True
    ):
        cell.paragraphs[0].add_run(heading).bold = True
    for product, count in sorted(by_product.items(), key=lambda item: -price_of[item[0]]):
        _row(
            table,
            product,
            str(count),
            format_eur(price_of[product]),
            format_eur(price_of[product] * count),
        )
    _row(table, "Zusammen", str(len(plan.envelopes)), "", format_eur(plan.total_eur), bold=True)

    doc.add_paragraph()
    stamps = ", ".join(f"{count} × {format_eur(value)}" for value, count in plan.stamps)
    doc.add_paragraph(f"Briefmarken: {stamps}.")
    if plan.cheaper is not None:
        other = plan.cheaper
        letters = "1 Brief" if other.envelopes == 1 else f"{other.envelopes} Briefe"
        doc.add_paragraph().add_run(
            f"Günstiger: dieselben Listen kosteten in {other.code}-Umschlägen "
            f"{format_eur(other.total_eur)} statt {format_eur(plan.total_eur)} ({letters} statt "
            f"{len(plan.envelopes)}; beim nächsten Mal: petition-merge run --envelope "
            f"{other.code})."
        ).bold = True
    caveat = _price_caveat(batch)
    if caveat:
        doc.add_paragraph().add_run(caveat).bold = True
    doc.add_paragraph(
        f"Umschläge {plan.envelope_format.code}{' (das günstigste Format)' if plan.auto else ''}"
        f", Preise {plan.table.name} (Deutsche Post, "
        f"{plan.service_name}). Die Gewichte sind geschätzt: bitte einen gefüllten Umschlag "
        "wiegen, bevor Briefmarken gekauft werden."
    )
    write_atomically(out, lambda tmp: doc.save(str(tmp)))


def _price_caveat(batch: Batch) -> str | None:
    """Say at the counter when the prices are a guess: none known for the day, or unverified."""
    table = batch.plan.table
    day = batch.post.mail_date or batch.prepared_on
    if not table.valid_from <= day <= table.valid_to:
        return (
            f"Achtung: für den {day:%d.%m.%Y} sind keine Portopreise bekannt; angenommen sind "
            f"die Preise {table.name}. Bitte am Schalter prüfen."
        )
    if table.status == "unverified":
        return f"Achtung: die Preise {table.name} sind nicht geprüft. Bitte am Schalter prüfen."
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
