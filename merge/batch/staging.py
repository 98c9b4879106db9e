"""Crash safety of the batch folder: build it hidden, rename it into place when complete.

A batch is built in a hidden staging folder beside its destination and renamed into place
only when complete; a run that is killed leaves at most a staging folder, which the next
run removes once the process that made it is gone. A batch recorded in the ledger but not
yet renamed is moved into place by the next run or status.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from merge.errors import OutputError, os_reason
from merge.i18n import _, ngettext
from merge.track.ledger import Ledger

STAGING_SUFFIX = ".partial"
_STAGING_PID = re.compile(r"\.pid(\d+)\.")
STALE_AFTER_SECONDS = 24 * 3600  # where the process cannot be asked whether it still runs


def make_staging(target: Path) -> Path:
    """Create the hidden folder a batch is built in (readable by its owner only)."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        return Path(
            tempfile.mkdtemp(
                prefix=f".{target.name}.pid{os.getpid()}.", suffix=STAGING_SUFFIX, dir=target.parent
            )
        )
    except OSError as err:
        raise OutputError(
            _("{folder}: cannot create the batch folder ({reason})").format(
                folder=target.parent, reason=os_reason(err)
            )
        ) from err


def remove_stale_staging(folder: Path, keep: Sequence[Path] = ()) -> None:
    """Remove half-built batch folders left by a run that was killed or lost its power.

    A staging folder names the process that builds it; it is stale once that process is
    gone. Where that cannot be asked (not POSIX), only folders older than a day go. ``keep``
    are staging folders the ledger still needs (recorded, not yet renamed).
    """
    for staging in folder.glob(f".*{STAGING_SUFFIX}"):
        if staging in keep:
            continue
        match = _STAGING_PID.search(staging.name)
        if match and os.name == "posix":
            if _process_alive(int(match.group(1))):
                continue
        else:
            try:
                age = time.time() - staging.stat().st_mtime
            except FileNotFoundError:  # another run has just renamed or removed it
                continue
            if age < STALE_AFTER_SECONDS:
                continue
        shutil.rmtree(staging, ignore_errors=True)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


def rename_into_place(staging: Path, target: Path) -> None:
    """Move the finished batch into place; the ledger already has it, so retry later if not."""
    try:
        os.rename(staging, target)
    except OSError as err:
        raise OutputError(
            _(
                "{folder}: the batch is recorded but could not be moved into place ({reason}) - "
                "it waits in {staging}; the next run or status retries"
            ).format(folder=target, reason=os_reason(err), staging=staging.name)
        ) from err


def finish_renames(ledger: Ledger) -> list[Path]:
    """Complete batches recorded by a run that stopped before renaming its folder."""
    waiting = []
    for _name, staging, folder in ledger.unfinished_renames():
        try:
            os.rename(staging, folder)
        except OSError:
            waiting.append(staging)
    return waiting


def finish_interrupted(ledger: Ledger) -> None:
    """Complete interrupted batch renames of the ledger (status does this)."""
    if ledger.unfinished_renames():  # look first: status must not wait for a running run
        with ledger.exclusive():
            finish_renames(ledger)


def missing_folders(ledger: Ledger, group: str | None = None) -> list[str]:
    """Say which recorded batches with envelopes not yet mailed have lost their folder.

    A volunteer may delete a misprinted batch's folder instead of discarding it: its signers
    still count as on a list, so nothing is released without the user saying so. With
    ``group`` (a shared ledger), only that group's batches are looked for: the others' are
    on their machines.
    """
    return [
        ngettext(
            "batch {batch}: its folder {folder} is gone, but its {n} signer still counts as on "
            "a list - if its envelopes were not mailed, run `petition-merge discard {batch}` to "
            "print it again",
            "batch {batch}: its folder {folder} is gone, but its {n} signers still count as on "
            "a list - if its envelopes were not mailed, run `petition-merge discard {batch}` to "
            "print them again",
            signers,
        ).format(batch=name, folder=folder, n=signers)
        for name, folder, staging, signers in ledger.open_batches(group)
        if not folder.exists() and not staging.is_dir()
    ]
