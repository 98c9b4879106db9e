"""Label sheet products (``merge/data/labels.json``): their geometry, and the checks of what
a volunteer asks for (product, first free label, printer offset).

No document library here, so the command line can check --labels, --start-label and
--label-offset before anything is read.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from merge.data import LABELS, default_label_code, label_section
from merge.errors import DataError, UsageError
from merge.i18n import _
from merge.i18n.conventions import format_number
from merge.post.envelope_formats import Box

MAX_OFFSET_MM = 10.0


@dataclass(frozen=True)
class LabelProduct:
    """One label sheet product and where its labels are (mm, from the top-left page corner)."""

    code: str
    name: str
    page_w_mm: float
    page_h_mm: float
    cols: int
    rows: int
    label_w_mm: float
    label_h_mm: float
    margin_left_mm: float  # page edge to the first label
    margin_top_mm: float
    pitch_x_mm: float  # label width + horizontal gap
    pitch_y_mm: float
    corner_radius_mm: float | None = None  # None: unknown
    aliases: tuple[str, ...] = ()
    source: str = ""
    note: str = ""

    @property
    def per_sheet(self) -> int:
        return self.cols * self.rows

    def label_box(self, position: int, offset_mm: tuple[float, float] = (0.0, 0.0)) -> Box:
        """Return the rectangle of label ``position`` (1 = top left, row by row) on the paper."""
        row, col = divmod((position - 1) % self.per_sheet, self.cols)
        return Box(
            self.margin_left_mm + offset_mm[0] + col * self.pitch_x_mm,
            self.margin_top_mm + offset_mm[1] + row * self.pitch_y_mm,
            self.label_w_mm,
            self.label_h_mm,
        )

    def describe(self) -> str:
        """Return ``3422 (70 x 35 mm)`` for messages (``L7160 (63,5 x 38,1 mm)`` in German)."""
        return f"{self.code} ({_mm(self.label_w_mm)} x {_mm(self.label_h_mm)} mm)"


def load_label_products(path: Path | None = None) -> dict[str, LabelProduct]:
    """Return the label products of ``labels.json`` (or ``path``) by code, in file order.

    The file's ``default`` (:func:`merge.data.default_label_code`) must be one of them.
    """
    products: dict[str, LabelProduct] = {}
    for code, entry in label_section(path, "labels").items():
        try:
            fields = dict(entry)
            page_w, page_h = fields.pop("page_mm")
            aliases = tuple(fields.pop("aliases", ()))
            product = LabelProduct(
                code=code, page_w_mm=page_w, page_h_mm=page_h, aliases=aliases, **fields
            )
            problem = _geometry_problem(product)
        except KeyError as err:
            problem = _("incomplete or malformed (the key '{key}' is missing)").format(
                key=err.args[0]
            )
        except (TypeError, ValueError):
            problem = _("incomplete or malformed")
        if problem:
            raise DataError(
                _("{file}: label {code}: {problem} - fix the numbers").format(
                    file=path or LABELS, code=code, problem=problem
                )
            )
        products[code] = product
    default = default_label_code(path)
    if _find(products, default) is None:
        raise DataError(
            _(
                "{file}: key 'default' names no label product ('{code}') - use one of: {codes}"
            ).format(file=path or LABELS, code=default, codes=", ".join(products))
        )
    return products


def _geometry_problem(p: LabelProduct) -> str | None:
    slack = 0.05  # the databases round to 1/100 mm
    if p.cols < 1 or p.rows < 1 or min(p.label_w_mm, p.label_h_mm) < 10:
        return _("needs at least one row and column of labels of 10 mm or more")
    if p.pitch_x_mm < p.label_w_mm or p.pitch_y_mm < p.label_h_mm:
        return _("pitch smaller than the label (labels would overlap)")
    if p.margin_left_mm < 0 or p.margin_top_mm < 0:
        return _("negative margin")
    right = p.margin_left_mm + (p.cols - 1) * p.pitch_x_mm + p.label_w_mm
    bottom = p.margin_top_mm + (p.rows - 1) * p.pitch_y_mm + p.label_h_mm
    if right > p.page_w_mm + slack or bottom > p.page_h_mm + slack:
        return _("labels reach {right} x {bottom} mm, beyond the page").format(
            right=format_number(right, 2), bottom=format_number(bottom, 2)
        )
    return None


def _mm(length: float) -> str:
    return format_number(Decimal(f"{length:g}"))


def label_product(code: str) -> LabelProduct:
    """Return the label product with this code or alias (case-insensitive)."""
    products = load_label_products()
    product = _find(products, code)
    if product is None:
        raise UsageError(
            _("unknown label product '{code}' - use one of: {codes}").format(
                code=code, codes=", ".join(products)
            )
        )
    return product


def _find(products: dict[str, LabelProduct], code: str) -> LabelProduct | None:
    wanted = code.strip().upper()
    for product in products.values():
        if wanted in (product.code.upper(), *(alias.upper() for alias in product.aliases)):
            return product
    return None


def check_start(product: LabelProduct, start: int) -> None:
    """Refuse a first label that is not on the sheet."""
    if not 1 <= start <= product.per_sheet:
        raise UsageError(
            _(
                "label {start} does not exist on {code} ({cols} x {rows} = {count} labels) - "
                "start at a label from 1 to {count}"
            ).format(
                start=start,
                code=product.code,
                cols=product.cols,
                rows=product.rows,
                count=product.per_sheet,
            )
        )


def check_offset(offset_mm: tuple[float, float]) -> None:
    """Refuse a printer offset beyond what a printer is ever off by."""
    if not all(-MAX_OFFSET_MM <= value <= MAX_OFFSET_MM for value in offset_mm):
        shown = " / ".join(_mm(value) for value in offset_mm)
        raise UsageError(
            _(
                "printer offset {offset} mm is too large - use -{most} to {most} mm (print the "
                "outline sheet to measure it)"
            ).format(offset=shown, most=_mm(MAX_OFFSET_MM))
        )
