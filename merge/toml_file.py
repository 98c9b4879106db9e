"""TOML files typed by hand: German dates and decimal commas understood, a mistake in one line.

Campaign files, ``porto.toml`` and ``spalten.toml`` are edited by volunteers in a text
editor. TOML refuses what a German typist writes without thinking: ``deadline = 31.12.2026``
and ``kompakt = 1,80``. So the line TOML stops at is looked at once more: a German date (or
an ISO date with one-digit parts, 2026-1-5) becomes the TOML date it means, a number with a
decimal comma (1,80 or 1.234,50) the number, and the text is read again. A comma that could
mean either (1,500: one and a half, or fifteen hundred) is refused, never guessed.

Anything else TOML refuses becomes one line in the run's language naming the file and the
line, what is wrong and how the line should look, made from the user's own line::

    templates/x.toml: line 3: the text Xinjiang needs quotes - write it like name = "Xinjiang"

TOML's own message ("Invalid value (at line 3, column 8)") is never shown; its position is
used, and for mistakes TOML notices only at the end of the file (a quote or a list never
closed) the line where the file stops being readable.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from merge.errors import MergeError, read_reason
from merge.i18n import _
from merge.i18n.conventions import date_parts, example_date, format_number

_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)$")
_DATE_LIKE = re.compile(r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\.?")
_DECIMAL_COMMA = re.compile(r"([+-]?)(\d{1,3}(?:\.\d{3})+|\d+),(\d+)")
_NUMBER_LIKE = re.compile(r"[+-]?[\d.,_]*\d[\d.,_eExXoObB+-]*")
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_YES_NO = {"ja": "true", "nein": "false", "yes": "true", "no": "false", "wahr": "true"}
_YES_NO |= {"falsch": "false", "true": "true", "false": "false", "an": "true", "aus": "false"}
_TYPOGRAPHIC_QUOTES = "„“”‚‘’«»"  # what a word processor types for "


def read_toml(
    path: Path,
    shown: str,
    error: type[MergeError],
    *,
    parse_float: Callable[[str], Any] = float,
) -> dict[str, Any]:
    """Read the TOML file at ``path`` (``shown`` in messages); raise ``error`` in one line."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise error(
            _("{file}: cannot be read ({reason}) - save it as UTF-8 text").format(
                file=shown, reason=read_reason(err)
            )
        ) from err
    return loads_toml(text, shown, error, parse_float=parse_float)


def loads_toml(
    text: str,
    shown: str,
    error: type[MergeError],
    *,
    parse_float: Callable[[str], Any] = float,
) -> dict[str, Any]:
    """Parse TOML text a volunteer typed, as :func:`read_toml` does."""
    lines = text.split("\n")
    rewritten: set[int] = set()
    while True:
        try:
            return tomllib.loads("\n".join(lines), parse_float=parse_float)
        except tomllib.TOMLDecodeError as err:
            comma = _missing_comma(str(err), lines)
            if comma is not None:
                raise error(comma[1].line_for(shown, comma[0])) from err
            number = _culprit(err, lines, parse_float)
            line = _Line.of(lines[number - 1]) if 0 < number <= len(lines) else _Line.of("")
            if number not in rewritten:
                reading = _german(line)
                if isinstance(reading, str):
                    lines[number - 1] = reading
                    rewritten.add(number)
                    continue
                if reading is not None:
                    raise error(reading.line_for(shown, number)) from err
            raise error(_explain(str(err), line).line_for(shown, number)) from err


# --- where the mistake is --------------------------------------------------------------------


def _culprit(err: tomllib.TOMLDecodeError, lines: list[str], parse_float: Any) -> int:
    """Return the number of the line to blame (1 = the first).

    TOML names where it stopped; for a quote, list or table never closed that is a later
    line (or "the end of the document"), so then the line after the longest start of the
    file that reads is to blame: where the unclosed thing began.
    """
    message = str(err)
    position = _POSITION.search(message)
    stopped = int(position.group(1)) if position else len(lines)
    if position and not message.startswith(("Unclosed", "Unterminated")):
        return stopped
    for end in range(min(stopped, len(lines)) - 1, -1, -1):
        try:
            tomllib.loads("\n".join(lines[:end]), parse_float=parse_float)
        except tomllib.TOMLDecodeError:
            continue
        return end + 1
    return 1


def _missing_comma(message: str, lines: list[str]) -> tuple[int, _Message] | None:
    """Return the line and the message for a list entry without a comma after it, or None.

    TOML calls that an unclosed list and stops where the next entry begins; a value starts
    there (a quote, a digit, a bracket), where a list really left open goes on with a key.
    """
    position = _POSITION.search(message)
    if not message.startswith("Unclosed array") or position is None:
        return None
    number, column = int(position.group(1)), int(position.group(2))
    text = lines[number - 1] if 0 < number <= len(lines) else ""
    if not text[column - 1 : column] or text[column - 1] not in "\"'[{+-0123456789":
        return None
    example = _('["first", "second"]')
    if text[: column - 1].strip():  # the entry before is on the same line
        return number, _say(
            _(
                "{file}: line {line}: the entries of a list need commas between them - "
                "write it like {example}"
            ),
            example=_Line.of(text).like(example),
        )
    before = next(
        (n for n in range(number - 1, 0, -1) if _split_note(lines[n - 1])[0].strip()), number
    )
    entry = _split_note(lines[before - 1])[0].strip()
    return before, _say(
        _(
            "{file}: line {line}: the entries of a list need commas between them - "
            "write it like {example}"
        ),
        example=f"{entry}," if not entry.endswith("[") else _Line.of(text).like(example),
    )


@dataclass(frozen=True)
class _Line:
    """One line of the file, split as a person reads it: key = value  # note."""

    key: str | None  # as written (bare, "quoted" or dotted); None: no '=' outside quotes
    value: str  # what follows the '=' (or the whole line), without the note, stripped
    text: str  # the whole line, stripped
    head: str  # the line up to the value (indent, key, '=' and the spaces after it)
    tail: str  # the spaces and the note after the value

    @classmethod
    def of(cls, line: str) -> _Line:
        body, note = _split_note(line)
        equals = _outside_quotes(body, "=")
        stripped = body.rstrip()
        tail = body[len(stripped) :] + note
        if equals is None:
            return cls(
                None, stripped.strip(), line.strip(), body[: len(body) - len(body.lstrip())], tail
            )
        after = body[equals + 1 :]
        head = body[: equals + 1] + after[: len(after) - len(after.lstrip())]
        return cls(body[:equals].strip(), stripped[len(head) :].strip(), line.strip(), head, tail)

    def shown_key(self) -> str:
        return self.key or "name"

    def like(self, value: str) -> str:
        """Return this line as an example, with ``value`` after its '='."""
        return f"{self.shown_key()} = {value}" if self.key is not None else value


def _split_note(line: str) -> tuple[str, str]:
    """Split a line at its first '#' outside quotes: (what is before it, the note)."""
    at = _outside_quotes(line, "#")
    return (line, "") if at is None else (line[:at], line[at:])


def _outside_quotes(text: str, wanted: str) -> int | None:
    """Return the index of the first ``wanted`` character outside "..." and '...'."""
    quote = ""
    escaped = False
    for index, char in enumerate(text):
        if quote:
            if escaped:
                escaped = False
            elif char == "\\" and quote == '"':
                escaped = True
            elif char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char == wanted:
            return index
    return None


# --- what a German typist means --------------------------------------------------------------


def _german(line: _Line) -> str | _Message | None:
    """Return the line rewritten as TOML reads what it means, a refusal saying why it means
    nothing certain, or None if it is no date or number a German would type."""
    value = line.value
    if line.key is None or not value:
        return None
    if _DATE_LIKE.fullmatch(value):
        return _date(line, value)
    match = _DECIMAL_COMMA.fullmatch(value)
    if match:
        sign, whole, fraction = match.groups()
        if "." not in whole and len(fraction) == 3:
            decimal = format_number(Decimal(f"{sign}{whole}.{fraction}").normalize())
            thousands = f"{sign}{whole}{fraction}"
            return _say(
                _(
                    "{file}: line {line}: {value} could mean {decimal} or {thousands} - "
                    "write it like {example} or {other}"
                ),
                value=value,
                decimal=decimal,
                thousands=thousands,
                example=line.like(decimal),
                other=line.like(thousands),
            )
        return f"{line.head}{sign}{whole.replace('.', '')}.{fraction}{line.tail}"
    if "," in value and _NUMBER_LIKE.fullmatch(value):
        return _say(
            _("{file}: line {line}: {value} is not a number - write it like {example}"),
            value=value,
            example=line.like(format_number(Decimal("1.5"))),
        )
    return None


def _date(line: _Line, value: str) -> str | _Message:
    """Return the line with the date as TOML writes it, or why the value is no date."""
    example = line.like(example_date())
    # 31.12.26 means 2026; a German date's trailing dot ("31.12.2026.") is a typist's
    stripped = value.rstrip(".")
    parts = date_parts(value) or (date_parts(stripped) if "-" not in stripped else None)
    if parts is None:
        return _say(
            _("{file}: line {line}: {value} is not a date - write it like {example}"),
            value=value,
            example=example,
        )
    try:
        day_written = dt.date(*parts)
    except ValueError:
        return _say(
            _(
                "{file}: line {line}: {value} is not a day of the calendar - "
                "write it like {example}"
            ),
            value=value,
            example=example,
        )
    return f"{line.head}{day_written.isoformat()}{line.tail}"


@dataclass(frozen=True)
class _Message:
    """A translated message with the values to fill in; {file} and {line} come last."""

    text: str
    values: dict[str, str]

    def line_for(self, file: str, line: int) -> str:
        return self.text.format(file=file, line=line, **self.values)


def _say(text: str, **values: str) -> _Message:
    return _Message(text, values)


# --- what TOML refused, said with the fix ----------------------------------------------------


def _explain(message: str, line: _Line) -> _Message:
    """Return the message (with {file} and {line} to fill) for what TOML refused in ``line``."""
    value = line.value
    if message.startswith(("Cannot overwrite", "Cannot declare", "Cannot mutate")):
        if line.text.startswith("["):
            return _say(
                _(
                    "{file}: line {line}: the section {section} is there twice - put all of "
                    "its lines under one {section}"
                ),
                section=_split_note(line.text)[0].strip(),
            )
        return _say(
            _("{file}: line {line}: {key} is given twice - delete one of the two lines"),
            key=line.shown_key(),
        )
    if message.startswith(("Expected ']'", "Expected ']]'")) or (
        line.text.startswith("[") and line.key is None
    ):
        return _section(line)
    if message.startswith("Unclosed array"):
        if value.endswith("]"):
            return _say(
                _(
                    "{file}: line {line}: the entries of a list need commas between them - "
                    "write it like {example}"
                ),
                example=line.like(_('["first", "second"]')),
            )
        return _say(
            _("{file}: line {line}: the list is not closed with ] - write it like {example}"),
            example=line.like(_('["first", "second"]')),
        )
    if message.startswith(("Unterminated string", "Illegal character '\\n'", 'Expected "')):
        return _say(
            _("{file}: line {line}: the closing quote is missing - write it like {example}"),
            example=_closed(line),
        )
    if message.startswith(("Unescaped '\\'", "Invalid hex value", "Invalid escape")):
        return _say(
            _(
                "{file}: line {line}: a backslash \\ in quotes starts a special character - "
                "write it like {example}"
            ),
            example=line.like(f"'{_unquoted(value)}'"),
        )
    if line.key == "":
        return _say(
            _("{file}: line {line}: the name before = is missing - write it like {example}"),
            example=f"name = {value}",
        )
    if message.startswith("Expected '='") or message.startswith("Invalid initial character"):
        return _key(line)
    if line.key is not None and not value:
        return _say(
            _("{file}: line {line}: the value after = is missing - write it like {example}"),
            example=line.like('"..."'),
        )
    if value and value[0] in _TYPOGRAPHIC_QUOTES:
        return _say(
            _('{file}: line {line}: text must be in straight quotes " - write it like {example}'),
            example=line.like(_quoted(value.strip(_TYPOGRAPHIC_QUOTES))),
        )
    if value.casefold() in _YES_NO:
        return _say(
            _(
                "{file}: line {line}: yes and no are written true and false, a text in "
                "quotes - write it like {example} or {other}"
            ),
            example=line.like(_YES_NO[value.casefold()]),
            other=line.like(_quoted(value)),
        )
    if value.startswith(('"', "'")):
        return _after_text(line)
    text = value.rstrip(",")
    if text and text[-1] in "\"'" and text.count(text[-1]) == 1:
        return _say(
            _("{file}: line {line}: the opening quote is missing - write it like {example}"),
            example=line.like(text[-1] + value),
        )
    if value and _NUMBER_LIKE.fullmatch(value):
        return _say(
            _("{file}: line {line}: {value} is not a number - write it like {example}"),
            value=value,
            example=line.like(format_number(Decimal("1.5"))),
        )
    if value and not value.startswith(("[", "{")):
        text, comma = (value[:-1], ",") if line.key is None and value.endswith(",") else (value, "")
        return _say(
            _("{file}: line {line}: the text {value} needs quotes - write it like {example}"),
            value=text.strip(),
            example=line.like(_quoted(text) + comma),
        )
    return _say(
        _("{file}: line {line}: this line cannot be read - write it like {example}"),
        example=line.like('"..."') if line.key else 'name = "..."',
    )


def _section(line: _Line) -> _Message:
    name = _split_note(line.text)[0].strip().strip("[]").strip()
    if name and not all(_BARE_KEY.fullmatch(part) for part in name.split(".")):
        name = _quoted(_unquoted(name))
    brackets = "[[{}]]" if line.text.startswith("[[") else "[{}]"
    if _split_note(line.text)[0].rstrip().endswith("]"):
        return _say(
            _(
                "{file}: line {line}: a section name with spaces, dots or letters like ä "
                "needs quotes - write it like {example}"
            ),
            example=brackets.format(name),
        )
    return _say(
        _("{file}: line {line}: a section name is written in brackets - write it like {example}"),
        example=brackets.format(name or "sender"),
    )


def _key(line: _Line) -> _Message:
    if line.key is None:
        word, _space, rest = line.value.partition(" ")
        example = f"{word} = {_quoted(_unquoted(rest))}" if rest else f'{word or "name"} = "..."'
        return _say(
            _(
                "{file}: line {line}: the = between name and value is missing - "
                "write it like {example}"
            ),
            example=example,
        )
    return _say(
        _(
            "{file}: line {line}: a name with spaces or letters like ä needs quotes - "
            "write it like {example}"
        ),
        example=f"{_quoted(_unquoted(line.key))} = {line.value or '...'}",
    )


def _after_text(line: _Line) -> _Message:
    """Explain a quoted text followed by more: quotes inside it, or text after it."""
    value = line.value
    quote = value[0]
    if value.endswith(quote) and value.count(quote) > 2:
        inner = value[1:-1]
        example = f"'{inner}'" if quote == '"' and "'" not in inner else _quoted(inner)
        return _say(
            _(
                "{file}: line {line}: a quote inside the text ends it too early - "
                "write it like {example}"
            ),
            example=line.like(example),
        )
    end = value.find(quote, 1)
    first = value[: end + 1] if end > 0 else value
    return _say(
        _(
            "{file}: line {line}: there is more after the text in quotes - write it like "
            "{example} (a note may follow after #)"
        ),
        example=line.like(first),
    )


def _closed(line: _Line) -> str:
    """Return the line with the quote it lacks (before a list's ] or a trailing comma)."""
    value = line.value
    quote = "'" if value.lstrip("[ ").startswith("'") else '"'
    if value.startswith(quote * 3):
        quote *= 3
    for end in ("],", "]", ","):
        if value.endswith(end) and not value[: -len(end)].endswith(quote):
            return line.like(value[: -len(end)] + quote + end)
    return line.like(value + quote)


def _quoted(text: str) -> str:
    """Return text as a TOML string the way a person would type it."""
    text = text.strip()
    if '"' in text and "'" not in text:
        return f"'{text}'"
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _unquoted(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1]
    return text.strip("\"'")
