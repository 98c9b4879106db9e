"""mark-mailed: record envelopes as mailed, by number or from an edited dispatch checklist.

Nothing here reads the clock: ``day`` comes from the caller.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from merge.errors import LedgerError
from merge.track.checklist_read import read_checklist
from merge.track.ledger import Change, envelopes_of, existing_ledger, parse_envelope_spec


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
    with existing_ledger(path) as ledger:
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
