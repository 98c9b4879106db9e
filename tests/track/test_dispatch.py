"""Tracking across runs: nobody twice, mark mailed from the checklist, status, discard, purge."""

import datetime as dt
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import HEADER, signer_rows, write_csv
from openpyxl import load_workbook

from merge.cli import cli
from merge.render import petitions

TODAY = dt.date.today().isoformat()


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def manifests(project: Path) -> list[dict]:
    return [
        json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        for folder in sorted((project / "outputs").iterdir())
        if folder.is_dir()
    ]


def assert_adds_up(manifest: dict) -> None:
    c = manifest["counts"]
    assert c["rows"] == (
        c["blank"] + c["signers"] + c["duplicates"] + c["rejected"] + c["previously_listed"]
    )


def status_json() -> dict:
    result = invoke("status", "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.fixture
def signers_csv(project: Path) -> Path:
    return write_csv(project / "inputs" / "liste.csv", [HEADER, *signer_rows(23)])


def test_same_input_twice_prints_nothing_new(project: Path, signers_csv: Path) -> None:
    assert invoke("run", "--no-pdf").exit_code == 0
    second = invoke("run", "--no-pdf")
    assert second.exit_code == 0, second.output
    assert "Nothing new: all 23 signer(s) are already on lists of batch" in second.output
    assert len(manifests(project)) == 1


def test_appended_rows_print_only_the_new_signers(project: Path, signers_csv: Path) -> None:
    assert invoke("run", "--no-pdf").exit_code == 0
    write_csv(signers_csv, [HEADER, *signer_rows(23), *signer_rows(7, start=24)])
    assert invoke("run", "--no-pdf").exit_code == 0
    first, second = manifests(project)
    assert second["counts"]["signers"] == 7 and second["counts"]["previously_listed"] == 23
    assert [o for page in second["lists"] for o in page["origins"]] == [
        f"inputs/liste.csv:liste:{row}" for row in range(25, 32)
    ]
    assert {p["batch"] for p in second["previously_listed"]} == {first["batch"]}
    for manifest in (first, second):
        assert_adds_up(manifest)


def test_discard_releases_a_batch_for_the_next_run(project: Path, signers_csv: Path) -> None:
    assert invoke("run", "--no-pdf").exit_code == 0
    [first] = manifests(project)
    result = invoke("discard", first["batch"])
    assert result.exit_code == 0 and "discarded" in result.output
    assert invoke("run", "--no-pdf").exit_code == 0
    second = manifests(project)[1]
    assert second["counts"]["signers"] == 23
    assert_adds_up(second)


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


def test_status_warns_when_pending_envelopes_will_miss_the_deadline(
    project: Path, signers_csv: Path
) -> None:
    campaign = project / "templates" / "eilig.toml"
    text = (project / "templates" / "xuar.toml").read_text(encoding="utf-8")
    soon = (dt.date.today() + dt.timedelta(days=10)).isoformat()
    campaign.write_text(text.replace("deadline = 2023-12-31", f"deadline = {soon}"), "utf-8")
    assert invoke("run", "--no-pdf", "--campaign", "eilig").exit_code == 0
    state = status_json()["batches"][0]
    assert state["days_left"] == -11 and state["late"]
    result = invoke("status")
    assert "latest safe mailing date" in result.stderr and "has passed" in result.stderr


def test_status_without_a_ledger_says_how_it_is_made(project: Path) -> None:
    result = invoke("status")
    assert result.exit_code == 7
    assert "no ledger yet" in result.stderr


def test_purge_deletes_personal_files_of_mailed_batches_only(
    project: Path, signers_csv: Path
) -> None:
    assert invoke("run", "--no-pdf", "--names").exit_code == 0
    batch = manifests(project)[0]["batch"]
    folder = project / "outputs" / batch
    refused = invoke("purge", batch, "--yes")
    assert refused.exit_code == 7 and "not yet mailed" in refused.stderr
    assert invoke("mark-mailed", batch).exit_code == 0
    result = invoke("purge", "--yes")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in folder.iterdir()) == [
        "envelopes.docx",
        "labels.docx",
        "manifest.json",
        "post-office.docx",
    ]
    with sqlite3.connect(project / "outputs" / "ledger.sqlite") as db:
        assert db.execute("SELECT COUNT(*) FROM signers WHERE origin IS NOT NULL").fetchone() == (
            0,
        )
    # The keys stay: the same signers are still not printed again.
    assert "Nothing new" in invoke("run", "--no-pdf").output
    assert status_json()["batches"][0]["signers"]["mailed"] == 23


def test_ledger_and_outputs_hold_no_name_or_address_outside_name_files(
    project: Path, signers_csv: Path
) -> None:
    assert invoke("run", "--no-pdf").exit_code == 0
    ledger = (project / "outputs" / "ledger.sqlite").read_bytes()
    manifest = manifests(project)[0]
    for private in (b"Testperson-1", b"Erika", b"Beispielweg", b"Musterstadt"):
        assert private not in ledger
        assert private.decode() not in json.dumps(manifest)


def test_a_failure_inside_the_run_leaves_the_ledger_unchanged(
    project: Path, signers_csv: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert invoke("run", "--no-pdf").exit_code == 0
    ledger = project / "outputs" / "ledger.sqlite"
    before = ledger.read_bytes()
    write_csv(signers_csv, [HEADER, *signer_rows(30)])

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(petitions, "render_petitions", broken)
    result = invoke("run", "--no-pdf")
    assert result.exit_code == 1 and "internal error" in result.stderr
    assert ledger.read_bytes() == before
    assert len(manifests(project)) == 1
    assert not [p for p in (project / "outputs").iterdir() if p.name.startswith(".")]


def test_dry_run_shows_who_would_be_left_out_and_writes_nothing(
    project: Path, signers_csv: Path
) -> None:
    assert invoke("run", "--no-pdf").exit_code == 0
    before = sorted((project / "outputs").iterdir())
    result = invoke("run", "--dry-run")
    assert "already on lists of earlier batches" in result.output
    assert sorted((project / "outputs").iterdir()) == before
    shutil.rmtree(project / "outputs")
    assert invoke("run", "--dry-run").exit_code == 0
    assert not (project / "outputs").exists()


def test_status_answers_while_a_run_holds_the_ledger(project: Path, signers_csv: Path) -> None:
    assert invoke("run", "--no-pdf").exit_code == 0
    holder = sqlite3.connect(project / "outputs" / "ledger.sqlite", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # what a run does while it writes its batch
    try:
        started = dt.datetime.now()
        assert status_json()["batches"][0]["signers"]["prepared"] == 23
        assert (dt.datetime.now() - started).total_seconds() < 5
    finally:
        holder.execute("ROLLBACK")
        holder.close()
