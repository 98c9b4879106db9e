"""status: what is prepared, mailed and discarded, and the time left to mail."""

import dataclasses
import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import TABLES, batch_record, invoke, ledger_sql, record_batches, status_json

from merge.cli import cli
from merge.errors import LedgerError
from merge.track.mark_mailed import mark_mailed
from merge.track.status import status
from merge.track.where import LedgerLocation

TODAY = dt.date(2026, 12, 31)  # the day the tracking commands run


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


def test_status_counts_and_the_days_left_come_from_the_day_given(
    ledger_at: LedgerLocation, tmp_path: Path
) -> None:
    path = ledger_at
    record_batches(path, batch_record("2026-11-27-1", tmp_path, 12, [1, 1, 2]))
    mark_mailed(path, ["2026-11-27-1:2"], None, dt.date(2026, 11, 28), None, today=TODAY)
    [state] = status(path, dt.date(2026, 12, 1))
    assert state.as_json() == {
        "batch": "2026-11-27-1",
        "campaign": "xuar",
        "prepared_on": "2026-11-27",
        "group": None,
        "folder": str(tmp_path / "2026-11-27-1"),
        "purged_on": None,
        "envelopes": {"prepared": 1, "mailed": 1, "discarded": 0},
        "lists": {"prepared": 2, "mailed": 1, "discarded": 0},
        "signers": {"prepared": 10, "mailed": 2, "discarded": 0},
        "deadline": "2026-12-31",
        "transit_days": 21,
        "latest_safe_mailing": "2026-12-10",
        "days_left": 9,
        "late": False,
        "late_envelopes": 0,
        "last_mailed_on": "2026-11-28",
        "last_mailed_by": [],
        "history": [
            {
                "envelope": 2,
                "changed_on": "2026-12-31",
                "old": {"state": "prepared", "mailed_on": None, "mailed_by": None},
                "new": {"state": "mailed", "mailed_on": "2026-11-28", "mailed_by": None},
            }
        ],
    }


def test_a_batch_is_late_only_while_envelopes_wait_past_the_safe_day(
    ledger_at: LedgerLocation, tmp_path: Path
) -> None:
    path = ledger_at
    record_batches(path, batch_record("b", tmp_path, 10, [1, 2]))
    assert [(s.days_left, s.late) for s in status(path, dt.date(2026, 12, 10))] == [(0, False)]
    assert [(s.days_left, s.late) for s in status(path, dt.date(2026, 12, 11))] == [(-1, True)]
    mark_mailed(path, ["b"], None, dt.date(2026, 12, 11), None, today=TODAY)
    assert [(s.days_left, s.late) for s in status(path, dt.date(2026, 12, 11))] == [(-1, False)]


def test_status_moves_a_recorded_batch_into_place_and_makes_no_ledger(
    ledger_at: LedgerLocation, tmp_path: Path
) -> None:
    path = ledger_at
    with pytest.raises(LedgerError, match="no ledger yet"):
        status(path, dt.date(2026, 12, 1))
    assert not path.exists() or not ledger_sql(path, TABLES)
    record = batch_record("b", tmp_path, 5, [1])
    record.staging.mkdir()
    (record.staging / "manifest.json").write_text("{}")
    record_batches(path, record)  # a run that stopped between recording and renaming
    status(path, dt.date(2026, 12, 1))
    assert (record.folder / "manifest.json").is_file()
    assert not record.staging.exists()


# --- a narrow terminal, and many batches on one day --------------------------------------------

DAY_BATCHES = [f"2026-12-02-{n}" for n in range(1, 13)]  # in the order people count them
GROUPS = ["Petitionen", "ortsgruppe-berlin-mitte"]


def twelve_batches(where: LedgerLocation, tmp_path: Path) -> str:
    """Record batches 2026-12-02-1 to -12 (in a shuffled order), of two groups; return the
    --ledger that names the ledger."""
    records = []
    for n in (11, 2, 10, 1, 12, 3, 4, 5, 6, 7, 8, 9):
        record = batch_record(f"2026-12-02-{n}", tmp_path, 5, [1], "2026-12-02", keys=f"k{n}-")
        group = GROUPS[n % 2]
        records.append(record._replace(batch=dataclasses.replace(record.batch, group=group)))
    record_batches(where, *records)
    return where.url or str(where.path)


def status_at(width: int, *args: str) -> str:
    result = CliRunner(env={"COLUMNS": str(width)}).invoke(cli, ["status", *args])
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("width", [80, 72])
def test_at_80_columns_every_batch_and_group_name_is_whole(
    ledger_at: LedgerLocation, tmp_path: Path, width: int
) -> None:
    ledger = twelve_batches(ledger_at, tmp_path)
    out = status_at(width, "--ledger", ledger)
    rows = [line for line in out.splitlines() if line.startswith("│ 2026-")]
    assert [row.split("│")[1].strip() for row in rows] == DAY_BATCHES  # whole, counted
    assert {row.split("│")[2].strip() for row in rows} == set(GROUPS)
    assert "…" not in out
    table = [line for line in out.splitlines() if line[:1] in "┏┃┡│└"]
    assert max(len(line) for line in table) <= width
    [left_out] = [line for line in out.splitlines() if line.startswith("left out")]
    # Those that say nothing first (none purged, one campaign; none late until 10.12.2026).
    first = left_out.removeprefix("left out for the window's width: ").split(", ")[:3]
    assert first[0] == "purged" and set(first) == {"purged", "campaign", "late"}


def test_on_a_very_narrow_terminal_the_names_fold_but_are_never_cut(
    ledger_at: LedgerLocation, tmp_path: Path
) -> None:
    ledger = twelve_batches(ledger_at, tmp_path)
    out = status_at(40, "--ledger", ledger)
    assert "…" not in out
    cells = [line.split("│")[1].strip() for line in out.splitlines() if line.startswith("│")]
    assert "".join(cells) == "".join(DAY_BATCHES)


def test_a_wide_terminal_shows_every_column(ledger_at: LedgerLocation, tmp_path: Path) -> None:
    ledger = twelve_batches(ledger_at, tmp_path)
    out = status_at(200, "--ledger", ledger)
    assert "left out" not in out
    headings = " ".join(line for line in out.splitlines() if line.startswith("┃"))
    for heading in ("batch", "campaign", "group", "prepared", "purged", "late", "mail by"):
        assert heading in headings


def test_batches_are_listed_by_day_then_number(ledger_at: LedgerLocation, tmp_path: Path) -> None:
    ledger = twelve_batches(ledger_at, tmp_path)
    record_batches(ledger_at, batch_record("2026-12-01-2", tmp_path, 5, [1], "2026-12-01"))
    data = json.loads(status_at(80, "--json", "--ledger", ledger))
    assert [b["batch"] for b in data["batches"]] == ["2026-12-01-2", *DAY_BATCHES]
    assert [b.batch.name for b in status(ledger_at, TODAY)] == ["2026-12-01-2", *DAY_BATCHES]


def test_the_narrow_table_in_german(
    ledger_at: LedgerLocation, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PETITION_MERGE_LANG", "de")
    ledger = twelve_batches(ledger_at, tmp_path)
    out = status_at(80, "--ledger", ledger)
    assert "für die Breite des Fensters weggelassen: gelöscht, " in out
    assert "(ein breiteres Fenster oder status --json zeigt sie)" in out
    assert all(name in out for name in DAY_BATCHES + GROUPS)
