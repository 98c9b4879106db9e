"""What the reader sees: ratios measured in this run first, then absolute times beside the host.

Ratios hold from host to host; absolute times do not (a host of the same class ran the whole
run three times slower, and the host loop three times slower too), so every absolute time is
printed below the time this host took for the fixed loop of ``cases.host_loop``.
"""

from __future__ import annotations

import importlib.metadata
import itertools
import os
import platform
import re
import statistics
import subprocess
import sys
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import merge
from merge.lists.paginate import ROWS_PER_LIST
from merge.render import pdf

from cases import HOST_STEPS
from harness import Measured
from startup import StartupRow

LIBRARIES = (
    "docxtpl",
    "python-docx",
    "docx-mailmerge2",
    "lxml",
    "XlsxWriter",
    "python-calamine",
    "Jinja2",
    "pypdf",
)


# --- ratios ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ratio:
    """One ratio at each size where both of its sides were measured."""

    label: str
    values: dict[int, float]  # size -> ratio


def _medians(results: Mapping[int, Sequence[Measured]]) -> dict[tuple[int, str], Measured]:
    return {(m.size, m.case.name): m for ms in results.values() for m in ms if m.runs}


def size_ratios(results: Mapping[int, Sequence[Measured]]) -> list[Ratio]:
    """Return ours against each peer and the floor, and the run in host loops, per size."""
    found = _medians(results)

    def ratio(label: str, top: str, bottom: str, memory: bool = False) -> Ratio:
        values = {}
        for size in results:
            a, b = found.get((size, top)), found.get((size, bottom))
            if a and b:
                values[size] = a.peak_mb / b.peak_mb if memory else a.median_s / b.median_s
        return Ratio(label, values)

    candidates = [
        ratio("docxtpl / lists, time", "docxtpl", "lists"),
        ratio("docxtpl / lists, peak memory", "docxtpl", "lists", memory=True),
        ratio("mailmerge / lists, time", "mailmerge", "lists"),
        ratio("mailmerge / lists, peak memory", "mailmerge", "lists", memory=True),
        ratio("lists / floor, time", "lists", "floor"),
        ratio("lists / floor, peak memory", "lists", "floor", memory=True),
        ratio("run / host loop, time", "run", "host"),
    ]
    return [r for r in candidates if r.values]


def scaling(results: Mapping[int, Sequence[Measured]]) -> list[tuple[int, int, dict[str, float]]]:
    """Return, for each size and the next smaller one, how much longer each case took."""
    found, sizes = _medians(results), sorted(results)
    steps = []
    for small, large in itertools.pairwise(sizes):
        times = {
            name: found[(large, name)].median_s / found[(small, name)].median_s
            for (size, name) in found
            if size == large and (small, name) in found and name != "host"
        }
        if times:
            steps.append((large, small, times))
    return steps


def pdf_speedups(measured: Sequence[Measured]) -> dict[str, float]:
    """Return each PDF way's pages per second over one soffice's (above 1: faster)."""
    rate = {
        m.case.name: m.runs[0]["pages"] / m.median_s
        for m in measured
        if m.runs and m.case.kind == "pdf"
    }
    single = rate.get("pdf-single")
    if not single:
        return {}
    return {name: value / single for name, value in rate.items() if name != "pdf-single"}


def host_seconds(measured: Iterable[Sequence[Measured]]) -> list[float]:
    """Return every time the host loop took in this run."""
    return [s for ms in measured for m in ms if m.case.kind == "host" for s in m.values("seconds")]


def print_ratios(
    results: Mapping[int, Sequence[Measured]],
    pdf_measured: Sequence[Measured],
    started: Sequence[StartupRow],
) -> None:
    sizes = sorted(results)
    print("\nRatios, all measured in this run (they carry over to other hosts):")
    ratios = size_ratios(results)
    if ratios:
        print(f"{'':<32}" + "".join(f"{size:>10,}" for size in sizes) + "  signers")
        for ratio in ratios:
            cells = "".join(
                f"{ratio.values[size]:10.2f}" if size in ratio.values else f"{'':>10}"
                for size in sizes
            )
            print(f"{ratio.label:<32}{cells}")
        print(
            "  peer / lists above 1: ours faster or leaner; lists / floor: how far ours is\n"
            "  above the least work; run / host loop: the whole run in host loops"
        )
    for large, small, times in scaling(results):
        steps = ", ".join(f"{name} {value:.1f}" for name, value in times.items())
        text = (
            f"time at {large:,} / at {small:,} signers ({large / small:g} times as many): {steps}"
        )
        print(textwrap.fill(text, 96, subsequent_indent="  "))
    host = host_seconds([*results.values(), pdf_measured])
    cli = next((row for row in started if row.import_s), None)
    if cli and host:
        share = cli.median_import_s / statistics.median(host)
        print(f"{cli.what}, import time / host loop: {share:.2f}")
    speedups = pdf_speedups(pdf_measured)
    if speedups:
        ways = ", ".join(f"{name} {value:.2f}" for name, value in speedups.items())
        print(f"PDF pages per second against one soffice (pdf-single): {ways}")


# --- absolute times -------------------------------------------------------------------------


def print_load(measured: Iterable[Sequence[Measured]], cores: int | None) -> None:
    """Print the load average seen after each measurement: were other processes running?"""
    loads = [run["load_average"] for ms in measured for m in ms for run in m.runs]
    loads = [load for load in loads if load is not None]
    if loads:
        print(
            f"load:    {min(loads):.2f}-{max(loads):.2f} (1-minute average after each "
            f"measurement, {cores} cores):\n         about 1 is the benchmark alone, more means "
            "other processes competed with it"
        )


def print_host(seconds: Sequence[float]) -> None:
    if not seconds:
        return
    print(
        f"\nAbsolute times. On this host the fixed Python loop ({HOST_STEPS:,} steps, "
        f"case host) took {statistics.median(seconds):.3f} s (median of {len(seconds)}, "
        f"{min(seconds):.3f}-{max(seconds):.3f}, measured beside the cases): scale by yours."
    )


def print_startup(measured: Sequence[StartupRow], repeat: int) -> None:
    print(f"\nStart of the CLI, fresh process each, {repeat} repetition(s)")
    print(f"{'what':<30} {'import s':>8} {'wall s':>7}  document libraries loaded")
    print("-" * 90)
    for row in measured:
        if row.error:
            print(f"{row.what:<30} FAILED: {row.error}")
            continue
        loaded = " ".join(library.name for library in row.loaded) or "none"
        print(f"{row.what:<30} {row.median_import_s:8.3f} {row.median_wall_s:7.3f}  {loaded}")
    print(
        "  import s: imports from the first merge module on (-X importtime); wall s: the "
        "whole process.\n  Target: import well under 0.3 s, no document library loaded."
    )
    first = next((row for row in measured if row.loaded), None)
    if first:
        print(f"  First imported by ({first.what}, import ms):")
        for library in first.loaded:
            print(f"    {library.name:<16} {library.by:<30} {library.ms:6.0f}")


def print_table(measured: Sequence[Measured], size: int, repeat: int) -> None:
    print(f"\n{size:,} signers ({size // ROWS_PER_LIST:,} lists), {repeat} repetition(s)")
    head = f"{'case':<10} {'what':<33} {'median s':>9} {'min s':>8} {'peak MB':>8} {'+MB':>6}"
    print(head)
    print("-" * len(head))
    for entry in measured:
        line = f"{entry.case.name:<10} {entry.case.what:<33}"
        if not entry.runs:
            print(f"{line} {entry.why_not()}")
            continue
        print(
            f"{line} {entry.median_s:9.3f} {entry.min_s:8.3f} "
            f"{entry.peak_mb:8.0f} {entry.grew_mb:6.0f}"
        )


def print_pdf(measured: Sequence[Measured], lists: int) -> None:
    print(f"\nLibreOffice PDF of the lists document, {lists:,} lists")
    head = f"{'case':<13} {'pages':>6} {'median s':>9} {'min s':>8} {'pages/s':>8}"
    print(f"{head} {'worker MB':>10} {'soffice MB':>11} {'together MB':>12}")
    print("-" * (len(head) + 36))
    for entry in (m for m in measured if m.case.kind == "pdf"):
        if not entry.runs:
            print(f"{entry.case.name:<13} {entry.why_not()}")
            continue
        pages = entry.runs[0]["pages"]
        print(
            f"{entry.case.name:<13} {pages:>6} {entry.median_s:9.1f} {entry.min_s:8.1f} "
            f"{pages / entry.median_s:8.1f} {entry.peak_mb:10.0f} "
            f"{max(entry.values('soffice_peak_kb')) / 1024:11.0f} "
            f"{max(entry.values('soffice_together_kb')) / 1024:12.0f}"
        )
        for note in dict.fromkeys(note for run in entry.runs for note in run["notes"]):
            print(f"{'':<13} {note}")


def check_documents(measured: Sequence[Measured], size: int) -> str:
    """Return a problem if the lists documents do not show the same names in the same order."""
    digests = {m.case.name: run["names"] for m in measured for run in m.runs if "names" in run}
    shown = {(digest["count"], digest["sha1"]) for digest in digests.values()}
    if len(shown) > 1 or any(count != size for count, _ in shown):
        counts = ", ".join(f"{name} {digest['count']}" for name, digest in digests.items())
        return f"the lists documents differ (signer names shown: {counts}; expected {size})"
    return ""


# --- the host and the code ------------------------------------------------------------------


def machine() -> dict[str, Any]:
    """Describe the machine, and the code and libraries measured."""
    model = platform.processor() or platform.machine()
    try:
        found = re.search(
            r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.MULTILINE
        )
        model = found.group(1).strip() if found else model
    except OSError:
        pass
    try:
        memory_gb = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3, 1)
    except (ValueError, OSError, AttributeError):
        memory_gb = None
    versions: dict[str, str | None] = {}
    for package in LIBRARIES:
        try:
            versions[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            versions[package] = None
    code = Path(merge.__file__).resolve().parent.parent
    soffice = pdf.find_soffice()
    return {
        "cores": os.cpu_count(),
        "usable_cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "cpu": model,
        "memory_gb": memory_gb,
        "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,
        "system": f"{platform.system()} {platform.release()} {platform.machine()}",
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "executable": sys.executable,
        "merge": str(code),
        "commit": _output(["git", "-C", str(code), "describe", "--always", "--dirty"]),
        "versions": versions,
        "soffice": _output([soffice, "--version"]) if soffice else None,
    }


def _output(command: Sequence[str]) -> str | None:
    """Return a command's output, or None if it fails."""
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return (done.stdout.strip() or None) if done.returncode == 0 else None


def print_machine(info: Mapping[str, Any]) -> None:
    load = info["load_average"]
    print("petition-merge benchmark")
    print(
        f"machine: {info['cores']} cores ({info['usable_cores']} usable), {info['cpu']}, "
        f"{info['memory_gb']} GB RAM, {info['system']}"
        + (f", load {load[0]:.2f} at start" if load else "")
    )
    print(f"python:  {info['python']} ({info['executable']})")
    print(f"merge:   {info['merge']} ({info['commit'] or 'not a git checkout'})")
    libraries = ", ".join(
        f"{name} {version or 'not installed'}" for name, version in info["versions"].items()
    )
    print(f"libs:    {libraries}; {info['soffice'] or 'no LibreOffice'}")
