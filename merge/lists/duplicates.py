"""Duplicate detection: the identity key that makes two rows the same person.

Name and address are folded (case, spacing, punctuation, German spellings, "Straße"/"Str.")
and hashed. The ledger stores these keys for a campaign's lifetime, so any change here must
keep every key as it was (a test pins one).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

from merge.read.fold import fold_header, fold_words

GERMANY = frozenset({"deutschland", "germany", "de", "d", "brd", "bundesrepublikdeutschland"})
_STREET_SUFFIX = re.compile(r"(stra(?:ss|ß)e|str\.?)(?=\s|\d|$)")


def identity_key(name_parts: Iterable[str], address: Iterable[str]) -> str:
    """Hash name and address after folding case, spacing, punctuation and German spellings.

    Name words are sorted so "Erika Mustermann" and "Mustermann, Erika" are the same person;
    a different first name at the same address (a household) stays a different person.
    """
    name_words = sorted(fold_words(" ".join(name_parts)))  # split() gives no empty words
    address_lines = [_street_folded(line) for line in address]
    if address_lines and fold_header(address_lines[-1]) in GERMANY:
        address_lines.pop()
    folded = " ".join(name_words) + "|" + fold_header(" ".join(address_lines))
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


def _street_folded(line: str) -> str:
    """Casefold an address line and write every "straße", "strasse" or "str." as "str"."""
    line = line.casefold()
    # Every spelling contains "str", so most lines are spared the regex.
    return _STREET_SUFFIX.sub("str", line) if "str" in line else line
