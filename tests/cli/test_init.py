"""petition-merge init: a working folder with the invented example, the campaign to edit and
outputs/, in German; nothing there is ever overwritten, and a run works in it at once."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import ROOT, batch_dirs
from docx import Document
from unmarked import unmarked_words

from merge import i18n
from merge.cli import cli
from merge.cli import init as init_module
from merge.cli.init import EXAMPLE_INPUTS, README

EXAMPLE = [f"inputs/{name}" for name in EXAMPLE_INPUTS]
CAMPAIGN = ["templates/xuar.toml", "templates/petition-list.docx", f"templates/{README}"]


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), prog_name="petition-merge")


@pytest.fixture
def german(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(i18n.ENV_VARIABLE, "de")


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty folder to start in."""
    folder = tmp_path / "start"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


def files_in(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def test_init_makes_the_working_folder_and_says_in_german_what_next(
    here: Path, german: None
) -> None:
    result = invoke("init", "petitionen")
    assert result.exit_code == 0, result.output
    folder = here / "petitionen"
    assert files_in(folder) == sorted([*EXAMPLE, *CAMPAIGN])
    assert (folder / "outputs").is_dir()
    for name in EXAMPLE_INPUTS:
        assert (folder / "inputs" / name).read_bytes() == (ROOT / "inputs" / name).read_bytes()
    for name in ("xuar.toml", "petition-list.docx"):
        shipped = ROOT / "templates" / name
        assert (folder / "templates" / name).read_bytes() == shipped.read_bytes()
    lines = result.stdout.splitlines()
    assert lines[0] == f"Arbeitsordner {folder}:"
    assert lines[1 : 1 + 7] == [
        *(f"  {path} angelegt" for path in [*EXAMPLE, *CAMPAIGN]),
        "  outputs/ angelegt",
    ]
    assert lines[8:12] == [
        "So geht es weiter:",
        "  cd petitionen",
        "  petition-merge run     (liest die Tabellen in inputs/ und schreibt einen Versand "
        "nach outputs/)",
        "  petition-merge serve   (dasselbe im Browser)",
    ]
    assert "LIESMICH.txt dort sagt, wie Sie eine zweite Kampagne anlegen" in lines[12]
    assert result.stderr == ""


def test_folder_defaults_to_the_current_one_and_then_no_cd(here: Path, german: None) -> None:
    result = invoke("init")
    assert result.exit_code == 0, result.output
    assert files_in(here) == sorted([*EXAMPLE, *CAMPAIGN])
    assert "cd " not in result.stdout
    assert "  petition-merge run " in result.stdout


def test_a_folder_name_with_a_space_is_quoted_for_cd(here: Path) -> None:
    result = invoke("init", "meine petitionen")
    assert result.exit_code == 0, result.output
    assert '  cd "meine petitionen"' in result.stdout.splitlines()


def test_a_second_init_keeps_every_file_and_names_each(here: Path, german: None) -> None:
    assert invoke("init").exit_code == 0
    campaign = here / "templates" / "xuar.toml"
    campaign.write_text(campaign.read_text(encoding="utf-8") + "\n# bearbeitet\n", "utf-8")
    (here / "inputs" / EXAMPLE_INPUTS[1]).write_text("Name;Anschrift\n", encoding="cp1252")
    before = {name: (here / name).read_bytes() for name in files_in(here)}

    result = invoke("init", ".")
    assert result.exit_code == 0, result.output
    assert {name: (here / name).read_bytes() for name in files_in(here)} == before
    kept = [line for line in result.stdout.splitlines() if "behalten" in line]
    assert kept == [
        f"  {path} behalten (schon da, nicht geändert)" for path in [*EXAMPLE, *CAMPAIGN]
    ] + ["  outputs/ behalten (schon da, nicht geändert)"]
    assert "angelegt" not in result.stdout


def test_a_deleted_file_comes_back_and_the_rest_is_kept(here: Path) -> None:
    assert invoke("init").exit_code == 0
    (here / "templates" / README).unlink()
    result = invoke("init")
    assert result.exit_code == 0, result.output
    assert f"  made templates/{README}" in result.stdout.splitlines()
    assert result.stdout.count("  kept ") == len(EXAMPLE) + 2 + 1  # and outputs/


def test_a_run_in_the_new_folder_prints_its_own_copy_of_the_campaign(
    here: Path, german: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert invoke("init", "neu").exit_code == 0
    folder = here / "neu"
    campaign = folder / "templates" / "xuar.toml"
    text = campaign.read_text(encoding="utf-8")
    campaign.write_text(text.replace("Yours sincerely,", "Hochachtungsvoll,"), encoding="utf-8")
    monkeypatch.chdir(folder)
    result = invoke("run", "--no-pdf", "--mail-date", "1.12.2026")
    assert result.exit_code == 0, result.output
    assert "│   Unterzeichnende (gedruckt)        │ 40 │" in result.stdout
    [batch] = batch_dirs(folder)
    manifest = json.loads((batch / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["campaign"] == "xuar"
    assert manifest["inputs"] == EXAMPLE
    paragraphs = [p.text for p in Document(str(batch / "petition-lists.docx")).paragraphs]
    assert "Hochachtungsvoll," in paragraphs and "Yours sincerely," not in paragraphs


def test_the_readme_s_second_campaign_works_as_it_says(here: Path) -> None:
    """LIESMICH.txt: copy xuar.toml to a new name, change the text, run with --campaign."""
    readme = (init_module.shipped_campaign_files()[2]).read_text(encoding="utf-8")
    assert "petition-merge run --campaign uiguren-2027" in readme
    assert invoke("init").exit_code == 0
    assert invoke("run", "--no-pdf", "--mail-date", "1.12.2026").exit_code == 0
    second = here / "templates" / "uiguren-2027.toml"
    text = (here / "templates" / "xuar.toml").read_text(encoding="utf-8")
    second.write_text(text.replace("CLOSE 'RE-EDUCATION' CAMPS", "FREE THEM"), encoding="utf-8")

    asked = invoke("run", "--no-pdf")
    assert asked.exit_code == 5, asked.output
    assert "--campaign" in asked.stderr
    result = invoke("run", "--no-pdf", "--mail-date", "1.12.2026", "--campaign", "uiguren-2027")
    assert result.exit_code == 0, result.output
    # A campaign of its own: who is on the first campaign's lists is printed for this one too.
    newest = batch_dirs(here)[-1]
    counts = json.loads((newest / "manifest.json").read_text(encoding="utf-8"))["counts"]
    assert (counts["signers"], counts["previously_listed"]) == (40, 0)
    paragraphs = Document(str(newest / "petition-lists.docx")).paragraphs
    assert any("FREE THEM" in p.text for p in paragraphs)


def test_inputs_with_spreadsheets_of_their_own_get_no_example(here: Path, german: None) -> None:
    (here / "inputs").mkdir()
    (here / "inputs" / "stand.csv").write_text("Name;Anschrift\n", encoding="utf-8")
    result = invoke("init")
    assert result.exit_code == 0, result.output
    assert files_in(here / "inputs") == ["stand.csv"]
    assert (
        "  inputs/ enthält schon Tabellen von Ihnen, darum kommt das erfundene Beispiel nicht dazu"
        in result.stdout.splitlines()
    )
    assert "erfundene Beispiel herausgenommen" not in result.stdout
    assert files_in(here / "templates") == sorted(p.removeprefix("templates/") for p in CAMPAIGN)


def test_the_example_beside_own_spreadsheets_is_kept_with_a_warning(here: Path) -> None:
    assert invoke("init").exit_code == 0
    (here / "inputs" / "stand.csv").write_text("Name;Anschrift\n", encoding="utf-8")
    result = invoke("init")
    assert result.exit_code == 0, result.output
    assert f"  kept {EXAMPLE[0]} (already there, unchanged)" in result.stdout
    assert (
        "warning: inputs/ holds the invented example beside spreadsheets of yours - take the "
        "example out before you print real lists" in result.stdout.splitlines()
    )


def test_templates_with_a_campaign_of_their_own_get_no_second(here: Path) -> None:
    (here / "templates").mkdir()
    own = here / "templates" / "meine.toml"
    shutil.copy(ROOT / "templates" / "xuar.toml", own)
    result = invoke("init")
    assert result.exit_code == 0, result.output
    assert not (here / "templates" / "xuar.toml").exists()
    assert (here / "templates" / "petition-list.docx").is_file()
    assert (
        "  templates/ holds the campaign meine, so the example campaign is not added there"
        in result.stdout.splitlines()
    )
    # So a run still takes the folder's one campaign without being told.
    run = invoke("run", "--dry-run")
    assert run.exit_code == 0, run.output


def test_a_folder_that_is_a_file_is_refused_in_one_line(here: Path) -> None:
    (here / "liste").write_text("", encoding="utf-8")
    result = invoke("init", "liste")
    assert result.exit_code == 2, result.output
    [line] = result.stderr.splitlines()
    assert line.startswith("error: ") and "liste" in line
    assert "Traceback" not in result.output


def test_a_folder_that_cannot_be_made_is_an_output_error(here: Path, german: None) -> None:
    (here / "datei").write_text("", encoding="utf-8")
    result = invoke("init", "datei/neu")
    assert result.exit_code == 6, result.output
    [line] = result.stderr.splitlines()
    assert line.startswith("Fehler: ") and "datei" in line
    assert "Dieser Ordner kann nicht angelegt werden" in line
    assert "Traceback" not in result.output
    assert not list(here.glob("datei*/**"))


def test_a_missing_shipped_example_is_a_data_error(
    here: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(init_module, "EXAMPLE_INPUTS", ("gibt-es-nicht.csv",))
    result = invoke("init")
    assert result.exit_code == 8, result.output
    [line] = result.stderr.splitlines()
    assert "the shipped example is missing - reinstall petition-merge" in line
    assert not (here / "inputs").exists()  # checked before anything is made


def test_everything_init_says_is_marked_for_translation(
    here: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(i18n.ENV_VARIABLE, i18n.PSEUDO)
    data = ["petition-merge", "init", "run", "serve", "cd", "neu", "own"]  # "own": a campaign
    first = invoke("init", "neu")
    (here / "neu" / "inputs" / "own.csv").write_text("", encoding="utf-8")
    (here / "neu" / "templates" / "xuar.toml").rename(here / "neu" / "templates" / "own.toml")
    again = invoke("init", "neu")
    for result in (first, again):
        assert result.exit_code == 0, result.output
        assert unmarked_words(result.output, data) == [], result.output
    assert "own" in again.output
