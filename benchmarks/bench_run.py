"""Benchmark petition-merge: the whole run, each stage, two peer renderers, a floor, the CLI start.

Run it from the repository root, with the project installed (``pip install -e .``)::

    python benchmarks/bench_run.py                    # 1 000, 10 000, 100 000 signers, 3 times each
    python benchmarks/bench_run.py --small            # CI smoke test: 1 000 signers once, < 1 min
    python benchmarks/bench_run.py --sizes 10000 --repeat 5 --json results.json
    python benchmarks/bench_run.py --sizes 100000 --cases run,read --repeat 5
    python benchmarks/bench_run.py --cases import --repeat 5   # only the CLI's start
    python benchmarks/bench_run.py --sizes 1000 --pdf  # + LibreOffice pages/s at 2 000 lists
    python benchmarks/bench_run.py --cases warm --repeat 5   # only warm vs cold LibreOffice,
                                                             # and the web page's preview and batch
    python benchmarks/bench_run.py --sizes 10000 --profile lists   # cProfile instead of timing

To measure other code than the installed one, put its checkout first on the path:
``PYTHONPATH=/path/to/checkout python benchmarks/bench_run.py``; the header shows which
``merge`` was measured. The peer docx-mailmerge2 is optional (``pip install
docx-mailmerge2``); without it its row is skipped with a note. Exit status: 0 when every case
ran and the lists documents agree, 1 otherwise.

Where to read on: ``cases.py`` (what is measured), ``peers.py`` (the peers and the floor),
``startup.py`` (the CLI's import time), ``warm_office.py`` (the web page's warm LibreOffice
against the CLI's cold one, ``--warm``, with ``web_page.py``: the page's preview and batch
through make_app, against issue 16's targets), ``harness.py`` (fresh worker process, peak memory,
repetition), ``report.py`` (ratios, tables, the host), ``workload.py`` (the invented signers).
The report prints the ratios first: they hold from host to host. Absolute times follow,
below the time this host took for a fixed Python loop (case ``host``), to scale them by.
Afterwards every lists document (run, lists, peers, floor) must show the same signer names
in the same order; if not, the size is reported as a problem.

Columns: ``median s`` / ``min s`` wall time of the timed call over the repetitions;
``peak MB`` peak resident memory of the worker (interpreter and imports, about 46 MB, setup
data and the call: what the machine must have free); ``+MB`` how far the call itself went
above what the worker held before it. PDF: ``worker MB`` the Python process, ``soffice MB``
the largest single LibreOffice process, ``together MB`` the most all LibreOffice processes
held at one time (sampled).
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from merge.lists.paginate import ROWS_PER_LIST

import cases
import harness
import report
import startup
import warm_office
from cases import CASES, HOST, PDF_CASES, Case
from harness import Measured, log

DEFAULT_SIZES = (1_000, 10_000, 100_000)
PDF_SIGNERS = 10_000  # 2 000 lists
IMPORT = "import"  # the case of startup.py, measured once, not per size
WARM = "warm"  # warm_office.py: one 200-signer batch, in this process, with --warm


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Benchmark petition-merge; the docstring of this file explains the numbers."
    )
    parser.add_argument(
        "--sizes",
        default=",".join(map(str, DEFAULT_SIZES)),
        help="signer counts, comma-separated (default: %(default)s)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="measurements per case (default 3)")
    parser.add_argument(
        "--small", action="store_true", help="1 000 signers, once: the CI smoke test"
    )
    parser.add_argument("--skip-peers", action="store_true", help="leave out the peer renderers")
    parser.add_argument(
        "--peer-max",
        type=int,
        default=100_000,
        metavar="N",
        help="run the peers only for sizes up to N signers (default: %(default)s)",
    )
    parser.add_argument(
        "--pdf",
        action="store_true",
        help=f"also time LibreOffice PDF at {PDF_SIGNERS // ROWS_PER_LIST:,} lists",
    )
    parser.add_argument(
        "--warm",
        action="store_true",
        help=f"also time the web page's warm LibreOffice against the CLI's cold one "
        f"({warm_office.SIGNERS} signers: the batch's PDFs and the page-1 preview, directly "
        f"and through the page)",
    )
    parser.add_argument("--json", type=Path, metavar="PATH", help="write the raw results there")
    parser.add_argument(
        "--profile",
        metavar="CASE",
        choices=sorted(cases.BY_NAME),
        help=f"run CASE once per size under cProfile and print its top {harness.PROFILE_TOP} by "
        f"cumulative and top {harness.PROFILE_TOP_OWN} by own time, instead of timing",
    )
    known = [IMPORT, *(case.name for case in CASES)]  # the PDF cases come with --pdf
    parser.add_argument(
        "--cases",
        metavar="NAMES",
        help=f"only these cases, comma-separated, e.g. run,read (of: {', '.join(known)}, "
        f"{WARM}; the host loop is always measured; --pdf adds the PDF cases, --warm {WARM})",
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.small:
        args.sizes, args.repeat = "1000", 1
    try:
        args.sizes = [int(size) for size in args.sizes.replace("_", "").split(",") if size]
    except ValueError:
        parser.error(f"--sizes: not a list of whole numbers: {args.sizes}")
    if not args.sizes or min(args.sizes) < ROWS_PER_LIST or args.repeat < 1:
        parser.error(f"--sizes must be at least {ROWS_PER_LIST} and --repeat at least 1")
    if args.profile:
        args.repeat = 1
    if args.cases is None:
        args.cases = known
    else:
        names = [name.strip() for name in args.cases.split(",") if name.strip()]
        unknown = [name for name in names if name not in (*known, WARM)]
        if unknown or not names:
            what = f"unknown {', '.join(unknown)}" if unknown else "no case named"
            parser.error(f"--cases: {what}; known: {', '.join(known)}, {WARM}")
        args.cases = names
    if args.warm and WARM not in args.cases:
        args.cases = [*args.cases, WARM]
    return args


def schedule(args: argparse.Namespace) -> list[tuple[int, Sequence[Case]]]:
    """Return which cases to measure at which size, the host loop among them."""
    if args.profile:
        return [(size, [cases.BY_NAME[args.profile]]) for size in args.sizes]
    chosen = [case for case in CASES if case.name in args.cases]
    plan: list[tuple[int, Sequence[Case]]] = []
    if chosen:
        plan = [(size, [*chosen, HOST]) for size in args.sizes]
    if args.pdf:
        plan.append((PDF_SIGNERS, [*PDF_CASES, HOST]))
    if not plan and WARM in args.cases:
        plan = [(warm_office.SIGNERS, [HOST])]  # the host loop beside the warm measurement
    if not plan:
        plan = [(min(args.sizes), [HOST])]  # only the import case: the host beside it
    return plan


@dataclass
class Findings:
    """Everything a benchmark run measured, filled in as it goes, so an interrupt keeps it."""

    started: list[startup.StartupRow] = field(default_factory=list)
    by_size: dict[int, list[Measured]] = field(default_factory=dict)
    pdf: list[Measured] = field(default_factory=list)
    warm: warm_office.WarmResults | None = None
    problems: list[str] = field(default_factory=list)

    def measured(self) -> list[list[Measured]]:
        return [*self.by_size.values(), self.pdf]


def measure_all(args: argparse.Namespace, root: Path, found: Findings) -> None:
    """Measure the CLI's start, then each size's cases, into ``found`` as results come in."""
    if IMPORT in args.cases and not args.profile:
        log("measuring the start of the CLI")
        found.started = startup.measure_startup(root / "startup", args.repeat)
    for size, chosen in schedule(args):
        data = root / f"data-{size}"
        if not data.is_dir() and any(case.kind != "host" for case in chosen):
            log(f"{size:>7} preparing {size:,} invented signers")
            prepared = harness.run_worker(harness.job_for("prepare", size, data, root / "s"))
            if "error" in prepared:
                log(prepared.get("traceback", ""))
                found.problems.append(f"{size}: preparing the signers failed: {prepared['error']}")
                continue
        measured = [
            Measured(
                case, size, skipped=cases.skip_reason(case, size, args.skip_peers, args.peer_max)
            )
            for case in chosen
        ]
        if any(case.kind == "pdf" for case in chosen) and not args.profile:
            found.pdf = measured
        else:
            found.by_size[size] = measured
        harness.measure(measured, data, root / "s", args.repeat, bool(args.profile))
    if WARM in args.cases and not args.profile:
        log(f"{warm_office.SIGNERS:>7} warm and cold LibreOffice, in this process")
        found.warm = warm_office.measure(args.repeat, log)


def _interrupt(*_: object) -> None:
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.worker:
        return harness.worker_main(args.worker)
    signal.signal(signal.SIGTERM, _interrupt)  # timeout(1) stops it as Ctrl-C does
    info = report.machine()
    found = Findings()
    with tempfile.TemporaryDirectory(prefix="bench-petition-merge-") as work_dir:
        try:
            measure_all(args, Path(work_dir), found)
        except KeyboardInterrupt:
            found.problems.append("interrupted: the report shows what was measured until then")
    found.problems += [f"import {row.what}: {row.error}" for row in found.started if row.error]
    found.problems += [
        f"{m.size} {m.case.name}: {m.error}" for ms in found.measured() for m in ms if m.error
    ]
    if found.warm is not None:
        found.problems += found.warm.problems
    if args.profile:
        print_profiles(found.by_size, args.profile)
    else:
        found.problems += print_report(info, found, args.repeat)
    if args.json:
        out = {
            "machine": info,
            "arguments": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
            "results": [entry.as_json() for ms in found.measured() for entry in ms],
            "startup": [row.as_json() for row in found.started],
            "warm": found.warm.as_json() if found.warm is not None else None,
            "ratios": [vars(ratio) for ratio in report.size_ratios(found.by_size)],
            "host_loop_s": report.host_seconds(found.measured()),
            "problems": found.problems,
        }
        args.json.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    for problem in found.problems:
        print(f"problem: {problem}")
    return 1 if found.problems else 0


def print_report(info: dict[str, Any], found: Findings, repeat: int) -> list[str]:
    """Print ratios, then absolute times below the host loop; return the problems found."""
    report.print_machine(info)
    report.print_load(list(found.by_size.values()), info["cores"])
    report.print_ratios(found.by_size, found.pdf, found.started)
    report.print_host(report.host_seconds(found.measured()))
    if found.started:
        report.print_startup(found.started, repeat)
    problems = []
    for size, measured in found.by_size.items():
        if all(entry.case.kind == "host" for entry in measured):
            continue  # only beside the import case; its time is printed above
        report.print_table(measured, size, repeat)
        for entry in measured:
            if entry.skipped:
                print(f"note: {entry.case.name} skipped: {entry.skipped}")
        mismatch = report.check_documents(measured, size)
        if mismatch:
            problems.append(f"{size}: {mismatch}")
        elif any("names" in run for entry in measured for run in entry.runs):
            print("check: every lists document shows all signers in the same order")
    if found.pdf:
        report.print_pdf(found.pdf, PDF_SIGNERS // ROWS_PER_LIST)
    if found.warm is not None:
        warm_office.print_warm(found.warm, repeat)
    return problems


def print_profiles(results: dict[int, list[Measured]], case: str) -> None:
    for size, measured in results.items():
        for run in (run for entry in measured for run in entry.runs):
            print(
                f"\ncProfile of {case} at {size:,} signers "
                f"({run['seconds']:.1f} s with the profiler on)\n{run['profile']}"
            )


if __name__ == "__main__":
    sys.exit(main())
