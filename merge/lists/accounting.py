"""SourceRow -> Signer, with blanks, rejects and duplicates accounted for.

Every row ends in exactly one bucket: blank, signer, duplicate, rejected or (after the ledger
is asked) on an earlier list. Messages name rows by their origin only, never by the person's
name or address.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from merge.lists.clean import CellCleaner
from merge.lists.signer import Signer, to_signer
from merge.read.rows import SourceRow

FitCheck = Callable[[str, tuple[str, ...]], "str | None"]


@dataclass(frozen=True)
class RowNote:
    """A row-level problem or warning, by origin only."""

    origin: str
    reason: str


@dataclass(frozen=True)
class DuplicateRow:
    origin: str
    duplicate_of: str


@dataclass(frozen=True)
class ListedRow:
    """A signer left out because an earlier batch already has them on a list."""

    origin: str
    batch: str


@dataclass
class Accounting:
    """Where every input row went; the buckets add up to ``rows``.

    rows = blank + signers + duplicates + rejected + previously_listed
    """

    rows: int = 0
    blank: int = 0
    signers: list[Signer] = field(default_factory=list)
    duplicates: list[DuplicateRow] = field(default_factory=list)
    rejected: list[RowNote] = field(default_factory=list)
    warnings: list[RowNote] = field(default_factory=list)
    previously_listed: list[ListedRow] = field(default_factory=list)

    def set_aside(self, listed: Mapping[str, str]) -> None:
        """Move signers whose key is already on a list (key -> batch) out of ``signers``."""
        keep = []
        for signer in self.signers:
            if signer.key in listed:
                self.previously_listed.append(ListedRow(signer.origin, listed[signer.key]))
            else:
                keep.append(signer)
        self.signers = keep


def account_rows(rows: Iterable[SourceRow], fit_check: FitCheck | None = None) -> Accounting:
    """Sort every row into blank, signer, duplicate or rejected, in input order."""
    result = Accounting()
    first_seen: dict[str, str] = {}
    for row in rows:
        result.rows += 1
        if row.empty:
            result.blank += 1
            continue
        if row.problem:
            result.rejected.append(RowNote(row.origin, row.problem))
            continue
        cleaned = CellCleaner()
        signer_or_reason = to_signer(row, cleaned)
        if cleaned.had_control_chars:
            result.warnings.append(RowNote(row.origin, "control characters removed"))
        if isinstance(signer_or_reason, str):
            result.rejected.append(RowNote(row.origin, signer_or_reason))
            continue
        signer = signer_or_reason
        if signer.key in first_seen:
            result.duplicates.append(DuplicateRow(row.origin, first_seen[signer.key]))
            continue
        problem = fit_check(signer.name, signer.address) if fit_check else None
        if problem:
            result.rejected.append(RowNote(row.origin, problem))
            continue
        first_seen[signer.key] = row.origin
        result.signers.append(signer)
    return result
