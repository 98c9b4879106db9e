"""The ``import`` case: what the CLI loads before a command does its work, and how long it takes.

Each row is a fresh Python process, run twice: once under ``-X importtime`` for the import
time (the top-level imports from the first ``merge`` module on: the interpreter's own start
is not counted) and which document libraries it loaded, and by whom first; once plain for the
wall time of the whole process as a user waits for it (interpreter start included). The aim
(issue 11) is well under 0.3 s of import time with no document library loaded; the case
reports what it finds and asserts nothing.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# The document libraries importing the CLI should not load (import names).
HEAVY = ("pypdf", "docxtpl", "docx", "lxml", "python_calamine", "xlsxwriter", "jinja2")
COMMAND_TIMEOUT_S = 120


@dataclass(frozen=True)
class Loaded:
    """A heavy library one process loaded: import time and the merge module that asked first."""

    name: str
    ms: float
    by: str


@dataclass
class StartupRow:
    """One command's start, measured ``repeat`` times."""

    what: str
    argv: tuple[str, ...]  # after the interpreter
    import_s: list[float] = field(default_factory=list)
    wall_s: list[float] = field(default_factory=list)
    loaded: tuple[Loaded, ...] = ()
    error: str = ""

    @property
    def median_import_s(self) -> float:
        return statistics.median(self.import_s)

    @property
    def median_wall_s(self) -> float:
        return statistics.median(self.wall_s)

    def as_json(self) -> dict[str, Any]:
        return {
            "case": "import",
            "what": self.what,
            "argv": list(self.argv),
            "error": self.error or None,
            "import_s": self.import_s,
            "wall_s": self.wall_s,
            "loaded": [vars(library) for library in self.loaded],
        }


def rows(ledger: Path) -> list[StartupRow]:
    """Return the commands measured; ``ledger`` is an empty ledger for ``status``."""
    return [
        StartupRow("import merge.cli", ("-c", "import merge.cli")),
        StartupRow("petition-merge --help", ("-m", "merge", "--help")),
        StartupRow("petition-merge status", ("-m", "merge", "status", "--ledger", str(ledger))),
        StartupRow("petition-merge check-template", ("-m", "merge", "check-template")),
    ]


def measure_startup(scratch: Path, repeat: int) -> list[StartupRow]:
    """Measure every row ``repeat`` times, interleaved, in ``scratch`` as working folder."""
    from merge.track.ledger import open_ledger

    scratch.mkdir(parents=True, exist_ok=True)
    ledger = open_ledger(scratch / "ledger.sqlite")
    assert ledger is not None
    ledger.close()
    measured = rows(scratch / "ledger.sqlite")
    _run(("-c", "import merge.cli"), scratch)  # compile what is not compiled yet, untimed
    for _ in range(repeat):
        for row in measured:
            if row.error:
                continue
            try:
                start = time.perf_counter()
                _run(row.argv, scratch)
                row.wall_s.append(time.perf_counter() - start)
                report = _run(("-X", "importtime", *row.argv), scratch).stderr
            except RuntimeError as err:
                row.error = str(err)
                continue
            seconds, loaded = read_importtime(report)
            row.import_s.append(seconds)
            row.loaded = loaded
    return measured


def _run(argv: Sequence[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, *argv],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT_S,
        check=False,
    )
    if done.returncode != 0:
        tail = " | ".join(done.stderr.strip().splitlines()[-3:])
        raise RuntimeError(f"python {' '.join(argv)}: exit {done.returncode}: {tail}")
    return done


@dataclass(frozen=True)
class _Entry:
    name: str
    depth: int
    cumulative_us: int


def read_importtime(stderr: str) -> tuple[float, tuple[Loaded, ...]]:
    """Return the import time from the first merge module on, and the heavy libraries loaded.

    ``-X importtime`` prints a line when an import finishes, its own imports (indented one
    step deeper) before it, so the importer of a line is the next line below it that is
    less indented.
    """
    entries = []
    for line in stderr.splitlines():
        if not line.startswith("import time:"):
            continue
        _, cumulative, name = line[len("import time:") :].split("|")
        if not cumulative.strip().isdigit():
            continue  # the heading
        indent = len(name) - len(name.lstrip()) - 1
        entries.append(_Entry(name.strip(), indent // 2, int(cumulative)))
    importer: list[int | None] = [None] * len(entries)
    waiting: list[int] = []  # lines whose importer is still to come
    for n, entry in enumerate(entries):
        while waiting and entries[waiting[-1]].depth > entry.depth:
            importer[waiting.pop()] = n
        waiting.append(n)
    first = next(
        (n for n, e in enumerate(entries) if e.depth == 0 and _is_merge(e.name)), len(entries)
    )
    total_us = sum(e.cumulative_us for e in entries[first:] if e.depth == 0)
    loaded = []
    for library in HEAVY:
        tops = [
            n
            for n, e in enumerate(entries)
            if _in(e.name, library) and not _in(_name(entries, importer[n]), library)
        ]
        if tops:
            by = importer[tops[0]]
            while by is not None and not _is_merge(entries[by].name):
                by = importer[by]
            ms = sum(entries[n].cumulative_us for n in tops) / 1000
            loaded.append(Loaded(library, ms, _name(entries, by) or "?"))
    return total_us / 1e6, tuple(loaded)


def _name(entries: Sequence[_Entry], n: int | None) -> str:
    return entries[n].name if n is not None else ""


def _in(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def _is_merge(module: str) -> bool:
    return _in(module, "merge")
