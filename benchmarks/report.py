"""What the reader sees: the machine and code measured, a table per size, the PDF table.

On a peer row, ``t ratio`` / ``mem ratio`` are peer / ours (the ``lists`` row), so above 1
means ours is faster or leaner; on the floor row they are ours / floor, how far ours is above
the floor.
"""

from __future__ import annotations

import importlib.metadata
import os
import platform
import re
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import merge
from merge.lists.paginate import ROWS_PER_LIST
from merge.render import pdf

from harness import Measured

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


# --- tables ---------------------------------------------------------------------------------


def print_table(measured: Sequence[Measured], size: int, repeat: int) -> None:
    ours = next((m for m in measured if m.case.name == "lists" and m.runs), None)
    print(f"\n{size:,} signers ({size // ROWS_PER_LIST:,} lists), {repeat} repetition(s)")
    head = f"{'case':<10} {'what':<33} {'median s':>9} {'min s':>8} {'peak MB':>8} {'+MB':>6}"
    print(f"{head} {'t ratio':>8} {'mem ratio':>9}")
    print("-" * (len(head) + 19))
    for entry in measured:
        line = f"{entry.case.name:<10} {entry.case.what:<33}"
        if not entry.runs:
            print(f"{line} {entry.why_not()}")
            continue
        ratios = ""
        if ours and entry.case.kind == "peer":
            ratios = f"{entry.median_s / ours.median_s:8.2f} {entry.peak_mb / ours.peak_mb:9.2f}"
        elif ours and entry.case.kind == "floor":
            ratios = f"{ours.median_s / entry.median_s:8.2f} {ours.peak_mb / entry.peak_mb:9.2f}"
        print(
            f"{line} {entry.median_s:9.3f} {entry.min_s:8.3f} "
            f"{entry.peak_mb:8.0f} {entry.grew_mb:6.0f} {ratios}".rstrip()
        )


def print_pdf(measured: Sequence[Measured], lists: int) -> None:
    print(f"\nLibreOffice PDF of the lists document, {lists:,} lists")
    head = f"{'case':<13} {'pages':>6} {'median s':>9} {'min s':>8} {'pages/s':>8}"
    print(f"{head} {'worker MB':>10} {'soffice MB':>11} {'together MB':>12}")
    print("-" * (len(head) + 36))
    for entry in measured:
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
    print(
        "ratios:  peer rows = peer / ours (lists), floor row = ours (lists) / floor; "
        "t = median time, mem = peak RSS"
    )
