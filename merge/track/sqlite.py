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
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING

from merge.errors import LedgerError, os_reason
from merge.i18n import N_, _, ngettext
from merge.lists.accounting import Listed
from merge.track.ledger import BatchSummary, EnvelopeState, MailChange
from merge.track.sqlite_schema import SCHEMA_VERSION, migrate

if TYPE_CHECKING:
    from merge.batch.model import Batch
    from merge.lists.signer import Signer

WAIT_SECONDS = 600  # how long a run waits for another run that holds the ledger
CACHE_KB = 8192  # SQLite's page cache, at most; it grows only as pages are used
# A signer counts as sent while its envelope is prepared or mailed.
_ACTIVE = """
    SELECT s.key, s.name_key, s.sound_key, s.batch FROM signers s
    JOIN batches b ON b.name = s.batch
    JOIN lists l ON l.batch = s.batch AND l.number = s.list
    JOIN envelopes e ON e.batch = l.batch AND e.number = l.envelope
    WHERE e.state IN ('prepared', 'mailed') AND b.campaign = ?
    ORDER BY s.batch
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
        for key, name_key, sound_key, batch in self._db.execute(_ACTIVE, (campaign,)):
            if key in keys:
                by_identity.setdefault(key, batch)
            if name_key in names:  # NULL (a batch recorded before version 2) never matches
                by_name.setdefault(name_key, batch)
            if sound_key in sounds:
                by_sound.setdefault(sound_key, batch)
        return Listed(by_identity, by_name, by_sound)

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
                batch.campaign.id,
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
            "INSERT INTO signers (batch, list, slot, key, origin, name_key, sound_key) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    name,
                    page.number,
                    slot,
                    signer.key,
                    signer.origin,
                    signer.name_key or None,
                    signer.sound_key or None,
                )
                for page in batch.pages
                for slot, signer in enumerate(page.signers, start=1)
            ],
        )

    def open_batches(self) -> list[tuple[str, Path, Path, int]]:
        """Unpurged batches with envelopes not yet mailed: (name, folder, staging, signers)."""
        rows = self._db.execute(
            """
            SELECT b.name, b.folder, b.staging, COUNT(s.slot) FROM batches b
            JOIN envelopes e ON e.batch = b.name AND e.state = 'prepared'
            JOIN lists l ON l.batch = e.batch AND l.envelope = e.number
            JOIN signers s ON s.batch = l.batch AND s.list = l.number
            WHERE b.purged_on IS NULL
            GROUP BY b.name ORDER BY b.prepared_on, b.name
            """
        ).fetchall()
        return [(name, Path(folder), Path(staging), n) for name, folder, staging, n in rows]

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
        found = self._summaries("WHERE b.name = ?", (name,))
        if not found:
            rows = self._db.execute("SELECT name FROM batches ORDER BY prepared_on, name")
            known = ", ".join(row[0] for row in rows)
            if not known:
                text = _("{path}: no batch '{name}' in the ledger - it has no batches yet")
            else:
                text = _("{path}: no batch '{name}' in the ledger - known batches: {known}")
            raise LedgerError(text.format(path=self.path, name=name, known=known))
        return found[0]

    def batches(self, campaign: str | None = None) -> list[BatchSummary]:
        """Return every batch (of one campaign, if given) with its envelopes, oldest first."""
        if campaign is None:
            return self._summaries("", ())
        return self._summaries("WHERE b.campaign = ?", (campaign,))

    def _summaries(self, where: str, args: tuple[str, ...]) -> list[BatchSummary]:
        """Return the batches chosen by ``where`` (on ``batches b``) with their envelopes.

        Lists and signers are counted per envelope in one grouped pass over the batch's
        signers (by the primary keys and lists_by_envelope), never a sub-query per envelope.
        """
        chosen = f"SELECT b.name FROM batches b {where}"
        history: dict[tuple[str, int], list[MailChange]] = {}
        for batch, number, *change in self._db.execute(
            f"""
            SELECT batch, envelope, changed_on, old_state, old_mailed_on, old_mailed_by,
                   new_state, new_mailed_on, new_mailed_by
            FROM mail_history WHERE batch IN ({chosen}) ORDER BY batch, envelope, rowid
            """,
            args,
        ):
            changed_on, old_state, old_on, old_by, new_state, new_on, new_by = change
            history.setdefault((batch, number), []).append(
                MailChange(
                    dt.date.fromisoformat(changed_on),
                    old_state,
                    _date(old_on),
                    old_by,
                    new_state,
                    _date(new_on),
                    new_by,
                )
            )
        envelopes: dict[str, list[EnvelopeState]] = {}
        for row in self._db.execute(
            f"""
            SELECT e.batch, e.number, e.state, e.mailed_on, e.mailed_by,
                   COALESCE(c.lists, 0), COALESCE(c.signers, 0)
            FROM envelopes e
            LEFT JOIN (
                SELECT l.batch, l.envelope, COUNT(DISTINCT l.number) AS lists,
                       COUNT(s.slot) AS signers
                FROM lists l
                LEFT JOIN signers s ON s.batch = l.batch AND s.list = l.number
                WHERE l.batch IN ({chosen})
                GROUP BY l.batch, l.envelope
            ) c ON c.batch = e.batch AND c.envelope = e.number
            WHERE e.batch IN ({chosen})
            ORDER BY e.batch, e.number
            """,
            args + args,
        ):
            batch, number, state, mailed_on, mailed_by, lists, signers = row
            envelopes.setdefault(batch, []).append(
                EnvelopeState(
                    batch,
                    number,
                    state,
                    _date(mailed_on),
                    mailed_by,
                    lists,
                    signers,
                    tuple(history.get((batch, number), ())),
                )
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
                    "SELECT b.name, b.campaign, b.prepared_on, b.deadline, b.transit_days, "
                    f"b.folder, b.purged_on FROM batches b {where} ORDER BY b.prepared_on, b.name",
                    args,
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
        *,
        changed_on: dt.date,
    ) -> None:
        """Change an envelope's state (inside ``exclusive``), keeping the old one in its
        history."""
        new_on = mailed_on.isoformat() if mailed_on else None
        self._db.execute(
            "INSERT INTO mail_history (batch, envelope, changed_on, old_state, old_mailed_on, "
            "old_mailed_by, new_state, new_mailed_on, new_mailed_by) "
            "SELECT batch, number, ?, state, mailed_on, mailed_by, ?, ?, ? FROM envelopes "
            "WHERE batch = ? AND number = ?",
            (changed_on.isoformat(), state, new_on, mailed_by, batch, number),
        )
        self._db.execute(
            "UPDATE envelopes SET state = ?, mailed_on = ?, mailed_by = ? "
            "WHERE batch = ? AND number = ?",
            (state, new_on, mailed_by, batch, number),
        )

    def forget_origins(self, batch: str, today: dt.date) -> None:
        """Keep only keys and counts of a batch whose personal files were deleted."""
        self._db.execute("UPDATE signers SET origin = NULL WHERE batch = ?", (batch,))
        self._db.execute("UPDATE envelopes SET mailed_by = NULL WHERE batch = ?", (batch,))
        self._db.execute(
            "UPDATE mail_history SET old_mailed_by = NULL, new_mailed_by = NULL WHERE batch = ?",
            (batch,),
        )
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


_CANNOT_USE = N_("the ledger cannot be used")
_NOT_RECORDED = N_("nothing was recorded")
_CHECK = N_(
    "check that it is a petition-merge ledger and that the disk is writable; keep a copy "
    "before changing it"
)


def _error(path: Path, err: sqlite3.Error, what: str = _CANNOT_USE) -> LedgerError:
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
    "SQLITE_CORRUPT": (N_("database disk image is malformed"), _CHECK),
    "SQLITE_NOTADB": (N_("file is not a database"), _CHECK),
}


def _write_error(path: Path, err: sqlite3.Error) -> LedgerError:
    """Name the ledger and the real cause of a failed write; nothing of it was kept."""
    return _error(path, err, _NOT_RECORDED)


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None
