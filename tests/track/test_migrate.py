"""ledger migrate: a group's SQLite ledger into the shared one, twice without doubling."""

import json
import shutil
from pathlib import Path

import pytest
from conftest import HEADER, ROOT, invoke, ledger_sql, signer_rows, write_csv

from merge.track.machine import this_machine
from merge.track.where import LedgerLocation

pytestmark = pytest.mark.postgres

_ROWS = "SELECT batch, list, slot, key, origin, claimed_in FROM signers ORDER BY 1, 2, 3"
_ENVELOPES = "SELECT batch, number, state, mailed_on, mailed_by FROM envelopes ORDER BY 1, 2"


def group_folder(root: Path, name: str, signers: list[list[str]]) -> Path:
    folder = root / name
    shutil.copytree(ROOT / "templates", folder / "templates")
    (folder / "inputs").mkdir()
    write_csv(folder / "inputs" / "liste.csv", [HEADER, *signers])
    return folder


def test_migrate_copies_a_group_ledger_once_with_its_states(
    postgres_ledger: LedgerLocation, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = postgres_ledger.url
    assert url is not None
    # Gruppe A worked on its own SQLite ledger: 23 signers, envelope 1 mailed.
    a = group_folder(tmp_path, "gruppe-a", signer_rows(23))
    monkeypatch.chdir(a)
    assert invoke("run", "--no-pdf", "--out", "outputs/a-1").exit_code == 0
    assert invoke("mark-mailed", "a-1:1", "--by", "Anna").exit_code == 0
    # Gruppe B already uses the shared ledger, with ten of the same signers.
    b = group_folder(tmp_path, "gruppe-b", signer_rows(10))
    monkeypatch.chdir(b)
    assert invoke("run", "--no-pdf", "--out", "outputs/b-1", "--ledger", url).exit_code == 0

    monkeypatch.chdir(a)
    first = invoke("ledger", "migrate", "outputs/ledger.sqlite", url)
    assert first.exit_code == 0, first.output
    assert first.stdout.splitlines() == [
        "  a-1: copied, 23 signers (10 of them on other lists already)"
    ]
    rows, envelopes = ledger_sql(postgres_ledger, _ROWS), ledger_sql(postgres_ledger, _ENVELOPES)
    assert ("a-1", 1, "mailed") in [e[:3] for e in envelopes]
    # Made on this computer (the id recorded in the group's ledger), or, recorded before
    # computers were, taken as this one's: migrate runs where the folders are.
    machines = ledger_sql(postgres_ledger, "SELECT DISTINCT machine FROM batches")
    assert machines == [(this_machine(),)]
    again = invoke("ledger", "migrate", "outputs/ledger.sqlite", url)
    assert again.exit_code == 0 and again.stdout.splitlines() == ["  a-1: there already, unchanged"]
    assert ledger_sql(postgres_ledger, _ROWS) == rows
    assert ledger_sql(postgres_ledger, _ENVELOPES) == envelopes

    # Nobody twice: every key once among the claims, and a new run of A finds nothing new.
    claims = "SELECT key FROM signers WHERE claimed_in IS NOT NULL GROUP BY key HAVING COUNT(*) > 1"
    assert ledger_sql(postgres_ledger, claims) == []
    assert "Nothing new" in invoke("run", "--no-pdf", "--ledger", url).output
    data = json.loads(invoke("status", "--json", "--ledger", url).stdout)
    assert [(x["batch"], x["group"]) for x in data["batches"]] == [
        ("a-1", "gruppe-a"),
        ("b-1", "gruppe-b"),
    ]


def test_migrate_refuses_a_batch_name_the_shared_ledger_has_with_other_content(
    postgres_ledger: LedgerLocation, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = postgres_ledger.url
    assert url is not None
    a = group_folder(tmp_path, "gruppe-a", signer_rows(7))
    monkeypatch.chdir(a)
    assert invoke("run", "--no-pdf", "--out", "outputs/x-1").exit_code == 0
    b = group_folder(tmp_path, "gruppe-b", signer_rows(5, start=100))
    monkeypatch.chdir(b)
    assert invoke("run", "--no-pdf", "--out", "outputs/x-1", "--ledger", url).exit_code == 0
    before = ledger_sql(postgres_ledger, _ROWS)
    monkeypatch.chdir(a)
    result = invoke("ledger", "migrate", "outputs/ledger.sqlite", url)
    assert result.exit_code == 7
    assert result.stderr.strip() == (
        f"error: {postgres_ledger}: batch x-1 is there already with other content (another "
        "group's batch of that name?) - nothing was copied; rename the folder and the batch in "
        f"{a / 'outputs' / 'ledger.sqlite'}, or leave it out"
    )
    assert ledger_sql(postgres_ledger, _ROWS) == before


def test_migrate_needs_a_ledger_to_copy(postgres_ledger: LedgerLocation, project: Path) -> None:
    assert postgres_ledger.url is not None
    result = invoke("ledger", "migrate", "outputs/ledger.sqlite", postgres_ledger.url)
    assert result.exit_code == 7
    assert "no ledger there - give the group's ledger as FROM" in result.stderr
