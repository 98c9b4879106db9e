"""Prices in force on a day: the working folder's porto.toml first, then the bundled tables."""

from __future__ import annotations

import textwrap
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from merge.errors import InputError
from merge.post.data import PostageData, bundled_postage, service_for
from merge.post.plan import plan_envelopes
from merge.post.prices import (
    FILE_NAME,
    example_entry,
    folder_postage,
    price_table_for,
    read_own_prices,
)

D = Decimal
DATA = bundled_postage()
INTL = service_for(DATA, None)
NATIONAL = service_for(DATA, "DE")


def with_intl(data: PostageData, **changes: object) -> PostageData:
    services = tuple(
        replace(s, **changes) if s.code == "international" else s  # type: ignore[arg-type]
        for s in data.services
    )
    return replace(data, services=services)


def own(tmp_path: Path, text: str) -> PostageData:
    """Write porto.toml into ``tmp_path`` and return the data with it."""
    (tmp_path / FILE_NAME).write_text(textwrap.dedent(text), encoding="utf-8")
    return folder_postage(tmp_path)


def refused(tmp_path: Path, text: str) -> str:
    """Return the one-line message for a porto.toml that is wrong."""
    with pytest.raises(InputError) as info:
        own(tmp_path, text)
    message = str(info.value)
    assert "\n" not in message and info.value.exit_code == 3
    assert message.startswith("porto.toml")
    return message


PERIOD_2027 = """
    [[preise]]
    versand = "international"
    gueltig_ab = 2027-01-01
    gueltig_bis = 2027-12-31
    quelle = "Aushang in der Filiale, 4.1.2027"
    standard = 1.40
    kompakt = 2.00
    gross = 3.60
    maxi = 7
    maxi2000 = 18.00
"""


# --- the bundled periods ---------------------------------------------------------------------


def test_price_table_for_picks_the_period_of_the_date_without_warning() -> None:
    for day, name in [(date(2025, 1, 1), "2025"), (date(2025, 12, 31), "2025")]:
        table, warning = price_table_for(DATA, day)
        assert (table.name, table.status, warning) == (name, "verified", None)
    table, warning = price_table_for(DATA, date(2026, 12, 31))
    assert (table.name, table.status, warning) == ("2026", "secondary", None)


def test_a_date_after_all_periods_names_porto_toml_and_shows_the_entry_to_write() -> None:
    table, warning = price_table_for(DATA, date(2027, 2, 1))
    assert table.name == "2026"
    assert warning == (
        "no known Deutsche Post prices (Brief International) for 2027-02-01; using the 2026 "
        "prices - check them, and put the prices of 2027 into porto.toml in the folder you "
        "run petition-merge in (create it if it is not there), for example:\n"
        "  [[preise]]\n"
        '  versand = "international"\n'
        "  gueltig_ab = 2027-01-01\n"
        "  gueltig_bis = 2027-12-31\n"
        '  quelle = "deutschepost.de, retrieved on ..."\n'
        "  standard = 1.25\n"
        "  kompakt = 1.80\n"
        "  gross = 3.30\n"
        "  maxi = 6.50\n"
        "  maxi2000 = 17.00"
    )
    assert "merge/data/postage.json" not in warning  # nobody edits the installation


def test_the_national_warning_shows_the_national_products() -> None:
    _, warning = price_table_for(DATA, date(2027, 2, 1), NATIONAL)
    assert warning is not None
    assert "(Briefe in Deutschland) for 2027-02-01" in warning
    assert '  versand = "national"\n' in warning
    assert warning.endswith("  standard = 0.95\n  kompakt = 1.10\n  gross = 1.80\n  maxi = 2.90")


def test_price_table_for_warns_about_an_unverified_period() -> None:
    table, warning = price_table_for(DATA, date(2024, 2, 1))
    assert table.name == "2024"
    assert warning is not None
    assert warning.startswith(
        "the Deutsche Post prices (Brief International) for 2024 are unverified (inferred, not "
        "read in a Deutsche Post price list) - check them; if they differ, put the right ones "
        "into porto.toml in the folder you run petition-merge in"
    )
    assert "  gueltig_ab = 2024-01-01\n  gueltig_bis = 2024-12-31\n" in warning


def test_price_table_for_a_date_before_all_periods_uses_the_earliest_and_warns() -> None:
    table, warning = price_table_for(DATA, date(2019, 8, 1))
    assert table.name == "2023"
    assert warning is not None
    assert "prices (Brief International) for 2019-08-01; using the 2023 prices" in warning
    assert "(unverified themselves)" in warning


def test_price_table_for_a_gap_between_periods_uses_the_nearest() -> None:
    t23, _, t25, t26 = INTL.tables
    gappy = with_intl(DATA, tables=(t23, replace(t25, valid_from=date(2025, 3, 1)), t26))
    # 2024-01-10 is 10 days after 2023 ended; 2025-02-20 is 9 days before the next period
    assert price_table_for(gappy, date(2024, 1, 10))[0].valid_from == date(2023, 1, 1)
    assert price_table_for(gappy, date(2025, 2, 20))[0].valid_from == date(2025, 3, 1)
    assert "2025-03-01 to 2025-12-31 prices" in str(price_table_for(gappy, date(2025, 2, 20))[1])


# --- porto.toml ------------------------------------------------------------------------------


def test_without_porto_toml_the_bundled_data_is_used(tmp_path: Path) -> None:
    assert folder_postage(tmp_path) is bundled_postage()


def test_a_period_of_porto_toml_prices_its_days_without_a_warning(tmp_path: Path) -> None:
    data = own(tmp_path, PERIOD_2027)
    table, warning = price_table_for(data, date(2027, 2, 1))
    assert warning is None
    assert (table.name, table.status, table.source) == (
        "2027",
        "own",
        "Aushang in der Filiale, 4.1.2027",
    )
    assert dict(table.prices) == {
        "standard": D("1.40"),
        "kompakt": D("2.00"),
        "gross": D("3.60"),
        "maxi": D("7.00"),
        "maxi2000": D("18.00"),
    }
    # 8 lists in a DL envelope: one Kompaktbrief at the price of the file
    p = plan_envelopes(list(range(1, 9)), mail_date=date(2027, 2, 1), data=data)
    assert p.total_eur == D("2.00")
    assert not any("no known" in text for text in p.warnings)
    # The national letters have no 2027 period there: still the warning.
    assert price_table_for(data, date(2027, 2, 1), service_for(data, "DE"))[1] is not None


def test_a_period_of_porto_toml_wins_over_a_bundled_one(tmp_path: Path) -> None:
    data = own(
        tmp_path,
        """
        [[preise]]
        versand = "national"
        gueltig_ab = 2026-07-01
        gueltig_bis = 2026-12-31
        standard = 1.00
        kompakt = 1.20
        gross = 1.90
        maxi = 3.00
        """,
    )
    national = service_for(data, "DE")
    june, _ = price_table_for(data, date(2026, 6, 30), national)
    july, warning = price_table_for(data, date(2026, 7, 1), national)
    assert (june.status, june.prices["kompakt"]) == ("secondary", D("1.10"))
    assert (july.status, july.source, july.prices["kompakt"], warning) == (
        "own",
        "porto.toml",
        D("1.20"),
        None,
    )
    assert july.name == "2026-07-01 to 2026-12-31"


def test_the_example_entry_is_a_period_porto_toml_accepts(tmp_path: Path) -> None:
    for service in DATA.services:
        entry = example_entry(service, (date(2028, 1, 1), date(2028, 12, 31)), service.tables[-1])
        path = tmp_path / f"{service.code}.toml"
        path.write_text(entry, encoding="utf-8")
        data = read_own_prices(path, path.name, DATA)
        [table] = service_for(data, service.countries[0].replace("*", "CN")).own_tables
        assert dict(table.prices) == dict(service.tables[-1].prices)
        assert (table.valid_from, table.valid_to) == (date(2028, 1, 1), date(2028, 12, 31))


def test_laufzeit_sets_the_days_per_country(tmp_path: Path) -> None:
    data = own(tmp_path, '[laufzeit]\nDE = 3\nFrankreich = 9\n"*" = 28\n')
    assert data.transit_days_for("DE") == 3
    assert data.transit_days_for("FR") == 9
    assert data.transit_days_for("CN") == 21  # still the bundled entry
    assert data.transit_days_for("AT") == 28


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[preise]\n", "porto.toml: "),
        ("preis = 1\n", 'porto.toml: "preis" is unknown - the file holds [[preise]] tables'),
        (
            PERIOD_2027.replace('"international"', '"inland"'),
            'porto.toml [[preise]] 1: versand = "inland" - write "national" or "international"',
        ),
        (
            PERIOD_2027.replace("kompakt = 2.00", 'kompakt = "2,00"'),
            'porto.toml [[preise]] 1: kompakt = "2,00" - write a price in EUR like 1.80, '
            "without quotes",
        ),
        (
            PERIOD_2027.replace("kompakt = 2.00", "kompakt = 2.005"),
            "porto.toml [[preise]] 1: kompakt = 2.005 - write a price in EUR",
        ),
        (
            PERIOD_2027.replace("    maxi2000 = 18.00\n", ""),
            "porto.toml [[preise]] 1: maxi2000 is missing - give the price of every product: "
            "standard, kompakt, gross, maxi, maxi2000",
        ),
        (
            PERIOD_2027 + "    postkarte = 1.25\n",
            'porto.toml [[preise]] 1: "postkarte" is unknown - the keys are versand, '
            "gueltig_ab, gueltig_bis, quelle and the prices of international:",
        ),
        (
            PERIOD_2027.replace("gueltig_ab = 2027-01-01", 'gueltig_ab = "1.13.2027"'),
            'porto.toml [[preise]] 1: gueltig_ab = "1.13.2027" - write a date like 2026-12-31',
        ),
        (
            PERIOD_2027.replace("gueltig_bis = 2027-12-31", "gueltig_bis = 2026-12-31"),
            "porto.toml [[preise]] 1: gueltig_bis is before gueltig_ab - swap them",
        ),
        (
            PERIOD_2027 + PERIOD_2027.replace("2027-01-01", "2027-06-01"),
            "porto.toml [[preise]] 2: 2027-06-01 to 2027-12-31 overlaps [[preise]] 1 "
            "(international) - give each day one period",
        ),
        (
            "[laufzeit]\nAtlantis = 5\n",
            'porto.toml [laufzeit]: "Atlantis" names no country - write its code, e.g. DE = 5',
        ),
        ("[laufzeit]\nDE = 0\n", "porto.toml [laufzeit]: DE = 0 - write whole days, at least 1"),
        (
            "[laufzeit]\nDE = 3\nDeutschland = 9\n",
            "porto.toml [laufzeit]: DE and Deutschland name the same country - keep one of them",
        ),
    ],
)
def test_every_mistake_in_porto_toml_is_one_line(tmp_path: Path, text: str, message: str) -> None:
    assert refused(tmp_path, text).startswith(message)


def test_periods_of_two_services_may_share_their_days(tmp_path: Path) -> None:
    national = (
        PERIOD_2027.replace('"international"', '"national"')
        .replace("    maxi2000 = 18.00\n", "")
        .replace("standard = 1.40", "standard = 1.00")
    )
    data = own(tmp_path, PERIOD_2027 + national)
    assert service_for(data, "DE").own_tables[0].prices["standard"] == D("1.00")
    assert service_for(data, "CN").own_tables[0].prices["standard"] == D("1.40")
