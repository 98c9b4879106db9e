"""The exit-code table: the error classes, every --help and docs/reference.md say the same."""

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT

from merge import errors
from merge.cli import cli


def help_table(*args: str) -> list[tuple[int, str]]:
    """Return the rows under "Exit codes:" in the --help of ``petition-merge *args``."""
    result = CliRunner().invoke(cli, [*args, "--help"], terminal_width=80)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    start = [line.strip() for line in lines].index("Exit codes:") + 1
    rows = []
    for line in lines[start:]:
        match = re.fullmatch(r"\s+(\d+)  (\S.*)", line)
        if match is None:
            break
        rows.append((int(match[1]), match[2]))
    return rows


def readme_table() -> list[tuple[int, str]]:
    """Return the rows of docs/reference.md's "### Exit codes" table."""
    text = (ROOT / "docs" / "reference.md").read_text(encoding="utf-8")
    section = text.split("\n### Exit codes\n", 1)[1]
    section = re.split(r"^#", section, maxsplit=1, flags=re.MULTILINE)[0]
    rows = re.findall(r"^\| *(\d+) *\| *(.*?) *\|$", section, flags=re.MULTILINE)
    return [(int(code), meaning) for code, meaning in rows]


def test_every_error_class_has_its_own_code_and_says_what_it_means() -> None:
    classes = errors.error_classes()
    assert {cls.__name__ for cls in classes} >= {
        "UsageError",
        "InputError",
        "TemplateError",
        "CampaignError",
        "OutputError",
        "LedgerError",
        "DataError",
    }
    codes = [cls.exit_code for cls in classes]
    assert len(codes) == len(set(codes))
    assert not set(codes) & {errors.SUCCESS, errors.INTERNAL_ERROR, errors.INTERRUPTED}
    for cls in classes:
        assert cls.meaning and "\n" not in cls.meaning, cls
        assert len(cls.meaning) <= 71, cls  # one line of --help in 80 columns


def test_the_table_lists_each_code_once_lowest_first() -> None:
    table = errors.exit_codes()
    codes = [code for code, _ in table]
    assert codes == sorted(set(codes))
    assert table[:2] == [(0, "success"), (1, table[1][1])]
    assert "bug" in table[1][1]
    assert (errors.DataError.exit_code, errors.DataError.meaning) in table
    assert codes[-1] == 130


def test_readme_table_is_the_generated_one() -> None:
    assert readme_table() == errors.exit_codes()


@pytest.mark.parametrize("command", ["", *sorted(cli.commands)])
def test_help_of_every_command_ends_with_the_generated_table(command: str) -> None:
    assert help_table(*filter(None, [command])) == errors.exit_codes()


def test_ctrl_c_is_exit_130_in_one_line(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from merge.track import status

    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(status, "status", interrupted)
    result = CliRunner().invoke(cli, ["status"])
    assert result.exit_code == errors.INTERRUPTED, result.output
    assert result.stderr.splitlines() == ["interrupted: nothing was written"]
