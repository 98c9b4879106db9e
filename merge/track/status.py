"""status: per batch what is prepared, mailed and discarded, and the time left to mail.

Nothing here reads the clock: ``today`` comes from the caller.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from merge.batch.staging import finish_interrupted
from merge.track.ledger import BatchSummary, existing_ledger


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
    with existing_ledger(path) as ledger:
        return [BatchStatus(b, today) for b in ledger.batches()]
