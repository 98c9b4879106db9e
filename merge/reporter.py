"""The one reporter: how the stages tell a user interface what they do, without printing.

A stage never prints; it hands a :class:`Report` to the ``Reporter`` it was given: a step
of the work, a note about the input, a warning to act on, or the progress of a long job
(PDF pages). The CLI prints them; a web page can stream them.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass


class Kind(enum.Enum):
    STEP = "step"  # what the run is doing now ("writing 8 petition lists")
    NOTE = "note"  # a fact about the input worth knowing (a sheet skipped, a hidden row)
    WARNING = "warning"  # something to check or act on (a past deadline, estimated weights)
    PROGRESS = "progress"  # ``done`` of ``total`` units of a long job


@dataclass(frozen=True)
class Report:
    """One thing a stage tells the user; never a name or an address, only origins."""

    kind: Kind
    text: str = ""
    done: int = 0
    total: int = 0

    @classmethod
    def step(cls, text: str) -> Report:
        return cls(Kind.STEP, text)

    @classmethod
    def note(cls, text: str) -> Report:
        return cls(Kind.NOTE, text)

    @classmethod
    def warning(cls, text: str) -> Report:
        return cls(Kind.WARNING, text)

    @classmethod
    def progress(cls, done: int, total: int, text: str = "") -> Report:
        return cls(Kind.PROGRESS, text, done, total)


Reporter = Callable[[Report], None]


def ignore(report: Report) -> None:
    """Drop every report (for callers that want only the result)."""
