"""The options form: the CLI's print and post options, with its defaults and its checks.

Each field is checked as ``run`` checks its option (the same functions, the same messages),
and a refusal is shown beside its field instead of stopping a command.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from merge.batch.model import PostOptions
from merge.errors import UsageError
from merge.i18n import _
from merge.i18n.conventions import format_date, parse_date
from merge.post.envelope_formats import AUTO, bundled_envelope_data
from merge.render.label_products import (
    LabelProduct,
    check_start,
    label_product,
    load_label_products,
)
from merge.render.pdf import find_soffice

MAX_BLANK = 1000  # as run --blank
CHECKBOXES = ("return_labels", "window", "pdf")


@dataclass(frozen=True)
class Options:
    """What the form asked for, checked."""

    post: PostOptions
    blank_lists: int = 0
    pdf: bool = True


def default_values() -> dict[str, str]:
    """Return the form's fields as a fresh form shows them: the CLI's defaults."""
    post = PostOptions()
    return {
        "envelope": post.envelope,
        "labels": post.labels,
        "start_label": str(post.start_label),
        "blank": "0",
        "mail_date": "",  # empty: the day the batch is made
        "return_labels": "",
        "window": "",
        "pdf": "1" if find_soffice() is not None else "",
    }


def form_values(form: Mapping[str, object]) -> dict[str, str]:
    """Return the fields of a sent form as text (an unticked box is not sent: "")."""
    values = {key: "" for key in default_values()}
    for key in values:
        value = form.get(key)
        values[key] = value.strip() if isinstance(value, str) else ""
    return values


def read_options(
    values: Mapping[str, str], today: dt.date | None = None
) -> tuple[Options | None, dict[str, str]]:
    """Check the form's values; return the options, or None and a message per field.

    With ``today``, a day of posting before it is refused: the page makes a batch to mail,
    and a day gone by is a typing slip that would price it wrongly. (``run --mail-date``
    takes any day.)
    """
    errors: dict[str, str] = {}
    envelope = values.get("envelope", "").upper()
    if envelope.casefold() != AUTO and envelope not in bundled_envelope_data().codes:
        errors["envelope"] = _("Choose an envelope size.")
    labels = values.get("labels", "")
    try:
        product = label_product(labels)
    except UsageError as err:
        errors["labels"] = str(err)
        product = None
    start = _whole(values.get("start_label", ""), "start_label", errors)
    if product is not None and start is not None:
        try:
            check_start(product, start)
        except UsageError as err:
            errors["start_label"] = str(err)
    blank = _whole(values.get("blank", ""), "blank", errors)
    if blank is not None and not 0 <= blank <= MAX_BLANK:
        errors["blank"] = _("{value} is not a number from {low} to {high}").format(
            value=blank, low=0, high=MAX_BLANK
        )
    mail_date: dt.date | None = None
    if values.get("mail_date"):
        try:
            mail_date = parse_date(values["mail_date"])
        except ValueError as err:
            errors["mail_date"] = str(err)
        if mail_date is not None and today is not None and mail_date < today:
            errors["mail_date"] = _(
                "The day of posting is before today ({today}) - give today or a later day"
            ).format(today=format_date(today))
    if errors or product is None or start is None or blank is None:
        return None, errors
    post = PostOptions(
        labels=product.code,
        start_label=start,
        return_labels=bool(values.get("return_labels")),
        envelope=envelope,  # as run passes it: DL, C5, C4 or AUTO
        window=bool(values.get("window")),
        mail_date=mail_date,
    )
    return Options(post, blank, bool(values.get("pdf"))), {}


def _whole(text: str, key: str, errors: dict[str, str]) -> int | None:
    try:
        return int(text)
    except ValueError:
        errors[key] = _("{value} is not a whole number").format(value=repr(text))
        return None


def label_choices() -> list[tuple[str, str]]:
    """Return (code, what it is) of every label product, in the order of labels.json."""
    text = _("{label}: {count} labels a sheet ({cols} x {rows})")
    return [
        (p.code, text.format(label=p.describe(), count=p.per_sheet, cols=p.cols, rows=p.rows))
        for p in load_label_products().values()
    ]


def envelope_choices() -> list[tuple[str, str]]:
    """Return (code, name) of every envelope format."""
    return [(fmt.code, fmt.name) for fmt in bundled_envelope_data().formats]


# --- the picture of the label sheet, to click the first free label -------------------------


@dataclass(frozen=True)
class Slot:
    """One label of the sheet's picture: its place in mm from the page's top-left corner,
    written as SVG attributes ("8.43"), which the Content-Security-Policy allows where it
    would block a style."""

    position: int  # 1 = top left, row by row, as --start-label counts
    row: int
    col: int
    x: str
    y: str
    w: str
    h: str

    @property
    def name(self) -> str:
        """What a screen reader says of it: "Label 7 (row 3, column 1)"."""
        return _("Label {n} (row {row}, column {col})").format(
            n=self.position, row=self.row, col=self.col
        )


@dataclass(frozen=True)
class Sheet:
    """A label product's sheet, to scale: the page and each label's place on it."""

    product: LabelProduct
    slots: tuple[Slot, ...]

    @property
    def view_box(self) -> str:
        return f"0 0 {_svg(self.product.page_w_mm)} {_svg(self.product.page_h_mm)}"


def label_sheet(code: str) -> Sheet | None:
    """Return the sheet of the label product ``code`` (None: no such product)."""
    try:
        product = label_product(code)
    except UsageError:
        return None
    slots = []
    for position in range(1, product.per_sheet + 1):
        box = product.label_box(position)
        row, col = divmod(position - 1, product.cols)
        size = (_svg(box.x), _svg(box.y), _svg(box.w), _svg(box.h))
        slots.append(Slot(position, row + 1, col + 1, *size))
    return Sheet(product, tuple(slots))


def shown_values(query: Mapping[str, str]) -> dict[str, str]:
    """Return the form's fields for the options page: the defaults, or those of a sent form.

    "Show this sheet" sends the form to the page again (without JavaScript; the page's
    script does the same for the picture alone): the fields are kept as sent, except a first
    label the newly chosen sheet does not have, which goes back to the sheet's first.
    """
    if "labels" not in query:
        return default_values()
    values = form_values(query)
    sheet = label_sheet(values["labels"])
    if sheet is not None:
        try:
            check_start(sheet.product, int(values["start_label"]))
        except (ValueError, UsageError):
            values["start_label"] = "1"
    return values


def _svg(length: float) -> str:
    """Write a length in mm for an SVG attribute: 8.43, 0, 210 (a dot, never a comma)."""
    return f"{length:.2f}".rstrip("0").rstrip(".")
