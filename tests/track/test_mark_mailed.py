"""mark-mailed: envelopes recorded as mailed, from the edited checklist or by number."""

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from conftest import batch_record, invoke, manifests, record_batches, status_json
from openpyxl import load_workbook

from merge.errors import LedgerError
from merge.track.discard import discard
from merge.track.ledger import Change
from merge.track.mark_mailed import mark_mailed
from merge.track.status import status
from merge.track.where import LedgerLocation

TODAY = dt.date(2026, 12, 31)  # the day the tracking commands run


def test_checklist_round_trip_marks_envelopes_mailed(project: Path, signers_csv: Path) -> None:
    assert invoke("run", "--no-pdf", "--per-envelope", "1").exit_code == 0
    [manifest] = manifests(project)
    batch = manifest["batch"]
    checklist = project / "outputs" / batch / "dispatch-checklist.xlsx"
    workbook = load_workbook(checklist)
    sheet = workbook["Envelopes"]
    assert [sheet.cell(row, 1).value for row in range(2, 7)] == [1, 2, 3, 4, 5]
    today = dt.date.today()  # the batch was prepared today: no day before it is accepted
    sheet["G2"] = today  # a real date cell
    sheet["G3"] = (today - dt.date(1899, 12, 30)).days  # an Excel serial number
    sheet["G4"] = f"{today:%d.%m.%Y}"
    sheet["G5"] = "x"  # ticked, no date: takes --date
    sheet["H5"] = "Volunteer B"
    workbook.save(checklist)

    result = invoke("mark-mailed", "--checklist", str(checklist), "--date", f"{today:%d.%m.%y}")
    assert result.exit_code == 0, result.output
    state = status_json()["batches"][0]
    assert state["envelopes"] == {"prepared": 1, "mailed": 4, "discarded": 0}
    assert state["signers"] == {"prepared": 3, "mailed": 20, "discarded": 0}
    with sqlite3.connect(project / "outputs" / "ledger.sqlite") as db:
        mailed = db.execute(
            "SELECT number, mailed_on, mailed_by FROM envelopes WHERE state = 'mailed' "
            "ORDER BY number"
        ).fetchall()
    day = today.isoformat()
    assert mailed == [(1, day, None), (2, day, None), (3, day, None), (4, day, "Volunteer B")]
    # Reading the same checklist again changes nothing; discarding keeps mailed envelopes.
    again = invoke("mark-mailed", "--checklist", str(checklist), "--date", day)
    assert again.output.count("unchanged") == 4
    discarded = invoke("discard", batch)
    assert discarded.output.count("unchanged: mailed") == 4
    assert status_json()["batches"][0]["envelopes"] == {"prepared": 0, "mailed": 4, "discarded": 1}


def test_checklist_with_an_unreadable_date_names_the_cell(project: Path, signers_csv: Path) -> None:
    assert invoke("run", "--no-pdf").exit_code == 0
    [manifest] = manifests(project)
    checklist = project / "outputs" / manifest["batch"] / "dispatch-checklist.xlsx"
    workbook = load_workbook(checklist)
    workbook["Envelopes"]["G2"] = "morgen"
    workbook.save(checklist)
    result = invoke("mark-mailed", "--checklist", str(checklist))
    assert result.exit_code == 3
    assert "Envelopes!G2" in result.stderr and "morgen" in result.stderr
    assert status_json()["batches"][0]["envelopes"]["mailed"] == 0


def test_mark_mailed_by_number_and_errors(project: Path, signers_csv: Path) -> None:
    assert invoke("run", "--no-pdf", "--per-envelope", "2").exit_code == 0
    batch = manifests(project)[0]["batch"]
    today = f"{dt.date.today():%d.%m.%Y}"
    result = invoke("mark-mailed", f"{batch}:1-2", "--date", today, "--by", "Anna")
    assert result.exit_code == 0, result.output
    assert status_json()["batches"][0]["envelopes"]["mailed"] == 2
    unknown = invoke("mark-mailed", "1999-01-01-1:1")
    assert unknown.exit_code == 7 and "no batch '1999-01-01-1'" in unknown.stderr
    missing = invoke("mark-mailed", f"{batch}:9")
    assert missing.exit_code == 7 and "there is no envelope 9" in missing.stderr
    assert "Traceback" not in unknown.output + missing.output


def test_mark_mailed_records_the_day_and_who_and_says_what_changed(
    ledger_at: LedgerLocation, tmp_path: Path
) -> None:
    path = ledger_at
    record_batches(path, batch_record("b", tmp_path, 15, [1, 2, 3]))
    first = mark_mailed(path, ["b:1-2"], None, dt.date(2026, 11, 28), "Anna", today=TODAY)
    assert first == [Change("b", 1, "mailed on 2026-11-28"), Change("b", 2, "mailed on 2026-11-28")]
    again = mark_mailed(path, ["b:2"], None, dt.date(2026, 11, 28), None, today=TODAY)
    assert again == [Change("b", 2, "unchanged: mailed on 2026-11-28")]
    later = mark_mailed(path, ["b:2"], None, dt.date(2026, 11, 29), None, today=TODAY, correct=True)
    assert later == [
        Change("b", 2, "corrected: mailed on 2026-11-29 by Anna (was mailed on 2026-11-28 by Anna)")
    ]  # the person stays: only the date was corrected, and the line says both
    [summary] = status(path, dt.date(2026, 11, 30))
    states = [(e.state, e.mailed_on, e.mailed_by) for e in summary.batch.envelopes]
    assert states == [
        ("mailed", dt.date(2026, 11, 28), "Anna"),
        ("mailed", dt.date(2026, 11, 29), "Anna"),
        ("prepared", None, None),
    ]


def test_a_discarded_envelope_cannot_be_marked_mailed(
    ledger_at: LedgerLocation, tmp_path: Path
) -> None:
    path = ledger_at
    record_batches(path, batch_record("b", tmp_path, 10, [1, 2]))
    discard(path, "b:2", TODAY)
    with pytest.raises(LedgerError) as info:
        mark_mailed(path, ["b"], None, dt.date(2026, 11, 28), None, today=TODAY)
    assert str(info.value) == (
        "b:2: this envelope was discarded and cannot be mailed - run petition-merge again to "
        "print its signers anew"
    )
    [summary] = status(path, dt.date(2026, 11, 28))
    assert summary.batch.count("mailed") == 0  # envelope 1 was not marked either


def test_mark_mailed_with_nothing_named_says_how_to_name_envelopes(
    ledger_at: LedgerLocation, tmp_path: Path
) -> None:
    path = ledger_at
    record_batches(path, batch_record("b", tmp_path, 5, [1]))
    with pytest.raises(LedgerError, match="nothing to mark - name envelopes like 2026-11-27-1:3"):
        mark_mailed(path, [], None, dt.date(2026, 11, 28), None, today=TODAY)
