"""The ledger: what was prepared, mailed and discarded, behind one interface.

The ledger never holds a name or an address: a signer is a key (a hash of the normalised
name and address; keyed with the organisation's secret in a shared ledger,
:mod:`merge.track.keys`) and an origin (``file:sheet:row``). Back ends implement
:class:`Ledger`: SQLite (:mod:`merge.track.sqlite`) is the default, PostgreSQL
(:mod:`merge.track.postgres`) the ledger several groups share; both run the statements of
:mod:`merge.track.sql_ledger`. Where a ledger is, and how messages name it:
:mod:`merge.track.where`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from merge.batch.model import Batch
    from merge.lists.accounting import Listed
    from merge.lists.signer import Signer

from merge.errors import LedgerError
from merge.i18n import _
from merge.track.where import LedgerLocation


@dataclass(frozen=True)
class MailChange:
    """One change of an envelope's state, kept so that a corrected date is never lost."""

    changed_on: dt.date
    old_state: str
    old_mailed_on: dt.date | None
    old_mailed_by: str | None
    new_state: str
    new_mailed_on: dt.date | None
    new_mailed_by: str | None


@dataclass(frozen=True)
class EnvelopeState:
    batch: str
    number: int
    state: str  # prepared, mailed or discarded
    mailed_on: dt.date | None
    mailed_by: str | None
    lists: int
    signers: int
    history: tuple[MailChange, ...] = ()


@dataclass(frozen=True)
class BatchSummary:
    """Counts of one batch for the status report."""

    name: str
    campaign: str
    prepared_on: dt.date
    deadline: dt.date
    transit_days: int
    folder: Path
    purged_on: dt.date | None
    envelopes: tuple[EnvelopeState, ...]
    group: str | None = None  # the group that prepared it (None: recorded before groups were)

    def count(self, state: str, what: str = "envelopes") -> int:
        chosen = [e for e in self.envelopes if e.state == state]
        if what == "lists":
            return sum(e.lists for e in chosen)
        if what == "signers":
            return sum(e.signers for e in chosen)
        return len(chosen)

    @property
    def latest_safe_mailing(self) -> dt.date:
        return self.deadline - dt.timedelta(days=self.transit_days)

    @property
    def last_mailing(self) -> tuple[dt.date | None, tuple[str, ...]]:
        """Return the latest mailing date of the batch and who mailed on that day."""
        days = [e.mailed_on for e in self.envelopes if e.state == "mailed" and e.mailed_on]
        if not days:
            return None, ()
        last = max(days)
        people = {
            e.mailed_by
            for e in self.envelopes
            if e.state == "mailed" and e.mailed_on == last and e.mailed_by
        }
        return last, tuple(sorted(people))


def of_group(summary: BatchSummary, group: str | None) -> bool:
    """True if the batch is the group's: any batch where no group is asked (a file's ledger),
    one recorded before groups were, or one the group prepared."""
    return group is None or summary.group is None or summary.group == group


class Ledger(Protocol):
    """What a ledger back end provides: :class:`merge.track.sqlite.SQLiteLedger` and
    :class:`merge.track.postgres.PostgresLedger`."""

    location: LedgerLocation  # where it is, as messages name it

    def close(self) -> None: ...

    def exclusive(self, on_wait: Callable[[], None] | None = None) -> AbstractContextManager[None]:
        """Hold the write lock for a block: commit at its end, roll back on any exception.

        The lock is the ledger's, across machines for a server's: deciding who is already
        listed and recording the batch are one transaction. ``on_wait`` is called once if
        another run holds it.
        """
        ...

    def listed(self, campaign: str, signers: Iterable[Signer]) -> Listed:
        """Return who of ``signers`` the prepared or mailed lists of the campaign (its id)
        already have, by identity key, and by the keys that find a corrected row."""
        ...

    def has_batch(self, name: str) -> bool: ...

    def record_batch(self, batch: Batch, folder: Path, staging: Path) -> None:
        """Insert a batch with its lists, envelopes and signer keys (inside ``exclusive``).

        ``folder`` is where the batch goes, ``staging`` where it is built until then, both on
        this computer, whose id is recorded with them. Only keys and origins are stored,
        never a name or an address.
        """
        ...

    def batch_in_folder(self, folder: Path) -> str | None:
        """Return the name of the batch made on this computer whose folder ``folder`` is."""
        ...

    def open_batches(self, group: str | None = None) -> list[tuple[str, Path, Path, int]]:
        """Unpurged batches made on this computer (:mod:`merge.track.machine`) with envelopes
        not yet mailed: (name, folder, staging, signers); with ``group``, only that group's."""
        ...

    def unfinished_renames(self) -> list[tuple[str, Path, Path]]:
        """Batches made on this computer, recorded but not yet renamed into place: (name,
        staging, folder)."""
        ...

    def batch(self, name: str) -> BatchSummary:
        """Return one batch, or raise LedgerError naming the known ones."""
        ...

    def batches(self, campaign: str | None = None) -> list[BatchSummary]:
        """Return every batch (of one campaign, if given) with its envelopes, oldest first."""
        ...

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
        ...

    def forget_origins(self, batch: str, today: dt.date) -> None:
        """Keep only keys and counts of a batch whose personal files were deleted."""
        ...


def open_ledger(where: LedgerLocation | Path, create: bool = True) -> Ledger | None:
    """Open (and with ``create`` make) the ledger at ``where``: a file, or a server's.

    Without ``create`` a missing ledger gives None: a dry run or a status report must not
    leave a file (or a server's tables) behind.
    """
    location = where if isinstance(where, LedgerLocation) else LedgerLocation.file(where)
    if location.url is not None:
        from merge.track.postgres import open_postgres

        return open_postgres(location, create)
    from merge.track.sqlite import open_sqlite

    assert location.path is not None
    return open_sqlite(location.path, create)


@contextmanager
def existing_ledger(where: LedgerLocation | Path) -> Iterator[Ledger]:
    """Open a ledger that must exist already (for the tracking commands), and close it."""
    ledger = open_ledger(where, create=False)
    if ledger is None:
        raise LedgerError(
            _(
                "{path}: no ledger yet - it is made by the first `petition-merge run`; "
                "use --ledger if it lives elsewhere"
            ).format(path=where)
        )
    try:
        yield ledger
    finally:
        ledger.close()


@dataclass(frozen=True)
class Change:
    """One envelope whose state a command changed, or left alone and why."""

    batch: str
    envelope: int
    what: str  # "mailed", "discarded", "unchanged: ..."


Ranges = tuple[tuple[int, int], ...]  # envelope numbers as (first, last) pairs, not expanded


def parse_envelope_spec(spec: str) -> tuple[str, Ranges | None]:
    """Split ``BATCH`` or ``BATCH:3`` or ``BATCH:1-3,5`` into the batch and envelope ranges.

    The ranges stay ranges: ``B:1-999999999999`` must be refused against the batch, not
    expanded first.
    """
    batch, _colon, numbers = spec.rpartition(":") if ":" in spec else (spec, "", "")
    if not numbers:
        return spec, None
    chosen: list[tuple[int, int]] = []
    for part in numbers.split(","):
        first, _dash, last = part.strip().partition("-")
        if not first.isdigit() or (last and not last.isdigit()):
            raise LedgerError(
                _(
                    "'{spec}': '{part}' is not an envelope number or range - write e.g. "
                    "{batch}:3 or {batch}:1-4,7"
                ).format(spec=spec, part=part, batch=batch)
            )
        low, high = int(first), int(last or first)
        if high < low:
            raise LedgerError(
                _("'{spec}': the range '{part}' runs backwards - write it as {high}-{low}").format(
                    spec=spec, part=part, high=high, low=low
                )
            )
        chosen.append((low, high))
    return batch, tuple(chosen)


def envelopes_of(summary: BatchSummary, numbers: Ranges | None) -> list[EnvelopeState]:
    """Pick envelopes of a batch by number (all if None); unknown numbers are an error.

    Each range is checked against the batch's envelopes before it is expanded.
    """
    if numbers is None:
        return list(summary.envelopes)
    known = {e.number: e for e in summary.envelopes}
    highest = max(known, default=0)
    chosen: set[int] = set()
    for low, high in numbers:
        if low < 1 or high > highest:
            raise _no_envelope(summary.name, highest, low if low < 1 else high)
        chosen.update(range(low, high + 1))
    missing = sorted(chosen - known.keys())
    if missing:
        raise _no_envelope(summary.name, highest, missing[0])
    return [known[n] for n in sorted(chosen)]


def _no_envelope(batch: str, highest: int, wrong: int) -> LedgerError:
    if highest == 0:
        text = _("batch {batch} has no envelopes; there is no envelope {wrong}")
    elif highest == 1:
        text = _(
            "batch {batch} has only envelope 1; there is no envelope {wrong} - check the number"
        )
    else:
        text = _(
            "batch {batch} has envelopes 1-{highest}; there is no envelope {wrong} - "
            "check the number"
        )
    return LedgerError(text.format(batch=batch, highest=highest, wrong=wrong))
