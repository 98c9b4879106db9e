"""CSV, TSV and TXT files: the encoding and the delimiter are found, quoted cells may span lines."""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from merge.errors import InputError
from merge.i18n import _, ngettext
from merge.read.encoding import WINDOWS_1252, read_legacy, read_utf16_without_bom

# In order of preference where two split the lines equally well: a semicolon first, as
# German Excel writes it, because names ("Name, Vorname") and addresses ("Weg 1, 12345 Ort")
# hold commas far more often than semicolons.
_CSV_DELIMITERS = (";", ",", "\t")
_LINE_BREAK = re.compile(rb"(\r\n|\r|\n)")


def decode_text(data: bytes, shown: str, note: Callable[[str], None] | None = None) -> str:
    """Decode a text file: UTF-8 (with or without BOM), UTF-16, else the legacy encoding that fits.

    A file that is not UTF-8 is read in the encoding whose text looks most like names and
    addresses (:mod:`merge.read.encoding`); ``note`` says which when it is not Windows-1252,
    the common case, and when that is not certain. A UTF-8 file with a few lines that are
    not (a row pasted from a Windows-1252 export, a broken byte) is read as UTF-8, those lines
    in the encoding that fits them, and ``note`` names them: decoding the whole file in a
    legacy encoding would garble every umlaut of every other row.
    """
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    utf16 = read_utf16_without_bom(data)
    if utf16 is not None:
        return utf16
    sample = data[:65536]
    controls = sum(1 for byte in sample if byte < 32 and byte not in (9, 10, 13))
    if controls > max(1, len(sample) // 100):  # one stray control byte is no binary file
        raise InputError(
            _(
                "{file}: is not a spreadsheet or text file - export the list as .xlsx or .csv"
            ).format(file=shown)
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # Split at every line break, CR-only (old Mac files) too, and keep the breaks.
    parts = _LINE_BREAK.split(data)
    lines, breaks = parts[0::2], [*parts[1::2], b""]
    foreign: list[int] = []  # 0-based lines that are not UTF-8
    utf8 = 0  # lines with non-ASCII text that are UTF-8
    for number, line in enumerate(lines):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            foreign.append(number)
        else:
            utf8 += not line.isascii()
    # A line of valid multi-byte UTF-8 is next to never legacy text by chance: as many such
    # lines as foreign ones (a header "Straße" and one broken line) make the file UTF-8.
    if utf8 < len(foreign):  # little evidence of UTF-8: the whole file is in a legacy encoding
        reading = read_legacy(data)
        if note is not None and reading.doubt is not None:
            note(
                _(
                    "{file}: the encoding is not certain: read as {encoding}, could be {other} "
                    '- check the umlauts of the names, or save the file again as "CSV UTF-8"'
                ).format(
                    file=shown, encoding=_(reading.encoding.label), other=_(reading.doubt.label)
                )
            )
        elif note is not None and reading.encoding != WINDOWS_1252:
            note(
                _(
                    "{file}: read as {encoding} - check the umlauts, or save the file again as "
                    '"CSV UTF-8" to be sure'
                ).format(file=shown, encoding=_(reading.encoding.label))
            )
        return reading.text
    # The foreign lines together are the evidence for their encoding; a single-byte
    # encoding reads each byte as one character and no other byte as a line break.
    reading = read_legacy(b"\n".join(lines[number] for number in foreign))
    decoded = [line.decode("utf-8", errors="replace") for line in lines]
    for number, text in zip(foreign, reading.text.split("\n"), strict=True):
        decoded[number] = text
    if note is not None:
        numbers = [number + 1 for number in foreign]
        shown_lines = ", ".join(map(str, numbers[:10])) + (" ..." if len(numbers) > 10 else "")
        if reading.doubt is None:
            message = ngettext(
                "{file}: line {lines} is not UTF-8 like the rest of the file; read as "
                "{encoding} - check its umlauts, or save the file again as UTF-8",
                "{file}: lines {lines} are not UTF-8 like the rest of the file; read as "
                "{encoding} - check their umlauts, or save the file again as UTF-8",
                len(numbers),
            )
        else:
            message = ngettext(
                "{file}: line {lines} is not UTF-8 like the rest of the file; read as "
                "{encoding} (could also be {other}) - check its umlauts, or save the file again "
                "as UTF-8",
                "{file}: lines {lines} are not UTF-8 like the rest of the file; read as "
                "{encoding} (could also be {other}) - check their umlauts, or save the file "
                "again as UTF-8",
                len(numbers),
            )
        other = _(reading.doubt.label) if reading.doubt is not None else ""
        note(
            message.format(
                file=shown, lines=shown_lines, encoding=_(reading.encoding.label), other=other
            )
        )
    return "".join(text + end.decode("ascii") for text, end in zip(decoded, breaks, strict=True))


def csv_rows(
    path: Path, shown: str, note: Callable[[str], None] | None = None
) -> Iterator[tuple[int, list[Any]]]:
    text = decode_text(path.read_bytes(), shown, note)
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from enumerate(reader, start=1)
    except csv.Error as err:
        # The csv module says why only in English words; the one cause a real file meets
        # (a cell beyond the size limit, e.g. a stray quote swallowing the rest) is ours.
        if "field limit" in str(err):
            message = _(
                "{file}: line {line}: cannot read this CSV, a cell holds more than {limit} "
                "characters - open it in a spreadsheet program, shorten the cell (or close a "
                "quote left open) and save it again as .csv or .xlsx"
            )
        else:
            message = _(
                "{file}: line {line}: cannot read this CSV - open it in a spreadsheet "
                "program and save it again as .csv or .xlsx"
            )
        raise InputError(
            message.format(file=shown, line=reader.line_num, limit=csv.field_size_limit())
        ) from err


def sniff_delimiter(text: str) -> str:
    """Pick the delimiter that splits the first lines into the most consistent columns
    (on a tie, the first of ``_CSV_DELIMITERS``)."""
    sample_lines = [line for line in text[:65536].splitlines()[:30] if line.strip()]
    sample = "\n".join(sample_lines)
    best, best_score = ",", (0, 0)
    for delimiter in _CSV_DELIMITERS:
        try:
            widths = [len(row) for row in csv.reader(io.StringIO(sample), delimiter=delimiter)]
        except csv.Error:
            continue
        multi = [width for width in widths if width > 1]
        if not multi:
            continue
        common = max(set(multi), key=multi.count)
        score = (multi.count(common), common)
        if score > best_score:
            best, best_score = delimiter, score
    return best
