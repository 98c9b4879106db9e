"""Which computer made a batch: only this computer's lost folders are warned of, on both back
ends, also when two laptops' groups have the same name."""

import dataclasses
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import (
    HEADER,
    ROOT,
    another_computer,
    batch_record,
    invoke,
    ledger_sql,
    record_batches,
    signer_rows,
    write_csv,
)

from merge.track.machine import ID_FILE, settings_folder, this_machine
from merge.track.status import lost_folders
from merge.track.where import LedgerLocation


def test_the_computers_id_is_random_made_once_and_kept(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    another_computer(monkeypatch, tmp_path / "one")
    first = this_machine()
    assert first is not None and len(first) == 32 and int(first, 16) >= 0
    assert (tmp_path / "one" / "petition-merge" / ID_FILE).read_text().strip() == first
    assert this_machine() == first
    another_computer(monkeypatch, tmp_path / "two")
    assert this_machine() not in (None, first)
    another_computer(monkeypatch, tmp_path / "one")
    assert this_machine() == first  # kept in the file, not made anew


def test_without_a_writable_settings_folder_the_id_is_unknown(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "a-file").write_text("x")
    another_computer(monkeypatch, tmp_path / "a-file")  # a folder cannot be made in a file
    assert settings_folder() == tmp_path / "a-file" / "petition-merge"
    assert this_machine() is None


def test_only_the_lost_folders_of_this_computers_batches_are_warned_of(
    ledger_at: LedgerLocation, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two laptops, both in a folder named Petitionen: the same group name, recorded with
    # each batch. Neither batch's folder is on the laptop that asks.
    def of_petitionen(name: str, keys: str) -> object:
        record = batch_record(name, tmp_path / "elsewhere", 5, [1], keys=keys)
        return record._replace(batch=dataclasses.replace(record.batch, group="Petitionen"))

    another_computer(monkeypatch, tmp_path / "laptop1")
    record_batches(ledger_at, of_petitionen("2026-12-02-1", "a"))  # type: ignore[arg-type]
    another_computer(monkeypatch, tmp_path / "laptop2")
    record_batches(ledger_at, of_petitionen("2026-12-02-2", "b"))  # type: ignore[arg-type]
    group = "Petitionen" if ledger_at.shared else None
    [warning] = lost_folders(ledger_at, group)
    assert warning.startswith("batch 2026-12-02-2: its folder")
    assert "2026-12-02-1" not in warning
    another_computer(monkeypatch, tmp_path / "laptop1")
    [warning] = lost_folders(ledger_at, group)
    assert warning.startswith("batch 2026-12-02-1: its folder")
    machines = ledger_sql(ledger_at, "SELECT COUNT(DISTINCT machine) FROM batches")
    assert machines == [(2,)]


def test_batches_recorded_before_computers_were_are_looked_for_everywhere(
    ledger_at: LedgerLocation, tmp_path: Path
) -> None:
    record_batches(ledger_at, batch_record("old", tmp_path, 5, [1]))
    ledger_sql(ledger_at, "UPDATE batches SET machine = NULL")
    [warning] = lost_folders(ledger_at)
    assert warning.startswith("batch old: its folder")


def _laptop(root: Path, name: str, start: int) -> tuple[Path, dict[str, str]]:
    """A laptop's working folder Petitionen with 7 signers, and its environment."""
    folder = root / name / "Petitionen"
    (folder / "inputs").mkdir(parents=True)
    shutil.copytree(ROOT / "templates", folder / "templates")
    write_csv(folder / "inputs" / "liste.csv", [HEADER, *signer_rows(7, start=start)])
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "PETITION_MERGE_LANG": "de",
        "XDG_CONFIG_HOME": str(root / name / "settings"),
    }
    return folder, env


def _petition_merge(
    folder: Path, env: dict[str, str], *args: str
) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-m", "merge", *args],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    return done


@pytest.mark.postgres
def test_two_laptops_with_the_same_group_name_never_tell_each_other_to_discard(
    postgres_ledger: LedgerLocation, tmp_path: Path
) -> None:
    url = postgres_ledger.url
    assert url is not None
    laptop1, env1 = _laptop(tmp_path, "laptop1", 1)
    laptop2, env2 = _laptop(tmp_path, "laptop2", 101)
    first = _petition_merge(laptop1, env1, "run", "--no-pdf", "--ledger", url)
    note = "Versand für die Gruppe 'Petitionen' (Name des Arbeitsordners; --group ändert ihn)"
    assert first.stderr.count(note) == 1
    _petition_merge(laptop2, env2, "run", "--no-pdf", "--ledger", url)
    # laptop1's folder is not on laptop2 (here: moved away, as if on another disk).
    (tmp_path / "laptop1").rename(tmp_path / "laptop1-away")
    status = _petition_merge(laptop2, env2, "status", "--ledger", url)
    assert "discard" not in status.stderr and "fehlt" not in status.stderr, status.stderr
    data = json.loads(_petition_merge(laptop2, env2, "status", "--json", "--ledger", url).stdout)
    assert [b["group"] for b in data["batches"]] == ["Petitionen", "Petitionen"]
    # laptop1 itself is told of its own lost folder.
    away = tmp_path / "laptop1-away" / "Petitionen"
    env1["XDG_CONFIG_HOME"] = str(tmp_path / "laptop1-away" / "settings")
    own = _petition_merge(away, env1, "status", "--ledger", url)
    assert "petition-merge discard" in own.stderr
    given = _petition_merge(laptop2, env2, "run", "--no-pdf", "--ledger", url, "--group", "b")
    assert "Versand für die Gruppe" not in given.stderr  # named: nothing to say


def test_a_file_ledger_names_no_group(project: Path, signers_csv: Path) -> None:
    result = invoke("run", "--no-pdf")
    assert result.exit_code == 0, result.output
    assert "batch for group" not in result.stderr
