"""A warning of several lines, as Chromium lays it out with the page's style sheet: one line
of the porto.toml entry under the other, not run together."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from browser_support import ROOT, chromium
from conftest import HEADER, signer_rows, write_csv
from starlette.testclient import TestClient

from merge.web.app import make_app

pytestmark = pytest.mark.browser
__all__ = ["chromium"]  # fixtures

CSS = (ROOT / "merge" / "web" / "static" / "page.css").read_text(encoding="utf-8")
LINK = '<link rel="stylesheet" href="/static/page.css">'
BASE = "http://127.0.0.1:8765"


def check_page(project: Path) -> str:
    """The check of a draft on a day no price period covers: it warns with a porto.toml entry."""
    write_csv(project / "inputs" / "liste.csv", [HEADER, *signer_rows(12)])
    app = make_app(project, 8765, "s3cret", language="de", warm_start=False,
                   today=lambda: dt.date(2027, 2, 1))  # fmt: skip
    with TestClient(app, base_url=BASE, headers={"Origin": BASE}) as client:
        assert client.get("/start?t=s3cret").status_code == 200
        data = {"campaign": "xuar", "file": ["liste.csv"]}
        made = client.post("/drafts", data=data, follow_redirects=False)
        return client.get(made.headers["location"]).text


def test_the_porto_toml_entry_of_a_warning_shows_line_by_line(chromium: Any, project: Path) -> None:
    html = check_page(project)
    assert LINK in html
    page = chromium.new_page()
    try:
        page.set_content(html.replace(LINK, f"<style>{CSS}</style>"))
        shown = page.inner_text("section.warnings li:has-text('porto.toml')")
        page.set_content(html.replace(LINK, ""))  # without the style sheet: one long line
        run_together = page.inner_text("section.warnings li:has-text('porto.toml')")
    finally:
        page.close()
    lines = shown.splitlines()
    assert "  [[preise]]" in lines  # its own line, indented as in the file
    assert '  versand = "international"' in lines
    assert lines[-1] == "  maxi2000 = 17,00"
    assert "\n" not in run_together  # the test sees what the style sheet does
