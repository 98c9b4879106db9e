"""The consoles the CLI prints to, and how file and sheet names print literally."""

from __future__ import annotations

import sys

from rich.console import Console

SHOWN_ROWS = 20  # rejected/duplicate rows listed on the console; all are in manifest.json


def console() -> Console:
    # Tables stay readable when the output goes to a file or a pipe (rich assumes 80 then).
    width = None if sys.stdout.isatty() else 110
    # No emoji codes: rich would print the origin "inputs/a.csv:a:2" as "inputs/a.csv🅰2".
    return Console(highlight=False, soft_wrap=True, width=width, emoji=False)


def stderr() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)


def plain(text: str) -> str:
    """Escape rich markup so file and sheet names print literally."""
    return text.replace("[", "\\[")
