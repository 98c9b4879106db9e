"""Wrong command lines: exit 2 and one line `error: <where>: <what> - <how to fix>`."""

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from merge.cli import cli


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), prog_name="petition-merge")


def assert_usage_line(result: Result, line: str) -> None:
    """Exit 2, and stderr is that one line: no usage block, no traceback."""
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines() == [line]
    assert "Traceback" not in result.output and "Usage:" not in result.output
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (
            ["run", "--blank", "viele"],
            "error: --blank: 'viele' is not a whole number - see petition-merge run --help",
        ),
        (
            ["run", "--blank", "1001"],
            "error: --blank: 1001 is not in the range 0<=x<=1000 - see petition-merge run --help",
        ),
        (
            ["run", "--sheet-grams", "0"],
            "error: --sheet-grams: 0.0 is not in the range x>=0.1 - see petition-merge run --help",
        ),
        (
            ["run", "--envelope", "B4"],
            "error: --envelope: 'B4' is not one of 'dl', 'c5', 'c4', 'auto'"
            " - see petition-merge run --help",
        ),
        (
            ["run", "--mail-date", "31.02.2026"],
            "error: --mail-date: '31.02.2026' is not a day of the calendar - write it like"
            " 2026-12-31",
        ),
        (
            ["mark-mailed", "--date", "gestern"],
            'error: --date: "gestern" is not a date - write it as 28.11.2026 (or 28.11.26,'
            " 2026-11-28)",
        ),
        (
            ["mark-mailed", "--checklist", "fehlt.xlsx"],
            "error: --checklist: file 'fehlt.xlsx' does not exist"
            " - see petition-merge mark-mailed --help",
        ),
        (
            ["run", "--labels"],
            "error: --labels: requires an argument - see petition-merge run --help",
        ),
        (
            ["status", "--json=ja"],
            "error: --json: does not take a value - see petition-merge status --help",
        ),
        (
            ["discard"],
            "error: petition-merge discard: missing argument 'BATCH[:ENVELOPES]'"
            " - see petition-merge discard --help",
        ),
        (
            ["discard", "2026-11-27-1", "2026-11-27-2"],
            "error: petition-merge discard: got unexpected extra argument (2026-11-27-2)"
            " - see petition-merge discard --help",
        ),
        (
            ["run", "--gibts-nicht"],
            "error: --gibts-nicht: no such option - see petition-merge run --help",
        ),
        (
            ["--gibts-nicht"],
            "error: --gibts-nicht: no such option - see petition-merge --help",
        ),
    ],
)
def test_click_refusals_are_one_line_exit_2(project: Path, args: list[str], line: str) -> None:
    assert_usage_line(invoke(*args), line)


def test_a_mistyped_option_keeps_clicks_guess() -> None:
    assert_usage_line(
        invoke("run", "--dry-rn"),
        "error: --dry-rn: no such option - did you mean '--dry-run'? See petition-merge run --help",
    )
    assert_usage_line(
        invoke("run", "--help-me"),
        "error: --help-me: no such option - did you mean one of '--envelope', '--help'? "
        "See petition-merge run --help",
    )


def test_an_unknown_command_is_one_line() -> None:
    result = invoke("xyz")
    [line] = result.stderr.splitlines()
    assert result.exit_code == 2 and "Usage:" not in result.output
    # click < 8.4 names the command in its sentence, later ones in front of it
    assert line in (
        "error: xyz: no such command - see petition-merge --help",
        "error: petition-merge: no such command 'xyz' - see petition-merge --help",
    )
    typo = invoke("stauts")
    assert typo.exit_code == 2
    assert typo.stderr.splitlines()[0].startswith("error: ")
    assert "'status'" in typo.stderr or "no such command 'stauts'" in typo.stderr


def test_a_bare_call_still_shows_the_help() -> None:
    result = invoke()
    assert "Usage: petition-merge" in result.output and "Exit codes:" in result.output
    assert "error:" not in result.output


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (
            ["run", "--label-offset", "x"],
            "error: --label-offset: 'x' is not X;Y in mm, e.g. \"1.5;-0.5\""
            " - see petition-merge run --help",
        ),
        (
            ["run", "--label-offset", "20,0"],
            "error: --label-offset: printer offset 20 / 0 mm is too large - use -10 to 10 mm"
            " (print the outline sheet to measure it)",
        ),
        (
            ["label-test", "--label-offset", "0,-12"],
            "error: --label-offset: printer offset 0 / -12 mm is too large - use -10 to 10 mm"
            " (print the outline sheet to measure it)",
        ),
        (
            ["run", "--start-label", "25"],
            "error: --start-label: label 25 does not exist on 3422 (3 x 8 = 24 labels)"
            " - start at a label from 1 to 24",
        ),
        (
            ["run", "--start-label", "15", "--labels", "l7163"],
            "error: --start-label: label 15 does not exist on L7163 (2 x 7 = 14 labels)"
            " - start at a label from 1 to 14",
        ),
        (
            ["run", "--sheet-grams", "nan"],
            "error: --sheet-grams: 'nan' is not a weight in grams - see petition-merge run --help",
        ),
        (
            ["run", "--envelope-grams", "inf"],
            "error: --envelope-grams: 'inf' is not a weight in grams"
            " - see petition-merge run --help",
        ),
    ],
)
def test_our_own_value_checks_name_the_option(project: Path, args: list[str], line: str) -> None:
    # Refused before anything is read: no deadline warning, no notes, nothing written.
    assert_usage_line(invoke(*args), line)
    assert not (project / "outputs").exists()


@pytest.mark.parametrize("command", ["run", "label-test"])
def test_an_unknown_label_product_names_the_option_and_the_known_ones(
    project: Path, command: str
) -> None:
    result = invoke(command, "--labels", "9999")
    assert result.exit_code == 2, result.output
    [line] = result.stderr.splitlines()
    assert line.startswith("error: --labels: unknown label product '9999' - use one of: 3422, ")
    assert line.endswith(", L7173") and "Traceback" not in result.output
    assert not (project / "outputs").exists()


@pytest.mark.parametrize("name", ["a\nb", "tab\there", " leading", "x" * 101])
def test_a_batch_name_is_one_short_printable_line(project: Path, name: str) -> None:
    result = CliRunner().invoke(cli, ["run", "--no-pdf", "--out", f"outputs/{name}"])
    assert result.exit_code == 2
    [line] = result.output.strip().splitlines()
    assert line.startswith("error: --out: '") and "cannot name a batch" in line
    assert not (project / "outputs").exists()
