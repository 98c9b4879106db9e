"""What coordinators do after a run: mark envelopes mailed, discard, report status, purge.

Every function opens the ledger, changes it in one transaction and returns what happened;
the CLI prints it. Nothing here reads the clock: ``today`` comes from the caller.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from merge.batch import PERSONAL_FILES
from merge.checklist import read_checklist
from merge.errors import LedgerError
from merge.ledger import (
    BatchSummary,
    Ledger,
    envelopes_of,
    open_ledger,
    parse_envelope_spec,
)
from merge.pipeline import finish_interrupted


@dataclass(frozen=True)
class Change:
    """One envelope whose state a command changed, or left alone and why."""

    batch: str
    envelope: int
    what: str  # "mailed", "discarded", "unchanged: ..."


@contextmanager
def _ledger(path: Path) -> Iterator[Ledger]:
    ledger = open_ledger(path, create=False)
    if ledger is None:
        raise LedgerError(
            f"{path}: no ledger yet - it is made by the first `petition-merge run`; "
            "use --ledger if it lives elsewhere"
        )
    try:
        yield ledger
    finally:
        ledger.close()


def mark_mailed(
    path: Path,
    specs: Sequence[str],
    checklist: Path | None,
    day: dt.date,
    by: str | None,
) -> list[Change]:
    """Record envelopes as mailed, named as BATCH:3 / BATCH:1-4 or ticked in a checklist.

    A checklist tick without a date takes ``day``.
    """
    wanted: list[tuple[str, int, dt.date, str | None]] = []
    with _ledger(path) as ledger:
        if checklist is not None:
            batch, marks = read_checklist(checklist)
            summary = ledger.batch(batch)
            envelopes_of(summary, frozenset(m.envelope for m in marks))
            wanted += [(batch, m.envelope, m.mailed_on or day, m.mailed_by or by) for m in marks]
        for spec in specs:
            batch, numbers = parse_envelope_spec(spec)
            for envelope in envelopes_of(ledger.batch(batch), numbers):
                wanted.append((batch, envelope.number, day, by))
        if not wanted:
            raise LedgerError(
                "nothing to mark - name envelopes like 2026-11-27-1:3 or give --checklist FILE "
                "with dates in 'Versandt am'"
            )
        changes = []
        with ledger.exclusive():
            states = {(e.batch, e.number): e for b in ledger.batches() for e in b.envelopes}
            for batch, number, mailed_on, mailed_by in wanted:
                current = states[(batch, number)]
                if current.state == "discarded":
                    raise LedgerError(
                        f"{batch}:{number}: this envelope was discarded and cannot be mailed - "
                        "run petition-merge again to print its signers anew"
                    )
                if current.state == "mailed" and current.mailed_on == mailed_on:
                    changes.append(Change(batch, number, f"unchanged: mailed on {mailed_on}"))
                    continue
                ledger.set_envelope_state(batch, number, "mailed", mailed_on, mailed_by)
                changes.append(Change(batch, number, f"mailed on {mailed_on}"))
    return changes


def discard(path: Path, spec: str) -> list[Change]:
    """Release the signers of a batch (or some of its envelopes) that will not be mailed."""
    batch, numbers = parse_envelope_spec(spec)
    with _ledger(path) as ledger, ledger.exclusive():
        changes = []
        for envelope in envelopes_of(ledger.batch(batch), numbers):
            if envelope.state == "mailed":
                changes.append(
                    Change(batch, envelope.number, f"unchanged: mailed on {envelope.mailed_on}")
                )
            elif envelope.state == "discarded":
                changes.append(Change(batch, envelope.number, "unchanged: already discarded"))
            else:
                ledger.set_envelope_state(batch, envelope.number, "discarded")
                changes.append(Change(batch, envelope.number, "discarded"))
    return changes


@dataclass(frozen=True)
class BatchStatus:
    batch: BatchSummary
    today: dt.date

    @property
    def days_left(self) -> int:
        """Days until the latest safe mailing date (negative once it has passed)."""
        return (self.batch.latest_safe_mailing - self.today).days

    @property
    def late(self) -> bool:
        return self.batch.count("prepared") > 0 and self.days_left < 0

    def as_json(self) -> dict[str, Any]:
        b = self.batch
        return {
            "batch": b.name,
            "campaign": b.campaign,
            "prepared_on": b.prepared_on.isoformat(),
            "folder": str(b.folder),
            "purged_on": b.purged_on.isoformat() if b.purged_on else None,
            **{
                what: {state: b.count(state, what) for state in ("prepared", "mailed", "discarded")}
                for what in ("envelopes", "lists", "signers")
            },
            "deadline": b.deadline.isoformat(),
            "transit_days": b.transit_days,
            "latest_safe_mailing": b.latest_safe_mailing.isoformat(),
            "days_left": self.days_left,
            "late": self.late,
        }


def status(path: Path, today: dt.date) -> list[BatchStatus]:
    """Report every batch: what is prepared, mailed and discarded, and the time left."""
    finish_interrupted(path)
    with _ledger(path) as ledger:
        return [BatchStatus(b, today) for b in ledger.batches()]


def purgeable(path: Path, name: str | None) -> list[BatchSummary]:
    """Return the batches purge would clear: fully mailed (or discarded), not yet purged."""
    with _ledger(path) as ledger:
        if name is not None:
            summary = ledger.batch(name)
            pending = summary.count("prepared")
            if pending:
                raise LedgerError(
                    f"batch {name} has {pending} envelope(s) not yet mailed - mark them "
                    "mailed (or discard them) before deleting its personal data"
                )
            return [summary] if summary.purged_on is None else []
        return [
            b
            for b in ledger.batches()
            if b.purged_on is None and b.envelopes and not b.count("prepared")
        ]


def purge(path: Path, batches: Sequence[BatchSummary], today: dt.date) -> list[Path]:
    """Delete the name-bearing files of these batches; the ledger keeps only keys and counts."""
    removed = []
    with _ledger(path) as ledger, ledger.exclusive():
        for summary in batches:
            for name in PERSONAL_FILES:
                file = summary.folder / name
                if file.exists():
                    file.unlink()
                    removed.append(file)
            ledger.forget_origins(summary.name, today)
    return removed
