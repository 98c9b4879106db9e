"""status: per batch what is prepared, mailed and discarded, and the time left to mail.

Nothing here reads the clock: ``today`` comes from the caller.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from merge.batch.staging import finish_interrupted, missing_folders
from merge.i18n import ngettext
from merge.i18n.conventions import format_date
from merge.track.ledger import BatchSummary, MailChange, existing_ledger
from merge.track.where import LedgerLocation


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
        return self.late_envelopes > 0

    @property
    def late_envelopes(self) -> int:
        """Envelopes still open after the latest safe mailing date."""
        return self.batch.count("prepared") if self.days_left < 0 else 0

    def late_warning(self) -> str:
        """Say that open envelopes of the batch will likely arrive late (when ``late``)."""
        text = ngettext(
            "batch {batch}: {n} envelope is not mailed and its latest safe mailing date "
            "{date} has passed - it will likely arrive after the deadline {deadline}",
            "batch {batch}: {n} envelopes are not mailed and their latest safe mailing date "
            "{date} has passed - they will likely arrive after the deadline {deadline}",
            self.late_envelopes,
        )
        return text.format(
            batch=self.batch.name,
            n=self.late_envelopes,
            date=format_date(self.batch.latest_safe_mailing),
            deadline=format_date(self.batch.deadline),
        )

    def as_json(self) -> dict[str, Any]:
        b = self.batch
        last, people = b.last_mailing
        return {
            "batch": b.name,
            "campaign": b.campaign,
            "prepared_on": b.prepared_on.isoformat(),
            "group": b.group,
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
            "late_envelopes": self.late_envelopes,
            "last_mailed_on": last.isoformat() if last else None,
            "last_mailed_by": list(people),
            "history": [
                {"envelope": e.number, **_change_json(change)}
                for e in b.envelopes
                for change in e.history
            ],
        }


def _change_json(change: MailChange) -> dict[str, Any]:
    def day(value: dt.date | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "changed_on": change.changed_on.isoformat(),
        "old": {
            "state": change.old_state,
            "mailed_on": day(change.old_mailed_on),
            "mailed_by": change.old_mailed_by,
        },
        "new": {
            "state": change.new_state,
            "mailed_on": day(change.new_mailed_on),
            "mailed_by": change.new_mailed_by,
        },
    }


def status(
    path: LedgerLocation | Path, today: dt.date, campaign: str | None = None
) -> list[BatchStatus]:
    """Report every batch (of one campaign, if given): what is prepared, mailed and
    discarded, and the time left."""
    with existing_ledger(path) as ledger:
        finish_interrupted(ledger)
        return [BatchStatus(b, today) for b in ledger.batches(campaign)]


def lost_folders(path: LedgerLocation | Path, group: str | None = None) -> list[str]:
    """Say in one line each which recorded batches have lost their folder (see run); with
    ``group`` (a shared ledger), of that group's batches only."""
    with existing_ledger(path) as ledger:
        return missing_folders(ledger, group)
