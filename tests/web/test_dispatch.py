"""The dispatch page of a batch: mark envelopes mailed, discard them, purge the batch, all
through the library calls of mark-mailed, discard and purge, on the CLI's ledger."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import (
    HEADER,
    batch_dirs,
    batch_record,
    ledger_sql,
    record_batches,
    signer_rows,
    status_json,
    write_csv,
)
from starlette.testclient import TestClient
from web_client import links_of, signed_in, text_of

from merge.batch import CHECKLIST, PERSONAL_FILES
from merge.cli import cli
from merge.track.where import LedgerLocation


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


# --- after a done action: redirect to the dispatch page (POST/redirect/GET) ----------------------


def german(day: dt.date) -> str:
    return day.strftime("%d.%m.%Y")


def done_lines(page: str) -> list[str]:
    """The lines of what an action did, as the dispatch page shows them (none: [])."""
    if '<ul class="done"' not in page:
        return []
    block = page.split('<ul class="done"', 1)[1].split("</ul>", 1)[0]
    return [text_of(item) for item in block.split("<li>")[1:]]


def history_length() -> int:
    return len(status_json()["batches"][0]["history"])


def test_marking_redirects_to_the_dispatch_page_and_a_reload_repeats_nothing(
    project: Path, batch: str
) -> None:
    with signed_in(project, language="de") as client:
        sent = client.post(
            f"/batches/{batch}/mailed",
            data={"envelope": "1", "by": "Anna Beispielfrau"},
            follow_redirects=False,
        )
        assert sent.status_code == 303
        location = sent.headers["location"]
        assert location.startswith(f"/batches/{batch}/dispatch?done=")
        assert "Anna" not in location and "Beispielfrau" not in location
        after = history_length()
        shown = client.get(location)
        assert shown.status_code == 200
        assert done_lines(shown.text) == [f"{batch}:1: verschickt am {german(dt.date.today())}"]
        assert "Anna Beispielfrau" in text_of(shown.text)  # the table says who mailed it
        reload = client.get(location)  # the browser's reload: the page, nothing done again
    assert reload.status_code == 200
    assert done_lines(reload.text) == []
    assert "Als verschickt eintragen" in reload.text and "Nicht möglich" not in reload.text
    assert history_length() == after == 1


def test_discarding_and_purging_redirect_too(project: Path, batch: str) -> None:
    with signed_in(project, language="de") as client:
        asked = client.post(f"/batches/{batch}/discard", data={"envelope": "1"})
        assert asked.status_code == 200 and "Verwerfen?" in asked.text  # the question: no redirect
        discarded = client.post(
            f"/batches/{batch}/discard",
            data={"envelope": "1", "confirm": "1"},
            follow_redirects=False,
        )
        assert discarded.status_code == 303
        shown = client.get(discarded.headers["location"])
        (line,) = done_lines(shown.text)
        assert line.startswith(f"{batch}:1: verworfen")
        assert done_lines(client.get(discarded.headers["location"]).text) == []
        client.post(f"/batches/{batch}/mailed", data={"envelope": "2"})
        purged = client.post(
            f"/batches/{batch}/purge", data={"confirm": "1"}, follow_redirects=False
        )
        assert purged.status_code == 303
        location = purged.headers["location"]
        assert location.startswith(f"/batches/{batch}/dispatch?done=")
        (line,) = done_lines(client.get(location).text)
        assert line.startswith(f"{batch}: Namen und Anschriften gelöscht")
        again = client.get(location)
    assert again.status_code == 200 and done_lines(again.text) == []
    assert status_json()["batches"][0]["purged_on"] == today()


def test_a_get_of_a_forms_address_shows_the_dispatch_page(project: Path, batch: str) -> None:
    before = status_json()["batches"][0]
    with signed_in(project, language="de") as client:
        for action in ("mailed", "discard", "purge"):
            response = client.get(f"/batches/{batch}/{action}", follow_redirects=False)
            assert response.status_code == 303
            assert response.headers["location"] == f"/batches/{batch}/dispatch"
            page = client.get(f"/batches/{batch}/{action}")
            assert page.status_code == 200
            assert "Nicht möglich" not in page.text and "Als verschickt eintragen" in page.text
    assert status_json()["batches"][0] == before


def test_a_token_shows_only_on_the_page_of_its_batch(client: TestClient, batch: str) -> None:
    sent = client.post(f"/batches/{batch}/mailed", data={"envelope": "1"}, follow_redirects=False)
    token = sent.headers["location"].split("?done=")[1]
    assert done_lines(client.get(f"/batches/{batch}/dispatch?done=made-up").text) == []
    assert client.get(f"/batches/2020-01-01-9/dispatch?done={token}").status_code == 404
    assert done_lines(client.get(f"/batches/{batch}/dispatch?done={token}").text) != []


def test_names_never_go_into_an_address(project: Path, batch: str) -> None:
    names = ("Bernd", "Beispielmann", "Testperson", "Beispielweg")
    with signed_in(project, language="de") as client:
        locations = []
        for data in (
            {"envelope": "1", "by": "Anna Beispielmann"},
            {"envelope": "1", "by": "Bernd Beispielmann", "correct": "1"},
            {"envelope": "2", "by": "Bernd Beispielmann"},
        ):
            sent = client.post(f"/batches/{batch}/mailed", data=data, follow_redirects=False)
            assert sent.status_code == 303
            locations.append(sent.headers["location"])
        pages = [client.get(location).text for location in locations]
    assert "Bernd Beispielmann" in pages[1]  # the page says it, the address never does
    for address in [*locations, *(link for page in pages for link in links_of(page))]:
        assert not any(name in address for name in names), address


# --- the discard question names the envelopes -----------------------------------------------


@pytest.fixture
def five(project: Path) -> str:
    """A batch of 45 signers on 9 lists in 5 envelopes of at most 2 lists."""
    write_csv(project / "inputs" / "liste.csv", [HEADER, *signer_rows(45)])
    run("run", "--no-pdf", "--envelope", "DL", "--per-envelope", "2")
    (folder,) = batch_dirs(project)
    return folder.name


def test_the_discard_question_names_the_envelopes_by_number(project: Path, five: str) -> None:
    run("mark-mailed", f"{five}:2")
    with signed_in(project, language="de") as client:
        one = client.post(f"/batches/{five}/discard", data={"envelope": "5"})
        some = client.post(f"/batches/{five}/discard", data={"envelope": ["1", "2", "3", "4"]})
        whole = client.post(f"/batches/{five}/discard", data={"whole": "1"})
    assert "Umschlag 5 (1 Liste) wird verworfen." in text_of(one.text)
    assert "Die Unterschriften von 5 Personen können dann wieder auf neue Listen" in text_of(
        one.text
    )
    text = text_of(some.text)
    assert "Umschläge 1, 3–4 (6 Listen) werden verworfen." in text
    assert "Die Unterschriften von 30 Personen können dann wieder auf neue Listen" in text
    assert "Umschlag 2 bleibt, wie er ist (schon verschickt oder verworfen)." in text
    assert "Umschläge 1, 3–5 (7 Listen) werden verworfen." in text_of(whole.text)
    assert "Testperson" not in some.text + whole.text
    assert status_json()["batches"][0]["envelopes"]["discarded"] == 0  # only asked


def test_nothing_left_to_discard_is_said_without_asking(project: Path, five: str) -> None:
    run("mark-mailed", f"{five}:1-2")
    with signed_in(project, language="de") as client:
        response = client.post(f"/batches/{five}/discard", data={"envelope": ["1", "2"]})
    assert response.status_code == 400
    assert error_line(response.text) == (
        "Umschläge 1–2 sind schon verschickt oder verworfen - nichts wurde geändert."
    )


def test_the_discarding_buttons_look_apart_and_stay_buttons(client: TestClient, batch: str) -> None:
    page = client.get(f"/batches/{batch}/dispatch").text
    mark = page.split(">Mark as mailed</button>")[0].rsplit("<button", 1)[1]
    assert 'class="danger"' not in mark
    for label in ("Discard the ticked envelopes ...", "Discard the whole batch ..."):
        button = page.split(f">{label}</button>")[0].rsplit("<button", 1)[1]
        assert 'type="submit"' in button and 'class="danger"' in button
    asked = client.post(f"/batches/{batch}/discard", data={"whole": "1"}).text
    assert '<button type="submit" class="danger confirm">Discard</button>' in asked
    css = (Path(__file__).parents[2] / "merge" / "web" / "static" / "page.css").read_text("utf-8")
    assert "button.danger {" in css and "button.danger.confirm {" in css


# --- a correction says the new day and person, on the CLI as on the page ---------------------


def test_a_correction_says_the_new_day_and_person_in_the_cli_and_on_the_page(
    project: Path, batch: str
) -> None:
    first = dt.date.today()
    later = first + dt.timedelta(days=1)
    run("mark-mailed", f"{batch}:1-2", "--by", "Anna K.")
    cli_line = run(
        "mark-mailed", "--lang", "de", f"{batch}:1", "--date", german(first), "--by", "Bernd L.",
        "--correct",
    )  # fmt: skip
    said = (
        f"{batch}:1: korrigiert: verschickt am {german(first)} von Bernd L. "
        f"(vorher: verschickt am {german(first)} von Anna K.)"
    )
    assert said in cli_line
    with signed_in(project, language="de", today=lambda: later) as client:
        form = {"envelope": "2", "day": german(later), "by": "Bernd L.", "correct": "1"}
        page = client.post(f"/batches/{batch}/mailed", data=form)
    assert done_lines(page.text) == [
        f"{batch}:2: korrigiert: verschickt am {german(later)} von Bernd L. "
        f"(vorher: verschickt am {german(first)} von Anna K.)"
    ]


# --- the day field starts with the batch's planned mailing day ---------------------------------


def day_field(page: str) -> str:
    tag = page.split('id="day"', 1)[1].split(">", 1)[0]
    return tag.split('value="', 1)[1].split('"', 1)[0]


def test_the_day_is_the_planned_mailing_day_once_it_has_come(project: Path) -> None:
    planned = dt.date.today() + dt.timedelta(days=2)
    write_csv(project / "inputs" / "liste.csv", [HEADER, *signer_rows(12)])
    run("run", "--no-pdf", "--mail-date", planned.isoformat())
    (folder,) = batch_dirs(project)
    address = f"/batches/{folder.name}/dispatch"
    with signed_in(project, language="de") as client:
        before = client.get(address).text  # the planned day is still to come: empty, today
    for day in (planned, planned + dt.timedelta(days=5)):
        with signed_in(project, language="de", today=lambda day=day: day) as client:
            assert day_field(client.get(address).text) == german(planned)
    assert day_field(before) == ""
    assert "(leer: heute)" in text_of(before)


def test_the_day_is_empty_without_a_manifest(project: Path, batch: str) -> None:
    (project / "outputs" / batch / "manifest.json").unlink()
    with signed_in(project) as client:
        page = client.get(f"/batches/{batch}/dispatch")
    assert page.status_code == 200 and day_field(page.text) == ""


def test_the_discard_question_has_an_address_of_numbers_only(project: Path, five: str) -> None:
    form = {"envelope": ["1", "3", "4"], "day": "", "by": "Bernd Beispielmann"}  # the mail form
    with signed_in(project, language="de") as client:
        asked = client.post(f"/batches/{five}/discard", data=form, follow_redirects=False)
        assert asked.status_code == 303
        question = asked.headers["location"]
        assert question == f"/batches/{five}/discard?envelopes=1,3-4"
        shown = [client.get(question) for _ in range(2)]  # a reload asks again, no more
        assert all("Umschläge 1, 3–4 (6 Listen) werden verworfen." in text_of(page.text)
                   for page in shown)  # fmt: skip
        assert status_json()["batches"][0]["envelopes"]["discarded"] == 0
        confirm = {"envelope": ["1", "3", "4"], "confirm": "1"}
        done = client.post(f"/batches/{five}/discard", data=confirm, follow_redirects=False)
        assert done.status_code == 303 and "?done=" in done.headers["location"]
        back = client.get(question)  # the browser's back button, after discarding
        assert back.status_code == 400
        assert error_line(back.text) == (
            "Umschläge 1, 3–4 sind schon verschickt oder verworfen - nichts wurde geändert."
        )
        for wrong in ("99", "0", "x", "2-1", "1-999999999999", ""):
            response = client.get(f"/batches/{five}/discard?envelopes={wrong}")
            assert response.status_code == 400, wrong
            assert "Kreuzen Sie zuerst mindestens einen Umschlag an" in error_line(response.text)
    assert status_json()["batches"][0]["envelopes"]["discarded"] == 3


def test_the_purge_question_has_an_address_too(project: Path, batch: str) -> None:
    run("mark-mailed", f"{batch}:1-2")
    with signed_in(project, language="de") as client:
        asked = client.post(f"/batches/{batch}/purge", follow_redirects=False)
        assert asked.status_code == 303
        assert asked.headers["location"] == f"/batches/{batch}/purge?ask=1"
        question = client.get(asked.headers["location"])
        assert question.status_code == 200 and "Namen und Anschriften löschen?" in question.text
        client.post(f"/batches/{batch}/purge", data={"confirm": "1"})
        back = client.get(asked.headers["location"])
    assert back.status_code == 400 and "Nichts zu löschen" in error_line(back.text)


# --- a shared ledger: another group's batch -------------------------------------------------


@pytest.mark.postgres
def test_on_a_shared_ledger_the_page_refuses_to_discard_or_purge_another_groups_batch(
    project: Path, postgres_ledger: LedgerLocation
) -> None:
    record = batch_record("a-1", project / "outputs", 5, [1, 1])
    record_batches(postgres_ledger, record._replace(batch=replace(record.batch, group="gruppe-a")))
    refusal = (
        "batch a-1 was prepared by group gruppe-a - only that group can discard it; to act as "
        "that group, give --group gruppe-a"
    )
    with signed_in(project, ledger=postgres_ledger, group="gruppe-b") as client:
        page = client.get("/batches/a-1/dispatch").text  # offers what gruppe-b may do only
        assert "/batches/a-1/mailed" in page
        assert "/batches/a-1/discard" not in page and "/batches/a-1/purge" not in page
        assert (
            "Group gruppe-a prepared this batch: only that group can discard it or delete its "
            "names and addresses (petition-merge serve --group gruppe-a)."
        ) in text_of(page)
        asked = client.post("/batches/a-1/discard", data={"whole": "1"})  # to the question
        assert asked.status_code == 400 and refusal in text_of(asked.text)
        sent = client.post("/batches/a-1/discard", data={"whole": "1", "confirm": "1"})
        assert sent.status_code == 400 and refusal in text_of(sent.text)
        mailed = client.post("/batches/a-1/mailed", data={"envelope": "1", "day": "28.11.2026"})
        assert mailed.status_code == 200
        assert "a-1:1: mailed on 2026-11-28 (a batch of group gruppe-a)" in text_of(mailed.text)
        purged = client.post("/batches/a-1/purge", data={"confirm": "1"})
        assert purged.status_code == 400
        assert "was prepared by group gruppe-a - purge it in" in text_of(purged.text)
    states = ledger_sql(postgres_ledger, "SELECT state FROM envelopes")
    assert states == [("mailed",)]
    with signed_in(project, ledger=postgres_ledger, group="gruppe-a") as client:
        assert "/batches/a-1/discard" in client.get("/batches/a-1/dispatch").text  # its own
        purged = client.post("/batches/a-1/purge", data={"confirm": "1"})
        assert purged.status_code == 200 and "Purged a-1" in text_of(purged.text)


@pytest.mark.postgres
def test_the_checklist_of_a_batch_renamed_by_migrate_marks_it_not_the_other_groups(
    project: Path, tmp_path: Path, postgres_ledger: LedgerLocation, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = postgres_ledger.url
    assert url is not None
    # gruppe-b's batch x-1 is on the shared ledger; gruppe-a made its own x-1 on its SQLite
    # ledger, then migrated it, renamed: its printed checklist still says x-1.
    other = tmp_path.parent / f"{tmp_path.name}-gruppe-b"
    shutil.copytree(project / "templates", other / "templates")
    (other / "inputs").mkdir()
    write_csv(other / "inputs" / "liste.csv", [HEADER, *signer_rows(5, start=100)])
    monkeypatch.chdir(other)
    run("run", "--no-pdf", "--out", "outputs/x-1", "--ledger", url, "--group", "gruppe-b")
    monkeypatch.chdir(project)
    write_csv(project / "inputs" / "liste.csv", [HEADER, *signer_rows(7)])
    run("run", "--no-pdf", "--out", "outputs/x-1", "--group", "gruppe-a")
    run("ledger", "migrate", "outputs/ledger.sqlite", url, "--rename")
    data = filled_checklist(project, "x-1", {"G2": "x"})
    with signed_in(project, ledger=postgres_ledger, group="gruppe-a") as client:
        page = text_of(client.get("/batches/x-1-gruppe-a/dispatch").text)
        assert "Its printed lists and its dispatch checklist say x-1" in page, page
        response = upload(client, "x-1-gruppe-a", data, by="Anna")
        assert response.status_code == 200, text_of(response.text)
        assert f"x-1-gruppe-a:1: mailed on {today()}" in text_of(response.text)
    envelopes = ledger_sql(postgres_ledger, "SELECT batch, state FROM envelopes ORDER BY 1")
    assert envelopes == [("x-1", "prepared"), ("x-1-gruppe-a", "mailed")]
