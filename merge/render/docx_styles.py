"""Word's style hierarchy: the formatting a paragraph or a run of a .docx ends up with.

Word applies, from the bottom up: the document defaults, the table style (with the
conditional formatting of the cell's row and column), the paragraph style and the styles it
is based on, the character style of a run, and direct formatting; the highest level that
sets a property decides it (ECMA-376 Part 1, 17.7.2). Two things Word does beyond that are
kept too:

- in a table, a font size of 11 or 12 pt that comes from the default paragraph style gives
  way to the table style's, unless the document's compatibility setting
  ``overrideTableStyleFontSizeAndJustification`` is on (LibreOffice's import does the same,
  writerfilter/source/dmapper/DomainMapperTableHandler.cxx);
- bold is a toggle in styles (a character style's bold can switch a paragraph style's off).
  Here a run counts as bold if any level switches bold on and direct formatting does not
  switch it off: bold text is wider, and too wide is the safe side of measuring.

Numbering (list indents) is not applied: petition templates have no numbered paragraphs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from merge.lists.geometry import SINGLE, LineSpacing
from merge.render.docx_parts import DocxParts, W

_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_OFF = {"0", "false", "off", "none"}
TWIPS_PER_PT = 20
DEFAULT_CELL_MARGIN_PT = (0.0, 5.4, 0.0, 5.4)  # top, left, bottom, right: Word's 0.19 cm
_AUTO_SPACING_PT = 14.0  # "auto" paragraph spacing (HTML-like), as Word sets it
_LINE_PT = 12.0  # what Word's spacing in "lines" counts a line as
# Conditional table formatting, applied from the first to the last (17.7.6).
_CONDITIONS = (
    "wholeTable",
    "band1Vert",
    "band2Vert",
    "band1Horz",
    "band2Horz",
    "firstCol",
    "lastCol",
    "firstRow",
    "lastRow",
    "neCell",
    "nwCell",
    "seCell",
    "swCell",
)
_LOOK_BITS = {
    "firstRow": 0x20,
    "lastRow": 0x40,
    "firstColumn": 0x80,
    "lastColumn": 0x100,
    "noHBand": 0x200,
    "noVBand": 0x400,
}
T = TypeVar("T")


@dataclass(frozen=True)
class RunFormat:
    """The formatting of a run (or of a paragraph mark) that decides how much room it takes."""

    size_pt: float
    complex_size_pt: float  # the size of Arabic and other complex-script text
    bold: bool
    caps: bool  # printed in capitals (caps or small caps)
    scale: float  # horizontal scale, 1.0 = 100 %
    font: str  # the Latin font
    east_asia_font: str
    complex_font: str
    spacing_pt: float = 0.0  # character spacing, added to every character (negative: less)


@dataclass(frozen=True)
class ParagraphFormat:
    """The formatting of a paragraph that decides how much room it takes."""

    style: str  # the style id in effect
    space_before_pt: float
    space_after_pt: float
    line: LineSpacing
    indent_left_pt: float
    indent_right_pt: float
    first_line_pt: float  # negative for a hanging indent
    page_break_before: bool


@dataclass(frozen=True)
class CellPlace:
    """Where a cell sits in its table: it decides the table style's conditional formatting."""

    row: int
    rows: int
    column: int
    columns: int


@dataclass(frozen=True)
class _Layer:
    """One level of the hierarchy: an element that may hold a pPr and an rPr."""

    element: Any
    kind: str  # "direct", "character", "paragraph", "default paragraph", "table", "defaults"


class Styles:
    """Resolve the formatting of paragraphs and runs of one document."""

    def __init__(self, parts: DocxParts) -> None:
        root = parts.styles
        self._styles: dict[str, Any] = {}
        self._default: dict[str, str] = {}
        defaults = None
        if root is not None:
            for style in root.iter(f"{W}style"):
                style_id = style.get(f"{W}styleId")
                if style_id is None:
                    continue
                self._styles.setdefault(style_id, style)
                if style.get(f"{W}default") in ("1", "true", "on"):
                    self._default.setdefault(style.get(f"{W}type", "paragraph"), style_id)
            defaults = root.find(f"{W}docDefaults")
        self._defaults: list[_Layer] = []
        if defaults is not None:
            for wrapper in ("pPrDefault", "rPrDefault"):
                found = defaults.find(f"{W}{wrapper}")
                if found is not None:
                    self._defaults.append(_Layer(found, "defaults"))
        self._theme_fonts = _theme_fonts(parts.theme)
        self._table_font_size_quirk = not _compat_on(
            parts.settings, "overrideTableStyleFontSizeAndJustification"
        )

    # -- paragraphs and runs -------------------------------------------------------------------

    def paragraph(self, p: Any, place: CellPlace | None = None) -> ParagraphFormat:
        """Return the formatting of paragraph ``p`` (``place``: its cell, if in a table)."""
        layers = [
            _Layer(p, "direct"),
            *self._paragraph_style_layers(p),
            *self._table_layers(p, place),
            *self._defaults,
        ]

        def before_after(side: str) -> float:
            def value(el: Any) -> float | None:
                if _on(el.get(f"{W}{side}Autospacing"), default=False):
                    return _AUTO_SPACING_PT
                lines = el.get(f"{W}{side}Lines")
                if lines is not None:
                    return _number(lines) / 100 * _LINE_PT
                twips = el.get(f"{W}{side}")
                return None if twips is None else _number(twips) / TWIPS_PER_PT

            found = _first(layers, "pPr", "spacing", value)
            return max(found or 0.0, 0.0)

        line = _first(layers, "pPr", "spacing", _line_spacing)

        def indent(*names: str) -> float:
            def value(el: Any) -> float | None:
                for name in names:
                    if el.get(f"{W}{name}") is not None:
                        return _number(el.get(f"{W}{name}")) / TWIPS_PER_PT
                return None

            return _first(layers, "pPr", "ind", value) or 0.0

        def first_line(el: Any) -> float | None:
            # firstLine and hanging are one property (hanging wins where both are set)
            hanging = el.get(f"{W}hanging")
            if hanging is not None:
                return -_number(hanging) / TWIPS_PER_PT
            first = el.get(f"{W}firstLine")
            return None if first is None else _number(first) / TWIPS_PER_PT

        return ParagraphFormat(
            style=self._paragraph_style_id(p) or "",
            space_before_pt=before_after("before"),
            space_after_pt=before_after("after"),
            line=line or SINGLE,
            indent_left_pt=indent("left", "start"),
            indent_right_pt=indent("right", "end"),
            first_line_pt=_first(layers, "pPr", "ind", first_line) or 0.0,
            page_break_before=bool(
                _first(layers, "pPr", "pageBreakBefore", lambda el: _on(el.get(f"{W}val")))
            ),
        )

    def run(self, r: Any | None, p: Any, place: CellPlace | None = None) -> RunFormat:
        """Return the formatting of run ``r`` of paragraph ``p``; ``r=None``: the paragraph
        mark (which decides the height of an empty paragraph)."""
        holder = _run_properties_holder(r, p)  # the r, or the pPr of the paragraph mark
        direct = holder.find(f"{W}rPr") if holder is not None else None
        character = self._chain(_val(direct, "rStyle")) if direct is not None else []
        table = self._table_layers(p, place)
        layers = [
            *([_Layer(holder, "direct")] if holder is not None else []),
            *(_Layer(style, "character") for style in character),
            *self._paragraph_style_layers(p),
            *table,
            *self._defaults,
        ]

        def size(tag: str) -> float:
            found = _first_layer(layers, "rPr", tag, lambda el: el.get(f"{W}val"))
            if found is None:
                return 10.0  # Word's size when nothing sets one
            layer, value = found
            if (
                layer.kind == "default paragraph"
                and value in ("22", "24")
                and self._table_font_size_quirk
            ):
                from_table = _first(table, "rPr", tag, lambda el: el.get(f"{W}val"))
                if from_table is not None:
                    value = from_table
            return _number(value) / 2

        bold_direct = direct.find(f"{W}b") if direct is not None else None
        if bold_direct is not None:
            bold = _on(bold_direct.get(f"{W}val"))
        else:
            bold = any(
                _on(el.get(f"{W}val")) for layer in layers for el in _properties(layer, "rPr", "b")
            )
        caps = any(
            bool(_first(layers, "rPr", tag, lambda el: _on(el.get(f"{W}val"))))
            for tag in ("caps", "smallCaps")
        )
        scale = _first(layers, "rPr", "w", lambda el: el.get(f"{W}val"))
        spacing = _first(layers, "rPr", "spacing", lambda el: el.get(f"{W}val"))
        return RunFormat(
            size_pt=size("sz"),
            complex_size_pt=size("szCs"),
            bold=bold,
            caps=caps,
            scale=_number(scale) / 100 if scale else 1.0,
            font=self._font(layers, "ascii"),
            east_asia_font=self._font(layers, "eastAsia"),
            complex_font=self._font(layers, "cs"),
            spacing_pt=_number(spacing) / TWIPS_PER_PT if spacing else 0.0,
        )

    # -- tables --------------------------------------------------------------------------------

    def cell_margins_pt(self, tbl: Any, tc: Any, place: CellPlace) -> tuple[float, ...]:
        """Return a cell's top, left, bottom and right margins (padding) in points."""
        table_style = [
            element
            for style, conditions in self._table_style_levels(tbl, place)
            for element in (*conditions, style)
        ]
        sources = [
            (tc.find(f"{W}tcPr"), "tcMar"),
            (tbl.find(f"{W}tblPr"), "tblCellMar"),
            *(
                (container, tag)
                for element in table_style
                for container, tag in (
                    (element.find(f"{W}tcPr"), "tcMar"),
                    (element.find(f"{W}tblPr"), "tblCellMar"),
                )
            ),
        ]
        margins = []
        for sides, default in zip(
            (("top",), ("left", "start"), ("bottom",), ("right", "end")),
            DEFAULT_CELL_MARGIN_PT,
            strict=True,
        ):
            margins.append(_margin(sources, sides, default))
        return tuple(margins)

    def table_styles(self, tbl: Any) -> list[Any]:
        """Return the w:style elements of a table's style and the styles it is based on."""
        return self._chain(self.table_style_id(tbl))

    def table_style_id(self, tbl: Any) -> str | None:
        """Return the style id a table uses: its own, else the document's default table style."""
        tbl_pr = tbl.find(f"{W}tblPr")
        named = _val(tbl_pr, "tblStyle") if tbl_pr is not None else None
        if named in self._styles:
            return named
        return self._default.get("table")

    # -- the levels ----------------------------------------------------------------------------

    def _paragraph_style_id(self, p: Any) -> str | None:
        p_pr = p.find(f"{W}pPr")
        named = _val(p_pr, "pStyle") if p_pr is not None else None
        return named if named in self._styles else self._default.get("paragraph")

    def _paragraph_style_layers(self, p: Any) -> list[_Layer]:
        style_id = self._paragraph_style_id(p)
        chain = self._chain(style_id)
        kind = "default paragraph" if style_id == self._default.get("paragraph") else "paragraph"
        return [_Layer(style, kind) for style in chain]

    def _table_layers(self, p: Any, place: CellPlace | None) -> list[_Layer]:
        tbl = _enclosing_table(p)
        if tbl is None or place is None:
            return []
        layers = []
        for style, conditions in self._table_style_levels(tbl, place):
            layers += [_Layer(element, "table") for element in conditions]
            layers.append(_Layer(style, "table"))
        return layers

    def _table_style_levels(self, tbl: Any, place: CellPlace) -> list[tuple[Any, list[Any]]]:
        """Return (style, its conditional formats that apply, highest first) for the table
        style and the styles it is based on, highest first."""
        applies = _conditions(tbl, place, self._chain(self.table_style_id(tbl)))
        levels = []
        for style in self._chain(self.table_style_id(tbl)):
            conditional = {el.get(f"{W}type"): el for el in style.iterchildren(f"{W}tblStylePr")}
            levels.append(
                (
                    style,
                    [
                        conditional[c]
                        for c in reversed(_CONDITIONS)
                        if c in applies and c in conditional
                    ],
                )
            )
        return levels

    def _chain(self, style_id: str | None) -> list[Any]:
        """Return a style and the styles it is based on, itself first."""
        chain: list[Any] = []
        while style_id in self._styles and len(chain) < 20:
            style = self._styles[style_id]
            if any(style is seen for seen in chain):
                break
            chain.append(style)
            style_id = _val(style, "basedOn")
        return chain

    def _font(self, layers: list[_Layer], script: str) -> str:
        theme_attr = "cstheme" if script == "cs" else f"{script}Theme"

        def value(el: Any) -> str | None:
            theme = el.get(f"{W}{theme_attr}")
            if theme is not None:
                return self._theme_fonts.get(theme, "")
            named: str | None = el.get(f"{W}{script}")
            return named

        return _first(layers, "rPr", "rFonts", value) or "Times New Roman"


def _run_properties_holder(r: Any | None, p: Any) -> Any | None:
    """Return the element whose rPr formats a run: the run, or the pPr for the paragraph mark."""
    return r if r is not None else p.find(f"{W}pPr")


def _properties(layer: _Layer, group: str, tag: str) -> Iterator[Any]:
    """Yield the ``tag`` element of a level's pPr or rPr, if it has one.

    Every level holds its pPr and rPr as children (a style, a conditional format, the
    document defaults' pPrDefault and rPrDefault, a paragraph, a run); the paragraph mark's
    rPr sits in the paragraph's pPr, which stands for it.
    """
    container = layer.element.find(f"{W}{group}")
    if container is not None:
        found = container.find(f"{W}{tag}")
        if found is not None:
            yield found


def _line_spacing(spacing: Any) -> LineSpacing | None:
    """Return the line spacing a w:spacing element sets (its line, with its own lineRule)."""
    line = spacing.get(f"{W}line")
    if line is None:
        return None
    rule = spacing.get(f"{W}lineRule") or "auto"
    if rule in ("exact", "atLeast"):
        return LineSpacing(rule, abs(_number(line)) / TWIPS_PER_PT)
    return LineSpacing("auto", max(_number(line), 0.0) / 240)


def _first(
    layers: list[_Layer], group: str, tag: str, value: Callable[[Any], T | None]
) -> T | None:
    found = _first_layer(layers, group, tag, value)
    return found[1] if found else None


def _first_layer(
    layers: list[_Layer], group: str, tag: str, value: Callable[[Any], T | None]
) -> tuple[_Layer, T] | None:
    for layer in layers:
        for element in _properties(layer, group, tag):
            got = value(element)
            if got is not None:
                return layer, got
    return None


def _conditions(tbl: Any, place: CellPlace, style: list[Any]) -> set[str]:
    """Return the conditional formats (firstRow, band1Horz, ...) that apply to a cell."""
    look = _look(tbl)
    first_row = look.get("firstRow", False) and place.row == 0
    last_row = look.get("lastRow", False) and place.row == place.rows - 1
    first_col = look.get("firstColumn", False) and place.column == 0
    last_col = look.get("lastColumn", False) and place.column == place.columns - 1
    applies = {"wholeTable"}
    row_band = _band_size(style, "tblStyleRowBandSize")
    col_band = _band_size(style, "tblStyleColBandSize")
    if not look.get("noHBand", False) and not first_row and not last_row:
        row = place.row - (1 if look.get("firstRow", False) else 0)
        applies.add("band1Horz" if (row // row_band) % 2 == 0 else "band2Horz")
    if not look.get("noVBand", False) and not first_col and not last_col:
        column = place.column - (1 if look.get("firstColumn", False) else 0)
        applies.add("band1Vert" if (column // col_band) % 2 == 0 else "band2Vert")
    for name, on in (
        ("firstRow", first_row),
        ("lastRow", last_row),
        ("firstCol", first_col),
        ("lastCol", last_col),
        ("nwCell", first_row and first_col),
        ("neCell", first_row and last_col),
        ("swCell", last_row and first_col),
        ("seCell", last_row and last_col),
    ):
        if on:
            applies.add(name)
    return applies


def _look(tbl: Any) -> dict[str, bool]:
    tbl_pr = tbl.find(f"{W}tblPr")
    look = tbl_pr.find(f"{W}tblLook") if tbl_pr is not None else None
    if look is None:
        return {}
    bits = look.get(f"{W}val")
    number = int(bits, 16) if bits and all(c in "0123456789abcdefABCDEF" for c in bits) else 0
    flags = {}
    for name, bit in _LOOK_BITS.items():
        given = look.get(f"{W}{name}")
        flags[name] = _on(given) if given is not None else bool(number & bit)
    return flags


def _band_size(chain: list[Any], tag: str) -> int:
    for style in chain:
        tbl_pr = style.find(f"{W}tblPr")
        value = _val(tbl_pr, tag) if tbl_pr is not None else None
        if value is not None and value.isdigit() and int(value) > 0:
            return int(value)
    return 1


def _margin(sources: list[tuple[Any, str]], sides: tuple[str, ...], default: float) -> float:
    for container, tag in sources:
        margins = container.find(f"{W}{tag}") if container is not None else None
        if margins is None:
            continue
        for side in sides:
            element = margins.find(f"{W}{side}")
            if element is None:
                continue
            if element.get(f"{W}type") == "nil":
                return 0.0
            if element.get(f"{W}type", "dxa") == "dxa" and element.get(f"{W}w") is not None:
                return max(_number(element.get(f"{W}w")), 0.0) / TWIPS_PER_PT
    return default


def _enclosing_table(p: Any) -> Any | None:
    for ancestor in p.iterancestors(f"{W}tbl"):
        return ancestor
    return None


def _theme_fonts(theme: Any | None) -> dict[str, str]:
    """Map the theme font names Word uses in rFonts (minorHAnsi, ...) to typefaces."""
    if theme is None:
        return {}
    fonts: dict[str, str] = {}
    for kind in ("major", "minor"):
        scheme = theme.find(f".//{_A}{kind}Font")
        if scheme is None:
            continue
        for script, names in (
            ("latin", ("Ascii", "HAnsi")),
            ("ea", ("EastAsia",)),
            ("cs", ("Bidi",)),
        ):
            element = scheme.find(f"{_A}{script}")
            if element is not None:
                for name in names:
                    fonts[f"{kind}{name}"] = element.get("typeface", "")
    return fonts


def _compat_on(settings: Any | None, name: str) -> bool:
    if settings is None:
        return False
    for setting in settings.iter(f"{W}compatSetting"):
        if setting.get(f"{W}name") == name:
            return _on(setting.get(f"{W}val"))
    return False


def _val(element: Any, tag: str) -> str | None:
    found = element.find(f"{W}{tag}")
    if found is None:
        return None
    value: str | None = found.get(f"{W}val")
    return value


def _on(value: str | None, default: bool = True) -> bool:
    """Read an OOXML on/off value: absent means on (``<w:b/>``) unless ``default`` says."""
    if value is None:
        return default
    return value.strip().lower() not in _OFF


def _number(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        return 0.0
    return number if number == number and abs(number) < 1e7 else 0.0
