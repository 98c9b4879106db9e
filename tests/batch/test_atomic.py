"""A run killed at any moment leaves either no batch or a complete one, the ledger agrees
with the disk, and the next run works."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import HEADER, ledger_sql, signer_rows, write_csv
from docx import Document

from merge.track.where import LedgerLocation

SIGNERS = 3000


def start_run(project: Path, ledger: LedgerLocation, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "merge", "run", "--no-pdf", "--ledger", given(ledger), *args],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def given(ledger: LedgerLocation) -> str:
    return ledger.url or str(ledger.path)


def staging_folders(outputs: Path) -> list[Path]:
    return [p for p in outputs.iterdir() if p.name.startswith(".")] if outputs.exists() else []


def batch_folders(outputs: Path) -> set[str]:
    return {p.name for p in outputs.iterdir() if p.is_dir() and not p.name.startswith(".")}


def ledger_batches(ledger: LedgerLocation) -> dict[str, Path]:
    rows = ledger_sql(ledger, "SELECT name, staging FROM batches")
    [(signers,)] = ledger_sql(ledger, "SELECT COUNT(*) FROM signers")
    assert signers == SIGNERS * len(rows)  # a batch is in the ledger whole or not at all
    return {name: Path(staging) for name, staging in rows}


def assert_complete(batch: Path) -> None:
    manifest = json.loads((batch / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["counts"]["signers"] == SIGNERS
    assert sorted(manifest["files"]) == sorted(p.name for p in batch.iterdir())
    tables = Document(str(batch / "petition-lists.docx")).tables
    assert len(tables) == SIGNERS // 5


def assert_ledger_agrees_with_disk(outputs: Path, ledger: LedgerLocation) -> None:
    recorded = ledger_batches(ledger)
    on_disk = batch_folders(outputs)
    for name in on_disk:
        assert name in recorded  # no batch folder the ledger does not know
        assert_complete(outputs / name)
    for name, staging in recorded.items():
        if name not in on_disk:  # killed between commit and rename: waits to be renamed
            assert_complete(staging)


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")
def test_killed_runs_leave_no_partial_batch_and_the_next_run_works(
    project: Path, ledger_at: LedgerLocation
) -> None:
    write_csv(project / "inputs" / "viele.csv", [HEADER, *signer_rows(SIGNERS)])
    started = time.perf_counter()
    assert start_run(project, ledger_at).wait(timeout=120) == 0
    full_run = time.perf_counter() - started

    outputs = project / "outputs"
    killed_while_writing = 0
    for delay in (0.0, 0.02, 0.05, 0.1, 0.2, 0.4, full_run):
        process = start_run(project, ledger_at, "--reprint")
        while process.poll() is None and not staging_folders(outputs):
            time.sleep(0.002)  # kill only once the batch is being written
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        killed_while_writing += bool(staging_folders(outputs))
        assert_ledger_agrees_with_disk(outputs, ledger_at)
    assert killed_while_writing >= 2  # the kills really hit the writing

    assert start_run(project, ledger_at, "--reprint").wait(timeout=120) == 0
    assert not staging_folders(outputs)
    assert batch_folders(outputs) == set(ledger_batches(ledger_at))
    assert_ledger_agrees_with_disk(outputs, ledger_at)


@pytest.mark.postgres
def test_a_server_restart_mid_batch_leaves_no_half_batch_and_the_next_run_works(
    project: Path, postgres_ledger: LedgerLocation, postgres_server: Any
) -> None:
    """The server crashes and comes back (pg_ctl restart -m immediate) while runs write their
    batches: a run then records nothing and says so in one line, or (restarted after its
    commit) finishes; the ledger and the folders agree, and the next run works."""
    if postgres_server.restart_immediately is None:
        pytest.skip("the server PETITION_MERGE_TEST_POSTGRES names is not the tests' to restart")
    write_csv(project / "inputs" / "viele.csv", [HEADER, *signer_rows(SIGNERS)])
    outputs = project / "outputs"
    assert start_run(project, postgres_ledger).wait(timeout=120) == 0
    lost = 0
    for delay in (0.0, 0.05, 0.2, 0.5):
        process = start_run(project, postgres_ledger, "--reprint")
        while process.poll() is None and not staging_folders(outputs):
            time.sleep(0.002)  # restart only once the batch is being written
        time.sleep(delay)
        postgres_server.restart_immediately()
        _out, err = process.communicate(timeout=120)
        message = err.decode()
        assert process.returncode in (0, 7), message
        assert "Traceback" not in message
        if process.returncode == 7:
            lost += 1
            # One line (beside the run's warnings), naming the server masked.
            [line] = [text for text in message.splitlines() if text.startswith("error:")]
            assert line.startswith(f"error: {postgres_ledger}: ")
            assert "the connection to the server was lost" in line
        assert_ledger_agrees_with_disk(outputs, postgres_ledger)
    assert lost >= 1  # the restarts really hit a run's transaction
    assert start_run(project, postgres_ledger, "--reprint").wait(timeout=120) == 0
    assert not staging_folders(outputs)
    assert batch_folders(outputs) == set(ledger_batches(postgres_ledger))


def test_a_live_runs_staging_folder_is_kept(tmp_path: Path) -> None:
    from merge.batch.staging import remove_stale_staging

    alive = tmp_path / f".2026-11-27-1.pid{os.getpid()}.abc.partial"
    dead = tmp_path / ".2026-11-27-2.pid999999999.abc.partial"
    kept = tmp_path / ".2026-11-27-4.pid999999998.abc.partial"
    batch = tmp_path / "2026-11-27-3"
    for folder in (alive, dead, batch, kept):
        folder.mkdir()
    remove_stale_staging(tmp_path, keep=[kept])
    assert alive.exists() and batch.exists() and kept.exists()
    assert not dead.exists() or os.name != "posix"
