"""Split signers into petition lists (pages) of five rows, in input order."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from merge.lists.signer import Signer

ROWS_PER_LIST = 5


@dataclass(frozen=True)
class Page:
    """One printed petition list: ``ROWS_PER_LIST`` slots, ``None`` where a row is left blank."""

    number: int
    slots: tuple[Signer | None, ...]

    @property
    def signers(self) -> tuple[Signer, ...]:
        return tuple(s for s in self.slots if s is not None)


def paginate(signers: Iterable[Signer], blank_lists: int = 0) -> Iterator[Page]:
    """Yield pages of five signers (the last padded with blank rows), then blank pages."""
    number = 0
    chunk: list[Signer | None] = []
    for signer in signers:
        chunk.append(signer)
        if len(chunk) == ROWS_PER_LIST:
            number += 1
            yield Page(number, tuple(chunk))
            chunk = []
    if chunk:
        number += 1
        yield Page(number, _padded(chunk))
    for _list in range(blank_lists):
        number += 1
        yield Page(number, _padded([]))


def _padded(chunk: Sequence[Signer | None]) -> tuple[Signer | None, ...]:
    return tuple(chunk) + (None,) * (ROWS_PER_LIST - len(chunk))
