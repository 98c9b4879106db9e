"""purge: personal files of mailed batches deleted; the ledger keeps keys and counts."""

import sqlite3
from pathlib import Path

from conftest import invoke, manifests, status_json


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
