"""Run the atheris fuzz target for the readers for a bounded time, where atheris installs."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

FUZZ_SECONDS = 20


def test_readers_survive_fuzzing(tmp_path: Path) -> None:
    pytest.importorskip("atheris")
    seeds = tmp_path / "seeds"
    shutil.copytree(ROOT / "tests" / "corpus", seeds, ignore=shutil.ignore_patterns("*.py"))
    (tmp_path / "found").mkdir()
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "tests" / "fuzz" / "fuzz_readers.py"),
            str(tmp_path / "found"),
            str(seeds),
            f"-max_total_time={FUZZ_SECONDS}",
            "-rss_limit_mb=4096",
            f"-artifact_prefix={tmp_path}/",
        ],
        capture_output=True,
        text=True,
        timeout=FUZZ_SECONDS + 120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Done" in done.stderr
