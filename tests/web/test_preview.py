"""Previews before the batch is made, and the server's warm LibreOffice behind them and its batches.

Real LibreOffice and poppler where marked ``soffice``; invented signers only.
"""

from __future__ import annotations

import logging
import os
import re
import signal
import struct
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import HEADER, batch_dirs, pdf_page_texts, signer_rows, write_xlsx
from starlette.testclient import TestClient
from test_make import status_json_of
from web_client import links_of, make_batch, new_draft, signed_in, text_of, wait_for

from merge.render import office as office_module
from merge.render import pdf
from merge.render.office import WarmOffice
from merge.web import preview

SIGNERS = 60  # 12 lists
PREVIEW_ADDRESS = re.compile(r"^/drafts/\d+/preview(/list/\d+|/labels|/envelope)?(\.png)?(\?.*)?$")
linux_only = pytest.mark.skipif(sys.platform != "linux", reason="reads /proc, kills by id")


@pytest.fixture
def signers(project: Path) -> Path:
    """The project with inputs/unterschriften.xlsx: 60 invented signers."""
    write_xlsx(project / "inputs" / "unterschriften.xlsx", {"S": [HEADER, *signer_rows(SIGNERS)]})
    return project


@pytest.fixture(scope="module")
def shared_office() -> Iterator[WarmOffice]:
    """One warm LibreOffice for the preview tests (each server would otherwise start its own)."""
    with WarmOffice() as started:
        yield started


def needs_uno() -> None:
    if office_module.find_uno_python(pdf.find_soffice()) is None:
        message = "needs a Python with LibreOffice's uno module (python3-uno)"
        if os.environ.get("PETITION_MERGE_REQUIRE_SOFFICE"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture
def client(signers: Path, shared_office: WarmOffice) -> Iterator[TestClient]:
    with signed_in(signers, office=shared_office) as client:
        yield client


def draft_of(client: TestClient) -> str:
    """Make a draft of the 60 signers; return its preview's address."""
    check = new_draft(client, ["unterschriften.xlsx"])
    return check.replace("/check", "/preview")


def png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(b"\x89PNG\r\n\x1a\n"), data[:40]
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.fixture
def list_texts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The text of every page the previews convert, read from their PDFs before they go."""
    texts: list[str] = []
    real = office_module.preview_png

    def reading(office: WarmOffice, docx: Path, work_dir: Path, page: int = 1, **kw: Any) -> bytes:
        made = real(office, docx, work_dir, page, **kw)
        texts.extend(pdf_page_texts(work_dir / f"{docx.stem}.pdf"))
        return made

    monkeypatch.setattr(office_module, "preview_png", reading)
    return texts


# --- the page and its links ---------------------------------------------------------------------


def test_the_check_and_the_options_page_lead_to_the_preview(client: TestClient) -> None:
    check = new_draft(client, ["unterschriften.xlsx"])
    number = check.split("/")[2]
    assert f"/drafts/{number}/preview" in links_of(client.get(check).text)
    options = client.get(check.replace("check", "options")).text
    assert f'formaction="/drafts/{number}/preview" formmethod="get"' in options


def test_the_selector_has_the_list_numbers_prev_and_next_and_no_names(
    client: TestClient,
) -> None:
    address = draft_of(client)
    page = client.get(f"{address}/list/6").text
    text = text_of(page)
    assert "Petition list 6 of 12" in text
    assert "Previous Lists: 1 … 3 4 5 6 7 8 9 … 12 Address labels Envelope Next" in text
    links = [link for link in links_of(page) if "/preview" in link]
    assert f"{address}/list/5" in links and f"{address}/list/7" in links  # prev, next
    assert f"{address}/list/6.png" in links  # the picture
    assert f"{address}/labels" in links and f"{address}/envelope" in links
    assert all(PREVIEW_ADDRESS.match(link) for link in links), links
    assert "Testperson" not in page  # names are in the picture only
    first = client.get(address).text
    assert "Previous" not in text_of(first) and f"{address}/list/1.png" in links_of(first)
    last = text_of(client.get(f"{address}/envelope").text)
    assert "Next" not in last and "Previous" in last


def test_a_list_that_is_not_there_is_a_german_404(signers: Path) -> None:
    with signed_in(signers, language="de") as client:
        address = draft_of(client)
        for missing in ("/list/13", "/list/0", "/list/13.png"):
            response = client.get(address + missing)
            assert response.status_code == 404
            assert response.headers["content-type"].startswith("text/html")
            number = missing.removesuffix(".png").rsplit("/", 1)[1]
            assert (
                "Nicht gefunden Der Versand in Vorbereitung hat die Listen 1 bis 12: eine Liste "
                f"{number} gibt es nicht."
            ) in text_of(response.text)
        assert client.get("/drafts/99/preview").status_code == 404  # no such draft


def test_options_that_do_not_pass_are_said_and_the_defaults_shown(client: TestClient) -> None:
    address = draft_of(client)
    text = text_of(client.get(f"{address}?start_label=99&envelope=C5").text)
    assert "Some options are not valid, so the preview shows the defaults" in text
    assert "Petition list 1 of 12" in text
    chosen = client.get(f"{address}?envelope=C5&start_label=1&blank=3&pdf=1").text
    assert "Petition list 1 of 15" in text_of(chosen)  # three blank lists more
    links = [link for link in links_of(chosen) if "/preview/" in link]
    assert links and all(link.endswith("?envelope=C5&blank=3") for link in links), links


def test_without_libreoffice_one_line_stands_for_the_picture(
    signers: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(preview, "find_soffice", lambda: None)
    with signed_in(signers, language="de") as client:
        address = draft_of(client)
        page = client.get(address).text
        assert "<img" not in page
        assert "Keine Vorschau: LibreOffice ist nicht installiert - " in text_of(page)
        image = client.get(f"{address}/list/1.png")
        assert image.status_code == 503
        assert "Keine Vorschau: LibreOffice ist nicht installiert" in text_of(image.text)


def test_without_lists_the_preview_says_why(client: TestClient, signers: Path) -> None:
    (signers / "inputs" / "unterschriften.xlsx").unlink()
    write_xlsx(signers / "inputs" / "leer.xlsx", {"S": [HEADER]})
    address = new_draft(client, ["leer.xlsx"]).replace("/check", "/preview")
    page = client.get(address).text
    assert "There is no petition list to show" in text_of(page) and "<img" not in page
    assert client.get(f"{address}/list/1.png").status_code == 503


# --- the pictures ---------------------------------------------------------------------------


@pytest.mark.soffice
def test_a_list_is_an_a4_png_of_that_list_alone(
    client: TestClient, list_texts: list[str], caplog: pytest.LogCaptureFixture
) -> None:
    needs_uno()
    caplog.set_level(logging.DEBUG)
    address = draft_of(client)
    one = client.get(f"{address}/list/1.png")
    two = client.get(f"{address}/list/2.png")
    for response in (one, two):
        assert response.status_code == 200
        assert response.headers["content-type"] == "image/png"
        assert response.headers["cache-control"] == "no-store"
        width, height = png_size(response.content)
        assert abs(width / height - 210 / 297) < 0.01  # A4
        assert abs(width - 210 / 25.4 * office_module.PREVIEW_DPI) <= 2
    assert one.content != two.content
    first, second = list_texts
    assert "Liste 1 / 12" in first and "Testperson-5," in first and "Testperson-6," not in first
    assert "Liste 2 / 12" in second and "Testperson-6," in second and "Testperson-10," in second
    assert "preview" in second  # the batch name: the batch is not made yet
    assert "Testperson" not in caplog.text  # nothing of a name in any log line


@pytest.mark.soffice
def test_labels_and_envelope_follow_the_options(client: TestClient, list_texts: list[str]) -> None:
    needs_uno()
    address = draft_of(client)
    dl = client.get(f"{address}/envelope.png")
    c5 = client.get(f"{address}/envelope.png?envelope=C5")
    window = client.get(f"{address}/envelope.png?window=1")
    width, height = png_size(dl.content)
    assert abs(width / height - 220 / 110) < 0.02  # DL, landscape
    width, height = png_size(c5.content)
    assert abs(width / height - 229 / 162) < 0.02
    width, height = png_size(window.content)
    assert abs(width / height - 210 / 297) < 0.01  # an A4 sheet for the window
    labels = client.get(f"{address}/labels.png")
    later = client.get(f"{address}/labels.png?start_label=4")
    assert png_size(labels.content) == png_size(later.content)
    assert labels.content != later.content  # the labels start further on
    assert all("Xi Jinping" in text for text in list_texts)  # the campaign's addressee


@pytest.mark.soffice
def test_previews_write_nothing_and_record_nothing(
    client: TestClient, signers: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    needs_uno()
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    address = draft_of(client)
    before = sorted(path.relative_to(signers) for path in signers.rglob("*"))
    for sheet in ("/list/1", "/list/12", "/labels", "/envelope"):
        assert client.get(address + sheet).status_code == 200
        assert client.get(address + sheet + ".png").status_code == 200
    assert sorted(path.relative_to(signers) for path in signers.rglob("*")) == before
    assert not (signers / "outputs").exists()  # no batch folder, no ledger
    assert list(scratch.iterdir()) == []  # the temporary folders are gone


@pytest.mark.soffice
def test_after_the_batch_the_preview_says_there_is_nothing_new(client: TestClient) -> None:
    address = draft_of(client)
    done = make_batch(client, address.replace("/preview", "/check"))
    assert done["step"] == "finished"
    page = client.get(address).text
    assert "Nothing new for campaign xuar" in text_of(page) and "<img" not in page


# --- the server's warm LibreOffice makes the batches ------------------------------------------


@pytest.mark.soffice
def test_a_batch_on_the_page_gets_its_pdfs_from_the_servers_warm_office(
    client: TestClient, shared_office: WarmOffice, signers: Path
) -> None:
    needs_uno()
    before = shared_office.conversions
    done = make_batch(client, new_draft(client, ["unterschriften.xlsx"]), pdf="1")
    assert done["step"] == "finished"
    assert shared_office.conversions == before + 4  # lists, labels, envelopes, post office
    (folder,) = batch_dirs(signers)
    assert len(pdf_page_texts(folder / "petition-lists.pdf")) == 12
    assert {p.name for p in folder.glob("*.pdf")} == {
        "petition-lists.pdf",
        "labels.pdf",
        "envelopes.pdf",
        "post-office.pdf",
    }


def started(office: WarmOffice, seconds: float = 60) -> int:
    """Wait until the server has started its LibreOffice and warmed it up; return its id."""
    deadline = time.monotonic() + seconds
    while any(thread.name == "petition-merge warm LibreOffice" for thread in threading.enumerate()):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert office.soffice_pid is not None and office.version, office.reason
    return office.soffice_pid


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.soffice
@linux_only
def test_the_server_starts_its_office_with_it_and_stops_it_with_it(signers: Path) -> None:
    needs_uno()
    with signed_in(signers, warm_start=True) as client:
        office = client.app.state.site.office  # type: ignore[attr-defined]
        pid = started(office)
        assert alive(pid)
        assert office.conversions == 0  # its warm-up is not counted
    assert not alive(pid)
    assert office.soffice_pid is None


@pytest.mark.soffice
@linux_only
def test_a_killed_warm_office_is_started_anew_for_the_next_batch(signers: Path) -> None:
    needs_uno()
    with signed_in(signers, warm_start=True) as client:
        office = client.app.state.site.office  # type: ignore[attr-defined]
        first = started(office)
        os.kill(first, signal.SIGKILL)  # soffice; its soffice.bin follows it
        done = make_batch(client, new_draft(client, ["unterschriften.xlsx"]), pdf="1")
        assert done["step"] == "finished", text_of(client.get(done["page"]).text)
        assert office.soffice_pid not in (None, first)
        (folder,) = batch_dirs(signers)
        assert len(pdf_page_texts(folder / "petition-lists.pdf")) == 12


@pytest.mark.soffice
@linux_only
def test_a_warm_office_killed_mid_batch_is_one_line_nothing_recorded_then_the_next_is_made(
    project: Path,
) -> None:
    needs_uno()
    write_xlsx(project / "inputs" / "viele.xlsx", {"S": [HEADER, *signer_rows(1000)]})  # 200
    with signed_in(project, warm_start=True) as client:
        office = client.app.state.site.office  # type: ignore[attr-defined]
        group = started(office)
        check = new_draft(client, ["viele.xlsx"])
        form = {"envelope": "DL", "labels": "3422", "start_label": "1", "blank": "0", "pdf": "1"}
        job = client.post(check.replace("check", "batch"), data=form, follow_redirects=False)
        location = job.headers["location"]
        deadline = time.monotonic() + 120
        while "LibreOffice" not in client.get(f"{location}/status").json()["step"]:
            assert time.monotonic() < deadline
            time.sleep(0.02)
        time.sleep(0.3)  # LibreOffice is laying out the 200 lists now
        os.killpg(group, signal.SIGKILL)
        state = wait_for(client, location)
        assert state["step"] == "stopped"
        text = text_of(client.get(location).text)
        assert "error: LibreOffice stopped while converting " in text
        assert "Nothing was written and nothing recorded." in text
        assert batch_dirs(project) == []  # neither the batch nor its staging folder
        assert status_json_of(project)["batches"] == []

        again = make_batch(client, check, pdf="1")
        assert again["step"] == "finished"
        (folder,) = batch_dirs(project)
        assert len(pdf_page_texts(folder / "petition-lists.pdf")) == 200
        assert office.soffice_pid not in (None, group)
