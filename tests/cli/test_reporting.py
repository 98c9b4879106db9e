"""The CLI's reporter: what a volunteer sees on the terminal, and what goes to a log."""

import io
from pathlib import Path

from click.testing import CliRunner
from conftest import write_csv
from rich.console import Console

from merge.cli import cli
from merge.cli.reporting import console_reporter
from merge.reporter import Report


def shown(terminal: bool, *reports: Report) -> str:
    out = io.StringIO()
    err = Console(file=out, force_terminal=terminal, width=100, highlight=False, emoji=False)
    with console_reporter(err) as reporter:
        for report in reports:
            reporter(report)
    return out.getvalue()


def test_warnings_and_notes_are_printed_literally_with_their_kind() -> None:
    text = shown(
        False,
        Report.warning("inputs/[x].xlsx: prices unverified"),
        Report.note("inputs/a.csv:a: header found in row 3"),
    )
    assert text == (
        "warning: inputs/[x].xlsx: prices unverified\nnote: inputs/a.csv:a: header found in row 3\n"
    )


def test_steps_and_progress_only_on_a_terminal() -> None:
    reports = (Report.step("writing 3 petition list(s)"), Report.progress(2, 4, "PDF pages"))
    assert shown(False, *reports) == ""
    on_terminal = shown(True, *reports, Report.progress(4, 4, "PDF pages"))
    assert "writing 3 petition list(s) ..." in on_terminal


def test_origins_that_look_like_emoji_codes_print_as_they_are(project: Path) -> None:
    # The sheet of a CSV is named after the file: origins read "inputs/a.csv:a:2".
    write_csv(project / "inputs" / "a.csv", [["Name", "Anschrift", "ok"], ["Muster", "Weg 1", ""]])
    result = CliRunner().invoke(cli, ["run", "--dry-run"])
    assert "inputs/a.csv:a: columns not used: 'ok'" in result.output
    assert "\U0001f170" not in result.output  # the emoji rich makes of ":a:"
