"""The MergeError hierarchy: one exit code per cause, and messages on one line."""

import pytest

from merge import errors
from merge.errors import (
    CampaignError,
    DataError,
    InputError,
    LedgerError,
    MergeError,
    OutputError,
    TemplateError,
    UsageError,
    one_line,
    shorten,
)

# Scripts act on these codes; README and --help document them.
EXIT_CODES = [
    (MergeError, 1),
    (UsageError, 2),
    (InputError, 3),
    (TemplateError, 4),
    (CampaignError, 5),
    (OutputError, 6),
    (LedgerError, 7),
    (DataError, 8),
]


@pytest.mark.parametrize(("error", "code"), EXIT_CODES)
def test_each_cause_has_its_exit_code(error: type[MergeError], code: int) -> None:
    assert error.exit_code == code
    assert issubclass(error, MergeError)


def test_no_two_causes_share_an_exit_code() -> None:
    classes = [
        value
        for value in vars(errors).values()
        if isinstance(value, type) and issubclass(value, MergeError)
    ]
    codes = [cls.exit_code for cls in classes]
    assert len(codes) == len(set(codes)), codes


def test_one_line_joins_the_lines_and_spaces_of_a_message() -> None:
    assert one_line(ValueError("line 1\n  line 2\tand\r\nmore ")) == "line 1 line 2 and more"


def test_one_line_names_the_error_when_it_has_no_message() -> None:
    assert one_line(KeyError()) == "KeyError"
    assert one_line(OSError(" \n ")) == "OSError"


def test_one_line_cuts_a_long_message_to_200_characters() -> None:
    assert one_line(ValueError("x" * 200)) == "x" * 200
    cut = one_line(ValueError("y" * 150 + " " + "z" * 150))
    assert cut == "y" * 150 + " " + "z" * 46 + "..."
    assert len(cut) == 200


def test_shorten_joins_whitespace_and_cuts_with_an_ellipsis() -> None:
    assert shorten("a\n  b\tc", 10) == "a b c"
    assert shorten("x" * 12, 10) == "xxxxxxx..."
    assert shorten("x" * 10, 10) == "x" * 10
