"""A warning of several lines (the porto.toml entry to add) keeps its lines on the page."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import HEADER, signer_rows, write_csv
from starlette.testclient import TestClient
from web_client import make_batch, new_draft, signed_in

from merge.web.site import TEMPLATES

NO_PRICES_YET = dt.date(2027, 2, 1)  # no period of the bundled prices covers it
ENTRY = 'zum Beispiel:\n  [[preise]]\n  versand = "international"\n  gueltig_ab = 01.01.2027\n'
CSS = (TEMPLATES.parent / "static" / "page.css").read_text(encoding="utf-8")


@pytest.fixture
def client(project: Path) -> Iterator[TestClient]:
    write_csv(project / "inputs" / "liste.csv", [HEADER, *signer_rows(12)])
    with signed_in(project, language="de", today=lambda: NO_PRICES_YET) as client:
        yield client


def warnings_of(page: str, section: str = "warnings") -> list[str]:
    [part] = re.findall(rf'<section class="{section}">(.*?)</section>', page, re.S)
    return [html.unescape(item) for item in re.findall(r"<li>(.*?)</li>", part, re.S)]


def test_the_check_shows_the_porto_toml_entry_line_by_line(client: TestClient) -> None:
    page = client.get(new_draft(client, ["liste.csv"])).text
    [entry] = [text for text in warnings_of(page) if "porto.toml" in text]
    assert ENTRY in entry
    assert entry.endswith("\n  maxi2000 = 17,00")


def test_the_finished_job_shows_the_porto_toml_entry_line_by_line(client: TestClient) -> None:
    done = make_batch(client, new_draft(client, ["liste.csv"]))
    page = client.get(done["page"]).text
    [entry] = [text for text in warnings_of(page) if "porto.toml" in text]
    assert ENTRY in entry


def test_the_style_sheet_keeps_the_lines_of_warnings_and_notes() -> None:
    block = re.sub(r"/\*.*?\*/", "", CSS[CSS.index("/* multi-line warnings */") :], flags=re.S)
    rule = re.search(r"([^{}]+)\{\s*white-space:\s*pre-wrap;\s*\}", block)
    assert rule is not None
    selectors = {part.strip() for part in rule.group(1).split(",")}
    assert selectors == {"section.warnings li", "section.notes li"}
