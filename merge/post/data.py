"""The postage data (``merge/data/postage.json``): services, products, dated prices, paper,
transit.

A letter within Germany goes as one of Deutsche Post's national products, a letter abroad as
Brief International: each is a service with its own products and price periods, and the
addressee's country picks it. Limits, prices and weights are data, dated by price period,
because Deutsche Post changes them and the cheapest packing depends on them. The envelope
formats the plan packs into come from ``merge/data/envelopes.json``
(:mod:`merge.post.envelope_formats`). Every problem in a file is one line naming the file and
the key.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from types import MappingProxyType

from merge.data import DataReader, bundled, is_number
from merge.i18n import _
from merge.i18n.conventions import format_date
from merge.post.envelope_formats import EnvelopeData, EnvelopeFormat, load_envelope_data
from merge.settings import found

BUNDLED = bundled("postage.json")
BUNDLED_SHOWN = "merge/data/postage.json"  # how messages name the bundled file
CENT = Decimal("0.01")
ANY_COUNTRY = "*"  # in a service's countries: every country no other service lists
_ISO = re.compile(r"[A-Z]{2}")


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
    status: str  # verified, secondary or unverified; "own" for a period of porto.toml
    source: str
    prices: Mapping[str, Decimal]  # product code -> EUR; read-only, as the table is frozen

    def __post_init__(self) -> None:
        object.__setattr__(self, "prices", MappingProxyType(dict(self.prices)))

    def __reduce__(self) -> tuple[type[PriceTable], tuple[object, ...]]:
        # A mapping proxy cannot be pickled (the benchmark keeps a plan between processes).
        fields = (self.valid_from, self.valid_to, self.status, self.source, dict(self.prices))
        return (PriceTable, fields)

    @property
    def name(self) -> str:
        """Return "2026" for a calendar year, else "2025-01-01 to 2026-06-30" (the dates as
        the run's language writes them)."""
        year = self.valid_from.year
        if (self.valid_from, self.valid_to) == (date(year, 1, 1), date(year, 12, 31)):
            return str(year)
        return _("{start} to {end}").format(
            start=format_date(self.valid_from), end=format_date(self.valid_to)
        )


@dataclass(frozen=True)
class Service:
    """A range of Deutsche Post letter products for some countries, with its price periods."""

    code: str  # "national", "international"
    name: str  # as the post office sheet names it: "Briefe in Deutschland"
    countries: tuple[str, ...]  # ISO 3166 codes; "*": every country no other service lists
    products: tuple[Product, ...]
    tables: tuple[PriceTable, ...]  # bundled, by date, not overlapping
    own_tables: tuple[PriceTable, ...] = ()  # the working folder's porto.toml: these come first


@dataclass(frozen=True)
class PostageData:
    """Everything ``postage.json`` holds, checked, and the envelope formats to pack into."""

    services: tuple[Service, ...]
    envelopes: EnvelopeData
    grams_per_sheet: float
    mm_per_layer: float
    weight_margin_grams: float  # kept free below every weight limit
    transit: Mapping[str, int]  # destination (ISO code, or "*": any other) -> days to plan
    source: str  # the file, as messages name it

    def __post_init__(self) -> None:
        object.__setattr__(self, "transit", MappingProxyType(dict(self.transit)))

    def transit_days_for(self, country: str | None) -> int:
        """Return the days a letter from Germany to ``country`` is planned to take; None:
        abroad, somewhere."""
        if country is not None and country.upper() in self.transit:
            return self.transit[country.upper()]
        return self.transit[ANY_COUNTRY]


def load_postage(path: Path | None = None, envelopes: EnvelopeData | None = None) -> PostageData:
    """Read and check postage data, by default the bundled ``merge/data/postage.json``.

    The envelope formats are the bundled ones unless ``envelopes`` are given.
    """
    if path is None and envelopes is None:
        return bundled_postage()
    shown = BUNDLED_SHOWN if path is None else str(path)
    return _load(path or BUNDLED, shown, envelopes or load_envelope_data())


@cache
def bundled_postage() -> PostageData:
    return _load(BUNDLED, BUNDLED_SHOWN, load_envelope_data())


def service_for(data: PostageData, country: str | None) -> Service:
    """Return the service a letter to ``country`` (ISO code) goes as; None: abroad.

    A service listing the country wins over the one for every other country ("*").
    """
    if country is not None:
        for service in data.services:
            if country.upper() in service.countries:
                return service
    return next(service for service in data.services if ANY_COUNTRY in service.countries)


def _load(path: Path, shown: str, envelopes: EnvelopeData) -> PostageData:
    top = _Reader.open(path, shown, _("postage data"))
    services = tuple(_service(item) for item in top.items("services"))
    top.unique("services", "code", [service.code for service in services])
    countries = [country for service in services for country in service.countries]
    for index, service in enumerate(services):
        for country in service.countries:
            if countries.count(country) > 1:
                raise top.fail(
                    f"services[{index}].countries",
                    _(
                        "{file}: key '{key}' lists '{country}', which another service lists "
                        "too - name each country in one service"
                    ),
                    country=country,
                )
    if ANY_COUNTRY not in countries:
        raise top.fail(
            "services",
            _("{file}: key '{key}' needs one service for every other country, '{any}'"),
            any=ANY_COUNTRY,
        )
    paper = top.section("paper")
    transit = _transit(top)
    data = PostageData(
        services=services,
        envelopes=envelopes,
        grams_per_sheet=paper.number("grams_per_sheet", positive=True),
        mm_per_layer=paper.number("mm_per_layer", positive=True),
        weight_margin_grams=top.number("weight_margin_grams"),
        transit=transit,
        source=shown,
    )
    paper.check_unknown({"grammage_gsm"})
    top.check_unknown({"weight_margin_notes"})
    return data


def _transit(top: _Reader) -> dict[str, int]:
    """Return the days to plan per destination; '*' (every other country) must be there."""
    days: dict[str, int] = {}
    for index, item in enumerate(top.items("transit")):
        [destination] = item.countries("destination", one=True)
        if destination in days:
            raise top.fail(
                f"transit[{index}].destination",
                _("{file}: key '{key}' repeats '{value}' - codes must be unique"),
                value=destination,
            )
        days[destination] = item.integer("plan_days")
        item.check_unknown({"typical_days"})
    if ANY_COUNTRY not in days:
        raise top.fail(
            "transit",
            _("{file}: key '{key}' needs an entry for every other country, destination '{any}'"),
            any=ANY_COUNTRY,
        )
    return days


def _service(item: _Reader) -> Service:
    code, name = item.text("code"), item.text("name")
    countries = item.countries("countries")
    products = tuple(_product(product) for product in item.items("products"))
    codes = item.unique("products", "code", [p.code for p in products])
    tables = tuple(_price_table(table, codes) for table in item.items("price_tables"))
    for index in range(1, len(tables)):
        if tables[index].valid_from <= tables[index - 1].valid_to:
            raise item.fail(
                f"price_tables[{index}].valid_from",
                _(
                    "{file}: key '{key}' must come after the previous period's valid_to - list "
                    "the periods in date order, without overlaps"
                ),
            )
    item.check_unknown({"products_status", "products_source"})
    return Service(code, name, countries, products, tables)


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
        raise item.fail("valid_to", _("{file}: key '{key}' must not be before valid_from"))
    status = item.text("status")
    if status not in ("verified", "secondary", "unverified"):
        raise item.fail(
            "status", _("{file}: key '{key}' must be one of verified, secondary, unverified")
        )
    prices_in = item.section("prices_eur")
    prices = {code: prices_in.money(code) for code in codes}
    prices_in.check_unknown(set(), info=False, codes="products")
    table = PriceTable(valid_from, valid_to, status, item.text("source"), prices)
    item.check_unknown(set())
    return table


class _Reader(DataReader):
    """Take prices, dates and countries out of ``postage.json``, too."""

    def countries(self, key: str, one: bool = False) -> tuple[str, ...]:
        """Return a list of ISO codes (or "*"); with ``one``, a single code as text."""
        if one:
            value = self.raw(key, _('a country code like "DE", or "*"'))
            if not (isinstance(value, str) and (value == ANY_COUNTRY or _ISO.fullmatch(value))):
                raise self.fail(
                    key,
                    _(
                        "{file}: key '{key}' must be a two-letter country code like \"DE\", or "
                        '"{any}" for every other country (found {found})'
                    ),
                    any=ANY_COUNTRY,
                    found=found(value),
                )
            return (value,)
        value = self.raw(key, _('a list of country codes like ["DE"], or ["*"]'))
        if not (
            isinstance(value, list)
            and value
            and all(isinstance(v, str) and (v == ANY_COUNTRY or _ISO.fullmatch(v)) for v in value)
        ):
            raise self.fail(
                key,
                _(
                    "{file}: key '{key}' must be a list of two-letter country codes like "
                    '["DE"], or ["{any}"] for every other country (found {found})'
                ),
                any=ANY_COUNTRY,
                found=found(value),
            )
        return tuple(value)

    def money(self, key: str) -> Decimal:
        value = self.raw(key, _("a price in EUR like 1.25"))
        if not is_number(value) or value < 0 or Decimal(value) != Decimal(value).quantize(CENT):
            raise self.fail(
                key,
                _("{file}: key '{key}' must be a price in EUR like 1.25 (found {found})"),
                found=found(value),
            )
        return Decimal(value).quantize(CENT)

    def date(self, key: str) -> date:
        value = self.raw(key, _("a date like 2025-01-01"))
        try:
            return date.fromisoformat(value)
        except (TypeError, ValueError) as err:
            raise self.fail(
                key,
                _("{file}: key '{key}' must be a date like 2025-01-01 (found {found})"),
                found=found(value),
            ) from err
