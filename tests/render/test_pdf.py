"""The PDF of a large batch is made in parts side by side and joined in order."""

import subprocess
from pathlib import Path

import pytest
from conftest import ROOT

from merge.campaign import load_campaign
from merge.errors import OutputError
from merge.lists.paginate import paginate
from merge.lists.signer import Signer
from merge.render import pdf
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
    with pytest.raises(OutputError, match="made 2 pages for 1 lists"):
        pdf._join([part], tmp_path / "out.pdf", 1)
    assert not (tmp_path / "out.pdf").exists()
