"""The dispatch page of a batch: mark envelopes mailed, discard them, purge the batch, all
through the library calls of mark-mailed, discard and purge, on the CLI's ledger."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import HEADER, batch_dirs, signer_rows, status_json, write_csv
from starlette.testclient import TestClient
from web_client import signed_in, text_of

from merge.batch import CHECKLIST, PERSONAL_FILES
from merge.cli import cli


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def batch(project: Path) -> str:
    """A batch of 45 signers in 2 envelopes (3422 labels, DL), made by the CLI."""
    write_csv(project / "inputs" / "liste.csv", [HEADER, *signer_rows(45)])
    run("run", "--no-pdf", "--envelope", "DL")
    (folder,) = batch_dirs(project)
    return folder.name


@pytest.fixture
def client(project: Path, batch: str) -> Iterator[TestClient]:
    with signed_in(project) as client:
        yield client


def today() -> str:
    return dt.date.today().isoformat()


def test_the_page_lists_every_envelope_with_its_state(client: TestClient, batch: str) -> None:
    page = client.get(f"/batches/{batch}/dispatch")
    assert page.status_code == 200
    text = text_of(page.text)
    assert f"Batch {batch}" in text
    row = status_json()["batches"][0]
    assert row["envelopes"]["prepared"] >= 1
    assert "Not yet mailed" in text
    print(text)
    assert 'name="envelope" value="1"' in page.text
    assert f'action="/batches/{batch}/mailed"' in page.text


def test_the_downloads_and_the_status_link_to_the_dispatch(client: TestClient, batch: str) -> None:
    assert f'href="/batches/{batch}/dispatch"' in client.get(f"/batches/{batch}").text
    assert f'href="/batches/{batch}/dispatch"' in client.get("/batches").text


def test_marking_mailed_records_it_in_the_ledger(client: TestClient, batch: str) -> None:
    response = client.post(
        f"/batches/{batch}/mailed", data={"envelope": ["1"], "day": "", "by": "Anna"}
    )
    assert response.status_code == 200
    assert f"{batch}:1: mailed on {today()}" in text_of(response.text)
    row = status_json()["batches"][0]
    assert row["envelopes"]["mailed"] == 1
    assert row["last_mailed_on"] == today() and row["last_mailed_by"] == ["Anna"]


def test_a_german_date_is_taken_and_a_second_date_keeps_the_history(
    project: Path, batch: str
) -> None:
    tomorrow = dt.date.today() + dt.timedelta(days=1)  # the server's today
    german = dt.date.today().strftime("%d.%m.%Y")  # e.g. 02.12.2026, the batch's day
    with signed_in(project, language="de", today=lambda: tomorrow) as client:
        first = client.post(f"/batches/{batch}/mailed", data={"envelope": "1", "by": "Anna"})
        assert first.status_code == 200
        refused = client.post(
            f"/batches/{batch}/mailed", data={"envelope": "1", "day": german, "by": "Anna"}
        )
        assert refused.status_code == 400
        assert "nichts wurde geändert" in text_of(refused.text)
        assert status_json()["batches"][0]["last_mailed_on"] == tomorrow.isoformat()
        corrected = client.post(
            f"/batches/{batch}/mailed", data={"envelope": "1", "day": german, "correct": "1"}
        )
    assert corrected.status_code == 200
    row = status_json()["batches"][0]
    assert row["last_mailed_on"] == today() and row["last_mailed_by"] == ["Anna"]
    history = [h for h in row["history"] if h["envelope"] == 1]
    assert [h["new"]["mailed_on"] for h in history] == [tomorrow.isoformat(), today()]
    assert history[1]["old"]["mailed_on"] == tomorrow.isoformat()


def test_a_discarded_envelope_is_refused_in_one_german_line(project: Path, batch: str) -> None:
    run("discard", f"{batch}:1")
    before = status_json()["batches"][0]
    with signed_in(project, language="de") as client:
        response = client.post(f"/batches/{batch}/mailed", data={"envelope": "1"})
    assert response.status_code == 400
    page = response.text
    (line,) = [p for p in page.split("\n") if 'class="error"' in p]
    assert "verworfen" in line and f"{batch}:1" in line
    assert status_json()["batches"][0] == before


def test_nothing_ticked_or_a_foreign_number_changes_nothing(client: TestClient, batch: str) -> None:
    before = status_json()["batches"][0]
    for data in ({"day": ""}, {"envelope": "99"}, {"envelope": "x"}):
        response = client.post(f"/batches/{batch}/mailed", data=data)
        assert response.status_code == 400
        assert "Tick at least one envelope" in text_of(response.text)
    assert status_json()["batches"][0] == before


def test_a_wrong_date_is_one_line(client: TestClient, batch: str) -> None:
    response = client.post(f"/batches/{batch}/mailed", data={"envelope": "1", "day": "31.13.2026"})
    assert response.status_code == 400
    assert "is not a date" in text_of(response.text)
    assert status_json()["batches"][0]["envelopes"]["mailed"] == 0


def test_the_discard_confirmation_says_counts_and_no_name(client: TestClient, batch: str) -> None:
    response = client.post(f"/batches/{batch}/discard", data={"whole": "1"})
    assert response.status_code == 200
    text = text_of(response.text)
    assert "The signatures of 45 people can then go on new lists again" in text
    assert "Testperson" not in response.text and "Beispielweg" not in response.text
    assert status_json()["batches"][0]["envelopes"]["discarded"] == 0  # only asked


def test_discarding_frees_the_signers_for_a_new_batch(
    client: TestClient, project: Path, batch: str
) -> None:
    assert "already on earlier lists" in run("run", "--dry-run")
    response = client.post(f"/batches/{batch}/discard", data={"whole": "1", "confirm": "1"})
    assert response.status_code == 200
    assert f"{batch}:1: discarded" in text_of(response.text)
    row = status_json()["batches"][0]
    assert row["envelopes"]["prepared"] == 0 and row["signers"]["discarded"] == 45
    dry = run("run", "--dry-run")  # a new dry run lists them again
    assert "already on earlier lists" not in dry and "Nothing new" not in dry


def test_discarding_chosen_envelopes_keeps_the_others(client: TestClient, batch: str) -> None:
    asked = client.post(f"/batches/{batch}/discard", data={"envelope": "1"})
    assert 'name="envelope" value="1"' in asked.text
    client.post(f"/batches/{batch}/discard", data={"envelope": "1", "confirm": "1"})
    row = status_json()["batches"][0]
    assert row["envelopes"]["discarded"] == 1


def test_purge_asks_then_removes_the_personal_files(
    client: TestClient, project: Path, batch: str
) -> None:
    refused = client.post(f"/batches/{batch}/purge")
    assert refused.status_code == 400
    assert "not yet mailed" in text_of(refused.text)
    count = status_json()["batches"][0]["envelopes"]["prepared"]
    numbers = [str(n) for n in range(1, count + 1)]
    client.post(f"/batches/{batch}/mailed", data={"envelope": numbers})
    asked = client.post(f"/batches/{batch}/purge")
    assert asked.status_code == 200
    folder = project / "outputs" / batch
    assert any((folder / name).exists() for name in PERSONAL_FILES)
    done = client.post(f"/batches/{batch}/purge", data={"confirm": "1"})
    assert done.status_code == 200
    assert f"Purged {batch}: removed" in text_of(done.text)
    assert not any((folder / name).exists() for name in PERSONAL_FILES)
    assert status_json()["batches"][0]["purged_on"] == today()


def test_a_post_without_origin_is_refused(client: TestClient, batch: str) -> None:
    for action in ("mailed", "discard", "purge"):
        response = client.post(
            f"/batches/{batch}/{action}",
            data={"envelope": "1", "whole": "1", "confirm": "1"},
            headers={"Origin": ""},
        )
        assert response.status_code == 403
    assert status_json()["batches"][0]["envelopes"]["prepared"] >= 1


def test_an_unknown_batch_is_not_found(client: TestClient) -> None:
    assert client.get("/batches/2020-01-01-9/dispatch").status_code == 404
    assert client.post("/batches/2020-01-01-9/mailed", data={"envelope": "1"}).status_code == 404


def test_the_discard_confirmation_speaks_german(project: Path, batch: str) -> None:
    with signed_in(project, language="de") as client:
        page = client.get(f"/batches/{batch}/dispatch").text
        asked = client.post(f"/batches/{batch}/discard", data={"whole": "1"})
    assert "Als verschickt eintragen" in page and "Versand verwerfen" in page
    text = text_of(asked.text)
    assert "Die Unterschriften von 45 Personen können dann wieder auf neue Listen" in text


def test_a_day_after_today_is_refused_as_mark_mailed_refuses_it(
    client: TestClient, batch: str
) -> None:
    later = (dt.date.today() + dt.timedelta(days=3)).strftime("%d.%m.%Y")
    response = client.post(f"/batches/{batch}/mailed", data={"envelope": "1", "day": later})
    assert response.status_code == 400
    assert response.text.count('class="error"') == 1
    assert "is after today" in text_of(response.text)
    assert status_json()["batches"][0]["envelopes"]["mailed"] == 0


def error_line(page: str) -> str:
    """The one error line of a refused form, as a reader sees it."""
    (line,) = [p for p in page.split("\n") if 'class="error"' in p]
    return text_of(line)


@pytest.mark.parametrize(
    ("day", "said"),
    [
        (dt.date.today() + dt.timedelta(days=3), "liegt in der Zukunft"),
        (dt.date.today() - dt.timedelta(days=3), "liegt vor dem Tag, an dem Versand"),
    ],
)
def test_a_wrong_day_is_refused_naming_the_field_not_the_option(
    project: Path, batch: str, day: dt.date, said: str
) -> None:
    german = day.strftime("%d.%m.%Y")
    with signed_in(project, language="de") as client:
        response = client.post(f"/batches/{batch}/mailed", data={"envelope": "1", "day": german})
    assert response.status_code == 400
    line = error_line(response.text)
    assert line.startswith(f"Verschickt am: {german} {said}")
    assert line.endswith(f"z. B. {dt.date.today().strftime('%d.%m.%Y')}")
    assert "--date" not in response.text
    assert status_json()["batches"][0]["envelopes"]["mailed"] == 0


def test_a_date_that_is_none_is_refused_naming_the_field(project: Path, batch: str) -> None:
    with signed_in(project, language="de") as client:
        response = client.post(f"/batches/{batch}/mailed", data={"envelope": "1", "day": "morgen"})
    assert response.status_code == 400
    assert error_line(response.text).startswith('Verschickt am: "morgen" ist kein Datum')


def test_a_second_day_for_a_mailed_envelope_names_the_pages_switch(
    project: Path, batch: str
) -> None:
    run("mark-mailed", f"{batch}:1")
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).strftime("%d.%m.%Y")
    later = dt.date.today() + dt.timedelta(days=1)
    with signed_in(project, language="de", today=lambda: later) as client:
        form = {"envelope": "1", "day": tomorrow}
        refused = client.post(f"/batches/{batch}/mailed", data=form)
        assert refused.status_code == 400
        line = error_line(refused.text)
        assert "kreuzen Sie 'Eintrag korrigieren' an und senden Sie noch einmal" in line
        assert "--correct" not in refused.text
        assert 'name="correct" value="1" aria-describedby="correct-hint">' in refused.text
        assert '<label for="correct">Eintrag korrigieren</label>' in refused.text
        done = client.post(f"/batches/{batch}/mailed", data={**form, "correct": "1"})
    assert done.status_code == 200
    assert f"{batch}:1: korrigiert" in text_of(done.text)


def test_the_cli_still_names_its_options(project: Path, batch: str) -> None:
    later = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    result = CliRunner().invoke(cli, ["mark-mailed", f"{batch}:1", "--date", later])
    assert result.exit_code != 0
    assert "--date: " in result.output and f"e.g. --date {today()}" in result.output


# --- marking from the uploaded dispatch checklist ------------------------------------------------


def filled_checklist(project: Path, batch: str, cells: dict[str, object]) -> bytes:
    """The batch's dispatch checklist with ``cells`` of its sheet Envelopes filled in."""
    from openpyxl import load_workbook

    workbook = load_workbook(project / "outputs" / batch / CHECKLIST)
    sheet = workbook["Envelopes"]
    for cell, value in cells.items():
        sheet[cell] = value
    out = project / "edited.xlsx"
    workbook.save(out)
    return out.read_bytes()


def upload(
    client: TestClient, batch: str, data: bytes, name: str = CHECKLIST, **fields: str
) -> Any:
    """Send the checklist form of the dispatch page with this file."""
    return client.post(
        f"/batches/{batch}/mailed",
        data=fields,
        files={"checklist": (name, data, "application/octet-stream")},
    )


def test_the_uploaded_checklist_marks_its_envelopes(
    client: TestClient, project: Path, batch: str
) -> None:
    page = client.get(f"/batches/{batch}/dispatch").text
    assert 'enctype="multipart/form-data"' in page and 'name="checklist"' in page
    data = filled_checklist(project, batch, {"G2": dt.date.today(), "G3": "x", "H3": "Ben"})
    response = upload(client, batch, data, by="Anna")
    assert response.status_code == 200, text_of(response.text)
    text = text_of(response.text)
    assert f"{batch}:1: mailed on {today()}" in text and f"{batch}:2: mailed on {today()}" in text
    history = status_json()["batches"][0]["history"]
    assert {(h["envelope"], h["new"]["mailed_by"]) for h in history} == {(1, "Anna"), (2, "Ben")}
    again = upload(client, batch, data)
    assert text_of(again.text).count("unchanged") == 2


def test_a_checklist_refusal_names_the_cell_of_the_file_as_sent(
    client: TestClient, project: Path, batch: str
) -> None:
    data = filled_checklist(project, batch, {"G2": "morgen"})
    response = upload(client, batch, data, name="versand.xlsx")
    assert response.status_code == 400
    (line,) = [p for p in response.text.split("\n") if 'class="error"' in p]
    assert "versand.xlsx:Envelopes!G2:" in line and "morgen" in line
    assert "/tmp" not in line and "petition-merge-" not in line
    assert status_json()["batches"][0]["envelopes"]["mailed"] == 0


def test_a_day_after_today_in_the_checklist_is_refused(
    client: TestClient, project: Path, batch: str
) -> None:
    later = dt.date.today() + dt.timedelta(days=2)
    response = upload(client, batch, filled_checklist(project, batch, {"G2": later}))
    assert response.status_code == 400
    assert f"{CHECKLIST}:Envelopes!G2: {later.isoformat()} is after today" in text_of(response.text)
    ticked = upload(client, batch, filled_checklist(project, batch, {"G2": "x"}), day="01.01.2099")
    assert "Day for ticks without a date: 2099-01-01 is after today" in text_of(ticked.text)
    assert status_json()["batches"][0]["envelopes"]["mailed"] == 0


def test_a_checklist_without_marks_or_of_another_batch_or_no_file_changes_nothing(
    client: TestClient, project: Path, batch: str
) -> None:
    empty = upload(client, batch, filled_checklist(project, batch, {}))
    assert empty.status_code == 400
    assert "no envelope is marked in 'Mailed on'" in text_of(empty.text)
    other = upload(client, "2020-01-01-9", filled_checklist(project, batch, {"G2": "x"}))
    assert other.status_code == 404  # the page of no batch
    none = upload(client, batch, b"", name="")
    assert none.status_code == 400 and "Choose the batch's dispatch checklist" in text_of(none.text)
    text = upload(client, batch, b"Name;Ort\n", name="liste.csv")
    assert text.status_code == 400 and "ending in .xlsx, .xlsm, .xls, .ods" in text_of(text.text)
    assert status_json()["batches"][0]["envelopes"]["mailed"] == 0


def test_the_checklist_of_another_batch_is_refused(project: Path, batch: str) -> None:
    write_csv(project / "inputs" / "mehr.csv", [HEADER, *signer_rows(5, start=200)])
    run("run", "--no-pdf", "--out", "outputs/zweiter")
    data = filled_checklist(project, "zweiter", {"G2": "x"})
    with signed_in(project) as client:
        response = upload(client, batch, data)
    assert response.status_code == 400
    assert f"is the checklist of batch zweiter, not of {batch}" in text_of(response.text)
    assert all(b["envelopes"]["mailed"] == 0 for b in status_json()["batches"])


def test_the_checklist_form_speaks_german(project: Path, batch: str) -> None:
    data = filled_checklist(project, batch, {"G2": "x"})
    with signed_in(project, language="de") as client:
        page = client.get(f"/batches/{batch}/dispatch").text
        refused = upload(client, batch, data, day="01.01.2099")
    assert "Aus der Versand-Checkliste eintragen" in text_of(page)
    assert "Tag für Kreuze ohne Datum: 01.01.2099 liegt in der Zukunft" in text_of(refused.text)
