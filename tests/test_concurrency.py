"""Two volunteers at once: runs on one ledger never put the same signer on two lists."""

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from conftest import HEADER, signer_rows, write_csv

from merge.track.ledger import open_ledger

WAITING = "another petition-merge run is using the ledger; waiting for it"


def run_both_at_once(folders: list[Path], ledger: Path, tmp: Path) -> None:
    """Start a run in each folder while the test holds the ledger, and let go only once both
    say they are waiting for it: the runs are then under way at the same moment, whatever
    the machine's speed, and race for the ledger as two volunteers would."""
    holder = sqlite3.connect(ledger, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # what a run does while it writes its batch
    logs = [tmp / f"{folder.name}.stderr" for folder in folders]
    processes = []
    try:
        for folder, log in zip(folders, logs, strict=True):
            with log.open("w") as err:
                processes.append(
                    subprocess.Popen(
                        [sys.executable, "-m", "merge", "run", "--no-pdf", "--ledger", str(ledger)],
                        cwd=folder,
                        stdout=subprocess.PIPE,
                        stderr=err,
                        text=True,
                    )
                )
        deadline = time.monotonic() + 60
        while not all(WAITING in log.read_text() for log in logs):
            ended = any(process.poll() is not None for process in processes)
            assert not ended and time.monotonic() < deadline, [log.read_text() for log in logs]
            time.sleep(0.05)
    except BaseException:
        for process in processes:
            process.kill()
            process.wait()
        raise
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    for process, log in zip(processes, logs, strict=True):
        out, _ = process.communicate(timeout=180)
        err = log.read_text()
        assert process.returncode == 0, err
        assert "Traceback" not in out + err


def test_two_runs_at_once_never_list_a_signer_twice(project: Path, tmp_path: Path) -> None:
    # Overlapping inputs: signers 1-600 and 301-900, in two working folders on one ledger.
    ledger = project / "shared" / "ledger.sqlite"
    created = open_ledger(ledger)
    assert created is not None
    created.close()
    folders = []
    for name, start in (("a", 1), ("b", 301)):
        folder = project / name
        (folder / "inputs").mkdir(parents=True)
        write_csv(folder / "inputs" / "liste.csv", [HEADER, *signer_rows(600, start=start)])
        folders.append(folder)
    for _ in range(3):
        run_both_at_once(folders, ledger, tmp_path)
    with sqlite3.connect(ledger) as db:
        twice = db.execute("SELECT key FROM signers GROUP BY key HAVING COUNT(*) > 1").fetchall()
        total = db.execute("SELECT COUNT(DISTINCT key) FROM signers").fetchone()[0]
        batches = db.execute("SELECT COUNT(*) FROM batches").fetchone()[0]
    assert twice == []
    assert total == 900  # everyone printed once, by one of the two runs
    assert batches == 2  # the later rounds found nothing new
