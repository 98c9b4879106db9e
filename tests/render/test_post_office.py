"""The page for the post office counter: letters by product, what they cost, the stamps.

In English here (the tests' language); tests/render/test_render_german.py reads it in German.
"""

import json
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

from conftest import KOMPAKT, ROOT, STANDARD, letter, make_batch, make_page, make_signer
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH

from merge.batch.model import Batch
from merge.post.money import format_eur
from merge.post.plan import Letter
from merge.render.post_office import write_post_office


def sheet(letters: list[Letter]) -> Batch:
    """A batch of one list per letter, prepared 27.11.2026, to mail by 10.12.2026."""
    pages = [make_page(n, [make_signer(f"inputs/l.csv:l:{n}")]) for n in range(1, len(letters) + 1)]
    return make_batch(
        pages,
        name="2026-11-27-1",
        prepared_on=date(2026, 11, 27),
        letters=letters,
        deadline=date(2026, 12, 31),
        transit_days=21,
    )


def one(number: int, product: tuple[str, str, Decimal]) -> Letter:
    return letter(number, [number], product)


def cells(path: Path) -> list[list[str]]:
    [table] = Document(str(path)).tables
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_counter_sheet_sums_the_letters_by_product_dearest_first(tmp_path: Path) -> None:
    letters = [one(1, STANDARD), one(2, KOMPAKT), one(3, STANDARD)]
    out = tmp_path / "post-office.docx"
    write_post_office(out, sheet(letters))
    assert cells(out) == [
        ["Item", "Number", "Postage each", "Amount"],
        ["Kompaktbrief International", "1", "€1.80", "€1.80"],
        ["Standardbrief International", "2", "€1.25", "€2.50"],
        ["Total", "3", "", "€4.30"],
    ]
    paragraphs = [p.text for p in Document(str(out)).paragraphs]
    assert paragraphs[:2] == [
        "Posting batch 2026-11-27-1",
        "Campaign xuar · prepared on 2026-11-27 · mail by 2026-12-10",
    ]
    assert "Stamps: 1 × €1.80, 2 × €1.25." in paragraphs
    assert any(
        p.startswith("Envelopes DL, prices 2026 (Deutsche Post, Brief International).")
        and "please weigh one filled envelope" in p
        for p in paragraphs
    )


def test_counter_sheet_is_an_a4_page_with_amounts_right_aligned_and_the_total_bold(
    tmp_path: Path,
) -> None:
    out = tmp_path / "post-office.docx"
    write_post_office(out, sheet([one(1, KOMPAKT)]))
    doc = Document(str(out))
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)  # twips
    assert doc.paragraphs[0].runs[0].bold
    rows = doc.tables[0].rows
    for row in rows[1:]:
        alignments = [cell.paragraphs[0].alignment for cell in row.cells]
        assert alignments[0] is None and set(alignments[1:]) == {WD_ALIGN_PARAGRAPH.RIGHT}
    total = rows[-1].cells
    assert all(run.bold for cell in total for run in cell.paragraphs[0].runs)
    assert not any(run.bold for cell in rows[1].cells for run in cell.paragraphs[0].runs)


def test_a_thousand_letters_are_still_one_line_per_product(tmp_path: Path) -> None:
    letters = [one(n, STANDARD if n % 4 else KOMPAKT) for n in range(1, 1001)]
    out = tmp_path / "post-office.docx"
    write_post_office(out, sheet(letters))
    assert cells(out)[1:] == [
        ["Kompaktbrief International", "250", "€1.80", "€450.00"],
        ["Standardbrief International", "750", "€1.25", "€937.50"],
        ["Total", "1000", "", "€1387.50"],
    ]


def test_counter_sheet_replaces_an_old_one_whole(tmp_path: Path) -> None:
    out = tmp_path / "post-office.docx"
    out.write_text("an old sheet")
    write_post_office(out, sheet([one(1, KOMPAKT)]))
    assert cells(out)[-1] == ["Total", "1", "", "€1.80"]
    assert [p.name for p in tmp_path.iterdir()] == ["post-office.docx"]


def test_counter_sheet_says_in_bold_when_another_envelope_format_is_cheaper(
    tmp_path: Path,
) -> None:
    # 23 lists planned in DL for 2026: 8 + 8 + 7 = 3 Kompaktbriefe International; one C5
    # Großbrief International takes them all.
    raw = json.loads((ROOT / "merge" / "data" / "postage.json").read_text(encoding="utf-8"))
    [intl] = [s for s in raw["services"] if s["code"] == "international"]
    [prices] = [t["prices_eur"] for t in intl["price_tables"] if t["valid_from"] == "2026-01-01"]
    dl, c5 = (3 * Decimal(str(prices["kompakt"])), Decimal(str(prices["gross"])))
    pages = [make_page(n, [make_signer(f"inputs/l.csv:l:{n}")]) for n in range(1, 24)]
    batch = make_batch(pages, prepared_on=date(2026, 11, 20))
    assert batch.plan.envelope_format.code == "DL"
    out = tmp_path / "post-office.docx"
    write_post_office(out, batch)
    [advice] = [p for p in Document(str(out)).paragraphs if p.text.startswith("Cheaper")]
    assert advice.text == (
        f"Cheaper: the same lists would cost {format_eur(c5)} in C5 envelopes instead of "
        f"{format_eur(dl)} (1 letter instead of 3; next time: petition-merge run --envelope C5)."
    )
    assert all(run.bold for run in advice.runs)


def test_counter_sheet_gives_no_advice_when_the_format_is_the_cheapest(tmp_path: Path) -> None:
    pages = [make_page(n, [make_signer(f"inputs/l.csv:l:{n}")]) for n in range(1, 24)]
    batch = make_batch(pages, prepared_on=date(2026, 11, 20))
    cheapest = replace(batch, plan=replace(batch.plan, cheaper=None))
    out = tmp_path / "post-office.docx"
    write_post_office(out, cheapest)
    assert not any(p.text.startswith("Cheaper") for p in Document(str(out)).paragraphs)
