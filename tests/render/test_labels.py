"""Label sheets and envelopes: geometry as data, checked in the .docx and in LibreOffice's PDF.

The LibreOffice tests render every case once (module fixture, one soffice run) and then assert
on page counts, page sizes and the position of every word (``pdftotext -bbox``) against the
product geometry, computed here from the data file, not from the renderer's own numbers.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from docx.oxml.ns import qn
from hypothesis import given, settings
from hypothesis import strategies as st

from merge import data as bundled_data
from merge.batch.model import PostOptions
from merge.cli import cli
from merge.data import LABELS, default_label_code
from merge.errors import DataError, InputError, OutputError, UsageError
from merge.lists import metrics
from merge.render import labels
from merge.render.address_blocks import Box
from merge.render.envelopes import render_envelopes
from merge.render.label_products import LabelProduct, label_product, load_label_products
from merge.render.labels import LABEL_INSET_X_MM, render_labels, render_outline_sheet

PT = 25.4 / 72  # mm per PostScript point
TWIPS_PER_MM = 1440 / 25.4

ADDRESSEE = (
    "President",
    "Xi Jinping",
    "Zhongnanhai, Xichangan'jie",
    "Xichengqu, Beijing Shi 100017",
    "CHINA",
)
CHINESE_BLOCK = (  # 9 lines: Chinese script above the Latin block, country last
    "北京市西城区",
    "西长安街174号 中南海",
    "习近平 主席",
    "President Xi Jinping",
    "Zhongnanhai",
    "Xichangan'jie",
    "Xichengqu",
    "Beijing Shi 100017",
    "CHINA",
)
SENDER = ("Petitionsgruppe Erfundorf", "Beispielweg 7", "12345 Erfundorf", "GERMANY")
SENDER_LINE = "Petitionsgruppe Erfundorf, Beispielweg 7, 12345 Erfundorf, GERMANY"


# --- data -----------------------------------------------------------------------------------


def test_data_file_holds_the_required_products_with_sources() -> None:
    products = load_label_products()
    for code in ("3422", "3474", "3475", "3490", "3425", "3659", "4360", "L7160", "L7163"):
        assert code in products
    assert "L7173" in products
    for product in products.values():
        assert product.name and product.source
        last = product.label_box(product.per_sheet)
        assert last.right <= product.page_w_mm + 0.05
        assert last.bottom <= product.page_h_mm + 0.05


def test_product_geometry_matches_the_reference_numbers() -> None:
    p = label_product("3422")
    assert (p.cols, p.rows, p.label_w_mm, p.label_h_mm) == (3, 8, 70.0, 35.0)
    assert (p.margin_left_mm, p.margin_top_mm, p.pitch_x_mm, p.pitch_y_mm) == (0, 8.43, 70, 35)
    p = label_product("L7163")
    assert (p.margin_left_mm, p.margin_top_mm, p.pitch_x_mm, p.label_w_mm) == (
        4.67,
        15.15,
        101.6,
        99.06,
    )
    assert label_product("3659").label_box(12) == Box(8.0 + 97.0, 21.53 + 5 * 42.3, 97.0, 42.3)


def test_label_product_accepts_aliases_and_any_case() -> None:
    assert label_product(" l7163 ").code == "L7163"
    assert label_product("J8163").code == "L7163"


def test_unknown_label_product_lists_the_known_codes_in_one_line() -> None:
    with pytest.raises(UsageError) as err:
        label_product("3423")
    message = str(err.value)
    assert message.startswith("unknown label product '3423' - use one of: 3422, 3474, ")
    assert "L7173" in message and "\n" not in message


def test_broken_data_file_is_a_data_error(tmp_path: Path) -> None:
    bad = tmp_path / "labels.json"
    bad.write_text('{"labels": {"9999": {"name": "x", "cols": 3}}}', encoding="utf-8")
    with pytest.raises(DataError, match="label 9999: incomplete or malformed"):
        load_label_products(bad)
    data = json.loads(LABELS.read_text(encoding="utf-8"))
    data["labels"]["3422"]["margin_top_mm"] = 20.0  # 20 + 8 x 35 > 297
    bad.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(DataError, match=r"label 3422: labels reach 210.00 x 300.00 mm"):
        load_label_products(bad)
    bad.write_text("{", encoding="utf-8")
    with pytest.raises(DataError, match="cannot read label data"):
        load_label_products(bad)
    bad.write_text('{"about": "no labels"}', encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_label_products(bad)
    assert str(err.value) == f"{bad}: no 'labels' in it - restore the file"


def test_the_default_label_product_comes_from_the_data_file(tmp_path: Path) -> None:
    assert json.loads(LABELS.read_text(encoding="utf-8"))["default"] == "3422"
    assert default_label_code() == "3422" == PostOptions().labels
    assert label_product(default_label_code()).code == "3422"
    data = json.loads(LABELS.read_text(encoding="utf-8"))
    data["default"] = "L7163"
    edited = tmp_path / "labels.json"
    edited.write_text(json.dumps(data), encoding="utf-8")
    assert default_label_code(edited) == "L7163"
    data["default"] = "9999"
    edited.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_label_products(edited)
    assert str(err.value).startswith(
        f"{edited}: key 'default' names no label product ('9999') - use one of: 3422, 3474, "
    )
    del data["default"]
    edited.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(DataError, match="no 'default' label code in it - restore the file"):
        default_label_code(edited)


def test_the_cli_shows_the_defaults_of_the_data_files() -> None:
    run_help = CliRunner().invoke(cli, ["run", "--help"]).output
    assert "[default: 3422]" in run_help and "[default: DL]" in run_help
    assert "--envelope [dl|c5|c4|auto]" in run_help
    assert "[default: 3422]" in CliRunner().invoke(cli, ["label-test", "--help"]).output


def test_labels_json_holds_label_sheets_only() -> None:
    data = json.loads(LABELS.read_text(encoding="utf-8"))
    assert set(data) == {"about", "default", "labels"}


@pytest.fixture
def damaged_labels_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Put a damaged labels.json in place of the bundled one (read afresh, cache cleared)."""
    data = json.loads(LABELS.read_text(encoding="utf-8"))
    data["labels"]["3422"]["cols"] = 0
    damaged = tmp_path / "labels.json"
    damaged.write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setattr(bundled_data, "LABELS", damaged)
    bundled_data._bundled_labels.cache_clear()
    yield damaged
    bundled_data._bundled_labels.cache_clear()  # monkeypatch puts the real file back after this


@pytest.mark.usefixtures("damaged_labels_json")
def test_damaged_bundled_label_data_is_exit_8_in_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["label-test", "--out", str(tmp_path / "t.docx")])
    assert result.exit_code == DataError.exit_code == 8, result.output
    assert "Traceback" not in result.output
    [line] = result.stderr.splitlines()
    assert line.startswith("error: ") and line.endswith(
        "labels.json: label 3422: needs at least one row and column of labels of 10 mm or more "
        "- fix the numbers"
    )


def test_damaged_font_metrics_are_a_data_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    damaged = tmp_path / "fontwidths.json"
    monkeypatch.setattr(metrics, "_WIDTHS_FILE", damaged)
    try:
        for text, problem in (
            ('{"units_per_em": 2048', "cannot read font metrics"),
            (
                '{"units_per_em": 2048}',
                "font metrics incomplete or malformed (the key 'regular' is missing)",
            ),
            ('{"units_per_em": 0, "regular": [[32, [569]]]}', "font metrics incomplete"),
        ):
            damaged.write_text(text, encoding="utf-8")
            metrics._advance_widths.cache_clear()
            with pytest.raises(DataError) as err:
                metrics._advance_widths()
            assert str(err.value).startswith(f"{damaged}: {problem}"), str(err.value)
    finally:
        metrics._advance_widths.cache_clear()


# --- refusals -------------------------------------------------------------------------------


def test_start_position_beyond_the_sheet_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as err:
        render_labels(tmp_path / "l.docx", ADDRESSEE, 1, label_product("3422"), start=25)
    assert str(err.value) == (
        "label 25 does not exist on 3422 (3 x 8 = 24 labels) - start at a label from 1 to 24"
    )
    with pytest.raises(UsageError, match="label 0 does not exist"):
        render_labels(tmp_path / "l.docx", ADDRESSEE, 1, label_product("3422"), start=0)
    assert not (tmp_path / "l.docx").exists()


def test_block_too_tall_names_the_products_it_fits(tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        render_labels(tmp_path / "l.docx", CHINESE_BLOCK, 3, label_product("3422"))
    message = str(err.value)
    assert message.startswith(
        "the address block (9 lines) does not fit label 3422 (70 x 35 mm), too tall even at 8 pt"
        " - it fits: "
    )
    fits = message.split("it fits: ")[1].split(", ")
    assert {"3425", "3659", "L7173"} <= set(fits)
    assert not {"3422", "3474", "3475", "3490", "4360"} & set(fits)
    assert "\n" not in message


def test_line_too_wide_is_refused(tmp_path: Path) -> None:
    wide = ("Präsident der Volksrepublik China Xi Jinping, Zhongnanhai", "CHINA")
    with pytest.raises(InputError, match=r"\(2 lines\) does not fit label 3422 .*, too wide"):
        render_labels(tmp_path / "l.docx", wide, 1, label_product("3422"))


def test_other_refusals_are_one_clear_line(tmp_path: Path) -> None:
    out = tmp_path / "x.docx"
    p = label_product("3422")
    cases = [
        (lambda: render_labels(out, ADDRESSEE, 0, p), "nothing to print: 0 labels"),
        (lambda: render_labels(out, ["", " "], 1, p), "the address block is empty"),
        (
            lambda: render_envelopes(out, CHINESE_BLOCK, 1, window=True),
            "does not fit the DIN 5008 address zone (80 x 27.3 mm), too tall even at 8 pt",
        ),
        (
            lambda: render_envelopes(out, ADDRESSEE, 1, sender_line="x " * 300),
            "the sender line (1 line) does not fit envelope DL",
        ),
    ]
    for call, fragment in cases:
        with pytest.raises(InputError) as err:
            call()
        assert fragment in str(err.value) and "\n" not in str(err.value)
    assert not out.exists()


def test_impossible_arguments_are_usage_errors(tmp_path: Path) -> None:
    out = tmp_path / "x.docx"
    p = label_product("3422")
    cases = [
        (lambda: render_labels(out, ADDRESSEE, 1, p, offset_mm=(0, 11)), "printer offset 0 / 11"),
        (lambda: render_outline_sheet(out, p, (-12, 0)), "use -10 to 10 mm"),
        (lambda: render_envelopes(out, ADDRESSEE, 1, envelope="B4"), "use one of DL, C5, C4"),
    ]
    for call, fragment in cases:
        with pytest.raises(UsageError) as err:
            call()
        assert fragment in str(err.value) and "\n" not in str(err.value)
    assert not out.exists()


def test_unwritable_output_is_an_output_error(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="cannot write here"):
        render_labels(tmp_path / "missing" / "l.docx", ADDRESSEE, 1, label_product("3422"))


# --- the .docx ------------------------------------------------------------------------------


def _row_heights(path: Path) -> list[int]:
    body = Document(str(path)).element.body
    return [int(h.get(qn("w:val"))) for h in body.iter(qn("w:trHeight"))]


@pytest.mark.parametrize("offset", [(0.0, 0.0), (1.3, -0.7)])
def test_table_edges_land_on_every_label_edge_without_rounding_drift(
    tmp_path: Path, offset: tuple[float, float]
) -> None:
    for product in load_label_products().values():
        out = tmp_path / f"{product.code}.docx"
        render_labels(out, ("CHINA",), product.per_sheet, product, offset_mm=offset)
        doc = Document(str(out))
        section = doc.sections[0]
        xs = [section.left_margin.twips]
        for column in doc.element.body.iter(qn("w:gridCol")):
            xs.append(xs[-1] + int(column.get(qn("w:w"))))
        ys = [section.top_margin.twips]
        for row in doc.element.body.iter(qn("w:trHeight")):
            assert row.get(qn("w:hRule")) == "exact"
            ys.append(ys[-1] + int(row.get(qn("w:val"))))
        for position in range(1, product.per_sheet + 1):
            paper = _on_paper(product, position, offset)
            for edge, edges in (
                (paper.x, xs),
                (paper.right, xs),
                (paper.y, ys),
                (paper.bottom, ys),
            ):
                nearest = min(abs(e / TWIPS_PER_MM - edge) for e in edges)
                assert nearest < 0.01, (product.code, position, edge)


def test_sender_labels_follow_the_addressee_labels(tmp_path: Path) -> None:
    out = tmp_path / "l.docx"
    sheets = render_labels(out, ADDRESSEE, 3, label_product("3422"), start=2, sender=SENDER)
    assert sheets == 1
    cells = [cell for row in Document(str(out)).tables[0].rows for cell in row.cells]
    first_lines = [cell.paragraphs[0].text for cell in cells]
    assert first_lines == [""] + ["President"] * 3 + ["Petitionsgruppe Erfundorf"] * 3 + [""] * 2
    sizes = {run.font.size.pt for cell in cells for p in cell.paragraphs for run in p.runs}
    assert sizes == {10.0, 9.0}  # addressee 10 pt, return address smaller


def _on_paper(product: LabelProduct, position: int, offset: tuple[float, float]) -> Box:
    """Return the part of a label that is on the paper (the renderer cuts labels there)."""
    box = product.label_box(position, offset)
    bottom = product.page_h_mm - labels.BOTTOM_RESERVE_MM
    x, y = max(box.x, 0.0), max(box.y, 0.0)
    return Box(x, y, min(box.right, product.page_w_mm) - x, min(box.bottom, bottom) - y)


@settings(max_examples=30, deadline=None)
@given(
    code=st.sampled_from(sorted(load_label_products())),
    start=st.integers(min_value=1, max_value=40),
    count=st.integers(min_value=1, max_value=60),
    with_sender=st.booleans(),
)
def test_every_label_is_printed_once_on_the_sheets_counted(
    tmp_path_factory: pytest.TempPathFactory, code: str, start: int, count: int, with_sender: bool
) -> None:
    product = label_product(code)
    start = (start - 1) % product.per_sheet + 1
    out = tmp_path_factory.mktemp("prop") / "l.docx"
    sheets = render_labels(
        out, ("CHINA",), count, product, start=start, sender=("GERMANY",) if with_sender else None
    )
    used = start - 1 + count * (2 if with_sender else 1)
    assert sheets == -(-used // product.per_sheet)
    texts = [
        cell.text for row in Document(str(out)).tables[0].rows for cell in row.cells if cell.text
    ]
    assert texts.count("CHINA") == count
    assert texts.count("GERMANY") == (count if with_sender else 0)
    label_rows = sum(1 for _ in Document(str(out)).element.body.iter(qn("w:trHeight")))
    gap_rows = (product.pitch_y_mm > product.label_h_mm + 0.01) * (product.rows - 1)
    assert label_rows <= sheets * (product.rows + gap_rows)
    assert label_rows > (sheets - 1) * (product.rows + gap_rows)


def test_text_prints_literally_and_blank_lines_are_dropped(tmp_path: Path) -> None:
    out = tmp_path / "l.docx"
    block = ["A & B <C> {{ x }}", "", "  Zeile\r\nzwei\x0b ", "CHINA"]
    render_labels(out, block, 1, label_product("3425"))
    [cell] = [c for row in Document(str(out)).tables[0].rows for c in row.cells if c.text]
    assert [p.text for p in cell.paragraphs] == ["A & B <C> {{ x }}", "Zeile", "zwei", "CHINA"]
    assert not list(tmp_path.glob(".*.tmp"))


# --- rendered by LibreOffice ----------------------------------------------------------------


@dataclass(frozen=True)
class Word:
    page: int
    x0: float  # mm from the page's top-left corner
    y0: float
    x1: float
    y1: float
    text: str


@dataclass(frozen=True)
class Rendered:
    pages: int
    size_mm: tuple[float, float]
    words: tuple[Word, ...]


def _pdf_facts(pdf: Path) -> Rendered:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    pages = int(re.search(r"Pages:\s+(\d+)", info.stdout).group(1))  # type: ignore[union-attr]
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info.stdout)
    assert size is not None
    bbox = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    words, page = [], 0
    for line in bbox.splitlines():
        if "<page " in line:
            page += 1
        found = re.search(
            r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)</word>', line
        )
        if found:
            x0, y0, x1, y1 = (float(found.group(i)) * PT for i in range(1, 5))
            words.append(Word(page, x0, y0, x1, y1, html.unescape(found.group(5))))
    return Rendered(pages, (float(size.group(1)) * PT, float(size.group(2)) * PT), tuple(words))


@dataclass(frozen=True)
class LabelCase:
    product: str
    count: int
    start: int = 1
    offset: tuple[float, float] = (0.0, 0.0)
    sender: bool = False
    block: tuple[str, ...] = ADDRESSEE
    sheets: int = 1


LABEL_CASES = {
    "3422-start-10": LabelCase("3422", 24, start=10, sheets=2),
    "L7163-sender-offset": LabelCase(
        "L7163", 8, start=3, offset=(1.5, -1.0), sender=True, sheets=2
    ),
    "3659-chinese": LabelCase("3659", 3, start=12, block=CHINESE_BLOCK, sheets=2),
    "3474-edge-to-edge": LabelCase("3474", 48, offset=(-0.8, 2.0), sheets=2),
}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Rendered]]:
    """Render every case, convert all in one LibreOffice run, return what the PDFs show."""
    folder = tmp_path_factory.mktemp("labels")
    for name, case in LABEL_CASES.items():
        sheets = render_labels(
            folder / f"{name}.docx",
            case.block,
            case.count,
            label_product(case.product),
            start=case.start,
            offset_mm=case.offset,
            sender=SENDER if case.sender else None,
        )
        assert sheets == case.sheets
    render_outline_sheet(folder / "outline-3422.docx", label_product("3422"), (-1.0, 1.0))
    render_envelopes(folder / "DL.docx", ADDRESSEE, 2, sender_line=SENDER_LINE)
    render_envelopes(folder / "C4.docx", CHINESE_BLOCK, 1, envelope="C4")
    render_envelopes(folder / "window.docx", ADDRESSEE, 2, window=True, sender_line=SENDER_LINE)
    soffice = shutil.which("soffice") or "soffice"
    profile = (folder / "profile").as_uri()
    docs = ["--outdir", str(folder / "pdf"), *sorted(str(p) for p in folder.glob("*.docx"))]
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", *docs],
        capture_output=True,
        check=True,
        timeout=300,
    )
    yield {p.stem: _pdf_facts(p) for p in (folder / "pdf").glob("*.pdf")}


def _by_label(
    rendered: Rendered, product: LabelProduct, offset: tuple[float, float]
) -> dict[tuple[int, int], list[Word]]:
    """Group the words by the (sheet, position) of the label their centre lies in."""
    groups: dict[tuple[int, int], list[Word]] = {}
    for word in rendered.words:
        cx, cy = (word.x0 + word.x1) / 2, (word.y0 + word.y1) / 2
        for position in range(1, product.per_sheet + 1):
            box = product.label_box(position, offset)
            if box.x <= cx <= box.right and box.y <= cy <= box.bottom:
                groups.setdefault((word.page, position), []).append(word)
                break
        else:
            pytest.fail(f"{word.text!r} on page {word.page} lies on no label")
    return groups


@pytest.mark.soffice
@pytest.mark.parametrize("name", list(LABEL_CASES))
def test_labels_land_on_their_labels(rendered: dict[str, Rendered], name: str) -> None:
    case = LABEL_CASES[name]
    product = label_product(case.product)
    pdf = rendered[name]
    assert pdf.pages == case.sheets
    assert pdf.size_mm == pytest.approx((210, 297), abs=0.1)
    groups = _by_label(pdf, product, case.offset)

    first_line = case.block[0].split()[0]
    addressed = sorted(k for k, words in groups.items() if words[0].text == first_line)
    per = product.per_sheet
    slots = range(case.start - 1, case.start - 1 + case.count)
    assert addressed == [(slot // per + 1, slot % per + 1) for slot in slots]
    senders = sorted(k for k, words in groups.items() if words[0].text == "Petitionsgruppe")
    assert len(senders) == (case.count if case.sender else 0)
    assert len(groups) == len(addressed) + len(senders)

    for (_, position), words in groups.items():
        paper = _on_paper(product, position, case.offset)
        left = min(w.x0 for w in words) - paper.x
        top, bottom = min(w.y0 for w in words) - paper.y, paper.bottom - max(w.y1 for w in words)
        right = paper.right - max(w.x1 for w in words)
        assert min(left, right, top, bottom) >= 3.0, (name, position)
        assert left == pytest.approx(LABEL_INSET_X_MM, abs=0.2)  # the geometry is exact
        assert top == pytest.approx(bottom, abs=1.0)  # centred vertically


@pytest.mark.soffice
def test_outline_sheet_numbers_every_label_in_place(rendered: dict[str, Rendered]) -> None:
    product = label_product("3422")
    pdf = rendered["outline-3422"]
    assert pdf.pages == 1
    groups = _by_label(pdf, product, (-1.0, 1.0))
    numbers = {position: words[0].text for (_, position), words in groups.items()}
    assert numbers == {n: str(n) for n in range(1, 25)}


@pytest.mark.soffice
def test_envelope_page_is_the_envelope_with_the_address_lower_right(
    rendered: dict[str, Rendered],
) -> None:
    for name, size, pages in (("DL", (220, 110), 2), ("C4", (324, 229), 1)):
        pdf = rendered[name]
        assert pdf.size_mm == pytest.approx(size, abs=0.3)
        assert pdf.pages == pages
        width, height = size
        address = [w for w in pdf.words if w.y0 > 30]
        assert len([w for w in address if w.text == "CHINA"]) == pages
        assert min(w.x0 for w in address) == pytest.approx(width / 2, abs=0.2)
        assert max(w.x1 for w in address) <= width - 15
        assert min(w.y0 for w in address) >= 40
        assert max(w.y1 for w in address) <= height - 15
    sender = [w for w in rendered["DL"].words if w.y0 < 30]
    assert " ".join(w.text for w in sender if w.page == 1) == SENDER_LINE
    assert min(w.x0 for w in sender) == pytest.approx(10, abs=0.2)
    assert max(w.x1 for w in sender) <= 220 - 74  # clear of the franking zone
    assert max(w.y1 for w in sender) <= 20


@pytest.mark.soffice
def test_window_sheet_puts_the_address_into_the_din_5008_field(
    rendered: dict[str, Rendered],
) -> None:
    pdf = rendered["window"]
    assert pdf.pages == 2
    assert pdf.size_mm == pytest.approx((210, 297), abs=0.1)
    for page in (1, 2):
        words = [w for w in pdf.words if w.page == page]
        sender = [w for w in words if w.y1 < 63.5 and w.text != "President"]
        address = [w for w in words if w not in sender]
        assert " ".join(w.text for w in sender) == SENDER_LINE
        assert " ".join(w.text for w in address).endswith("CHINA")
        for word in words:
            assert word.x0 >= 25 - 0.2 and word.x1 <= 20 + 85
            assert word.y0 >= 45 and word.y1 <= 45 + 45
        assert min(w.y0 for w in address) == pytest.approx(62.7, abs=0.5)
        assert max(w.y1 for w in sender) == pytest.approx(62.7, abs=0.5)
