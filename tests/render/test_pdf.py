"""Word -> PDF with LibreOffice: every list on one page in full, large batches in parts."""

from __future__ import annotations

import contextvars
import re
import shutil
import subprocess
from html import unescape
from pathlib import Path

import pytest
from conftest import (
    BATCH,
    ROOT,
    TEMPLATE,
    TRICKY_NAMES,
    address_at_limit,
    name_at_limit,
    pages_of,
)
from conftest import petition_signer as signer

from merge import i18n
from merge.campaign import Campaign, load_campaign
from merge.errors import OutputError
from merge.lists import fit
from merge.lists.fit import RowFit
from merge.lists.paginate import paginate
from merge.lists.signer import Signer
from merge.render import pdf
from merge.render.pdf import convert_to_pdf
from merge.render.petitions import render_petitions


def signers(count: int) -> list[Signer]:
    return [
        Signer(
            f"f:S:{n}", f"Testperson-{n}, Erika", (f"Beispielweg {n}", "12345 Musterstadt"), str(n)
        )
        for n in range(1, count + 1)
    ]


@pytest.mark.soffice
def test_parts_are_converted_in_parallel_and_joined_in_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf, "PAGES_PER_PART", 3)
    campaign = load_campaign(None, ROOT)
    pages = list(paginate(signers(38)))  # 8 lists: parts of 3, 3 and 2 (at most 3 a part)
    seen: list[tuple[int, int]] = []

    def write_part(first: int, last: int, out: Path) -> None:
        render_petitions(campaign.template, campaign, pages[first:last], "b-1", out, total=8)

    out = tmp_path / "lists.pdf"
    pdf.convert_in_parts(
        write_part, 8, out, workers=2, reporter=lambda r: seen.append((r.done, r.total))
    )
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True)
    sheets = text.stdout.split("\f")[:-1]
    assert len(sheets) == 8
    for number, sheet in enumerate(sheets, start=1):
        assert f"Liste {number} / 8 · b-1" in sheet
    assert "Testperson-36, Erika" in sheets[7]
    assert seen == [(0, 8), (3, 8), (6, 8), (8, 8)]


def test_a_page_count_that_does_not_match_is_an_output_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pypdf import PdfWriter

    part = tmp_path / "part.pdf"
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_blank_page(595, 842)
    writer.write(str(part))
    with pytest.raises(OutputError, match="made 2 pages for 1 list - "):
        pdf._join([part], tmp_path / "out.pdf", 1)
    assert not (tmp_path / "out.pdf").exists()


def test_pdf_without_libreoffice_says_how_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("merge.render.pdf.find_soffice", lambda: None)
    with pytest.raises(OutputError) as info:
        convert_to_pdf(TEMPLATE, tmp_path / "x.pdf")
    assert "libreoffice-writer-nogui" in str(info.value)
    assert "--no-pdf" in str(info.value)


def test_failing_libreoffice_is_one_output_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    false = shutil.which("false")
    assert false is not None
    monkeypatch.setattr("merge.render.pdf.find_soffice", lambda: false)
    with pytest.raises(OutputError) as info:
        convert_to_pdf(TEMPLATE, tmp_path / "x.pdf")
    message = str(info.value)
    # the file by its name: in a batch, its folder is a half-built one about to be removed
    assert message.startswith(f"LibreOffice could not convert {TEMPLATE.name}: exit 1")
    assert message.endswith("try again with --no-pdf to keep the .docx only")
    assert not (tmp_path / "x.pdf").exists()


def test_a_crashed_libreoffice_is_called_a_crash_and_the_page_gets_its_own_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A LibreOffice killed by a signal "crashed" (not "exit -9"); on the web page the way
    out is the options' tick box, not the CLI's --no-pdf."""
    crash = tmp_path / "soffice"
    crash.write_text("#!/bin/sh\nkill -9 $$\n", encoding="utf-8")
    crash.chmod(0o755)
    monkeypatch.setattr("merge.render.pdf.find_soffice", lambda: str(crash))
    with pytest.raises(OutputError) as info:
        convert_to_pdf(TEMPLATE, tmp_path / "x.pdf")
    assert str(info.value).startswith(
        f"LibreOffice could not convert {TEMPLATE.name}: it crashed (signal 9) - try again "
        "with --no-pdf"
    )

    def on_the_page() -> str:
        i18n.speak_for_page()
        with pytest.raises(OutputError) as info:
            convert_to_pdf(TEMPLATE, tmp_path / "x.pdf")
        return str(info.value)

    said = contextvars.copy_context().run(on_the_page)
    assert "--no-pdf" not in said
    assert said.endswith('make the batch again with "Make PDFs with LibreOffice" unticked in the '
                         "options")  # fmt: skip
    assert not i18n.on_page()  # the page's words stayed in that context


LAST = "Wolfenbüttel-Schwarzenbergerhausen-Müllerdorfmanns"  # 50 characters


FIRST = "Maximiliane-Josefine Anneliese"  # 30 characters


MAX_ADDRESS = (
    "Großherzog-Friedrich-Wilhelm-Straße 127, Hinterhof",
    "Wohnung 14, 3. Obergeschoss links, bei Familie Ötz",
    "D-79098 Freiburg im Breisgau, Baden-Württemberg DE",
)


def squeeze(text: str) -> str:
    """Drop whitespace and hyphens: pdftotext joins words hyphenated at a line end."""
    return "".join(text.split()).replace("-", "")


def pdf_words(pdf: Path, page: int) -> list[tuple[float, float, float, str]]:
    """Return (x, y-top, y-bottom, word) for every word on one page, from pdftotext -bbox."""
    html = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    pattern = r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<'
    return [
        (float(x), float(y0), float(y1), unescape(w)) for x, y0, y1, w in re.findall(pattern, html)
    ]


def column_edges(template: Path) -> list[float]:
    """Return the x positions in points of the signer table's column edges, from the
    template's left margin and table grid."""
    import zipfile

    from lxml import etree

    with zipfile.ZipFile(template) as docx:
        root = etree.fromstring(docx.read("word/document.xml"))
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    left = int(root.find(f".//{w}body/{w}sectPr/{w}pgMar").get(f"{w}left")) / 20
    edges = [left]
    for col in root.find(f".//{w}tbl/{w}tblGrid").iter(f"{w}gridCol"):
        edges.append(edges[-1] + int(col.get(f"{w}w")) / 20)
    return edges


def column_lines(
    words: list[tuple[float, float, float, str]],
    edges: list[float],
    column: int,
    top: float,
    bottom: float,
) -> list[str]:
    """Return the printed lines of one table column between two heights, top to bottom."""
    left, right = edges[column], edges[column + 1]
    lines: dict[int, list[tuple[float, str]]] = {}
    for x, y0, _, word in words:
        if left <= x < right and top < y0 < bottom:
            lines.setdefault(round(y0), []).append((x, word))
    return [" ".join(w for _, w in sorted(lines[y])) for y in sorted(lines)]


@pytest.mark.soffice
def test_pdf_prints_every_list_on_one_page_in_full(
    tmp_path: Path, campaign: Campaign, shipped_fit: RowFit
) -> None:
    maximal = tuple(signer(n, f"{LAST}, {FIRST}", MAX_ADDRESS) for n in range(5))
    limit = tuple(
        signer(10 + n, name_at_limit(shipped_fit, n), address_at_limit(shipped_fit, n))
        for n in range(5)
    )
    tricky = tuple(signer(20 + n, name) for n, name in enumerate(TRICKY_NAMES[:4]))
    pages = pages_of(maximal, limit, (*tricky, None), (None,) * 5)
    name_cell, address_cell = shipped_fit.geometry.name, shipped_fit.geometry.address
    for person in limit:
        assert len(fit.cell_lines((person.name,), name_cell)) == 6
        assert len(fit.cell_lines(person.address, address_cell)) == 6
    docx, pdf = tmp_path / "lists.docx", tmp_path / "lists.pdf"
    render_petitions(TEMPLATE, campaign, pages, BATCH, docx)
    convert_to_pdf(docx, pdf)

    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    assert re.search(r"^Pages:\s+4$", info.stdout, re.MULTILINE)
    edges = column_edges(TEMPLATE)
    for page, people in ((1, maximal), (2, limit), (3, tricky)):
        words = pdf_words(pdf, page)
        top = next(y1 for _, _, y1, w in words if w == "Anschrift")
        bottom = [y0 for _, y0, _, w in words if w == "Die"][-1]  # the privacy note
        names = column_lines(words, edges, 1, top, bottom)
        addresses = column_lines(words, edges, 2, top, bottom)
        for person in people:
            if person is not tricky[3]:  # pdftotext gives Arabic in visual order
                assert squeeze(person.name) in squeeze(" ".join(names))
            assert squeeze(" ".join(person.address)) in squeeze(" ".join(addresses))
        # LibreOffice never needs more lines than the estimate.
        assert len(names) <= sum(len(fit.cell_lines((p.name,), name_cell)) for p in people)
        assert len(addresses) <= sum(len(fit.cell_lines(p.address, address_cell)) for p in people)
        # The body ends well above the footer.
        deadline_bottom = max(y1 for _, y0, y1, w in words if w == "Bitte")
        footer_top = min(y0 for _, y0, _, w in words if w == "AMNESTY")
        assert footer_top - deadline_bottom > 50  # points
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True)
    assert text.stdout.count("Bitte senden Sie diese Petitionsliste") == 4  # once on every page

    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True)
    assert "LiberationSans" in fonts.stdout
    assert "CJK" in fonts.stdout
    assert "DejaVuSans" in fonts.stdout  # Arabic glyphs come from DejaVu Sans
