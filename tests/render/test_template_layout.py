"""The template in use is the truth: its limits are read from its file, restyled or re-saved.

Restyled copies are made with python-docx, as Word or LibreOffice would save a volunteer's
edit; with LibreOffice installed each is also saved once more by LibreOffice and printed: every
template either prints one page per list, its fullest rows in full, or check-template refuses
it in one line per problem, saying what and where. Invented names only.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import (
    BATCH,
    HEADER,
    TEMPLATE,
    address_at_limit,
    invoke,
    manifests,
    name_at_limit,
    pages_of,
    pdf_page_texts,
    resave_with_libreoffice,
    write_csv,
)
from conftest import petition_signer as signer
from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt

from merge.campaign import Campaign, shipped_campaign
from merge.lists import fit
from merge.lists.fit import RowFit
from merge.lists.geometry import ListGeometry, mm
from merge.render.pdf import convert_to_pdf
from merge.render.petitions import render_petitions
from merge.render.template_check import check_template, ensure_template_ok
from merge.render.template_layout import read_layout

FOUR_LONG_LINES = (
    "Großherzog-Friedrich-Wilhelm-Straße 127, Hinterhof",
    "Wohnung 14, 3. Obergeschoss links, bei Familie Ötz",
    "D-79098 Freiburg im Breisgau, Baden-Württemberg DE",
    "c/o Beispielverein für Menschenrechte e. V., Büro 3",
)


def size(style: str, points: float) -> Callable[[Any], None]:
    def edit(doc: Any) -> None:
        doc.styles[style].font.size = Pt(points)
        doc.styles[style].element.rPr.find(qn("w:szCs")).set(qn("w:val"), str(int(points * 2)))

    return edit


def columns(*widths_mm: float) -> Callable[[Any], None]:
    def edit(doc: Any) -> None:
        table = doc.tables[0]
        for col, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths_mm, strict=True):
            col.set(qn("w:w"), str(round(width * 1440 / 25.4)))
        for row in table.rows:
            for cell, width in zip(row.cells, widths_mm, strict=True):
                cell.width = Mm(width)

    return edit


def margins(**sides_mm: float) -> Callable[[Any], None]:
    def edit(doc: Any) -> None:
        for side, value in sides_mm.items():
            setattr(doc.sections[0], f"{side}_margin", Mm(value))

    return edit


def table_text_12pt_directly(doc: Any) -> None:
    """Select the signer row's text and set 12 pt, as a volunteer does in Word."""
    for cell in doc.tables[0].rows[2].cells:
        for paragraph in cell.paragraphs:
            for run in paragraph.runs:
                run.font.size = Pt(12)


def table_style_12pt(doc: Any) -> None:
    """A table style of 12 pt: the paragraph style "Petition Table" (8 pt) still wins."""
    style = doc.styles.add_style("Grosse Tabelle", WD_STYLE_TYPE.TABLE)
    style.font.size = Pt(12)
    doc.tables[0].style = style


def spacing(style: str, twips: int) -> Callable[[Any], None]:
    """Set a style's character spacing (Format > Character > Position: expanded/condensed)."""

    def edit(doc: Any) -> None:
        r_pr = doc.styles[style].element.get_or_add_rPr()
        r_pr.append(parse_xml(f'<w:spacing {nsdecls("w")} w:val="{twips}"/>'))

    return edit


def first_line_over_hanging(doc: Any) -> None:
    """The table text style hangs 18 pt; the name and address paragraphs set a first-line
    indent of 70 pt directly, which wins in Word and LibreOffice (one property)."""
    doc.styles["Petition Table"].paragraph_format.first_line_indent = Pt(-18)
    for cell in (c for t in doc.tables for r in t.rows for c in r.cells):
        for p in cell.paragraphs:
            if "row.name" in p.text or "row.address" in p.text:
                p.paragraph_format.first_line_indent = Pt(70)


def line_grid(pitch_twips: int) -> Callable[[Any], None]:
    """Give the page a line grid (Word: Layout > Document grid; LibreOffice: Text grid)."""

    def edit(doc: Any) -> None:
        sect = doc.sections[0]._sectPr
        for old in sect.findall(qn("w:docGrid")):
            sect.remove(old)
        sect.append(
            parse_xml(f'<w:docGrid {nsdecls("w")} w:type="lines" w:linePitch="{pitch_twips}"/>')
        )

    return edit


def test_a_line_grid_that_makes_the_list_too_tall_is_refused_naming_it(tmp_path: Path) -> None:
    """Every line on an 18 pt grid takes 18 pt: the reviewer's template printed two pages."""
    problems = check_template(restyled(tmp_path, line_grid(360)))
    assert any(p.where == "page" and "one list needs" in p.problem for p in problems), problems
    assert [p.where for p in problems][-1] == "page setup"
    assert "line grid (Seitenraster) of 18 pt" in problems[-1].problem
    assert "turn it off in Format > Page" in problems[-1].problem


def restyled(tmp_path: Path, *edits: Callable[[Any], None], name: str = "restyled") -> Path:
    doc = Document(str(TEMPLATE))
    for edit in edits:
        edit(doc)
    out = tmp_path / f"{name}.docx"
    doc.save(str(out))
    return out


def test_the_shipped_template_yields_its_numbers_from_its_file(
    shipped_geometry: ListGeometry, campaign: Campaign
) -> None:
    name, address = shipped_geometry.name, shipped_geometry.address
    assert (name.where, address.where) == ("table 1, row 3, cell 2", "table 1, row 3, cell 3")
    assert round(mm(name.column_width_pt)) == 46 and round(mm(address.column_width_pt)) == 80
    assert round(mm(name.width_pt)) == 44 and round(mm(address.width_pt)) == 78  # 1 mm padding
    assert round(mm(address.row_height_pt), 1) == 21.7
    assert (address.size_pt, address.bold, address.font_name) == (8.0, False, "Arial")
    assert fit.latin_lines(name) == fit.latin_lines(address) == 6
    assert fit.chars_per_line(address) == 53
    layout = read_layout(TEMPLATE, campaign)
    assert 240 < mm(layout.list_pt) < mm(layout.room_pt) < 261  # 297 - 9 - 27 mm, less 2 %


def test_style_resolution_decides_the_limits(tmp_path: Path) -> None:
    """Direct formatting beats the paragraph style, which beats a table style."""
    direct = check_template(restyled(tmp_path, table_text_12pt_directly, name="direct"))
    assert [p.where for p in direct] == ["table 1, row 3, cell 2", "table 1, row 3, cell 3"]
    assert all("at 12 pt" in p.problem for p in direct)
    via_table_style = restyled(tmp_path, table_style_12pt, name="table-style")
    assert check_template(via_table_style) == []
    assert ensure_template_ok(via_table_style).address.size_pt == 8.0
    via_paragraph_style = check_template(restyled(tmp_path, size("Petition Table", 12)))
    assert [p.where for p in via_paragraph_style] == [
        "table 1, row 3, cell 2",
        "table 1, row 3, cell 3",
    ]


@pytest.mark.parametrize(
    ("edits", "where", "expected"),
    [
        (
            [size("Petition Table", 12)],
            "table 1, row 3, cell 3",
            "the signer row is 21.7 mm high and the column 80 mm wide: at 12 pt, an address of "
            "three lines of 50 characters needs",
        ),
        (
            [columns(6, 46, 40, 88)],
            "table 1, row 3, cell 3",
            "the column 40 mm wide: at 8 pt, an address of three lines of 50 characters needs",
        ),
        ([size("Petition Letter", 11)], "page", "one list needs 268 mm of the page's height"),
        ([margins(top=25, bottom=35)], "page", "but 232 mm is all it may take (237 mm between"),
    ],
)
def test_a_template_that_cannot_hold_a_list_is_refused_saying_what_and_where(
    tmp_path: Path, edits: list[Callable[[Any], None]], where: str, expected: str
) -> None:
    template = restyled(tmp_path, *edits)
    problems = check_template(template)
    assert any(p.where == where and expected in p.problem for p in problems), problems
    result = invoke("check-template", str(template))
    assert result.exit_code == 4 and "Traceback" not in result.output
    assert result.output.count("\n") == len(problems)
    assert all(line.startswith(f"{template}: ") for line in result.output.splitlines())


def font(style: str, name: str) -> Callable[[Any], None]:
    def edit(doc: Any) -> None:
        doc.styles[style].font.name = name

    return edit


def test_a_font_without_known_widths_is_measured_as_a_wide_one_and_says_so(
    tmp_path: Path,
) -> None:
    calibri = restyled(tmp_path, font("Petition Table", "Calibri"))
    problems = check_template(calibri)
    assert [p.where for p in problems] == ["table 1, row 3, cell 2", "table 1, row 3, cell 3"]
    assert "at 8 pt in Calibri (measured as a wide font), a name of 50 and 30" in (
        problems[0].problem
    )
    assert "at 8 pt in Calibri (measured as a wide font), an address of three lines" in (
        problems[1].problem
    )
    assert all(p.problem.endswith(", or set the table in Arial") for p in problems)
    # Rows tall enough for it no longer leave the letter room on the page.
    taller = restyled(tmp_path, font("Petition Table", "Calibri"), row(28), name="taller")
    assert [p.where for p in check_template(taller)] == ["page"]


def row(height_mm: float) -> Callable[[Any], None]:
    def edit(doc: Any) -> None:
        doc.tables[0].rows[2].height = Mm(height_mm)

    return edit


def test_a_narrower_column_holds_fewer_characters_and_the_run_rejects_with_the_reason(
    project: Path,
) -> None:
    narrow = restyled(project / "templates", columns(6, 46, 60, 68), name="petition-list")
    check = RowFit(ensure_template_ok(narrow))
    shipped = RowFit(ensure_template_ok(TEMPLATE))
    assert shipped("Mustermann, Erika", FOUR_LONG_LINES) is None
    reason = check("Mustermann, Erika", FOUR_LONG_LINES)
    assert reason is not None and reason.startswith("address too long to print: at most 6 lines")
    assert "(about 39 characters each)" in reason  # 53 in the 80 mm column
    street, flat, _, extra = FOUR_LONG_LINES
    rows = [
        ["Testperson-1", "Erika", "Beispielweg 1", "12345", "Musterstadt"],
        ["Testperson-2", "Erika", f"{street}\n{flat}\n{extra}", "79098", "Freiburg im Breisgau"],
    ]
    write_csv(project / "inputs" / "a.csv", [["Name", "Vorname", "Anschrift", "PLZ", "Ort"], *rows])
    assert invoke("run", "--no-pdf").exit_code == 0
    [manifest] = manifests(project)
    assert manifest["counts"]["signers"] == 1
    [rejected] = manifest["rejected"]
    assert rejected["origin"] == "inputs/a.csv:a:3"
    assert rejected["reason"].startswith("address too long to print: at most 6 lines")


def test_the_run_refuses_a_template_its_rows_do_not_fit(project: Path) -> None:
    restyled(project / "templates", size("Petition Table", 12), name="petition-list")
    write_csv(
        project / "inputs" / "a.csv", [HEADER, ["Testperson", "Erika", "Weg 1", "12345", "Ort"]]
    )
    result = invoke("run", "--no-pdf")
    assert result.exit_code == 4, result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "at 12 pt" in errors[0] and "table 1, row 3, cell 2" in errors[0]


# -- with LibreOffice: save again, print, count the pages ---------------------------------------

VARIANTS: dict[str, list[Callable[[Any], None]]] = {
    "saved again as it is": [],
    "bigger title": [size("Petition Title", 13)],
    "bigger table heading and footer": [
        size("Petition Table Heading", 10),
        size("Petition Footer", 8),
    ],
    "narrower address column": [columns(6, 46, 60, 68)],
    "narrower name column": [columns(6, 30, 80, 64)],
    "larger top margin": [margins(top=12)],
    "table text expanded 2 pt": [spacing("Petition Table", 40)],
    "a line grid of 18 pt": [line_grid(360)],
    "first-line indent over a hanging style": [first_line_over_hanging, margins(top=17.6)],
    "a line grid of 11.5 pt, narrower margins": [line_grid(230), margins(top=5.3, bottom=15.9)],
    "table text at 12 pt": [size("Petition Table", 12)],
    "letter at 11 pt": [size("Petition Letter", 11)],
    "larger margins all round": [margins(top=25, bottom=35, left=20, right=20)],
}


REFUSED = (
    "table text at 12 pt",
    "letter at 11 pt",
    "larger margins all round",
    "a line grid of 18 pt",
    "first-line indent over a hanging style",  # the name then needs more lines than the row
)


@pytest.mark.soffice
@pytest.mark.parametrize("variant", list(VARIANTS))
def test_restyled_and_resaved_templates_print_one_page_per_list_or_are_refused(
    tmp_path: Path, campaign: Campaign, variant: str
) -> None:
    template = resave_with_libreoffice(
        restyled(tmp_path, *VARIANTS[variant], name="variant"), tmp_path / "resaved"
    )
    problems = check_template(template)
    if problems:
        result = invoke("check-template", str(template))
        assert result.exit_code == 4 and "Traceback" not in result.output
        assert result.output.count("\n") == len(problems)
        assert variant in REFUSED
        return
    assert variant not in REFUSED
    check = RowFit(ensure_template_ok(template))
    fullest = [
        tuple(
            signer(10 * page + n, name_at_limit(check, n), address_at_limit(check, n))
            for n in range(5)
        )
        for page in (1, 2, 3)
    ]
    out = tmp_path / "lists.docx"
    render_petitions(template, campaign, pages_of(*fullest), BATCH, out)
    convert_to_pdf(out, out.with_suffix(".pdf"))
    pages = pdf_page_texts(out.with_suffix(".pdf"))
    assert len(pages) == 3, variant
    for number, (page, people) in enumerate(zip(pages, fullest, strict=True), 1):
        assert f"Liste {number} / 3" in page
        assert page.count("Bitte senden Sie diese Petitionsliste") == 1
        squeezed = "".join(page.split()).replace("-", "")
        for person in people:
            assert "".join(person.address[-1].split()).replace("-", "") in squeezed


@pytest.mark.soffice
def test_the_shipped_letter_fits_the_shipped_template_in_print(tmp_path: Path) -> None:
    campaign = shipped_campaign()
    check = RowFit(ensure_template_ok(TEMPLATE, campaign))
    people = tuple(signer(n, name_at_limit(check, n), address_at_limit(check, n)) for n in range(5))
    out = tmp_path / "lists.docx"
    render_petitions(TEMPLATE, campaign, pages_of(people), BATCH, out)
    convert_to_pdf(out, out.with_suffix(".pdf"))
    info = subprocess.run(
        ["pdfinfo", str(out.with_suffix(".pdf"))], capture_output=True, text=True, check=True
    )
    assert "Pages:           1" in info.stdout


def test_character_spacing_of_the_table_text_narrows_the_limits(tmp_path: Path) -> None:
    """Expanded 1 pt on 8 pt text: every character a point wider, so fewer to a line."""
    geometry = ensure_template_ok(restyled(tmp_path, spacing("Petition Table", 20)))
    assert geometry.address.spacing_pt == 1.0
    assert fit.chars_per_line(geometry.address) < 53 * 0.8
    check = RowFit(geometry)
    four = ("Lindenallee 12, Gartenhaus, Aufgang B, EG rechts",) * 4  # fit unspaced
    assert RowFit(ensure_template_ok(TEMPLATE))("A, B", four) is None
    assert check("A, B", four) is not None
