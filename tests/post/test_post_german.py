"""Postage in German: prices, the porto.toml entry to write, the plan's advice and refusals.

German is asserted word for word; the same calls in English are the tests of test_prices.py
and test_plan.py (the tests' language).
"""

from __future__ import annotations

import textwrap
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from merge import i18n
from merge.errors import InputError, UsageError
from merge.post.data import PriceTable, bundled_postage, service_for
from merge.post.envelope_formats import bundled_envelope_data
from merge.post.money import format_eur
from merge.post.plan import cheaper_advice, plan_envelopes
from merge.post.prices import example_entry, folder_postage, price_table_for

DATA = bundled_postage()
INTL = service_for(DATA, None)


@pytest.fixture(autouse=True)
def german() -> None:
    i18n.activate("de")


def refused(tmp_path: Path, text: str) -> str:
    (tmp_path / "porto.toml").write_text(textwrap.dedent(text), encoding="utf-8")
    with pytest.raises(InputError) as info:
        folder_postage(tmp_path)
    assert "\n" not in str(info.value)
    return str(info.value)


PERIOD = """
    [[preise]]
    versand = "international"
    gueltig_ab = 01.01.2027
    gueltig_bis = 31.12.2027
    quelle = "Aushang in der Filiale, 4.1.2027"
    standard = 1,40
    kompakt = 2,00
    gross = 3,60
    maxi = 7
    maxi2000 = 18
"""


def test_money_is_german() -> None:
    assert format_eur(Decimal("1387.5")) == "1387,50 €"


def test_a_period_is_named_with_german_dates() -> None:
    table = PriceTable(date(2025, 1, 1), date(2026, 6, 30), "own", "x", {})
    assert table.name == "01.01.2025 bis 30.06.2026"
    assert PriceTable(date(2026, 1, 1), date(2026, 12, 31), "own", "x", {}).name == "2026"


def test_a_day_without_prices_is_a_german_warning_with_the_entry_in_german_spelling() -> None:
    table, warning = price_table_for(DATA, date(2027, 2, 1))
    assert table.name == "2026"
    assert warning == (
        "Für den 01.02.2027 sind keine Preise der Deutschen Post (Brief International) bekannt; "
        "verwendet werden die Preise 2026 - prüfen Sie sie und tragen Sie die Preise von 2027 "
        "in porto.toml im Ordner ein, in dem Sie petition-merge starten (legen Sie die Datei "
        "an, falls es sie nicht gibt), zum Beispiel:\n"
        "  [[preise]]\n"
        '  versand = "international"\n'
        "  gueltig_ab = 01.01.2027\n"
        "  gueltig_bis = 31.12.2027\n"
        '  quelle = "deutschepost.de, abgerufen am ..."\n'
        "  standard = 1,25\n"
        "  kompakt = 1,80\n"
        "  gross = 3,30\n"
        "  maxi = 6,50\n"
        "  maxi2000 = 17,00"
    )


def test_the_entry_the_warning_shows_is_read_back_as_written(tmp_path: Path) -> None:
    entry = example_entry(INTL, (date(2027, 1, 1), date(2027, 12, 31)), INTL.tables[-1])
    (tmp_path / "porto.toml").write_text(entry, encoding="utf-8")
    [table] = service_for(folder_postage(tmp_path), None).own_tables
    assert (table.valid_from, table.valid_to) == (date(2027, 1, 1), date(2027, 12, 31))
    assert dict(table.prices) == dict(INTL.tables[-1].prices)


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("01.01.27", "31.12.27"),  # unquoted: TOML's own reading, made German
        ('"01.01.27"', '"31.12.27"'),  # quoted: a text the price reader reads as a date
        ('"1.1.27"', '"2027-12-31"'),
    ],
)
def test_a_two_digit_year_in_porto_toml_is_20yy(tmp_path: Path, start: str, end: str) -> None:
    text = PERIOD.replace("01.01.2027", start).replace("31.12.2027", end)
    (tmp_path / "porto.toml").write_text(textwrap.dedent(text), encoding="utf-8")
    [table] = service_for(folder_postage(tmp_path), None).own_tables
    assert (table.valid_from, table.valid_to) == (date(2027, 1, 1), date(2027, 12, 31))


def test_an_unverified_period_is_a_german_warning() -> None:
    _table, warning = price_table_for(DATA, date(2024, 2, 1))
    assert warning is not None
    assert warning.startswith(
        "Die Preise der Deutschen Post (Brief International) für 2024 sind nicht geprüft "
        "(erschlossen, nicht aus einer Preisliste der Deutschen Post) - prüfen Sie sie; wenn sie "
        "abweichen, tragen Sie die richtigen in porto.toml im Ordner ein"
    )


def test_a_german_porto_toml_is_read(tmp_path: Path) -> None:
    (tmp_path / "porto.toml").write_text(textwrap.dedent(PERIOD), encoding="utf-8")
    [table] = service_for(folder_postage(tmp_path), None).own_tables
    assert table.prices["kompakt"] == Decimal("2.00")
    assert table.valid_to == date(2027, 12, 31)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "kompakt = 2,00",
            'kompakt = "2,00"',
            'porto.toml [[preise]] 1: kompakt = "2,00" - schreiben Sie einen Preis in Euro wie '
            "1,80, ohne Anführungszeichen",
        ),
        (
            "gueltig_ab = 01.01.2027",
            'gueltig_ab = "Januar 2027"',
            'porto.toml [[preise]] 1: gueltig_ab = "Januar 2027" - schreiben Sie ein Datum wie '
            "31.12.2026",
        ),
        (
            "gueltig_bis = 31.12.2027",
            "gueltig_bis = 31.12.2026",
            "porto.toml [[preise]] 1: gueltig_bis liegt vor gueltig_ab - vertauschen Sie die "
            "beiden",
        ),
        (
            "    maxi2000 = 18\n",
            "",
            "porto.toml [[preise]] 1: maxi2000 fehlt - geben Sie den Preis jeder Sendungsart an: "
            "standard, kompakt, gross, maxi, maxi2000",
        ),
        (
            '"international"',
            '"inland"',
            'porto.toml [[preise]] 1: versand = "inland" - schreiben Sie "national" oder '
            '"international"',
        ),
    ],
)
def test_every_mistake_in_porto_toml_is_one_german_line(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    assert old in PERIOD
    assert refused(tmp_path, PERIOD.replace(old, new)) == message


def test_laufzeit_mistakes_are_german(tmp_path: Path) -> None:
    assert refused(tmp_path, "[laufzeit]\nDE = 0\n") == (
        "porto.toml [laufzeit]: DE = 0 - schreiben Sie ganze Tage, mindestens 1"
    )
    assert refused(tmp_path, "[laufzeit]\nAtlantis = 5\n").startswith(
        'porto.toml [laufzeit]: "Atlantis" ist kein Land - schreiben Sie den Ländercode'
    )


def test_the_plan_warns_and_advises_in_german() -> None:
    plan = plan_envelopes(list(range(1, 24)), mail_date=date(2025, 3, 1))
    assert plan.warnings[-1] == (
        "Die Gewichte der Umschläge sind geschätzt (Umschlag DL 5 g, 5 g je Blatt): wiegen Sie "
        "einen gefüllten Umschlag, bevor Sie Briefmarken kaufen."
    )
    assert plan.cheaper is not None
    assert cheaper_advice(plan) == (
        f"Mit C5 würde es {format_eur(plan.cheaper.total_eur)} statt "
        f"{format_eur(plan.total_eur)} kosten (1 Umschlag statt {len(plan.envelopes)}) - "
        "beim nächsten Mal: petition-merge run --envelope C5"
    )


def test_plan_refusals_are_german() -> None:
    with pytest.raises(UsageError) as info:
        plan_envelopes([1], mail_date=date(2026, 1, 1), paper_grams_per_sheet=0.0)
    assert str(info.value) == "Das Papiergewicht je Blatt muss mehr als 0 g sein (angegeben: 0)"
    with pytest.raises(UsageError) as info:
        plan_envelopes([1], mail_date=date(2026, 1, 1), envelope="B4")
    assert str(info.value) == (
        "Unbekanntes Umschlagformat 'B4' - nehmen Sie eines von DL, C5, C4 (oder ergänzen Sie "
        "es in merge/data/envelopes.json)"
    )
    with pytest.raises(InputError) as info:
        plan_envelopes([1], mail_date=date(2026, 1, 1), envelope="DL", sheets_per_list=9)
    assert str(info.value).startswith(
        "Eine Liste hat 9 Blätter, aber ein Umschlag DL fasst höchstens 8 - nehmen Sie einen "
        "Umschlag C5 oder weniger Blätter je Liste"
    )


def test_the_envelope_formats_are_the_plans_formats() -> None:
    assert bundled_envelope_data().codes == ("DL", "C5", "C4")


def test_the_manifest_gives_each_postage_warning_a_code_in_every_language() -> None:
    from merge.post.plan import plan_as_json

    german = plan_as_json(plan_envelopes([1, 2], mail_date=date(2027, 2, 1)))
    i18n.activate("en")
    english = plan_as_json(plan_envelopes([1, 2], mail_date=date(2027, 2, 1)))
    assert (
        german["warning_codes"]
        == english["warning_codes"]
        == [
            "no-prices-for-day",
            "weights-estimated",
        ]
    )
    assert german["warnings"][0].startswith("Für den 01.02.2027")
    assert english["warnings"][0].startswith("no known Deutsche Post prices")
    unverified = plan_as_json(plan_envelopes([1], mail_date=date(2024, 2, 1)))
    assert unverified["warning_codes"] == ["prices-unverified", "weights-estimated"]
