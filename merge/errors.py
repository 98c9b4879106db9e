"""The MergeError hierarchy: one class per cause, each with its own exit code.

The CLI catches MergeError once and prints ``str(err)`` as one line, so every message
says where the problem is, what it is and how to fix it, and never holds a signer's
name or address. A message is ours from end to end, in the run's language: a library's
own English text (zipfile's, calamine's, Jinja's, the csv module's) is not put into it;
where its cause matters to what the user does, the cause is said in our words, chosen by
the library's code (:func:`os_reason` for the operating system's errno). The library's
exception stays chained (``raise ... from err``); PETITION_MERGE_DEBUG=1 shows it.

Each class says what its exit code means in ``meaning``: the exit-code table of ``--help``
and of docs/reference.md is made from these (:func:`exit_codes`).
"""

from __future__ import annotations

import errno

from merge.i18n import N_, _

SUCCESS = 0
INTERNAL_ERROR = 1  # an exception that is not a MergeError: a bug
INTERRUPTED = 130  # Ctrl+C, as shells report it (128 + SIGINT), or the end of input at a question


class MergeError(Exception):
    """Base of every error a user can cause and fix; raise a subclass, never this."""

    exit_code = INTERNAL_ERROR
    meaning = ""


class UsageError(MergeError):
    """An option or argument has a value petition-merge cannot use."""

    exit_code = 2
    meaning = N_("wrong command-line usage: an unknown option, or a value it cannot use")


class InputError(MergeError):
    """A signer file cannot be read or holds nothing usable."""

    exit_code = 3
    meaning = N_("an input file cannot be read, or holds no signers")


class TemplateError(MergeError):
    """The Word template is missing, broken or has unknown placeholders."""

    exit_code = 4
    meaning = N_("the Word template is broken")


class CampaignError(MergeError):
    """The campaign file is missing or malformed."""

    exit_code = 5
    meaning = N_("the campaign file is missing or malformed")


class OutputError(MergeError):
    """An output cannot be written (folder exists, disk full, PDF conversion failed)."""

    exit_code = 6
    meaning = N_("an output cannot be written (folder exists, PDF failed, disk full)")


class LedgerError(MergeError):
    """The ledger cannot be used, or a batch or envelope named by the user is not in it."""

    exit_code = 7
    meaning = N_("the ledger cannot be used, or has no such batch or envelope")


class DataError(MergeError):
    """A data file of petition-merge itself (prices, labels, envelopes, fonts) is damaged."""

    exit_code = 8
    meaning = N_("a data file of petition-merge itself is damaged")


def exit_codes() -> list[tuple[int, str]]:
    """Return every exit code of petition-merge with what it means, lowest first.

    An error's code comes from the MergeError subclass that sets it; success, a bug and an
    interruption are the codes no error class stands for.
    """
    codes = [
        (SUCCESS, N_("success")),
        (
            INTERNAL_ERROR,
            N_("internal error, a bug: report it (PETITION_MERGE_DEBUG=1 shows details)"),
        ),
        (INTERRUPTED, N_("interrupted (Ctrl+C), or no answer to a question (end of input)")),
    ]
    codes += [(cls.exit_code, cls.meaning) for cls in error_classes()]
    return sorted(codes)


def error_classes() -> list[type[MergeError]]:
    """Return the MergeError subclasses that set an exit code of their own."""
    found: list[type[MergeError]] = []
    pending = MergeError.__subclasses__()
    while pending:
        cls = pending.pop(0)
        pending += cls.__subclasses__()
        if "exit_code" in vars(cls):
            found.append(cls)
    return found


def one_line(err: BaseException) -> str:
    """Return an exception's message on one line, at most 200 characters."""
    return shorten(str(err), 200) or type(err).__name__


def shorten(text: str, limit: int) -> str:
    """Return text on one line (runs of whitespace as one space), cut to ``limit`` with "..."."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


# What the operating system said, by its errno, in our words. The English is the wording the
# system itself uses (Linux's strerror), so the English messages read as before.
_OS_REASONS = {
    errno.ENOENT: N_("No such file or directory"),
    errno.EACCES: N_("Permission denied"),
    errno.EPERM: N_("Operation not permitted"),
    errno.ENOSPC: N_("No space left on device"),
    errno.EDQUOT: N_("Disk quota exceeded"),
    errno.EROFS: N_("Read-only file system"),
    errno.EISDIR: N_("Is a directory"),
    errno.ENOTDIR: N_("Not a directory"),
    errno.EEXIST: N_("File exists"),
    errno.ENAMETOOLONG: N_("File name too long"),
    errno.EBUSY: N_("Device or resource busy"),
    errno.EIO: N_("Input/output error"),
    errno.EMFILE: N_("Too many open files"),
}


def os_reason(err: OSError) -> str:
    """Return why the operating system refused, in the run's language ("Permission denied")."""
    reason = _OS_REASONS.get(err.errno or 0)
    if reason is not None:
        return _(reason)
    if err.errno:
        return _("system error {number}").format(number=err.errno)
    return _("system error")


def read_reason(err: OSError | UnicodeDecodeError) -> str:
    """Return why a text file cannot be read: the system's refusal, or not UTF-8 text."""
    if isinstance(err, UnicodeDecodeError):
        return _("not UTF-8 text")
    return os_reason(err)
