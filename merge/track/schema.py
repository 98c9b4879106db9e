"""The ledger's tables, for SQLite and PostgreSQL alike, and how an older ledger is brought
up to date.

One description serves both back ends: each schema version adds to the one before
(``_MIGRATIONS``), written once with the few words the two dialects spell differently
(:class:`Dialect`). A new ledger is made as version 1 and migrated step by step, the same way
an old one is, so both back ends always have the same tables. A ledger is migrated when it
is opened, in one transaction under the ledger's write lock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

SCHEMA_VERSION = 4


@dataclass(frozen=True)
class Dialect:
    """What the two back ends spell differently in the schema."""

    name: str
    date: str  # a calendar day (SQLite keeps ISO text)
    real: str  # a double-precision number (PostgreSQL's REAL is single precision)
    big: str  # a 64-bit integer
    history_id: str  # a column that orders mail_history (SQLite has its rowid)
    history_order: str  # the column to sort mail_history by
    extra: dict[int, str] = field(default_factory=dict)  # statements of one back end only


SQLITE = Dialect(
    "sqlite",
    date="TEXT",
    real="REAL",
    big="INTEGER",
    history_id="",
    history_order="rowid",
)
POSTGRES = Dialect(
    "postgresql",
    date="DATE",
    real="DOUBLE PRECISION",
    big="BIGINT",
    history_id="id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,",
    history_order="id",
    extra={
        # A national ledger is asked for the keys of one run, not read whole (see
        # merge.track.postgres): the correction keys need indexes of their own there.
        2: """
        CREATE INDEX IF NOT EXISTS signers_by_name ON signers (name_key);
        CREATE INDEX IF NOT EXISTS signers_by_sound ON signers (sound_key);
        """,
        # Room on each page for a row's new version: purge (origins to NULL) then updates
        # 100 000 rows in place (HOT), without touching their five index entries each.
        3: """
        ALTER TABLE signers SET (fillfactor = 80);
        """,
    },
)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS batches (
    name TEXT PRIMARY KEY,
    campaign TEXT NOT NULL,
    prepared_on {date} NOT NULL,
    deadline {date} NOT NULL,
    transit_days INTEGER NOT NULL,
    folder TEXT NOT NULL,
    staging TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'prepared',
    purged_on {date}
);
CREATE TABLE IF NOT EXISTS envelopes (
    batch TEXT NOT NULL REFERENCES batches(name),
    number INTEGER NOT NULL,
    product TEXT NOT NULL,
    price_cents INTEGER NOT NULL,
    grams {real} NOT NULL,
    state TEXT NOT NULL DEFAULT 'prepared',
    mailed_on {date},
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
    ALTER TABLE signers ADD COLUMN name_key {big};
    ALTER TABLE signers ADD COLUMN sound_key {big};
    CREATE INDEX IF NOT EXISTS lists_by_envelope ON lists (batch, envelope);
    CREATE INDEX IF NOT EXISTS batches_by_campaign ON batches (campaign);
    CREATE TABLE IF NOT EXISTS mail_history (
        {history_id}
        batch TEXT NOT NULL,
        envelope INTEGER NOT NULL,
        changed_on {date} NOT NULL,
        old_state TEXT NOT NULL,
        old_mailed_on {date},
        old_mailed_by TEXT,
        new_state TEXT NOT NULL,
        new_mailed_on {date},
        new_mailed_by TEXT,
        FOREIGN KEY (batch, envelope) REFERENCES envelopes (batch, number)
    );
    """,
    # 3: nobody twice, by constraint: a signer row "claims" its key in its campaign
    # (claimed_in = the campaign's id) while its envelope is prepared or mailed, and a key is
    # claimed once per campaign; a discarded envelope gives its claims up, a --reprint does
    # not claim what is claimed already. The first active row of a key (by batch name, as
    # the ledger's lookups report it) takes the claim of an older ledger. Rows that claim
    # nothing are left out of the index: a discard only deletes from it. And the group that
    # prepared a batch, for a ledger that several groups share. And each list's count of
    # signers, so that status sums 20 000 lists instead of joining 100 000 signers.
    3: """
    ALTER TABLE batches ADD COLUMN group_name TEXT;
    ALTER TABLE lists ADD COLUMN signers INTEGER NOT NULL DEFAULT 0;
    UPDATE lists SET signers = (
        SELECT COUNT(*) FROM signers s WHERE s.batch = lists.batch AND s.list = lists.number
    );
    ALTER TABLE signers ADD COLUMN claimed_in TEXT;
    UPDATE signers SET claimed_in = first.campaign FROM (
        SELECT s.batch, s.list, s.slot, b.campaign, ROW_NUMBER() OVER (
            PARTITION BY b.campaign, s.key ORDER BY s.batch, s.list, s.slot
        ) AS n
        FROM signers s
        JOIN batches b ON b.name = s.batch
        JOIN lists l ON l.batch = s.batch AND l.number = s.list
        JOIN envelopes e ON e.batch = l.batch AND e.number = l.envelope
        WHERE e.state IN ('prepared', 'mailed')
    ) AS first
    WHERE first.n = 1 AND signers.batch = first.batch AND signers.list = first.list
        AND signers.slot = first.slot;
    CREATE UNIQUE INDEX IF NOT EXISTS signers_claimed ON signers (claimed_in, key)
        WHERE claimed_in IS NOT NULL;
    """,
    # 4: the computer each batch was made on (merge.track.machine), so that only its own
    # batches' folders are looked for on a laptop; NULL: made before, looked for everywhere.
    4: """
    ALTER TABLE batches ADD COLUMN machine TEXT;
    """,
}


class SchemaTarget(Protocol):
    """What migrating needs of a back end's connection (inside its transaction)."""

    def run(self, sql: str, args: Sequence[Any] = ()) -> None: ...

    def first(self, sql: str, args: Sequence[Any] = ()) -> tuple[Any, ...] | None: ...

    def has_table(self, name: str) -> bool: ...


def statements(script: str, dialect: Dialect) -> list[str]:
    """Split a script of this module into statements in the back end's words."""
    words = {
        "date": dialect.date,
        "real": dialect.real,
        "big": dialect.big,
        "history_id": dialect.history_id,
    }
    return [part.strip() for part in script.format(**words).split(";") if part.strip()]


def schema_version(target: SchemaTarget) -> int | None:
    """Return the schema version written in the ledger, or None for an empty one."""
    if not target.has_table("meta"):
        return None
    row = target.first("SELECT value FROM meta WHERE key = 'schema_version'")
    return int(row[0]) if row else 1


def bring_up_to_date(target: SchemaTarget, dialect: Dialect, upto: int = SCHEMA_VERSION) -> int:
    """Create the tables, or migrate an older ledger, inside the caller's transaction (which
    holds the write lock); return the schema version it has now.

    ``upto`` stops at an older version (the tests make old ledgers so).
    """
    version = schema_version(target)  # another run may have done it meanwhile
    if version is None:
        _run_script(target, _SCHEMA, dialect)
        target.run("INSERT INTO meta (key, value) VALUES ('schema_version', '1')")
        version = 1
    while version < upto:
        version += 1
        _run_script(target, _MIGRATIONS[version], dialect)
        if version in dialect.extra:
            _run_script(target, dialect.extra[version], dialect)
        target.run("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(version),))
    return version


def _run_script(target: SchemaTarget, script: str, dialect: Dialect) -> None:
    for statement in statements(script, dialect):
        target.run(statement)
