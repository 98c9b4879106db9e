"""mark-mailed: record envelopes as mailed, by number or from an edited dispatch checklist.

A mailed envelope is never changed silently: the same day and person again is "unchanged",
another day or person needs ``correct``, and the old entry stays in the envelope's history.
Nothing here reads the clock: ``day`` and ``today`` come from the caller.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from merge.errors import InputError, LedgerError, UsageError
from merge.track.checklist_read import read_checklist
from merge.track.ledger import (
    BatchSummary,
    Change,
    EnvelopeState,
    envelopes_of,
    existing_ledger,
    parse_envelope_spec,
)


@dataclass(frozen=True)
class _Wanted:
    batch: str
    number: int
    mailed_on: dt.date
    mailed_by: str | None
    source: str  # where the date came from: "--date" or a checklist cell


def mark_mailed(
    path: Path,
    specs: Sequence[str],
    checklist: Path | None,
    day: dt.date,
    by: str | None,
    *,
    today: dt.date,
    correct: bool = False,
) -> list[Change]:
    """Record envelopes as mailed, named as BATCH:3 / BATCH:1-4 or ticked in a checklist.

    A checklist tick without a date takes ``day`` (``--date``, default today). A date
    before the batch was prepared or after ``today`` is refused, naming where it came from.
    """
    with existing_ledger(path) as ledger, ledger.exclusive():
        batches: dict[str, BatchSummary] = {}

        def summary(name: str) -> BatchSummary:
            if name not in batches:
                batches[name] = ledger.batch(name)
            return batches[name]

        wanted: list[_Wanted] = []
        if checklist is not None:
            name, marks = read_checklist(checklist)
            chosen = tuple((m.envelope, m.envelope) for m in marks)
            envelopes_of(summary(name), chosen)
            for m in marks:
                source = m.cell if m.mailed_on else "--date"  # a tick takes --date
                wanted.append(
                    _Wanted(name, m.envelope, m.mailed_on or day, m.mailed_by or by, source)
                )
        for spec in specs:
            name, numbers = parse_envelope_spec(spec)
            wanted += [
                _Wanted(name, e.number, day, by, "--date")
                for e in envelopes_of(summary(name), numbers)
            ]
        if not wanted:
            raise LedgerError(
                "nothing to mark - name envelopes like 2026-11-27-1:3 or give --checklist FILE "
                "with dates in 'Versandt am'"
            )
        states = {(e.batch, e.number): e for b in batches.values() for e in b.envelopes}
        plan: list[tuple[_Wanted, EnvelopeState, str | None, bool]] = []
        refused: list[str] = []
        seen: set[tuple[str, int]] = set()
        for want in wanted:
            if (want.batch, want.number) in seen:
                continue  # named twice (a range and a checklist): the first one counts
            seen.add((want.batch, want.number))
            _check_day(want, batches[want.batch], today)
            current = states[(want.batch, want.number)]
            if current.state == "discarded":
                raise LedgerError(
                    f"{want.batch}:{want.number}: this envelope was discarded and cannot be "
                    "mailed - run petition-merge again to print its signers anew"
                )
            # No --by (or no name in the checklist) leaves who mailed it as it was.
            person = want.mailed_by or current.mailed_by
            if current.state != "mailed":
                plan.append((want, current, person, False))
            elif current.mailed_on == want.mailed_on and person == current.mailed_by:
                plan.append((want, current, person, True))
            elif correct:
                plan.append((want, current, person, False))
            else:
                refused.append(
                    f"{want.batch}:{want.number}: already recorded as {_mailed(current)}, not "
                    f"{_said(want.mailed_on, person)}"
                )
        if refused:
            more = f" (and {len(refused) - 1} more envelope(s))" if len(refused) > 1 else ""
            raise LedgerError(
                f"{refused[0]}{more} - nothing was changed; if the record is wrong, run again "
                "with --correct (the old entry is kept in the envelope's history)"
            )
        changes = []
        for want, current, person, unchanged in plan:
            if unchanged:
                changes.append(
                    Change(want.batch, want.number, f"unchanged: mailed on {want.mailed_on}")
                )
                continue
            ledger.set_envelope_state(
                want.batch, want.number, "mailed", want.mailed_on, person, changed_on=today
            )
            if current.state == "mailed":
                what = f"corrected: mailed on {want.mailed_on} (was {_mailed(current)})"
            else:
                what = f"mailed on {want.mailed_on}"
            changes.append(Change(want.batch, want.number, what))
    return changes


def _check_day(want: _Wanted, batch: BatchSummary, today: dt.date) -> None:
    """Refuse a mailing day before the batch was prepared or after today, saying where."""
    if batch.prepared_on <= want.mailed_on <= today:
        return
    if want.mailed_on > today:
        what = f"{want.mailed_on:%d.%m.%Y} is after today ({today:%d.%m.%Y})"
    else:
        what = (
            f"{want.mailed_on:%d.%m.%Y} is before batch {batch.name} was prepared "
            f"({batch.prepared_on:%d.%m.%Y})"
        )
    fix = "give the day the envelopes went to the post"
    if want.source == "--date":
        raise UsageError(f"--date: {what} - {fix}, e.g. --date {today:%d.%m.%Y}")
    raise InputError(f"{want.source}: {what} - write the day envelope {want.number} was mailed")


def _said(day: dt.date | None, person: str | None) -> str:
    when = f"mailed on {day:%d.%m.%Y}" if day else "mailed"
    return f"{when} by {person}" if person else when


def _mailed(envelope: EnvelopeState) -> str:
    return _said(envelope.mailed_on, envelope.mailed_by)
