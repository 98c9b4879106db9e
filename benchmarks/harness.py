"""How it measures: a fresh worker process per measurement, its peak memory, repetition, medians.

Every measurement runs in a fresh Python process (``bench_run.py --worker``), so its memory is
its own: the worker does its setup untimed (load the campaign, unpickle the stage's inputs),
then times one call. Memory is Linux's ``VmHWM`` from ``/proc/self/status``, reset just before
the call. Not ``ru_maxrss``: Linux carries that across exec, so every worker would report at
least the peak of the process that started it; it is used only where there is no ``/proc``
(macOS). The cases are measured interleaved, one repetition of each after the other, so drift
on a shared machine hits them all alike; the progress lines on stderr show the 1-minute load
average after each measurement (about 1 is the worker alone).
"""

from __future__ import annotations

import contextlib
import cProfile
import dataclasses
import gc
import io
import json
import os
import pstats
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cases
from cases import Case
from workload import Given, prepare

ENTRY = Path(__file__).resolve().with_name("bench_run.py")  # run with --worker
WORKER_TIMEOUT_S = 3 * 3600
PROFILE_TOP = 15  # by cumulative time
PROFILE_TOP_OWN = 10  # by time spent in the function itself


# --- in the worker --------------------------------------------------------------------------


@dataclass(frozen=True)
class Job:
    """One measurement, handed to a worker process as JSON."""

    case: str  # a case's name, or "prepare" to write this size's inputs
    size: int
    data: str  # this size's folder: signers.xlsx and prepared.pickle
    out: str  # a fresh, empty folder
    result: str  # where the worker writes its result (JSON)
    profile: bool = False


def status_kb(name: str, pid: int | str = "self") -> int | None:
    """Return a ``/proc/<pid>/status`` memory field in KiB (Linux), or None."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith(f"{name}:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return None


def peak_kb() -> int:
    """Return the peak resident memory of this process so far (since the last reset)."""
    peak = status_kb("VmHWM")
    if peak is not None:
        return peak
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak  # bytes on macOS


class Memory:
    """Peak resident memory of this process, before and during the timed call."""

    def __init__(self) -> None:
        self.setup_peak = self.before = peak_kb()
        current = status_kb("VmRSS")
        if current is not None:
            self.before = current
            try:
                Path("/proc/self/clear_refs").write_text("5")  # VmHWM := VmRSS
            except OSError:
                self.before = self.setup_peak  # growth is then a lower bound

    def result(self) -> dict[str, int]:
        call_peak = peak_kb()
        return {
            "rss_peak_kb": max(self.setup_peak, call_peak),
            "rss_call_kb": max(0, call_peak - self.before),
        }


class ChildMemory:
    """Sample the memory of this process's descendants (LibreOffice) while a call runs."""

    def __init__(self) -> None:
        self.peaks: dict[int, int] = {}  # pid -> VmHWM
        self.together = 0  # the most resident memory all descendants held at one time
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> ChildMemory:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        while not self._stop.wait(0.2):
            now = 0
            for pid in descendants(os.getpid()):
                peak, current = status_kb("VmHWM", pid), status_kb("VmRSS", pid)
                self.peaks[pid] = max(self.peaks.get(pid, 0), peak or 0)
                now += current or 0
            self.together = max(self.together, now)


def descendants(root: int) -> list[int]:
    """Return the ids of all processes below ``root`` (Linux; empty elsewhere)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found: list[int] = []
    todo = [root]
    while todo:
        below = children.get(todo.pop(), [])
        found += below
        todo += below
    return found


def work(job: Job) -> dict[str, Any]:
    """Set a case up, time its call once, then check what it produced."""
    case = cases.BY_NAME[job.case]
    call = case.setup(Given(job.size, Path(job.data), Path(job.out)))
    gc.collect()
    profiler = cProfile.Profile() if job.profile else None
    children = ChildMemory() if case.kind == "pdf" else contextlib.nullcontext()
    memory = Memory()
    with children:
        start = time.perf_counter()
        if profiler:
            profiler.enable()
        outcome = call()
        if profiler:
            profiler.disable()
        seconds = time.perf_counter() - start
    result: dict[str, Any] = {
        "seconds": seconds,
        **memory.result(),
        "load_average": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
        "notes": list(outcome.notes),
    }
    if isinstance(children, ChildMemory):
        result["soffice_peak_kb"] = max(children.peaks.values(), default=0)
        result["soffice_together_kb"] = children.together
    if outcome.pdfs:
        result["pages"] = sum(cases.pdf_pages(pdf) for pdf in outcome.pdfs)
    if outcome.document is not None:
        result["names"] = cases.names_digest(outcome.document)
    if profiler:
        text = io.StringIO()
        stats = pstats.Stats(profiler, stream=text)
        stats.sort_stats("cumulative").print_stats(PROFILE_TOP)
        stats.sort_stats("tottime").print_stats(PROFILE_TOP_OWN)
        result["profile"] = text.getvalue()
    return result


def worker_main(spec: str) -> int:
    job = Job(**json.loads(spec))
    try:
        if job.case == "prepare":
            prepare(Path(job.data), job.size)
            result: dict[str, Any] = {}
        else:
            result = work(job)
    except Exception as err:  # the parent reports the case as failed, with the traceback
        result = {"error": f"{type(err).__name__}: {err}", "traceback": traceback.format_exc()}
    Path(job.result).write_text(json.dumps(result), encoding="utf-8")
    return 0


# --- in the parent --------------------------------------------------------------------------


@dataclass
class Measured:
    """The measurements of one case at one size."""

    case: Case
    size: int
    skipped: str = ""
    error: str = ""
    runs: list[dict[str, Any]] = field(default_factory=list)

    def values(self, key: str) -> list[float]:
        return [float(run[key]) for run in self.runs]

    @property
    def median_s(self) -> float:
        return statistics.median(self.values("seconds"))

    @property
    def min_s(self) -> float:
        return min(self.values("seconds"))

    @property
    def peak_mb(self) -> float:
        return max(self.values("rss_peak_kb")) / 1024

    @property
    def grew_mb(self) -> float:
        return max(self.values("rss_call_kb")) / 1024

    def why_not(self) -> str:
        if self.skipped:
            return f"skipped: {self.skipped}"
        return "FAILED (see above)" if self.error else "not measured (interrupted)"

    def as_json(self) -> dict[str, Any]:
        return {
            "case": self.case.name,
            "kind": self.case.kind,
            "what": self.case.what,
            "size": self.size,
            "skipped": self.skipped or None,
            "error": self.error or None,
            "median_s": self.median_s if self.runs else None,
            "runs": self.runs,
        }


def run_worker(job: Job) -> dict[str, Any]:
    """Run one measurement in a fresh Python process and return its result.

    The worker gets its own process group, so that an interrupted benchmark also stops the
    LibreOffice processes a PDF case started.
    """
    Path(job.out).mkdir(parents=True)
    command = [sys.executable, str(ENTRY), "--worker", json.dumps(dataclasses.asdict(job))]
    try:
        with subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        ) as worker:
            try:
                stdout, stderr = worker.communicate(timeout=WORKER_TIMEOUT_S)
            except BaseException as err:
                with contextlib.suppress(ProcessLookupError):  # none of the group left
                    os.killpg(worker.pid, signal.SIGKILL)
                worker.wait()
                if isinstance(err, subprocess.TimeoutExpired):
                    return {"error": f"no result after {WORKER_TIMEOUT_S} s"}
                raise
        if not Path(job.result).is_file():
            tail = (stderr or stdout).strip().splitlines()[-5:]
            return {"error": f"worker exit {worker.returncode}: " + " | ".join(tail)}
        result: dict[str, Any] = json.loads(Path(job.result).read_text(encoding="utf-8"))
        return result
    finally:
        shutil.rmtree(job.out, ignore_errors=True)
        Path(job.result).unlink(missing_ok=True)


def job_for(
    case: str, size: int, data: Path, scratch: Path, repetition: int = 0, profile: bool = False
) -> Job:
    name = f"{size}-{case}-{repetition}"
    return Job(case, size, str(data), str(scratch / name), str(scratch / f"{name}.json"), profile)


def measure(
    measured: Sequence[Measured], data: Path, scratch: Path, repeat: int, profile: bool = False
) -> None:
    """Measure every case ``repeat`` times, interleaved, so drift hits all cases alike."""
    for repetition in range(1, repeat + 1):
        for entry in measured:
            if entry.skipped or entry.error:
                continue
            size = entry.size
            result = run_worker(job_for(entry.case.name, size, data, scratch, repetition, profile))
            if "error" in result:
                entry.error = result["error"]
                log(f"{size:>7} {entry.case.name:<12} FAILED: {entry.error}")
                log(result.get("traceback", ""))
                continue
            entry.runs.append(result)
            log(
                f"{size:>7} {entry.case.name:<12} {repetition}/{repeat} "
                f"{result['seconds']:8.2f} s {result['rss_peak_kb'] / 1024:7.0f} MB "
                f"(load {result['load_average'] or 0:.2f})"
            )


def log(text: str) -> None:
    if text:
        print(text, file=sys.stderr, flush=True)
