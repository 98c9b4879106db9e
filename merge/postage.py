"""Lists -> envelopes, each with its Deutsche Post product, weight and price.

Limits, prices and weights are data (``postage.json``), dated by price period, because Deutsche
Post changes them and the cheapest packing depends on them: from 2025 one Großbrief (3.30) is
cheaper than two Kompaktbriefe (3.60), before that two Kompaktbriefe (3.40) beat one Großbrief
(3.70). So the packing is optimised against the price table, never hard-coded.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from merge.errors import InputError
from merge.keys import KeyReader, found

BUNDLED = Path(__file__).with_name("postage.json")
BUNDLED_SHOWN = "merge/postage.json"  # how messages name the bundled file
CENT = Decimal("0.01")
_EPS = 1e-9  # float slack so that a weight of exactly the limit still counts as within it


@dataclass(frozen=True)
class Product:
    """A Deutsche Post letter product with the limits a filled envelope must stay within."""

    code: str
    name: str
    max_grams: float
    max_length_mm: float
    max_width_mm: float
    max_thickness_mm: float
    min_length_mm: float = 0.0
    min_width_mm: float = 0.0
    min_aspect: float = 0.0  # length at least this times the width

    def takes(self, envelope: EnvelopeFormat) -> bool:
        """Return whether an envelope of this format has a size this product accepts."""
        return (
            self.min_length_mm <= envelope.length_mm <= self.max_length_mm
            and self.min_width_mm <= envelope.width_mm <= self.max_width_mm
            and envelope.length_mm >= self.min_aspect * envelope.width_mm
        )


@dataclass(frozen=True)
class PriceTable:
    """The prices of every product during one validity period, with how sure we are of them."""

    valid_from: date
    valid_to: date
    status: str  # verified, secondary or unverified
    source: str
    prices: dict[str, Decimal]  # product code -> EUR

    @property
    def name(self) -> str:
        """Return "2026" for a calendar year, else "2025-01-01 to 2026-06-30"."""
        year = self.valid_from.year
        if (self.valid_from, self.valid_to) == (date(year, 1, 1), date(year, 12, 31)):
            return str(year)
        return f"{self.valid_from.isoformat()} to {self.valid_to.isoformat()}"


@dataclass(frozen=True)
class EnvelopeFormat:
    """An envelope size, its (estimated) empty weight and how an A4 sheet is folded into it."""

    code: str
    length_mm: float
    width_mm: float
    grams: float
    layers_per_sheet: int  # 3 = folded in three, 2 = folded once, 1 = flat
    max_sheets: int | None = None  # what the envelope closes on, below the postal limits


@dataclass(frozen=True)
class PostageData:
    """Everything ``postage.json`` holds, checked."""

    products: tuple[Product, ...]
    tables: tuple[PriceTable, ...]  # by date, not overlapping
    formats: tuple[EnvelopeFormat, ...]
    grams_per_sheet: float
    mm_per_layer: float
    weight_margin_grams: float  # kept free below every weight limit
    transit_days: int  # to plan with, Germany -> destination
    source: str  # the file, as messages name it

    def envelope_format(self, code: str) -> EnvelopeFormat:
        """Return the envelope format of that code, in any letter case."""
        for fmt in self.formats:
            if fmt.code.casefold() == code.casefold():
                return fmt
        codes = ", ".join(fmt.code for fmt in self.formats)
        raise InputError(
            f"unknown envelope format '{code}' - use one of {codes} (or add it to {self.source})"
        )


@dataclass(frozen=True)
class Envelope:
    """One letter to post: which lists go in, what it weighs and which stamp it needs."""

    number: int
    lists: tuple[int, ...]
    sheets: int
    grams: float
    product: str  # product code
    product_name: str
    price_eur: Decimal
    thickness_mm: float


@dataclass(frozen=True)
class PostagePlan:
    """All envelopes of a batch, their total price and the stamps to buy."""

    envelopes: tuple[Envelope, ...]
    table: PriceTable
    envelope_format: EnvelopeFormat
    total_eur: Decimal
    stamps: tuple[tuple[Decimal, int], ...]  # (stamp value, count), highest value first
    warnings: tuple[str, ...]


def load_postage(path: Path | None = None) -> PostageData:
    """Read and check postage data, by default the bundled ``merge/postage.json``."""
    if path is None:
        return _bundled()
    return _load(path, str(path))


@cache
def _bundled() -> PostageData:
    return _load(BUNDLED, BUNDLED_SHOWN)


def price_table_for(data: PostageData, mail_date: date) -> tuple[PriceTable, str | None]:
    """Return the price table in force on ``mail_date`` and a warning sentence, if any.

    Outside every known period the nearest table is used, so that a plan can still be made,
    but the warning says to check it; so does a period whose prices are unverified.
    """
    for table in data.tables:
        if table.valid_from <= mail_date <= table.valid_to:
            if table.status == "unverified":
                return table, (
                    f"the Deutsche Post prices for {table.name} are unverified (inferred, not read "
                    f"in a Deutsche Post price list) - check them and edit {data.source}"
                )
            return table, None
    nearest = min(
        data.tables,
        key=lambda table: (_days_apart(table, mail_date), -table.valid_from.toordinal()),
    )
    unverified = " (unverified themselves)" if nearest.status == "unverified" else ""
    return nearest, (
        f"no known Deutsche Post prices for {mail_date.isoformat()}; using the {nearest.name} "
        f"prices{unverified} - check them and edit {data.source}"
    )


def _days_apart(table: PriceTable, day: date) -> int:
    if day < table.valid_from:
        return (table.valid_from - day).days
    return (day - table.valid_to).days


def plan_envelopes(
    lists: Sequence[int],
    *,
    mail_date: date,
    envelope: str = "DL",
    paper_grams_per_sheet: float | None = None,
    envelope_grams: float | None = None,
    per_envelope: int | None = None,
    sheets_per_list: int = 1,
    data: PostageData | None = None,
) -> PostagePlan:
    """Pack the lists, in order, into envelopes so that the total postage is lowest.

    Each envelope holds a run of consecutive lists and gets the cheapest product whose weight,
    size and thickness limits it keeps. Because every envelope of k lists weighs the same,
    the cheapest product per k is known up front and a dynamic programme over prefixes finds
    the exact optimum in O(n * k); of equally cheap plans it takes the one with fewer envelopes,
    then the one that fills earlier envelopes first.
    """
    if data is None:
        data = _bundled()
    fmt = data.envelope_format(envelope)
    if envelope_grams is not None:
        fmt = replace(fmt, grams=_grams(envelope_grams, "envelope weight", positive=False))
    paper = data.grams_per_sheet
    if paper_grams_per_sheet is not None:
        paper = _grams(paper_grams_per_sheet, "paper weight per sheet", positive=True)
    if sheets_per_list < 1:
        raise InputError(f"sheets per list must be at least 1 (got {sheets_per_list})")
    if per_envelope is not None and per_envelope < 1:
        raise InputError(f"lists per envelope must be at least 1 (got {per_envelope})")
    table, period_warning = price_table_for(data, mail_date)
    if not any(product.takes(fmt) for product in data.products):
        fitting = ", ".join(f.code for f in data.formats if any(p.takes(f) for p in data.products))
        raise InputError(
            f"envelope format {fmt.code} ({fmt.length_mm:g} x {fmt.width_mm:g} mm) fits no "
            f"Deutsche Post letter product - use one of {fitting or '(none)'}"
        )

    # cheapest[k - 1]: the product for an envelope of k lists; fits only shrink as k grows.
    cheapest: list[Product] = []
    most = len(lists) if per_envelope is None else min(len(lists), per_envelope)
    while len(cheapest) < most:
        fits = _products_for(data, fmt, (len(cheapest) + 1) * sheets_per_list, paper)
        if not fits:
            break
        cheapest.append(min(fits, key=lambda product: table.prices[product.code]))
    if lists and not cheapest:
        raise InputError(_one_list_unfit(data, fmt, sheets_per_list, paper))

    sizes = _cheapest_split(len(lists), [table.prices[product.code] for product in cheapest])
    envelopes: list[Envelope] = []
    start = 0
    for number, size in enumerate(sizes, start=1):
        sheets = size * sheets_per_list
        grams, thickness = _weigh(data, fmt, sheets, paper)
        product = cheapest[size - 1]
        envelopes.append(
            Envelope(
                number=number,
                lists=tuple(lists[start : start + size]),
                sheets=sheets,
                grams=round(grams, 2),
                product=product.code,
                product_name=product.name,
                price_eur=table.prices[product.code],
                thickness_mm=round(thickness, 2),
            )
        )
        start += size

    counts = Counter(env.price_eur for env in envelopes)
    warnings = [] if period_warning is None else [period_warning]
    warnings.append(
        f"Envelope weights are estimates ({fmt.code} envelope {fmt.grams:g} g, {paper:g} g per "
        "sheet): weigh one filled envelope before buying stamps."
    )
    return PostagePlan(
        envelopes=tuple(envelopes),
        table=table,
        envelope_format=fmt,
        total_eur=sum((env.price_eur for env in envelopes), Decimal("0.00")),
        stamps=tuple(sorted(counts.items(), reverse=True)),
        warnings=tuple(warnings),
    )


def _cheapest_split(count: int, costs: Sequence[Decimal]) -> list[int]:
    """Return the envelope sizes, in order, that cost least when k lists cost ``costs[k - 1]``.

    best[end] is the cheapest (total, envelopes) for the first ``end`` lists; ``last[end]`` the
    size of its last envelope. Every prefix is reachable because costs[0] exists.
    """
    best: list[tuple[Decimal, int]] = [(Decimal(0), 0)]
    last: list[int] = [0]
    for end in range(1, count + 1):
        options = (
            ((best[end - k][0] + costs[k - 1], best[end - k][1] + 1), k)
            for k in range(1, min(len(costs), end) + 1)
        )
        # min() keeps the first of equal keys: the smallest last envelope, i.e. fuller ones first
        score, size = min(options, key=lambda option: option[0])
        best.append(score)
        last.append(size)
    sizes: list[int] = []
    end = count
    while end:
        sizes.append(last[end])
        end -= last[end]
    return sizes[::-1]


def plan_as_json(plan: PostagePlan) -> dict[str, Any]:
    """Return the plan as plain JSON data for the batch manifest, amounts in EUR to the cent."""
    return {
        "envelope_format": plan.envelope_format.code,
        "price_period": {
            "name": plan.table.name,
            "valid_from": plan.table.valid_from.isoformat(),
            "valid_to": plan.table.valid_to.isoformat(),
            "status": plan.table.status,
            "source": plan.table.source,
        },
        "envelopes": [
            {
                "number": env.number,
                "lists": list(env.lists),
                "sheets": env.sheets,
                "grams": env.grams,
                "product": env.product,
                "price_eur": _eur(env.price_eur),
            }
            for env in plan.envelopes
        ],
        "totals": {
            "envelopes": len(plan.envelopes),
            "stamps": [{"value_eur": _eur(value), "count": count} for value, count in plan.stamps],
            "cost_eur": _eur(plan.total_eur),
        },
        "warnings": list(plan.warnings),
    }


def _eur(amount: Decimal) -> float:
    return float(amount.quantize(CENT))


def _grams(value: float, what: str, *, positive: bool) -> float:
    if not (value > 0 or (value == 0 and not positive)):  # also rejects NaN
        bound = "more than 0 g" if positive else "0 g or more"
        raise InputError(f"{what} must be {bound} (got {value:g})")
    return float(value)


def _weigh(
    data: PostageData, fmt: EnvelopeFormat, sheets: int, paper: float
) -> tuple[float, float]:
    """Return the grams and millimetres of a filled envelope."""
    return fmt.grams + sheets * paper, sheets * fmt.layers_per_sheet * data.mm_per_layer


def _products_for(
    data: PostageData, fmt: EnvelopeFormat, sheets: int, paper: float
) -> list[Product]:
    """Return the products an envelope of this format holding that many sheets may go as."""
    if fmt.max_sheets is not None and sheets > fmt.max_sheets:
        return []
    grams, thickness = _weigh(data, fmt, sheets, paper)
    return [
        product
        for product in data.products
        if product.takes(fmt)
        and grams + data.weight_margin_grams <= product.max_grams + _EPS
        and thickness <= product.max_thickness_mm + _EPS
    ]


def _one_list_unfit(data: PostageData, fmt: EnvelopeFormat, sheets: int, paper: float) -> str:
    """Say why a single list fits no product, and what to change."""
    grams, thickness = _weigh(data, fmt, sheets, paper)
    capped = fmt.max_sheets is not None and sheets > fmt.max_sheets
    problem = (
        f"one list has {sheets} sheets but a {fmt.code} envelope holds at most {fmt.max_sheets}"
        if capped
        else f"one list ({sheets} sheets, about {grams:.0f} g, {thickness:.1f} mm thick) is too "
        f"heavy or too thick for every Deutsche Post letter product in a {fmt.code} envelope"
    )
    other = next(
        (f for f in data.formats if f.code != fmt.code and _products_for(data, f, sheets, paper)),
        None,
    )
    if other is not None:
        change = f"use a {other.code} envelope or fewer sheets per list"
    elif capped:
        change = (
            f"use fewer sheets per list, or raise max_sheets of {fmt.code} in {data.source} "
            "if your envelopes hold more"
        )
    else:
        change = "use fewer sheets per list or lighter paper"
    return f"{problem} - {change}"


# --- reading postage.json ---------------------------------------------------------------------

_INFO_KEYS = frozenset({"notes", "status", "source"})  # for people; any "_key" is too


def _load(path: Path, shown: str) -> PostageData:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    except json.JSONDecodeError as err:
        raise InputError(
            f"{shown}: not valid JSON ({err.msg} at line {err.lineno}, column {err.colno}) - "
            "fix it there"
        ) from err
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"{shown}: cannot read the postage data ({err})") from err
    top = _Reader(raw, shown, "")
    products = tuple(_product(item) for item in top.items("products"))
    codes = _unique([p.code for p in products], top, "products", "code")
    tables = tuple(_price_table(item, codes) for item in top.items("price_tables"))
    for index in range(1, len(tables)):
        if tables[index].valid_from <= tables[index - 1].valid_to:
            raise top.fail(
                f"price_tables[{index}].valid_from",
                "must come after the previous period's valid_to - list the periods in date "
                "order, without overlaps",
            )
    formats = tuple(_envelope_format(item) for item in top.items("envelope_formats"))
    _unique([f.code.casefold() for f in formats], top, "envelope_formats", "code")
    paper = top.section("paper")
    transit = top.section("transit")
    data = PostageData(
        products=products,
        tables=tables,
        formats=formats,
        grams_per_sheet=paper.number("grams_per_sheet", positive=True),
        mm_per_layer=paper.number("mm_per_layer", positive=True),
        weight_margin_grams=top.number("weight_margin_grams"),
        transit_days=transit.integer("plan_days"),
        source=shown,
    )
    paper.check_unknown({"grammage_gsm"})
    transit.check_unknown({"destination", "typical_days"})
    top.check_unknown({"products_status", "products_source", "weight_margin_notes"})
    return data


def _product(item: _Reader) -> Product:
    product = Product(
        code=item.text("code"),
        name=item.text("name"),
        max_grams=item.number("max_grams", positive=True),
        max_length_mm=item.number("max_length_mm", positive=True),
        max_width_mm=item.number("max_width_mm", positive=True),
        max_thickness_mm=item.number("max_thickness_mm", positive=True),
        min_length_mm=item.number("min_length_mm", optional=True),
        min_width_mm=item.number("min_width_mm", optional=True),
        min_aspect=item.number("min_aspect", optional=True),
    )
    item.check_unknown({"ppl_id"})
    return product


def _price_table(item: _Reader, codes: list[str]) -> PriceTable:
    valid_from, valid_to = item.date("valid_from"), item.date("valid_to")
    if valid_to < valid_from:
        raise item.fail("valid_to", "must not be before valid_from")
    status = item.text("status")
    if status not in ("verified", "secondary", "unverified"):
        raise item.fail("status", "must be one of verified, secondary, unverified")
    prices_in = item.section("prices_eur")
    prices = {code: prices_in.money(code) for code in codes}
    prices_in.check_unknown(set(), info=False, hint="name a product code from 'products'")
    table = PriceTable(valid_from, valid_to, status, item.text("source"), prices)
    item.check_unknown(set())
    return table


def _envelope_format(item: _Reader) -> EnvelopeFormat:
    length, width = item.number("length_mm", positive=True), item.number("width_mm", positive=True)
    if width > length:
        raise item.fail("width_mm", "must not exceed length_mm (give the longer side as length)")
    fmt = EnvelopeFormat(
        code=item.text("code"),
        length_mm=length,
        width_mm=width,
        grams=item.number("grams"),
        layers_per_sheet=item.integer("layers_per_sheet"),
        max_sheets=item.optional_integer("max_sheets"),
    )
    item.check_unknown({"grams_range", "fold"})
    return fmt


def _unique(values: list[str], top: _Reader, array: str, key: str) -> list[str]:
    for index, value in enumerate(values):
        if value in values[:index]:
            raise top.fail(f"{array}[{index}].{key}", f"repeats '{value}' - codes must be unique")
    return values


class _Reader(KeyReader):
    """Take typed values out of one JSON object, naming the file and key in every problem."""

    error = InputError

    def __init__(self, value: Any, shown: str, where: str = "") -> None:
        if not isinstance(value, dict):
            raise InputError(f"{shown}: key '{where or '(top level)'}' must be an object {{...}}")
        super().__init__(value, shown, where)

    def number(self, key: str, *, positive: bool = False, optional: bool = False) -> float:
        if optional and key not in self.data:
            self.used.add(key)
            return 0.0
        value = self.raw(key, "a number")
        if not _is_number(value) or value < 0 or (positive and value == 0):
            sign = "positive" if positive else "zero or positive"
            raise self.fail(key, f"must be a {sign} number (found {found(value)})")
        return float(value)

    def integer(self, key: str) -> int:
        value = self.raw(key, "a whole number")
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise self.fail(key, f"must be a whole number of at least 1 (found {found(value)})")
        return value

    def optional_integer(self, key: str) -> int | None:
        if self.data.get(key) is None:
            self.used.add(key)
            return None
        return self.integer(key)

    def money(self, key: str) -> Decimal:
        value = self.raw(key, "a price in EUR like 1.25")
        if not _is_number(value) or value < 0 or Decimal(value) != Decimal(value).quantize(CENT):
            raise self.fail(key, f"must be a price in EUR like 1.25 (found {found(value)})")
        return Decimal(value).quantize(CENT)

    def date(self, key: str) -> date:
        value = self.raw(key, "a date like 2025-01-01")
        try:
            return date.fromisoformat(value)
        except (TypeError, ValueError) as err:
            raise self.fail(key, f"must be a date like 2025-01-01 (found {found(value)})") from err

    def section(self, key: str) -> _Reader:
        return self.child(self.raw(key, "an object {...}"), key)

    def items(self, key: str) -> list[_Reader]:
        value = self.raw(key, "a list [...] of objects")
        if not isinstance(value, list) or not value:
            raise self.fail(key, f"must be a non-empty list [...] (found {found(value)})")
        return [_Reader(item, self.shown, f"{self.path(key)}[{i}]") for i, item in enumerate(value)]

    def check_unknown(
        self, extra: set[str], *, info: bool = True, hint: str = "check its spelling"
    ) -> None:
        """Reject keys nobody reads, so that a misspelt limit is not silently ignored."""
        known = self.used | extra | (_INFO_KEYS if info else set())
        for key in self.data:
            if key not in known and not (info and key.startswith("_")):
                raise self.fail(key, f"is unknown - {hint}")


def _is_number(value: Any) -> bool:
    if isinstance(value, Decimal):
        return value.is_finite()
    return isinstance(value, int) and not isinstance(value, bool)
