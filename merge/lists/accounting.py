"""SourceRow -> Signer, with blanks, rejects and duplicates accounted for.

Every row ends in exactly one bucket: blank, signer, duplicate, rejected or (after the ledger
is asked) on an earlier list. Messages name rows by their origin only, never by the person's
name or address. Each reason is in the run's language and has a ``code`` that is not: a
short English word for scripts (manifest.json), the same in every language.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import ClassVar

from merge.i18n import _
from merge.lists.clean import CellCleaner
from merge.lists.signer import Signer, to_signer
from merge.read.reason import code_of
from merge.read.rows import SourceRow

FitCheck = Callable[[str, tuple[str, ...]], "str | None"]


@dataclass(frozen=True)
class RowNote:
    """A row-level problem or warning, by origin only: the reason in the run's language,
    and its code ("no-postcode-or-town", "formula-error", "control-characters-removed")."""

    origin: str
    reason: str
    code: str = ""  # "" only where a note is made without one (tests)


@dataclass(frozen=True)
class DuplicateRow:
    origin: str
    duplicate_of: str
    code: ClassVar[str] = "duplicate"

    @property
    def reason(self) -> str:
        return _("same person as {origin}").format(origin=self.duplicate_of)


@dataclass(frozen=True)
class ListedRow:
    """A signer left out because an earlier batch already has them on a list."""

    origin: str
    batch: str
    code: ClassVar[str] = "previously-listed"

    @property
    def reason(self) -> str:
        return _("already on a list of batch {batch}").format(batch=self.batch)


# How a held row changed since its earlier list: ``HeldRow.change``, in manifest.json too,
# English in every language (the reason says it in the run's language).
SAME_NAME = "same name, another address"
SAME_ADDRESS = "same address, the name spelled differently"


@dataclass(frozen=True)
class HeldRow:
    """A row held back: a person on an earlier list, changed since (a corrected address or
    spelling). Printing it again would have them sign twice."""

    origin: str
    batch: str
    change: str  # SAME_NAME or SAME_ADDRESS
    code: ClassVar[str] = "changed-since-batch"

    @property
    def reason(self) -> str:
        if self.change == SAME_NAME:
            text = _("changed since batch {batch} (same name, another address)")
        elif self.change == SAME_ADDRESS:
            text = _("changed since batch {batch} (same address, the name spelled differently)")
        else:
            text = _("changed since batch {batch} ({change})")
        return text.format(batch=self.batch, change=self.change)


@dataclass(frozen=True)
class Listed:
    """Who an earlier batch of the campaign already has on a prepared or mailed list, by key:
    identity key, name key and sound key -> the (first) batch."""

    by_identity: Mapping[str, str]
    by_name: Mapping[int, str]
    by_sound: Mapping[int, str]


@dataclass(frozen=True)
class Accounting:
    """Where every input row went; the buckets add up to ``rows``.

    rows = blank + signers + duplicates + rejected + previously_listed + held
    """

    rows: int = 0
    blank: int = 0
    signers: tuple[Signer, ...] = ()
    duplicates: tuple[DuplicateRow, ...] = ()
    rejected: tuple[RowNote, ...] = ()
    warnings: tuple[RowNote, ...] = ()
    previously_listed: tuple[ListedRow, ...] = ()
    held: tuple[HeldRow, ...] = ()

    def counts(self) -> dict[str, int]:
        """Return how many rows went into each bucket (the manifest's and checklist's counts)."""
        return {
            "rows": self.rows,
            "blank": self.blank,
            "signers": len(self.signers),
            "duplicates": len(self.duplicates),
            "rejected": len(self.rejected),
            "previously_listed": len(self.previously_listed),
            "held": len(self.held),
        }

    def without_listed(self, listed: Listed, print_changed: bool = False) -> Accounting:
        """Return the accounting with signers already on a list set aside, and rows changed
        since an earlier list held back (unless ``print_changed``)."""
        keep: list[Signer] = []
        set_aside = list(self.previously_listed)
        held = list(self.held)
        for signer in self.signers:
            batch = listed.by_identity.get(signer.key)
            if batch is not None:
                set_aside.append(ListedRow(signer.origin, batch))
                continue
            if not print_changed:
                if (batch := listed.by_name.get(signer.name_key)) is not None:
                    held.append(HeldRow(signer.origin, batch, SAME_NAME))
                    continue
                if (batch := listed.by_sound.get(signer.sound_key)) is not None:
                    held.append(HeldRow(signer.origin, batch, SAME_ADDRESS))
                    continue
            keep.append(signer)
        return replace(
            self, signers=tuple(keep), previously_listed=tuple(set_aside), held=tuple(held)
        )


def account_rows(rows: Iterable[SourceRow], fit_check: FitCheck | None = None) -> Accounting:
    """Sort every row into blank, signer, duplicate or rejected, in input order."""
    count = blank = 0
    signers: list[Signer] = []
    duplicates: list[DuplicateRow] = []
    rejected: list[RowNote] = []
    warnings: list[RowNote] = []
    first_seen: dict[str, str] = {}
    for row in rows:
        count += 1
        if row.empty:
            blank += 1
            continue
        if row.problem:
            rejected.append(RowNote(row.origin, row.problem, code_of(row.problem, "unreadable")))
            continue
        cleaned = CellCleaner()
        signer_or_reason = to_signer(row, cleaned)
        if cleaned.had_control_chars:
            removed = _("control characters removed")
            warnings.append(RowNote(row.origin, removed, "control-characters-removed"))
        if isinstance(signer_or_reason, str):
            rejected.append(RowNote(row.origin, signer_or_reason, signer_or_reason.code))
            continue
        signer = signer_or_reason
        if signer.key in first_seen:
            duplicates.append(DuplicateRow(row.origin, first_seen[signer.key]))
            continue
        problem = fit_check(signer.name, signer.address) if fit_check else None
        if problem:
            rejected.append(RowNote(row.origin, problem, code_of(problem, "does-not-fit")))
            continue
        first_seen[signer.key] = row.origin
        signers.append(signer)
    return Accounting(
        count, blank, tuple(signers), tuple(duplicates), tuple(rejected), tuple(warnings)
    )
