"""Identity keys: which rows are the same person, and keys that never change."""

import hashlib
import re
from collections.abc import Iterable

from hypothesis import given, settings
from hypothesis import strategies as st

from merge.lists.duplicates import identity_key
from merge.read.fold import fold_header, fold_words


def test_identity_key_folds_case_spacing_punctuation_and_german_spellings() -> None:
    a = identity_key(["Müller", "Jürgen"], ["Hauptstraße 5", "12345 Musterstadt"])
    b = identity_key(["MUELLER", "Juergen"], ["Hauptstr. 5", "12345  Musterstadt", "Deutschland"])
    c = identity_key(["Jürgen Müller"], ["hauptstrasse 5", "12345 musterstadt"])
    assert a == b == c


def test_identity_key_tells_a_household_apart() -> None:
    assert identity_key(["Meier", "Theresa"], ["Weg 3"]) != identity_key(
        ["Meier", "Georg"], ["Weg 3"]
    )


def test_identity_key_distinguishes_names_in_other_scripts() -> None:
    assert identity_key(["王小明"], ["Weg 1"]) != identity_key(["李华"], ["Weg 1"])


def test_identity_key_is_stable_across_versions() -> None:
    """The ledger keeps these keys for the whole campaign: a change would send people twice."""
    key = identity_key(["Müller", "Jürgen"], ["Hauptstraße 5", "12345 Musterstadt"])
    assert key == "e429990ff47b7b7c18336b230fa06c166f09f37186a72f5ef6512490ac717b3a"


def _identity_key_as_written(name_parts: Iterable[str], address: Iterable[str]) -> str:
    name_words = sorted(fold_words(" ".join(name_parts)))
    street = re.compile(r"(stra(?:ss|ß)e|str\.?)(?=\s|\d|$)")
    address_lines = [street.sub("str", line.casefold()) for line in address]
    if address_lines and fold_header(address_lines[-1]) in {
        "deutschland",
        "germany",
        "de",
        "d",
        "brd",
        "bundesrepublikdeutschland",
    }:
        address_lines.pop()
    folded = " ".join(w for w in name_words if w) + "|" + fold_header(" ".join(address_lines))
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


_KEY_PIECES = st.sampled_from(
    [
        *("Müller", "MUELLER", "Jürgen", "王小明", "e\u0301", "ß", "İ", "-", ",", " ", "\n", "_"),
        *("Hauptstraße", "Hauptstrasse", "Hauptstr.", "str", "Str", "STRASSE", "5", "12345"),
        *("Deutschland", "DE", "d", "BRD", "Germany", "Bundesrepublik Deutschland"),
    ]
)


_KEY_TEXT = st.one_of(st.lists(_KEY_PIECES, max_size=6).map(" ".join), st.text(max_size=30))


@settings(max_examples=500)
@given(st.lists(_KEY_TEXT, max_size=3), st.lists(_KEY_TEXT, max_size=4))
def test_identity_key_is_computed_as_first_written(
    name_parts: list[str], address: list[str]
) -> None:
    assert identity_key(name_parts, address) == _identity_key_as_written(name_parts, address)
