"""purge: personal files of mailed batches deleted; the ledger keeps keys and counts."""

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import (
    HEADER,
    batch_record,
    invoke,
    ledger_sql,
    manifests,
    record_batches,
    signer_rows,
    status_json,
    write_csv,
)

from merge.cli import cli
from merge.errors import LedgerError
from merge.track.discard import discard
from merge.track.mark_mailed import mark_mailed
from merge.track.purge import purge, purgeable
from merge.track.status import status
from merge.track.where import LedgerLocation

TODAY = dt.date(2026, 12, 31)  # the day the tracking commands run


def test_purge_deletes_personal_files_of_mailed_batches_only(
    project: Path, signers_csv: Path
) -> None:
    assert invoke("run", "--no-pdf", "--names").exit_code == 0
    batch = manifests(project)[0]["batch"]
    folder = project / "outputs" / batch
    refused = invoke("purge", batch, "--yes")
    assert refused.exit_code == 7 and "not yet mailed" in refused.stderr
    assert invoke("mark-mailed", batch).exit_code == 0
    result = invoke("purge", "--yes")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in folder.iterdir()) == [
        "envelopes.docx",
        "labels.docx",
        "manifest.json",
        "post-office.docx",
    ]
    with sqlite3.connect(project / "outputs" / "ledger.sqlite") as db:
        assert db.execute("SELECT COUNT(*) FROM signers WHERE origin IS NOT NULL").fetchone() == (
            0,
        )
    # The keys stay: the same signers are still not printed again.
    assert "Nothing new" in invoke("run", "--no-pdf").output
    assert status_json()["batches"][0]["signers"]["mailed"] == 23


def test_purgeable_refuses_a_batch_with_envelopes_still_to_mail(
    ledger_at: LedgerLocation, tmp_path: Path
) -> None:
    path = ledger_at
    record_batches(path, batch_record("b", tmp_path, 10, [1, 2]))
    mark_mailed(path, ["b:1"], None, dt.date(2026, 11, 28), None, today=TODAY)
    with pytest.raises(LedgerError) as info:
        purgeable(path, "b")
    assert str(info.value) == (
        "batch b has 1 envelope not yet mailed - mark it mailed (or discard it) before "
        "deleting its personal data"
    )
    assert purgeable(path, None) == []  # nor is it chosen without a name


def test_purge_deletes_the_name_files_only_and_once(
    ledger_at: LedgerLocation, tmp_path: Path
) -> None:
    path = ledger_at
    mailed, discarded, pending = (
        batch_record(n, tmp_path, 5, [1], keys=n) for n in ("m", "d", "p")
    )
    for record in (mailed, discarded, pending):
        record.folder.mkdir()
        for name in ("petition-lists.docx", "dispatch-checklist.xlsx", "labels.docx"):
            (record.folder / name).write_text("x")
    record_batches(path, mailed, discarded, pending)
    mark_mailed(path, ["m"], None, dt.date(2026, 11, 28), None, today=TODAY)
    discard(path, "d", TODAY)
    chosen = purgeable(path, None)
    assert [b.name for b in chosen] == ["d", "m"]
    removed = purge(path, chosen, dt.date(2027, 1, 15))
    assert sorted(p.relative_to(tmp_path).as_posix() for p in removed) == [
        "d/dispatch-checklist.xlsx",
        "d/petition-lists.docx",
        "m/dispatch-checklist.xlsx",
        "m/petition-lists.docx",
    ]
    assert sorted(p.name for p in mailed.folder.iterdir()) == ["labels.docx"]
    assert len(list(pending.folder.iterdir())) == 3
    assert purgeable(path, None) == []  # purged once
    assert purgeable(path, "m") == []
    [summary] = [s.batch for s in status(path, dt.date(2027, 1, 15)) if s.batch.name == "m"]
    assert summary.purged_on == dt.date(2027, 1, 15)


def mailed_batch(project: Path) -> Path:
    """Run on three signers and mark the batch mailed; return its folder."""
    write_csv(project / "inputs" / "a.csv", [HEADER, *signer_rows(3)])
    assert invoke("run", "--no-pdf").exit_code == 0
    [batch] = [p for p in (project / "outputs").iterdir() if p.is_dir()]
    assert invoke("mark-mailed", batch.name).exit_code == 0
    return batch


@pytest.mark.parametrize("answer", ["n", "nein", "No", ""])
def test_declining_purge_deletes_nothing_and_exits_0(project: Path, answer: str) -> None:
    batch = mailed_batch(project)
    before = sorted(p.name for p in batch.iterdir())
    result = CliRunner().invoke(cli, ["purge"], input=f"{answer}\n")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "Nothing deleted."
    assert "Aborted" not in result.output and "Traceback" not in result.output
    assert sorted(p.name for p in batch.iterdir()) == before


@pytest.mark.parametrize("answer", ["j", "JA", "y", "Yes"])
def test_purge_takes_a_german_or_english_yes(project: Path, answer: str) -> None:
    batch = mailed_batch(project)
    result = CliRunner().invoke(cli, ["purge"], input=f"vielleicht\n{answer}\n")
    assert result.exit_code == 0, result.output
    assert "Please answer y (yes) or n (no)." in result.stderr  # asked again, not refused
    assert f"Purged {batch.name}: removed 2 files." in result.stdout
    assert not (batch / "petition-lists.docx").exists()


def test_purge_forgets_who_mailed_also_in_the_history(
    ledger_at: LedgerLocation, tmp_path: Path
) -> None:
    path = ledger_at
    record_batches(path, batch_record("b", tmp_path, 5, [1]))
    mark_mailed(path, ["b"], None, dt.date(2026, 11, 28), "Anna", today=TODAY)
    purge(path, purgeable(path, "b"), TODAY)
    people = ledger_sql(path, "SELECT old_mailed_by, new_mailed_by FROM mail_history")
    assert people == [(None, None)]
