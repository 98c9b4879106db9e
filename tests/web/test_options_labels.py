"""The label sheet on the options page: a picture of the chosen product's sheet, to scale, in
which a click on a label chooses the first free label (radio buttons named start_label, no
style attribute, no inline script); "Show this sheet" and labels.js follow the product.
Clicked in Chromium: tests/browser/test_pages.py."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import batch_dirs
from starlette.testclient import TestClient
from web_client import make_batch, new_draft, signed_in, text_of

from merge.batch import LABELS_DOCX
from merge.render.label_products import load_label_products


@pytest.fixture
def client(example: Path) -> Iterator[TestClient]:
    with signed_in(example) as client:
        yield client


@pytest.fixture
def options(client: TestClient) -> str:
    """The address of a draft's options page."""
    return new_draft(client).replace("check", "options")


def radios(page: str) -> list[tuple[str, str]]:
    """The start_label radio buttons of a page: (value, accessible name)."""
    return re.findall(r'name="start_label" value="(\d+)" aria-label="([^"]*)"', page)


def checked(page: str) -> list[str]:
    return re.findall(r'name="start_label" value="(\d+)"[^>]*\bchecked\b', page)


def slot_boxes(page: str) -> list[tuple[float, float, float, float]]:
    found = re.findall(
        r'<foreignObject class="slot" x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" '
        r'height="([\d.]+)"',
        page,
    )
    return [(float(x), float(y), float(w), float(h)) for x, y, w, h in found]


def test_the_sheet_has_a_radio_button_per_label_named_by_row_and_column(
    client: TestClient, options: str
) -> None:
    page = client.get(options).text
    found = radios(page)
    assert len(found) == 24  # 3422: 3 x 8
    assert found[0] == ("1", "Label 1 (row 1, column 1)")
    assert found[6] == ("7", "Label 7 (row 3, column 1)")
    assert found[23] == ("24", "Label 24 (row 8, column 3)")
    assert checked(page) == ["1"]  # the CLI's default
    assert page.count('<label for="start_label-') == 24
    assert 'type="number" id="start_label"' not in page  # one field of that name only


@pytest.mark.parametrize("code", ["3422", "L7160", "3659"])
def test_the_picture_is_the_products_sheet_to_scale(
    client: TestClient, options: str, code: str
) -> None:
    product = load_label_products()[code]
    page = client.get(options, params={"labels": code, "start_label": "1"}).text
    assert 'viewBox="0 0 210 297"' in page
    boxes = slot_boxes(page)
    assert len(boxes) == product.per_sheet
    for position, (x, y, w, h) in enumerate(boxes, start=1):
        box = product.label_box(position)
        assert (x, y, w, h) == pytest.approx((box.x, box.y, box.w, box.h), abs=0.006)
    assert boxes[1][0] == pytest.approx(product.margin_left_mm + product.pitch_x_mm, abs=0.006)


def test_show_this_sheet_keeps_the_other_fields(client: TestClient, options: str) -> None:
    page = client.get(options).text
    assert f'formaction="{options}" formmethod="get" formnovalidate' in page
    sent = {"envelope": "C5", "labels": "3424", "start_label": "5", "blank": "3"}
    shown = client.get(options, params={**sent, "mail_date": "31.12.2026", "window": "1"})
    assert shown.status_code == 200
    page = shown.text
    assert len(radios(page)) == 12 and checked(page) == ["5"]
    assert '<option value="3424" selected>' in page
    assert 'name="envelope" value="C5" checked' in page
    assert 'name="blank" min="0" max="1000" value="3"' in page
    assert 'value="31.12.2026"' in page
    assert 'name="window" value="1" checked' in page
    assert "A sheet of 3424, to scale." in text_of(page)


def test_a_first_label_the_shown_sheet_lacks_goes_back_to_its_first(
    client: TestClient, options: str
) -> None:
    page = client.get(options, params={"labels": "3424", "start_label": "20"}).text
    assert checked(page) == ["1"]
    assert 'class="error"' not in page  # only shown, not sent


def test_a_first_label_beyond_the_sheet_is_refused_in_one_line(
    client: TestClient, options: str, example: Path
) -> None:
    form = {"envelope": "DL", "labels": "3424", "start_label": "13", "blank": "0"}
    response = client.post(options.replace("options", "batch"), data=form)
    assert response.status_code == 400
    (line,) = [p for p in response.text.split("\n") if 'id="start_label-error"' in p]
    said = "label 13 does not exist on 3424 (2 x 6 = 12 labels) - start at a label from 1 to 12"
    assert text_of(line) == said
    assert 'aria-describedby="sheet-hint start_label-error"' in response.text
    assert len(radios(response.text)) == 12 and checked(response.text) == []
    assert not (example / "outputs").exists()


def test_the_chosen_label_makes_the_batch_start_there(client: TestClient, example: Path) -> None:
    from docx import Document

    done = make_batch(client, new_draft(client), start_label="7")
    assert done["finished"] and done["step"] == "finished"
    (folder,) = batch_dirs(example)
    (table, *_) = Document(str(folder / LABELS_DOCX)).tables
    cells = [cell.text.strip() for row in table.rows for cell in row.cells]  # 3422: no gaps
    assert cells[:6] == [""] * 6 and cells[6]  # labels 1-6 left as they are


def test_the_sheet_speaks_german(example: Path) -> None:
    with signed_in(example, language="de") as client:
        page = client.get(new_draft(client).replace("check", "options")).text
    assert ("7", "Etikett 7 (Reihe 3, Spalte 1)") in radios(page)
    text = text_of(page)
    assert "Diesen Bogen zeigen" in text
    assert "erstes freies Etikett" in text
