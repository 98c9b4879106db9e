"""Envelopes as .docx: one page per envelope, the address where the post reads it, or an A4
insert for window envelopes. (Where LibreOffice prints them: tests/render/test_labels.py.)"""

from pathlib import Path

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from merge.errors import InputError
from merge.render.envelopes import render_envelopes

ADDRESSEE = ("President", "Xi Jinping", "Zhongnanhai", "Beijing", "CHINA")
SENDER = "Amnesty-Gruppe Musterstadt, Beispielweg 1, 12345 Musterstadt"


def pages(path: Path) -> list[list[str]]:
    """Return the text lines of every page: a page starts at a page-break-before paragraph."""
    result: list[list[str]] = []
    for paragraph in Document(str(path)).paragraphs:
        if not paragraph.text:
            continue
        if not result or paragraph.paragraph_format.page_break_before:
            result.append([])
        result[-1].append(paragraph.text)
    return result


def test_one_landscape_page_per_envelope_with_the_address_in_its_area(tmp_path: Path) -> None:
    out = tmp_path / "envelopes.docx"
    render_envelopes(out, ADDRESSEE, 3, envelope=" dl ", sender_line=SENDER)
    assert pages(out) == [list(ADDRESSEE)] * 3
    doc = Document(str(out))
    section = doc.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert (section.page_width.twips, section.page_height.twips) == (12472, 6236)  # 220 x 110
    # The block starts 110 mm from the left edge: left margin at the sender line (10 mm,
    # 567 twips) plus an indent of 6236 - 567. At 11 pt its 5 lines take 5 x 253 twips,
    # centred in the 55 mm (3118 twips) from 40 mm (2268) down: 2268 + (3118 - 1265) // 2.
    assert section.left_margin.twips == 567
    assert section.top_margin.twips == 3194
    assert section.right_margin.twips == 12472 - 11622  # to 205 mm
    assert section.bottom_margin.twips == 6236 - 5386  # to 95 mm
    indents = {p.paragraph_format.left_indent.twips for p in doc.paragraphs if p.text}
    assert indents == {6236 - 567}
    assert section.header_distance.twips == 567  # the sender line 10 mm from the top
    assert [p.text for p in section.header.paragraphs] == [SENDER]


def test_window_inserts_put_the_address_into_the_din_5008_field(tmp_path: Path) -> None:
    out = tmp_path / "envelopes.docx"
    render_envelopes(out, ADDRESSEE, 2, window=True, sender_line=SENDER)
    assert pages(out) == [[SENDER, *ADDRESSEE]] * 2
    section = Document(str(out)).sections[0]
    assert section.orientation == WD_ORIENT.PORTRAIT
    assert (section.page_width.twips, section.page_height.twips) == (11906, 16838)  # A4
    assert section.left_margin.twips == 1417  # the text line, 25 mm
    assert section.right_margin.twips == 11906 - 5953  # the field ends at 105 mm
    # The sender line ends where the address zone begins, 62.7 mm (3555 twips) down; too wide
    # for the 80 mm at 8 pt and 7.5 pt, it is set in 7 pt, one line of 161 twips.
    assert section.top_margin.twips == 3555 - 161
    sizes = {r.font.size.pt for p in Document(str(out)).paragraphs[:1] for r in p.runs}
    assert sizes == {7.0}


def test_the_page_break_comes_before_each_envelope_but_the_first(tmp_path: Path) -> None:
    out = tmp_path / "envelopes.docx"
    render_envelopes(out, ADDRESSEE, 4)
    breaks = [p.text for p in Document(str(out)).paragraphs if p.paragraph_format.page_break_before]
    assert breaks == ["President"] * 3
    body = Document(str(out)).element.body
    assert not [br for br in body.iter(qn("w:br")) if br.get(qn("w:type")) == "page"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"count": 0}, "nothing to print: 0 envelopes - ask for at least 1"),
        ({"sender_line": "Absender\nzweite Zeile"}, "the sender line has several lines - give "
         "it as one line"),
        ({"sender_line": " \n "}, "the sender line is empty - give at least one line"),
    ],
)  # fmt: skip
def test_refusals_are_one_line_and_write_nothing(
    tmp_path: Path, kwargs: dict[str, object], message: str
) -> None:
    out = tmp_path / "envelopes.docx"
    arguments: dict[str, object] = {"count": 1, **kwargs}
    with pytest.raises(InputError) as info:
        render_envelopes(out, ADDRESSEE, **arguments)  # type: ignore[arg-type]
    assert str(info.value) == message
    assert not out.exists()
