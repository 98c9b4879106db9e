"""What a template sees: campaign and spreadsheet text as data, in a sandbox."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import jinja2
import pytest
from conftest import BATCH, TEMPLATE, TRICKY_NAMES, edited_template, pages_of, table_rows
from conftest import petition_signer as signer
from jinja2.sandbox import SecurityError
from markupsafe import Markup

from merge.campaign import Campaign
from merge.errors import TemplateError
from merge.lists.paginate import Page
from merge.render.context import build_context, environment
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


def test_context_rows_hold_number_name_and_address_lines_as_word_line_breaks(
    campaign: Campaign,
) -> None:
    people = (
        signer(1, "Testperson-1, Erika"),
        None,
        signer(3, "Zeile\neins", ("Weg <1> & 2",)),
        None,
        None,
    )
    context = build_context(campaign, pages_of(people), BATCH)
    assert (context["total"], context["batch"]) == (1, BATCH)
    [page] = list(context["lists"])
    assert page["number"] == 1
    assert page["rows"][:3] == [
        {
            "number": 1,
            "name": "Testperson-1, Erika",
            "address": 'Beispielweg 1</w:t><w:br/><w:t xml:space="preserve">12345 Musterstadt',
        },
        {"number": 2, "name": "", "address": ""},
        {"number": 3, "name": "Zeile eins", "address": "Weg &lt;1&gt; &amp; 2"},
    ]
    assert isinstance(page["rows"][0]["address"], Markup)  # escaped here, not again


def test_lists_are_made_one_at_a_time_as_the_renderer_asks(campaign: Campaign) -> None:
    made: list[int] = []

    def pages() -> Iterator[Page]:
        for number in range(1, 4):
            made.append(number)
            yield Page(number, (None,) * 5)

    context = build_context(campaign, pages(), BATCH, total=3)
    assert made == []  # nothing built before rendering starts
    lists = iter(context["lists"])
    next(lists)
    assert made == [1]
    assert [page["number"] for page in lists] == [2, 3]


def test_the_environment_is_sandboxed_strict_and_escaping() -> None:
    env = environment()
    assert env.from_string("{{ x }}").render(x="<b>&") == "&lt;b&gt;&amp;"
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ missing }}").render()
    with pytest.raises(SecurityError):
        env.from_string("{{ ''.__class__.__mro__[1].__subclasses__() }}").render()
