"""Envelope formats (``merge/data/envelopes.json``): size, weight, fold and where the print goes.

One model serves the postage plan (:mod:`merge.post.plan`: size, empty weight, layers per
sheet, what an envelope closes on) and the envelope printing (:mod:`merge.render.envelopes`:
address area, franking zone, sender line), so the envelope franked is the envelope printed.
The DIN 5008 address field that window envelopes get instead is in the same file. Every
problem in the file is one line naming the file and the key.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from merge.data import DataReader, bundled, is_number
from merge.errors import UsageError
from merge.i18n import _
from merge.settings import found

BUNDLED = bundled("envelopes.json")

BUNDLED_SHOWN = "merge/data/envelopes.json"  # how messages name the bundled file
AUTO = "auto"  # instead of a format's code: the postage plan picks the cheapest format

_EPS = 1e-9  # float slack: an area may end exactly at the envelope's edge


@dataclass(frozen=True)
class Box:
    """A rectangle on a page in mm, measured from the page's top-left corner."""

    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h


@dataclass(frozen=True)
class EnvelopeFormat:
    """An envelope size, its (estimated) empty weight, how A4 goes in, and where the print goes.

    Printed directly, the page is the envelope in landscape: ``length_mm`` across,
    ``width_mm`` down; the print geometry is in mm from that page's top-left corner.
    """

    code: str
    name: str
    length_mm: float
    width_mm: float
    grams: float
    layers_per_sheet: int  # 3 = folded in three, 2 = folded once, 1 = flat
    max_sheets: int | None  # what the envelope closes on, below the postal limits
    address_area: Box  # the block starts at its left edge, centred vertically
    franking_w_mm: float  # zone at the top right kept free for the stamp
    franking_h_mm: float
    sender_x_mm: float  # where the sender line starts, top left
    sender_y_mm: float


@dataclass(frozen=True)
class WindowField:
    """The DIN 5008 form B address field on an A4 sheet for a window envelope (mm)."""

    page_w_mm: float
    page_h_mm: float
    field: Box
    text_x_mm: float  # where every line starts
    address_top_mm: float  # the sender line ends here, the address begins
    address_h_mm: float


@dataclass(frozen=True)
class EnvelopeData:
    """Everything ``envelopes.json`` holds, checked."""

    formats: tuple[EnvelopeFormat, ...]
    default_code: str  # the format used when none is asked for
    window: WindowField
    source: str  # the file, as messages name it

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(fmt.code for fmt in self.formats)

    @property
    def default(self) -> EnvelopeFormat:
        return self.by_code(self.default_code)

    def only(self, codes: Collection[str]) -> EnvelopeData:
        """Return these formats alone; the default stays if it is one, else the first."""
        kept = tuple(fmt for fmt in self.formats if fmt.code in codes)
        if not kept:
            raise ValueError("no envelope format left")  # a bug: callers pass known codes
        default = self.default_code if self.default_code in codes else kept[0].code
        return replace(self, formats=kept, default_code=default)

    def by_code(self, code: str | None = None) -> EnvelopeFormat:
        """Return the format of that code, in any letter case; None gives the default."""
        if code is None:
            code = self.default_code
        for fmt in self.formats:
            if fmt.code.casefold() == code.strip().casefold():
                return fmt
        raise UsageError(
            _("unknown envelope format '{code}' - use one of {codes} (or add it to {file})").format(
                code=code, codes=", ".join(self.codes), file=self.source
            )
        )


def load_envelope_data(path: Path | None = None) -> EnvelopeData:
    """Read and check envelope formats, by default the bundled ``merge/data/envelopes.json``."""
    if path is None:
        return bundled_envelope_data()
    return _load(path, str(path))


@cache
def bundled_envelope_data() -> EnvelopeData:
    return _load(BUNDLED, BUNDLED_SHOWN)


def default_envelope_code() -> str:
    """Return the code of the format used when none is asked for: ``default`` in the file."""
    return bundled_envelope_data().default_code


def _load(path: Path, shown: str) -> EnvelopeData:
    top = _Reader.open(path, shown, _("envelope formats"))
    formats = tuple(_envelope_format(item) for item in top.items("formats"))
    folded = top.unique("formats", "code", [fmt.code.casefold() for fmt in formats])
    default = top.text("default")
    if default.strip().casefold() not in folded:
        raise top.fail(
            "default",
            _(
                "{file}: key '{key}' must be the code of one of the formats, {codes} "
                "(found {found})"
            ),
            codes=", ".join(f.code for f in formats),
            found=found(default),
        )
    window = _window_field(top.section("window_address_field"))
    data = EnvelopeData(
        formats, formats[folded.index(default.strip().casefold())].code, window, shown
    )
    top.check_unknown({"envelope_zones"})  # envelope_zones explains the zones, for people
    return data


def _envelope_format(item: _Reader) -> EnvelopeFormat:
    code = item.text("code")
    length, width = item.number("length_mm", positive=True), item.number("width_mm", positive=True)
    if width > length:
        raise item.fail(
            "width_mm",
            _("{file}: key '{key}' must not exceed length_mm (give the longer side as length)"),
        )
    area = item.box(
        "address_area_mm",
        (length, width),
        _("envelope {code} ({length} x {width} mm)").format(
            code=code, length=f"{length:g}", width=f"{width:g}"
        ),
    )
    franking = item.section("franking_zone_mm")
    franking_w = franking.number("w", positive=True)
    franking_h = franking.number("h", positive=True)
    franking.check_unknown(set())
    if franking_w > length + _EPS or franking_h > width + _EPS:
        raise item.fail(
            "franking_zone_mm",
            _("{file}: key '{key}' is larger than envelope {code} - fix the numbers"),
            code=code,
        )
    if area.y < franking_h - _EPS and area.right > length - franking_w + _EPS:
        raise item.fail(
            "address_area_mm",
            _(
                "{file}: key '{key}' reaches into the franking zone ({w} x {h} mm at the top "
                "right) - keep the address below or left of it"
            ),
            w=f"{franking_w:g}",
            h=f"{franking_h:g}",
        )
    sender = item.section("sender_line_mm")
    sender_x, sender_y = sender.number("x"), sender.number("y")
    sender.check_unknown(set())
    if 2 * sender_x + franking_w >= length or sender_y >= width:
        raise item.fail(
            "sender_line_mm",
            _(
                "{file}: key '{key}' leaves no room for the sender line on envelope {code}, "
                "left of the franking zone (found x {x}, y {y})"
            ),
            code=code,
            x=f"{sender_x:g}",
            y=f"{sender_y:g}",
        )
    fmt = EnvelopeFormat(
        code=code,
        name=item.text("name"),
        length_mm=length,
        width_mm=width,
        grams=item.number("grams"),
        layers_per_sheet=item.integer("layers_per_sheet"),
        max_sheets=item.optional_integer("max_sheets"),
        address_area=area,
        franking_w_mm=franking_w,
        franking_h_mm=franking_h,
        sender_x_mm=sender_x,
        sender_y_mm=sender_y,
    )
    item.check_unknown({"grams_range", "fold"})
    return fmt


def _window_field(item: _Reader) -> WindowField:
    page_w, page_h = item.pair("page_mm")
    field = item.box(
        "field_mm",
        (page_w, page_h),
        _("the page ({w} x {h} mm)").format(w=f"{page_w:g}", h=f"{page_h:g}"),
    )
    text_x = item.number("text_x_mm")
    if not field.x <= text_x < field.right:
        raise item.fail(
            "text_x_mm",
            _("{file}: key '{key}' must lie in the field, {start} to {end} mm (found {found})"),
            start=f"{field.x:g}",
            end=f"{field.right:g}",
            found=f"{text_x:g}",
        )
    zone = item.section("address_zone_mm")
    top, height = zone.number("y"), zone.number("h", positive=True)
    zone.check_unknown({"lines"})
    if top < field.y - _EPS or top + height > field.bottom + _EPS:
        raise item.fail(
            "address_zone_mm",
            _(
                "{file}: key '{key}' must lie in the field, {start} to {end} mm from the top "
                "(found {top} to {bottom})"
            ),
            start=f"{field.y:g}",
            end=f"{field.bottom:g}",
            top=f"{top:g}",
            bottom=f"{top + height:g}",
        )
    item.check_unknown({"name", "address_pt", "sender_pt"})  # for people
    return WindowField(page_w, page_h, field, text_x, top, height)


def _positive(value: object) -> bool:
    return is_number(value) and value > 0


class _Reader(DataReader):
    """Take lengths and rectangles out of ``envelopes.json``."""

    def pair(self, key: str) -> tuple[float, float]:
        value = self.raw(key, _("two lengths [width, height]"))
        if not (isinstance(value, list) and len(value) == 2 and all(_positive(v) for v in value)):
            raise self.fail(
                key,
                _("{file}: key '{key}' must be two lengths [width, height] (found {found})"),
                found=found(value),
            )
        return float(value[0]), float(value[1])

    def box(self, key: str, within: tuple[float, float], what: str) -> Box:
        """Return the rectangle {x, y, w, h} at ``key``, refused unless it lies ``within``."""
        part = self.section(key)
        box = Box(
            part.number("x"),
            part.number("y"),
            part.number("w", positive=True),
            part.number("h", positive=True),
        )
        part.check_unknown(set())
        if box.right > within[0] + _EPS or box.bottom > within[1] + _EPS:
            raise self.fail(
                key,
                _(
                    "{file}: key '{key}' reaches {right} x {bottom} mm, beyond {what} - "
                    "fix the numbers"
                ),
                right=f"{box.right:g}",
                bottom=f"{box.bottom:g}",
                what=what,
            )
        return box
