"""The MergeError hierarchy: one class per cause, each with its own exit code.

The CLI catches MergeError once and prints ``str(err)`` as one line, so every message
says where the problem is, what it is and how to fix it, and never holds a signer's
name or address.
"""


class MergeError(Exception):
    """Base of every error a user can cause and fix."""

    exit_code = 1


class UsageError(MergeError):
    """An option or argument has a value petition-merge cannot use."""

    exit_code = 2


class InputError(MergeError):
    """A signer file cannot be read or holds nothing usable."""

    exit_code = 3


class TemplateError(MergeError):
    """The Word template is missing, broken or has unknown placeholders."""

    exit_code = 4


class CampaignError(MergeError):
    """The campaign file is missing or malformed."""

    exit_code = 5


class OutputError(MergeError):
    """An output cannot be written (folder exists, disk full, PDF conversion failed)."""

    exit_code = 6


class LedgerError(MergeError):
    """The ledger cannot be used, or a batch or envelope named by the user is not in it."""

    exit_code = 7


class DataError(MergeError):
    """A data file of petition-merge itself (prices, labels, envelopes, fonts) is damaged."""

    exit_code = 8


def one_line(err: BaseException) -> str:
    """Return an exception's message on one line, at most 200 characters."""
    return shorten(str(err), 200) or type(err).__name__


def shorten(text: str, limit: int) -> str:
    """Return text on one line (runs of whitespace as one space), cut to ``limit`` with "..."."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."
