"""Lists -> letters: the postage choice, each letter with its Deutsche Post product and price.

The addressee's country picks the service (national products within Germany, Brief
International abroad). The lists are packed, in order, so that the total postage is lowest:
from 2025 one Großbrief International (3.30) is cheaper than two Kompaktbriefe (3.60), before
that two Kompaktbriefe (3.40) beat one Großbrief (3.70). So the packing is optimised against
the price table, never hard-coded.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from merge.errors import InputError, UsageError
from merge.i18n import _, ngettext
from merge.i18n.conventions import format_number
from merge.post.data import CENT, PostageData, PriceTable, Product, bundled_postage, service_for
from merge.post.envelope_formats import AUTO, EnvelopeData, EnvelopeFormat
from merge.post.money import format_eur
from merge.post.prices import price_table_for

_EPS = 1e-9  # float slack so that a weight of exactly the limit still counts as within it


@dataclass(frozen=True)
class Letter:
    """One planned letter: which lists go in, what it weighs and which stamp it needs."""

    number: int
    lists: tuple[int, ...]
    sheets: int
    grams: float
    product: str  # product code
    product_name: str
    price_eur: Decimal
    thickness_mm: float


@dataclass(frozen=True)
class FormatCost:
    """What the same lists cost in envelopes of one format."""

    code: str  # the envelope format
    envelopes: int
    total_eur: Decimal


@dataclass(frozen=True)
class PostagePlan:
    """All envelopes of a batch, their total price and the stamps to buy."""

    envelopes: tuple[Letter, ...]
    table: PriceTable
    envelope_format: EnvelopeFormat
    total_eur: Decimal
    stamps: tuple[tuple[Decimal, int], ...]  # (stamp value, count), highest value first
    warnings: tuple[str, ...]
    service: str = "international"  # the Deutsche Post service the letters go as
    service_name: str = "Brief International"
    address_sheets: int = 0  # in every envelope beside the lists: a window envelope's 1
    formats: tuple[FormatCost, ...] = ()  # the same lists in every format they fit
    cheaper: FormatCost | None = None  # the format that would cost least, if not this one
    auto: bool = False  # the format was picked as the cheapest (envelope "auto")
    # One stable English code per warning, for scripts: no-prices-for-day, prices-unverified,
    # weights-estimated (the warnings themselves are in the run's language).
    warning_codes: tuple[str, ...] = ()


def plan_envelopes(
    lists: Sequence[int],
    *,
    mail_date: date,
    envelope: str | None = None,
    paper_grams_per_sheet: float | None = None,
    envelope_grams: float | None = None,
    per_envelope: int | None = None,
    sheets_per_list: int = 1,
    address_sheets: int = 0,
    country: str | None = None,
    data: PostageData | None = None,
) -> PostagePlan:
    """Pack the lists, in order, into envelopes so that the total postage is lowest.

    Each envelope holds a run of consecutive lists and gets the cheapest product whose weight,
    size and thickness limits it keeps. Because every envelope of k lists weighs the same,
    the cheapest product per k is known up front and a dynamic programme over prefixes finds
    the exact optimum; of equally cheap plans it takes the one with fewer envelopes, then the
    one that fills earlier envelopes first. ``envelope`` is a format's code; None takes the
    default format of the envelope data; "auto" the format that costs least (of equal cost
    the smaller envelope). The same lists are packed into every other format too, so that the
    plan can say when one would be cheaper (``formats``, ``cheaper``).
    ``address_sheets`` go into every envelope beside the lists (the A4 address sheet of a
    window envelope): counted in its sheets, grams, thickness and capacity like a list.
    ``country`` is the addressee's (ISO code): it picks the products and prices; None means
    abroad.
    """
    if data is None:
        data = bundled_postage()
    auto = envelope is not None and envelope.strip().casefold() == AUTO
    if auto and envelope_grams is not None:
        raise UsageError(
            _(
                "the weight of an empty envelope is that of one format - give the format with "
                "it (one of {codes}), not '{auto}'"
            ).format(codes=", ".join(data.envelopes.codes), auto=AUTO)
        )
    chosen = data.envelopes.default if auto else data.envelopes.by_code(envelope)
    if envelope_grams is not None:
        if not envelope_grams >= 0:  # also refuses NaN
            raise UsageError(
                _("envelope weight must be 0 g or more (got {grams})").format(
                    grams=_shown_grams(envelope_grams)
                )
            )
        chosen = replace(chosen, grams=float(envelope_grams))
    paper = data.grams_per_sheet
    if paper_grams_per_sheet is not None:
        if not paper_grams_per_sheet > 0:
            raise UsageError(
                _("paper weight per sheet must be more than 0 g (got {grams})").format(
                    grams=_shown_grams(paper_grams_per_sheet)
                )
            )
        paper = float(paper_grams_per_sheet)
    if sheets_per_list < 1:
        raise UsageError(
            _("sheets per list must be at least 1 (got {count})").format(count=sheets_per_list)
        )
    if per_envelope is not None and per_envelope < 1:
        raise UsageError(
            _("lists per envelope must be at least 1 (got {count})").format(count=per_envelope)
        )
    if address_sheets < 0:
        raise UsageError(
            _("address sheets per envelope must be 0 or more (got {count})").format(
                count=address_sheets
            )
        )
    service = service_for(data, country)
    table, period_warning = price_table_for(data, mail_date, service)
    packer = _Packer(
        data=data,
        products=service.products,
        table=table,
        count=len(lists),
        paper=paper,
        sheets_per_list=sheets_per_list,
        address_sheets=address_sheets,
        per_envelope=per_envelope,
    )
    # The same lists in every format, so that the plan can say when another is cheaper.
    packings: dict[str, _Packing] = {}
    for fmt in data.envelopes.formats:
        mine = fmt.code == chosen.code and not auto
        try:
            packings[fmt.code] = packer.pack(chosen if mine else fmt)
        except InputError:
            if mine:
                raise  # what is wrong with the format asked for
    costs = tuple(FormatCost(code, len(p.sizes), p.total) for code, p in packings.items())
    if auto:
        best = _cheapest(costs, data.envelopes)
        if best is None:
            packer.pack(chosen)  # the lists fit no format: say what is wrong with the default
        assert best is not None
        chosen = data.envelopes.by_code(best.code)
    packing = packings[chosen.code]

    envelopes = packer.letters(chosen, packing, lists)
    counts = Counter(env.price_eur for env in envelopes)
    warnings = [] if period_warning is None else [period_warning]
    codes = [] if period_warning is None else [_period_code(table, mail_date)]
    warnings.append(
        _(
            "Envelope weights are estimates ({code} envelope {grams} g, {paper} g per sheet): "
            "weigh one filled envelope before buying stamps."
        ).format(code=chosen.code, grams=_shown_grams(chosen.grams), paper=_shown_grams(paper))
    )
    codes.append("weights-estimated")
    return PostagePlan(
        envelopes=tuple(envelopes),
        table=table,
        envelope_format=chosen,
        total_eur=packing.total,
        stamps=tuple(sorted(counts.items(), reverse=True)),
        warnings=tuple(warnings),
        service=service.code,
        service_name=service.name,
        address_sheets=address_sheets,
        formats=costs,
        cheaper=_cheapest(
            [cost for cost in costs if cost.total_eur < packing.total], data.envelopes
        ),
        auto=auto,
        warning_codes=tuple(codes),
    )


def _period_code(table: PriceTable, mail_date: date) -> str:
    """Return the code of the warning about the prices used for ``mail_date``."""
    if table.valid_from <= mail_date <= table.valid_to:
        return "prices-unverified"
    return "no-prices-for-day"


def cheaper_advice(plan: PostagePlan) -> str | None:
    """Say which envelope format would cost less for the same lists, e.g. "C5 would cost 3,30 €
    instead of 5,40 € (1 envelope instead of 3) - next time: petition-merge run --envelope C5";
    None if none would. It says what to do, not only the option, as the post-office sheet does."""
    other = plan.cheaper
    if other is None:
        return None
    return ngettext(
        "{code} would cost {cost} instead of {total} ({n} envelope instead of {count}) - "
        "next time: petition-merge run --envelope {code}",
        "{code} would cost {cost} instead of {total} ({n} envelopes instead of {count}) - "
        "next time: petition-merge run --envelope {code}",
        other.envelopes,
    ).format(
        code=other.code,
        cost=format_eur(other.total_eur),
        total=format_eur(plan.total_eur),
        n=other.envelopes,
        count=len(plan.envelopes),
    )


def _cheapest(costs: Sequence[FormatCost], envelopes: EnvelopeData) -> FormatCost | None:
    """Return the format that costs least; of equal cost the smaller envelope; None if none."""

    def area(cost: FormatCost) -> float:
        fmt = envelopes.by_code(cost.code)
        return fmt.length_mm * fmt.width_mm

    return min(costs, key=lambda cost: (cost.total_eur, area(cost)), default=None)


@dataclass(frozen=True)
class _Packing:
    """The cheapest packing of the lists into one format: products by size, sizes in order."""

    cheapest: tuple[Product, ...]  # [k - 1]: the product for an envelope of k lists
    sizes: tuple[int, ...]
    total: Decimal


@dataclass(frozen=True)
class _Packer:
    """Everything a packing depends on but the envelope format."""

    data: PostageData
    products: tuple[Product, ...]
    table: PriceTable
    count: int  # lists
    paper: float  # grams per sheet
    sheets_per_list: int
    address_sheets: int
    per_envelope: int | None

    def pack(self, fmt: EnvelopeFormat) -> _Packing:
        """Return the cheapest packing into ``fmt``; InputError if a list fits no product."""
        products = self.products
        if not any(product.takes(fmt) for product in products):
            formats = self.data.envelopes.formats
            fitting = ", ".join(f.code for f in formats if any(p.takes(f) for p in products))
            raise InputError(
                _(
                    "envelope format {code} ({length} x {width} mm) fits no Deutsche Post letter "
                    "product - use one of {codes}"
                ).format(
                    code=fmt.code,
                    length=f"{fmt.length_mm:g}",
                    width=f"{fmt.width_mm:g}",
                    codes=fitting or _("(none)"),
                )
            )
        # cheapest[k - 1]: the product for an envelope of k lists; fits only shrink as k grows.
        cheapest: list[Product] = []
        most = self.count if self.per_envelope is None else min(self.count, self.per_envelope)
        while len(cheapest) < most:
            fits = _products_for(
                self.data, products, fmt, self._sheets(len(cheapest) + 1), self.paper
            )
            if not fits:
                break
            cheapest.append(min(fits, key=lambda product: self.table.prices[product.code]))
        if self.count and not cheapest:
            raise InputError(
                _one_list_unfit(
                    self.data, products, fmt, self.sheets_per_list, self.address_sheets, self.paper
                )
            )
        prices = [self.table.prices[product.code] for product in cheapest]
        sizes = _cheapest_split(self.count, prices)
        total = sum((prices[size - 1] for size in sizes), Decimal("0.00"))
        return _Packing(tuple(cheapest), tuple(sizes), total)

    def letters(self, fmt: EnvelopeFormat, packing: _Packing, lists: Sequence[int]) -> list[Letter]:
        """Return the letters of a packing, numbered 1, 2, ..."""
        envelopes: list[Letter] = []
        start = 0
        for number, size in enumerate(packing.sizes, start=1):
            sheets = self._sheets(size)
            grams, thickness = _weigh(self.data, fmt, sheets, self.paper)
            product = packing.cheapest[size - 1]
            envelopes.append(
                Letter(
                    number=number,
                    lists=tuple(lists[start : start + size]),
                    sheets=sheets,
                    grams=round(grams, 2),
                    product=product.code,
                    product_name=product.name,
                    price_eur=self.table.prices[product.code],
                    thickness_mm=round(thickness, 2),
                )
            )
            start += size
        return envelopes

    def _sheets(self, lists: int) -> int:
        return lists * self.sheets_per_list + self.address_sheets


def _cheapest_split(count: int, costs: Sequence[Decimal]) -> list[int]:
    """Return the envelope sizes, in order, that cost least when k lists cost ``costs[k - 1]``.

    best[end] is the cheapest (cents, envelopes) for the first ``end`` lists, ``last[end]``
    the size of its last envelope; of equal scores the smallest last envelope wins, so that
    earlier envelopes are the fuller ones. The sizes of one price form a few runs (a product
    takes up to its capacity), so each run is a sliding window over best[] whose minimum a
    monotonic deque keeps: O(count x runs) rather than O(count x sizes), which lets a plan
    compare every envelope format at no noticeable cost. Every prefix is reachable because
    costs[0] exists.
    """
    runs = _price_runs([int(cost * 100) for cost in costs])
    best: list[tuple[int, int]] = [(0, 0)]
    last: list[int] = [0]
    windows: list[deque[int]] = [deque() for _run in runs]  # prefix ends, best score in front
    for end in range(1, count + 1):
        choice: tuple[tuple[int, int], int] | None = None
        for (low, high, cents), window in zip(runs, windows, strict=True):
            if end - low >= 0:  # the prefix end - low enters this run's window
                entering = end - low
                while window and best[window[-1]] >= best[entering]:
                    window.pop()  # of equal scores the latest end stays: the smaller envelope
                window.append(entering)
            while window and window[0] < end - high:
                window.popleft()
            if window:
                start = window[0]
                cost, envelopes = best[start]
                option = ((cost + cents, envelopes + 1), end - start)
                if choice is None or option < choice:
                    choice = option
        assert choice is not None  # runs[0] starts at size 1
        best.append(choice[0])
        last.append(choice[1])
    sizes: list[int] = []
    end = count
    while end:
        sizes.append(last[end])
        end -= last[end]
    return sizes[::-1]


def _price_runs(cents: Sequence[int]) -> list[tuple[int, int, int]]:
    """Return (smallest size, largest size, cents) of each run of sizes with the same price."""
    runs: list[tuple[int, int, int]] = []
    for size, price in enumerate(cents, start=1):
        if runs and runs[-1][2] == price:
            runs[-1] = (runs[-1][0], size, price)
        else:
            runs.append((size, size, price))
    return runs


def plan_as_json(plan: PostagePlan) -> dict[str, Any]:
    """Return the plan as plain JSON data for the batch manifest, amounts in EUR to the cent."""
    return {
        "service": plan.service,
        "envelope_format": plan.envelope_format.code,
        "envelope_auto": plan.auto,
        "address_sheets_per_envelope": plan.address_sheets,
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
        "formats": [
            {"envelope_format": c.code, "envelopes": c.envelopes, "cost_eur": _eur(c.total_eur)}
            for c in plan.formats
        ],
        "cheaper": None
        if plan.cheaper is None
        else {
            "envelope_format": plan.cheaper.code,
            "envelopes": plan.cheaper.envelopes,
            "cost_eur": _eur(plan.cheaper.total_eur),
            "advice": cheaper_advice(plan),
        },
        "warnings": list(plan.warnings),
        "warning_codes": list(plan.warning_codes),
    }


def _eur(amount: Decimal) -> float:
    return float(amount.quantize(CENT))


def _shown_grams(value: float) -> str:
    """Return grams as the run's language writes them: 2,5 (German) or 2.5."""
    return format_number(Decimal(f"{value:g}")) if value == value else f"{value:g}"


def _weigh(
    data: PostageData, fmt: EnvelopeFormat, sheets: int, paper: float
) -> tuple[float, float]:
    """Return the grams and millimetres of a filled envelope."""
    return fmt.grams + sheets * paper, sheets * fmt.layers_per_sheet * data.mm_per_layer


def _products_for(
    data: PostageData,
    products: Sequence[Product],
    fmt: EnvelopeFormat,
    sheets: int,
    paper: float,
) -> list[Product]:
    """Return the products an envelope of this format holding that many sheets may go as."""
    if fmt.max_sheets is not None and sheets > fmt.max_sheets:
        return []
    grams, thickness = _weigh(data, fmt, sheets, paper)
    return [
        product
        for product in products
        if product.takes(fmt)
        and grams + data.weight_margin_grams <= product.max_grams + _EPS
        and thickness <= product.max_thickness_mm + _EPS
    ]


def _one_list_unfit(
    data: PostageData,
    products: Sequence[Product],
    fmt: EnvelopeFormat,
    list_sheets: int,
    address_sheets: int,
    paper: float,
) -> str:
    """Say why a single list fits no product, and what to change."""
    sheets = list_sheets + address_sheets
    grams, thickness = _weigh(data, fmt, sheets, paper)
    capped = fmt.max_sheets is not None and sheets > fmt.max_sheets
    if capped:
        problem = (
            _(
                "one list with the address sheet has {sheets} sheets but a {code} envelope holds "
                "at most {most}"
            )
            if address_sheets
            else _("one list has {sheets} sheets but a {code} envelope holds at most {most}")
        ).format(sheets=sheets, code=fmt.code, most=fmt.max_sheets)
    else:
        problem = (
            _(
                "one list with the address sheet ({sheets} sheets, about {grams} g, {thickness} mm "
                "thick) is too heavy or too thick for every Deutsche Post letter product in a "
                "{code} envelope"
            )
            if address_sheets
            else _(
                "one list ({sheets} sheets, about {grams} g, {thickness} mm thick) is too heavy "
                "or too thick for every Deutsche Post letter product in a {code} envelope"
            )
        ).format(
            sheets=sheets,
            grams=f"{grams:.0f}",
            thickness=format_number(Decimal(f"{thickness:.1f}")),
            code=fmt.code,
        )
    formats = data.envelopes.formats
    other = next(
        (
            f
            for f in formats
            if f.code != fmt.code and _products_for(data, products, f, sheets, paper)
        ),
        None,
    )
    if other is not None:
        return _("{problem} - use a {code} envelope or fewer sheets per list").format(
            problem=problem, code=other.code
        )
    if capped:
        return _(
            "{problem} - use fewer sheets per list, or raise max_sheets of {code} in {file} if "
            "your envelopes hold more"
        ).format(problem=problem, code=fmt.code, file=data.envelopes.source)
    return _("{problem} - use fewer sheets per list or lighter paper").format(problem=problem)
