"""discard: release the signers of a misprinted or lost batch, or of some of its envelopes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from merge.track.ledger import Change, envelopes_of, existing_ledger, parse_envelope_spec


def discard(path: Path, spec: str, today: dt.date) -> list[Change]:
    """Release the signers of a batch (or some of its envelopes) that will not be mailed.

    Each change is kept in the envelope's history, dated ``today``.
    """
    batch, numbers = parse_envelope_spec(spec)
    with existing_ledger(path) as ledger, ledger.exclusive():
        changes = []
        for envelope in envelopes_of(ledger.batch(batch), numbers):
            if envelope.state == "mailed":
                changes.append(
                    Change(batch, envelope.number, f"unchanged: mailed on {envelope.mailed_on}")
                )
            elif envelope.state == "discarded":
                changes.append(Change(batch, envelope.number, "unchanged: already discarded"))
            else:
                ledger.set_envelope_state(batch, envelope.number, "discarded", changed_on=today)
                changes.append(Change(batch, envelope.number, "discarded"))
    return changes
