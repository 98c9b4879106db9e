"""ledger migrate: a group's SQLite ledger into the shared one, twice without doubling."""

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from conftest import HEADER, ROOT, invoke, ledger_sql, signer_rows, write_csv
from openpyxl import load_workbook

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
        "group's batch of that name?) - nothing was copied; run again with --rename to copy it "
        "as x-1-GROUP"
    )
    assert ledger_sql(postgres_ledger, _ROWS) == before


def test_migrate_needs_a_ledger_to_copy(postgres_ledger: LedgerLocation, project: Path) -> None:
    assert postgres_ledger.url is not None
    result = invoke("ledger", "migrate", "outputs/ledger.sqlite", postgres_ledger.url)
    assert result.exit_code == 7
    assert "no ledger there - give the group's ledger as FROM" in result.stderr


def test_migrate_rename_copies_a_clashing_batch_under_a_new_name_once(
    postgres_ledger: LedgerLocation, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = postgres_ledger.url
    assert url is not None
    # Both groups numbered their first batch of the day alike; gruppe-a's has 7 signers, one
    # of them mailed, gruppe-b's (already on the shared ledger) 5 others.
    a = group_folder(tmp_path, "gruppe-a", signer_rows(7))
    monkeypatch.chdir(a)
    assert invoke("run", "--no-pdf", "--out", "outputs/x-1").exit_code == 0
    assert invoke("run", "--no-pdf", "--out", "outputs/x-2", "--reprint").exit_code == 0
    assert invoke("mark-mailed", "x-1:1", "--by", "Anna").exit_code == 0
    b = group_folder(tmp_path, "gruppe-b", signer_rows(5, start=100))
    monkeypatch.chdir(b)
    assert invoke("run", "--no-pdf", "--out", "outputs/x-1", "--ledger", url).exit_code == 0
    theirs = ledger_sql(postgres_ledger, _ROWS)

    monkeypatch.chdir(a)
    first = invoke("ledger", "migrate", "outputs/ledger.sqlite", url, "--rename")
    assert first.exit_code == 0, first.output
    assert first.stdout.splitlines() == [
        "  x-1: copied, 7 signers, as x-1-gruppe-a (x-1 there is another group's) - the printed "
        "lists and the checklist still say x-1: use x-1-gruppe-a with mark-mailed and discard",
        "  x-2: copied, 7 signers (7 of them on other lists already)",
    ]
    rows, envelopes = ledger_sql(postgres_ledger, _ROWS), ledger_sql(postgres_ledger, _ENVELOPES)
    assert [r for r in rows if r[0] == "x-1"] == theirs  # gruppe-b's batch untouched
    assert ("x-1-gruppe-a", 1, "mailed", dt.date.today(), "Anna") in envelopes
    assert len([r for r in rows if r[0] == "x-1-gruppe-a"]) == 7
    again = invoke("ledger", "migrate", "outputs/ledger.sqlite", url, "--rename")
    assert again.exit_code == 0, again.output
    assert again.stdout.splitlines() == [
        "  x-1: there already as x-1-gruppe-a, unchanged",
        "  x-2: there already, unchanged",
    ]
    assert ledger_sql(postgres_ledger, _ROWS) == rows
    assert ledger_sql(postgres_ledger, _ENVELOPES) == envelopes
    # The renamed batch is the group's under its new name, and its checklist (which says
    # x-1) is read as its own in its folder, not as gruppe-b's x-1.
    today = dt.date.today().isoformat()
    mailed = invoke("mark-mailed", "x-1-gruppe-a:1", "--by", "Anna", "--ledger", url)
    assert mailed.stdout == f"  x-1-gruppe-a:1: unchanged: mailed on {today}\n"
    checklist = a / "outputs" / "x-1" / "dispatch-checklist.xlsx"
    workbook = load_workbook(checklist)
    workbook["Envelopes"]["G2"] = "x"
    workbook.save(checklist)
    ticked = invoke("mark-mailed", "--checklist", str(checklist), "--by", "Anna", "--ledger", url)
    assert ticked.stdout == f"  x-1-gruppe-a:1: unchanged: mailed on {today}\n", ticked.output
    data = json.loads(invoke("status", "--json", "--ledger", url).stdout)
    assert [(x["batch"], x["group"]) for x in data["batches"]] == [
        ("x-1", "gruppe-b"),
        ("x-1-gruppe-a", "gruppe-a"),
        ("x-2", "gruppe-a"),
    ]


def test_a_new_name_is_one_a_command_line_takes() -> None:
    from merge.track.migrate import _new_names

    names = _new_names("2026-12-02-1", "Ortsgruppe Köln (Süd)")
    assert [next(names), next(names)] == [
        "2026-12-02-1-Ortsgruppe-Köln-Süd",
        "2026-12-02-1-Ortsgruppe-Köln-Süd-2",
    ]
    assert next(_new_names("b", "???")) == "b-migrated"
    assert len(next(_new_names("b" * 99, "g"))) <= 100


def test_migrate_rename_in_german(
    postgres_ledger: LedgerLocation, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = postgres_ledger.url
    assert url is not None
    a = group_folder(tmp_path, "gruppe-a", signer_rows(3))
    monkeypatch.chdir(a)
    assert invoke("run", "--no-pdf", "--out", "outputs/x-1").exit_code == 0
    b = group_folder(tmp_path, "gruppe-b", signer_rows(2, start=100))
    monkeypatch.chdir(b)
    assert invoke("run", "--no-pdf", "--out", "outputs/x-1", "--ledger", url).exit_code == 0
    monkeypatch.chdir(a)
    monkeypatch.setenv("PETITION_MERGE_LANG", "de")
    refused = invoke("ledger", "migrate", "outputs/ledger.sqlite", url)
    assert refused.stderr.strip().endswith(
        "nichts wurde kopiert; führen Sie es mit --rename noch einmal aus, um ihn als "
        "x-1-GRUPPE zu kopieren"
    )
    first = invoke("ledger", "migrate", "outputs/ledger.sqlite", url, "--rename")
    assert first.stdout.splitlines() == [
        "  x-1: kopiert, 3 Unterzeichnende, als x-1-gruppe-a (x-1 ist dort der Versand einer "
        "anderen Gruppe) - die gedruckten Listen und die Checkliste nennen noch x-1: verwenden "
        "Sie x-1-gruppe-a bei mark-mailed und discard"
    ]
    again = invoke("ledger", "migrate", "outputs/ledger.sqlite", url, "--rename")
    assert again.stdout.splitlines() == ["  x-1: schon da als x-1-gruppe-a, unverändert"]
