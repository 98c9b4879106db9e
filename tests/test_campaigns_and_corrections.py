"""Nobody lost, nobody twice: campaigns kept apart, corrections held back, folders gone.

Each situation as a volunteer meets it: real files, the real CLI, a real ledger.
"""

import shutil
import sqlite3
from pathlib import Path

from conftest import (
    FIXTURES,
    HEADER,
    ROOT,
    assert_adds_up,
    invoke,
    manifests,
    signer_rows,
    write_csv,
)

from merge.track.schema import SCHEMA_VERSION


def second_campaign(project: Path, name: str = "uiguren-bundestag", extra: str = "") -> None:
    """A second campaign file in the folder: the shipped letter under another name."""
    text = (ROOT / "templates" / "xuar.toml").read_text(encoding="utf-8")
    (project / "templates" / f"{name}.toml").write_text(extra + text, encoding="utf-8")


def manifest_of(project: Path, batch: str) -> dict[str, object]:
    return next(m for m in manifests(project) if m["batch"] == batch)


def printed_origins(manifest: dict[str, object]) -> list[str]:
    return [o for page in manifest["lists"] for o in page["origins"]]  # type: ignore[attr-defined,index]


# --- campaigns ------------------------------------------------------------------------------


def test_each_campaign_prints_every_signer_once(project: Path, signers_csv: Path) -> None:
    second_campaign(project)
    assert invoke("run", "--no-pdf", "--campaign", "xuar").exit_code == 0
    other = invoke("run", "--no-pdf", "--campaign", "uiguren-bundestag")
    assert other.exit_code == 0, other.output
    again = invoke("run", "--no-pdf", "--campaign", "uiguren-bundestag")
    assert "Nothing new for campaign uiguren-bundestag: all 23 signers" in again.output
    first, second = manifests(project)
    assert (first["campaign"], second["campaign"]) == ("xuar", "uiguren-bundestag")
    assert printed_origins(first) == printed_origins(second)  # everyone, once per campaign
    assert second["counts"]["previously_listed"] == 0
    for manifest in (first, second):
        assert_adds_up(manifest)


def test_the_campaign_id_survives_renaming_the_file(project: Path, signers_csv: Path) -> None:
    (project / "templates" / "xuar.toml").unlink()
    second_campaign(project, "brief-2026", extra='id = "china-brief"\n')
    assert invoke("run", "--no-pdf").exit_code == 0
    (project / "templates" / "brief-2026.toml").rename(project / "templates" / "brief.toml")
    again = invoke("run", "--no-pdf")
    assert "Nothing new for campaign china-brief" in again.output
    ledger = sqlite3.connect(project / "outputs" / "ledger.sqlite")
    assert ledger.execute("SELECT campaign FROM batches").fetchall() == [("china-brief",)]


def test_the_folders_one_campaign_is_the_default(project: Path, signers_csv: Path) -> None:
    (project / "templates" / "xuar.toml").unlink()
    second_campaign(project, "eigene")
    assert invoke("run", "--no-pdf").exit_code == 0
    assert manifests(project)[0]["campaign"] == "eigene"


def test_several_campaigns_and_no_choice_stop_with_one_line(
    project: Path, signers_csv: Path
) -> None:
    second_campaign(project)
    result = invoke("run", "--no-pdf")
    assert result.exit_code == 5
    assert result.output.strip().splitlines()[-1] == (
        f"error: {project / 'templates'}: holds 2 campaigns (uiguren-bundestag, xuar) - choose "
        "one with --campaign NAME"
    )
    assert not (project / "outputs").exists()


# --- corrections ----------------------------------------------------------------------------


def corrected(rows: list[list[object]], row: int, street: str) -> list[list[object]]:
    changed = [list(r) for r in rows]
    changed[row][2] = street
    return changed


def test_a_corrected_house_number_after_mailing_is_held_not_printed(
    project: Path, signers_csv: Path
) -> None:
    rows = signer_rows(23)
    assert invoke("run", "--no-pdf", "--out", "outputs/b1").exit_code == 0
    assert invoke("mark-mailed", "b1:1").exit_code == 0  # today
    write_csv(signers_csv, [HEADER, *corrected(rows, 2, "Beispielweg 3a")])
    again = invoke("run", "--no-pdf")
    assert again.exit_code == 0, again.output
    assert (
        "Nothing new for campaign xuar: all 23 signers are already on earlier lists (batches: b1), "
        "1 of them with details changed since (held back, see above)"
    ) in again.output
    assert "inputs/liste.csv:liste:4: changed since batch b1 (same name, another address)" in (
        again.output
    )
    assert "--print-changed" in again.output
    printed = invoke("run", "--no-pdf", "--print-changed", "--out", "outputs/b2")
    assert printed.exit_code == 0, printed.output
    second = manifest_of(project, "b2")
    assert printed_origins(second) == ["inputs/liste.csv:liste:4"]


def test_a_correction_is_held_also_after_rows_were_inserted_above(
    project: Path, signers_csv: Path
) -> None:
    rows = signer_rows(23)
    assert invoke("run", "--no-pdf", "--out", "outputs/b1").exit_code == 0
    inserted = signer_rows(10, start=100)
    write_csv(signers_csv, [HEADER, *inserted, *corrected(rows, 2, "Beispielweg 3a")])
    assert invoke("run", "--no-pdf", "--out", "outputs/b2").exit_code == 0
    second = manifest_of(project, "b2")
    assert printed_origins(second) == [f"inputs/liste.csv:liste:{n}" for n in range(2, 12)]
    assert second["held"] == [
        {
            "origin": "inputs/liste.csv:liste:14",
            "batch": "b1",
            "change": "same name, another address",
            "code": "changed-since-batch",
            "reason": "changed since batch b1 (same name, another address)",
        }
    ]
    assert second["counts"]["previously_listed"] == 22 and second["counts"]["held"] == 1
    assert_adds_up(second)


def test_ten_rows_inserted_at_the_top_are_the_only_ones_printed(
    project: Path, signers_csv: Path
) -> None:
    assert invoke("run", "--no-pdf", "--out", "outputs/b1").exit_code == 0
    write_csv(signers_csv, [HEADER, *signer_rows(10, start=100), *signer_rows(23)])
    assert invoke("run", "--no-pdf", "--out", "outputs/b2").exit_code == 0
    second = manifest_of(project, "b2")
    assert printed_origins(second) == [f"inputs/liste.csv:liste:{n}" for n in range(2, 12)]
    assert second["held"] == [] and second["counts"]["previously_listed"] == 23


def test_a_spelling_corrected_at_the_same_address_is_held(project: Path) -> None:
    path = project / "inputs" / "liste.csv"
    write_csv(path, [HEADER, ["Meier", "Erika", "Lindenweg 3", "12345", "Musterstadt"]])
    assert invoke("run", "--no-pdf", "--out", "outputs/b1").exit_code == 0
    write_csv(
        path,
        [
            HEADER,
            ["Meyer", "Erika", "Lindenweg 3", "12345", "Musterstadt"],  # the same person
            ["Meier", "Max", "Lindenweg 3", "12345", "Musterstadt"],  # another one there
        ],
    )
    assert invoke("run", "--no-pdf", "--out", "outputs/b2").exit_code == 0
    second = manifest_of(project, "b2")
    assert printed_origins(second) == ["inputs/liste.csv:liste:3"]
    assert second["held"] == [
        {
            "origin": "inputs/liste.csv:liste:2",
            "batch": "b1",
            "change": "same address, the name spelled differently",
            "code": "changed-since-batch",
            "reason": "changed since batch b1 (same address, the name spelled differently)",
        }
    ]


def test_a_household_whose_given_names_sound_alike_is_two_people(project: Path) -> None:
    path = project / "inputs" / "liste.csv"
    first = [
        ["Schmidt", given, "Lindenweg 3", "12345", "Musterstadt"] for given in ("Peter", "Maria")
    ]
    write_csv(path, [HEADER, *first])
    assert invoke("run", "--no-pdf", "--out", "outputs/b1").exit_code == 0
    partners = [
        ["Schmidt", given, "Lindenweg 3", "12345", "Musterstadt"] for given in ("Petra", "Mario")
    ]
    write_csv(path, [HEADER, *partners])
    assert invoke("run", "--no-pdf", "--out", "outputs/b2").exit_code == 0
    second = manifest_of(project, "b2")
    assert printed_origins(second) == ["inputs/liste.csv:liste:2", "inputs/liste.csv:liste:3"]
    assert second["held"] == []


# --- missing folders, old ledgers, dry runs -------------------------------------------------


def test_a_deleted_batch_folder_is_named_and_nothing_released(
    project: Path, signers_csv: Path
) -> None:
    assert invoke("run", "--no-pdf", "--out", "outputs/b1").exit_code == 0
    shutil.rmtree(project / "outputs" / "b1")
    again = invoke("run", "--no-pdf")
    assert (
        f"warning: batch b1: its folder {project / 'outputs' / 'b1'} is gone, but its 23 "
        "signers still count as on a list - if its envelopes were not mailed, run "
        "`petition-merge discard b1` to print them again"
    ) in again.output
    assert "Nothing new" in again.output
    assert invoke("discard", "b1").exit_code == 0
    printed = invoke("run", "--no-pdf", "--out", "outputs/b2")
    assert printed.exit_code == 0 and "batch b1: its folder" not in printed.output


def test_a_ledger_of_the_first_release_is_migrated_and_keeps_its_batches(project: Path) -> None:
    """The fixture was made by the release before campaigns were kept apart (version 1):
    batch 2026-11-27-1 (the example of that time, mailed; kept in ledger-v1-inputs/) and
    2026-11-27-2 (12 more, prepared)."""
    (project / "outputs").mkdir()
    ledger = project / "outputs" / "ledger.sqlite"
    shutil.copy(FIXTURES / "ledger-v1.sqlite", ledger)
    shutil.copytree(FIXTURES / "ledger-v1-inputs", project / "inputs", dirs_exist_ok=True)
    shutil.copy(FIXTURES / "ledger-v1-nachtrag.csv", project / "inputs" / "nachtrag.csv")
    result = invoke("run", "--no-pdf")
    assert result.exit_code == 0, result.output
    assert "Nothing new for campaign xuar: all 52 signers" in result.output
    db = sqlite3.connect(ledger)
    version = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    assert version == (str(SCHEMA_VERSION),)  # brought all the way up
    assert db.execute("SELECT name, campaign FROM batches ORDER BY name").fetchall() == [
        ("2026-11-27-1", "xuar"),
        ("2026-11-27-2", "xuar"),
    ]
    assert db.execute("SELECT COUNT(*) FROM signers WHERE name_key IS NULL").fetchone() == (52,)


def test_a_dry_run_of_rows_that_are_all_rejected_lists_every_reason(project: Path) -> None:
    rows = [[f"Testperson-{n}", "Erika", "", "", ""] for n in range(1, 31)]
    write_csv(project / "inputs" / "leer.csv", [HEADER, *rows])
    result = invoke("run", "--dry-run")
    assert result.exit_code == 3
    reasons = [line for line in result.output.splitlines() if "inputs/leer.csv:leer:" in line]
    assert len(reasons) == 30  # every row, not the first 20
    assert all(line.strip().endswith("fill in the address (Anschrift, or Straße, PLZ and Ort)")
               for line in reasons)  # fmt: skip
    assert (
        result.output.strip()
        .splitlines()[-1]
        .startswith("error: inputs/leer.csv: no signers found (30 rows: 0 blank, 30 rejected")
    )
