"""The ledger in an SQLite file (the default, ``outputs/ledger.sqlite``): plain SQL, one file.

A run holds the ledger's write lock from the moment it looks up who was already listed until
its batch is recorded, so two volunteers running at once never put the same signer on two
lists: the second waits, then sees the first one's signers.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from merge.errors import LedgerError
from merge.track.ledger import BatchSummary, EnvelopeState

if TYPE_CHECKING:
    from merge.batch.model import Batch

SCHEMA_VERSION = 1
WAIT_SECONDS = 600  # how long a run waits for another run that holds the ledger
CACHE_KB = 8192  # SQLite's page cache, at most; it grows only as pages are used
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

# A signer counts as sent while its envelope is prepared or mailed.
_ACTIVE = """
    SELECT s.key, s.batch FROM signers s
    JOIN lists l ON l.batch = s.batch AND l.number = s.list
    JOIN envelopes e ON e.batch = l.batch AND e.number = l.envelope
    WHERE e.state IN ('prepared', 'mailed')
"""


class SQLiteLedger:
    """The ledger in one SQLite file; open it with :func:`merge.track.ledger.open_ledger`."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._db = connection
        self.path = path

    def close(self) -> None:
        self._db.close()

    # --- transactions -------------------------------------------------------------------

    @contextmanager
    def exclusive(self, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
        """Hold the write lock for a block: commit at its end, roll back on any exception."""
        self._begin(on_wait)
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def _begin(self, on_wait: Callable[[], None] | None) -> None:
        self._db.execute("PRAGMA busy_timeout = 100")
        try:
            self._db.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as err:
            if "locked" not in str(err) and "busy" not in str(err):
                raise _error(self.path, err) from err
        if on_wait is not None:
            on_wait()
        self._db.execute(f"PRAGMA busy_timeout = {WAIT_SECONDS * 1000}")
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as err:
            raise LedgerError(
                f"{self.path}: another petition-merge run has held the ledger for over "
                f"{WAIT_SECONDS // 60} minutes - wait for it to finish and run again"
            ) from err

    # --- runs ---------------------------------------------------------------------------

    def listed(self, keys: Iterable[str]) -> dict[str, str]:
        """Return the batch of every key that is already on a prepared or mailed list."""
        wanted = set(keys)
        found: dict[str, str] = {}
        for key, batch in self._db.execute(_ACTIVE + " ORDER BY s.batch"):
            if key in wanted and key not in found:
                found[key] = batch
        return found

    def has_batch(self, name: str) -> bool:
        row = self._db.execute("SELECT 1 FROM batches WHERE name = ?", (name,)).fetchone()
        return row is not None

    def record_batch(self, batch: Batch, folder: Path, staging: Path) -> None:
        """Insert a batch with its lists, envelopes and signer keys (inside ``exclusive``).

        ``folder`` is where the batch goes, ``staging`` where it is built until then.
        """
        name = batch.name
        self._db.execute(
            "INSERT INTO batches (name, campaign, prepared_on, deadline, transit_days, folder, "
            "staging) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                name,
                batch.campaign.name,
                batch.prepared_on.isoformat(),
                batch.campaign.deadline.isoformat(),
                batch.transit_days,
                str(folder),
                str(staging),
            ),
        )
        self._db.executemany(
            "INSERT INTO envelopes (batch, number, product, price_cents, grams) "
            "VALUES (?, ?, ?, ?, ?)",
            [
                (name, e.number, e.product_name, int(e.price_eur * 100), e.grams)
                for e in batch.plan.envelopes
            ],
        )
        envelope_of = batch.envelope_of
        self._db.executemany(
            "INSERT INTO lists (batch, number, envelope) VALUES (?, ?, ?)",
            [(name, page.number, envelope_of[page.number]) for page in batch.pages],
        )
        self._db.executemany(
            "INSERT INTO signers (batch, list, slot, key, origin) VALUES (?, ?, ?, ?, ?)",
            [
                (name, page.number, slot, signer.key, signer.origin)
                for page in batch.pages
                for slot, signer in enumerate(page.signers, start=1)
            ],
        )

    def unfinished_renames(self) -> list[tuple[str, Path, Path]]:
        """Batches recorded but not yet renamed into place: (name, staging, folder)."""
        rows = self._db.execute(
            "SELECT name, staging, folder FROM batches WHERE purged_on IS NULL ORDER BY name"
        ).fetchall()
        return [
            (name, Path(staging), Path(folder))
            for name, staging, folder in rows
            if not Path(folder).exists() and Path(staging).is_dir()
        ]

    # --- coordinators -------------------------------------------------------------------

    def batch(self, name: str) -> BatchSummary:
        """Return one batch, or raise LedgerError naming the known ones."""
        found = [b for b in self.batches() if b.name == name]
        if not found:
            known = ", ".join(b.name for b in self.batches()) or "none yet"
            raise LedgerError(
                f"{self.path}: no batch '{name}' in the ledger - known batches: {known}"
            )
        return found[0]

    def batches(self) -> list[BatchSummary]:
        """Return every batch with its envelopes' states, oldest first."""
        envelopes: dict[str, list[EnvelopeState]] = {}
        for row in self._db.execute(
            """
            SELECT e.batch, e.number, e.state, e.mailed_on, e.mailed_by,
                   (SELECT COUNT(*) FROM lists l WHERE l.batch = e.batch AND l.envelope = e.number),
                   (SELECT COUNT(*) FROM signers s JOIN lists l
                        ON l.batch = s.batch AND l.number = s.list
                    WHERE l.batch = e.batch AND l.envelope = e.number)
            FROM envelopes e ORDER BY e.batch, e.number
            """
        ):
            batch, number, state, mailed_on, mailed_by, lists, signers = row
            envelopes.setdefault(batch, []).append(
                EnvelopeState(batch, number, state, _date(mailed_on), mailed_by, lists, signers)
            )
        return [
            BatchSummary(
                name=name,
                campaign=campaign,
                prepared_on=dt.date.fromisoformat(prepared_on),
                deadline=dt.date.fromisoformat(deadline),
                transit_days=transit_days,
                folder=Path(folder),
                purged_on=_date(purged_on),
                envelopes=tuple(envelopes.get(name, [])),
            )
            for name, campaign, prepared_on, deadline, transit_days, folder, purged_on in (
                self._db.execute(
                    "SELECT name, campaign, prepared_on, deadline, transit_days, folder, "
                    "purged_on FROM batches ORDER BY prepared_on, name"
                )
            )
        ]

    def set_envelope_state(
        self,
        batch: str,
        number: int,
        state: str,
        mailed_on: dt.date | None = None,
        mailed_by: str | None = None,
    ) -> None:
        self._db.execute(
            "UPDATE envelopes SET state = ?, mailed_on = ?, mailed_by = ? "
            "WHERE batch = ? AND number = ?",
            (state, mailed_on.isoformat() if mailed_on else None, mailed_by, batch, number),
        )

    def forget_origins(self, batch: str, today: dt.date) -> None:
        """Keep only keys and counts of a batch whose personal files were deleted."""
        self._db.execute("UPDATE signers SET origin = NULL WHERE batch = ?", (batch,))
        self._db.execute("UPDATE envelopes SET mailed_by = NULL WHERE batch = ?", (batch,))
        self._db.execute(
            "UPDATE batches SET purged_on = ? WHERE name = ?", (today.isoformat(), batch)
        )


def open_sqlite(path: Path, create: bool = True) -> SQLiteLedger | None:
    """Open (and with ``create`` make, readable by its owner only) the ledger at ``path``.

    Without ``create`` a missing ledger gives None: a dry run or a status report must not
    leave a file behind.
    """
    if not path.exists():
        if not create:
            return None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:  # a file where the folder should be, no permission, ...
            raise LedgerError(f"{path}: cannot create the ledger ({err.strerror})") from err
        try:
            os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        except FileExistsError:
            pass  # another run made it a moment ago
        except OSError as err:
            raise LedgerError(f"{path}: cannot create the ledger ({err.strerror})") from err
    try:
        connection = sqlite3.connect(path, isolation_level=None, timeout=WAIT_SECONDS)
        connection.execute("PRAGMA foreign_keys = ON")
        # A batch of 100 000 signers writes about 20 MB of table and index pages, the key
        # index in random order; with 8 MB of cache instead of the default 2 MB it is
        # recorded in three quarters of the time, for 7 MB more memory (measured).
        connection.execute(f"PRAGMA cache_size = -{CACHE_KB}")
        version = _migrate(connection)
    except sqlite3.DatabaseError as err:
        raise _error(path, err) from err
    if version > SCHEMA_VERSION:
        connection.close()
        raise LedgerError(
            f"{path}: was written by a newer petition-merge (ledger version {version}) - "
            "update petition-merge"
        )
    return SQLiteLedger(connection, path)


def _migrate(connection: sqlite3.Connection) -> int:
    """Create the tables if they are missing; return the ledger's schema version.

    An existing ledger is only read here, so opening it never waits for a run that holds
    the write lock.
    """
    exists = connection.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'"
    ).fetchone()
    if not exists:
        connection.executescript(
            f"BEGIN IMMEDIATE; {_SCHEMA} INSERT OR IGNORE INTO meta (key, value) "
            f"VALUES ('schema_version', '{SCHEMA_VERSION}'); COMMIT;"
        )
    row = connection.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row else SCHEMA_VERSION


def _error(path: Path, err: sqlite3.Error) -> LedgerError:
    return LedgerError(
        f"{path}: the ledger cannot be used ({err}) - check that it is a petition-merge "
        "ledger and that the disk is writable; keep a copy before changing it"
    )


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None
