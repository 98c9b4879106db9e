"""Find text a user sees that never went through the catalog (the pseudo language).

Under ``i18n.activate("pseudo")`` (or PETITION_MERGE_LANG=pseudo) every translated message
comes out between the marks ⟦ and ⟧, with its placeholders filled in. What is left after
the marked parts are taken out must be data (file names, origins, numbers, batch names),
never words: a word outside the marks is a string nobody marked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from merge.i18n import PSEUDO_CLOSE, PSEUDO_OPEN

_MARKED = re.compile(
    f"{PSEUDO_OPEN}[^{PSEUDO_OPEN}{PSEUDO_CLOSE}]*({PSEUDO_CLOSE}"
    # or open to the end of the line, where click shortens a command's help for the list
    f"|$)",
    re.MULTILINE,
)
_CLOSED_LATER = re.compile(
    f"(^|[┃│|])[^┃│|{PSEUDO_OPEN}{PSEUDO_CLOSE}\\n]*{PSEUDO_CLOSE}", re.MULTILINE
)
# Data that may stand outside the marks: paths and origins (inputs/a.xlsx:Tabelle1:14),
# options (--lang), e-mail-free tokens with a digit (2026-12-02-1, L7160, C5).
_DATA = re.compile(
    r"\S*[/\\]\S*"  # a path
    r"|\S+\.(csv|tsv|txt|xlsx|xlsm|xls|ods|numbers|docx|pdf|toml|json|sqlite|png)\b\S*"
    r"|(?<![^\s'\"`(\[„“‚‘])--?[a-z][a-z-]*"  # an option, on its own or quoted: '--labels'
    r"|\S*\d\S*"  # anything with a digit in it
)
_WORD = re.compile(r"[^\W\d_]{2,}")


def unmarked_words(text: str, allowed: Iterable[str] = ()) -> list[str]:
    """Return the words of ``text`` outside every ⟦...⟧ (marks nest: innermost first)."""
    previous = None
    while previous != text:
        previous, text = text, _MARKED.sub(" ", text)
    # A message wrapped in a table cell closes on a later line: its rest up to the mark.
    text = _CLOSED_LATER.sub(" ", text)
    text = _DATA.sub(" ", text)
    for word in sorted(allowed, key=len, reverse=True):  # whole words: "en" not in "envelope"
        text = re.sub(rf"(?<![\w-]){re.escape(word)}(?![\w-])", " ", text)
    return _WORD.findall(text)
