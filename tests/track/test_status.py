"""status: what is prepared, mailed and discarded, and the time left to mail."""

import datetime as dt
import sqlite3
from pathlib import Path

from conftest import invoke, status_json


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
