"""What both ledger back ends do in the same SQL: record a batch, read batches, change states.

A back end (:mod:`merge.track.sqlite`, :mod:`merge.track.postgres`) is a thin driver: its
connection, its transactions and locks, its errors, and its fastest way to insert many
rows. The statements are written once, with ``?`` for a parameter; PostgreSQL's driver
spells it ``%s``. Days go in as the back end keeps them (ISO text in SQLite, DATE in
PostgreSQL) and are read back from either.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from merge.batch import batch_order
from merge.errors import LedgerError
from merge.i18n import N_, _
from merge.track.keys import LedgerKeys
from merge.track.ledger import BatchSummary, EnvelopeState, MailChange
from merge.track.machine import this_machine
from merge.track.schema import Dialect
from merge.track.where import LedgerLocation

if TYPE_CHECKING:
    from merge.batch.model import Batch

Row = tuple[Any, ...]

# A signer counts as sent while its envelope is prepared or mailed.
ACTIVE = """
    SELECT s.key, s.name_key, s.sound_key, s.batch FROM signers s
    JOIN batches b ON b.name = s.batch
    JOIN lists l ON l.batch = s.batch AND l.number = s.list
    JOIN envelopes e ON e.batch = l.batch AND e.number = l.envelope
    WHERE e.state IN ('prepared', 'mailed') AND b.campaign = ?
"""
# What failed, as the one-line error names it: "<ledger>: <what> (<cause>) - <fix>".
CANNOT_USE = N_("the ledger cannot be used")
NOT_RECORDED = N_("nothing was recorded")
# Why a batch was not recorded when a key was claimed twice (a clause each, for any back end).
CLAIMED_TWICE = N_("a signer of this batch is already on a list of the campaign")
RUN_AGAIN = N_("run again: the next run leaves them out")
SIGNER_COLUMNS = ("batch", "list", "slot", "key", "origin", "name_key", "sound_key", "claimed_in")


class SQLLedger:
    """The statements both back ends share; a driver supplies the connection."""

    dialect: Dialect
    location: LedgerLocation
    keys: LedgerKeys

    # --- what a driver provides -----------------------------------------------------------

    def exclusive(self, on_wait: Callable[[], None] | None = None) -> AbstractContextManager[None]:
        """Hold the ledger's write lock for a block (see :class:`merge.track.ledger.Ledger`)."""
        raise NotImplementedError

    def _rows(self, sql: str, args: Sequence[Any] = ()) -> list[Row]:
        raise NotImplementedError

    def _run(self, sql: str, args: Sequence[Any] = ()) -> None:
        raise NotImplementedError

    def _insert(self, table: str, columns: Sequence[str], rows: Iterable[Row]) -> None:
        """Insert many rows into ``table`` (inside ``exclusive``)."""
        raise NotImplementedError

    def _day(self, value: dt.date | None) -> Any:
        """Return a day as a statement's parameter: ISO text (SQLite keeps days so)."""
        return value.isoformat() if value else None

    # --- runs ---------------------------------------------------------------------------

    def has_batch(self, name: str) -> bool:
        return bool(self._rows("SELECT 1 FROM batches WHERE name = ?", (name,)))

    def record_batch(self, batch: Batch, folder: Path, staging: Path) -> None:
        """Insert a batch with its lists, envelopes and signer keys (inside ``exclusive``).

        ``folder`` is where the batch goes, ``staging`` where it is built until then. Each
        signer claims its key in the campaign; a key claimed twice fails the whole insert
        (nobody twice, whatever the lock did), except that a ``--reprint`` only claims the
        keys nobody holds.
        """
        name = batch.name
        campaign = batch.campaign.id
        self._run(
            "INSERT INTO batches (name, campaign, prepared_on, deadline, transit_days, folder, "
            "staging, group_name, machine) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                name,
                campaign,
                self._day(batch.prepared_on),
                self._day(batch.campaign.deadline),
                batch.transit_days,
                str(folder),
                str(staging),
                batch.group or None,
                this_machine(),
            ),
        )
        self._insert(
            "envelopes",
            ("batch", "number", "product", "price_cents", "grams"),
            (
                (name, e.number, e.product_name, int(e.price_eur * 100), e.grams)
                for e in batch.plan.envelopes
            ),
        )
        envelope_of = batch.envelope_of
        self._insert(
            "lists",
            ("batch", "number", "envelope", "signers"),
            (
                (name, page.number, envelope_of[page.number], len(page.signers))
                for page in batch.pages
            ),
        )
        claim = None if batch.reprint else campaign
        stored = self.keys.stored
        self._insert(
            "signers",
            SIGNER_COLUMNS,
            (
                (name, page.number, slot, key, signer.origin, name_key, sound_key, claim)
                for page in batch.pages
                for slot, signer in enumerate(page.signers, start=1)
                for key, name_key, sound_key in (
                    stored(signer.key, signer.name_key, signer.sound_key),
                )
            ),
        )
        if batch.reprint:
            self._run(
                "UPDATE signers SET claimed_in = ? WHERE batch = ? AND NOT EXISTS ("
                "SELECT 1 FROM signers c WHERE c.claimed_in = ? AND c.key = signers.key)",
                (campaign, name, campaign),
            )

    def batch_in_folder(self, folder: Path) -> str | None:
        """Return the name of the batch made on this computer whose folder ``folder`` is."""
        mine, args = self._of_this_machine("")
        rows = self._rows(f"SELECT name FROM batches WHERE folder = ? {mine}", (str(folder), *args))
        return str(rows[0][0]) if len(rows) == 1 else None

    def open_batches(self, group: str | None = None) -> list[tuple[str, Path, Path, int]]:
        """Unpurged batches of this computer with envelopes not yet mailed: (name, folder,
        staging, signers); with ``group``, only that group's (and those recorded before
        groups, or computers, were)."""
        mine, args = self._of_this_machine("b.")
        if group is not None:
            mine += " AND (b.group_name = ? OR b.group_name IS NULL)"
            args += (group,)
        rows = self._rows(
            f"""
            SELECT b.name, b.folder, b.staging, COUNT(s.slot), b.prepared_on FROM batches b
            JOIN envelopes e ON e.batch = b.name AND e.state = 'prepared'
            JOIN lists l ON l.batch = e.batch AND l.envelope = e.number
            JOIN signers s ON s.batch = l.batch AND s.list = l.number
            WHERE b.purged_on IS NULL {mine}
            GROUP BY b.name, b.folder, b.staging, b.prepared_on
            """,
            args,
        )
        return [
            (name, Path(folder), Path(staging), n)
            for name, folder, staging, n, _day in sorted(
                rows, key=lambda r: _in_order((r[0], r[4]))
            )
        ]

    def unfinished_renames(self) -> list[tuple[str, Path, Path]]:
        """Batches of this computer recorded but not yet renamed into place: (name, staging,
        folder)."""
        mine, args = self._of_this_machine("")
        rows = self._rows(
            f"SELECT name, staging, folder FROM batches WHERE purged_on IS NULL {mine}", args
        )
        return [
            (name, Path(staging), Path(folder))
            for name, staging, folder in sorted(rows, key=lambda row: batch_order(row[0]))
            if not Path(folder).exists() and Path(staging).is_dir()
        ]

    def _of_this_machine(self, table: str) -> tuple[str, tuple[str, ...]]:
        """A condition (``AND ...``) for batches made on this computer, or before computers
        were recorded; none where this computer's id is unknown."""
        machine = this_machine()
        if machine is None:
            return "", ()
        return f"AND ({table}machine = ? OR {table}machine IS NULL)", (machine,)

    # --- coordinators -------------------------------------------------------------------

    def batch(self, name: str) -> BatchSummary:
        """Return one batch, or raise LedgerError naming the known ones."""
        found = self._summaries("WHERE b.name = ?", (name,))
        if not found:
            rows = self._rows("SELECT name, prepared_on FROM batches")
            known = ", ".join(name for name, _day in sorted(rows, key=_in_order))
            if not known:
                text = _("{path}: no batch '{name}' in the ledger - it has no batches yet")
            else:
                text = _("{path}: no batch '{name}' in the ledger - known batches: {known}")
            raise LedgerError(text.format(path=self.location, name=name, known=known))
        return found[0]

    def batches(self, campaign: str | None = None) -> list[BatchSummary]:
        """Return every batch (of one campaign, if given) with its envelopes, oldest first."""
        if campaign is None:
            return self._summaries("", ())
        return self._summaries("WHERE b.campaign = ?", (campaign,))

    def _summaries(self, where: str, args: tuple[str, ...]) -> list[BatchSummary]:
        """Return the batches chosen by ``where`` (on ``batches b``) with their envelopes.

        Lists and signers are counted per envelope in one grouped pass over the batch's
        lists (each keeps its count of signers; by lists_by_envelope), never a sub-query per
        envelope.
        """
        chosen = f"SELECT b.name FROM batches b {where}"
        history: dict[tuple[str, int], list[MailChange]] = {}
        for batch, number, *change in self._rows(
            f"""
            SELECT batch, envelope, changed_on, old_state, old_mailed_on, old_mailed_by,
                   new_state, new_mailed_on, new_mailed_by
            FROM mail_history WHERE batch IN ({chosen})
            ORDER BY batch, envelope, {self.dialect.history_order}
            """,
            args,
        ):
            changed_on, old_state, old_on, old_by, new_state, new_on, new_by = change
            history.setdefault((batch, number), []).append(
                MailChange(
                    day(changed_on), old_state, day(old_on), old_by, new_state, day(new_on), new_by
                )
            )
        envelopes: dict[str, list[EnvelopeState]] = {}
        for row in self._rows(
            f"""
            SELECT e.batch, e.number, e.state, e.mailed_on, e.mailed_by,
                   COALESCE(c.lists, 0), COALESCE(c.signers, 0)
            FROM envelopes e
            LEFT JOIN (
                SELECT l.batch, l.envelope, COUNT(*) AS lists, SUM(l.signers) AS signers
                FROM lists l
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
                    day(mailed_on),
                    mailed_by,
                    lists,
                    signers,
                    tuple(history.get((batch, number), ())),
                )
            )
        summaries = [
            BatchSummary(
                name=name,
                campaign=campaign,
                prepared_on=day(prepared_on),
                deadline=day(deadline),
                transit_days=transit_days,
                folder=Path(folder),
                purged_on=day(purged_on),
                envelopes=tuple(envelopes.get(name, [])),
                group=group,
            )
            for name, campaign, prepared_on, deadline, transit_days, folder, purged_on, group in (
                self._rows(
                    "SELECT b.name, b.campaign, b.prepared_on, b.deadline, b.transit_days, "
                    f"b.folder, b.purged_on, b.group_name FROM batches b {where}",
                    args,
                )
            )
        ]
        return sorted(summaries, key=lambda b: (b.prepared_on, batch_order(b.name)))

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
        history; a discarded envelope gives up its signers' claims."""
        new_on = self._day(mailed_on)
        self._run(
            "INSERT INTO mail_history (batch, envelope, changed_on, old_state, old_mailed_on, "
            "old_mailed_by, new_state, new_mailed_on, new_mailed_by) "
            "SELECT batch, number, ?, state, mailed_on, mailed_by, ?, ?, ? FROM envelopes "
            "WHERE batch = ? AND number = ?",
            (self._day(changed_on), state, new_on, mailed_by, batch, number),
        )
        self._run(
            "UPDATE envelopes SET state = ?, mailed_on = ?, mailed_by = ? "
            "WHERE batch = ? AND number = ?",
            (state, new_on, mailed_by, batch, number),
        )
        if state == "discarded":
            self._run(
                "UPDATE signers SET claimed_in = NULL WHERE batch = ? AND list IN ("
                "SELECT number FROM lists WHERE batch = ? AND envelope = ?)",
                (batch, batch, number),
            )

    def forget_origins(self, batch: str, today: dt.date) -> None:
        """Keep only keys and counts of a batch whose personal files were deleted."""
        self._run("UPDATE signers SET origin = NULL WHERE batch = ?", (batch,))
        self._run("UPDATE envelopes SET mailed_by = NULL WHERE batch = ?", (batch,))
        self._run(
            "UPDATE mail_history SET old_mailed_by = NULL, new_mailed_by = NULL WHERE batch = ?",
            (batch,),
        )
        self._run("UPDATE batches SET purged_on = ? WHERE name = ?", (self._day(today), batch))


def _in_order(row: Row) -> tuple[Any, ...]:
    """Order (name, prepared_on) rows as status lists batches: by day, then by number."""
    name, prepared_on = row
    return (day(prepared_on), batch_order(name))


def day(value: str | dt.date | None) -> Any:
    """Read a day as either back end returns it (ISO text, or a date); None stays None."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value)
