"""Write a file via a temporary file beside it and a rename: a crash leaves no half file."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from merge.errors import OutputError, os_reason
from merge.i18n import _


def write_atomically(out: Path, write: Callable[[Path], object]) -> None:
    """Call ``write`` with a temporary path in ``out``'s folder, then rename it to ``out``."""
    try:
        fd, name = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    except OSError as err:
        raise OutputError(
            _(
                "{file}: cannot write here ({reason}) - check that the folder exists and is "
                "writable, and that the file is not open elsewhere"
            ).format(file=out, reason=os_reason(err))
        ) from err
    os.close(fd)
    tmp = Path(name)
    try:
        write(tmp)
        os.replace(tmp, out)
    except OSError as err:
        raise OutputError(
            _(
                "{file}: cannot write ({reason}) - check that the folder exists and is "
                "writable, and that the file is not open elsewhere"
            ).format(file=out, reason=os_reason(err))
        ) from err
    finally:
        tmp.unlink(missing_ok=True)
