"""Identity keys: which rows are the same person, and keys that never change."""

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from merge.lists.duplicates import identity_key


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


# Name parts and address lines, and the text their key is the sha256 of, folded by hand from
# the documented rule: name words folded (case, umlauts, accents, punctuation) and sorted,
# joined by spaces; "|"; the address lines with "Straße", "Strasse" and "Str." written "str",
# a last line that names Germany dropped, folded to letters and digits only.
MUELLER = "juergen mueller|hauptstr512345musterstadt"
KEYS = [
    (["Müller", "Jürgen"], ["Hauptstraße 5", "12345 Musterstadt"], MUELLER),
    (["MUELLER", "Juergen"], ["Hauptstr. 5", "12345  Musterstadt", "Deutschland"], MUELLER),
    (["Jürgen Müller"], ["hauptstrasse 5", "12345 musterstadt"], MUELLER),
    (["Mustermann, Erika"], ["Weg 1"], "erika mustermann|weg1"),
    (["Meier", "Theresa"], ["Weg 3"], "meier theresa|weg3"),
    (["Meier", "Georg"], ["Weg 3"], "georg meier|weg3"),
    (["王小明"], ["Weg 1"], "王小明|weg1"),
    (["Élodie", "Groß"], ["Weg 1"], "elodie gross|weg1"),
    (["O'Neil-Smith"], ["Weg 1"], "oneilsmith|weg1"),
    (["Testperson_7"], ["Weg 1"], "testperson7|weg1"),
    (
        ["Beispiel", "Anna"],
        ["Rue 1", "1000 Exempleville", "Belgien"],
        "anna beispiel|rue11000exemplevillebelgien",
    ),
    (["Probe"], ["Weg 1", "BRD"], "probe|weg1"),
    (["Probe"], ["Weg 1", "D"], "probe|weg1"),
    (["Probe"], ["Weg 1", "germany"], "probe|weg1"),
    (["Probe"], ["Weg 1", "Bundesrepublik Deutschland"], "probe|weg1"),
    (["Probe"], ["Deutschland", "Weg 1"], "probe|deutschlandweg1"),  # only a last line goes
    (["Probe"], ["Straßenbahnweg 2"], "probe|strassenbahnweg2"),  # not a street suffix
    (["Probe"], ["Lindenstr.4"], "probe|lindenstr4"),
    (["Probe"], ["Haupt Str."], "probe|hauptstr"),
    (["Probe"], ["Am Bistro 4"], "probe|ambistro4"),
    (["Probe"], [], "probe|"),
    ([], [], "|"),
]


@pytest.mark.parametrize(("name_parts", "address", "folded"), KEYS)
def test_identity_key_is_the_hash_of_the_folded_name_and_address(
    name_parts: list[str], address: list[str], folded: str
) -> None:
    assert identity_key(name_parts, address) == hashlib.sha256(folded.encode()).hexdigest()


_KEY_PIECES = st.sampled_from(
    [
        *("Müller", "MUELLER", "Jürgen", "王小明", "e\u0301", "ß", "İ", "-", ",", " ", "\n", "_"),
        *("Hauptstraße", "Hauptstrasse", "Hauptstr.", "str", "Str", "STRASSE", "5", "12345"),
        *("Deutschland", "DE", "d", "BRD", "Germany", "Bundesrepublik Deutschland"),
    ]
)
_KEY_TEXT = st.lists(_KEY_PIECES, max_size=6).map(" ".join)


@settings(max_examples=300)
@given(st.lists(_KEY_TEXT, max_size=3), st.lists(_KEY_TEXT, max_size=4))
def test_identity_key_ignores_name_order_case_and_a_trailing_germany(
    name_parts: list[str], address: list[str]
) -> None:
    key = identity_key(name_parts, address)
    assert identity_key(name_parts[::-1], address) == key
    assert identity_key([p.upper() for p in name_parts], [a.upper() for a in address]) == key
    assert identity_key([p.lower() for p in name_parts], [a.lower() for a in address]) == key
    spellings = {
        identity_key(name_parts, [*address, land]) for land in ("Deutschland", "DE", "brd")
    }
    assert len(spellings) == 1


@given(st.lists(st.text(max_size=30), max_size=3), st.lists(st.text(max_size=30), max_size=4))
def test_identity_key_is_a_sha256_hex_digest_of_anything(
    name_parts: list[str], address: list[str]
) -> None:
    key = identity_key(name_parts, address)
    assert len(key) == 64 and set(key) <= set("0123456789abcdef")
