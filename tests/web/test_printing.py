"""The paper for each page of the print PDF, counted in real PDFs and read from the manifest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfWriter

from merge import i18n
from merge.web.printing import Pages, named, paper_guide

A4 = (595, 842)


@pytest.fixture(autouse=True)
def german() -> None:
    i18n.activate("de")


def pdf(folder: Path, name: str, pages: int, size: tuple[int, int] = A4) -> Path:
    """Write a PDF of ``pages`` blank pages."""
    writer = PdfWriter()
    for _page in range(pages):
        writer.add_blank_page(*size)
    path = folder / name
    with path.open("wb") as out:
        writer.write(out)
    return path


def manifest(**labels: Any) -> dict[str, Any]:
    return {
        "postage": {"envelope_format": "C5", "address_sheets_per_envelope": 0},
        "labels": {"product": "3422", "start_label": 1, "return_labels": False, **labels},
    }


def test_each_part_gets_its_pages_in_printing_order(tmp_path: Path) -> None:
    parts = [
        pdf(tmp_path, "petition-lists.pdf", 9),
        pdf(tmp_path, "labels.pdf", 1),
        pdf(tmp_path, "envelopes.pdf", 2, (649, 459)),
        pdf(tmp_path, "post-office.pdf", 1),
    ]
    assert paper_guide(parts, manifest(start_label=3)) == [
        Pages(1, 9, "A4-Papier", "Unterschriftenlisten"),
        Pages(10, 10, "Etikettenbogen Avery Zweckform 3422, ab Etikett 3", "Anschriftenetiketten"),
        Pages(11, 12, "Umschläge C5 (einzeln einlegen)", "Umschläge"),
        Pages(13, 13, "A4-Papier", "Blatt für den Postschalter"),
    ]
    assert [p.pages for p in paper_guide(parts, manifest())] == [
        "Seiten 1–9", "Seite 10", "Seiten 11–12", "Seite 13"
    ]  # fmt: skip


def test_labels_from_the_first_label_are_whole_sheets(tmp_path: Path) -> None:
    parts = [pdf(tmp_path, "labels.pdf", 3)]
    assert paper_guide(parts, manifest()) == [
        Pages(1, 3, "Etikettenbögen Avery Zweckform 3422", "Anschriftenetiketten")
    ]
    assert paper_guide(parts, manifest(start_label=7)) == [
        Pages(1, 1, "Etikettenbogen Avery Zweckform 3422, ab Etikett 7", "Anschriftenetiketten"),
        Pages(2, 3, "Etikettenbögen Avery Zweckform 3422 (volle Bögen)", "Anschriftenetiketten"),
    ]


def test_window_envelopes_get_a4_address_sheets(tmp_path: Path) -> None:
    window = manifest()
    window["postage"]["address_sheets_per_envelope"] = 1
    parts = [pdf(tmp_path, "envelopes.pdf", 4)]
    expected = [Pages(1, 4, "A4-Papier", "Anschriftenblätter für Fensterumschläge")]
    assert paper_guide(parts, window) == expected
    assert named("envelopes.docx", window) == (
        "Anschriftenblätter für Fensterumschläge (envelopes.docx)"
    )


def test_a_batch_made_before_the_labels_were_recorded_names_no_product(tmp_path: Path) -> None:
    parts = [pdf(tmp_path, "labels.pdf", 1)]
    assert paper_guide(parts, {}) == [Pages(1, 1, "Etikettenbogen", "Anschriftenetiketten")]
    other = manifest(product="XY-99", start_label=2)  # not in this installation's labels.json
    assert paper_guide(parts, other)[0].paper == "Etikettenbogen XY-99, ab Etikett 2"


def test_a_pdf_that_cannot_be_read_gives_no_page_numbers(tmp_path: Path) -> None:
    lists = pdf(tmp_path, "petition-lists.pdf", 2)
    broken = tmp_path / "labels.pdf"
    broken.write_bytes(b"%PDF-1.7\nnot a pdf")
    assert paper_guide([lists, broken], manifest()) == []
    assert paper_guide([lists, tmp_path / "envelopes.pdf"], manifest()) == []  # gone


def test_english_names_are_the_files_own(tmp_path: Path) -> None:
    i18n.activate("en")
    assert named("post-office.pdf", {}) == "Sheet for the post-office counter (post-office.pdf)"
    assert named("notes.txt", {}) == "notes.txt"
    parts = [pdf(tmp_path, "envelopes.pdf", 1)]
    assert paper_guide(parts, manifest())[0].paper == "Envelope C5 (feed one at a time)"
