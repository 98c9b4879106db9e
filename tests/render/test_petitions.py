"""Rendering petition lists: every signer once in its list and row, campaign text, files."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from conftest import BATCH, TEMPLATE, body_text, edited_template, pages_of, table_rows
from conftest import petition_signer as signer
from docx import Document

from merge.campaign import Campaign
from merge.errors import OutputError, TemplateError
from merge.render.petitions import render_petitions
from merge.render.template_check import check_template


def test_every_signer_appears_once_in_its_list_and_row(tmp_path: Path, campaign: Campaign) -> None:
    people = [
        signer(n, f"Testperson-{n}, Erika", (f"Beispielweg {n}", "12345 Musterstadt"))
        for n in range(8)
    ]
    pages = pages_of(tuple(people[:5]), (*people[5:], None, None), (None,) * 5)
    out = tmp_path / "lists.docx"
    render_petitions(TEMPLATE, campaign, pages, BATCH, out)

    tables = table_rows(out)
    assert len(tables) == 3
    for page, rows in zip(pages, tables, strict=True):
        assert [row[0] for row in rows] == ["1", "2", "3", "4", "5"]
        for slot, row in zip(page.slots, rows, strict=True):
            if slot is None:
                assert row[1:] == ["", "", ""]
            else:
                assert row[1] == slot.name
                assert row[2] == "\n".join(slot.address)
                assert row[3] == ""
    all_text = "\n".join(cell for rows in tables for row in rows for cell in row)
    for person in people:
        assert all_text.count(person.name) == 1


def test_campaign_text_and_reference_line_are_printed(tmp_path: Path, campaign: Campaign) -> None:
    out = tmp_path / "lists.docx"
    render_petitions(TEMPLATE, campaign, pages_of((None,) * 5, (None,) * 5), BATCH, out)
    text = body_text(out)
    assert text.count(f"Liste 1 / 2 · {BATCH}") == 1
    assert text.count(f"Liste 2 / 2 · {BATCH}") == 1
    assert text.count("\n".join(campaign.addressee)) == 2
    for sentence in (campaign.title, campaign.salutation, *campaign.paragraphs, campaign.closing):
        assert text.count(sentence) == 2
    assert text.count(campaign.privacy_note) == 2
    assert text.count(campaign.deadline_note) == 2
    doc = Document(str(out))
    headings = [cell.text for cell in doc.tables[0].rows[0].cells]
    assert headings == ["", "Name, Vorname", "Anschrift", "Unterschrift"]
    footer = doc.sections[0].footer.tables[0]
    sender, account = (cell.text for cell in footer.rows[0].cells)
    assert sender.startswith("AMNESTY INTERNATIONAL Deutschland e. V.\n")
    assert "c/o Gerold Siemer" in sender
    assert account == "\n".join(campaign.sender.account)


def test_each_list_starts_a_page_without_a_trailing_break(
    tmp_path: Path, campaign: Campaign
) -> None:
    out = tmp_path / "lists.docx"
    render_petitions(TEMPLATE, campaign, pages_of(*[(None,) * 5] * 3), BATCH, out)
    paragraphs = Document(str(out)).paragraphs
    breaks = [p.text for p in paragraphs if p.paragraph_format.page_break_before]
    assert breaks == [f"Liste {n} / 3 · {BATCH}" for n in (1, 2, 3)]
    with zipfile.ZipFile(out) as docx:
        assert 'w:type="page"' not in docx.read("word/document.xml").decode()


def test_render_writes_atomically_and_leaves_no_temp_files(
    tmp_path: Path, campaign: Campaign
) -> None:
    out = tmp_path / "lists.docx"
    out.write_text("previous run")
    render_petitions(TEMPLATE, campaign, pages_of((None,) * 5), BATCH, out)
    assert zipfile.is_zipfile(out)
    assert [p.name for p in tmp_path.iterdir()] == ["lists.docx"]


def test_render_into_missing_folder_is_an_output_error(tmp_path: Path, campaign: Campaign) -> None:
    with pytest.raises(OutputError) as info:
        render_petitions(
            TEMPLATE, campaign, pages_of((None,) * 5), BATCH, tmp_path / "no" / "x.docx"
        )
    assert "\n" not in str(info.value)


def test_missing_and_broken_template_files(tmp_path: Path, campaign: Campaign) -> None:
    with pytest.raises(TemplateError, match="Word template not found"):
        render_petitions(tmp_path / "none.docx", campaign, [], BATCH, tmp_path / "x.docx")
    junk = tmp_path / "junk.docx"
    junk.write_text("not a zip")
    with pytest.raises(TemplateError, match=r"save it as \.docx"):
        check_template(junk)


def test_python_errors_in_template_expressions_are_template_errors(
    tmp_path: Path, campaign: Campaign
) -> None:
    bad = edited_template(
        tmp_path, lambda xml: xml.replace("{{ row.number }}", "{{ row.number + 'x' }}")
    )
    with pytest.raises(TemplateError, match="cannot render the template"):
        render_petitions(bad, campaign, pages_of((None,) * 5), BATCH, tmp_path / "x.docx")
    assert [p.where for p in check_template(bad)] == ["template"]
