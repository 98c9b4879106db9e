"""Folding text for comparison: case, spaces, punctuation, accents, umlaut spellings."""

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from merge.read import fold
from merge.read.fold import fold_header, fold_words


def test_fold_header_ignores_case_space_punctuation_and_umlaut_spelling() -> None:
    assert fold_header(" STRASSE ") == fold_header("Straße") == fold_header("strasse")
    assert fold_header("Name, Vorname") == "namevorname"
    assert fold_header("Hausnr.") == "hausnr"


def test_fold_header_keeps_letters_of_other_scripts() -> None:
    assert fold_header("王 小明") == "王小明"
    assert fold_header("Élodie") == "elodie"


# Expected folds, worked out by hand from the rule: casefold, umlauts spelled out, accents
# and other marks dropped after compatibility decomposition (NFKD), then only letters and
# digits of any script kept. Identity keys in the ledger are made from these folds, so they
# must never change.
FOLDED_HEADERS = [
    ("Straße", "strasse"),
    (" STRASSE ", "strasse"),
    ("ẞ", "ss"),  # capital sharp s
    ("Jürgen Öß", "juergenoess"),
    ("A\u0308rger", "aerger"),  # a decomposed Ä is spelled out too
    ("e\u0301", "e"),  # a decomposed é
    ("Élodie", "elodie"),
    ("İstanbul", "istanbul"),
    ("Σς", "σσ"),
    ("Name, Vorname", "namevorname"),
    ("Hausnr.", "hausnr"),
    ("PLZ/Ort", "plzort"),
    ("E-Mail_Adresse", "emailadresse"),  # the underscore goes with the punctuation
    ("Tab\tNew\nLine", "tabnewline"),
    ("王 小明", "王小明"),
    ("ﬁx", "fix"),  # ligature
    ("Ａｂｃ", "abc"),  # fullwidth
    ("①", "1"),
    ("x²", "x2"),
    ("Hi\u093fx", "hix"),  # a spacing vowel sign is not a letter
    ("\u0e31", ""),
    ("", ""),
    # Casefolding gives capitals here: Cherokee folds to its capitals, and the Greek
    # upsilon-with-hook symbol decomposes to a capital upsilon. fold_header keeps them.
    ("ꭰ", "Ꭰ"),
    ("ϒ", "Υ"),
]

FOLDED_WORDS = [
    ("Müller, Jürgen", ["mueller", "juergen"]),
    ("  Erika\tMustermann\n", ["erika", "mustermann"]),
    ("Hans-Peter O'Neil", ["hanspeter", "oneil"]),
    ("snake_case", ["snakecase"]),
    ("Straße 5", ["strasse", "5"]),
    ("王 小明", ["王", "小明"]),
    ("Ａ", ["a"]),
    ("a\u00a0b\u3000c", ["a", "b", "c"]),  # no-break and ideographic spaces part words
    ("x\x1cy", ["x", "y"]),  # so does a file separator, which Python counts as a space
    ("!!! ...", []),
    # fold_words lower-cases after decomposing, so these come out small, unlike fold_header's.
    ("ꭰ Ꭰ", ["ꭰ", "ꭰ"]),
    ("ϒ", ["υ"]),
]


@pytest.mark.parametrize(("text", "folded"), FOLDED_HEADERS)
def test_fold_header_gives_the_documented_fold(text: str, folded: str) -> None:
    assert fold_header(text) == folded


@pytest.mark.parametrize(("text", "words"), FOLDED_WORDS)
def test_fold_words_gives_the_documented_words(text: str, words: list[str]) -> None:
    assert fold_words(text) == words


def _reference_fold(text: str) -> str:
    """The documented rule, one character at a time, with no fast paths: what is left of
    ``text`` after casefolding, spelling umlauts out, NFKD and dropping combining marks."""
    text = unicodedata.normalize("NFC", text).casefold()
    for umlaut, spelled in (("ä", "ae"), ("ö", "oe"), ("ü", "ue")):
        text = text.replace(umlaut, spelled)
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _reference_fold_header(text: str) -> str:
    return "".join(c for c in _reference_fold(text) if c.isalnum())


def _reference_fold_words(text: str) -> list[str]:
    kept = "".join(c for c in _reference_fold(text) if c.isalnum() or c.isspace())
    return kept.lower().split()


_FOLDABLE = st.one_of(
    st.text(alphabet=st.characters(max_codepoint=127)),
    st.text(alphabet="ÄÖÜäöüßẞ-_.,/ \t\n\x1c\x1fAbc1²①ﬁǅİΣς\u0301\u0308\u034f\u0e31\u093fe张伟"),
    st.text(),
)


@settings(max_examples=500)
@given(_FOLDABLE)
def test_folding_keeps_exactly_the_letters_and_digits_the_rule_keeps(text: str) -> None:
    assert fold_header(text) == _reference_fold_header(text)
    assert fold_words(text) == _reference_fold_words(text)


def test_the_table_of_combining_marks_stays_small_and_right_beyond_its_size() -> None:
    text = "".join(chr(c) for c in range(0x4E00, 0x4E00 + 70_000) if not 0xD800 <= c < 0xE000)
    assert fold_words(text) == _reference_fold_words(text)
    assert len(fold._DROP_COMBINING_MARKS) <= fold._MAX_REMEMBERED
    assert fold_header("A\u1dc0b") == "ab"  # a combining mark first met after the table is full
