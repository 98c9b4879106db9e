"""The consoles the CLI prints to, and how file and sheet names print literally."""

from __future__ import annotations

import os
import re
import sys

from rich.console import Console

from merge.i18n import _

SHOWN_ROWS = 20  # rejected/duplicate rows listed on the console; all are in the checklist

# A run of backslashes, the "[" after it and, where rich would read a tag there, the rest of
# the tag: "[" then a-z, #, / or @, up to the next "]" (rich.markup.RE_TAGS).
_BRACKET = re.compile(r"(\\*)(\[(?:[a-z#/@][^[]*?\])?)")
_END_OF_TEXT = "[none][/none]"  # an empty span of no style: ends a run of backslashes


def console() -> Console:
    # Tables stay readable when the output goes to a file or a pipe (rich assumes 80 then),
    # unless COLUMNS says how wide (rich reads it).
    width = None if sys.stdout.isatty() or os.environ.get("COLUMNS") else 110
    # No emoji codes: rich would print the origin "inputs/a.csv:a:2" as "inputs/a.csv🅰2".
    return Console(highlight=False, soft_wrap=True, width=width, emoji=False)


def stderr() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)


def plain(text: str) -> str:
    """Escape rich markup so a file or sheet name prints literally, wherever it is printed.

    rich reads "[bold]" as a tag and halves the backslashes before it, and in other text
    reads "\\[" as "[". So before a "[" that starts a tag the backslashes are doubled and one
    added, before any other "[" one is added. Backslashes at the end would escape the markup
    after them, or print doubled at the end of the line, and an open "[" could become a tag
    with a "]" printed after it; so such text gets its last backslashes doubled and ends with
    an empty tag. rich.markup.escape gets C:\\Users\\anna\\ and C:\\Users\\[1] wrong. The
    consoles also print ":smile:" as it is: emoji codes are off.
    """

    def escape(match: re.Match[str]) -> str:
        backslashes, bracket = match.groups()
        return backslashes * (2 if len(bracket) > 1 else 1) + "\\" + bracket

    escaped = _BRACKET.sub(escape, text)
    trailing = len(escaped) - len(escaped.rstrip("\\"))
    if trailing or "[" in text:  # neither an open "[" nor a last backslash reaches what follows
        escaped += "\\" * trailing + _END_OF_TEXT
    return escaped


def warning(text: str) -> str:
    """Return a console line (markup) that warns: "warning: <text>", in yellow."""
    return "[yellow]" + plain(_("warning: {message}").format(message=text)) + "[/]"


def note(text: str) -> str:
    """Return a console line (markup) that notes: "note: <text>", dimmed."""
    return "[dim]" + plain(_("note: {message}").format(message=text)) + "[/]"
