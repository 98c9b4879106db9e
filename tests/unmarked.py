"""Find text a user sees that never went through the catalog (the pseudo language).

Under ``i18n.activate("pseudo")`` (or PETITION_MERGE_LANG=pseudo) every translated message
comes out between the marks ⟦ and ⟧, with its placeholders filled in. What is left after
the marked parts are taken out must be data (file names, origins, numbers, batch names),
never words: a word outside the marks is a string nobody marked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

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


# --- the data a test may allow, derived from where it comes from -----------------------------


def words_of(path: Path) -> list[str]:
    """Return the words of a user's file: its headers, cells and sheet names are data."""
    if path.suffix in (".csv", ".tsv", ".txt"):
        from merge.errors import MergeError
        from merge.read.delimited import decode_text

        raw = path.read_bytes()
        try:  # in the file's encoding (UTF-16, Windows-1252, ...), as the reader finds it
            text = decode_text(raw, path.name, None)
        except MergeError:
            text = raw.decode("utf-8", errors="replace")
    else:
        from python_calamine import CalamineWorkbook

        try:
            workbook = CalamineWorkbook.from_path(str(path))
            text = " ".join(workbook.sheet_names)
            for name in workbook.sheet_names:
                try:
                    rows = workbook.get_sheet_by_name(name).to_python()
                except BaseException:  # a damaged sheet: its name is all there is
                    continue
                text += " " + " ".join(str(cell) for row in rows for cell in row)
        except BaseException:  # a damaged workbook has no words of its own
            text = ""
        text += " " + " ".join(_formula_errors(path))
    return [*filter(None, re.split(r"[\s,;\t\"]+", text)), *re.findall(r"[^\W\d_]{2,}", text)]


def _formula_errors(path: Path) -> list[str]:
    """Return the formula errors the cells of a workbook show (#REF!, #DIV/0!), as its XML
    holds them: calamine reads such a cell as empty."""
    import zipfile
    import zlib

    try:
        with zipfile.ZipFile(path) as archive:
            xml = " ".join(
                archive.read(name).decode("utf-8", errors="replace")
                for name in archive.namelist()
                if name.endswith(".xml")
            )
    except (zipfile.BadZipFile, zlib.error, OSError, ValueError, NotImplementedError, RuntimeError):
        return []  # a damaged file: the reader says so, in a message of its own
    return re.findall(r"#N/A|#[A-Z][A-Z/0-9]*[!?]", xml)


def postal_names() -> list[str]:
    """Return Deutsche Post's service and product names and the envelope formats (DL, C5):
    the bundled data's own names, the same in every language."""
    from merge.post.data import bundled_postage
    from merge.post.envelope_formats import bundled_envelope_data

    services = bundled_postage().services
    return [
        *(service.name for service in services),
        *(product.name for service in services for product in service.products),
        *(envelope.code for envelope in bundled_envelope_data().formats),
    ]
