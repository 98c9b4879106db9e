"""purge: delete the personal data of mailed batches; the ledger keeps keys and counts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from merge.batch import PERSONAL_FILES
from merge.errors import LedgerError
from merge.i18n import _, ngettext
from merge.track.ledger import BatchSummary, existing_ledger, of_group
from merge.track.where import LedgerLocation


def purgeable(
    path: LedgerLocation | Path, name: str | None, group: str | None = None
) -> list[BatchSummary]:
    """Return the batches purge would clear: fully mailed (or discarded), not yet purged.

    With ``group`` (a shared ledger), only that group's batches: another group's files are
    on its machine, and only its purge can delete them with the ledger's origins.
    """
    with existing_ledger(path) as ledger:
        if name is not None:
            summary = ledger.batch(name)
            if not of_group(summary, group):
                raise LedgerError(
                    _(
                        "batch {batch} was prepared by group {other} - purge it in that group's "
                        "working folder, where its files are"
                    ).format(batch=name, other=summary.group)
                )
            pending = summary.count("prepared")
            if pending:
                raise LedgerError(
                    ngettext(
                        "batch {batch} has {n} envelope not yet mailed - mark it mailed (or "
                        "discard it) before deleting its personal data",
                        "batch {batch} has {n} envelopes not yet mailed - mark them mailed (or "
                        "discard them) before deleting its personal data",
                        pending,
                    ).format(batch=name, n=pending)
                )
            return [summary] if summary.purged_on is None else []
        return [
            b
            for b in ledger.batches()
            if b.purged_on is None
            and b.envelopes
            and not b.count("prepared")
            and of_group(b, group)
        ]


def purge(
    path: LedgerLocation | Path, batches: Sequence[BatchSummary], today: dt.date
) -> list[Path]:
    """Delete the name-bearing files of these batches; the ledger keeps only keys and counts."""
    removed = []
    with existing_ledger(path) as ledger, ledger.exclusive():
        for summary in batches:
            for name in PERSONAL_FILES:
                file = summary.folder / name
                if file.exists():
                    file.unlink()
                    removed.append(file)
            ledger.forget_origins(summary.name, today)
    return removed
