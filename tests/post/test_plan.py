import json
import math
from dataclasses import replace
from datetime import date
from decimal import Decimal
from itertools import combinations, pairwise
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from merge.errors import DataError, InputError, UsageError
from merge.post.data import (
    BUNDLED,
    PostageData,
    Product,
    Service,
    load_postage,
    service_for,
)
from merge.post.envelope_formats import EnvelopeFormat
from merge.post.money import format_eur
from merge.post.plan import PostagePlan, cheaper_advice, plan_as_json, plan_envelopes
from merge.post.prices import price_table_for

D = Decimal
Y2024 = date(2024, 6, 1)
Y2025 = date(2025, 6, 1)
DATA = load_postage()
# The same data without the envelopes' own capacity, so that Großbrief and Maxibrief are in
# play for a DL letter and Maxibrief for C4: this is where the price tables disagree.
FORMATS = DATA.envelopes.formats
UNCAPPED = replace(
    DATA,
    envelopes=replace(DATA.envelopes, formats=tuple(replace(f, max_sheets=None) for f in FORMATS)),
)


INTL = service_for(DATA, None)  # Brief International: every country but Germany
INTL_AT = 1  # its index in the file's services


def with_intl(data: PostageData, **changes: Any) -> PostageData:
    """Return the data with Brief International changed, e.g. ``products=(...)``."""
    services = tuple(
        replace(s, **changes) if s.code == "international" else s for s in data.services
    )
    return replace(data, services=services)


def plan(n: int, when: date = Y2025, **kwargs: Any) -> PostagePlan:
    return plan_envelopes(list(range(1, n + 1)), mail_date=when, **kwargs)


def shape(p: PostagePlan) -> list[tuple[int, str]]:
    return [(len(env.lists), env.product) for env in p.envelopes]


# --- the data file ---------------------------------------------------------------------------


def test_bundled_data_holds_the_reference_numbers() -> None:
    assert [(s.code, s.name, s.countries) for s in DATA.services] == [
        ("national", "Briefe in Deutschland", ("DE",)),
        ("international", "Brief International", ("*",)),
    ]
    assert DATA.services[INTL_AT] is INTL
    products = {p.code: p for p in INTL.products}
    assert list(products) == ["standard", "kompakt", "gross", "maxi", "maxi2000"]
    assert products["standard"] == Product(
        "standard", "Standardbrief International", 20, 235, 125, 5, 140, 90, 1.4
    )
    assert (products["kompakt"].max_grams, products["kompakt"].max_thickness_mm) == (50, 10)
    assert (products["gross"].max_length_mm, products["gross"].max_width_mm) == (353, 250)
    assert (products["gross"].max_grams, products["gross"].max_thickness_mm) == (500, 20)
    assert (products["maxi"].max_grams, products["maxi"].max_thickness_mm) == (1000, 50)
    ladders = {
        table.name: (table.status, [table.prices[code] for code in products])
        for table in INTL.tables
    }
    old = [D("1.10"), D("1.70"), D("3.70"), D("7.00"), D("17.00")]
    new = [D("1.25"), D("1.80"), D("3.30"), D("6.50"), D("17.00")]
    assert ladders == {
        "2023": ("unverified", old),
        "2024": ("unverified", old),
        "2025": ("verified", new),
        "2026": ("secondary", new),
    }
    assert [
        (f.code, f.length_mm, f.width_mm, f.grams, f.layers_per_sheet, f.max_sheets)
        for f in FORMATS
    ] == [("DL", 220, 110, 5.0, 3, 8), ("C5", 229, 162, 8.0, 2, 80), ("C4", 324, 229, 18.0, 1, 90)]
    assert DATA.envelopes.default.code == "DL"
    assert (DATA.grams_per_sheet, DATA.mm_per_layer, DATA.weight_margin_grams) == (5.0, 0.1, 1.0)
    assert dict(DATA.transit) == {"DE": 5, "CN": 21, "*": 21}
    assert (DATA.transit_days_for("CN"), DATA.transit_days_for("DE")) == (21, 5)
    assert DATA.transit_days_for("FR") == DATA.transit_days_for(None) == 21
    assert DATA.source == "merge/data/postage.json"


def test_bundled_data_holds_the_national_products_and_prices() -> None:
    national = service_for(DATA, "DE")
    assert national is DATA.services[0] and national.code == "national"
    products = {p.code: p for p in national.products}
    assert list(products) == ["standard", "kompakt", "gross", "maxi"]
    # PPL v590 (PROD_AUSR N): Standardbrief 140 x 90 to 235 x 125 x 5 mm, 20 g; the others
    # from 100 x 70 mm; Kompakt 10 mm / 50 g, Groß 353 x 250 x 20 / 500 g, Maxi 50 mm / 1000 g.
    assert products["standard"] == Product(
        "standard", "Standardbrief", 20, 235, 125, 5, 140, 90, 1.4
    )
    assert products["kompakt"] == Product("kompakt", "Kompaktbrief", 50, 235, 125, 10, 100, 70, 1.4)
    assert products["gross"] == Product("gross", "Großbrief", 500, 353, 250, 20, 100, 70)
    assert products["maxi"] == Product("maxi", "Maxibrief", 1000, 353, 250, 50, 100, 70)
    ladders = {
        table.name: (table.status, [table.prices[code] for code in products])
        for table in national.tables
    }
    old = [D("0.85"), D("1.00"), D("1.60"), D("2.75")]
    new = [D("0.95"), D("1.10"), D("1.80"), D("2.90")]
    assert ladders == {
        "2023": ("secondary", old),
        "2024": ("secondary", old),
        "2025": ("verified", new),
        "2026": ("secondary", new),
    }
    assert all(table.source for table in national.tables)


def test_germany_gets_the_national_service_every_other_country_brief_international() -> None:
    assert service_for(DATA, "DE").code == service_for(DATA, "de").code == "national"
    for country in ("CN", "AT", "FR", None):
        assert service_for(DATA, country) is INTL


def test_a_letter_within_germany_goes_as_a_national_product_at_its_price() -> None:
    # The same weights as abroad (DL: 2 lists Standard, 8 Kompakt); the national prices.
    p = plan(10, country="DE")
    assert [(len(e.lists), e.product_name, e.price_eur) for e in p.envelopes] == [
        (8, "Kompaktbrief", D("1.10")),
        (2, "Standardbrief", D("0.95")),
    ]
    assert p.total_eur == D("2.05")
    assert (p.service, p.service_name) == ("national", "Briefe in Deutschland")
    assert plan(10, Y2024, country="DE").total_eur == D("1.85")  # 1.00 + 0.85
    assert plan_as_json(p)["service"] == "national"
    abroad = plan(10, country="CN")
    assert (abroad.service, abroad.total_eur) == ("international", D("3.05"))


def test_national_prices_of_2023_and_2024_warn_of_nothing() -> None:
    # Secondary sources (a dated table and the 2022-2024 validity), not inferred.
    p = plan(3, Y2024, country="DE")
    assert not any("unverified" in text for text in p.warnings)
    assert price_table_for(DATA, Y2024, service_for(DATA, "DE"))[1] is None


def test_load_postage_refuses_a_country_in_two_services_and_no_service_for_the_rest(
    tmp_path: Path,
) -> None:
    def twice(raw: Any) -> None:
        intl(raw)["countries"] = ["DE", "*"]

    def no_rest(raw: Any) -> None:
        intl(raw)["countries"] = ["CN"]

    def lowercase(raw: Any) -> None:
        raw["services"][0]["countries"] = ["de"]

    assert "'services[0].countries' lists 'DE', which another service lists" in broken(
        tmp_path, twice
    )
    assert "'services' needs one service for every other country, '*'" in broken(tmp_path, no_rest)
    assert "'services[0].countries' must be a list of two-letter country codes" in broken(
        tmp_path, lowercase
    )


def test_dl_fits_standard_and_kompakt_sizes_and_c5_c4_only_gross_and_maxi() -> None:
    takes = {f.code: [p.code for p in INTL.products if p.takes(f)] for f in FORMATS}
    assert takes["DL"][:2] == ["standard", "kompakt"]
    assert takes["C5"] == takes["C4"] == ["gross", "maxi", "maxi2000"]


def test_load_postage_reads_an_edited_copy(tmp_path: Path) -> None:
    raw = json.loads(BUNDLED.read_text(encoding="utf-8"))
    raw["services"][INTL_AT]["price_tables"].append(
        {
            "valid_from": "2027-01-01",
            "valid_to": "2027-12-31",
            "status": "unverified",
            "source": "guess",
            "prices_eur": {"standard": 1.4, "kompakt": 2, "gross": 3.5, "maxi": 7, "maxi2000": 18},
        }
    )
    path = tmp_path / "postage.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    data = load_postage(path)
    assert data.services[INTL_AT].tables[-1].prices["kompakt"] == D("2.00")
    assert data.source == str(path)
    table, warning = price_table_for(data, date(2027, 3, 1))
    assert table.name == "2027"
    assert warning is not None and "for 2027 are unverified" in warning


def intl(raw: Any) -> Any:
    """Return Brief International's part of the raw file."""
    service = raw["services"][INTL_AT]
    assert service["code"] == "international"
    return service


def broken(tmp_path: Path, change: Any) -> str:
    """Load the bundled data after ``change(raw)`` and return the error message."""
    raw = json.loads(BUNDLED.read_text(encoding="utf-8"))
    change(raw)
    path = tmp_path / "postage.json"
    path.write_text(json.dumps(raw, default=str), encoding="utf-8")
    with pytest.raises(DataError) as info:
        load_postage(path)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: ")
    return message


def test_load_postage_names_file_and_key_of_a_missing_price(tmp_path: Path) -> None:
    message = broken(tmp_path, lambda raw: intl(raw)["price_tables"][2]["prices_eur"].pop("gross"))
    assert "'services[1].price_tables[2].prices_eur.gross' is missing" in message


def test_load_postage_rejects_a_price_that_is_not_money(tmp_path: Path) -> None:
    def change(raw: Any) -> None:
        intl(raw)["price_tables"][0]["prices_eur"]["standard"] = "1,10"

    message = broken(tmp_path, change)
    assert "'services[1].price_tables[0].prices_eur.standard' must be a price" in message

    def change_cents(raw: Any) -> None:
        intl(raw)["price_tables"][0]["prices_eur"]["standard"] = 1.105

    assert "prices_eur.standard' must be a price" in broken(tmp_path, change_cents)


def test_load_postage_rejects_a_price_for_an_unknown_product(tmp_path: Path) -> None:
    def change(raw: Any) -> None:
        intl(raw)["price_tables"][1]["prices_eur"]["postkarte"] = 0.95

    message = broken(tmp_path, change)
    assert "'services[1].price_tables[1].prices_eur.postkarte' is unknown" in message


def test_load_postage_rejects_overlapping_periods(tmp_path: Path) -> None:
    def change(raw: Any) -> None:
        intl(raw)["price_tables"][3]["valid_from"] = "2025-12-01"

    assert "'services[1].price_tables[3].valid_from' must come after" in broken(tmp_path, change)


def test_load_postage_rejects_a_misspelt_limit(tmp_path: Path) -> None:
    def change(raw: Any) -> None:
        product = intl(raw)["products"][0]
        product["max_gram"] = product.pop("max_grams")

    assert "'services[1].products[0].max_grams' is missing" in broken(tmp_path, change)


def test_load_postage_rejects_unknown_keys_but_allows_comments(tmp_path: Path) -> None:
    def change(raw: Any) -> None:
        intl(raw)["products"][0]["_mine"] = "my own note"
        intl(raw)["products"][0]["weight"] = 5

    assert "'services[1].products[0].weight' is unknown" in broken(tmp_path, change)


def test_load_postage_refuses_envelope_formats_that_belong_in_envelopes_json(
    tmp_path: Path,
) -> None:
    def change(raw: Any) -> None:
        raw["envelope_formats"] = [{"code": "DL"}]

    assert "'envelope_formats' is unknown" in broken(tmp_path, change)


def test_load_postage_rejects_bad_numbers_dates_and_duplicates(tmp_path: Path) -> None:
    def negative(raw: Any) -> None:
        raw["paper"]["grams_per_sheet"] = -5

    def bad_date(raw: Any) -> None:
        intl(raw)["price_tables"][0]["valid_to"] = "31.12.2023"

    def duplicate(raw: Any) -> None:
        intl(raw)["products"][1]["code"] = "standard"

    def bad_status(raw: Any) -> None:
        intl(raw)["price_tables"][0]["status"] = "probably"

    def zero_days(raw: Any) -> None:
        raw["transit"][0]["plan_days"] = 0

    def no_default(raw: Any) -> None:
        raw["transit"] = [t for t in raw["transit"] if t["destination"] != "*"]

    def twice(raw: Any) -> None:
        raw["transit"][1]["destination"] = "DE"

    assert "'paper.grams_per_sheet' must be a positive number" in broken(tmp_path, negative)
    assert "'services[1].price_tables[0].valid_to' must be a date" in broken(tmp_path, bad_date)
    assert "'services[1].products[1].code' repeats 'standard'" in broken(tmp_path, duplicate)
    assert "'services[1].price_tables[0].status' must be one of" in broken(tmp_path, bad_status)
    assert "'transit[0].plan_days' must be a whole number" in broken(tmp_path, zero_days)
    assert "'transit' needs an entry for every other country" in broken(tmp_path, no_default)
    assert "'transit[1].destination' repeats 'DE'" in broken(tmp_path, twice)


def test_load_postage_reports_invalid_json_and_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "postage.json"
    path.write_text('{"services": [}', encoding="utf-8")
    with pytest.raises(DataError, match=r"postage\.json: not valid JSON at line 1"):
        load_postage(path)
    with pytest.raises(DataError, match=r"nothing\.json: cannot read the postage data"):
        load_postage(tmp_path / "nothing.json")
    path.write_text("[]", encoding="utf-8")
    with pytest.raises(DataError, match=r"'\(top level\)' must be an object"):
        load_postage(path)


# --- known values, computed by hand ----------------------------------------------------------
# DL: envelope 5 g, sheet 5 g, 1 g margin, 0.3 mm per sheet, at most 8 sheets.
#   Standard (20 g): 5 + 2*5 + 1 = 16 <= 20, but 5 + 3*5 + 1 = 21 > 20  -> 2 lists
#   Kompakt (50 g):  5 + 8*5 + 1 = 46 <= 50 (and the DL cap is 8)      -> 8 lists
# C5: envelope 8 g, 0.2 mm per sheet, at most 80 sheets -> Großbrief only (162 mm > 125 mm).
# C4: envelope 18 g, 0.1 mm per sheet, at most 90 sheets -> Großbrief only (229 mm > 125 mm).


def test_six_lists_in_dl_go_as_one_kompaktbrief() -> None:
    # 1 Kompakt (35 g) = 1.80; 3 Standard = 3.75; 2 Standard + ... never cheaper.
    p = plan(6)
    assert shape(p) == [(6, "kompakt")]
    assert (p.envelopes[0].grams, p.envelopes[0].thickness_mm) == (35.0, 1.8)
    assert p.total_eur == D("1.80")


@pytest.mark.parametrize(
    ("envelope", "when", "product", "grams", "total"),
    [
        ("DL", Y2025, "kompakt", 45.0, "1.80"),  # 5 + 8*5 = 45 g <= 49 g
        ("DL", Y2024, "kompakt", 45.0, "1.70"),
        ("C5", Y2025, "gross", 48.0, "3.30"),  # 8 + 8*5 = 48 g, 1.6 mm
        ("C5", Y2024, "gross", 48.0, "3.70"),
        ("C4", Y2025, "gross", 58.0, "3.30"),  # 18 + 8*5 = 58 g, 0.8 mm
        ("C4", Y2024, "gross", 58.0, "3.70"),
    ],
)
def test_eight_lists_go_in_one_envelope(
    envelope: str, when: date, product: str, grams: float, total: str
) -> None:
    p = plan(8, when, envelope=envelope)
    assert shape(p) == [(8, product)]
    assert p.envelopes[0].grams == grams
    assert p.total_eur == D(total)


def test_ten_lists_in_dl_fill_a_kompaktbrief_then_a_standardbrief() -> None:
    # 8 + 2: 1.80 + 1.25 = 3.05 (2025); 1.70 + 1.10 = 2.80 (2024). 5 + 5 would be 3.60.
    assert shape(p := plan(10)) == [(8, "kompakt"), (2, "standard")]
    assert p.total_eur == D("3.05")
    assert p.stamps == ((D("1.80"), 1), (D("1.25"), 1))
    assert plan(10, Y2024).total_eur == D("2.80")


def test_twenty_lists_in_dl_fill_earlier_envelopes_first() -> None:
    # At most 8 per DL, so at least 3 envelopes: 3 Kompakt = 5.40 (8 + 8 + 2 + 2 = 6.10).
    p = plan(20)
    assert shape(p) == [(8, "kompakt"), (8, "kompakt"), (4, "kompakt")]
    assert p.total_eur == D("5.40")
    assert p.stamps == ((D("1.80"), 3),)
    # 17 lists: 8 + 8 + 1 = 1.80 + 1.80 + 1.25 = 4.85
    assert plan(17).total_eur == D("4.85")


def test_large_batches_respect_the_envelope_capacity() -> None:
    # C5: 80 sheets max -> 100 lists = 80 + 20 -> 2 x 3.30 = 6.60
    assert shape(plan(100, envelope="C5")) == [(80, "gross"), (20, "gross")]
    # C4: 90 sheets max -> 200 lists = 90 + 90 + 20 -> 3 x 3.30 = 9.90 (2024: 3 x 3.70 = 11.10)
    p = plan(200, envelope="C4")
    assert shape(p) == [(90, "gross"), (90, "gross"), (20, "gross")]
    assert p.envelopes[0].grams == 468.0  # 18 + 90 * 5
    assert p.total_eur == D("9.90")
    assert plan(200, Y2024, envelope="C4").total_eur == D("11.10")


def test_one_grossbrief_beats_two_kompaktbriefe_from_2025_but_not_before() -> None:
    # 16 lists in a DL that closes on them: Großbrief 5 + 16*5 = 85 g, 4.8 mm.
    # 2025: 1 Groß 3.30 < 2 Kompakt 3.60.  2024: 2 Kompakt 3.40 < 1 Groß 3.70.
    p25 = plan(16, data=UNCAPPED)
    assert shape(p25) == [(16, "gross")]
    assert p25.total_eur == D("3.30")
    p24 = plan(16, Y2024, data=UNCAPPED)
    assert shape(p24) == [(8, "kompakt"), (8, "kompakt")]
    assert p24.total_eur == D("3.40")


def test_one_maxibrief_beats_two_grossbriefe_in_a_gusseted_c4() -> None:
    # Großbrief holds (500 - 18 - 1) / 5 = 96.2 -> 96 lists; 100 lists weigh 518 g, 10 mm.
    # 1 Maxi 6.50 < 2 Groß 6.60 (2025); 7.00 < 7.40 (2024).
    p = plan(100, envelope="C4", data=UNCAPPED)
    assert shape(p) == [(100, "maxi")]
    assert p.envelopes[0].grams == 518.0
    assert p.total_eur == D("6.50")
    assert plan(100, Y2024, envelope="C4", data=UNCAPPED).total_eur == D("7.00")


def test_per_envelope_caps_the_lists_in_each_envelope() -> None:
    # 6 lists, at most 2 per envelope: 3 Standard (15 g each) = 3 x 1.25 = 3.75
    p = plan(6, per_envelope=2)
    assert [env.lists for env in p.envelopes] == [(1, 2), (3, 4), (5, 6)]
    assert p.total_eur == D("3.75")
    assert p.stamps == ((D("1.25"), 3),)


def test_sheets_per_list_counts_every_sheet() -> None:
    # 2 sheets per list: DL closes on 8 sheets = 4 lists -> 8 lists = 2 Kompakt = 3.60
    p = plan(8, sheets_per_list=2)
    assert shape(p) == [(4, "kompakt"), (4, "kompakt")]
    assert p.envelopes[0].sheets == 8
    assert p.total_eur == D("3.60")


def test_heavier_envelope_and_paper_change_the_products() -> None:
    # 10 g envelope: Standard holds 1 list (10 + 5 + 1 = 16; 10 + 10 + 1 = 21 > 20),
    # so 2 lists go as 1 Kompakt 1.80 rather than 2 Standard 2.50.
    p = plan(2, envelope_grams=10)
    assert shape(p) == [(2, "kompakt")]
    assert p.envelopes[0].grams == 20.0
    # 100 g/m2 paper, 6.24 g: Kompakt holds (50 - 5 - 1) / 6.24 = 7.05 -> 7 lists; 8 lists are
    # 7 Kompakt + 1 Standard = 1.80 + 1.25 = 3.05, cheaper than 1 Großbrief (54.9 g) at 3.30.
    p = plan(8, paper_grams_per_sheet=6.24)
    assert shape(p) == [(7, "kompakt"), (1, "standard")]
    assert p.total_eur == D("3.05")
    assert p.envelopes[0].grams == 48.68  # 5 + 7 * 6.24


def test_the_address_sheet_of_a_window_envelope_is_counted_and_weighed() -> None:
    # DL closes on 8 sheets: 7 lists + the address sheet (5 + 8*5 = 45 g, Kompakt); a
    # Standardbrief takes 1 list + the address sheet (5 + 2*5 + 1 = 16 g; 2 lists: 21 g).
    # 23 lists: 7 + 7 + 7 + 2 = 4 Kompakt = 7.20 (7 + 7 + 7 + 1 + 1: 5.40 + 2.50 = 7.90).
    p = plan(23, address_sheets=1)
    assert shape(p) == [(7, "kompakt"), (7, "kompakt"), (7, "kompakt"), (2, "kompakt")]
    assert [(e.sheets, e.grams) for e in p.envelopes] == [(8, 45.0)] * 3 + [(3, 20.0)]
    assert p.envelopes[0].thickness_mm == 2.4  # 8 sheets x 3 layers x 0.1 mm
    assert p.total_eur == D("7.20")
    assert p.address_sheets == 1
    assert plan_as_json(p)["address_sheets_per_envelope"] == 1
    # Without it the same lists are 8 + 8 + 7: 3 Kompakt.
    assert shape(plan(23)) == [(8, "kompakt"), (8, "kompakt"), (7, "kompakt")]
    assert plan(1, address_sheets=1).envelopes[0].product == "standard"
    assert plan(2, address_sheets=1).envelopes[0].product == "kompakt"


def test_a_list_that_fits_only_without_the_address_sheet_says_so() -> None:
    with pytest.raises(InputError) as info:
        plan(1, sheets_per_list=8, address_sheets=1)
    assert str(info.value) == (
        "one list with the address sheet has 9 sheets but a DL envelope holds at most 8 - use "
        "a C5 envelope or fewer sheets per list"
    )


def raw_price(service: str, product: str, year: int) -> Decimal:
    """Return a price as the data file states it, read as plain JSON (not by merge.post)."""
    raw = json.loads(BUNDLED.read_text(encoding="utf-8"))
    [entry] = [s for s in raw["services"] if s["code"] == service]
    [table] = [t for t in entry["price_tables"] if t["valid_from"] == f"{year}-01-01"]
    return D(str(table["prices_eur"][product])).quantize(D("0.01"))


@pytest.mark.parametrize("service", ["international", "national"])
def test_the_plan_prices_the_same_lists_in_every_format_and_names_the_cheaper(
    service: str,
) -> None:
    # 23 lists: DL closes on 8 sheets -> 8 + 8 + 7 = 3 Kompakt; C5 (8 + 23*5 = 123 g, 4.6 mm)
    # and C4 (18 + 115 = 133 g, 2.3 mm) take them all as one Großbrief: equal, C5 is smaller.
    country = "DE" if service == "national" else "CN"
    kompakt, gross = (raw_price(service, code, 2025) for code in ("kompakt", "gross"))
    assert gross < 3 * kompakt  # both services, from 2025
    p = plan(23, country=country)
    assert [(c.code, c.envelopes, c.total_eur) for c in p.formats] == [
        ("DL", 3, 3 * kompakt),
        ("C5", 1, gross),
        ("C4", 1, gross),
    ]
    assert p.cheaper is not None and (p.cheaper.code, p.cheaper.total_eur) == ("C5", gross)
    assert cheaper_advice(p) == (
        f"C5 would cost {format_eur(gross)} instead of {format_eur(3 * kompakt)} (1 envelope "
        "instead of 3): --envelope C5"
    )
    assert plan_as_json(p)["cheaper"] == {
        "envelope_format": "C5",
        "envelopes": 1,
        "cost_eur": float(gross),
        "advice": cheaper_advice(p),
    }
    assert plan_as_json(p)["formats"][0] == {
        "envelope_format": "DL",
        "envelopes": 3,
        "cost_eur": float(3 * kompakt),
    }
    # In C5 already: C4 costs the same, which is not cheaper.
    assert plan(23, envelope="C5", country=country).cheaper is None


def test_no_advice_when_the_chosen_format_is_the_cheapest() -> None:
    # 1 list: a Standardbrief in DL (1.25) beats a Großbrief in C5 or C4 (3.30).
    p = plan(1)
    assert [c.code for c in p.formats] == ["DL", "C5", "C4"]
    assert p.cheaper is None and cheaper_advice(p) is None
    assert plan_as_json(p)["cheaper"] is None


def test_a_format_the_lists_do_not_fit_is_left_out_of_the_comparison() -> None:
    # 9 sheets a list: more than a DL closes on; C5 and C4 take it.
    p = plan(2, envelope="C4", sheets_per_list=9)
    assert [c.code for c in p.formats] == ["C5", "C4"]


def test_the_comparison_keeps_the_window_sheet_and_the_cap() -> None:
    # With the address sheet and at most 2 lists an envelope: DL 2 lists + 1 = 3 sheets,
    # 20 g -> Kompakt; 6 lists = 3 x 1.80 = 5.40; C5/C4: 3 Großbriefe = 9.90.
    p = plan(6, per_envelope=2, address_sheets=1)
    assert [(c.code, c.total_eur) for c in p.formats] == [
        ("DL", D("5.40")),
        ("C5", D("9.90")),
        ("C4", D("9.90")),
    ]
    assert p.cheaper is None


@pytest.mark.parametrize(("n", "picked"), [(23, "C5"), (1, "DL"), (8, "DL"), (200, "C5")])
def test_auto_picks_the_format_with_the_lowest_postage(n: int, picked: str) -> None:
    # 23: C5 = C4 (one Großbrief) < DL (3 Kompakt): the smaller, C5. 1 list: a Standardbrief.
    # 8: one DL Kompakt (1.80) < one Großbrief (3.30). 200: C5 80 + 80 + 40 and C4 90 + 90 +
    # 20 are 3 Großbriefe each, DL 25 Kompaktbriefe: the smaller, C5.
    p = plan(n, envelope="auto")
    costs = {c.code: c.total_eur for c in p.formats}
    cheapest = min(costs.values())
    assert p.total_eur == costs[p.envelope_format.code] == cheapest
    assert p.auto and p.cheaper is None
    smaller = [code for code in ("DL", "C5", "C4") if costs[code] == cheapest]
    assert p.envelope_format.code == smaller[0] == picked
    assert plan_as_json(p)["envelope_auto"] is True


def test_auto_picks_among_the_formats_the_lists_fit() -> None:
    # 9 sheets a list: no DL closes on that; C5 (8 + 45 = 53 g) and C4 (63 g) are one
    # Großbrief each: the smaller, C5.
    p = plan(1, envelope="auto", sheets_per_list=9)
    assert p.envelope_format.code == "C5"
    with pytest.raises(InputError, match="one list has 100 sheets but a DL envelope holds"):
        plan(1, envelope="AUTO", sheets_per_list=100)


def test_auto_with_an_envelope_weight_is_refused() -> None:
    with pytest.raises(UsageError) as info:
        plan(3, envelope="auto", envelope_grams=6.0)
    assert str(info.value) == (
        "the weight of an empty envelope is that of one format - give the format with it (one "
        "of DL, C5, C4), not 'auto'"
    )


def test_a_format_asked_for_is_kept_even_when_another_is_cheaper() -> None:
    p = plan(23, envelope="DL")
    assert (p.envelope_format.code, p.auto) == ("DL", False)
    assert p.cheaper is not None and p.cheaper.code == "C5"


def test_plan_keeps_the_list_numbers_it_was_given() -> None:
    # at most 3 per envelope: 3 + 2 = 1.80 + 1.25 = 2 + 3 = 3.05; the fuller envelope comes first
    p = plan_envelopes([7, 8, 9, 12, 13], mail_date=Y2025, envelope="dl", per_envelope=3)
    assert [env.lists for env in p.envelopes] == [(7, 8, 9), (12, 13)]
    assert p.total_eur == D("3.05")
    assert p.envelope_format.code == "DL"


def test_plan_of_no_lists_is_empty() -> None:
    p = plan(0)
    assert (p.envelopes, p.total_eur, p.stamps) == ((), D("0.00"), ())


def test_plan_always_warns_that_weights_are_estimates() -> None:
    p = plan(3)
    assert p.warnings == (
        "Envelope weights are estimates (DL envelope 5 g, 5 g per sheet): weigh one filled "
        "envelope before buying stamps.",
    )
    assert len(plan(3, date(2027, 2, 1)).warnings) == 2
    assert "2024 are unverified" in plan(3, Y2024).warnings[0]


def test_plan_records_the_envelope_weight_it_used() -> None:
    assert plan(1, envelope_grams=6.5).envelope_format.grams == 6.5


# --- errors ----------------------------------------------------------------------------------


def test_unknown_envelope_format_names_the_known_ones() -> None:
    with pytest.raises(UsageError) as info:
        plan(1, envelope="A4")
    assert str(info.value) == (
        "unknown envelope format 'A4' - use one of DL, C5, C4 (or add it to "
        "merge/data/envelopes.json)"
    )


def test_a_list_too_big_for_the_envelope_says_what_to_change() -> None:
    # 9 sheets: more than a DL closes on, but a C5 Großbrief (8 + 45 = 53 g) takes them.
    with pytest.raises(InputError) as info:
        plan(3, sheets_per_list=9)
    assert str(info.value) == (
        "one list has 9 sheets but a DL envelope holds at most 8 - use a C5 envelope or fewer "
        "sheets per list"
    )
    with pytest.raises(InputError) as info:
        plan(1, envelope="C4", sheets_per_list=100)
    assert str(info.value) == (
        "one list has 100 sheets but a C4 envelope holds at most 90 - use fewer sheets per "
        "list, or raise max_sheets of C4 in merge/data/envelopes.json if your envelopes hold more"
    )


def test_a_list_too_heavy_for_every_product_says_what_to_change() -> None:
    # 60 g paper: 5 + 60 + 1 = 66 g > 50 g, too heavy for Standard and Kompakt; with a
    # Großbrief that takes no DL envelope, a C5 one (8 + 60 + 1 = 69 g) would do.
    only_dl = with_intl(DATA, products=INTL.products[:2])
    gross = replace(INTL.products[2], min_width_mm=150)
    small = with_intl(DATA, products=(*INTL.products[:2], gross))
    with pytest.raises(InputError, match=r"about 65 g, 0\.3 mm thick\) is too heavy or too thick"):
        plan(1, paper_grams_per_sheet=60, data=only_dl)
    with pytest.raises(InputError, match="- use a C5 envelope or fewer sheets per list"):
        plan(1, paper_grams_per_sheet=60, data=small)
    with pytest.raises(InputError, match=r"- use fewer sheets per list or lighter paper$"):
        plan(1, envelope="C4", paper_grams_per_sheet=2500)


def test_an_envelope_format_that_fits_no_product_is_refused() -> None:
    xl = replace(FORMATS[0], code="XL", length_mm=700, width_mm=500, grams=50.0, max_sheets=None)
    huge = replace(DATA, envelopes=replace(DATA.envelopes, formats=(xl,), default_code="XL"))
    with pytest.raises(InputError, match=r"XL \(700 x 500 mm\) fits no Deutsche Post"):
        plan(1, data=huge)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"per_envelope": 0}, "lists per envelope must be at least 1"),
        ({"sheets_per_list": 0}, "sheets per list must be at least 1"),
        ({"envelope_grams": -1.0}, "envelope weight must be 0 g or more"),
        ({"paper_grams_per_sheet": 0.0}, "paper weight per sheet must be more than 0 g"),
        ({"paper_grams_per_sheet": math.nan}, "paper weight per sheet must be more than 0 g"),
    ],
)
def test_impossible_options_are_usage_errors(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        plan(2, **kwargs)


# --- manifest --------------------------------------------------------------------------------


def test_plan_as_json_gives_the_manifest_shape_with_cents() -> None:
    data = plan_as_json(plan(10))
    assert json.loads(json.dumps(data)) == data
    assert data["envelope_format"] == "DL"
    assert data["price_period"]["name"] == "2025"
    assert data["price_period"]["status"] == "verified"
    assert data["envelopes"] == [
        {
            "number": 1,
            "lists": [1, 2, 3, 4, 5, 6, 7, 8],
            "sheets": 8,
            "grams": 45.0,
            "product": "kompakt",
            "price_eur": 1.8,
        },
        {
            "number": 2,
            "lists": [9, 10],
            "sheets": 2,
            "grams": 15.0,
            "product": "standard",
            "price_eur": 1.25,
        },
    ]
    assert data["totals"] == {
        "envelopes": 2,
        "stamps": [{"value_eur": 1.8, "count": 1}, {"value_eur": 1.25, "count": 1}],
        "cost_eur": 3.05,
    }
    assert data["warnings"] == list(plan(10).warnings)


# --- properties ------------------------------------------------------------------------------
# The checks below restate the postal rules independently of merge.post.


def within_limits(
    data: PostageData, fmt: EnvelopeFormat, product: Product, sheets: int, paper: float
) -> bool:
    grams = fmt.grams + sheets * paper
    thickness = sheets * fmt.layers_per_sheet * data.mm_per_layer
    return (
        grams + data.weight_margin_grams <= product.max_grams + 1e-9
        and thickness <= product.max_thickness_mm + 1e-9
        and product.min_length_mm <= fmt.length_mm <= product.max_length_mm
        and product.min_width_mm <= fmt.width_mm <= product.max_width_mm
        and fmt.length_mm >= product.min_aspect * fmt.width_mm
        and (fmt.max_sheets is None or sheets <= fmt.max_sheets)
    )


class Rules:
    """What one batch may do, for computing simple alternatives by brute force."""

    def __init__(
        self,
        data: PostageData,
        code: str,
        when: date,
        cap: int | None,
        spl: int,
        country: str | None = None,
        extra: int = 0,
    ):
        self.data, self.fmt, self.cap, self.spl = data, data.envelopes.by_code(code), cap, spl
        self.extra = extra
        service: Service = next(
            s for s in data.services if (country or "*") in s.countries
        )  # looked up by hand, not by service_for
        self.products = service.products
        self.table = price_table_for(data, when, service)[0]

    def fits(self, product: Product, count: int) -> bool:
        if self.cap is not None and count > self.cap:
            return False
        return within_limits(self.data, self.fmt, product, count * self.spl + self.extra, 5.0)

    def capacity(self, product: Product, n: int) -> int:
        return max((k for k in range(1, n + 1) if self.fits(product, k)), default=0)

    def cheapest(self, count: int) -> Decimal | None:
        prices = [self.table.prices[p.code] for p in self.products if self.fits(p, count)]
        return min(prices, default=None)

    def alternatives(self, n: int) -> dict[str, Decimal]:
        found: dict[str, Decimal] = {}
        for product in self.products:  # all Standard (where possible), all Kompakt, ...
            if cap := self.capacity(product, n):
                found[f"all {product.code}"] = math.ceil(n / cap) * self.table.prices[product.code]
        one = self.cheapest(1)
        assert one is not None
        found["one list per envelope"] = n * one
        fullest = max(self.capacity(p, n) for p in self.products)
        chunks = [min(fullest, n - start) for start in range(0, n, fullest)]
        found["max-filled greedy"] = sum((self.cheapest(c) or D(0) for c in chunks), D(0))
        return found


class Batch(NamedTuple):
    n: int
    code: str
    when: date
    cap: int | None
    spl: int
    data: PostageData
    country: str | None  # None: abroad (Brief International); "DE": national products
    extra: int  # address sheets per envelope: 1 for window envelopes


batches = st.builds(
    Batch,
    n=st.integers(1, 200),
    code=st.sampled_from(["DL", "C5", "C4"]),
    when=st.sampled_from([Y2024, Y2025]),
    cap=st.one_of(st.none(), st.integers(1, 120)),
    spl=st.sampled_from([1, 1, 1, 2, 3]),
    data=st.sampled_from([DATA, UNCAPPED]),
    country=st.sampled_from([None, "DE"]),
    extra=st.sampled_from([0, 1]),
)


@settings(max_examples=400, deadline=None)
@given(batches)
def test_every_plan_is_a_valid_packing_no_dearer_than_simple_alternatives(b: Batch) -> None:
    n, code, when, cap, spl, data, country, extra = b
    rules = Rules(data, code, when, cap, spl, country, extra)
    p = plan(
        n,
        when,
        envelope=code,
        per_envelope=cap,
        sheets_per_list=spl,
        address_sheets=extra,
        country=country,
        data=data,
    )
    products = {product.code: product for product in rules.products}

    # every list in exactly one envelope, in order, contiguous; envelopes numbered 1..m
    assert [number for env in p.envelopes for number in env.lists] == list(range(1, n + 1))
    assert [env.number for env in p.envelopes] == list(range(1, len(p.envelopes) + 1))
    for env in p.envelopes:
        product = products[env.product]
        assert env.lists and (cap is None or len(env.lists) <= cap)
        assert env.sheets == len(env.lists) * spl + extra
        assert within_limits(data, rules.fmt, product, env.sheets, 5.0)
        assert env.grams <= product.max_grams
        assert env.thickness_mm <= product.max_thickness_mm
        assert env.price_eur == rules.table.prices[env.product]
        assert env.product_name == product.name
    assert p.total_eur == sum((env.price_eur for env in p.envelopes), D(0))
    assert sum(count for _, count in p.stamps) == len(p.envelopes)
    assert sum(value * count for value, count in p.stamps) == p.total_eur
    assert [value for value, _ in p.stamps] == sorted({v for v, _ in p.stamps}, reverse=True)

    for name, cost in rules.alternatives(n).items():
        assert p.total_eur <= cost, name


def compositions(n: int) -> list[list[int]]:
    """Return every way to cut n lists into runs, as run lengths."""
    result = []
    for cuts in range(n):
        for where in combinations(range(1, n), cuts):
            edges = [0, *where, n]
            result.append([b - a for a, b in pairwise(edges)])
    return result


@settings(max_examples=200, deadline=None)
@given(batches.map(lambda b: b._replace(n=b.n % 11 + 1)))
def test_plan_is_the_exact_optimum_with_the_fewest_envelopes(b: Batch) -> None:
    n, code, when, cap, spl, data, country, extra = b
    rules = Rules(data, code, when, cap, spl, country, extra)
    p = plan(
        n,
        when,
        envelope=code,
        per_envelope=cap,
        sheets_per_list=spl,
        address_sheets=extra,
        country=country,
        data=data,
    )
    best: tuple[Decimal, int] | None = None
    for runs in compositions(n):
        prices = [rules.cheapest(k) for k in runs]
        if all(price is not None for price in prices):
            option = (sum((price or D(0) for price in prices), D(0)), len(runs))
            best = option if best is None else min(best, option)
    assert best == (p.total_eur, len(p.envelopes))
