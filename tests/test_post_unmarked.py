"""No unmarked words in what campaign, post, render and the TOML reading say or write.

Under the pseudo language every translated message comes out between ⟦ and ⟧; a word left
outside is a string nobody marked (tests/unmarked.py). What may stand outside is data: the
campaign's and Deutsche Post's own names, file names, keys a file must use, codes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import KOMPAKT, STANDARD, edited_template, letter, make_batch, make_page, make_signer
from docx import Document
from unmarked import postal_names, unmarked_words

from merge import i18n
from merge.campaign import available_campaigns, deadline_warning, load_campaign
from merge.errors import MergeError
from merge.post import prices
from merge.post.data import bundled_postage
from merge.post.plan import cheaper_advice, plan_envelopes
from merge.post.prices import folder_postage, price_table_for
from merge.render.context import build_context
from merge.render.envelopes import render_envelopes
from merge.render.label_products import check_offset, check_start, label_product
from merge.render.labels import render_labels, render_outline_sheet
from merge.render.post_office import write_post_office
from merge.render.template_check import _sample, check_template, ensure_template_ok
from merge.toml_file import loads_toml

ROOT = Path(__file__).parent.parent
XUAR = (ROOT / "templates" / "xuar.toml").read_text(encoding="utf-8")
# Data, not words of ours: Deutsche Post's service and product names and the envelope formats.
ALLOWED = postal_names()
# The words a porto.toml entry is written with (the example a warning shows): its keys, the
# services' and products' codes.
PORTO_WORDS = [
    "preise",
    "laufzeit",
    *prices._PERIOD_KEYS,
    *(service.code for service in bundled_postage().services),
    *(product.code for service in bundled_postage().services for product in service.products),
]


@pytest.fixture(autouse=True)
def pseudo() -> None:
    i18n.activate(i18n.PSEUDO)


def assert_marked(text: str, data: list[str] | None = None) -> None:
    assert text.startswith(i18n.PSEUDO_OPEN) or ": " in text, text
    assert unmarked_words(text, [*ALLOWED, *(data or [])]) == [], text


def keys_of(table: dict[str, Any]) -> list[str]:
    """Return every key of a TOML document: the names the file must use are data."""
    keys: list[str] = []
    for key, value in table.items():
        keys.append(key)
        for inner in value if isinstance(value, list) else [value]:
            if isinstance(inner, dict):
                keys += keys_of(inner)
    return keys


def placeholder_names() -> list[str]:
    """Return every name a Word template may use ({{ campaign.title }}): the template's
    language, the same in every language of the run."""
    names: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                names.append(key)
                walk(inner)
        elif isinstance(value, list | tuple) and value:
            walk(value[0])

    walk(build_context(*_sample()))
    return names


def refusal(call: Callable[[], object]) -> str:
    with pytest.raises(MergeError) as info:
        call()
    return str(info.value)


def test_the_post_office_sheet_is_all_marked(tmp_path: Path) -> None:
    pages = [make_page(n, [make_signer(f"inputs/l.csv:l:{n}")]) for n in range(1, 24)]
    batch = make_batch(pages, prepared_on=dt.date(2026, 11, 20))
    table = dataclasses.replace(batch.plan.table, status="unverified")
    batch = dataclasses.replace(batch, plan=dataclasses.replace(batch.plan, table=table))
    out = tmp_path / "post-office.docx"
    write_post_office(out, batch)
    doc = Document(str(out))
    texts = [p.text for p in doc.paragraphs if p.text]
    texts += [c.text for t in doc.tables for row in t.rows for c in row.cells if c.text]
    for text in texts:
        assert unmarked_words(text, [*ALLOWED, batch.campaign.name]) == [], text
    two = make_batch(
        [make_page(1, [make_signer("inputs/l.csv:l:1")]), make_page(2, [])],
        letters=[letter(1, [1], STANDARD), letter(2, [2], KOMPAKT)],
    )
    write_post_office(out, two)
    allowed = [*ALLOWED, two.campaign.name]
    assert all(unmarked_words(p.text, allowed) == [] for p in Document(str(out)).paragraphs)


def test_the_label_test_page_has_no_words(tmp_path: Path) -> None:
    out = tmp_path / "t.docx"
    render_outline_sheet(out, label_product("3422"), (1.5, -0.5))
    doc = Document(str(out))
    texts = [p.text for t in doc.tables for c in t._cells for p in c.paragraphs]
    assert all(unmarked_words(text, ["mm"]) == [] for text in texts)  # a unit


def test_postage_warnings_and_advice_are_marked() -> None:
    for day in (dt.date(2027, 2, 1), dt.date(2024, 2, 1), dt.date(2019, 8, 1)):
        _table, warning = price_table_for(bundled_postage(), day)
        assert warning is not None
        assert_marked(warning, PORTO_WORDS)
    plan = plan_envelopes(list(range(1, 24)), mail_date=dt.date(2025, 3, 1))
    for warning in plan.warnings:
        assert_marked(warning)
    advice = cheaper_advice(plan)
    assert advice is not None
    assert_marked(advice)


def test_refusals_of_post_and_render_are_marked(tmp_path: Path) -> None:
    tall = ("a", "b", "c", "d", "e", "f", "g", "h", "i", "j")
    out = tmp_path / "x.docx"
    calls: list[Callable[[], object]] = [
        lambda: plan_envelopes([1], mail_date=dt.date(2026, 1, 1), envelope="B4"),
        lambda: plan_envelopes([1], mail_date=dt.date(2026, 1, 1), sheets_per_list=9),
        lambda: plan_envelopes([1], mail_date=dt.date(2026, 1, 1), paper_grams_per_sheet=0.0),
        lambda: render_labels(out, tall, 1, label_product("3422")),
        lambda: render_labels(out, ("x",), 0, label_product("3422")),
        lambda: render_envelopes(out, tall, 1, window=True),
        lambda: render_envelopes(out, ("x",), 1, sender_line="x " * 300),
        lambda: check_start(label_product("3422"), 25),
        lambda: check_offset((12.5, 0)),
        lambda: label_product("9999"),
    ]
    for call in calls:
        assert_marked(refusal(call), ["mm"])  # the unit of a label's size: 3422 (70 x 35 mm)


def test_template_findings_are_marked(tmp_path: Path) -> None:
    broken = edited_template(
        tmp_path, lambda xml: xml.replace("{{ campaign.title }}", "{{ campaign.titel }}")
    )
    # The names of the placeholders, the template's and the one mistyped in it, are data.
    allowed = [*ALLOWED, *placeholder_names(), "titel"]
    for problem in check_template(broken):
        assert unmarked_words(str(problem), allowed) == [], problem
    assert unmarked_words(refusal(lambda: ensure_template_ok(broken)), allowed) == []


@pytest.mark.parametrize(
    "text",
    [
        "deadline = 31.02.2026\n",
        "name = Xinjiang\n",
        'name = "Xinjiang\n',
        "kompakt = 1,500\n",
        "title Petition\n",
        "a = 1\na = 2\n",
        "[sender\n",
        "verwenden = nein\n",
        'x = ["a", "b"\ny = 1\n',
    ],
)
def test_toml_refusals_are_marked(text: str) -> None:
    message = refusal(lambda: loads_toml(text, "x.toml", MergeError))
    # The line the file has and TOML's own words for yes and no make the example to write.
    assert_marked(message, [*re.findall(r"\w+", text), "true", "false"])


def test_campaign_and_porto_refusals_are_marked(tmp_path: Path) -> None:
    keys = keys_of(tomllib.loads(XUAR))  # the names a campaign file must use are data
    (tmp_path / "x.toml").write_text(XUAR.replace("deadline = 2023-12-31", 'deadline = "x"'))
    assert_marked(refusal(lambda: load_campaign("x.toml", tmp_path)), keys)
    (tmp_path / "x.toml").write_text(XUAR.replace('title = "CLOSE', 'x_title = "CLOSE'))
    assert_marked(refusal(lambda: load_campaign("x.toml", tmp_path)), [*keys, "x_title"])
    campaigns = available_campaigns(tmp_path)  # the names to choose from are data
    assert_marked(
        refusal(lambda: load_campaign("gibtsnicht", tmp_path)), ["gibtsnicht", *campaigns]
    )
    (tmp_path / "porto.toml").write_text('[[preise]]\nversand = "inland"\n', encoding="utf-8")
    assert_marked(refusal(lambda: folder_postage(tmp_path)), [*PORTO_WORDS, "inland"])
    (tmp_path / "porto.toml").write_text("[laufzeit]\nDE = 0\n", encoding="utf-8")
    assert_marked(refusal(lambda: folder_postage(tmp_path)), [*PORTO_WORDS, "DE"])
    campaign = dataclasses.replace(load_campaign(None, ROOT), deadline=dt.date(2023, 12, 31))
    warning = deadline_warning(campaign, dt.date(2026, 1, 1))
    assert warning is not None
    assert_marked(warning, [campaign.name, *keys])
