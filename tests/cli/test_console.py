"""The consoles: file and sheet names print literally, whatever brackets they hold."""

import io

import pytest
from rich.console import Console

from merge.cli.console import plain


def printed(text: str) -> str:
    """Return what the CLI's consoles show for ``text`` passed through plain()."""
    out = io.StringIO()
    Console(file=out, width=200, highlight=False, soft_wrap=True).print(plain(text))
    return out.getvalue().rstrip("\n")


@pytest.mark.parametrize(
    "name",
    [
        "inputs/[bold]liste[/].xlsx",
        "inputs/Stand [Markt].csv:Tabelle [1]:3",
        "[link=https://example.org]x[/link]",
        "C:\\Daten\\liste.xlsx",
    ],
)
def test_names_with_markup_print_literally(name: str) -> None:
    assert printed(name) == name


@pytest.mark.xfail(
    strict=True,
    reason="bug (issue 11 point 10): plain() escapes '[' but not a backslash before it, so "
    "rich reads '\\[' in a Windows path as an escaped backslash and drops '[alt]' as markup",
)
def test_a_windows_path_with_a_bracket_after_a_backslash_prints_whole() -> None:
    name = "C:\\Daten\\[alt]\\liste.xlsx"
    assert printed(name) == name
