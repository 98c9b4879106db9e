"""The batch folder is built hidden and renamed into place; what a stopped run left behind is
finished or cleared. (Runs killed at any moment: tests/batch/test_atomic.py.)"""

import os
import stat
import time
from pathlib import Path

import pytest
from conftest import batch_record, record_batches

from merge.batch.staging import (
    finish_renames,
    make_staging,
    remove_stale_staging,
    rename_into_place,
)
from merge.errors import OutputError
from merge.track.ledger import open_ledger


def test_staging_is_a_hidden_private_folder_beside_the_batch_naming_its_process(
    tmp_path: Path,
) -> None:
    target = tmp_path / "outputs" / "2026-11-27-1"
    staging = make_staging(target)
    assert staging.parent == target.parent and staging.is_dir()
    assert staging.name.startswith(f".2026-11-27-1.pid{os.getpid()}.")
    assert staging.name.endswith(".partial")
    assert stat.S_IMODE(staging.stat().st_mode) == 0o700
    assert not target.exists()
    assert make_staging(target) != staging  # a second run gets its own


def test_staging_that_cannot_be_made_is_an_output_error(tmp_path: Path) -> None:
    (tmp_path / "outputs").write_text("a file where the folder should be")
    with pytest.raises(OutputError) as info:
        make_staging(tmp_path / "outputs" / "2026-11-27-1")
    assert str(info.value).startswith(f"{tmp_path / 'outputs'}: cannot create the batch folder (")


def test_rename_into_place_moves_the_whole_folder(tmp_path: Path) -> None:
    staging = make_staging(tmp_path / "b")
    (staging / "manifest.json").write_text("{}")
    rename_into_place(staging, tmp_path / "b")
    assert [p.name for p in tmp_path.iterdir()] == ["b"]
    assert (tmp_path / "b" / "manifest.json").read_text() == "{}"


def test_a_failed_rename_says_where_the_batch_waits(tmp_path: Path) -> None:
    staging = make_staging(tmp_path / "b")
    (staging / "manifest.json").write_text("{}")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "other").write_text("someone else's")  # a folder rename cannot replace
    with pytest.raises(OutputError) as info:
        rename_into_place(staging, tmp_path / "b")
    message = str(info.value)
    assert message.startswith(f"{tmp_path / 'b'}: the batch is recorded but could not be moved")
    assert message.endswith(f"it waits in {staging.name}; the next run or status retries")
    assert (staging / "manifest.json").exists()


def test_finish_renames_completes_recorded_batches_and_returns_those_still_waiting(
    tmp_path: Path,
) -> None:
    path = tmp_path / "ledger.sqlite"
    movable = batch_record("b-1", tmp_path, 5, [1], keys="b-1")
    # b-2's outputs folder has gone (a disconnected drive): its staging cannot be moved yet.
    stuck = batch_record("b-2", tmp_path, 5, [1], keys="b-2")._replace(
        folder=tmp_path / "gone" / "b-2"
    )
    for record in (movable, stuck):
        record.staging.mkdir()
    record_batches(path, movable, stuck)
    ledger = open_ledger(path)
    assert ledger is not None
    try:
        with ledger.exclusive():
            waiting = finish_renames(ledger)
    finally:
        ledger.close()
    assert (tmp_path / "b-1").is_dir() and not movable.staging.exists()
    assert waiting == [stuck.staging] and stuck.staging.is_dir()


def test_staging_without_a_process_number_is_removed_only_after_a_day(tmp_path: Path) -> None:
    old = tmp_path / ".2026-11-20-1.abc.partial"
    new = tmp_path / ".2026-11-27-1.def.partial"
    other = tmp_path / ".config"
    for folder in (old, new, other):
        folder.mkdir()
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(old, (two_days_ago, two_days_ago))
    remove_stale_staging(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".2026-11-27-1.def.partial", ".config"]


def test_staging_gone_while_it_is_looked_at_is_passed_over(tmp_path: Path) -> None:
    # Another run renamed it between the listing and the look at its age; a dangling link
    # of that name gives the same answer to stat (FileNotFoundError) without a race.
    (tmp_path / ".2026-11-27-2.ghi.partial").symlink_to(tmp_path / "renamed-away")
    old = tmp_path / ".2026-11-20-1.abc.partial"
    old.mkdir()
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(old, (two_days_ago, two_days_ago))
    remove_stale_staging(tmp_path)  # no traceback, and the stale one still goes
    assert [p.name for p in tmp_path.iterdir()] == [".2026-11-27-2.ghi.partial"]
