"""Parts of the page that only a browser can check, under its Content-Security-Policy: the
label sheet clicked (with and without JavaScript) and the guards' refusal in the page's look.
A CSP violation or a script error is a console error, which fails the test."""

from __future__ import annotations

from typing import Any

import pytest
from browser_support import ROOT, Server, chromium, german_server
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
__all__ = ["chromium", "german_server"]  # fixtures

BACKGROUND = "element => getComputedStyle(element).backgroundColor"


def watched(chromium: Any, script: bool = True) -> tuple[Any, list[str]]:
    """A German page of a fresh context, and the console errors it logs."""
    context = chromium.new_context(locale="de-DE", java_script_enabled=script)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda err: problems.append(str(err)))
    return page, problems


@pytest.mark.parametrize("script", [True, False], ids=["javascript", "no-javascript"])
def test_a_click_on_the_sheet_chooses_the_first_free_label(
    chromium: Any, german_server: Server, script: bool
) -> None:
    example = ROOT / "inputs" / "online-anmeldungen.csv"
    (german_server.folder / "inputs" / example.name).write_bytes(example.read_bytes())
    page, problems = watched(chromium, script)
    page.goto(german_server.url)
    page.check("input[name=file]")
    page.click("form[action='/drafts'] button[type=submit]")
    page.wait_for_url("**/check")
    page.goto(page.url.replace("/check", "/options"))

    page.click("label[for=start_label-7]")  # on the picture of label 7
    assert page.is_checked("#start_label-7")
    used, chosen, free = (
        page.eval_on_selector(f"label[for=start_label-{n}]", BACKGROUND) for n in (6, 7, 8)
    )
    assert len({used, chosen, free}) == 3  # used greyed, the chosen one marked, the rest free

    page.select_option("#labels", "3424")  # 2 x 6
    if script:
        assert page.is_hidden("#show-sheet")  # labels.js follows the product itself
    else:
        page.get_by_role("button", name="Diesen Bogen zeigen").click()
    # 3422's sheet has a label 12 too: wait for the 12 labels of 3424's (labels.js replaces
    # the picture after the change; a fixed check could look before it did)
    expect(page.locator("input[name=start_label]")).to_have_count(12)
    assert page.is_checked("#start_label-7")  # on this sheet too
    page.get_by_role("radio", name="Etikett 3 (Reihe 2, Spalte 1)").focus()
    page.keyboard.press("Space")  # chosen by the keyboard
    assert page.is_checked("#start_label-3")
    page.get_by_role("button", name="Versand erstellen").click()
    page.wait_for_url("**/jobs/*")
    assert problems == []


def test_the_refusal_without_the_cookie_has_the_pages_look(
    chromium: Any, german_server: Server
) -> None:
    page, problems = watched(chromium)
    response = page.goto(german_server.base + "/batches")  # never opened the printed address
    assert response is not None and response.status == 403
    border = page.eval_on_selector("header", "e => getComputedStyle(e).borderBottomColor")
    assert border == "rgb(0, 79, 159)"  # page.css's accent: the style sheet applies
    assert "Öffnen Sie die Seite über die Adresse" in page.inner_text("main")
    # The 403 itself is logged as a failed load; nothing else (no CSP violation).
    assert [text for text in problems if "403" not in text] == []
