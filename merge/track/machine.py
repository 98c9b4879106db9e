"""Which computer a batch was made on: a random id kept in the user's settings folder.

A batch's folder is on the computer that made it. A shared ledger holds batches of other
laptops, whose folders are not here (and may have the same path there: every group is told
to start in a folder named ``Petitionen``), so only this computer's batches are looked for
when a run or ``status`` checks for lost folders or unfinished renames. Without that, a laptop
would be told to discard another laptop's batch, and its signers would be printed again.

The id is random, made once (``machine-id`` in the settings folder), not the computer's name:
a host name often names its owner ("annas-macbook"), which a national database should not
hold, and laptops are easily named alike ("debian", "localhost"). Where the settings folder
cannot be written, the id is unknown (None): every batch is then looked for, as before ids
were recorded.
"""

from __future__ import annotations

import os
import re
import secrets
import sys
import tempfile
from functools import cache
from pathlib import Path

ID_FILE = "machine-id"
_ID = re.compile(r"[0-9a-f]{32}")


def settings_folder() -> Path:
    """Return petition-merge's folder for this user's settings on this computer.

    ``XDG_CONFIG_HOME`` if set, else the platform's place: ``~/.config`` (Linux),
    ``~/Library/Application Support`` (macOS), ``%LOCALAPPDATA%`` (Windows: the local, not
    the roaming profile, which a domain copies to the user's other computers).
    """
    given = os.environ.get("XDG_CONFIG_HOME")
    if given:
        base = Path(given)
    elif os.name == "nt":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path.home() / ".config"
    return base / "petition-merge"


def this_machine() -> str | None:
    """Return this computer's id (made at the first call), or None where it cannot be kept."""
    return _machine_id(settings_folder())


@cache
def _machine_id(folder: Path) -> str | None:
    file = folder / ID_FILE
    found = _read(file)
    if found is not None:
        return found
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=folder, prefix=f".{ID_FILE}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="ascii") as out:
                out.write(secrets.token_hex(16) + "\n")
            try:
                os.link(name, file)  # never replaces the id another run made a moment ago
            except FileExistsError:
                pass
            except OSError:  # a file system without hard links
                if not file.exists():
                    os.replace(name, file)
        finally:
            Path(name).unlink(missing_ok=True)
    except OSError:
        return None
    return _read(file)


def _read(file: Path) -> str | None:
    try:
        text = file.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return text if _ID.fullmatch(text) else None
