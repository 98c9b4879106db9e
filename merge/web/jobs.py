"""Batches being made: a job the server owns, run in a thread, its progress read by the page.

A batch is made by the same pipeline as ``petition-merge run``, so it is just as atomic: its
folder is built hidden and renamed into place, the ledger records it in one transaction, and
two jobs on one ledger wait for each other (nobody lands on two lists). The job runs in a
thread of its own, not in the request that started it: closing the tab does not stop it,
and the page's polling only reads its progress. The server waits for running jobs before it
stops.

The pipeline's reporter writes into the job's progress under a lock; :meth:`Job.progress`
returns a copy. Steps count as equal parts of the work, and the pages of the PDF (the
progress reports of a large batch) fill the part of their step.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from merge import i18n
from merge.errors import MergeError
from merge.i18n import _
from merge.reporter import Kind, Report, Reporter

if TYPE_CHECKING:
    from merge.pipeline import RunResult

log = logging.getLogger("merge.web")

Work = Callable[[Reporter], "RunResult"]


@dataclass(frozen=True)
class Progress:
    """What the page shows of a job: a copy, safe to read while the job goes on."""

    number: int
    draft: int
    step: str  # what the job does now, in the server's language
    fraction: float  # 0 to 1
    finished: bool
    warnings: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    error: str = ""  # one line, when the batch was not made
    result: RunResult | None = None  # when it finished without an error


@dataclass
class _State:
    step: str
    steps: int = 0  # steps begun
    done: int = 0  # of the current step's progress reports
    total: int = 0
    finished: bool = False
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    error: str = ""
    result: RunResult | None = None


class Job:
    """One batch being made in a thread of its own."""

    def __init__(
        self, number: int, draft: int, work: Work, expected_steps: int, language: str
    ) -> None:
        self.number, self.draft = number, draft
        self._work, self._expected = work, max(1, expected_steps)
        self._language = language
        self._lock = threading.Lock()
        self._state = _State(step=_("starting"))
        self._thread = threading.Thread(target=self._run, name=f"petition-merge job {number}")

    def start(self) -> None:
        self._thread.start()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until the job has finished; return whether it has."""
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def report(self, item: Report) -> None:
        """Take one report of the pipeline (the job's reporter)."""
        with self._lock:
            state = self._state
            if item.kind is Kind.STEP:
                state.step, state.steps, state.done, state.total = item.text, state.steps + 1, 0, 0
            elif item.kind is Kind.PROGRESS:
                state.done, state.total = item.done, item.total
            elif item.kind is Kind.WARNING:
                state.warnings.append(item.text)
            else:
                state.notes.append(item.text)

    def progress(self) -> Progress:
        with self._lock:
            state = self._state
            if state.finished:
                fraction = 1.0
            else:
                part = state.done / state.total if state.total else 0.0
                fraction = min(0.99, (max(0, state.steps - 1) + part) / self._expected)
            return Progress(
                number=self.number,
                draft=self.draft,
                step=state.step,
                fraction=fraction,
                finished=state.finished,
                warnings=tuple(state.warnings),
                notes=tuple(state.notes),
                error=state.error,
                result=state.result,
            )

    def _run(self) -> None:
        i18n.activate(self._language)  # a new thread starts with the default language
        result: RunResult | None = None
        error = ""
        try:
            result = self._work(self.report)
        except MergeError as err:
            error = _("error: {message}").format(message=err)
        except Exception as err:  # a bug: its type only, the message may hold a cell's text
            log.error("internal error %s in job %d", type(err).__name__, self.number)
            error = _(
                "internal error: {name} - this is a bug in petition-merge; please report what "
                "you did just before"
            ).format(name=type(err).__name__)
        with self._lock:
            self._state.finished = True
            self._state.result, self._state.error = result, error
            self._state.step = _("finished") if not error else _("stopped")


class Jobs:
    """The jobs of one server, numbered ``first``, ``first + 1``, ... from its start."""

    def __init__(self, first: int = 1) -> None:
        self._lock = threading.Lock()
        self._numbers = itertools.count(first)
        self._jobs: dict[int, Job] = {}

    def start(self, draft: int, work: Work, expected_steps: int) -> Job:
        """Start making a batch with ``work`` (the pipeline, given the job's reporter)."""
        with self._lock:
            job = Job(next(self._numbers), draft, work, expected_steps, i18n.language())
            self._jobs[job.number] = job
        job.start()
        return job

    def get(self, number: int) -> Job | None:
        with self._lock:
            return self._jobs.get(number)

    def running(self) -> list[Job]:
        with self._lock:
            jobs = list(self._jobs.values())
        return [job for job in jobs if not job.progress().finished]

    def wait_all(self) -> None:
        """Wait for every running job to finish (before the server stops)."""
        for job in self.running():
            job.wait()
