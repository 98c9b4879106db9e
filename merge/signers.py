"""SourceRow -> Signer, with blanks, rejects and duplicates accounted for."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Signer:
    """A person to print on a petition list, as normalised from one input row."""

    origin: str  # "file:sheet:row", kept all the way through for messages
    name: str  # as printed in the "Name, Vorname" column
    address: tuple[str, ...]  # the address lines, as printed in the "Anschrift" column
    key: str  # normalised identity: equal keys mean the same person
