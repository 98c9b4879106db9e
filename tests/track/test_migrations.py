"""Schema versions: a ledger of an older version is brought up to date when it is opened, on
both back ends, by the same migrations."""

import sqlite3
from collections.abc import Sequence
from contextlib import closing
from typing import Any

import pytest
from conftest import ledger_sql

from merge.track.ledger import open_ledger
from merge.track.schema import POSTGRES, SCHEMA_VERSION, SQLITE, bring_up_to_date
from merge.track.where import LedgerLocation


class _Raw:
    """A back end's connection as the migrations take it, for making an old ledger."""

    def __init__(self, connection: Any, marks: str) -> None:
        self._db = connection
        self._marks = marks

    def run(self, sql: str, args: Sequence[Any] = ()) -> None:
        self._db.execute(sql.replace("?", self._marks), args)

    def first(self, sql: str, args: Sequence[Any] = ()) -> Any:
        return self._db.execute(sql.replace("?", self._marks), args).fetchone()

    def has_table(self, name: str) -> bool:
        if self._marks == "?":
            sql = "SELECT 1 FROM sqlite_master WHERE name = ?"
        else:
            sql = "SELECT 1 FROM information_schema.tables WHERE table_name = %s"
        return self._db.execute(sql, (name,)).fetchone() is not None


def make_old_ledger(where: LedgerLocation, version: int) -> None:
    """Make the tables of schema ``version``, as an older petition-merge left them."""
    if where.path is not None:
        with closing(sqlite3.connect(where.path, isolation_level=None)) as db:
            db.execute("BEGIN")
            bring_up_to_date(_Raw(db, "?"), SQLITE, upto=version)
            db.execute("COMMIT")
        return
    import psycopg

    assert where.url is not None
    with psycopg.connect(where.url) as pg:  # one transaction, committed at the end
        bring_up_to_date(_Raw(pg, "%s"), POSTGRES, upto=version)


# Two batches of version 2: b-2 is a --reprint of b-1's key "same", and b-1's envelope 2 (with
# key "gone") was discarded, then "gone" was printed again in b-2.
_BATCHES = [
    ("b-1", "xuar", "2026-11-27", "2026-12-31", 21, "/x/b-1", "/x/.b-1.partial"),
    ("b-2", "xuar", "2026-11-28", "2026-12-31", 21, "/x/b-2", "/x/.b-2.partial"),
]
_ENVELOPES = [("b-1", 1, "prepared"), ("b-1", 2, "discarded"), ("b-2", 1, "mailed")]
_LISTS = [("b-1", 1, 1), ("b-1", 2, 2), ("b-2", 1, 1)]
_SIGNERS = [
    ("b-1", 1, 1, "same"),
    ("b-1", 1, 2, "once"),
    ("b-1", 2, 1, "gone"),
    ("b-2", 1, 1, "same"),
    ("b-2", 1, 2, "gone"),
]


def _fill_version_2(where: LedgerLocation) -> None:
    for row in _BATCHES:
        ledger_sql(
            where,
            "INSERT INTO batches (name, campaign, prepared_on, deadline, transit_days, folder, "
            "staging) VALUES (?, ?, ?, ?, ?, ?, ?)",
            row,
        )
    for batch, number, state in _ENVELOPES:
        ledger_sql(
            where,
            "INSERT INTO envelopes (batch, number, product, price_cents, grams, state) "
            "VALUES (?, ?, 'Standardbrief', 125, 10.0, ?)",
            (batch, number, state),
        )
    for row in _LISTS:
        ledger_sql(where, "INSERT INTO lists (batch, number, envelope) VALUES (?, ?, ?)", row)
    for batch, number, slot, key in _SIGNERS:
        ledger_sql(
            where,
            "INSERT INTO signers (batch, list, slot, key, origin, name_key, sound_key) "
            "VALUES (?, ?, ?, ?, 'l.csv:l:2', 1, 2)",
            (batch, number, slot, key),
        )


def _claims(where: LedgerLocation) -> list[Any]:
    return ledger_sql(
        where,
        "SELECT batch, list, slot, key, claimed_in FROM signers ORDER BY batch, list, slot",
    )


def test_a_ledger_of_version_2_is_brought_up_to_date_with_one_claim_per_key(
    ledger_at: LedgerLocation,
) -> None:
    make_old_ledger(ledger_at, 2)
    _fill_version_2(ledger_at)
    ledger = open_ledger(ledger_at)
    assert ledger is not None
    try:
        summaries = ledger.batches()
    finally:
        ledger.close()
    assert [(b.name, b.group) for b in summaries] == [("b-1", None), ("b-2", None)]
    version = ledger_sql(ledger_at, "SELECT value FROM meta WHERE key = 'schema_version'")
    assert version == [(str(SCHEMA_VERSION),)]
    # The first active row of a key claims it; a discarded envelope's rows claim nothing.
    assert _claims(ledger_at) == [
        ("b-1", 1, 1, "same", "xuar"),
        ("b-1", 1, 2, "once", "xuar"),
        ("b-1", 2, 1, "gone", None),
        ("b-2", 1, 1, "same", None),
        ("b-2", 1, 2, "gone", "xuar"),
    ]
    before = _claims(ledger_at)
    again = open_ledger(ledger_at)  # opening again migrates nothing twice
    assert again is not None
    again.close()
    assert _claims(ledger_at) == before


@pytest.mark.parametrize("version", [1, 2, 3])
def test_every_older_version_migrates_to_the_tables_a_new_ledger_has(
    ledger_at: LedgerLocation, version: int, tmp_path: Any
) -> None:
    make_old_ledger(ledger_at, version)
    migrated = open_ledger(ledger_at)
    assert migrated is not None
    migrated.close()
    if ledger_at.path is not None:
        fresh = LedgerLocation.file(tmp_path / "fresh.sqlite")
        new = open_ledger(fresh)
        assert new is not None
        new.close()
        columns = "SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name"
        old_tables = {name for name, _sql in ledger_sql(ledger_at, columns)}
        assert old_tables == {name for name, _sql in ledger_sql(fresh, columns)}
        for table in old_tables:
            info = f"SELECT name FROM pragma_table_info('{table}') ORDER BY name"
            assert ledger_sql(ledger_at, info) == ledger_sql(fresh, info), table
    else:
        columns = (
            "SELECT table_name, column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = 'public' ORDER BY table_name, column_name"
        )
        found = {(t, c) for t, c, _type in ledger_sql(ledger_at, columns)}
        assert ("signers", "claimed_in") in found and ("batches", "group_name") in found
        assert ("batches", "machine") in found
        types = {(t, c): kind for t, c, kind in ledger_sql(ledger_at, columns)}
        assert types[("batches", "prepared_on")] == "date"
        assert types[("signers", "name_key")] == "bigint"
        assert types[("envelopes", "grams")] == "double precision"
