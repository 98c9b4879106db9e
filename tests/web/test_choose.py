"""New batch and check: the folder's campaigns and spreadsheets, and the dry run in the CLI's
own words, every row by its origin, nothing written."""

from __future__ import annotations

import html
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import HEADER, ROOT, signer_rows, write_csv
from starlette.testclient import TestClient
from web_client import EXAMPLE_FILES, make_batch, new_draft, signed_in, text_of

from merge.cli import cli


@pytest.fixture
def client(example: Path) -> Iterator[TestClient]:
    with signed_in(example) as client:
        yield client


def test_the_first_page_offers_the_folders_spreadsheets_all_ticked(client: TestClient) -> None:
    page = client.get("/").text
    for name in EXAMPLE_FILES:
        assert re.search(rf'name="file" value="{re.escape(name)}" checked', page)
    assert '<option value="xuar" selected>' in page
    assert 'type="file"' in page and 'enctype="multipart/form-data"' in page


def test_the_campaign_is_chosen_as_run_chooses_it(project: Path) -> None:
    shutil.copy(project / "templates" / "xuar.toml", project / "templates" / "markt.toml")
    with signed_in(project) as client:
        page = client.get("/").text  # two of its own: none is chosen for the user
    assert '<option value="">' in page
    assert "selected" not in page
    (project / "templates" / "xuar.toml").unlink()
    with signed_in(project) as client:
        assert '<option value="markt" selected>' in client.get("/").text


def test_an_empty_inputs_folder_is_said(project: Path) -> None:
    with signed_in(project) as client:
        assert "inputs/ holds no spreadsheets yet" in text_of(client.get("/").text)


@pytest.mark.parametrize(
    ("form", "said"),
    [
        ({"campaign": "xuar"}, "Tick a spreadsheet in inputs/ or upload one."),
        ({"campaign": "nope", "file": "online-anmeldungen.csv"}, "Choose a campaign."),
        ({"campaign": "xuar", "file": "../ledger.sqlite"}, "no longer in inputs/"),
        ({"campaign": "xuar", "file": "spalten.toml"}, "no longer in inputs/"),
    ],
)
def test_a_choice_that_cannot_be_made_is_said_on_the_page(
    client: TestClient, form: dict[str, str], said: str
) -> None:
    response = client.post("/drafts", data=form)
    assert response.status_code == 400
    assert said in text_of(response.text)


def cli_dry_run(folder: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["run", "--dry-run", *args])
    assert result.exit_code == 0, result.output
    return result.output


def table_rows(page: str) -> list[tuple[str, str]]:
    """The (origin, reason) rows of the check's tables, as a reader sees them."""
    cells = re.findall(r'<tr><td class="origin">(.*?)</td><td>(.*?)</td></tr>', page)
    return [(html.unescape(re.sub(r"<[^>]+>", "", origin)), html.unescape(reason))
            for origin, reason in cells]  # fmt: skip


def test_the_check_says_what_the_clis_dry_run_says_in_german(
    example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PETITION_MERGE_LANG", "de")
    said = cli_dry_run(example)
    lines = re.findall(r"^  (inputs/\S.*?:\d+): (.+)$", said, re.MULTILINE)
    assert len(lines) == 5  # 3 rejected, 2 duplicates
    with signed_in(example, language="de") as client:
        page = client.get(new_draft(client)).text
    text = text_of(page)
    shown = table_rows(page)
    for origin, reason in lines:
        assert (origin, reason) in shown, origin
    for words in ("Nicht verwendbar (3)", "Doppelt (2)", "Unterzeichnende (gedruckt) 40",
                  "Unterschriftenlisten 8", "Ein Probelauf", "Datei:Blatt:Zeile",
                  "dieselbe Person wie inputs/infostand-und-gottesdienst.xlsx:Infostand Markt:4",
                  "Kopfzeile in Zeile 3 gefunden", "Weiter zu den Optionen"):  # fmt: skip
        assert words in text, words
    assert not (example / "outputs").exists()


def test_the_check_lists_signers_on_earlier_lists_and_held_corrections(project: Path) -> None:
    rows = signer_rows(5)
    write_csv(project / "inputs" / "a.csv", [HEADER, *rows])
    assert CliRunner().invoke(cli, ["run", "--no-pdf"]).exit_code == 0
    rows[0][2] = "Beispielweg 100"  # a corrected house number: held back
    write_csv(project / "inputs" / "a.csv", [HEADER, *rows, *signer_rows(1, start=9)])
    with signed_in(project) as client:
        text = text_of(client.get(new_draft(client, ["a.csv"])).text)
    batch = re.search(r"\d{4}-\d\d-\d\d-1", text)
    assert batch is not None
    assert f"inputs/a.csv:a:2 changed since batch {batch[0]} (same name, another address)" in text
    assert f"inputs/a.csv:a:3 already on a list of batch {batch[0]}" in text
    assert "On earlier lists (4)" in text and "signers (printed) 1" in text
    assert f"Left out, already on lists of campaign xuar in earlier batches: {batch[0]} (4)" in text


def test_nothing_new_says_so_and_offers_no_way_on(project: Path) -> None:
    write_csv(project / "inputs" / "a.csv", [HEADER, *signer_rows(5)])
    assert CliRunner().invoke(cli, ["run", "--no-pdf"]).exit_code == 0
    with signed_in(project) as client:
        page = client.get(new_draft(client, ["a.csv"])).text
    assert "xuar: all 5 signers are already on earlier lists (batches:" in page
    assert "/options" not in page


def test_files_without_signers_are_one_line_with_the_reasons_above(project: Path) -> None:
    write_csv(project / "inputs" / "a.csv", [HEADER, ["Testperson-1", "Erika", "", "", ""]])
    with signed_in(project) as client:
        text = text_of(client.get(new_draft(client, ["a.csv"])).text)
    assert "inputs/a.csv: no signers found (1 row: 0 blank, 1 rejected" in text
    assert "inputs/a.csv:a:2" in text
    assert text.index("no signers found") < text.index("inputs/a.csv:a:2")
    assert "- fix the rows listed below" in text  # the page lists them below its error


def test_no_signers_is_said_in_the_page_s_words_in_german(project: Path) -> None:
    """On the check the rows are listed below; a batch made on the page whose files have lost
    their signers since the check sends back to the check, never to run --dry-run."""
    write_csv(project / "inputs" / "a.csv", [HEADER, ["Testperson-1", "Erika", "", "", ""]])
    write_csv(project / "inputs" / "b.csv", [HEADER, *signer_rows(2)])
    with signed_in(project, language="de") as client:
        text = text_of(client.get(new_draft(client, ["a.csv"])).text)
        assert (
            "inputs/a.csv: keine Unterzeichnenden gefunden (1 Zeile: 0 leer, 1 nicht verwendbar, "
            "0 doppelt) - korrigieren Sie die unten genannte Zeile"
        ) in text
        check = new_draft(client, ["b.csv"])
        assert "Weiter zu den Optionen" in text_of(client.get(check).text)
        write_csv(project / "inputs" / "b.csv", [HEADER, ["Testperson-2", "Eva", "", "", ""]])
        job = make_batch(client, check)
        text = text_of(client.get(job["page"]).text)
    assert (
        "inputs/b.csv: keine Unterzeichnenden gefunden (1 Zeile: 0 leer, 1 nicht verwendbar, "
        '0 doppelt) - klicken Sie auf der ersten Seite noch einmal auf "Zeilen prüfen", um zu '
        "sehen, warum die Zeile nicht verwendbar ist, und korrigieren Sie sie"
    ) in text
    assert "--dry-run" not in text
    result = CliRunner().invoke(cli, ["--lang", "de", "run", "inputs/b.csv"])
    assert "starten Sie einen Probelauf mit --dry-run" in result.output + result.stderr


def test_an_origin_breaks_only_after_a_colon_or_a_slash(project: Path) -> None:
    write_csv(
        project / "inputs" / "verein-stand.csv", [HEADER, ["Testperson-1", "Erika", "", "", ""]]
    )
    with signed_in(project) as client:
        page = client.get(new_draft(client, ["verein-stand.csv"])).text
        css = client.get("/static/page.css").text
    assert (
        '<td class="origin"><span class="part">inputs/</span><wbr><span class="part">'
        'verein-stand.csv:</span><wbr><span class="part">verein-stand:</span><wbr>'
        '<span class="part">2</span></td>'
    ) in page
    block = css[css.index("/* check page */") :]
    assert ".rows td.origin { overflow-wrap: normal; word-break: keep-all; }" in block
    assert ".rows td.origin .part { white-space: nowrap; }" in block


def test_going_back_from_the_check_keeps_the_draft_s_choice(client: TestClient) -> None:
    check = new_draft(client, ["online-anmeldungen.csv"])
    page = client.get(check).text
    number = check.split("/")[2]
    assert f'<a href="/?draft={number}">Back: choose other files</a>' in page
    back = client.get(f"/?draft={number}").text
    assert 'value="online-anmeldungen.csv" checked' in back
    assert re.search(r'value="umfrage-formular.csv">', back)  # not ticked
    for junk in ("abc", "²", "99", ""):
        assert 'value="umfrage-formular.csv" checked' in client.get(f"/?draft={junk}").text


def test_a_broken_campaign_file_is_one_line_on_the_check(project: Path) -> None:
    write_csv(project / "inputs" / "a.csv", [HEADER, *signer_rows(2)])
    (project / "templates" / "xuar.toml").write_text("title = \n", encoding="utf-8")
    with signed_in(project) as client:
        text = text_of(client.get(new_draft(client, ["a.csv"])).text)
    assert "error: templates/xuar.toml: line 1" in text
    assert "Continue to the options" not in text


def test_an_unknown_draft_is_not_found(client: TestClient) -> None:
    response = client.get("/drafts/99/check")
    assert response.status_code == 404
    assert "This page does not exist (any more)" in text_of(response.text)


def test_the_chosen_files_only_are_read_in_the_folders_order(client: TestClient) -> None:
    check = new_draft(client, ["umfrage-formular.csv", "online-anmeldungen.csv"])
    text = text_of(client.get(check).text)
    assert "Files online-anmeldungen.csv, umfrage-formular.csv" in text
    assert "infostand" not in text


def test_the_shipped_example_is_what_the_repository_holds() -> None:
    assert sorted(p.name for p in (ROOT / "inputs").iterdir()) == sorted(EXAMPLE_FILES)
