"""discard: a misprinted or lost batch releases its signers for the next run."""

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import assert_adds_up, batch_record, invoke, listed_keys, manifests, record_batches

from merge.errors import LedgerError
from merge.track.discard import discard
from merge.track.ledger import Change, open_ledger
from merge.track.mark_mailed import mark_mailed
from merge.track.status import status
from merge.track.where import LedgerLocation

TODAY = dt.date(2026, 12, 31)  # the day the tracking commands run


def test_discard_releases_a_batch_for_the_next_run(project: Path, signers_csv: Path) -> None:
    assert invoke("run", "--no-pdf").exit_code == 0
    [first] = manifests(project)
    result = invoke("discard", first["batch"])
    assert result.exit_code == 0 and "discarded" in result.output
    assert invoke("run", "--no-pdf").exit_code == 0
    second = manifests(project)[1]
    assert second["counts"]["signers"] == 23
    assert_adds_up(second)


def test_discard_releases_the_envelopes_named_and_leaves_mailed_ones(
    ledger_at: LedgerLocation, tmp_path: Path
) -> None:
    path = ledger_at
    record_batches(path, batch_record("b", tmp_path, 15, [1, 2, 3]))
    mark_mailed(path, ["b:3"], None, dt.date(2026, 11, 28), None, today=TODAY)
    assert discard(path, "b:2-3", TODAY) == [
        Change("b", 2, "discarded"),
        Change("b", 3, "unchanged: mailed on 2026-11-28"),
    ]
    assert discard(path, "b", TODAY) == [
        Change("b", 1, "discarded"),
        Change("b", 2, "unchanged: already discarded"),
        Change("b", 3, "unchanged: mailed on 2026-11-28"),
    ]
    ledger = open_ledger(path)
    assert ledger is not None
    assert listed_keys(ledger, [f"k{n}" for n in range(1, 16)]) == {
        f"k{n}": "b" for n in range(11, 16)
    }
    ledger.close()


def test_discard_of_an_unknown_envelope_changes_nothing(
    ledger_at: LedgerLocation, tmp_path: Path
) -> None:
    path = ledger_at
    record_batches(path, batch_record("b", tmp_path, 10, [1, 2]))
    with pytest.raises(LedgerError, match="batch b has envelopes 1-2; there is no envelope 3"):
        discard(path, "b:2-3", TODAY)
    [summary] = status(path, dt.date(2026, 11, 28))
    assert summary.batch.count("discarded") == 0


def test_discard_of_another_groups_batch_is_refused_and_changes_nothing(
    ledger_at: LedgerLocation, tmp_path: Path
) -> None:
    record = batch_record("a-1", tmp_path, 5, [1])
    record_batches(ledger_at, record._replace(batch=replace(record.batch, group="gruppe-a")))
    with pytest.raises(LedgerError) as info:
        discard(ledger_at, "a-1", TODAY, group="gruppe-b")
    assert "prepared by group gruppe-a" in str(info.value)
    [row] = status(ledger_at, TODAY)
    assert row.batch.count("discarded") == 0
    assert [c.what for c in discard(ledger_at, "a-1", TODAY, group="gruppe-a")] == ["discarded"]
