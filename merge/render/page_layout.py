"""How much of its page a rendered list takes: an estimate on the safe side of Word and
LibreOffice.

Paragraphs are measured line by line: their text wrapped with the font metrics at the width
their indents leave (with the widest and tallest formatting any of their runs has, character
spacing included), each line as tall as its paragraph's line spacing makes it (a whole number
of grid lines on a page with a line grid), plus the spacing before and after (added, never
merged). A table row is as tall as its set height or its fullest cell, whichever is
more (exactly its height when the row is "exact"), plus its rules. The body has the page
less its margins; a header or footer taller than its margin leaves pushes the body in, as
both programs do. :func:`find_marked_cells` finds the cells where a marker text printed: the
signer's name and address of a sample list.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from merge.lists.geometry import LineSpacing, is_right_to_left
from merge.lists.metrics import BOLD_FACTOR, Font, font_named
from merge.render.docx_parts import DocxParts, R, W
from merge.render.docx_styles import TWIPS_PER_PT, CellPlace, RunFormat, Styles

_WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
EMU_PER_PT = 12_700
TAB = "\u3000\u3000"  # a tab measured as two ideographic spaces (2 em): a default tab stop
_SKIPPED = {f"{W}del", f"{W}moveFrom", f"{W}txbxContent", f"{W}instrText"}
_BORDER_TAGS = ("top", "bottom", "insideH")


@dataclass(frozen=True)
class PageBox:
    """The page of a section and the part of it the body may fill."""

    width_pt: float
    height_pt: float
    left_pt: float
    right_pt: float
    top_pt: float  # from the top edge to the body: the margin, or below a taller header
    bottom_pt: float  # from the body to the bottom edge: the margin, or above a taller footer
    margin_top_pt: float
    margin_bottom_pt: float

    @property
    def text_width_pt(self) -> float:
        return self.width_pt - self.left_pt - self.right_pt

    @property
    def body_height_pt(self) -> float:
        return self.height_pt - self.top_pt - self.bottom_pt


@dataclass(frozen=True)
class MarkedCell:
    """A table cell of the rendered document whose paragraph holds a marker text."""

    tc: Any  # the w:tc element
    place: CellPlace
    paragraph_alone: bool  # the marker is all the text of its paragraph
    column_width_pt: float
    width_pt: float  # the width the marker's paragraph wraps its lines at
    row_height_pt: float  # the row's height as rendered (at least the set height)
    set_height: tuple[str, float] | None  # the row's ("exact" or "atLeast", points), if set
    room_pt: float  # the height the marker's lines may take while the row keeps its height
    marker_pt: float  # the height the marker's one line takes
    run: RunFormat
    line: LineSpacing


class Measure:
    """Measure the blocks of one rendered document."""

    def __init__(self, parts: DocxParts) -> None:
        self.parts = parts
        self.styles = Styles(parts)
        self.body = parts.document.find(f"{W}body")
        self.grid_pt = line_grid_pt(self.body.find(f"{W}sectPr"))

    # -- the page ------------------------------------------------------------------------------

    def page(self) -> PageBox:
        """Return the page of the document's (last) section, headers and footers included."""
        sect = self.body.find(f"{W}sectPr")
        size = sect.find(f"{W}pgSz") if sect is not None else None
        margins = sect.find(f"{W}pgMar") if sect is not None else None

        def twips(element: Any, name: str, default: float) -> float:
            value = element.get(f"{W}{name}") if element is not None else None
            try:
                return abs(float(value)) / TWIPS_PER_PT if value is not None else default
            except ValueError:
                return default

        width, height = twips(size, "w", 595.3), twips(size, "h", 841.9)
        left = twips(margins, "left", 72) + twips(margins, "gutter", 0)
        right = twips(margins, "right", 72)
        top, bottom = twips(margins, "top", 72), twips(margins, "bottom", 72)
        text_width = width - left - right
        header = max(self._part_heights(sect, "headerReference", text_width), default=0.0)
        footer = max(self._part_heights(sect, "footerReference", text_width), default=0.0)
        return PageBox(
            width_pt=width,
            height_pt=height,
            left_pt=left,
            right_pt=right,
            top_pt=max(top, twips(margins, "header", 36) + header) if header else top,
            bottom_pt=max(bottom, twips(margins, "footer", 36) + footer) if footer else bottom,
            margin_top_pt=top,
            margin_bottom_pt=bottom,
        )

    def _part_heights(self, sect: Any, reference: str, width_pt: float) -> Iterator[float]:
        if sect is None:
            return
        for ref in sect.iterchildren(f"{W}{reference}"):
            part = self.parts.headers_footers.get(ref.get(f"{R}id", ""))
            if part is not None:
                yield self.blocks_height(blocks(part), width_pt)

    # -- blocks --------------------------------------------------------------------------------

    def blocks_height(self, elements: Iterable[Any], width_pt: float) -> float:
        """Return the height of paragraphs and tables stacked on a page of ``width_pt``."""
        total = 0.0
        for element in elements:
            if element.tag == f"{W}p":
                total += self.paragraph_height(element, width_pt)
            elif element.tag == f"{W}tbl":
                total += self.table_height(element)
        return total

    def paragraph_height(self, p: Any, width_pt: float, place: CellPlace | None = None) -> float:
        """Return the height of a paragraph: spacing before and after, and its lines."""
        fmt = self.styles.paragraph(p, place)
        return fmt.space_before_pt + self.lines_height(p, width_pt, place) + fmt.space_after_pt

    def lines_height(self, p: Any, width_pt: float, place: CellPlace | None = None) -> float:
        """Return the height of a paragraph's printed lines, without its spacing."""
        fmt = self.styles.paragraph(p, place)
        lines, formats, image_pt = paragraph_content(p, self.styles, place)
        mark = self.styles.run(None, p, place)
        shown = [f for f, has_text in formats if has_text] or [mark]
        latin = max(f.size_pt for f in shown)
        complex_script = max(f.complex_size_pt for f in shown)
        font = _widest_font(shown)
        factor = max(f.scale for f in shown) * (BOLD_FACTOR if any(f.bold for f in shown) else 1)
        spacing = max(f.spacing_pt for f in shown)  # character spacing, per character
        if any(f.caps for f in shown):
            lines = [line.upper() for line in lines]
        indent = fmt.indent_left_pt + fmt.indent_right_pt + max(fmt.first_line_pt, 0.0)
        width = max(width_pt - indent, 1.0)
        total = 0.0
        for line in lines:
            # Right-to-left text prints in the complex-script size, which Word sets apart.
            rtl = not line.isascii() and any(map(is_right_to_left, line))
            size = max(latin, complex_script) if rtl else latin
            tall = max(size, mark.complex_size_pt if rtl else mark.size_pt)
            for printed in font.wrap(line, width / size / factor, spacing / size / factor):
                natural = font.line_height_em(printed) * tall
                total += self.line_spacing(fmt.line).height_pt(max(natural, image_pt))
        return total

    def line_spacing(self, line: LineSpacing) -> LineSpacing:
        """Return a paragraph's line spacing as it prints on this page (on its line grid)."""
        return replace(line, grid_pt=self.grid_pt) if self.grid_pt else line

    def table_height(self, tbl: Any) -> float:
        """Return the height of a table: every row, and a rule above, between and below."""
        rows = list(tbl.iterchildren(f"{W}tr"))
        heights = [self.row_height(tbl, tr)[0] for tr in rows]
        return sum(heights) + (len(rows) + 1) * self.rule_pt(tbl)

    def row_height(self, tbl: Any, tr: Any) -> tuple[float, tuple[str, float] | None]:
        """Return a row's height, and its set height ("exact"/"atLeast", points) if any."""
        set_height = _set_height(tr)
        content = 0.0
        for tc, place, width in self.cells(tbl, tr):
            top, left, bottom, right = self.styles.cell_margins_pt(tbl, tc, place)
            inner = max(width - left - right, 1.0)
            content = max(content, top + self.cell_content_height(tc, inner, place) + bottom)
        if set_height is None:
            return content, None
        rule, height = set_height
        return (height if rule == "exact" else max(height, content)), set_height

    def cell_content_height(self, tc: Any, width_pt: float, place: CellPlace) -> float:
        total = 0.0
        for element in blocks(tc):
            if element.tag == f"{W}p":
                total += self.paragraph_height(element, width_pt, place)
            elif element.tag == f"{W}tbl":
                total += self.table_height(element)
        return total

    def cells(self, tbl: Any, tr: Any) -> Iterator[tuple[Any, CellPlace, float]]:
        """Yield (w:tc, where it sits, its width in points) for every cell of a row."""
        rows = list(tbl.iterchildren(f"{W}tr"))
        grid = [_twips(col.get(f"{W}w")) for col in tbl.iterfind(f"{W}tblGrid/{W}gridCol")]
        row = rows.index(tr)
        columns = max(len(grid), 1)
        column = _int(tr.find(f"{W}trPr/{W}gridBefore"), 0)
        for tc in tr.iterchildren(f"{W}tc"):
            span = max(_int(tc.find(f"{W}tcPr/{W}gridSpan"), 1), 1)
            from_grid = sum(grid[column : column + span]) if grid else 0.0
            width_el = tc.find(f"{W}tcPr/{W}tcW")
            given = None
            if width_el is not None and width_el.get(f"{W}type", "dxa") == "dxa":
                given = _twips(width_el.get(f"{W}w"))
            widths = [w for w in (from_grid, given) if w]
            place = CellPlace(row, len(rows), min(column, columns - 1), columns)
            yield tc, place, min(widths) if widths else 0.0
            column += span

    def rule_pt(self, tbl: Any) -> float:
        """Return the thickest horizontal rule a table's rows are drawn with, in points."""
        sizes = [0.0]
        containers = [tbl.find(f"{W}tblPr/{W}tblBorders")]
        containers += list(tbl.iterfind(f"{W}tr/{W}tc/{W}tcPr/{W}tcBorders"))
        for style in self.styles.table_styles(tbl):
            containers.append(style.find(f"{W}tblPr/{W}tblBorders"))
        for container in containers:
            if container is None:
                continue
            for tag in _BORDER_TAGS:
                border = container.find(f"{W}{tag}")
                if border is not None and border.get(f"{W}val") not in ("nil", "none"):
                    sizes.append(_float(border.get(f"{W}sz")) / 8)
        return max(sizes)

    # -- marked cells --------------------------------------------------------------------------

    def marked_cells(self, marker: str, within: Iterable[Any]) -> list[MarkedCell]:
        """Return every table cell among ``within``'s blocks whose text holds ``marker``."""
        found = []
        for block in within:
            for t in block.iter(f"{W}t"):
                if marker.lower() not in (t.text or "").lower():
                    continue
                p = next(t.iterancestors(f"{W}p"))
                tc = next(p.iterancestors(f"{W}tc"), None)
                if tc is None:
                    continue
                found.append(self._marked_cell(tc, p, marker))
        return found

    def _marked_cell(self, tc: Any, p: Any, marker: str) -> MarkedCell:
        tr = tc.getparent()
        tbl = tr.getparent()
        tc_place, width = next((pl, w) for cell, pl, w in self.cells(tbl, tr) if cell is tc)
        top, left, bottom, right = self.styles.cell_margins_pt(tbl, tc, tc_place)
        inner = max(width - left - right, 1.0)
        fmt = self.styles.paragraph(p, tc_place)
        run = next(r for r in p.iter(f"{W}r") if marker.lower() in _run_text(r).lower())
        others = sum(
            self.paragraph_height(el, inner, tc_place)
            if el.tag == f"{W}p"
            else self.table_height(el)
            for el in blocks(tc)
            if el is not p
        )
        row_height, set_height = self.row_height(tbl, tr)
        marker_pt = self.lines_height(p, inner, tc_place)
        spacing = fmt.space_before_pt + fmt.space_after_pt
        room = row_height - top - bottom - self.rule_pt(tbl) - others - spacing
        indent = fmt.indent_left_pt + fmt.indent_right_pt + max(fmt.first_line_pt, 0.0)
        return MarkedCell(
            tc=tc,
            place=tc_place,
            paragraph_alone=_paragraph_text(p).strip().lower() == marker.lower(),
            column_width_pt=width,
            width_pt=max(inner - indent, 1.0),
            row_height_pt=row_height,
            set_height=set_height,
            room_pt=room,
            marker_pt=marker_pt,
            run=self.styles.run(run, p, tc_place),
            line=self.line_spacing(fmt.line),
        )


def line_grid_pt(sect: Any | None) -> float:
    """Return the pitch of a section's line grid (docGrid "lines" or "linesAndChars"), else 0."""
    grid = sect.find(f"{W}docGrid") if sect is not None else None
    if grid is None or grid.get(f"{W}type") not in ("lines", "linesAndChars"):
        return 0.0
    return _twips(grid.get(f"{W}linePitch"))


def blocks(container: Any) -> Iterator[Any]:
    """Yield the paragraphs and tables of a body, cell, header or footer, in order (also
    those inside content controls)."""
    for child in container:
        if child.tag in (f"{W}p", f"{W}tbl"):
            yield child
        elif child.tag == f"{W}sdt":
            content = child.find(f"{W}sdtContent")
            if content is not None:
                yield from blocks(content)


def paragraph_content(
    p: Any, styles: Styles, place: CellPlace | None
) -> tuple[list[str], list[tuple[RunFormat, bool]], float]:
    """Return a paragraph's printed text as lines (split at line breaks), the format of each
    run (and whether it holds text), and the height of its tallest inline picture."""
    lines = [""]
    formats: list[tuple[RunFormat, bool]] = []
    image_pt = 0.0
    for r in _runs(p):
        has_text = False
        for child in r:
            tag = child.tag
            if tag == f"{W}t":
                lines[-1] += child.text or ""
                has_text = has_text or bool(child.text)
            elif tag == f"{W}tab":
                lines[-1] += TAB
                has_text = True
            elif tag in (f"{W}br", f"{W}cr"):
                lines.append("")
            elif tag == f"{W}noBreakHyphen":
                lines[-1] += "-"
            elif tag == f"{W}sym":
                lines[-1] += "\u3000"
                has_text = True
            elif tag == f"{W}drawing":
                for extent in child.iterfind(f"{_WP}inline/{_WP}extent"):
                    image_pt = max(image_pt, _float(extent.get("cy")) / EMU_PER_PT)
        formats.append((styles.run(r, p, place), has_text))
    return lines, formats, image_pt


def _runs(p: Any) -> Iterator[Any]:
    """Yield the runs that print as part of paragraph ``p`` (not deleted, not in text boxes)."""
    for r in p.iter(f"{W}r"):
        ancestors = []
        for ancestor in r.iterancestors():
            if ancestor is p:
                break
            ancestors.append(ancestor.tag)
        if not _SKIPPED.intersection(ancestors):
            yield r


def _run_text(r: Any) -> str:
    return "".join(t.text or "" for t in r.iterfind(f"{W}t"))


def _paragraph_text(p: Any) -> str:
    return "".join(_run_text(r) for r in _runs(p))


def _widest_font(formats: list[RunFormat]) -> Font:
    """Return the font of the runs to measure with: a font without widths if any run has
    one (it is measured as the wider), else Arial."""
    fonts = [font_named(f.font) for f in formats]
    return next((font for font in fonts if not font.exact), fonts[0])


def _set_height(tr: Any) -> tuple[str, float] | None:
    height = tr.find(f"{W}trPr/{W}trHeight")
    if height is None or height.get(f"{W}val") is None:
        return None
    rule = height.get(f"{W}hRule", "atLeast")  # as Word and LibreOffice read a missing rule
    if rule == "auto":
        return None
    return ("exact" if rule == "exact" else "atLeast"), _twips(height.get(f"{W}val"))


def _int(element: Any, default: int) -> int:
    value = element.get(f"{W}val") if element is not None else None
    return int(value) if value is not None and value.isdigit() else default


def _twips(value: str | None) -> float:
    return max(_float(value), 0.0) / TWIPS_PER_PT


def _float(value: str | None) -> float:
    try:
        number = float(value) if value is not None else 0.0
    except ValueError:
        return 0.0
    return number if number == number and abs(number) < 1e9 else 0.0
