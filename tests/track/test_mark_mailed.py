"""mark-mailed: envelopes recorded as mailed, from the edited checklist or by number."""

import datetime as dt
import sqlite3
from pathlib import Path

from conftest import invoke, manifests, status_json
from openpyxl import load_workbook


def test_checklist_round_trip_marks_envelopes_mailed(project: Path, signers_csv: Path) -> None:
    assert invoke("run", "--no-pdf", "--per-envelope", "1").exit_code == 0
    [manifest] = manifests(project)
    batch = manifest["batch"]
    checklist = project / "outputs" / batch / "dispatch-checklist.xlsx"
    workbook = load_workbook(checklist)
    sheet = workbook["Umschläge"]
    assert [sheet.cell(row, 1).value for row in range(2, 7)] == [1, 2, 3, 4, 5]
    sheet["G2"] = dt.date(2026, 11, 30)  # a real date cell
    sheet["G3"] = 46356  # an Excel serial number: 2026-11-30
    sheet["G4"] = "30.11.2026"
    sheet["G5"] = "x"  # ticked, no date: takes --date
    sheet["H5"] = "Volunteer B"
    workbook.save(checklist)

    result = invoke("mark-mailed", "--checklist", str(checklist), "--date", "2026-12-01")
    assert result.exit_code == 0, result.output
    state = status_json()["batches"][0]
    assert state["envelopes"] == {"prepared": 1, "mailed": 4, "discarded": 0}
    assert state["signers"] == {"prepared": 3, "mailed": 20, "discarded": 0}
    with sqlite3.connect(project / "outputs" / "ledger.sqlite") as db:
        mailed = db.execute(
            "SELECT number, mailed_on, mailed_by FROM envelopes WHERE state = 'mailed' "
            "ORDER BY number"
        ).fetchall()
    assert mailed == [
        (1, "2026-11-30", None),
        (2, "2026-11-30", None),
        (3, "2026-11-30", None),
        (4, "2026-12-01", "Volunteer B"),
    ]
    # Reading the same checklist again changes nothing; discarding keeps mailed envelopes.
    again = invoke("mark-mailed", "--checklist", str(checklist), "--date", "2026-12-01")
    assert again.output.count("unchanged") == 4
    discarded = invoke("discard", batch)
    assert discarded.output.count("unchanged: mailed") == 4
    assert status_json()["batches"][0]["envelopes"] == {"prepared": 0, "mailed": 4, "discarded": 1}


def test_checklist_with_an_unreadable_date_names_the_cell(project: Path, signers_csv: Path) -> None:
    assert invoke("run", "--no-pdf").exit_code == 0
    [manifest] = manifests(project)
    checklist = project / "outputs" / manifest["batch"] / "dispatch-checklist.xlsx"
    workbook = load_workbook(checklist)
    workbook["Umschläge"]["G2"] = "morgen"
    workbook.save(checklist)
    result = invoke("mark-mailed", "--checklist", str(checklist))
    assert result.exit_code == 3
    assert "Umschläge!G2" in result.stderr and "morgen" in result.stderr
    assert status_json()["batches"][0]["envelopes"]["mailed"] == 0


def test_mark_mailed_by_number_and_errors(project: Path, signers_csv: Path) -> None:
    assert invoke("run", "--no-pdf", "--per-envelope", "2").exit_code == 0
    batch = manifests(project)[0]["batch"]
    result = invoke("mark-mailed", f"{batch}:1-2", "--date", "28.11.2026", "--by", "Anna")
    assert result.exit_code == 0, result.output
    assert status_json()["batches"][0]["envelopes"]["mailed"] == 2
    unknown = invoke("mark-mailed", "1999-01-01-1:1")
    assert unknown.exit_code == 7 and "no batch '1999-01-01-1'" in unknown.stderr
    missing = invoke("mark-mailed", f"{batch}:9")
    assert missing.exit_code == 7 and "there is no envelope 9" in missing.stderr
    assert "Traceback" not in unknown.output + missing.output
