"""Folding text for comparison: case, spaces, punctuation, accents, umlaut spellings."""

import re
import unicodedata

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


# The folding as first written, with regexes only and a full table of combining marks: the
# faster versions must give the same text, since identity keys in the ledger are made from it.
_COMBINING = {code: None for code in range(0x110000) if unicodedata.combining(chr(code))}


def _fold_unicode_as_written(text: str) -> str:
    text = unicodedata.normalize("NFC", text).casefold()
    text = text.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
    return text if text.isascii() else unicodedata.normalize("NFKD", text).translate(_COMBINING)


def _fold_header_as_written(text: str) -> str:
    folded = text.lower() if text.isascii() else _fold_unicode_as_written(text)
    return re.sub(r"[\W_]+", "", folded)


def _fold_words_as_written(text: str) -> list[str]:
    folded = text if text.isascii() else _fold_unicode_as_written(text)
    return re.sub(r"[^\w\s]+|_+", "", folded.lower()).split()


_FOLDABLE = st.one_of(
    st.text(alphabet=st.characters(max_codepoint=127)),
    st.text(alphabet="ÄÖÜäöüßẞ-_.,/ \t\n\x1c\x1fAbc1²①ﬁǅİΣς\u0301\u0308\u034f\u0e31\u093fe张伟"),
    st.text(),
)


@settings(max_examples=500)
@given(_FOLDABLE)
def test_folding_gives_the_same_text_as_the_plain_regexes(text: str) -> None:
    assert fold_header(text) == _fold_header_as_written(text)
    assert fold_words(text) == _fold_words_as_written(text)


def test_the_table_of_combining_marks_stays_small_and_right_beyond_its_size() -> None:
    text = "".join(chr(c) for c in range(0x4E00, 0x4E00 + 70_000) if not 0xD800 <= c < 0xE000)
    assert fold_words(text) == _fold_words_as_written(text)
    assert len(fold._DROP_COMBINING_MARKS) <= fold._MAX_REMEMBERED
    assert fold_header("A\u1dc0b") == "ab"  # a combining mark first met after the table is full
