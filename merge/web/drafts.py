"""A batch being prepared on the page: the campaign and the spreadsheets chosen, by number.

The page's addresses carry only this number (``/drafts/3/check``), never a file's name, and
its forms carry names of files in inputs/ only, checked against the folder. Drafts live
in the server's memory: after a restart the page starts with a new one, and nothing is lost
that matters, since a draft writes nothing (the files are in inputs/, the batches in the
ledger). A server numbers its drafts from a random start (:class:`~merge.web.site.Site`), so
the address of a draft of its earlier life finds nothing instead of another draft.
"""

from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass
from pathlib import Path

from merge.post.plan import FormatCost
from merge.read.rows import list_inputs
from merge.web.uploads import INPUTS, Saved, namesakes


@dataclass(frozen=True)
class Draft:
    number: int
    campaign: str
    files: tuple[str, ...]  # names of spreadsheets in inputs/, in the order they are read
    uploads: tuple[Saved, ...] = ()  # what this draft's upload saved (or found there already)

    @property
    def inputs(self) -> tuple[Path, ...]:
        """The files as a run takes them: relative to the working folder, inputs/NAME."""
        return tuple(Path(INPUTS) / name for name in self.files)

    @property
    def uploaded(self) -> tuple[str, ...]:
        """The names in inputs/ of this draft's uploads."""
        return tuple(dict.fromkeys(saved.name for saved in self.uploads))

    @property
    def both_read(self) -> tuple[tuple[str, str], ...]:
        """(old, new): an upload that got a number beside a file of its name (a corrected
        list, as like as not) while that older file is read too."""
        return tuple(
            (old, saved.name)
            for saved in self.uploads
            if saved.name in self.files
            for old in namesakes(saved, self.files)
            if old not in self.uploaded
        )

    @property
    def newest_only(self) -> tuple[str, ...]:
        """The draft's files without the older ones of :attr:`both_read`."""
        old = {old for old, _new in self.both_read}
        return tuple(name for name in self.files if name not in old)


class Drafts:
    """The drafts of one server, safe to use from several requests at once, numbered from
    ``first`` on."""

    def __init__(self, first: int = 1) -> None:
        self._lock = threading.Lock()
        self._numbers = itertools.count(first)
        self._drafts: dict[int, Draft] = {}
        self._formats: dict[int, tuple[FormatCost, ...]] = {}

    def add(self, campaign: str, files: tuple[str, ...], uploads: tuple[Saved, ...] = ()) -> Draft:
        with self._lock:
            draft = Draft(next(self._numbers), campaign, files, uploads)
            self._drafts[draft.number] = draft
            return draft

    def get(self, number: int) -> Draft | None:
        with self._lock:
            return self._drafts.get(number)

    def remember_formats(self, number: int, formats: tuple[FormatCost, ...]) -> None:
        """Keep what the draft's lists cost in each envelope format (from its dry run)."""
        with self._lock:
            self._formats[number] = formats

    def formats(self, number: int) -> tuple[FormatCost, ...] | None:
        with self._lock:
            return self._formats.get(number)


def input_files(workdir: Path) -> list[str]:
    """Return the names of the spreadsheets in inputs/, as a run reads them (by name)."""
    folder = workdir / INPUTS
    if not folder.is_dir():
        return []
    return [path.name for path in list_inputs([folder])]
