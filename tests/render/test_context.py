"""What a template sees: campaign and spreadsheet text as data, in a sandbox."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import BATCH, TEMPLATE, TRICKY_NAMES, edited_template, pages_of, table_rows
from conftest import petition_signer as signer

from merge.campaign import Campaign
from merge.errors import TemplateError
from merge.render.petitions import render_petitions
from merge.render.template_check import check_template


def test_spreadsheet_text_prints_literally(tmp_path: Path, campaign: Campaign) -> None:
    people = [signer(n, name, (name, "Zeile 2")) for n, name in enumerate(TRICKY_NAMES)]
    out = tmp_path / "lists.docx"
    render_petitions(TEMPLATE, campaign, pages_of(tuple(people)), BATCH, out)
    rows = table_rows(out)[0]
    expected = [name.replace("\t", " ").replace("\f", "") for name in TRICKY_NAMES]
    assert [row[1] for row in rows] == expected
    assert [row[2] for row in rows] == [f"{name}\nZeile 2" for name in expected]
    assert "{{ 7*7 }}" in rows[1][1] and "49" not in rows[1][1]


def test_sandbox_blocks_python_internals(tmp_path: Path, campaign: Campaign) -> None:
    evil = edited_template(
        tmp_path, lambda xml: xml.replace("{{ campaign.title }}", "{{ ''.__class__.__mro__ }}")
    )
    out = tmp_path / "lists.docx"
    with pytest.raises(TemplateError) as info:
        render_petitions(evil, campaign, pages_of((None,) * 5), BATCH, out)
    assert "\n" not in str(info.value)
    assert "check-template" in str(info.value)
    assert not out.exists()
    assert any("rendering a sample fails" in p.problem for p in check_template(evil))
