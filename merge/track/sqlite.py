"""The ledger in an SQLite file (the default, ``outputs/ledger.sqlite``): plain SQL, one file.

A run holds the ledger's write lock from the moment it looks up who was already listed until
its batch is recorded, so two volunteers running at once never put the same signer on two
lists: the second waits, then sees the first one's signers.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

from merge.errors import LedgerError, os_reason
from merge.i18n import N_, _, ngettext
from merge.lists.accounting import Listed
from merge.track.keys import LedgerKeys
from merge.track.schema import SCHEMA_VERSION, SQLITE, bring_up_to_date, schema_version
from merge.track.sql_ledger import (
    ACTIVE,
    CANNOT_USE,
    CLAIMED_TWICE,
    NOT_RECORDED,
    RUN_AGAIN,
    Row,
    SQLLedger,
)
from merge.track.where import LedgerLocation

if TYPE_CHECKING:
    from merge.lists.signer import Signer

WAIT_SECONDS = 600  # how long a run waits for another run that holds the ledger
CACHE_KB = 8192  # SQLite's page cache, at most; it grows only as pages are used


class SQLiteLedger(SQLLedger):
    """The ledger in one SQLite file; open it with :func:`merge.track.ledger.open_ledger`."""

    dialect = SQLITE

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._db = connection
        self.path = path
        self.location = LedgerLocation.file(path)
        self.keys = LedgerKeys()

    def close(self) -> None:
        self._db.close()

    # --- transactions -------------------------------------------------------------------

    @contextmanager
    def exclusive(self, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
        """Hold the write lock for a block: commit at its end, roll back on any exception."""
        self._begin(on_wait)
        try:
            yield
        except BaseException as err:
            self._roll_back()
            if isinstance(err, sqlite3.Error):
                raise _write_error(self.path, err) from err
            raise
        try:
            self._db.execute("COMMIT")
        except sqlite3.Error as err:
            self._roll_back()
            raise _write_error(self.path, err) from err

    def _roll_back(self) -> None:
        """Roll back what is still open; the error that led here is the one to report.

        SQLite rolls back by itself after some errors (a full disk, an I/O error): a second
        ROLLBACK would fail and hide the real cause.
        """
        if self._db.in_transaction:
            with suppress(sqlite3.Error):
                self._db.execute("ROLLBACK")

    def _begin(self, on_wait: Callable[[], None] | None) -> None:
        self._db.execute("PRAGMA busy_timeout = 100")
        try:
            self._db.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.Error as err:
            if "locked" not in str(err) and "busy" not in str(err):
                raise _write_error(self.path, err) from err
        if on_wait is not None:
            on_wait()
        self._db.execute(f"PRAGMA busy_timeout = {WAIT_SECONDS * 1000}")
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as err:
            minutes = WAIT_SECONDS // 60
            raise LedgerError(
                ngettext(
                    "{path}: another petition-merge run has held the ledger for over "
                    "{n} minute - wait for it to finish and run again",
                    "{path}: another petition-merge run has held the ledger for over "
                    "{n} minutes - wait for it to finish and run again",
                    minutes,
                ).format(path=self.path, n=minutes)
            ) from err

    # --- runs ---------------------------------------------------------------------------

    def listed(self, campaign: str, signers: Iterable[Signer]) -> Listed:
        """Return who of ``signers`` the campaign's prepared or mailed lists already have."""
        keys: set[str] = set()
        names: set[int] = set()
        sounds: set[int] = set()
        for signer in signers:
            keys.add(signer.key)
            names.add(signer.name_key)
            sounds.add(signer.sound_key)
        by_identity: dict[str, str] = {}
        by_name: dict[int, str] = {}
        by_sound: dict[int, str] = {}
        rows = self._db.execute(ACTIVE + " ORDER BY s.batch", (campaign,))
        for key, name_key, sound_key, batch in rows:
            if key in keys:
                by_identity.setdefault(key, batch)
            if name_key in names:  # NULL (a batch recorded before version 2) never matches
                by_name.setdefault(name_key, batch)
            if sound_key in sounds:
                by_sound.setdefault(sound_key, batch)
        return Listed(by_identity, by_name, by_sound)

    # --- what the shared statements need -----------------------------------------------

    def _rows(self, sql: str, args: Sequence[Any] = ()) -> list[Row]:
        return self._db.execute(sql, args).fetchall()

    def _run(self, sql: str, args: Sequence[Any] = ()) -> None:
        self._db.execute(sql, args)

    def _insert(self, table: str, columns: Sequence[str], rows: Iterable[Row]) -> None:
        marks = ", ".join("?" * len(columns))
        self._db.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)


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
            raise _cannot_create(path, err) from err
        try:
            os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        except FileExistsError:
            pass  # another run made it a moment ago
        except OSError as err:
            raise _cannot_create(path, err) from err
    try:
        connection = sqlite3.connect(path, isolation_level=None, timeout=WAIT_SECONDS)
        connection.execute("PRAGMA foreign_keys = ON")
        # A batch of 100 000 signers writes about 20 MB of table and index pages, the key
        # index in random order; with 8 MB of cache instead of the default 2 MB it is
        # recorded in three quarters of the time, for 7 MB more memory (measured).
        connection.execute(f"PRAGMA cache_size = -{CACHE_KB}")
        version = migrate(connection)
    except sqlite3.DatabaseError as err:
        raise _error(path, err) from err
    if version > SCHEMA_VERSION:
        connection.close()
        raise LedgerError(
            _(
                "{path}: was written by a newer petition-merge (ledger version {version}) - "
                "update petition-merge"
            ).format(path=path, version=version)
        )
    return SQLiteLedger(connection, path)


def _cannot_create(path: Path, err: OSError) -> LedgerError:
    return LedgerError(
        _("{path}: cannot create the ledger ({reason})").format(path=path, reason=os_reason(err))
    )


_CHECK = N_(
    "check that it is a petition-merge ledger and that the disk is writable; keep a copy "
    "before changing it"
)


def _error(path: Path, err: sqlite3.Error, what: str = CANNOT_USE) -> LedgerError:
    """Name the ledger and the real cause, with what to do about it where SQLite says.

    ``what`` (a clause), the cause and the fix (an imperative clause) are whole messages
    each, chosen by SQLite's result code; SQLite's own English text is not shown.
    """
    code = getattr(err, "sqlite_errorname", "") or ""
    cause, fix = next(
        (found for name, found in _CAUSES.items() if code == name or code.startswith(name + "_")),
        (None, _CHECK),
    )
    if cause is not None:
        reason = _(cause)
    elif getattr(err, "sqlite_errorcode", None) is not None:
        reason = _("SQLite error {number}").format(number=err.sqlite_errorcode)
    else:
        reason = _("SQLite error")
    return LedgerError(
        _("{path}: {problem} ({cause}) - {fix}").format(
            path=path, problem=_(what), cause=reason, fix=_(fix)
        )
    )


# What went wrong, by SQLite's result code (the English as SQLite says it), and what a user
# can do about it.
_CAUSES = {
    "SQLITE_FULL": (
        N_("database or disk is full"),
        N_("free some space on that disk and run again"),
    ),
    "SQLITE_READONLY": (
        N_("attempt to write a readonly database"),
        N_("make the file and its folder writable for you, or give --ledger a copy you may write"),
    ),
    "SQLITE_CANTOPEN": (
        N_("unable to open database file"),
        N_("make the ledger's folder writable for you"),
    ),
    "SQLITE_BUSY": (
        N_("database is locked"),
        N_("another program holds the ledger - close it and run again"),
    ),
    "SQLITE_LOCKED": (
        N_("database table is locked"),
        N_("another program holds the ledger - close it and run again"),
    ),
    "SQLITE_IOERR": (
        N_("disk I/O error"),
        N_("check the disk (or the network share) the ledger is on"),
    ),
    "SQLITE_PERM": (N_("access permission denied"), N_("make the ledger writable for you")),
    "SQLITE_CONSTRAINT_UNIQUE": (CLAIMED_TWICE, RUN_AGAIN),
    "SQLITE_CORRUPT": (N_("database disk image is malformed"), _CHECK),
    "SQLITE_NOTADB": (N_("file is not a database"), _CHECK),
}


def _write_error(path: Path, err: sqlite3.Error) -> LedgerError:
    """Name the ledger and the real cause of a failed write; nothing of it was kept."""
    return _error(path, err, NOT_RECORDED)


class _Target:
    """The SQLite connection as :mod:`merge.track.schema` migrates it."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection

    def run(self, sql: str, args: Sequence[Any] = ()) -> None:
        self._db.execute(sql, args)

    def first(self, sql: str, args: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        row: tuple[Any, ...] | None = self._db.execute(sql, args).fetchone()
        return row

    def has_table(self, name: str) -> bool:
        found = self._db.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
        ).fetchone()
        return found is not None


def read_version(connection: sqlite3.Connection) -> int | None:
    """Return the ledger's schema version without changing it (None: no tables yet)."""
    return schema_version(_Target(connection))


def migrate(connection: sqlite3.Connection, upto: int = SCHEMA_VERSION) -> int:
    """Create the tables, or bring an older ledger up to date; return its schema version.

    A current ledger is only read here, so opening it never waits for a run that holds the
    write lock; creating or migrating takes the lock for the moment it needs.
    """
    target = _Target(connection)
    version = schema_version(target)
    if version is not None and version >= upto:
        return version
    connection.execute("BEGIN IMMEDIATE")
    try:
        version = bring_up_to_date(target, SQLITE, upto)
    except BaseException:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")
    return version
