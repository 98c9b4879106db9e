"""The dispatch record: a mailed envelope is never changed silently, dates are checked.

CLI tests on a real ledger (outputs/ledger.sqlite of the project folder) holding batch "b",
prepared on 27.11.2026, lists of five signers in envelopes 1, 2 and 3.
"""

import dataclasses
import datetime as dt
import time
from pathlib import Path

import pytest
from conftest import batch_record, invoke, manifests, record_batches, status_json
from openpyxl import load_workbook


@pytest.fixture
def ledger(project: Path) -> Path:
    """outputs/ledger.sqlite with batch b (27.11.2026, envelopes 1-3) and its folder."""
    path = project / "outputs" / "ledger.sqlite"
    record = batch_record("b", project / "outputs", 15, [1, 2, 3])
    record.folder.mkdir(parents=True)
    record_batches(path, record)
    return path


def envelope(number: int) -> tuple[str, str | None, str | None]:
    [batch] = [b for b in status_json()["batches"] if b["batch"] == "b"]
    history = [h for h in batch["history"] if h["envelope"] == number]
    last = history[-1]["new"] if history else {"state": "prepared"}
    return last["state"], last.get("mailed_on"), last.get("mailed_by")


def history(number: int) -> list[dict[str, object]]:
    [batch] = [b for b in status_json()["batches"] if b["batch"] == "b"]
    return [h for h in batch["history"] if h["envelope"] == number]


def one_line(text: str) -> str:
    lines = text.splitlines()
    assert len(lines) == 1, lines
    assert "Traceback" not in text
    return lines[0]


def test_another_person_is_refused_without_correct_and_kept_in_the_history_with_it(
    ledger: Path,
) -> None:
    first = invoke("mark-mailed", "b:1", "--date", "28.11.2026", "--by", "Anna")
    assert first.exit_code == 0, first.output
    refused = invoke("mark-mailed", "b:1", "--date", "28.11.2026", "--by", "Ben")
    assert refused.exit_code == 7
    assert one_line(refused.stderr) == (
        "error: b:1: already recorded as mailed on 2026-11-28 by Anna, not mailed on "
        "2026-11-28 by Ben - nothing was changed; if the record is wrong, run again with "
        "--correct (the old entry is kept in the envelope's history)"
    )
    assert envelope(1) == ("mailed", "2026-11-28", "Anna")

    corrected = invoke("mark-mailed", "b:1", "--date", "29.11.2026", "--by", "Ben", "--correct")
    assert corrected.exit_code == 0, corrected.output
    assert (
        "corrected: mailed on 2026-11-29 by Ben (was mailed on 2026-11-28 by Anna)"
        in corrected.stdout
    )
    today = dt.date.today().isoformat()
    assert history(1) == [
        {
            "envelope": 1,
            "changed_on": today,
            "old": {"state": "prepared", "mailed_on": None, "mailed_by": None},
            "new": {"state": "mailed", "mailed_on": "2026-11-28", "mailed_by": "Anna"},
        },
        {
            "envelope": 1,
            "changed_on": today,
            "old": {"state": "mailed", "mailed_on": "2026-11-28", "mailed_by": "Anna"},
            "new": {"state": "mailed", "mailed_on": "2026-11-29", "mailed_by": "Ben"},
        },
    ]
    [batch] = status_json()["batches"]
    assert (batch["last_mailed_on"], batch["last_mailed_by"]) == ("2026-11-29", ["Ben"])


def test_another_date_is_refused_and_several_refusals_are_one_line(ledger: Path) -> None:
    assert invoke("mark-mailed", "b:1-2", "--date", "28.11.2026").exit_code == 0
    refused = invoke("mark-mailed", "b", "--date", "30.11.2026")
    assert refused.exit_code == 7
    line = one_line(refused.stderr)
    assert line.startswith(
        "error: b:1: already recorded as mailed on 2026-11-28, not mailed on 2026-11-30 "
        "(and 1 more envelope) - nothing was changed"
    )
    assert envelope(3) == ("prepared", None, None)  # envelope 3 was not marked either


def test_the_same_date_and_person_again_is_unchanged(ledger: Path) -> None:
    assert invoke("mark-mailed", "b:2", "--date", "28.11.2026", "--by", "Anna").exit_code == 0
    for again in (("--by", "Anna"), ()):  # without --by, who mailed it stays as it was
        result = invoke("mark-mailed", "b:2", "--date", "28.11.2026", *again)
        assert result.exit_code == 0, result.output
        assert result.stdout.strip() == "b:2: unchanged: mailed on 2026-11-28"
    assert len(history(2)) == 1
    assert envelope(2) == ("mailed", "2026-11-28", "Anna")


def test_date_spellings_of_the_checklist_are_taken_by_date(ledger: Path) -> None:
    for number, spelling in ((1, "28.11.26"), (2, "28.11.2026"), (3, "2026-11-28")):
        result = invoke("mark-mailed", f"b:{number}", "--date", spelling)
        assert result.exit_code == 0, result.output
        assert envelope(number) == ("mailed", "2026-11-28", None)


@pytest.mark.parametrize(
    ("given", "what"),
    [
        ("26.11.2026", "2026-11-26 is before batch b was prepared (2026-11-27)"),
        ("28.11.2099", "2099-11-28 is after today"),
    ],
)
def test_a_date_before_the_batch_or_after_today_is_refused_naming_date(
    ledger: Path, given: str, what: str
) -> None:
    result = invoke("mark-mailed", "b:1", "--date", given)
    assert result.exit_code == 2
    line = one_line(result.stderr)
    assert line.startswith(f"error: --date: {what}")
    assert "give the day the envelopes went to the post, e.g. --date " in line
    assert envelope(1) == ("prepared", None, None)


def test_an_unreadable_date_shows_an_example_not_a_format_code(ledger: Path) -> None:
    result = invoke("mark-mailed", "b:1", "--date", "27.11.")
    assert result.exit_code == 2
    assert one_line(result.stderr) == (
        'error: --date: "27.11." has no year - write it as 27.11.2026'
    )


@pytest.mark.parametrize(
    ("cell", "what"),
    [("28.11.2099", "2099-11-28 is after today"), ("01.01.2020", "2020-01-01 is before batch")],
)
def test_a_checklist_date_before_the_batch_or_after_today_names_the_cell(
    project: Path, signers_csv: Path, cell: str, what: str
) -> None:
    assert invoke("run", "--no-pdf", "--per-envelope", "1").exit_code == 0
    batch = manifests(project)[0]["batch"]
    checklist = project / "outputs" / batch / "dispatch-checklist.xlsx"
    workbook = load_workbook(checklist)
    workbook["Envelopes"]["G2"] = f"{dt.date.today():%d.%m.%Y}"
    workbook["Envelopes"]["G3"] = cell
    workbook.save(checklist)
    result = invoke("mark-mailed", "--checklist", str(checklist))
    assert result.exit_code == 3
    line = one_line(result.stderr)
    assert line.startswith(f"error: {checklist}:Envelopes!G3: {what}")
    assert line.endswith("write the day envelope 2 was mailed")
    assert status_json()["batches"][0]["envelopes"]["mailed"] == 0  # G2 was not taken either


@pytest.mark.parametrize("command", ["mark-mailed", "discard"])
def test_a_huge_envelope_range_is_refused_at_once(ledger: Path, command: str) -> None:
    started = time.perf_counter()
    result = invoke(command, "b:1-999999999999")
    assert time.perf_counter() - started < 2
    assert result.exit_code == 7
    assert one_line(result.stderr) == (
        "error: batch b has envelopes 1-3; there is no envelope 999999999999 - check the number"
    )


def test_discard_is_kept_in_the_history(ledger: Path) -> None:
    assert invoke("discard", "b:3").exit_code == 0
    assert [h["new"] for h in history(3)] == [
        {"state": "discarded", "mailed_on": None, "mailed_by": None}
    ]


def test_status_per_campaign_and_a_lost_folder_on_stderr(ledger: Path, project: Path) -> None:
    other = batch_record("t", project / "outputs", 10, [1, 2], prepared_on="2026-11-28", keys="t")
    tibet = dataclasses.replace(other.batch.campaign, id="tibet")
    record_batches(ledger, other._replace(batch=dataclasses.replace(other.batch, campaign=tibet)))
    assert invoke("mark-mailed", "b:1", "--date", "28.11.2026", "--by", "Anna").exit_code == 0

    assert [b["batch"] for b in status_json()["batches"]] == ["b", "t"]
    only = invoke("status", "--campaign", "tibet", "--json")
    assert only.exit_code == 0
    assert '"batch": "t"' in only.stdout and '"batch": "b"' not in only.stdout
    table = invoke("status", "--campaign", "xuar")
    assert table.exit_code == 0, table.output
    row = next(line for line in table.stdout.splitlines() if line.startswith("│ b "))
    cells = [cell.strip() for cell in row.strip("│").split("│")]
    late = cells.pop(7)  # how many are late depends on today
    assert cells == ["b", "xuar", "2026-11-27", "1/2/0", "5/10/0", "2026-11-28", "2026-12-10", "-"]
    assert late in ("0", "2")
    assert not any(line.startswith("│ t ") for line in table.stdout.splitlines())
    assert "Anna" in table.stdout  # who mailed on the last day
    # Batch t's folder was never made: status says so, on stderr, whatever is filtered.
    assert "batch t: its folder" in table.stderr and "discard t" in table.stderr
    assert table.stderr.startswith("warning:")
    none = invoke("status", "--campaign", "nepal")
    assert none.exit_code == 0 and none.stdout.strip() == "No batches of campaign nepal."
