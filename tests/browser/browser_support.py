"""Fixtures of the browser tests: a real petition-merge serve, a real headless Chromium.

The browser is the one the machine has (/usr/bin/chromium or chromium on PATH), launched
through ``executable_path``; Playwright's own browser downloads are never used. Tests
marked ``browser`` skip where no Chromium is, except where PETITION_MERGE_REQUIRE_BROWSER
is set (CI): there a missing browser fails.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from serve_process import serving

ROOT = Path(__file__).resolve().parents[2]


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    """A headless Chromium for a module's tests (Playwright's Browser).

    Per module, not per session: each module imports the fixture, and two session-long
    Playwrights in one thread would refuse to start.
    """
    path = chromium_path()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        path = None
    if path is None:
        if os.environ.get("PETITION_MERGE_REQUIRE_BROWSER"):
            pytest.fail("Chromium or Playwright is missing: scripts/setup installs both")
        pytest.skip("no Chromium here (apt-get install chromium) or no playwright")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=path,
            args=["--no-sandbox", "--disable-dev-shm-usage", "--lang=de-DE"],
        )
        try:
            yield browser
        finally:
            browser.close()


class Server:
    """A ``petition-merge serve --no-browser`` process and the address it printed."""

    def __init__(self, process: subprocess.Popen[str], url: str, folder: Path) -> None:
        self.process = process
        self.url = url  # http://127.0.0.1:PORT/start?t=SECRET
        self.base = url.split("/start", 1)[0]
        self.folder = folder


@pytest.fixture
def german_server(tmp_path: Path) -> Iterator[Server]:
    """The page in German on a fresh working folder: templates/, an empty inputs/.

    The campaign goes on: its deadline is moved to eight weeks from today, as a coordinator
    does when the shipped one has passed (so the status chart has days to show).
    """
    folder = tmp_path / "gruppe"
    folder.mkdir()
    shutil.copytree(ROOT / "templates", folder / "templates")
    campaign = folder / "templates" / "xuar.toml"
    deadline = (dt.date.today() + dt.timedelta(weeks=8)).strftime("%d.%m.%Y")
    text, changed = re.subn(
        r"^deadline = .*$", f"deadline = {deadline}", campaign.read_text(encoding="utf-8"),
        count=1, flags=re.MULTILINE,
    )  # fmt: skip
    assert changed == 1
    campaign.write_text(text, encoding="utf-8")
    (folder / "inputs").mkdir()
    with serving(folder) as (process, url):
        yield Server(process, url, folder)
