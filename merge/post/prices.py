"""The prices in force on a day: the working folder's ``porto.toml`` first, then the bundled.

Deutsche Post changes its prices every year or two, and the bundled tables end with the last
period anyone could check. So that nobody has to edit ``merge/data/postage.json`` inside the
installation, a volunteer puts a new period (or a correction) into ``porto.toml`` in the
folder where petition-merge runs; its ``[laufzeit]`` table changes the days a letter is
planned to travel. A day without any period gets the nearest one and a warning that shows the
entry to write. Every mistake in the file is one line naming the table and the key.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from merge.errors import InputError
from merge.i18n import N_, _
from merge.i18n.conventions import date_of, example_date, format_date, format_number
from merge.lists.country import find_country
from merge.post.data import (
    ANY_COUNTRY,
    CENT,
    PostageData,
    PriceTable,
    Service,
    bundled_postage,
    service_for,
)
from merge.settings import found
from merge.toml_file import read_toml

FILE_NAME = "porto.toml"
OWN_STATUS = "own"  # the status of a period from porto.toml
_PERIOD_KEYS = ("versand", "gueltig_ab", "gueltig_bis", "quelle")
_HOW = N_('see "Prices petition-merge does not know yet" in the README')


def folder_postage(cwd: Path, data: PostageData | None = None) -> PostageData:
    """Return the postage data with what ``cwd/porto.toml`` adds, if there is such a file."""
    data = data or bundled_postage()
    path = cwd / FILE_NAME
    if not path.is_file():
        return data
    return read_own_prices(path, FILE_NAME, data)


def read_own_prices(path: Path, shown: str, data: PostageData) -> PostageData:
    """Return ``data`` with the periods and transit days of the prices file at ``path``."""
    raw = read_toml(path, shown, InputError, parse_float=Decimal)
    for key in raw:
        if key not in ("preise", "laufzeit"):
            raise InputError(
                _(
                    '{file}: "{key}" is unknown - the file holds [[preise]] tables and one '
                    "[laufzeit] table ({how})"
                ).format(file=shown, key=key, how=_(_HOW))
            )
    periods = raw.get("preise", [])
    if not isinstance(periods, list) or not all(isinstance(p, dict) for p in periods):
        raise InputError(
            _("{file}: write each price period as a table under a line [[preise]]").format(
                file=shown
            )
        )
    own: dict[str, list[tuple[int, PriceTable]]] = {service.code: [] for service in data.services}
    for number, period in enumerate(periods, start=1):
        service, table = _period(f"{shown} [[preise]] {number}", period, data)
        for other_number, other in own[service.code]:
            if table.valid_from <= other.valid_to and other.valid_from <= table.valid_to:
                raise InputError(
                    _(
                        "{where}: {period} overlaps [[preise]] {other} ({service}) - give each "
                        "day one period"
                    ).format(
                        where=f"{shown} [[preise]] {number}",
                        period=table.name,
                        other=other_number,
                        service=service.code,
                    )
                )
        own[service.code].append((number, table))
    services = tuple(
        replace(s, own_tables=tuple(sorted((t for _number, t in own[s.code]), key=_start)))
        for s in data.services
    )
    transit = dict(data.transit)
    transit.update(_transit(f"{shown} [laufzeit]", raw.get("laufzeit", {})))
    return replace(data, services=services, transit=transit)


def price_table_for(
    data: PostageData, mail_date: date, service: Service | None = None
) -> tuple[PriceTable, str | None]:
    """Return the service's price table in force on ``mail_date`` and a warning, if any.

    A period of porto.toml wins over a bundled one. Outside every known period the nearest
    table is used, so that a plan can still be made, but the warning says so and shows the
    porto.toml entry to write; so does a bundled period whose prices are unverified. Without
    ``service``: Brief International.
    """
    if service is None:
        service = service_for(data, None)
    tables = (*service.own_tables, *service.tables)
    for table in tables:
        if table.valid_from <= mail_date <= table.valid_to:
            if table.status == "unverified":
                return table, _(
                    "the Deutsche Post prices ({service}) for {period} are unverified (inferred, "
                    "not read in a Deutsche Post price list) - check them; if they differ, put "
                    "the right ones into {file} in the folder you run petition-merge in (create "
                    "it if it is not there), for example:\n{entry}"
                ).format(
                    service=service.name,
                    period=table.name,
                    file=FILE_NAME,
                    entry=_indented(service, (table.valid_from, table.valid_to), table),
                )
            return table, None
    nearest = min(
        tables,
        key=lambda table: (_days_apart(table, mail_date), -table.valid_from.toordinal()),
    )
    year = (date(mail_date.year, 1, 1), date(mail_date.year, 12, 31))
    message = (
        _(
            "no known Deutsche Post prices ({service}) for {day}; using the {period} prices "
            "(unverified themselves) - check them, and put the prices of {year} into {file} in "
            "the folder you run petition-merge in (create it if it is not there), for "
            "example:\n{entry}"
        )
        if nearest.status == "unverified"
        else _(
            "no known Deutsche Post prices ({service}) for {day}; using the {period} prices - "
            "check them, and put the prices of {year} into {file} in the folder you run "
            "petition-merge in (create it if it is not there), for example:\n{entry}"
        )
    )
    return nearest, message.format(
        service=service.name,
        day=format_date(mail_date),
        period=nearest.name,
        year=mail_date.year,
        file=FILE_NAME,
        entry=_indented(service, year, nearest),
    )


def example_entry(service: Service, period: tuple[date, date], prices: PriceTable) -> str:
    """Return a porto.toml entry for the service from ``period[0]`` to ``period[1]``, with
    the prices of ``prices`` (to be corrected). The keys are the file's, in every language;
    the example source is a text the volunteer replaces, in the run's language."""
    source = _("deutschepost.de, retrieved on ...")
    lines = [
        "[[preise]]",
        f'versand = "{service.code}"',
        f"gueltig_ab = {format_date(period[0])}",
        f"gueltig_bis = {format_date(period[1])}",
        f'quelle = "{source}"',
        *(f"{p.code} = {format_number(prices.prices[p.code])}" for p in service.products),
    ]
    return "\n".join(lines)


def _indented(service: Service, period: tuple[date, date], prices: PriceTable) -> str:
    return "\n".join(f"  {line}" for line in example_entry(service, period, prices).splitlines())


def _days_apart(table: PriceTable, day: date) -> int:
    if day < table.valid_from:
        return (table.valid_from - day).days
    return (day - table.valid_to).days


def _start(table: PriceTable) -> date:
    return table.valid_from


def _period(where: str, period: dict[str, Any], data: PostageData) -> tuple[Service, PriceTable]:
    services = {service.code: service for service in data.services}
    kind = _value(where, period, "versand", _('"national" (within Germany) or "international"'))
    if kind not in services:
        raise InputError(
            _("{where}: versand = {found} - write {names}").format(
                where=where,
                found=found(kind),
                names=_(" or ").join(f'"{code}"' for code in services),
            )
        )
    service = services[kind]
    valid_from = _day(where, period, "gueltig_ab")
    valid_to = _day(where, period, "gueltig_bis")
    if valid_to < valid_from:
        raise InputError(
            _("{where}: gueltig_bis is before gueltig_ab - swap them").format(where=where)
        )
    source = period.get("quelle", FILE_NAME)
    if not isinstance(source, str) or not source.strip():
        raise InputError(
            _("{where}: quelle = {found} - write where the prices are from").format(
                where=where, found=found(source)
            )
        )
    codes = [product.code for product in service.products]
    for key in period:
        if key not in (*_PERIOD_KEYS, *codes):
            raise InputError(
                _(
                    '{where}: "{key}" is unknown - the keys are {keys} and the prices of '
                    "{service}: {codes}"
                ).format(
                    where=where,
                    key=key,
                    keys=", ".join(_PERIOD_KEYS),
                    service=kind,
                    codes=", ".join(codes),
                )
            )
    prices = {code: _price(where, period, code, codes) for code in codes}
    return service, PriceTable(valid_from, valid_to, OWN_STATUS, source, prices)


def _value(where: str, table: dict[str, Any], key: str, expected: str) -> Any:
    if key not in table:
        raise InputError(
            _("{where}: {key} is missing - add it ({expected})").format(
                where=where, key=key, expected=expected
            )
        )
    return table[key]


def _day(where: str, table: dict[str, Any], key: str) -> date:
    """Return a date: a TOML date, or a text such as "1.1.2027" or "2027-01-01"."""
    example = example_date()
    value = _value(where, table, key, _("a date like {example}").format(example=example))
    if (day := date_of(value)) is not None:
        return day
    raise InputError(
        _("{where}: {key} = {found} - write a date like {example}").format(
            where=where, key=key, found=found(value), example=example
        )
    )


def _price(where: str, table: dict[str, Any], code: str, codes: list[str]) -> Decimal:
    if code not in table:
        raise InputError(
            _("{where}: {code} is missing - give the price of every product: {codes}").format(
                where=where, code=code, codes=", ".join(codes)
            )
        )
    value = table[code]
    if (
        isinstance(value, bool)
        or not isinstance(value, int | Decimal)
        or not Decimal(value).is_finite()
        or value < 0
        or Decimal(value) != Decimal(value).quantize(CENT)
    ):
        raise InputError(
            _(
                "{where}: {code} = {found} - write a price in EUR like {example}, without quotes"
            ).format(
                where=where, code=code, found=found(value), example=format_number(Decimal("1.80"))
            )
        )
    return Decimal(value).quantize(CENT)


def _transit(where: str, table: Any) -> dict[str, int]:
    if not isinstance(table, dict):
        raise InputError(_("{where}: write one line per country, e.g. DE = 5").format(where=where))
    days: dict[str, int] = {}
    written: dict[str, str] = {}  # code -> the key that named it
    for key, value in table.items():
        country = ANY_COUNTRY if key == ANY_COUNTRY else _country_code(key)
        if country is not None and country in written:
            raise InputError(
                _("{where}: {first} and {second} name the same country - keep one of them").format(
                    where=where, first=written[country], second=key
                )
            )
        if country is not None:
            written[country] = key
        if country is None:
            raise InputError(
                _(
                    '{where}: "{key}" names no country - write its code, e.g. DE = 5, or "*" '
                    "for every other country"
                ).format(where=where, key=key)
            )
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise InputError(
                _("{where}: {key} = {found} - write whole days, at least 1").format(
                    where=where, key=key, found=found(value)
                )
            )
        days[country] = value
    return days


def _country_code(text: str) -> str | None:
    country = find_country(text)
    return None if country is None else country.code
