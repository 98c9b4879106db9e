"""Names print as they are: rich markup in a file, sheet or column name is text, not style."""

import io
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import write_csv
from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console
from rich.table import Table

from merge.cli import cli
from merge.cli.console import plain

WINDOWS_PATH = "C:\\Users\\[alt]\\Listen\\stand.xlsx"
MARKUP = "[bold]x[/]"
TRAILING_BACKSLASH = "C:\\Users\\anna\\"
NAMES = [WINDOWS_PATH, MARKUP, TRAILING_BACKSLASH, "C:\\x\\\\", "Liste\\[1]", "[", ":smile:"]


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), prog_name="petition-merge")


def printed(*renderables: object) -> str:
    """Return what a console like the CLI's prints for ``renderables``."""
    buffer = io.StringIO()
    out = Console(file=buffer, width=200, highlight=False, soft_wrap=True, emoji=False)
    out.print(*renderables)
    return buffer.getvalue()


def cells(output: str) -> list[str]:
    """Return the text of every cell of the tables in ``output``."""
    return [cell.strip() for line in output.splitlines() for cell in re.split("[│┃|]", line)]


@pytest.mark.parametrize("name", NAMES)
def test_plain_prints_the_name_in_a_line_and_before_markup(name: str) -> None:
    assert printed(f"[red]error:[/] {plain(name)}") == f"error: {name}\n"
    assert printed(f"[dim]note: {plain(name)}[/]") == f"note: {name}\n"
    assert printed(f"Wrote [bold]{plain(name)}[/]: x") == f"Wrote {name}: x\n"
    table = Table("batch")
    table.add_row(plain(name))
    assert name in cells(printed(table))


@given(st.text(alphabet="\\[]/ab#@=: ", max_size=12), st.text(alphabet="\\[]/ab ", max_size=8))
def test_plain_is_literal_for_any_text_next_to_any_other(first: str, second: str) -> None:
    markup = f"[dim]{plain(first)}: {plain(second)}[/]{plain(first)}"
    assert printed(markup) == f"{first}: {second}{first}\n"


@pytest.mark.parametrize("name", [WINDOWS_PATH, MARKUP, TRAILING_BACKSLASH])
def test_an_error_line_prints_the_path_whole(project: Path, name: str) -> None:
    result = invoke("run", name)
    assert result.exit_code == 3, result.output
    [line] = result.stderr.splitlines()
    assert line.startswith("error: ")
    assert line.endswith(f"{name}: no such file or folder - check the name and try again")


def test_a_note_prints_column_names_whole(project: Path) -> None:
    header = ["Name", "Vorname", "Straße", "PLZ", "Ort", WINDOWS_PATH, MARKUP, TRAILING_BACKSLASH]
    row = ["Testperson-1", "Erika", "Beispielweg 1", "12345", "Musterstadt", "a", "b", "c"]
    write_csv(project / "inputs" / "a.csv", [header, row])
    result = invoke("run", "--dry-run")
    assert result.exit_code == 0, result.output
    unused = f"'{WINDOWS_PATH}', '{MARKUP}', '{TRAILING_BACKSLASH}'"
    assert f"note: inputs/a.csv:a: columns not used: {unused}" in result.stderr.splitlines()


@pytest.mark.skipif(os.name != "posix", reason="backslashes in a folder name")
def test_a_table_cell_and_the_batch_line_print_the_batch_name_whole(project: Path) -> None:
    header = ["Name", "Vorname", "Straße", "PLZ", "Ort"]
    write_csv(
        project / "inputs" / "a.csv", [header, ["Testperson-1", "Erika", "W 1", "12345", "O"]]
    )
    for name in ("C:\\Users\\[alt]\\Listen", "anna\\"):
        result = invoke("run", "--no-pdf", "--reprint", "--out", f"outputs/{name}")
        assert result.exit_code == 0, result.output
        assert f"{name}: petition-lists.docx, " in result.stdout
    status = invoke("status")
    assert status.exit_code == 0, status.output
    assert {"C:\\Users\\[alt]\\Listen", "anna\\"} <= set(cells(status.stdout))
