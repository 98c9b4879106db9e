"""Two volunteers at once: runs on one ledger never put the same signer on two lists."""

import sqlite3
import subprocess
import sys
from pathlib import Path

from conftest import HEADER, signer_rows, write_csv


def test_two_runs_at_once_never_list_a_signer_twice(project: Path) -> None:
    # Overlapping inputs: signers 1-600 and 301-900, in two working folders on one ledger.
    ledger = project / "shared" / "ledger.sqlite"
    folders = []
    for name, start in (("a", 1), ("b", 301)):
        folder = project / name
        (folder / "inputs").mkdir(parents=True)
        write_csv(folder / "inputs" / "liste.csv", [HEADER, *signer_rows(600, start=start)])
        folders.append(folder)
    for _ in range(3):
        processes = [
            subprocess.Popen(
                [sys.executable, "-m", "merge", "run", "--no-pdf", "--ledger", str(ledger)],
                cwd=folder,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for folder in folders
        ]
        for process in processes:
            out, err = process.communicate(timeout=180)
            assert process.returncode == 0, err
            assert "Traceback" not in out + err
    with sqlite3.connect(ledger) as db:
        twice = db.execute("SELECT key FROM signers GROUP BY key HAVING COUNT(*) > 1").fetchall()
        total = db.execute("SELECT COUNT(DISTINCT key) FROM signers").fetchone()[0]
        batches = db.execute("SELECT COUNT(*) FROM batches").fetchone()[0]
    assert twice == []
    assert total == 900  # everyone printed once, by one of the two runs
    assert batches == 2  # the later rounds found nothing new
