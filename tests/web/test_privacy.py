"""No name or address from the spreadsheets reaches a log line or an address (URL) of the page,
through a whole batch: upload, check, options, batch, downloads, status, and a bug."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from conftest import ROOT
from starlette.testclient import TestClient
from web_client import EXAMPLE_FILES, links_of, make_batch, new_draft, signed_in

from merge.read.headers import Field
from merge.read.rows import read_rows

PERSONAL = {
    Field[name]
    for name in ("LAST", "FIRST", "FULL", "COMBINED", "ADDRESS", "STREET", "EXTRA", "CITY")
}


def personal_words() -> set[str]:
    """Every name and street word of the example spreadsheets (four letters or more)."""
    words: set[str] = set()
    for name in EXAMPLE_FILES:
        for row in read_rows(ROOT / "inputs" / name, lambda report: None):
            for field, value in row.cells.items():
                if field in PERSONAL and value:
                    words |= {w for w in re.findall(r"[^\W\d_]{4,}", str(value))}
    words -= {"Straße", "Strasse", "Weg", "Gasse", "Platz", "Allee"}
    assert len(words) > 40
    return words


def every_address(client: TestClient, visit: list[str], seen: list[str]) -> None:
    for url in visit:
        response = client.get(url)
        seen.append(str(response.url))
        seen.extend(links_of(response.text))
        seen.extend(str(r.headers.get("location", "")) for r in response.history)


def test_no_name_or_address_reaches_a_log_line_or_an_address(
    example: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    words = personal_words()
    seen: list[str] = []
    with caplog.at_level(logging.DEBUG), signed_in(example, language="de") as client:
        upload = (ROOT / "inputs" / "online-anmeldungen.csv").read_bytes()
        response = client.post(
            "/drafts",
            data={"campaign": "xuar", "file": list(EXAMPLE_FILES[:1])},
            files={"upload": ("nachtrag.csv", upload)},
        )
        seen += [str(response.url), *links_of(response.text)]
        check = new_draft(client)
        done = make_batch(client, check)
        (batch,) = (p.name for p in (example / "outputs").iterdir() if p.is_dir())
        every_address(client, [check, check.replace("check", "options"), done["page"],
                               f"{done['page']}/status", f"/batches/{batch}", "/batches", "/"],
                      seen)  # fmt: skip
        for name in ("petition-lists.docx", "dispatch-checklist.xlsx", "manifest.json"):
            client.get(f"/batches/{batch}/files/{name}")
        client.get(f"/batches/{batch}/zip")

        def broken(*args: object) -> None:
            raise RuntimeError(" ".join(sorted(words)))

        monkeypatch.setattr("merge.web.overview.status", broken)
        assert client.get("/batches").status_code == 500
    logged = "\n".join(
        f"{record.getMessage()} {record.exc_text or ''}" for record in caplog.records
    )
    assert "RuntimeError" in logged
    leaked = sorted(w for w in words if w in logged)
    assert leaked == [], leaked
    addresses = "\n".join(seen)
    assert "/drafts/" in addresses and f"/batches/{batch}" in addresses
    leaked = sorted(w for w in words if w in addresses)
    assert leaked == [], leaked
