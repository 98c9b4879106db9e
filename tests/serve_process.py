"""A real ``petition-merge serve --no-browser`` in a folder, and the address it printed (for
tests/cli/test_serve.py and the browser tests)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@contextmanager
def serving(folder: Path) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """Start the page in German in ``folder``; yield the process and its start address
    (http://127.0.0.1:PORT/start?t=SECRET); stop it afterwards if it still runs."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PETITION_MERGE_LANG": "de"}
    process = subprocess.Popen(
        [sys.executable, "-m", "merge", "serve", "--no-browser"],
        cwd=folder,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        found = re.search(r"http://127\.0\.0\.1:\d+/start\?t=[\w-]+", line)
        assert found, line + (process.stderr.read() if process.stderr else "")
        yield process, found[0]
    finally:
        process.terminate()  # nothing, if a test stopped it already
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
