"""One whole batch in a real browser, in German, as a volunteer clicks it: upload the example
spreadsheets, read the accounting, choose the options, make the batch, download the print
PDF and check its pages, tick an envelope mailed, see it on the status page.

With PETITION_MERGE_SCREENSHOTS=<folder> the test also saves a screenshot of each page there
(scripts/screenshots does, for docs/).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from browser_support import ROOT, Server, chromium, german_server
from docx import Document
from pypdf import PdfReader

pytestmark = pytest.mark.browser
__all__ = ["chromium", "german_server"]  # fixtures

EXAMPLES = sorted((ROOT / "inputs").iterdir())


def picture_size(page: Any) -> tuple[int, int]:
    """Wait until the page's picture has loaded; return its size in pixels."""
    image = page.locator("main img")
    for _ in range(600):
        size = image.evaluate("img => [img.complete, img.naturalWidth, img.naturalHeight]")
        if size[0] and size[1]:
            return int(size[1]), int(size[2])
        page.wait_for_timeout(100)
    raise AssertionError("the preview picture did not load")


class Shots:
    def __init__(self, page: Any) -> None:
        folder = os.environ.get("PETITION_MERGE_SCREENSHOTS")
        self.folder = Path(folder) if folder else None
        self.page = page

    def __call__(self, name: str) -> None:
        if self.folder is not None:
            self.folder.mkdir(parents=True, exist_ok=True)
            self.page.screenshot(path=str(self.folder / f"{name}.png"), full_page=True)


def test_a_whole_batch_in_the_browser(chromium: Any, german_server: Server, tmp_path: Path) -> None:
    context = chromium.new_context(
        locale="de-DE", accept_downloads=True, viewport={"width": 1100, "height": 900}
    )
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda err: problems.append(str(err)))
    shot = Shots(page)

    # 1. The printed address lets the browser in; the first page is German.
    page.goto(german_server.url)
    assert page.url == german_server.base + "/"
    assert "Neuer Versand" in page.title() + page.inner_text("body")
    # A form export whose questions nobody could guess: the volunteer matches them.
    asked = tmp_path / "befragung.csv"
    asked.write_text(
        "Wer bist du?;Wo wohnst du?\n"
        "Erika Beispielfrau;Am Testweg 3, 12345 Musterstadt\n"
        "Max Mustermann;Probeallee 7, 54321 Beispielheim\n",
        encoding="utf-8",
    )
    page.set_input_files("#upload", [str(path) for path in [*EXAMPLES, asked]])
    shot("1-neuer-versand")
    page.click("form[action='/drafts'] button[type=submit]")

    # 2. The accounting: every row accounted for, before anything is written.
    page.wait_for_url("**/check")
    body = page.inner_text("main")
    assert "Probelauf" in body or "Prüfung" in page.title()
    for path in [*EXAMPLES, asked]:  # uploaded into inputs/, named on the page
        assert path.name in body
        assert (german_server.folder / "inputs" / path.name).read_bytes() == path.read_bytes()
    assert not list((german_server.folder / "outputs").glob("*/manifest.json"))
    assert 'hier auf der Seite unter "Spalten zuordnen"' in body  # the error points to the form
    form = "form.columns:has(input[value^='befragung.csv'])"
    page.select_option(f"{form} select[name='field-A']", "vor_und_nachname")
    page.select_option(f"{form} select[name='field-B']", "anschrift")
    shot("2a-spalten-zuordnen")
    with page.expect_navigation():
        page.click(f"{form} button[type=submit]")
    body = page.inner_text("main")
    assert "Gespeichert in inputs/spalten.toml" in body
    mapping = (german_server.folder / "inputs" / "spalten.toml").read_text(encoding="utf-8")
    assert '"Wer bist du?" = "vor_und_nachname"' in mapping
    assert '"Wo wohnst du?" = "anschrift"' in mapping
    checked = body
    shot("2-pruefung")

    # 2b. Preview: list 1 as it will print, a picture LibreOffice made; then list 2.
    page.click("p.preview a")
    page.wait_for_url("**/preview")
    width, height = picture_size(page)
    assert abs(height / width - 297 / 210) < 0.02  # an A4 page
    first = page.get_attribute("main img", "src")
    shot("2b-vorschau")
    page.click("a[rel=next]")
    page.wait_for_url("**/preview/list/2")  # the next page, not the old one still shown
    assert picture_size(page)[0] > 0
    assert page.get_attribute("main img", "src") != first
    page.click("a[href$='/options']")

    # 3. Options: labels on a partly used sheet.
    page.wait_for_url("**/options")
    page.click("label[for=start_label-3]")  # label 3 on the picture of the sheet
    assert page.is_checked("#start_label-3")
    shot("3-optionen")
    page.get_by_role("button", name="Versand erstellen").click()

    # 4. The batch is made; the page follows the job.
    page.wait_for_selector("p.done", timeout=180_000)
    shot("4-versand-fertig")
    page.click("a[href^='/batches/']")

    # 5. Downloads: the print PDF holds every PDF of the batch, in printing order.
    page.wait_for_selector("a[href$='/print.pdf']")
    shot("5-downloads")
    with page.expect_download() as info:
        page.click("a[href$='/print.pdf']")
    printed = tmp_path / "druck.pdf"
    info.value.save_as(printed)
    (manifest_path,) = (german_server.folder / "outputs").glob("*/manifest.json")
    folder = manifest_path.parent
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    batch = manifest["batch"]
    assert (
        manifest["counts"]["rows"]
        == sum(1 for _ in manifest["rejected"])
        + manifest["counts"]["signers"]
        + manifest["counts"]["duplicates"]
        + manifest["counts"]["blank"]
    )
    assert f"Unterschriftenlisten {manifest['counts']['lists']}" in " ".join(checked.split())
    order = [name for name in manifest["files"] if name.endswith(".pdf")]
    assert order[0] == "petition-lists.pdf"
    sizes = [len(PdfReader(folder / name).pages) for name in order]
    joined = PdfReader(printed)
    assert len(joined.pages) == sum(sizes)
    assert sizes[0] == manifest["counts"]["lists"]  # one A4 page per list of five
    assert "Unterschrift" in joined.pages[0].extract_text()  # the lists come first
    assert "Unterschrift" not in joined.pages[sizes[0]].extract_text()  # then the labels
    # the label clicked on the sheet's picture is the first one printed on
    cells = [cell.text.strip() for row in Document(str(folder / "labels.docx")).tables[0].rows
             for cell in row.cells]  # fmt: skip
    filled = [n for n, text in enumerate(cells) if text]
    assert filled and filled[0] == 2, cells[:4]

    # 6. Dispatch: envelope 1 mailed today by a named volunteer.
    page.click("a[href$='/dispatch']")
    page.wait_for_url(f"**/batches/{batch}/dispatch")
    page.check("#envelope-1")
    page.fill("#by", "Erika Beispiel")
    shot("6-verschicken")
    page.click("form[action$='/mailed'] button[type=submit]:not([formaction])")
    page.wait_for_selector("ul.done")
    row = page.inner_text("tr:has(#envelope-1)")
    assert "Verschickt" in row and "Erika Beispiel" in row

    # 7. Status: the batch with one envelope mailed.
    page.goto(german_server.base + "/batches")
    status = page.inner_text("main")
    assert batch in status
    shot("7-uebersicht")

    assert not problems, problems  # no script error, no CSP violation
    context.close()
