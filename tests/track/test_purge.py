"""purge: personal files of mailed batches deleted; the ledger keeps keys and counts."""

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from conftest import batch_record, invoke, manifests, record_batches, status_json

from merge.errors import LedgerError
from merge.track.discard import discard
from merge.track.mark_mailed import mark_mailed
from merge.track.purge import purge, purgeable
from merge.track.status import status


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


def test_purgeable_refuses_a_batch_with_envelopes_still_to_mail(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite"
    record_batches(path, batch_record("b", tmp_path, 10, [1, 2]))
    mark_mailed(path, ["b:1"], None, dt.date(2026, 11, 28), None)
    with pytest.raises(LedgerError) as info:
        purgeable(path, "b")
    assert str(info.value) == (
        "batch b has 1 envelope(s) not yet mailed - mark them mailed (or discard them) before "
        "deleting its personal data"
    )
    assert purgeable(path, None) == []  # nor is it chosen without a name


def test_purge_deletes_the_name_files_only_and_once(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite"
    mailed, discarded, pending = (batch_record(n, tmp_path, 5, [1]) for n in ("m", "d", "p"))
    for record in (mailed, discarded, pending):
        record.folder.mkdir()
        for name in ("petition-lists.docx", "dispatch-checklist.xlsx", "labels.docx"):
            (record.folder / name).write_text("x")
    record_batches(path, mailed, discarded, pending)
    mark_mailed(path, ["m"], None, dt.date(2026, 11, 28), None)
    discard(path, "d")
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
