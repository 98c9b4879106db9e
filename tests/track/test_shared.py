"""A ledger that groups share: status names the group of each batch, and each group sees to
its own folders (lost ones, purge)."""

import dataclasses
import json
from pathlib import Path

import pytest
from conftest import Recorded, batch_record, invoke, record_batches

from merge.track.where import LedgerLocation

pytestmark = pytest.mark.postgres


def of_group(recorded: Recorded, group: str) -> Recorded:
    return recorded._replace(batch=dataclasses.replace(recorded.batch, group=group))


@pytest.fixture
def shared(postgres_ledger: LedgerLocation, project: Path) -> str:
    """A shared ledger with batch a-1 of gruppe-a and b-1 of gruppe-b (no folders here)."""
    record_batches(
        postgres_ledger,
        of_group(batch_record("a-1", project / "outputs", 5, [1], keys="a"), "gruppe-a"),
        of_group(batch_record("b-1", project / "outputs", 5, [1], keys="b"), "gruppe-b"),
    )
    assert postgres_ledger.url is not None
    return postgres_ledger.url


def test_status_names_the_group_and_warns_of_the_own_lost_folders_only(shared: str) -> None:
    result = invoke("status", "--ledger", shared, "--group", "gruppe-b")
    assert result.exit_code == 0, result.output
    rows = [line for line in result.stdout.splitlines() if line.startswith("│ ")]
    assert [row.split("│")[3].strip() for row in rows] == ["gruppe-a", "gruppe-b"]
    assert "batch b-1: its folder" in result.stderr
    assert "a-1" not in result.stderr  # gruppe-a's folder is on gruppe-a's machine
    data = json.loads(invoke("status", "--ledger", shared, "--json").stdout)
    assert [(b["batch"], b["group"]) for b in data["batches"]] == [
        ("a-1", "gruppe-a"),
        ("b-1", "gruppe-b"),
    ]


def test_purge_keeps_to_the_own_groups_batches(shared: str, project: Path) -> None:
    for batch in ("a-1", "b-1"):
        mailed = invoke("mark-mailed", f"{batch}:1", "--date", "28.11.2026", "--ledger", shared)
        assert mailed.exit_code == 0, mailed.output
    other = invoke("purge", "a-1", "--yes", "--ledger", shared, "--group", "gruppe-b")
    assert other.exit_code == 7
    assert other.stderr.strip() == (
        "error: batch a-1 was prepared by group gruppe-a - purge it in that group's working "
        "folder, where its files are"
    )
    own = invoke("purge", "--yes", "--ledger", shared, "--group", "gruppe-b")
    assert own.exit_code == 0, own.output
    assert "Purged b-1" in own.stdout
    data = json.loads(invoke("status", "--ledger", shared, "--json").stdout)
    assert [(b["batch"], b["purged_on"] is not None) for b in data["batches"]] == [
        ("a-1", False),
        ("b-1", True),
    ]


def test_the_group_defaults_to_the_working_folders_name(shared: str, project: Path) -> None:
    result = invoke("status", "--ledger", shared)
    assert result.exit_code == 0
    assert "b-1" not in result.stderr and "a-1" not in result.stderr  # neither is this folder's


def test_discard_refuses_another_groups_batch_in_one_line(shared: str) -> None:
    other = invoke("discard", "a-1", "--ledger", shared, "--group", "gruppe-b")
    assert other.exit_code == 7
    assert other.stderr.strip() == (
        "error: batch a-1 was prepared by group gruppe-a - only that group can discard it; to "
        "act as that group, give --group gruppe-a"
    )
    assert "Traceback" not in other.output
    data = json.loads(invoke("status", "--ledger", shared, "--json").stdout)
    assert [b["envelopes"]["discarded"] for b in data["batches"]] == [0, 0]
    own = invoke("discard", "a-1", "--ledger", shared, "--group", "gruppe-a")
    assert own.exit_code == 0, own.output
    assert own.stdout.startswith("  a-1:1: discarded")


def test_mark_mailed_of_another_groups_batch_says_whose_it_was(shared: str) -> None:
    other = invoke(
        "mark-mailed", "a-1:1", "--date", "28.11.2026", "--ledger", shared, "--group", "gruppe-b"
    )
    assert other.exit_code == 0, other.output
    assert other.stdout == "  a-1:1: mailed on 2026-11-28 (a batch of group gruppe-a)\n"
    own = invoke(
        "mark-mailed", "b-1:1", "--date", "28.11.2026", "--ledger", shared, "--group", "gruppe-b"
    )
    assert own.stdout == "  b-1:1: mailed on 2026-11-28\n"


def test_another_groups_batch_in_german(shared: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PETITION_MERGE_LANG", "de")
    other = invoke("discard", "a-1", "--ledger", shared, "--group", "gruppe-b")
    assert other.stderr.strip() == (
        "Fehler: Versand a-1 wurde von der Gruppe gruppe-a vorbereitet - nur diese Gruppe kann "
        "ihn verwerfen; um als diese Gruppe zu handeln, geben Sie --group gruppe-a an"
    )
    mailed = invoke(
        "mark-mailed", "a-1:1", "--date", "28.11.2026", "--ledger", shared, "--group", "gruppe-b"
    )
    assert mailed.stdout == "  a-1:1: verschickt am 28.11.2026 (ein Versand der Gruppe gruppe-a)\n"
