"""Duplicate detection: the identity key that makes two rows the same person.

Name and address are folded (case, spacing, punctuation, German spellings, "Straße"/"Str.")
and hashed. The ledger stores these keys for a campaign's lifetime, so any change here must
keep every key as it was (a test pins one). A shared ledger stores them keyed with the
organisation's secret instead (:mod:`merge.track.keys`), from these same keys.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from functools import lru_cache

from merge.lists.phonetic import cologne_code
from merge.read.fold import fold_header, fold_words

GERMANY = frozenset({"deutschland", "germany", "de", "d", "brd", "bundesrepublikdeutschland"})
_NOT_LETTER = re.compile("[^a-z]+")  # what the phonetic code ignores, once a word is folded
_STREET_SUFFIX = re.compile(r"(stra(?:ss|ß)e|str\.?)(?=\s|\d|$)")


def identity_key(name_parts: Iterable[str], address: Iterable[str]) -> str:
    """Hash name and address after folding case, spacing, punctuation and German spellings.

    Name words are sorted so "Erika Mustermann" and "Mustermann, Erika" are the same person;
    a different first name at the same address (a household) stays a different person.
    """
    return signer_keys(name_parts, address)[0]


def signer_keys(
    name_parts: Iterable[str], address: Iterable[str], family: str = ""
) -> tuple[str, int, int]:
    """Return a signer's identity key and the two keys that find a corrected row.

    (identity key, name key, sound key). A row whose identity key is new but whose name key
    is on an earlier list is the same name at another address; one whose sound key is, is
    the same address with the family name spelled differently (Kölner Phonetik: "Meier" =
    "Meyer", "Schmidt" = "Schmitt") and the same given names. Given names are compared as
    they are written: Peter and Petra Schmidt at one address sound alike but are two people.
    ``family`` is the family name as typed (one of the name's words); without it, every
    word counts as given. The identity key is what :func:`identity_key` returns; the other two
    are 64-bit
    integers (a chance collision only holds a row back, with its reason, for a person to see),
    so that a national batch keeps them in little memory and indexes them fast.
    """
    words = sorted(fold_words(" ".join(name_parts)))
    name, place = " ".join(words), _address_folded(address)
    family_words = fold_words(family)
    given = list(words)
    for word in family_words:
        if word in given:
            given.remove(word)
    sounds = " ".join(sorted(_sound(word) for word in family_words)) + "|" + " ".join(given)
    return (
        hashlib.sha256((name + "|" + place).encode("utf-8")).hexdigest(),
        _short_hash("name|" + name),
        _short_hash("sound|" + sounds + "|" + place),
    )


def _short_hash(text: str) -> int:
    digest = hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)  # fits SQLite's INTEGER


def _sound(word: str) -> str:
    """Return a folded name word's code; a word without a Latin letter stands for itself."""
    letters = word if word.isalpha() and word.isascii() else _NOT_LETTER.sub("", word)
    return _code(letters) if letters else word


@lru_cache(maxsize=65_536)
def _code(letters: str) -> str:
    """Return the code of a word's letters; names repeat, so codes are remembered."""
    return cologne_code(letters)


def _address_folded(address: Iterable[str]) -> str:
    """Fold the address lines as identity keys compare them; a last line "Deutschland" goes."""
    address_lines = [_street_folded(line) for line in address]
    if address_lines and fold_header(address_lines[-1]) in GERMANY:
        address_lines.pop()
    return fold_header(" ".join(address_lines))


def _street_folded(line: str) -> str:
    """Casefold an address line and write every "straße", "strasse" or "str." as "str"."""
    line = line.casefold()
    # Every spelling contains "str", so most lines are spared the regex.
    return _STREET_SUFFIX.sub("str", line) if "str" in line else line
