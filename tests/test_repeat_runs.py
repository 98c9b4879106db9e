"""Runs one after another on one ledger: nobody printed twice, and nothing else changed.

The tracking commands have their own files in tests/track/.
"""

import json
import shutil
from pathlib import Path

import pytest
from conftest import HEADER, assert_adds_up, invoke, manifests, signer_rows, write_csv

from merge.render import petitions


def test_same_input_twice_prints_nothing_new(project: Path, signers_csv: Path) -> None:
    assert invoke("run", "--no-pdf").exit_code == 0
    second = invoke("run", "--no-pdf")
    assert second.exit_code == 0, second.output
    assert (
        "Nothing new for campaign xuar: all 23 signers are already on earlier lists (batches:"
        in second.output
    )
    assert len(manifests(project)) == 1


def test_appended_rows_print_only_the_new_signers(project: Path, signers_csv: Path) -> None:
    assert invoke("run", "--no-pdf").exit_code == 0
    write_csv(signers_csv, [HEADER, *signer_rows(23), *signer_rows(7, start=24)])
    assert invoke("run", "--no-pdf").exit_code == 0
    first, second = manifests(project)
    assert second["counts"]["signers"] == 7 and second["counts"]["previously_listed"] == 23
    assert [o for page in second["lists"] for o in page["origins"]] == [
        f"inputs/liste.csv:liste:{row}" for row in range(25, 32)
    ]
    assert {p["batch"] for p in second["previously_listed"]} == {first["batch"]}
    for manifest in (first, second):
        assert_adds_up(manifest)


def test_ledger_and_outputs_hold_no_name_or_address_outside_name_files(
    project: Path, signers_csv: Path
) -> None:
    assert invoke("run", "--no-pdf").exit_code == 0
    ledger = (project / "outputs" / "ledger.sqlite").read_bytes()
    manifest = manifests(project)[0]
    for private in (b"Testperson-1", b"Erika", b"Beispielweg", b"Musterstadt"):
        assert private not in ledger
        assert private.decode() not in json.dumps(manifest)


def test_a_failure_inside_the_run_leaves_the_ledger_unchanged(
    project: Path, signers_csv: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert invoke("run", "--no-pdf").exit_code == 0
    ledger = project / "outputs" / "ledger.sqlite"
    before = ledger.read_bytes()
    write_csv(signers_csv, [HEADER, *signer_rows(30)])

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(petitions, "render_petitions", broken)
    result = invoke("run", "--no-pdf")
    assert result.exit_code == 1 and "internal error" in result.stderr
    assert ledger.read_bytes() == before
    assert len(manifests(project)) == 1
    assert not [p for p in (project / "outputs").iterdir() if p.name.startswith(".")]


def test_dry_run_shows_who_would_be_left_out_and_writes_nothing(
    project: Path, signers_csv: Path
) -> None:
    assert invoke("run", "--no-pdf").exit_code == 0
    before = sorted((project / "outputs").iterdir())
    result = invoke("run", "--dry-run")
    assert "already on lists of campaign xuar in earlier batches" in result.output
    assert sorted((project / "outputs").iterdir()) == before
    shutil.rmtree(project / "outputs")
    assert invoke("run", "--dry-run").exit_code == 0
    assert not (project / "outputs").exists()
