"""mark-mailed: record envelopes as mailed, by number or from an edited dispatch checklist.

A mailed envelope is never changed silently: the same day and person again is "unchanged",
another day or person needs ``correct``, and the old entry stays in the envelope's history.
Nothing here reads the clock: ``day`` and ``today`` come from the caller. Refusals name
what the user gave as the command line has it (``--date``, ``--correct``), or as the caller's
:class:`FieldNames` say (the web page's form).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from merge.errors import InputError, LedgerError, UsageError
from merge.i18n import _, ngettext
from merge.i18n.conventions import format_date
from merge.track.checklist import MAILED_ON
from merge.track.checklist_read import read_checklist
from merge.track.ledger import (
    BatchSummary,
    Change,
    EnvelopeState,
    envelopes_of,
    existing_ledger,
    of_group,
    parse_envelope_spec,
)
from merge.track.where import LedgerLocation


@dataclass(frozen=True)
class FieldNames:
    """What refusals call the mailing day and the switch to correct a record, where these are
    not the command line's --date and --correct: the web page's form fields."""

    day: str  # "Mailed on"
    correct: str  # "Correct the date or person ..."


@dataclass(frozen=True)
class _Wanted:
    batch: str
    number: int
    mailed_on: dt.date
    mailed_by: str | None
    cell: str | None  # the checklist cell the date came from; None: the day given (``day``)


def mark_mailed(
    path: LedgerLocation | Path,
    specs: Sequence[str],
    checklist: Path | None,
    day: dt.date,
    by: str | None,
    *,
    today: dt.date,
    correct: bool = False,
    fields: FieldNames | None = None,
    group: str | None = None,
    batch: str | None = None,
) -> list[Change]:
    """Record envelopes as mailed, named as BATCH:3 / BATCH:1-4 or ticked in a checklist.

    A checklist tick without a date takes ``day`` (``--date``, default today). A date
    before the batch was prepared or after ``today`` is refused, naming where it came from:
    the checklist's cell, else ``--date`` (or ``fields.day``, for a form). With ``group`` (a
    shared ledger), another group's envelopes are marked too (a coordinator does, and it
    prints nobody again), and each change says whose batch it was. ``batch`` is the batch
    the checklist is of where the caller knows it (the web page's dispatch page, which
    checked the name it says); else the checklist's folder tells, else its sheets.
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
            # In its batch's folder, the checklist is that batch's, also where the batch was
            # renamed when its group's ledger was migrated (its sheets keep the old name).
            name = batch or ledger.batch_in_folder(checklist.resolve().parent) or name
            chosen = tuple((m.envelope, m.envelope) for m in marks)
            envelopes_of(summary(name), chosen)
            for m in marks:
                cell = m.cell if m.mailed_on else None  # a tick takes --date
                wanted.append(
                    _Wanted(name, m.envelope, m.mailed_on or day, m.mailed_by or by, cell)
                )
        for spec in specs:
            name, numbers = parse_envelope_spec(spec)
            wanted += [
                _Wanted(name, e.number, day, by, None) for e in envelopes_of(summary(name), numbers)
            ]
        if not wanted:
            raise LedgerError(
                _(
                    "nothing to mark - name envelopes like 2026-11-27-1:3 or give --checklist "
                    "FILE with dates in '{column}'"
                ).format(column=_(MAILED_ON))
            )
        states = {(e.batch, e.number): e for b in batches.values() for e in b.envelopes}
        plan: list[tuple[_Wanted, EnvelopeState, str | None, bool]] = []
        refused: list[str] = []
        seen: set[tuple[str, int]] = set()
        for want in wanted:
            if (want.batch, want.number) in seen:
                continue  # named twice (a range and a checklist): the first one counts
            seen.add((want.batch, want.number))
            _check_day(want, batches[want.batch], today, fields)
            current = states[(want.batch, want.number)]
            if current.state == "discarded":
                raise LedgerError(
                    _(
                        "{batch}:{envelope}: this envelope was discarded and cannot be mailed - "
                        "run petition-merge again to print its signers anew"
                    ).format(batch=want.batch, envelope=want.number)
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
                    _("{batch}:{envelope}: already recorded as {old}, not {new}").format(
                        batch=want.batch,
                        envelope=want.number,
                        old=_mailed(current),
                        new=_said(want.mailed_on, person),
                    )
                )
        if refused:
            raise _refusal(refused, fields)
        changes = []
        for want, current, person, unchanged in plan:
            if unchanged:
                what = _("unchanged: mailed on {day}").format(day=format_date(want.mailed_on))
                changes.append(Change(want.batch, want.number, what))
                continue
            ledger.set_envelope_state(
                want.batch, want.number, "mailed", want.mailed_on, person, changed_on=today
            )
            if current.state == "mailed":
                what = _("corrected: {new} (was {old})").format(
                    new=_said(want.mailed_on, person), old=_mailed(current)
                )
            else:
                what = _("mailed on {day}").format(day=format_date(want.mailed_on))
            changes.append(Change(want.batch, want.number, what))
    return [_whose(change, batches[change.batch], group) for change in changes]


def _whose(change: Change, batch: BatchSummary, group: str | None) -> Change:
    """Say in a change of another group's batch whose batch it was."""
    if of_group(batch, group):
        return change
    what = _("{what} (a batch of group {other})").format(what=change.what, other=batch.group)
    return Change(change.batch, change.envelope, what)


def _refusal(refused: Sequence[str], fields: FieldNames | None) -> LedgerError:
    """Refuse to change envelopes already mailed: the first one named, the others counted."""
    more = len(refused) - 1
    if fields is not None:  # a form: its switch instead of --correct
        text = _form_refusal(more)
    elif not more:
        text = _(
            "{refusal} - nothing was changed; if the record is wrong, run again with --correct "
            "(the old entry is kept in the envelope's history)"
        )
    else:
        text = ngettext(
            "{refusal} (and {n} more envelope) - nothing was changed; if the record is wrong, "
            "run again with --correct (the old entry is kept in the envelope's history)",
            "{refusal} (and {n} more envelopes) - nothing was changed; if the record is wrong, "
            "run again with --correct (the old entry is kept in the envelope's history)",
            more,
        )
    switch = fields.correct if fields is not None else "--correct"
    return LedgerError(text.format(refusal=refused[0], n=more, switch=switch))


def _form_refusal(more: int) -> str:
    if not more:
        return _(
            "{refusal} - nothing was changed; if the record is wrong, tick '{switch}' and send "
            "again (the old entry is kept in the envelope's history)"
        )
    return ngettext(
        "{refusal} (and {n} more envelope) - nothing was changed; if the record is wrong, "
        "tick '{switch}' and send again (the old entry is kept in the envelope's history)",
        "{refusal} (and {n} more envelopes) - nothing was changed; if the record is wrong, "
        "tick '{switch}' and send again (the old entry is kept in the envelope's history)",
        more,
    )


def _check_day(
    want: _Wanted, batch: BatchSummary, today: dt.date, fields: FieldNames | None
) -> None:
    """Refuse a mailing day before the batch was prepared or after today, saying where."""
    if batch.prepared_on <= want.mailed_on <= today:
        return
    days = {
        "day": format_date(want.mailed_on),
        "today": format_date(today),
        "batch": batch.name,
        "prepared": format_date(batch.prepared_on),
        "source": want.cell,
        "envelope": want.number,
    }
    after = want.mailed_on > today
    if want.cell is None and fields is not None:  # the day of a form's field
        if after:
            text = _(
                "{field}: {day} is after today ({today}) - give the day the envelopes went to "
                "the post, e.g. {today}"
            )
        else:
            text = _(
                "{field}: {day} is before batch {batch} was prepared ({prepared}) - give the "
                "day the envelopes went to the post, e.g. {today}"
            )
        raise UsageError(text.format(field=fields.day, **days))
    if want.cell is None:
        if after:
            text = _(
                "--date: {day} is after today ({today}) - give the day the envelopes went to "
                "the post, e.g. --date {today}"
            )
        else:
            text = _(
                "--date: {day} is before batch {batch} was prepared ({prepared}) - give the day "
                "the envelopes went to the post, e.g. --date {today}"
            )
        raise UsageError(text.format(**days))
    if after:
        text = _(
            "{source}: {day} is after today ({today}) - write the day envelope {envelope} "
            "was mailed"
        )
    else:
        text = _(
            "{source}: {day} is before batch {batch} was prepared ({prepared}) - write the day "
            "envelope {envelope} was mailed"
        )
    raise InputError(text.format(**days))


def _said(day: dt.date | None, person: str | None) -> str:
    """Say how an envelope is (or would be) recorded: "mailed on 28.11.2026 by Anna"."""
    if day and person:
        return _("mailed on {day} by {person}").format(day=format_date(day), person=person)
    if day:
        return _("mailed on {day}").format(day=format_date(day))
    if person:
        return _("mailed by {person}").format(person=person)
    return _("mailed")


def _mailed(envelope: EnvelopeState) -> str:
    return _said(envelope.mailed_on, envelope.mailed_by)
