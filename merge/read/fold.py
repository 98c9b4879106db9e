"""Fold text for comparing: case, spaces, punctuation, accents and German umlaut spellings.

``Straße`` = ``Strasse`` = ``STRASSE``, ``Jürgen`` = ``Juergen``. Header recognition
(:mod:`merge.read.headers`) and duplicate keys (:mod:`merge.lists.duplicates`) both fold with
these functions, so what counts as "the same text" is decided in one place.
"""

from __future__ import annotations

import re
import unicodedata

_NOT_ALNUM = re.compile(r"[\W_]+")
_NOT_WORD = re.compile(r"[^\w\s]+|_+")


def _ascii_matches(regex: re.Pattern[str]) -> bytes:
    """Return the ASCII characters ``regex`` matches on their own.

    For a regex of character classes such as ``[\\W_]+``, deleting its matches from text is
    deleting these characters one by one.
    """
    return bytes(code for code in range(128) if regex.fullmatch(chr(code)))


_NOT_ALNUM_ASCII = _ascii_matches(_NOT_ALNUM)
_NOT_WORD_ASCII = _ascii_matches(_NOT_WORD)


def _delete(text: str, regex: re.Pattern[str], ascii_matches: bytes) -> str:
    """Delete what ``regex`` matches; ASCII text, nearly all of it, several times faster."""
    if text.isascii():
        return text.encode("ascii").translate(None, ascii_matches).decode("ascii")
    return regex.sub("", text)


def fold_header(text: str) -> str:
    """Fold text to lower-case letters and digits of any script, without accents or punctuation."""
    folded = text.lower() if text.isascii() else _fold_unicode(text)
    return _delete(folded, _NOT_ALNUM, _NOT_ALNUM_ASCII)


class _CombiningMarksDropped(dict[int, int | None]):
    """A str.translate table that drops combining marks, filled in as characters come by.

    Filling it for all 1.1 million code points up front cost about 0.1 s of every run. It
    stops growing at ``_MAX_REMEMBERED`` characters, so a file of every code point cannot
    make it hold a hundred megabytes; characters beyond are looked up each time.
    """

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.combining(chr(code)) else code
        if len(self) < _MAX_REMEMBERED:
            self[code] = kept
        return kept


_MAX_REMEMBERED = 65_536  # characters, about 5 MB
_DROP_COMBINING_MARKS = _CombiningMarksDropped()


def fold_words(text: str) -> list[str]:
    """Fold the words of ``text`` as :func:`fold_header` folds text, in one pass."""
    if not text.isascii():
        text = _fold_unicode(text)
    return _delete(text.lower(), _NOT_WORD, _NOT_WORD_ASCII).split()


def _fold_unicode(text: str) -> str:
    """Casefold, spell umlauts out, and strip accents: "Jürgen Öß" -> "juergen oess"."""
    text = unicodedata.normalize("NFC", text).casefold()
    text = text.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
    if text.isascii():
        return text  # German names end here: no decomposition needed
    return unicodedata.normalize("NFKD", text).translate(_DROP_COMBINING_MARKS)
