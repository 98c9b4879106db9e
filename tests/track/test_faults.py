"""Faults under the ledger: a full disk, a read-only or a locked ledger.

Each ends in one line naming the ledger and the real cause, exit 7, with the ledger and
the batch folders still agreeing: a batch that could not be recorded leaves no folder.
"""

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from conftest import HEADER, invoke, signer_rows, write_csv

from merge.track import sqlite as ledger_sqlite

FULL = "nothing was recorded (database or disk is full) - free some space on that disk"


def ledger_rows(path: Path) -> tuple[int, int, int, int]:
    """Batches, signers, mailed envelopes and history rows in the ledger."""
    with closing(sqlite3.connect(path)) as db:  # closed: a read-only remount needs that
        return tuple(  # type: ignore[return-value]
            db.execute(query).fetchone()[0]
            for query in (
                "SELECT COUNT(*) FROM batches",
                "SELECT COUNT(*) FROM signers",
                "SELECT COUNT(*) FROM envelopes WHERE state = 'mailed'",
                "SELECT COUNT(*) FROM mail_history",
            )
        )


def folders(outputs: Path) -> list[str]:
    """Every folder in outputs/, the hidden half-built ones too."""
    return sorted(p.name for p in outputs.iterdir() if p.is_dir())


def one_line(text: str) -> str:
    """Return the one error line (a run may warn before it, about the deadline)."""
    lines = [line for line in text.splitlines() if not line.startswith("warning:")]
    assert len(lines) == 1, lines
    assert "Traceback" not in text and "internal error" not in text
    return lines[0]


def cap_ledgers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let every ledger opened from now on grow by no page: a real SQLITE_FULL on a write."""
    connect = sqlite3.connect

    def capped(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        connection = connect(*args, **kwargs)
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        connection.execute(f"PRAGMA max_page_count = {pages}")
        return connection

    monkeypatch.setattr(ledger_sqlite.sqlite3, "connect", capped)


def first_batch(project: Path, ledger: Path | None = None, per_envelope: str = "5") -> None:
    """Run on 23 signers, then put 500 more into the input (enough to need new pages)."""
    where = ["--ledger", str(ledger)] if ledger else []
    write_csv(project / "inputs" / "liste.csv", [HEADER, *signer_rows(23)])
    result = invoke("run", "--no-pdf", "--per-envelope", per_envelope, *where)
    assert result.exit_code == 0, result.output
    write_csv(project / "inputs" / "liste.csv", [HEADER, *signer_rows(523)])


def test_a_full_disk_under_the_ledger_leaves_no_half_batch(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first_batch(project)
    ledger = project / "outputs" / "ledger.sqlite"
    before, shown = ledger_rows(ledger), folders(project / "outputs")
    with monkeypatch.context() as patch:
        cap_ledgers(patch)
        result = invoke("run", "--no-pdf")
    assert result.exit_code == 7, result.output
    assert one_line(result.stderr) == f"error: {ledger}: {FULL} and run again"
    assert ledger_rows(ledger) == before
    assert folders(project / "outputs") == shown  # no new batch, not even a hidden one
    assert invoke("run", "--no-pdf").exit_code == 0  # with room again, the 500 are printed
    assert ledger_rows(ledger)[1] == 523


def test_a_full_disk_under_mark_mailed_changes_nothing(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first_batch(project, per_envelope="1")
    assert invoke("run", "--no-pdf", "--per-envelope", "1").exit_code == 0  # 100 more envelopes
    ledger = project / "outputs" / "ledger.sqlite"
    before = ledger_rows(ledger)
    batches = folders(project / "outputs")
    with monkeypatch.context() as patch:
        cap_ledgers(patch)
        result = invoke("mark-mailed", *batches)
    assert result.exit_code == 7, result.output
    assert one_line(result.stderr) == f"error: {ledger}: {FULL} and run again"
    assert ledger_rows(ledger) == before


def mount_tmpfs(folder: Path, size: str) -> None:
    """Mount a small tmpfs at ``folder``, or skip the test saying why not."""
    if os.name != "posix" or os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("a real full disk needs root and mount (tmpfs); the PRAGMA tests cover it")
    folder.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip() or done.returncode}")


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Path]:
    """A 512 kB tmpfs, unmounted afterwards."""
    folder = tmp_path / "disk"
    mount_tmpfs(folder, "512k")
    yield folder
    subprocess.run(["umount", "-l", str(folder)], check=False)


def test_a_really_full_disk_under_the_ledger(project: Path, disk: Path) -> None:
    ledger = disk / "ledger.sqlite"
    first_batch(project, ledger)
    before, shown = ledger_rows(ledger), folders(project / "outputs")
    filler = os.open(disk / "filler", os.O_WRONLY | os.O_CREAT, 0o600)
    try:  # fill the disk to the last block
        while os.write(filler, b"\0" * 4096):
            pass
    except OSError:
        pass
    finally:
        os.close(filler)
    result = invoke("run", "--no-pdf", "--ledger", str(ledger))
    assert result.exit_code == 7, result.output
    line = one_line(result.stderr)
    assert line.startswith(f"error: {ledger}: nothing was recorded (")
    assert "full" in line
    (disk / "filler").unlink()
    assert ledger_rows(ledger) == before
    assert folders(project / "outputs") == shown


def writable_anyway(path: Path) -> bool:
    try:
        with path.open("r+b"):
            return True
    except PermissionError:
        return False


def test_a_read_only_ledger_file_is_named_with_its_cause(project: Path) -> None:
    first_batch(project)
    ledger = project / "outputs" / "ledger.sqlite"
    [batch] = folders(project / "outputs")
    before = ledger_rows(ledger)
    ledger.chmod(0o400)
    try:
        if writable_anyway(ledger):
            pytest.skip("running as root: chmod does not stop root from writing")
        for command in (["mark-mailed", batch], ["run", "--no-pdf"]):
            result = invoke(*command)
            assert result.exit_code == 7, result.output
            line = one_line(result.stderr)
            assert line.startswith(f"error: {ledger}: ")
            assert "readonly" in line and "make the file and its folder writable" in line
        assert invoke("status").exit_code == 0  # reading still works
    finally:
        ledger.chmod(0o600)
    assert ledger_rows(ledger) == before
    assert folders(project / "outputs") == [batch]


def test_a_ledger_on_a_read_only_disk_is_named_with_its_cause(project: Path, disk: Path) -> None:
    ledger = disk / "ledger.sqlite"
    first_batch(project, ledger)
    [batch] = folders(project / "outputs")
    before = ledger_rows(ledger)
    remount = subprocess.run(
        ["mount", "-o", "remount,ro", str(disk)], capture_output=True, text=True, check=False
    )
    if remount.returncode:
        pytest.skip(f"cannot remount the tmpfs read-only here: {remount.stderr.strip()}")
    for command in (["mark-mailed", batch], ["run", "--no-pdf"], ["discard", batch]):
        result = invoke(*command, "--ledger", str(ledger))
        assert result.exit_code == 7, result.output
        line = one_line(result.stderr)
        assert line.startswith(f"error: {ledger}: nothing was recorded (")
        assert "readonly" in line and "writable" in line
    assert invoke("status", "--ledger", str(ledger)).exit_code == 0
    assert ledger_rows(ledger) == before
    assert folders(project / "outputs") == [batch]


def test_a_ledger_locked_by_another_program_is_named(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first_batch(project)
    ledger = project / "outputs" / "ledger.sqlite"
    [batch] = folders(project / "outputs")
    monkeypatch.setattr(ledger_sqlite, "WAIT_SECONDS", 1)
    holder = sqlite3.connect(ledger, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # a database browser writing to it, say
    try:
        result = invoke("mark-mailed", batch)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.exit_code == 7, result.output
    assert one_line(result.stderr) == (
        f"error: {ledger}: the ledger cannot be used (database is locked) - another program "
        "holds the ledger - close it and run again"
    )
    assert ledger_rows(ledger)[2] == 0
