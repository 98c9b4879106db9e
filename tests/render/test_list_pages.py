"""Each list starts a page of its own, whatever a save in LibreOffice did to the template."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from conftest import (
    BATCH,
    TEMPLATE,
    edited_template,
    invoke,
    pages_of,
    pdf_page_texts,
    resave_with_libreoffice,
)
from conftest import petition_signer as signer

from merge.campaign import Campaign
from merge.render.pdf import convert_to_pdf
from merge.render.petitions import render_petitions
from merge.render.template_check import check_template

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
REFERENCE = '<w:pPr><w:pStyle w:val="PetitionReference"/><w:pageBreakBefore/></w:pPr>'
NO_BREAK = '<w:pPr><w:pStyle w:val="PetitionReference"/></w:pPr>'
LOOP = "<w:r><w:t>{%p for list in lists %}</w:t></w:r>"


def three_lists() -> list:  # type: ignore[type-arg]
    return pages_of(*[(signer(n, f"Testperson-{n}, Erika"), *[None] * 4) for n in (1, 2, 3)])


def list_starts(docx: Path) -> list[tuple[str, bool]]:
    """Return (text, has page break before) of every paragraph that starts 'Liste'."""
    with zipfile.ZipFile(docx) as package:
        xml = package.read("word/document.xml").decode()
    found = []
    for paragraph in re.findall(r"<w:p>.*?</w:p>|<w:p .*?</w:p>", xml):
        text = "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", paragraph))
        if text.startswith("Liste "):
            found.append((text.split(" · ")[0], "<w:pageBreakBefore/>" in paragraph))
    return found


def test_the_renderer_starts_every_list_with_a_page_break(
    tmp_path: Path, campaign: Campaign
) -> None:
    out = tmp_path / "lists.docx"
    render_petitions(TEMPLATE, campaign, three_lists(), BATCH, out)
    assert list_starts(out) == [("Liste 1 / 3", True), ("Liste 2 / 3", True), ("Liste 3 / 3", True)]


def test_a_break_moved_into_the_loop_paragraph_is_put_back(
    tmp_path: Path, campaign: Campaign
) -> None:
    """What LibreOffice 7.4 does on saving: the break goes to the end of the loop paragraph,
    which docxtpl deletes."""
    moved = edited_template(
        tmp_path,
        lambda xml: xml.replace(REFERENCE, NO_BREAK).replace(
            LOOP, LOOP + '<w:r><w:br w:type="page"/></w:r>'
        ),
    )
    assert check_template(moved) == []
    out = tmp_path / "lists.docx"
    render_petitions(moved, campaign, three_lists(), BATCH, out)
    assert [has_break for _, has_break in list_starts(out)] == [True, True, True]


@pytest.mark.soffice
@pytest.mark.parametrize(
    "kind",
    ["as shipped", "break in the paragraph style", "page break typed at the start"],
)
def test_lists_start_their_own_pages_after_a_libreoffice_save(
    tmp_path: Path, campaign: Campaign, kind: str
) -> None:
    if kind == "as shipped":
        template = TEMPLATE
    elif kind == "break in the paragraph style":
        unbroken = edited_template(tmp_path, lambda xml: xml.replace(REFERENCE, NO_BREAK))
        template = edited_template(
            tmp_path,
            lambda xml: re.sub(
                r'(w:styleId="PetitionReference".*?<w:pPr>)',
                r"\1<w:pageBreakBefore/>",
                xml,
                count=1,
                flags=re.S,
            ),
            part="word/styles.xml",
            source=unbroken,
            name="styled.docx",
        )
    else:
        template = edited_template(
            tmp_path,
            lambda xml: xml.replace(REFERENCE, NO_BREAK).replace(
                "<w:r><w:t>Liste {{", '<w:r><w:br w:type="page"/><w:t>Liste {{'
            ),
        )
    resaved = resave_with_libreoffice(template, tmp_path / "resaved")
    code = invoke("check-template", str(resaved)).exit_code
    assert code == 0
    out = tmp_path / "lists.docx"
    render_petitions(resaved, campaign, three_lists(), BATCH, out)
    convert_to_pdf(out, out.with_suffix(".pdf"))
    pages = pdf_page_texts(out.with_suffix(".pdf"))
    assert len(pages) == 3
    for number, page in enumerate(pages, 1):
        assert f"Liste {number} / 3" in page
        assert f"Testperson-{number}, Erika" in page


def break_at(tmp_path: Path, old: str, new: str, part: str = "word/document.xml") -> Path:
    return edited_template(tmp_path, lambda xml: xml.replace(old, new, 1), part=part)


SECTION = (
    '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/>'
    '<w:pgMar w:top="510" w:right="794" w:bottom="1531" w:left="907" w:header="283" '
    'w:footer="397" w:gutter="0"/></w:sectPr>'
)


@pytest.mark.parametrize(
    ("old", "new", "part", "where", "expected"),
    [
        (
            "<w:r><w:t>{{ campaign.title }}</w:t></w:r>",
            '<w:r><w:t>{{ campaign.title }}</w:t><w:br w:type="page"/></w:r>',
            "word/document.xml",
            "paragraph 4",
            "a page break inside the list would print it on more than one page",
        ),
        (
            '<w:pStyle w:val="PetitionTitle"/>',
            '<w:pStyle w:val="PetitionTitle"/><w:pageBreakBefore/>',
            "word/document.xml",
            "paragraph 4",
            "'page break before' (from the paragraph or its style) inside the list",
        ),
        (
            '<w:pStyle w:val="PetitionDeadline"/></w:pPr>',
            f'<w:pStyle w:val="PetitionDeadline"/>{SECTION}</w:pPr>',
            "word/document.xml",
            "paragraph 11",
            "a section break inside the list",
        ),
        (
            "<w:body><w:p>",
            "<w:body><w:p><w:r><w:t>Vorwort</w:t></w:r></w:p><w:p>",
            "word/document.xml",
            "paragraph 1",
            "comes before '{%p for list in lists %}', so it would print on a page of its own",
        ),
        (
            '<w:cols w:space="720"/>',
            '<w:cols w:num="2" w:space="720"/>',
            "word/document.xml",
            "page setup",
            "the page has 2 text columns",
        ),
    ],
)
def test_what_would_print_a_list_on_two_pages_is_refused(
    tmp_path: Path, old: str, new: str, part: str, where: str, expected: str
) -> None:
    template = break_at(tmp_path, old, new, part)
    problems = check_template(template)
    assert [p.where for p in problems] == [where], problems
    assert expected in problems[0].problem
    result = invoke("check-template", str(template))
    assert result.exit_code == 4
    assert result.output.count("\n") == 1 and "Traceback" not in result.output


def test_a_style_with_page_break_before_on_a_later_paragraph_is_refused(tmp_path: Path) -> None:
    template = edited_template(
        tmp_path,
        lambda xml: re.sub(
            r'(w:styleId="PetitionNote".*?<w:pPr>)', r"\1<w:pageBreakBefore/>", xml, count=1
        ),
        part="word/styles.xml",
    )
    problems = check_template(template)
    assert [p.where for p in problems] == ["paragraph 10"]
    assert "from the paragraph or its style" in problems[0].problem


def test_a_list_that_starts_with_a_table_is_refused(tmp_path: Path) -> None:
    def table_first(xml: str) -> str:
        start = xml.index('<w:p><w:pPr><w:pStyle w:val="PetitionReference"/>')
        end = xml.index("<w:tbl>")
        return xml[:start] + xml[end:]

    problems = check_template(edited_template(tmp_path, table_first))
    assert any(
        "each list must begin with a paragraph of text" in p.problem and p.where == "table 1"
        for p in problems
    ), problems


def in_content_control(xml: str, start: str, end: str) -> str:
    """Wrap the body's blocks from ``start`` up to ``end`` in a content control (w:sdt)."""
    first = xml.index(start)
    last = xml.index(end, first)
    return (
        xml[:first]
        + "<w:sdt><w:sdtPr/><w:sdtContent><w:sdt><w:sdtPr/><w:sdtContent>"
        + xml[first:last]
        + "</w:sdtContent></w:sdt></w:sdtContent></w:sdt>"
        + xml[last:]
    )


def sdt_first_paragraphs(xml: str) -> str:
    """The list's first paragraphs, without a break of their own, in a content control."""
    return in_content_control(
        xml.replace(REFERENCE, NO_BREAK),
        "<w:p>" + NO_BREAK,
        '<w:p><w:pPr><w:pStyle w:val="PetitionTitle"/>',
    )


def test_the_break_goes_on_the_first_paragraph_inside_a_content_control(
    tmp_path: Path, campaign: Campaign
) -> None:
    template = edited_template(tmp_path, sdt_first_paragraphs)
    assert check_template(template) == []
    out = tmp_path / "lists.docx"
    render_petitions(template, campaign, three_lists(), BATCH, out)
    assert list_starts(out) == [("Liste 1 / 3", True), ("Liste 2 / 3", True), ("Liste 3 / 3", True)]


def test_a_page_break_inside_a_content_control_is_refused(tmp_path: Path) -> None:
    def edit(xml: str) -> str:
        return sdt_first_paragraphs(xml).replace(
            "<w:r><w:t>{{ campaign.addressee }}</w:t></w:r>",
            '<w:r><w:t>{{ campaign.addressee }}</w:t><w:br w:type="page"/></w:r>',
        )

    problems = check_template(edited_template(tmp_path, edit))
    assert [p.where for p in problems] == ["paragraph 3"], problems
    assert "a page break inside the list" in problems[0].problem


@pytest.mark.soffice
def test_a_list_in_a_content_control_prints_on_pages_of_its_own(
    tmp_path: Path, campaign: Campaign
) -> None:
    out = tmp_path / "lists.docx"
    template = edited_template(tmp_path, sdt_first_paragraphs)
    render_petitions(template, campaign, three_lists(), BATCH, out)
    convert_to_pdf(out, out.with_suffix(".pdf"))
    pages = pdf_page_texts(out.with_suffix(".pdf"))
    assert len(pages) == 3
    for number, page in enumerate(pages, 1):
        assert f"Liste {number} / 3" in page


def test_a_loop_and_endfor_in_different_content_controls_are_refused(tmp_path: Path) -> None:
    def edit(xml: str) -> str:
        return in_content_control(
            xml, '<w:p><w:pPr><w:pStyle w:val="PetitionLoop"/>', "<w:p>" + REFERENCE
        )

    problems = check_template(edited_template(tmp_path, edit))
    assert [p.where for p in problems] == ["paragraph 1"], problems
    assert "same content control" in problems[0].problem
