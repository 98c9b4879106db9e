"""Bundled data files: postage prices and limits, label sheets, envelope formats, font metrics.

Each file says where its facts come from and which of them are unverified. A damaged file is
a DataError (exit 8), not an input error: the user's own files are fine, petition-merge's are
not. Every problem is one line naming the file and, where there is one, the key.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from merge.errors import DataError, one_line

FOLDER = Path(__file__).parent


def bundled(name: str) -> Path:
    """Return the path of a bundled data file, e.g. ``bundled("postage.json")``."""
    return FOLDER / name


def read_json(path: Path, what: str) -> dict[str, Any]:
    """Read a JSON object from a data file; a damaged file is one line naming it."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise DataError(f"{path}: cannot read {what} ({one_line(err)})") from err
    if not isinstance(data, dict):
        raise DataError(f"{path}: not a {what} file - expected a JSON object")
    return data
