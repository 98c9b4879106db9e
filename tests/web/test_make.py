"""Options and making the batch: the CLI's defaults and checks, the progress, and a batch that
is the one ``petition-merge run`` makes (files, manifest, ledger), never anyone twice."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, batch_dirs, status_json
from starlette.testclient import TestClient
from web_client import make_batch, new_draft, signed_in, text_of, wait_for

from merge.cli import cli


@pytest.fixture
def client(example: Path) -> Iterator[TestClient]:
    with signed_in(example) as client:
        yield client


def test_the_options_have_the_clis_defaults_and_the_cost_of_each_envelope(
    client: TestClient,
) -> None:
    check = new_draft(client)
    client.get(check)
    page = client.get(check.replace("check", "options")).text
    assert 'name="envelope" value="DL" checked' in page
    assert '<option value="3422" selected>' in page
    assert 'name="start_label" value="1" aria-label="Label 1 (row 1, column 1)" checked' in page
    assert 'name="blank" min="0" max="1000" value="0"' in page
    assert 'name="mail_date" inputmode="numeric" autocomplete="off" value=""' in page
    assert 'name="return_labels" value="1">' in page and 'name="window" value="1">' in page
    text = text_of(page)
    assert "DL (DIN lang), 220 x 110 mm: 1 envelope, postage €1.80" in text
    assert "C5, 229 x 162 mm: 1 envelope, postage €3.30" in text
    assert "auto: the lowest postage (DL, €1.80)" in text


def test_the_options_are_priced_without_the_check_first(client: TestClient) -> None:
    check = new_draft(client)
    text = text_of(client.get(check.replace("check", "options")).text)
    assert "postage €1.80" in text


@pytest.mark.parametrize(
    ("field", "value", "said"),
    [
        ("start_label", "25", "label 25 does not exist on 3422 (3 x 8 = 24 labels)"),
        ("start_label", "eins", "'eins' is not a whole number"),
        ("labels", "9999", "unknown label product '9999' - use one of: 3422"),
        ("blank", "1001", "1001 is not a number from 0 to 1000"),
        ("mail_date", "31.13.2026", "write it like 2026-12-31"),
        ("mail_date", "morgen", "write it like 2026-12-31"),
        ("envelope", "B4", "Choose an envelope size."),
    ],
)
def test_an_option_the_cli_would_refuse_is_said_beside_its_field(
    client: TestClient, example: Path, field: str, value: str, said: str
) -> None:
    check = new_draft(client)
    form = {"envelope": "DL", "labels": "3422", "start_label": "1", "blank": "0", field: value}
    response = client.post(check.replace("check", "batch"), data=form)
    assert response.status_code == 400
    page = response.text
    assert f'id="{field}-error"' in page
    assert said in text_of(page)
    # The sheet's picture has no label 25 to show as chosen; the message names it.
    assert f'value="{value}"' in page or field in ("labels", "envelope", "start_label")
    assert not (example / "outputs").exists()


TODAY = dt.date(2026, 12, 2)


def test_a_day_of_posting_before_today_is_refused_in_one_line(example: Path) -> None:
    with signed_in(example, language="de", today=lambda: TODAY) as client:
        check = new_draft(client)
        form = {"envelope": "DL", "labels": "3422", "start_label": "1", "blank": "0"}
        for typed in ("01.12.2026", "1.12.26", "2026-11-30"):
            response = client.post(
                check.replace("check", "batch"), data={**form, "mail_date": typed}
            )
            assert response.status_code == 400, typed
            [line] = re.findall(r'<p class="error" id="mail_date-error">([^<]*)</p>', response.text)
            assert html.unescape(line) == (
                "Der Tag der Einlieferung liegt vor heute (02.12.2026) - geben Sie heute oder "
                "einen späteren Tag an"
            )
    assert not (example / "outputs").exists()


@pytest.mark.parametrize(("typed", "day"), [("2.12.26", "2026-12-02"), ("03.12.26", "2026-12-03")])
def test_today_or_a_later_day_with_a_two_digit_year_makes_the_batch(
    example: Path, typed: str, day: str
) -> None:
    with signed_in(example, today=lambda: TODAY) as client:
        done = make_batch(client, new_draft(client), mail_date=typed)
    assert done["finished"]
    dispatch = manifest_of(example)["dispatch"]
    assert isinstance(dispatch, dict) and dispatch["mail_date"] == day


def run_cli(folder: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> None:
    monkeypatch.chdir(folder)
    result = CliRunner().invoke(cli, ["run", "--no-pdf", *args])
    assert result.exit_code == 0, result.output


def twin(example: Path, tmp_path: Path) -> Path:
    """A second working folder like the example, for the CLI to make the same batch in."""
    other = tmp_path.parent / f"{tmp_path.name}-cli"
    shutil.copytree(ROOT / "templates", other / "templates")
    shutil.copytree(example / "inputs", other / "inputs")
    return other


def manifest_of(folder: Path) -> dict[str, object]:
    (batch,) = batch_dirs(folder)
    data: dict[str, object] = json.loads((batch / "manifest.json").read_text("utf-8"))
    return data


def test_a_batch_made_on_the_page_is_the_one_run_makes(
    client: TestClient, example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    done = make_batch(client, new_draft(client), mail_date="31.12.2026", start_label="4",
                      return_labels="1")  # fmt: skip
    assert done["finished"] and done["percent"] == 100
    other = twin(example, tmp_path)
    run_cli(other, monkeypatch, "--mail-date", "31.12.2026", "--start-label", "4",
            "--return-labels")  # fmt: skip
    page, cli_made = manifest_of(example), manifest_of(other)
    assert page == cli_made
    counts = {"rows": 45, "blank": 0, "signers": 40, "duplicates": 2, "rejected": 3}
    assert page["counts"] == {**counts, "previously_listed": 0, "held": 0, "lists": 8}
    (folder,) = batch_dirs(example)
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        p.name for p in batch_dirs(other)[0].iterdir()
    )
    monkeypatch.chdir(example)
    (batch,) = status_json()["batches"]
    assert batch["batch"] == folder.name and batch["lists"]["prepared"] == 8


def test_the_finished_job_links_its_downloads_and_names_only_the_batch(
    client: TestClient, example: Path
) -> None:
    done = make_batch(client, new_draft(client))
    page = client.get(done["page"]).text
    (folder,) = batch_dirs(example)
    assert f"Batch {folder.name} is ready." in text_of(page)
    assert f'href="/batches/{folder.name}"' in page
    assert "progress.js" not in page  # nothing left to follow


def test_made_again_the_page_prints_nobody_twice(client: TestClient, example: Path) -> None:
    make_batch(client, new_draft(client))
    again = make_batch(client, new_draft(client))
    text = text_of(client.get(again["page"]).text)
    assert "xuar: all 40 signers are already on earlier lists (batches:" in text
    assert "Nothing was written and nothing recorded." in text
    assert len(batch_dirs(example)) == 1


def test_two_jobs_at_once_on_one_ledger_print_nobody_twice(
    client: TestClient, example: Path
) -> None:
    form = {"envelope": "DL", "labels": "3422", "start_label": "1", "blank": "0"}
    jobs = []
    for _ in range(2):
        check = new_draft(client)
        response = client.post(check.replace("check", "batch"), data=form, follow_redirects=False)
        jobs.append(response.headers["location"])
    for job in jobs:
        wait_for(client, job)
    assert len(batch_dirs(example)) == 1
    (batch,) = status_json_of(example)["batches"]
    assert batch["signers"]["prepared"] == 40


def status_json_of(folder: Path) -> dict[str, object]:
    ledger = str(folder / "outputs" / "ledger.sqlite")
    result = CliRunner().invoke(cli, ["status", "--json", "--ledger", ledger])
    assert result.exit_code == 0, result.output
    data: dict[str, object] = json.loads(result.stdout)
    return data


def test_a_batch_goes_on_when_nobody_watches(example: Path) -> None:
    with signed_in(example) as client:
        check = new_draft(client)
        form = {"envelope": "DL", "labels": "3422", "start_label": "1", "blank": "0"}
        client.post(check.replace("check", "batch"), data=form, follow_redirects=False)
    # the tab closed at once (no polling); leaving the client waited for the job, as serve does
    (folder,) = batch_dirs(example)
    assert (folder / "manifest.json").exists()


def test_an_error_of_the_run_is_one_line_and_nothing_is_recorded(
    client: TestClient, example: Path
) -> None:
    (example / "templates" / "xuar.toml").write_text(
        (ROOT / "templates" / "xuar.toml").read_text("utf-8").replace("return_address", "x_old"),
        encoding="utf-8",
    )
    check = new_draft(client)
    done = make_batch(client, check, return_labels="1")
    text = text_of(client.get(done["page"]).text)
    assert "error: templates/xuar.toml:" in text
    assert "Nothing was written and nothing recorded." in text
    assert not batch_dirs(example)


def test_the_progress_page_follows_the_job_with_its_own_script(client: TestClient) -> None:
    check = new_draft(client)
    form = {"envelope": "DL", "labels": "3422", "start_label": "1", "blank": "0"}
    job = client.post(check.replace("check", "batch"), data=form, follow_redirects=False)
    location = job.headers["location"]
    page = client.get(location).text
    if "progress.js" in page:  # still running when the page was made
        assert f'data-status="{location}/status"' in page
        assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in page
    state = wait_for(client, location)
    assert set(state) == {"finished", "fraction", "percent", "step"}
    assert state["step"] == "finished"


def test_an_unknown_job_is_not_found(client: TestClient) -> None:
    assert client.get("/jobs/42").status_code == 404
    assert client.get("/jobs/42/status").status_code == 404
