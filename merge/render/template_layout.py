"""The limits of the template in use, read from a sample list rendered with it.

"One page per list" rests on the template actually used: its page, margins, footer, the
table's columns, rows and cell margins, and the fonts and sizes its styles give the text.
So the template is rendered with the campaign's letter and a sample list whose rows hold
marker texts instead of a signer's name and address, and the result is measured
(:mod:`merge.render.page_layout`): the cells the markers print in become the room a signer's
name and address have (:class:`~merge.lists.geometry.ListGeometry`, which the run checks every
row against), and the list as a whole must leave the page some room to spare. The numbers of
the bundled template are whatever its file yields, not constants anywhere.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from merge.campaign import Campaign
from merge.i18n import _
from merge.i18n.conventions import format_number
from merge.lists import fit
from merge.lists.geometry import ListGeometry, TextBox, mm
from merge.lists.paginate import ROWS_PER_LIST, Page
from merge.lists.signer import Signer
from merge.render import docx_stream
from merge.render.context import build_context, environment
from merge.render.docx_parts import W, read_parts
from merge.render.list_pages import LIST_START, mark_list_starts, paragraph_text
from merge.render.page_layout import MarkedCell, Measure, PageBox, blocks
from merge.render.petitions import open_template
from merge.render.template_tags import PAGE, PAGE_SETUP, TEMPLATE, TemplateProblem, paragraphs

NAME_MARK = "PetitionMergeNameMark"
ADDRESS_MARK = "PetitionMergeAddressMark"
PAGE_SAFETY = 0.98  # share of the body's height one list may fill (the estimate is generous)
# The sample's reference line is as wide as a real one can get.
SAMPLE_NUMBERS, SAMPLE_BATCH = (99998, 99999), "2099-12-31-99"


@dataclass(frozen=True)
class TemplateLayout:
    """What the template's sample list measured: the signers' cells, the page, the problems."""

    geometry: ListGeometry | None
    problems: list[TemplateProblem] = field(default_factory=list)
    list_pt: float = 0.0  # the height of the fullest list
    room_pt: float = 0.0  # the height one list may take

    @property
    def overflow_pt(self) -> float:
        return max(self.list_pt - self.room_pt, 0.0)


def read_layout(path: Path, campaign: Campaign) -> TemplateLayout:
    """Render a sample list of ``campaign`` with the template at ``path`` and measure it.

    Raises what rendering raises (the caller reports a template that does not render).
    """
    doc = open_template(path)
    template_body = doc.docx.element.body
    where = {
        "name": _where_placeholder(template_body, "row.name"),
        "address": _where_placeholder(template_body, "row.address"),
    }
    mark_list_starts(template_body, bookmark=True)
    marked = Signer("sample:1", NAME_MARK, (ADDRESS_MARK,), "sample")
    pages = [
        Page(SAMPLE_NUMBERS[0], (marked,) * ROWS_PER_LIST),
        Page(SAMPLE_NUMBERS[1], (None,) * ROWS_PER_LIST),
    ]
    context = build_context(campaign, pages, SAMPLE_BATCH, SAMPLE_NUMBERS[1])
    shared = {key: value for key, value in context.items() if key != "lists"}
    rendered = io.BytesIO()
    docx_stream.write_docx(doc, environment(len(pages), sample=True), context, shared, rendered)
    rendered.seek(0)
    return measure_layout(Measure(read_parts(rendered)), where)


def measure_layout(measure: Measure, where: dict[str, str]) -> TemplateLayout:
    """Derive the signers' cells and the page's fill from a rendered sample."""
    page = measure.page()
    lists = _lists(measure.body)
    heights = [measure.blocks_height(blocks_, page.text_width_pt) for blocks_ in lists]
    list_pt = max(heights, default=0.0)
    room_pt = page.body_height_pt * PAGE_SAFETY
    problems: list[TemplateProblem] = []
    cells = {}
    for column, marker in (("name", NAME_MARK), ("address", ADDRESS_MARK)):
        found = measure.marked_cells(marker, lists[0] if lists else [])
        placeholder = "{{ row." + column + " }}"
        if len(found) < ROWS_PER_LIST:
            problems.append(
                TemplateProblem(
                    where[column],
                    _(
                        "'{placeholder}' does not print in a table cell of each of the five "
                        "rows - keep it in the row between '{start}' and '{end}'"
                    ).format(
                        placeholder=placeholder,
                        start="{%tr for row in list.rows %}",
                        end="{%tr endfor %}",
                    ),
                )
            )
        elif not all(cell.paragraph_alone for cell in found):
            problems.append(
                TemplateProblem(
                    where[column],
                    _(
                        "'{placeholder}' must be the only text of its paragraph (its lines are "
                        "counted against the cell) - move the other text to a paragraph of its "
                        "own"
                    ).format(placeholder=placeholder),
                )
            )
        cells[column] = found
    if not problems and {id(c.tc) for c in cells["name"]} & {id(c.tc) for c in cells["address"]}:
        problems.append(
            TemplateProblem(
                where["address"],
                _("'{name}' and '{address}' must be in cells of their own").format(
                    name="{{ row.name }}", address="{{ row.address }}"
                ),
            )
        )
    if problems:
        return TemplateLayout(None, problems, list_pt, room_pt)
    spare = max(room_pt - list_pt, 0.0) / ROWS_PER_LIST  # what a row may grow by, if it can
    geometry = ListGeometry(
        name=_text_box(cells["name"], where["name"], spare),
        address=_text_box(cells["address"], where["address"], spare),
    )
    problems += [TemplateProblem(at, problem) for at, problem in fit.template_problems(geometry)]
    if list_pt > room_pt:
        problems.append(TemplateProblem(PAGE, page_problem(list_pt, room_pt, page)))
    if problems and measure.grid_pt:
        problems.append(TemplateProblem(PAGE_SETUP, grid_problem(measure.grid_pt)))
    return TemplateLayout(geometry, problems, list_pt, room_pt)


def grid_problem(grid_pt: float) -> str:
    return _(
        "the page has a line grid (Seitenraster) of {grid} pt: every line takes a whole number "
        "of its lines, which is what makes the list too tall - turn it off in Format > Page "
        "(Text Grid / Textraster: no grid)"
    ).format(grid=format_number(Decimal(f"{grid_pt:g}")))


def page_problem(list_pt: float, room_pt: float, page: PageBox) -> str:
    return _(
        "one list needs {needed} mm of the page's height at these sizes, but {room} mm is all "
        "it may take ({body} mm between the margins, less a little to spare) - make the fonts "
        "smaller, the margins narrower or the rows lower in the Word template"
    ).format(
        needed=f"{mm(list_pt):.0f}",
        room=f"{mm(room_pt):.0f}",
        body=f"{mm(page.body_height_pt):.0f}",
    )


def _text_box(cells: list[MarkedCell], where: str, spare_pt: float) -> TextBox:
    """Return the room of the tightest of a column's five cells, in its largest formatting."""

    def room(cell: MarkedCell) -> float:
        if cell.set_height is not None and cell.set_height[0] == "exact":
            return cell.room_pt  # an exact row never grows: what does not fit is cut off
        if cell.set_height is not None:
            return cell.room_pt  # a row "at least" so high keeps its height: rows stay alike
        return cell.marker_pt + spare_pt  # a row without a height grows into the page's room

    tightest = min(cells, key=room)
    largest = max(cells, key=lambda c: (c.run.size_pt, c.run.bold))
    return TextBox(
        where=where,
        column_width_pt=min(c.column_width_pt for c in cells),
        width_pt=min(c.width_pt for c in cells),
        height_pt=room(tightest),
        row_height_pt=tightest.row_height_pt,
        size_pt=largest.run.size_pt,
        complex_size_pt=max(c.run.complex_size_pt for c in cells),
        bold=any(c.run.bold for c in cells),
        caps=any(c.run.caps for c in cells),
        scale=max(c.run.scale for c in cells),
        font_name=largest.run.font,
        line=largest.line,
        spacing_pt=max(c.run.spacing_pt for c in cells),
    )


def _lists(body: Any) -> list[list[Any]]:
    """Split the rendered body's blocks into lists at the bookmarks that mark their starts;
    blocks before the first start count to the first list, after the last to the last."""
    lists: list[list[Any]] = [[]]
    for block in blocks(body):
        if _starts(block) and any(_starts(b) for b in lists[-1]):
            lists.append([])
        lists[-1].append(block)
    return lists


def _starts(block: Any) -> bool:
    return any(mark.get(f"{W}name") == LIST_START for mark in block.iter(f"{W}bookmarkStart"))


def _where_placeholder(body: Any, name: str) -> str:
    for place, p, _in_table in paragraphs(body, ""):
        if name in paragraph_text(p):
            return place
    return TEMPLATE
