"""The SQLite ledger's tables, and how a ledger of an older version is brought up to date.

Each schema version adds to the one before (``_MIGRATIONS``); a ledger is migrated in place
when it is opened, in one transaction under the write lock.
"""

from __future__ import annotations

import sqlite3

SCHEMA_VERSION = 2

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS batches (
    name TEXT PRIMARY KEY,
    campaign TEXT NOT NULL,
    prepared_on TEXT NOT NULL,
    deadline TEXT NOT NULL,
    transit_days INTEGER NOT NULL,
    folder TEXT NOT NULL,
    staging TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'prepared',
    purged_on TEXT
);
CREATE TABLE IF NOT EXISTS envelopes (
    batch TEXT NOT NULL REFERENCES batches(name),
    number INTEGER NOT NULL,
    product TEXT NOT NULL,
    price_cents INTEGER NOT NULL,
    grams REAL NOT NULL,
    state TEXT NOT NULL DEFAULT 'prepared',
    mailed_on TEXT,
    mailed_by TEXT,
    PRIMARY KEY (batch, number)
);
CREATE TABLE IF NOT EXISTS lists (
    batch TEXT NOT NULL REFERENCES batches(name),
    number INTEGER NOT NULL,
    envelope INTEGER NOT NULL,
    PRIMARY KEY (batch, number)
);
CREATE TABLE IF NOT EXISTS signers (
    batch TEXT NOT NULL REFERENCES batches(name),
    list INTEGER NOT NULL,
    slot INTEGER NOT NULL,
    key TEXT NOT NULL,
    origin TEXT,
    PRIMARY KEY (batch, list, slot)
);
CREATE INDEX IF NOT EXISTS signers_by_key ON signers (key);
"""

# What each schema version adds to the one before; a ledger is brought up to date in place.
_MIGRATIONS = {
    # 2: campaigns kept apart (batches.campaign holds the campaign's id, which for a ledger
    # of version 1 is the campaign's name: the default id), correction keys, the mailing
    # history, and indexes for set-based status queries.
    2: """
    ALTER TABLE signers ADD COLUMN name_key INTEGER;
    ALTER TABLE signers ADD COLUMN sound_key INTEGER;
    CREATE INDEX IF NOT EXISTS lists_by_envelope ON lists (batch, envelope);
    CREATE INDEX IF NOT EXISTS batches_by_campaign ON batches (campaign);
    CREATE TABLE IF NOT EXISTS mail_history (
        batch TEXT NOT NULL,
        envelope INTEGER NOT NULL,
        changed_on TEXT NOT NULL,
        old_state TEXT NOT NULL,
        old_mailed_on TEXT,
        old_mailed_by TEXT,
        new_state TEXT NOT NULL,
        new_mailed_on TEXT,
        new_mailed_by TEXT,
        FOREIGN KEY (batch, envelope) REFERENCES envelopes (batch, number)
    );
    """,
}


def migrate(connection: sqlite3.Connection) -> int:
    """Create the tables, or bring an older ledger up to date; return its schema version.

    A current ledger is only read here, so opening it never waits for a run that holds the
    write lock; creating or migrating takes the lock for the moment it needs.
    """
    version = _version(connection)
    if version is not None and version >= SCHEMA_VERSION:
        return version
    connection.execute("BEGIN IMMEDIATE")
    try:
        version = _version(connection)  # another run may have done it meanwhile
        if version is None:
            _run_script(connection, _SCHEMA)
            connection.execute("INSERT INTO meta (key, value) VALUES ('schema_version', '1')")
            version = 1
        while version < SCHEMA_VERSION:
            version += 1
            _run_script(connection, _MIGRATIONS[version])
            connection.execute(
                "UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(version),)
            )
    except BaseException:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")
    return version


def _version(connection: sqlite3.Connection) -> int | None:
    """Return the schema version written in the ledger, or None for an empty file."""
    exists = connection.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'"
    ).fetchone()
    if not exists:
        return None
    row = connection.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row else 1


def _run_script(connection: sqlite3.Connection, script: str) -> None:
    """Run several statements inside the open transaction (executescript would commit it)."""
    for statement in script.split(";"):
        if statement.strip():
            connection.execute(statement)
