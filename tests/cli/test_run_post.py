"""The post of a run, end to end: national or abroad, read back from the batch's files.

The expected prices come from the price tables of merge/data/postage.json, read here as plain
JSON, never from merge.post. Invented addressees only.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from conftest import HEADER, ROOT, invoke, manifests, signer_rows, status_json, write_csv
from docx import Document

from merge.post.money import format_eur

POSTAGE = json.loads((ROOT / "merge" / "data" / "postage.json").read_text(encoding="utf-8"))
XUAR = (ROOT / "templates" / "xuar.toml").read_text(encoding="utf-8")
BERLIN = [
    "Botschaft der Republik Beispielland",
    "Z. Hd. Frau Botschafterin",
    "Musterallee 12",
    "10117 Berlin",
]
MAIL_DATE = "2026-03-02"


def price(service: str, product: str, year: int = 2026) -> Decimal:
    """Return a product's price of that year, as the data file states it."""
    [entry] = [s for s in POSTAGE["services"] if s["code"] == service]
    [table] = [t for t in entry["price_tables"] if t["valid_from"] == f"{year}-01-01"]
    return Decimal(str(table["prices_eur"][product])).quantize(Decimal("0.01"))


def write_campaign(project: Path, name: str, addressee: list[str], extra: str = "") -> Path:
    """Write templates/<name>.toml: the default campaign with another addressee."""
    original = re.search(r"addressee = \[.*?\]", XUAR, re.DOTALL)
    assert original is not None
    lines = ", ".join(json.dumps(line, ensure_ascii=False) for line in addressee)
    path = project / "templates" / f"{name}.toml"
    path.write_text(XUAR.replace(original.group(), f"addressee = [{lines}]\n{extra}"), "utf-8")
    return path


def signers(project: Path, count: int) -> Path:
    return write_csv(project / "inputs" / "liste.csv", [HEADER, *signer_rows(count)])


def run_ok(*args: str) -> Result:
    result = invoke("run", "--no-pdf", "--mail-date", MAIL_DATE, *args)
    assert result.exit_code == 0, result.output
    return result


def post_office(batch: Path) -> tuple[list[list[str]], list[str]]:
    """Return the table rows and the paragraphs of the batch's post-office page."""
    doc = Document(str(batch / "post-office.docx"))
    [table] = doc.tables
    return [[cell.text for cell in row.cells] for row in table.rows], [
        p.text for p in doc.paragraphs
    ]


def only_batch(project: Path) -> tuple[Path, dict[str, Any]]:
    [manifest] = manifests(project)
    return project / "outputs" / manifest["batch"], manifest


# --- national or international ---------------------------------------------------------------


def test_a_campaign_to_an_embassy_in_berlin_goes_as_national_letters(project: Path) -> None:
    write_campaign(project, "botschaft", BERLIN)
    signers(project, 23)  # 5 lists: 5 sheets in a DL envelope, 30 g: one Kompaktbrief
    result = run_ok("--campaign", "botschaft")
    kompakt = price("national", "kompakt")
    assert kompakt != price("international", "kompakt")
    assert "Envelopes (DL, Briefe in Deutschland)" in result.output
    assert "Kompaktbrief" in result.output and "International" not in result.output
    assert f"postage {format_eur(kompakt)} (prices 2026)" in result.output

    batch, manifest = only_batch(project)
    assert manifest["postage"]["service"] == "national"
    assert [(e["product"], Decimal(str(e["price_eur"]))) for e in manifest["envelopes"]] == [
        ("kompakt", kompakt)
    ]
    rows, paragraphs = post_office(batch)
    assert rows[1] == ["Kompaktbrief", "1", format_eur(kompakt), format_eur(kompakt)]
    assert any("(Deutsche Post, Briefe in Deutschland)" in p for p in paragraphs)
    labels = "\n".join(
        cell.text
        for table in Document(str(batch / "labels.docx")).tables
        for row in table.rows
        for cell in row.cells
    )
    assert "10117 Berlin" in labels


def test_the_default_campaign_goes_as_brief_international(project: Path) -> None:
    signers(project, 23)
    run_ok()
    batch, manifest = only_batch(project)
    kompakt = price("international", "kompakt")
    assert manifest["postage"]["service"] == "international"
    rows, paragraphs = post_office(batch)
    assert rows[1] == ["Kompaktbrief International", "1", format_eur(kompakt), format_eur(kompakt)]
    assert any("(Deutsche Post, Brief International)" in p for p in paragraphs)


@pytest.mark.parametrize(("country", "service"), [("DE", "national"), ("CN", "international")])
def test_the_country_key_picks_the_service(project: Path, country: str, service: str) -> None:
    # The same Berlin lines; the key says where the letter goes.
    write_campaign(project, "k", BERLIN, extra=f'country = "{country}"')
    signers(project, 5)
    run_ok("--campaign", "k")
    _, manifest = only_batch(project)
    assert manifest["postage"]["service"] == service
    [envelope] = manifest["envelopes"]
    assert Decimal(str(envelope["price_eur"])) == price(service, "standard")


# --- transit: the latest safe mailing day ----------------------------------------------------


def plan_days(destination: str) -> int:
    [entry] = [t for t in POSTAGE["transit"] if t["destination"] == destination]
    return int(entry["plan_days"])


def summary(batch: Path) -> dict[Any, Any]:
    """Return the label -> value lines of the checklist's summary sheet, as Excel reads them."""
    from openpyxl import load_workbook

    book = load_workbook(batch / "dispatch-checklist.xlsx", read_only=True)
    try:
        return {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True) if row[0]}
    finally:
        book.close()


@pytest.mark.parametrize(
    ("addressee", "destination"), [(BERLIN, "DE"), (["Amt", "Platz 1", "CHINA"], "CN")]
)
def test_a_national_campaign_plans_the_national_transit_in_checklist_and_status(
    project: Path, addressee: list[str], destination: str
) -> None:
    write_campaign(project, "k", addressee)
    campaign = project / "templates" / "k.toml"
    text = campaign.read_text(encoding="utf-8").replace("2023-12-31", "2026-12-20")
    campaign.write_text(text, encoding="utf-8")
    signers(project, 7)
    run_ok("--campaign", "k")
    days = plan_days(destination)
    assert plan_days("DE") < plan_days("CN")  # the two cases differ
    latest = date(2026, 12, 20) - timedelta(days=days)

    batch, manifest = only_batch(project)
    assert manifest["dispatch"] == {
        "mail_date": MAIL_DATE,
        "country": destination,
        "transit_days": days,
        "deadline": "2026-12-20",
        "latest_safe_mailing": latest.isoformat(),
    }
    rows = summary(batch)
    assert rows["Transit (days)"] == days
    assert rows["Latest safe mailing date"] == datetime(latest.year, latest.month, latest.day)
    [status] = status_json()["batches"]
    assert (status["transit_days"], status["latest_safe_mailing"]) == (days, latest.isoformat())


# --- porto.toml: prices petition-merge does not know yet --------------------------------------

PORTO_2027 = """\
# Preise 2027, invented for this test
[[preise]]
versand = "international"
gueltig_ab = 2027-01-01
gueltig_bis = 2027-12-31
quelle = "Aushang in der Filiale"
standard = 1.40
kompakt = 2.05
gross = 3.60
maxi = 7.00
maxi2000 = 18.00
"""


def test_a_2027_run_without_prices_warns_naming_porto_toml_with_an_entry(project: Path) -> None:
    signers(project, 23)
    result = invoke("run", "--no-pdf", "--mail-date", "2027-02-01")
    assert result.exit_code == 0, result.output
    assert (
        "warning: no known Deutsche Post prices (Brief International) for 2027-02-01; using the "
        "2026 prices - check them, and put the prices of 2027 into porto.toml in the folder you "
        "run petition-merge in (create it if it is not there), for example:"
    ) in " ".join(result.stderr.split())
    assert '\n  [[preise]]\n  versand = "international"\n  gueltig_ab = 2027-01-01\n' in (
        result.stderr
    )
    _, manifest = only_batch(project)
    assert manifest["postage"]["price_period"]["name"] == "2026"
    assert any("porto.toml" in text for text in manifest["postage"]["warnings"])


def test_a_2027_run_takes_the_prices_of_porto_toml_in_the_working_folder(project: Path) -> None:
    (project / "porto.toml").write_text(PORTO_2027, encoding="utf-8")
    signers(project, 23)  # 5 lists in one DL envelope: a Kompaktbrief
    result = invoke("run", "--no-pdf", "--mail-date", "2027-02-01")
    assert result.exit_code == 0, result.output
    assert "no known Deutsche Post prices" not in result.stderr
    assert "postage €2.05 (prices 2027 from Aushang in der Filiale)" in result.output
    batch, manifest = only_batch(project)
    period = manifest["postage"]["price_period"]
    assert (period["name"], period["status"], period["source"]) == (
        "2027",
        "own",
        "Aushang in der Filiale",
    )
    assert [e["price_eur"] for e in manifest["envelopes"]] == [2.05]
    rows, _ = post_office(batch)
    assert rows[1] == ["Kompaktbrief International", "1", "€2.05", "€2.05"]


def test_a_mistake_in_porto_toml_stops_the_run_in_one_line(project: Path) -> None:
    (project / "porto.toml").write_text(PORTO_2027.replace("2.05", '"2,05"'), encoding="utf-8")
    signers(project, 5)
    result = invoke("run", "--no-pdf", "--mail-date", "2027-02-01")
    assert result.exit_code == 3, result.output
    assert "Traceback" not in result.output
    [line] = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert 'porto.toml [[preise]] 1: kompakt = "2,05" - write a price in EUR like 1.80' in line
    assert not (project / "outputs").exists() or manifests(project) == []


# --- window envelopes: the address sheet goes in too ------------------------------------------

ENVELOPES = json.loads((ROOT / "merge" / "data" / "envelopes.json").read_text(encoding="utf-8"))


def envelope_format(code: str) -> dict[str, Any]:
    [fmt] = [f for f in ENVELOPES["formats"] if f["code"] == code]
    return fmt  # type: ignore[no-any-return]


def test_a_window_batch_counts_and_weighs_the_address_sheet_in_every_envelope(
    project: Path,
) -> None:
    signers(project, 115)  # 23 lists
    result = run_ok("--window")
    assert "include the address sheet of each window envelope" in result.output
    batch, manifest = only_batch(project)
    envelopes = manifest["envelopes"]
    dl = envelope_format("DL")
    sheet_grams = POSTAGE["paper"]["grams_per_sheet"]
    assert manifest["postage"]["address_sheets_per_envelope"] == 1
    assert sum(len(e["lists"]) for e in envelopes) == 23
    for envelope in envelopes:
        assert envelope["sheets"] == len(envelope["lists"]) + 1
        assert envelope["sheets"] <= dl["max_sheets"]  # never over what a DL closes on
        assert envelope["grams"] == pytest.approx(dl["grams"] + envelope["sheets"] * sheet_grams)
    # 7 lists and the address sheet fill a DL: 23 lists take 4 envelopes, not 3.
    assert len(envelopes) == -(-23 // (dl["max_sheets"] - 1)) == 4
    # One address sheet printed per envelope, each a page of envelopes.docx.
    starts = [
        p for p in Document(str(batch / "envelopes.docx")).paragraphs if p.text == "President"
    ]
    assert len(starts) == len(envelopes)
    # The checklist weighs them the same.
    from openpyxl import load_workbook

    book = load_workbook(batch / "dispatch-checklist.xlsx", read_only=True)
    grams = [row[5] for row in book["Envelopes"].iter_rows(min_row=2, values_only=True)]
    book.close()
    assert grams == [e["grams"] for e in envelopes]


def test_without_window_the_same_lists_fill_the_envelopes_to_their_capacity(
    project: Path,
) -> None:
    signers(project, 115)
    run_ok()
    _, manifest = only_batch(project)
    assert manifest["postage"]["address_sheets_per_envelope"] == 0
    assert [e["sheets"] for e in manifest["envelopes"]] == [8, 8, 7]


# --- the cheapest envelope ---------------------------------------------------------------------


def test_the_run_says_in_console_manifest_and_post_office_that_c5_is_cheaper(
    project: Path,
) -> None:
    # 23 lists: a DL closes on 8 sheets, so 8 + 8 + 7 = 3 Kompaktbriefe International; one C5
    # Großbrief International (8 + 23 * 5 = 123 g) holds them all, and so does a C4 one, which
    # costs the same but is the bigger envelope.
    signers(project, 115)
    dl, c5 = 3 * price("international", "kompakt"), price("international", "gross")
    assert c5 < dl
    advice = (
        f"C5 would cost {format_eur(c5)} instead of {format_eur(dl)} (1 envelope instead of 3) - "
        "next time: petition-merge run --envelope C5"
    )
    result = run_ok()
    assert f"Cheaper: {advice}" in " ".join(result.output.split())
    batch, manifest = only_batch(project)
    postage = manifest["postage"]
    assert postage["envelope_format"] == "DL"
    assert postage["totals"]["cost_eur"] == float(dl)
    assert postage["formats"] == [
        {"envelope_format": "DL", "envelopes": 3, "cost_eur": float(dl)},
        {"envelope_format": "C5", "envelopes": 1, "cost_eur": float(c5)},
        {"envelope_format": "C4", "envelopes": 1, "cost_eur": float(c5)},
    ]
    assert postage["cheaper"] == {
        "envelope_format": "C5",
        "envelopes": 1,
        "cost_eur": float(c5),
        "advice": advice,
    }
    _, paragraphs = post_office(batch)
    assert (
        f"Cheaper: the same lists would cost {format_eur(c5)} in C5 envelopes instead of "
        f"{format_eur(dl)} (1 letter instead of 3; next time: petition-merge run --envelope C5)."
    ) in paragraphs
    # The advice can be followed: the batch goes first, or the ledger leaves everyone out.
    redo = f"petition-merge discard {batch.name}, then run again with --envelope C5"
    assert redo in " ".join(result.output.split())
    assert invoke("discard", batch.name).exit_code == 0
    again = run_ok("--envelope", "C5")
    assert "Nothing new" not in again.output and "Cheaper" not in again.output


def test_the_counter_sheet_says_when_the_prices_are_a_guess(project: Path) -> None:
    signers(project, 5)
    result = invoke("run", "--no-pdf", "--mail-date", "2027-01-15")
    assert result.exit_code == 0, result.output
    batch, _ = only_batch(project)
    _, paragraphs = post_office(batch)
    assert (
        "Caution: no postage prices are known for 2027-01-15; the 2026 prices are assumed. "
        "Please check them at the counter."
    ) in paragraphs
    known = invoke("run", "--no-pdf", "--reprint", "--mail-date", MAIL_DATE)
    assert known.exit_code == 0, known.output
    newest = sorted((project / "outputs").glob("*/post-office.docx"))[-1].parent
    assert not any(p.startswith("Caution") for p in post_office(newest)[1])


def test_no_advice_when_the_envelope_asked_for_is_the_cheapest(project: Path) -> None:
    signers(project, 115)
    result = run_ok("--envelope", "C5")
    assert "Cheaper" not in result.output
    batch, manifest = only_batch(project)
    assert manifest["postage"]["cheaper"] is None
    _, paragraphs = post_office(batch)
    assert not any(p.startswith("Cheaper") for p in paragraphs)


def test_envelope_auto_prints_on_the_cheapest_format(project: Path) -> None:
    signers(project, 115)  # 23 lists: C5 and C4 one Großbrief each, DL three Kompaktbriefe
    gross, kompakt = price("international", "gross"), price("international", "kompakt")
    result = run_ok("--envelope", "auto")
    costs = f"DL {format_eur(3 * kompakt)}, C5 {format_eur(gross)}, C4 {format_eur(gross)}"
    assert f"--envelope auto: C5, the lowest postage ({costs})" in result.output
    assert "Cheaper" not in result.output
    batch, manifest = only_batch(project)
    postage = manifest["postage"]
    assert (postage["envelope_format"], postage["envelope_auto"], postage["cheaper"]) == (
        "C5",
        True,
        None,
    )
    assert [(e["product"], e["price_eur"]) for e in manifest["envelopes"]] == [
        ("gross", float(gross))
    ]
    # The envelopes printed are C5 ones (229 x 162 mm), not the default DL.
    section = Document(str(batch / "envelopes.docx")).sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (229, 162)
    _, paragraphs = post_office(batch)
    assert any(p.startswith("Envelopes C5 (the cheapest format), prices 2026") for p in paragraphs)


def test_envelope_auto_with_an_envelope_weight_is_a_usage_error(project: Path) -> None:
    signers(project, 5)
    result = invoke("run", "--no-pdf", "--envelope", "auto", "--envelope-grams", "6")
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    [line] = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert "give the format with it (one of DL, C5, C4), not 'auto'" in line


def test_auto_and_the_advice_leave_out_formats_the_campaign_text_does_not_fit(
    project: Path,
) -> None:
    """A sender line so long that only a C4 envelope holds it, even on two lines: auto takes
    C4 although DL would cost less, and the plan advises no format it could not print."""
    signers(project, 115)  # 23 lists: DL three Kompaktbriefe, C5 and C4 one Großbrief each
    long_line = "Amnesty-Gruppe Musterstadt, " + ", ".join(f"Beispielweg {i}" for i in range(20))
    text = project / "templates" / "xuar.toml"
    original = (ROOT / "templates" / "xuar.toml").read_text(encoding="utf-8")
    sender = re.search(r'^sender_line = ".*"$', original, re.MULTILINE)
    assert sender is not None
    text.write_text(original.replace(sender.group(), f'sender_line = "{long_line}"'), "utf-8")
    result = run_ok("--envelope", "auto")
    _, manifest = only_batch(project)
    assert manifest["postage"]["envelope_format"] == "C4"
    assert [f["envelope_format"] for f in manifest["postage"]["formats"]] == ["C4"]
    assert manifest["postage"]["cheaper"] is None and "--envelope C5" not in result.output
    refused = invoke("run", "--no-pdf", "--reprint", "--envelope", "DL")
    assert refused.exit_code == 5 and "key 'sender_line'" in refused.stderr


def test_a_postcode_line_read_as_germany_is_said_on_every_run(project: Path) -> None:
    """A French "75008 Paris" without its country line looks like a German address: the run
    must say how it read it, not frank it silently as a national letter."""
    signers(project, 5)
    write_campaign(project, "xuar", ["Ambassade de Exemple", "1 Rue d'Exemple", "75008 Paris"])
    result = run_ok()
    assert (
        'the addressee\'s last line "75008 Paris" is read as a German postcode and town, so '
        "the letters go as national post - if the addressee is abroad, end the addressee with "
        'the country in capitals (e.g. "FRANCE")'
    ) in " ".join(result.stderr.split())
    write_campaign(project, "xuar", ["Ambassade de Exemple", "1 Rue d'Exemple", "75008 Paris",
                                     "FRANCE"])  # fmt: skip
    result = run_ok("--reprint")
    assert "read as a German postcode" not in result.stderr
    assert [m["postage"]["service"] for m in manifests(project)] == ["national", "international"]
