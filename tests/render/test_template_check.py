"""The template check: every problem of a Word template located, in one line each."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import BATCH, TEMPLATE, edited_template, pages_of, table_rows
from conftest import petition_signer as signer
from docx import Document

from merge.campaign import Campaign
from merge.errors import TemplateError
from merge.render.petitions import render_petitions
from merge.render.template_check import TemplateProblem, check_template, ensure_template_ok


def test_bundled_template_has_no_problems() -> None:
    assert check_template(TEMPLATE) == []
    ensure_template_ok(TEMPLATE)


def test_placeholder_split_across_formatting_runs_is_refused(tmp_path: Path) -> None:
    split = edited_template(
        tmp_path,
        lambda xml: xml.replace(
            "<w:r><w:t>{{ row.name }}</w:t></w:r>",
            "<w:r><w:t>{{ row.na</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>me }}</w:t></w:r>",
        ),
    )
    problems = check_template(split)
    assert problems == [
        TemplateProblem(
            "table 1, row 3, cell 2",
            "'{{ row.name }}' is split across formatting runs (parts of it are formatted "
            "differently) - select it, clear its formatting and apply the formatting to the "
            "whole placeholder",
        )
    ]
    with pytest.raises(TemplateError) as info:
        ensure_template_ok(split)
    message = str(info.value)
    assert "\n" not in message
    assert "table 1, row 3, cell 2" in message
    assert message.endswith(f"run `petition-merge check-template {split}` for all")


def test_split_with_same_formatting_is_healed(tmp_path: Path, campaign: Campaign) -> None:
    split = edited_template(
        tmp_path,
        lambda xml: xml.replace(
            "<w:r><w:t>{{ row.name }}</w:t></w:r>",
            '<w:r><w:t>{</w:t></w:r><w:proofErr w:type="spellStart"/>'
            "<w:r><w:t>{ row.na</w:t></w:r><w:r><w:t>me }}</w:t></w:r>",
        ),
    )
    assert check_template(split) == []
    out = tmp_path / "lists.docx"
    render_petitions(split, campaign, pages_of((signer(1, "Heilt, Gut"), *[None] * 4)), BATCH, out)
    assert table_rows(out)[0][0][1] == "Heilt, Gut"


def test_placeholder_split_across_paragraphs_is_refused(tmp_path: Path) -> None:
    split = edited_template(
        tmp_path,
        lambda xml: xml.replace(
            "<w:t>{{ campaign.title }}</w:t></w:r></w:p>",
            "<w:t>{{ campaign.</w:t></w:r></w:p><w:p><w:r><w:t>title }}</w:t></w:r></w:p>",
        ),
    )
    problems = check_template(split)
    assert [p.where for p in problems] == ["paragraph 4", "paragraph 5"]
    assert "opening '{{' without its partner in the same paragraph" in problems[0].problem
    assert "closing '}}' without its partner" in problems[1].problem
    with pytest.raises(TemplateError, match="paragraph 4"):
        ensure_template_ok(split)


@pytest.mark.parametrize(
    ("old", "new", "where", "expected"),
    [
        (
            "{{ campaign.title }}",
            "{{ campaign.titel }}",
            "paragraph 4",
            "unknown placeholder 'campaign.titel' - known here: addressee, closing",
        ),
        ("{{ campaign.title }}", "{{ signer }}", "paragraph 4", "unknown placeholder 'signer'"),
        (
            "{{ row.address }}",
            "{{ row.street }}",
            "table 1, row 3, cell 3",
            "unknown placeholder 'row.street'",
        ),
        ("{{ campaign.title }}", "{{ campaign.title | }}", "paragraph 4", "syntax error in"),
        ("{{ campaign.title }}", "{% include 'x' %}", "paragraph 4", "is not supported"),
        ("{{ campaign.title }}", "{%p if total %}", "paragraph 4", "is never closed"),
        ("{{ campaign.title }}", "{%tr if total %}", "paragraph 4", "must be inside a table row"),
        (
            "{{ campaign.title }}",
            "Titel: {%p if 1 %}",
            "paragraph 4",
            "must be alone in its paragraph",
        ),
        (
            "{%p endfor %}</w:t>",
            "{%p endif %}</w:t>",
            "paragraph 8",
            "has no matching '{% if ... %}'",
        ),
        ("{{ row.name }}", "{{r row.name }}", "table 1, row 3, cell 2", "is not supported"),
    ],
)
def test_template_problems_are_located(
    tmp_path: Path, old: str, new: str, where: str, expected: str
) -> None:
    problems = check_template(edited_template(tmp_path, lambda xml: xml.replace(old, new, 1)))
    assert any(p.where == where and expected in p.problem for p in problems), problems


def test_footer_placeholders_are_checked(tmp_path: Path) -> None:
    broken = edited_template(
        tmp_path,
        lambda xml: xml.replace("campaign.sender.lines", "campaign.sender.adress"),
        part="word/footer1.xml",
    )
    problems = check_template(broken)
    assert [p.where for p in problems] == ["footer 1, table 1, row 1, cell 1"]
    assert "unknown placeholder 'campaign.sender.adress'" in problems[0].problem


def test_template_without_the_table_reports_what_is_missing(tmp_path: Path) -> None:
    plain = tmp_path / "plain.docx"
    doc = Document()
    doc.add_paragraph("{{ campaign.title }}")
    doc.save(str(plain))
    problems = [p.problem for p in check_template(plain)]
    assert len(problems) == 4
    assert problems[0].startswith("the loop over the lists '{%p for list in lists %}' is missing")
    assert problems[1].startswith("the table row loop '{%tr for row in list.rows %}' is missing")
    assert "{{ row.name }}" in problems[2] and "{{ row.address }}" in problems[3]


def test_loop_variables_are_scoped(tmp_path: Path) -> None:
    outside = edited_template(
        tmp_path,
        lambda xml: xml.replace("{{ campaign.closing }}", "{{ paragraph }}"),
    )
    problems = check_template(outside)
    assert [p.problem.split(" - ")[0] for p in problems] == ["unknown placeholder 'paragraph'"]


def test_a_set_variable_is_known_to_the_tags_after_it(tmp_path: Path) -> None:
    template = edited_template(
        tmp_path,
        lambda xml: xml.replace(
            "{{ campaign.title }}", "{% set shown = campaign.title %}{{ shown }}", 1
        ),
    )
    assert check_template(template) == []
