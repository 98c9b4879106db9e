"""The SQLite ledger: its schema, what a batch is stored as, and how it locks."""

import datetime as dt
import sqlite3
import time
from pathlib import Path

import pytest
from conftest import batch_record, record_batches

from merge.errors import LedgerError
from merge.track import sqlite as ledger_sqlite
from merge.track.sqlite import open_sqlite

# The schema every ledger of schema version 3 has, column by column: a campaign keeps its
# ledger for months, so the schema only changes with a migration.
SCHEMA = {
    "meta": ["key", "value"],
    "batches": [
        "name",
        "campaign",
        "prepared_on",
        "deadline",
        "transit_days",
        "folder",
        "staging",
        "state",
        "purged_on",
        "group_name",
        "machine",
    ],
    "envelopes": [
        "batch",
        "number",
        "product",
        "price_cents",
        "grams",
        "state",
        "mailed_on",
        "mailed_by",
    ],
    "lists": ["batch", "number", "envelope", "signers"],
    "signers": [
        "batch",
        "list",
        "slot",
        "key",
        "origin",
        "name_key",
        "sound_key",
        "claimed_in",
    ],
    "mail_history": [
        "batch",
        "envelope",
        "changed_on",
        "old_state",
        "old_mailed_on",
        "old_mailed_by",
        "new_state",
        "new_mailed_on",
        "new_mailed_by",
    ],
}


TODAY = dt.date(2026, 12, 31)  # the day the tracking commands run


def open_or_fail(path: Path) -> ledger_sqlite.SQLiteLedger:
    ledger = open_sqlite(path)
    assert ledger is not None
    return ledger


def test_a_new_ledger_has_the_schema_of_version_4(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite"
    open_or_fail(path).close()
    with sqlite3.connect(path) as db:
        tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        columns = {t: [c[1] for c in db.execute(f"PRAGMA table_info({t})")] for t in tables}
        indexes = db.execute("SELECT name FROM sqlite_master WHERE type = 'index'").fetchall()
        version = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    assert columns == SCHEMA
    assert {("signers_by_key",), ("lists_by_envelope",), ("signers_claimed",)} <= set(indexes)
    assert version == ("4",)


def test_a_batch_is_stored_as_rows_of_keys_origins_and_prices_in_cents(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite"
    record_batches(path, batch_record("2026-11-27-1", tmp_path, 7, [1, 2]))
    with sqlite3.connect(path) as db:
        batch = db.execute(
            "SELECT name, campaign, prepared_on, deadline, transit_days, state FROM batches"
        ).fetchall()
        envelopes = db.execute("SELECT number, product, price_cents, grams, state FROM envelopes")
        signers = db.execute("SELECT list, slot, key, origin FROM signers ORDER BY list, slot")
        assert batch == [("2026-11-27-1", "xuar", "2026-11-27", "2026-12-31", 21, "prepared")]
        assert envelopes.fetchall() == [
            (1, "Standardbrief International", 125, 10.0, "prepared"),
            (2, "Standardbrief International", 125, 10.0, "prepared"),
        ]
        assert signers.fetchall() == [
            (1, 1, "k1", "inputs/l.csv:l:2"),
            (1, 2, "k2", "inputs/l.csv:l:3"),
            (1, 3, "k3", "inputs/l.csv:l:4"),
            (1, 4, "k4", "inputs/l.csv:l:5"),
            (1, 5, "k5", "inputs/l.csv:l:6"),
            (2, 1, "k6", "inputs/l.csv:l:7"),
            (2, 2, "k7", "inputs/l.csv:l:8"),
        ]


def test_the_write_lock_is_waited_for_and_the_wait_announced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "ledger.sqlite"
    ledger = open_or_fail(path)
    waits: list[str] = []
    try:
        with ledger.exclusive(lambda: waits.append("waiting")):
            pass
        assert waits == []  # nobody held the lock: nothing to announce
        holder = sqlite3.connect(path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # another run writing its batch
        monkeypatch.setattr(ledger_sqlite, "WAIT_SECONDS", 0)
        try:
            with (
                pytest.raises(LedgerError) as info,
                ledger.exclusive(lambda: waits.append("waiting")),
            ):
                pass
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert waits == ["waiting"]
        assert str(info.value) == (
            f"{path}: another petition-merge run has held the ledger for over 0 minutes - "
            "wait for it to finish and run again"
        )
    finally:
        ledger.close()


def test_opening_an_existing_ledger_does_not_wait_for_a_run_that_holds_it(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite"
    record_batches(path, batch_record("b", tmp_path, 5, [1]))
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        ledger = open_or_fail(path)
        assert [b.name for b in ledger.batches()] == ["b"]
        ledger.close()
        assert time.monotonic() - started < 2
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_a_ledger_file_is_made_only_when_asked(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "folder" / "ledger.sqlite"
    assert open_sqlite(path, create=False) is None
    assert not path.parent.exists()
    open_or_fail(path).close()
    assert path.is_file()


def test_a_ledger_that_cannot_be_made_is_one_line_naming_it(tmp_path: Path) -> None:
    blocker = tmp_path / "outputs"
    blocker.write_text("a file where the folder should be")
    with pytest.raises(LedgerError) as info:
        open_sqlite(blocker / "ledger.sqlite")
    assert str(info.value).startswith(f"{blocker / 'ledger.sqlite'}: ")
    assert "\n" not in str(info.value)


def test_a_file_in_the_way_of_the_ledgers_folder_is_named_as_the_cause(tmp_path: Path) -> None:
    blocker = tmp_path / "outputs"
    blocker.write_text("a file where the folder should be")
    with pytest.raises(LedgerError) as info:
        open_sqlite(blocker / "ledger.sqlite")
    assert str(info.value).startswith(f"{blocker / 'ledger.sqlite'}: cannot create the ledger (")
