"""The status page: every batch of the ledger by campaign, as ``petition-merge status`` has it."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import HEADER, batch_dirs, signer_rows, write_csv
from web_client import signed_in, text_of

from merge.cli import cli


def run(*args: str) -> None:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output


def test_no_ledger_yet_means_no_batches(project: Path) -> None:
    with signed_in(project, language="de") as client:
        text = text_of(client.get("/batches").text)
    assert "Noch keine Versände." in text
    assert not (project / "outputs").exists()  # looking writes nothing


def test_every_batch_shows_by_campaign_with_mailed_open_and_dates(project: Path) -> None:
    write_csv(project / "inputs" / "a.csv", [HEADER, *signer_rows(12)])
    run("run", "--no-pdf", "--out", "outputs/erster")
    shutil.copy(project / "templates" / "xuar.toml", project / "templates" / "tibet.toml")
    run("run", "--no-pdf", "--campaign", "tibet", "--out", "outputs/zweiter")
    run("mark-mailed", "erster:1", "--by", "Anna")
    today = dt.date.today().isoformat()
    with signed_in(project) as client:
        page = client.get("/batches").text
    text = text_of(page)
    mailed = f"erster {today} 3 / 0 / 0 12 / 0 / 0 {today} (Anna) 2023-12-31 2023-12-10 0 -"
    assert f"Campaign xuar Batch Prepared on {HEADINGS} {mailed}" in text
    still_open = f"zweiter {today} 0 / 3 / 0 0 / 12 / 0 - 2023-12-31 2023-12-10 1 -"
    assert f"Campaign tibet Batch Prepared on {HEADINGS} {still_open}" in text
    assert text.index("Campaign xuar") < text.index("Campaign tibet")
    assert "Total signers: 12 mailed, 12 pending in 1 envelope." in text
    assert (
        "batch zweiter: 1 envelope is not mailed and its latest safe mailing date 2023-12-10 has "
        "passed - it will likely arrive after the deadline 2023-12-31"
    ) in text
    assert 'href="/batches/erster"' in page and 'href="/batches/zweiter"' in page
    assert page.count('class="late"') == 1


HEADINGS = (
    "Lists mailed / open / discarded Signers mailed / open / discarded Last mailed Deadline "
    "Mail by Late envelopes Purged Dispatch"
)


def test_the_days_left_count_from_the_servers_clock(project: Path) -> None:
    (project / "templates" / "xuar.toml").write_text(
        (project / "templates" / "xuar.toml")
        .read_text("utf-8")
        .replace("deadline = ", "deadline = 2099-01-31\n# was: "),
        encoding="utf-8",
    )
    write_csv(project / "inputs" / "a.csv", [HEADER, *signer_rows(3)])
    run("run", "--no-pdf")
    with signed_in(project, today=lambda: dt.date(2099, 1, 20)) as client:
        late = text_of(client.get("/batches").text)
    with signed_in(project) as client:
        early = text_of(client.get("/batches").text)
    assert "will likely arrive after the deadline 2099-01-31" in late
    assert "will likely arrive" not in early


def test_a_lost_folder_is_said_as_status_says_it(project: Path) -> None:
    write_csv(project / "inputs" / "a.csv", [HEADER, *signer_rows(3)])
    run("run", "--no-pdf")
    (folder,) = batch_dirs(project)
    shutil.rmtree(folder)
    with signed_in(project) as client:
        text = text_of(client.get("/batches").text)
    assert f"batch {folder.name}: its folder" in text and "is gone" in text


def test_a_broken_ledger_is_one_line(project: Path) -> None:
    (project / "outputs").mkdir()
    (project / "outputs" / "ledger.sqlite").write_bytes(b"not a database at all" * 100)
    with signed_in(project) as client:
        response = client.get("/batches")
    assert response.status_code == 200
    assert "error: " in text_of(response.text)


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_page_speaks_the_servers_language(project: Path, language: str) -> None:
    with signed_in(project, language=language) as client:
        page = client.get("/batches").text
    assert f'<html lang="{language}">' in page
    assert ("Übersicht" in page) == (language == "de")
