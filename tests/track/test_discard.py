"""discard: a misprinted or lost batch releases its signers for the next run."""

from pathlib import Path

from conftest import assert_adds_up, invoke, manifests


def test_discard_releases_a_batch_for_the_next_run(project: Path, signers_csv: Path) -> None:
    assert invoke("run", "--no-pdf").exit_code == 0
    [first] = manifests(project)
    result = invoke("discard", first["batch"])
    assert result.exit_code == 0 and "discarded" in result.output
    assert invoke("run", "--no-pdf").exit_code == 0
    second = manifests(project)[1]
    assert second["counts"]["signers"] == 23
    assert_adds_up(second)
