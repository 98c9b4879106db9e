"""Drive the web page in-process with Starlette's TestClient, as a browser that opened it would.

The client talks to http://127.0.0.1:PORT (the Host the page answers to), sends the page's
Origin with every request, and has opened /start?t=SECRET, so it holds the cookie.
"""

from __future__ import annotations

import html
import re
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from starlette.testclient import TestClient

from merge.web.app import make_app

PORT = 8765
SECRET = "test-secret-Zq7"
BASE = f"http://127.0.0.1:{PORT}"
ORIGIN = {"Origin": BASE}
EXAMPLE_FILES = (
    "infostand-und-gottesdienst.xlsx",
    "online-anmeldungen.csv",
    "umfrage-formular.csv",
)


@contextmanager
def signed_in(workdir: Path, **options: Any) -> Iterator[TestClient]:
    """Yield a client of the page for ``workdir`` that has opened the printed address."""
    with client_of(workdir, **options) as client:
        assert client.get(f"/start?t={SECRET}").status_code == 200
        yield client


@contextmanager
def client_of(workdir: Path, **options: Any) -> Iterator[TestClient]:
    """Yield a client of the page that has not opened /start (no cookie)."""
    options.setdefault("language", "en")
    options.setdefault("warm_start", False)  # LibreOffice starts at a test's first PDF, if any
    app = make_app(workdir, PORT, SECRET, **options)
    with TestClient(app, base_url=BASE, headers=ORIGIN) as client:
        yield client


def text_of(page: str) -> str:
    """Return what a reader sees of a page's main part: its text, one space between words."""
    start = page.find("<main")
    body = page[start:] if start >= 0 else page
    body = re.sub(r"<wbr>|</?span\b[^>]*>", "", body)  # inline: no space in what one reads
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def new_draft(
    client: TestClient, files: Sequence[str] = EXAMPLE_FILES, campaign: str = "xuar"
) -> str:
    """Choose these files of inputs/ on the first page; return the check's address."""
    response = client.post(
        "/drafts", data={"campaign": campaign, "file": list(files)}, follow_redirects=False
    )
    assert response.status_code == 303, text_of(response.text)
    return str(response.headers["location"])


def make_batch(client: TestClient, check: str, **fields: str) -> dict[str, Any]:
    """Send the options form of a draft (no PDF unless ``pdf="1"``); wait for the job.

    Return the job's last status, with its page's address under "page".
    """
    form = {"envelope": "DL", "labels": "3422", "start_label": "1", "blank": "0"}
    form.update(fields)
    response = client.post(check.replace("/check", "/batch"), data=form, follow_redirects=False)
    assert response.status_code == 303, text_of(response.text)
    job = str(response.headers["location"])
    return {**wait_for(client, job), "page": job}


def wait_for(client: TestClient, job: str, timeout: float = 240) -> dict[str, Any]:
    """Poll a job's status until it has finished."""
    deadline = time.monotonic() + timeout
    while True:
        state: dict[str, Any] = client.get(f"{job}/status").json()
        if state["finished"] or time.monotonic() > deadline:
            return state
        time.sleep(0.05)


def links_of(page: str) -> list[str]:
    """Return every address a page links to or sends a form to."""
    return [
        html.unescape(m) for m in re.findall(r'(?:href|action|src|data-status)="([^"]*)"', page)
    ]
