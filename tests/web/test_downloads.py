"""A batch's downloads: every file of its folder and nothing outside it, the zip, and the one
PDF to print in printing order."""

from __future__ import annotations

import datetime as dt
import html
import io
import json
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import HEADER, batch_dirs, signer_rows, write_csv
from pypdf import PdfReader
from starlette.testclient import TestClient
from web_client import make_batch, new_draft, signed_in, text_of

from merge.cli import cli

TODAY = dt.date(2026, 11, 30)  # the batch's day of posting, 1.12.2026, is not gone by


@pytest.fixture
def client(project: Path) -> Iterator[TestClient]:
    write_csv(project / "inputs" / "liste.csv", [HEADER, *signer_rows(12)])
    with signed_in(project, today=lambda: TODAY) as client:
        yield client


def paper_rows(page: str) -> list[tuple[str, str, str]]:
    """Return the rows of the downloads page's paper table: (pages, paper, what)."""
    [table] = re.findall(r'<table class="paper">(.*?)</table>', page, re.S)
    rows = re.findall(r"<tr><th scope=\"row\">(.*?)</th><td>(.*?)</td><td>(.*?)</td></tr>", table)
    return [(html.unescape(a), html.unescape(b), html.unescape(c)) for a, b, c in rows]


@pytest.fixture
def batch(client: TestClient, project: Path) -> str:
    """A batch made on the page without PDFs; its name."""
    make_batch(client, new_draft(client, ["liste.csv"]), mail_date="1.12.2026")
    (folder,) = batch_dirs(project)
    return folder.name


def test_the_downloads_list_every_file_of_the_batch_folder(
    client: TestClient, project: Path, batch: str
) -> None:
    page = client.get(f"/batches/{batch}").text
    files = sorted(p.name for p in (project / "outputs" / batch).iterdir())
    for name in files:
        assert f'href="/batches/{batch}/files/{name}"' in page
    text = text_of(page)
    assert "1 envelope; stamps: 1 x €1.80; postage €1.80 (prices 2026)" in text  # as run says
    assert "This batch was made without PDFs" in text
    assert "/print.pdf" not in page
    assert 'class="paper"' not in page  # no PDF, no pages to put paper in for


def test_the_downloads_name_each_document_and_the_day_of_posting(project: Path, batch: str) -> None:
    with signed_in(project, language="de", today=lambda: TODAY) as client:
        page = client.get(f"/batches/{batch}").text
    text = text_of(page)
    assert "Versanddatum (Preise) 01.12.2026" in text
    for shown in (
        "Unterschriftenlisten (petition-lists.docx)",
        "Anschriftenetiketten (labels.docx)",
        "Umschläge (envelopes.docx)",
        "Blatt für den Postschalter (post-office.docx)",
        "Versand-Checkliste (dispatch-checklist.xlsx)",
        "Beschreibung für Programme (manifest.json)",
    ):
        assert shown in text, shown
    assert f'href="/batches/{batch}/files/petition-lists.docx" download>Unterschriftenlisten' in (
        page
    )


def test_a_file_downloads_as_it_is_in_the_folder(
    client: TestClient, project: Path, batch: str
) -> None:
    response = client.get(f"/batches/{batch}/files/manifest.json")
    assert response.status_code == 200
    assert response.content == (project / "outputs" / batch / "manifest.json").read_bytes()
    assert response.headers["content-disposition"] == 'attachment; filename="manifest.json"'
    assert response.headers["cache-control"] == "no-store"


@pytest.mark.parametrize(
    "name", ["..%2Fledger.sqlite", "%2E%2E%2F..%2Ftemplates%2Fxuar.toml", "ledger.sqlite",
             ".hidden", "petition-lists.pdf", "%2Fetc%2Fpasswd"],
)  # fmt: skip
def test_no_address_reaches_outside_the_batch_folder(
    client: TestClient, batch: str, name: str
) -> None:
    assert client.get(f"/batches/{batch}/files/{name}").status_code == 404


def test_an_unknown_batch_is_not_found(client: TestClient, batch: str) -> None:
    for path in (
        "/batches/2020-01-01-9",
        "/batches/%2E%2E",
        "/batches/x/zip",
        "/batches/x/print.pdf",
    ):
        assert client.get(path).status_code == 404, path


def test_the_zip_holds_every_file_of_the_batch(
    client: TestClient, project: Path, batch: str
) -> None:
    response = client.get(f"/batches/{batch}/zip")
    assert response.status_code == 200
    assert response.headers["content-disposition"] == f'attachment; filename="{batch}.zip"'
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    folder = project / "outputs" / batch
    assert sorted(archive.namelist()) == sorted(f"{batch}/{p.name}" for p in folder.iterdir())
    assert archive.read(f"{batch}/manifest.json") == (folder / "manifest.json").read_bytes()


def test_the_made_downloads_leave_no_temporary_file(
    client: TestClient, batch: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(scratch))
    assert client.get(f"/batches/{batch}/zip").status_code == 200
    assert list(scratch.iterdir()) == []


def test_a_batch_made_by_the_cli_elsewhere_is_found_by_the_ledger(
    client: TestClient, project: Path
) -> None:
    result = CliRunner().invoke(cli, ["run", "--no-pdf", "--out", "elsewhere/markt"])
    assert result.exit_code == 0, result.output
    page = client.get("/batches/markt").text
    assert 'href="/batches/markt/files/petition-lists.docx"' in page
    assert client.get("/batches/markt/files/manifest.json").status_code == 200


def test_without_libreoffice_the_page_says_so_in_one_line(
    client: TestClient, batch: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("merge.web.downloads.find_soffice", lambda: None)
    text = text_of(client.get(f"/batches/{batch}").text)
    assert "no PDF: LibreOffice is not installed - install LibreOffice to make PDFs" in text


def test_a_folder_that_is_gone_is_said(client: TestClient, project: Path, batch: str) -> None:
    (project / "outputs" / batch).rename(project / "outputs" / "moved")
    text = text_of(client.get(f"/batches/{batch}").text)
    assert "The folder of this batch is gone" in text


@pytest.mark.soffice
def test_the_print_pdf_joins_lists_labels_envelopes_and_post_office_sheet(project: Path) -> None:
    write_csv(project / "inputs" / "liste.csv", [HEADER, *signer_rows(12)])
    with signed_in(project, language="de") as client:
        # from the last label of the sheet, with return labels: two label sheets
        check = new_draft(client, ["liste.csv"])
        done = make_batch(client, check, pdf="1", start_label="24", return_labels="1")
        assert done["finished"]
        (folder,) = batch_dirs(project)
        page = client.get(f"/batches/{folder.name}").text
        assert "Tatsächliche Größe" in text_of(page)
        assert (
            "Enthält, in der Reihenfolge zum Drucken: Unterschriftenlisten (petition-lists.pdf), "
            "Anschriftenetiketten (labels.pdf), Umschläge (envelopes.pdf), "
            "Blatt für den Postschalter (post-office.pdf)."
        ) in text_of(page)
        response = client.get(f"/batches/{folder.name}/print.pdf")
        zipped = client.get(f"/batches/{folder.name}/zip")
    assert response.status_code == 200
    assert response.headers["content-disposition"] == (
        f'attachment; filename="{folder.name}-print.pdf"'
    )
    joined = PdfReader(io.BytesIO(response.content))
    parts = ["petition-lists.pdf", "labels.pdf", "envelopes.pdf", "post-office.pdf"]
    counts = [len(PdfReader(folder / name).pages) for name in parts]
    assert counts[0] == 3  # 12 signers: three lists
    assert counts[1] == 2  # label 24 of the first sheet, the return label on a second
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["labels"] == {"product": "3422", "start_label": 24, "return_labels": True}
    lists, labels, envelopes, _counter = counts
    after_labels = lists + labels
    assert paper_rows(page) == [
        (f"Seiten 1–{lists}", "A4-Papier", "Unterschriftenlisten"),
        (f"Seite {lists + 1}", "Etikettenbogen Avery Zweckform 3422, ab Etikett 24",
         "Anschriftenetiketten"),
        (f"Seite {lists + 2}", "Etikettenbogen Avery Zweckform 3422 (ein voller Bogen)",
         "Anschriftenetiketten"),
        (f"Seite {after_labels + 1}", "Umschlag DL (einzeln einlegen)", "Umschläge"),
        (f"Seite {after_labels + envelopes + 1}", "A4-Papier", "Blatt für den Postschalter"),
    ]  # fmt: skip
    assert envelopes == 1
    assert len(joined.pages) == sum(counts)
    first_of = [sum(counts[:i]) for i in range(len(parts))]
    for index, name in zip(first_of, parts, strict=True):
        expected = PdfReader(folder / name).pages[0].extract_text()
        assert joined.pages[index].extract_text() == expected, name
    names = zipfile.ZipFile(io.BytesIO(zipped.content)).namelist()
    assert {f"{folder.name}/{name}" for name in parts} <= set(names)
