"""Two volunteers at once: runs on one ledger never put the same signer on two lists."""

import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from conftest import HEADER, ledger_sql, signer_rows, write_csv

from merge.track.ledger import open_ledger
from merge.track.where import LedgerLocation

WAITING = "another petition-merge run is using the ledger; waiting for it"


@contextmanager
def ledger_held(ledger: LedgerLocation) -> Iterator[None]:
    """Hold the ledger's lock as a run does while it writes its batch (on another machine,
    for a server's ledger)."""
    if ledger.path is not None:
        holder = sqlite3.connect(ledger.path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        return
    import psycopg

    from merge.track.postgres import LOCK_KEY

    assert ledger.url is not None
    with psycopg.connect(ledger.url) as server:  # one transaction, rolled back at the end
        server.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_KEY,))
        yield
        server.rollback()


def run_both_at_once(folders: list[Path], ledger: LedgerLocation, tmp: Path) -> None:
    """Start a run in each folder while the test holds the ledger, and let go only once both
    say they are waiting for it: the runs are then under way at the same moment, whatever
    the machine's speed, and race for the ledger as two volunteers would."""
    given = ledger.url or str(ledger.path)
    logs = [tmp / f"{folder.name}.stderr" for folder in folders]
    processes = []
    with ledger_held(ledger):
        try:
            for folder, log in zip(folders, logs, strict=True):
                with log.open("w") as err:
                    processes.append(
                        subprocess.Popen(
                            [sys.executable, "-m", "merge", "run", "--no-pdf", "--ledger", given],
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
    for process, log in zip(processes, logs, strict=True):
        out, _ = process.communicate(timeout=180)
        err = log.read_text()
        assert process.returncode == 0, err
        assert "Traceback" not in out + err


def test_two_runs_at_once_never_list_a_signer_twice(
    project: Path, tmp_path: Path, ledger_at: LedgerLocation
) -> None:
    # Overlapping inputs: signers 1-600 and 301-900, in two working folders (two local
    # groups, on two machines for a server's ledger) on one ledger.
    created = open_ledger(ledger_at)
    assert created is not None
    created.close()
    folders = []
    for name, start in (("gruppe-a", 1), ("gruppe-b", 301)):
        folder = project / name
        (folder / "inputs").mkdir(parents=True)
        write_csv(folder / "inputs" / "liste.csv", [HEADER, *signer_rows(600, start=start)])
        folders.append(folder)
    for _ in range(3):
        run_both_at_once(folders, ledger_at, tmp_path)
    twice = ledger_sql(ledger_at, "SELECT key FROM signers GROUP BY key HAVING COUNT(*) > 1")
    [(total,)] = ledger_sql(ledger_at, "SELECT COUNT(DISTINCT key) FROM signers")
    groups = ledger_sql(ledger_at, "SELECT group_name FROM batches ORDER BY group_name")
    assert twice == []
    assert total == 900  # everyone printed once, by one of the two runs
    assert groups == [("gruppe-a",), ("gruppe-b",)]  # the later rounds found nothing new
