"""Rendering petition lists, checking templates, PDF conversion. Invented names only."""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from html import unescape
from pathlib import Path

import markupsafe
import pytest
from conftest import ROOT
from docx import Document
from hypothesis import given
from hypothesis import strategies as st

from merge.campaign import Campaign, load_campaign
from merge.errors import OutputError, TemplateError
from merge.lists import fit, geometry
from merge.lists.paginate import Page
from merge.lists.signer import Signer
from merge.render import context, docx_stream
from merge.render.pdf import convert_to_pdf
from merge.render.petitions import render_petitions
from merge.render.template_check import TemplateProblem, check_template, ensure_template_ok

TEMPLATE = ROOT / "templates" / "petition-list.docx"
BATCH = "2026-11-27-1"

TRICKY_NAMES = [
    "Smith & Söhne <GmbH>, \"Ann\" 'Lee'",
    "{{ 7*7 }}, {% if x %}Ja{% endif %}",
    "王, 小明",
    "الحربي, فاطمة",
    "Brace {_{ odd }_}, Tab\tand\fbreak",
]


@pytest.fixture(scope="module")
def campaign() -> Campaign:
    return load_campaign(None, ROOT)


def signer(
    n: int, name: str, address: tuple[str, ...] = ("Beispielweg 1", "12345 Musterstadt")
) -> Signer:
    return Signer(f"inputs/test.xlsx:Sheet1:{n + 1}", name, address, f"key-{n}")


def pages_of(*slots: tuple[Signer | None, ...]) -> list[Page]:
    return [Page(number, page) for number, page in enumerate(slots, 1)]


def table_rows(path: Path) -> list[list[list[str]]]:
    """Return the cell texts of the signer rows of every list, heading row left out."""
    doc = Document(str(path))
    return [[[cell.text for cell in row.cells] for row in table.rows[1:]] for table in doc.tables]


def body_text(path: Path) -> list[str]:
    return [p.text for p in Document(str(path)).paragraphs]


def edited_template(
    tmp_path: Path, edit: Callable[[str], str], part: str = "word/document.xml"
) -> Path:
    """Copy the bundled template, changing one XML part as Word or a volunteer might."""
    out = tmp_path / "edited.docx"
    with zipfile.ZipFile(TEMPLATE) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == part:
                text = data.decode("utf-8")
                changed = edit(text)
                assert changed != text, "the edit did not apply"
                data = changed.encode("utf-8")
            dst.writestr(item, data)
    return out


# --- rendering ------------------------------------------------------------------------------


def test_every_signer_appears_once_in_its_list_and_row(tmp_path: Path, campaign: Campaign) -> None:
    people = [
        signer(n, f"Testperson-{n}, Erika", (f"Beispielweg {n}", "12345 Musterstadt"))
        for n in range(8)
    ]
    pages = pages_of(tuple(people[:5]), (*people[5:], None, None), (None,) * 5)
    out = tmp_path / "lists.docx"
    render_petitions(TEMPLATE, campaign, pages, BATCH, out)

    tables = table_rows(out)
    assert len(tables) == 3
    for page, rows in zip(pages, tables, strict=True):
        assert [row[0] for row in rows] == ["1", "2", "3", "4", "5"]
        for slot, row in zip(page.slots, rows, strict=True):
            if slot is None:
                assert row[1:] == ["", "", ""]
            else:
                assert row[1] == slot.name
                assert row[2] == "\n".join(slot.address)
                assert row[3] == ""
    all_text = "\n".join(cell for rows in tables for row in rows for cell in row)
    for person in people:
        assert all_text.count(person.name) == 1


def test_campaign_text_and_reference_line_are_printed(tmp_path: Path, campaign: Campaign) -> None:
    out = tmp_path / "lists.docx"
    render_petitions(TEMPLATE, campaign, pages_of((None,) * 5, (None,) * 5), BATCH, out)
    text = body_text(out)
    assert text.count(f"Liste 1 / 2 · {BATCH}") == 1
    assert text.count(f"Liste 2 / 2 · {BATCH}") == 1
    assert text.count("\n".join(campaign.addressee)) == 2
    for sentence in (campaign.title, campaign.salutation, *campaign.paragraphs, campaign.closing):
        assert text.count(sentence) == 2
    assert text.count(campaign.privacy_note) == 2
    assert text.count(campaign.deadline_note) == 2
    doc = Document(str(out))
    headings = [cell.text for cell in doc.tables[0].rows[0].cells]
    assert headings == ["", "Name, Vorname", "Anschrift", "Unterschrift"]
    footer = doc.sections[0].footer.tables[0]
    sender, account = (cell.text for cell in footer.rows[0].cells)
    assert sender.startswith("AMNESTY INTERNATIONAL Deutschland e. V.\n")
    assert "c/o Gerold Siemer" in sender
    assert account == "\n".join(campaign.sender.account)


def test_each_list_starts_a_page_without_a_trailing_break(
    tmp_path: Path, campaign: Campaign
) -> None:
    out = tmp_path / "lists.docx"
    render_petitions(TEMPLATE, campaign, pages_of(*[(None,) * 5] * 3), BATCH, out)
    paragraphs = Document(str(out)).paragraphs
    breaks = [p.text for p in paragraphs if p.paragraph_format.page_break_before]
    assert breaks == [f"Liste {n} / 3 · {BATCH}" for n in (1, 2, 3)]
    with zipfile.ZipFile(out) as docx:
        assert 'w:type="page"' not in docx.read("word/document.xml").decode()


def test_spreadsheet_text_prints_literally(tmp_path: Path, campaign: Campaign) -> None:
    people = [signer(n, name, (name, "Zeile 2")) for n, name in enumerate(TRICKY_NAMES)]
    out = tmp_path / "lists.docx"
    render_petitions(TEMPLATE, campaign, pages_of(tuple(people)), BATCH, out)
    rows = table_rows(out)[0]
    expected = [name.replace("\t", " ").replace("\f", "") for name in TRICKY_NAMES]
    assert [row[1] for row in rows] == expected
    assert [row[2] for row in rows] == [f"{name}\nZeile 2" for name in expected]
    assert "{{ 7*7 }}" in rows[1][1] and "49" not in rows[1][1]


def test_document_is_the_same_as_with_jinjas_own_escape(
    tmp_path: Path, campaign: Campaign, monkeypatch: pytest.MonkeyPatch
) -> None:
    people = [signer(n, name, (name, "Zeile 2")) for n, name in enumerate(TRICKY_NAMES)]
    plain = [signer(9, "Testperson-9, Erika"), None, None, None, None]
    pages = pages_of(tuple(people), tuple(plain))
    fast, markupsafe_only = tmp_path / "fast.docx", tmp_path / "markupsafe.docx"
    render_petitions(TEMPLATE, campaign, pages, BATCH, fast)
    monkeypatch.setattr(docx_stream, "_escape_without_copies", lambda template: None)
    render_petitions(TEMPLATE, campaign, pages, BATCH, markupsafe_only)
    with zipfile.ZipFile(fast) as one, zipfile.ZipFile(markupsafe_only) as other:
        assert one.read("word/document.xml") == other.read("word/document.xml")


def test_compiled_templates_escape_with_escape_text() -> None:
    """Fails if a Jinja release stops calling ``escape`` by name: the speed-up would be gone."""
    env = context.environment()
    template = env.from_string("<w:t>{{ x }}</w:t>")
    docx_stream._escape_without_copies(template)
    assert template.root_render_func.__globals__["escape"] is docx_stream.escape_text
    assert template.render(x="<b> & 'c'") == "<w:t>&lt;b&gt; &amp; &#39;c&#39;</w:t>"
    other = env.from_string("{{ x }}")  # another template of the same environment
    assert other.root_render_func.__globals__["escape"] is markupsafe.escape  # this one only


_MARKUP_TEXT = st.one_of(st.text(alphabet="&<>\"'aü;#\n "), st.text())


@given(
    st.one_of(
        _MARKUP_TEXT,
        _MARKUP_TEXT.map(markupsafe.Markup),
        _MARKUP_TEXT.map(markupsafe.escape),
        st.integers(),
        st.floats(allow_nan=False),
    )
)
def test_escape_text_gives_what_markupsafe_gives(value: object) -> None:
    assert docx_stream.escape_text(value) == str(markupsafe.escape(value))


def test_render_writes_atomically_and_leaves_no_temp_files(
    tmp_path: Path, campaign: Campaign
) -> None:
    out = tmp_path / "lists.docx"
    out.write_text("previous run")
    render_petitions(TEMPLATE, campaign, pages_of((None,) * 5), BATCH, out)
    assert zipfile.is_zipfile(out)
    assert [p.name for p in tmp_path.iterdir()] == ["lists.docx"]


def test_render_into_missing_folder_is_an_output_error(tmp_path: Path, campaign: Campaign) -> None:
    with pytest.raises(OutputError) as info:
        render_petitions(
            TEMPLATE, campaign, pages_of((None,) * 5), BATCH, tmp_path / "no" / "x.docx"
        )
    assert "\n" not in str(info.value)


def test_sandbox_blocks_python_internals(tmp_path: Path, campaign: Campaign) -> None:
    evil = edited_template(
        tmp_path, lambda xml: xml.replace("{{ campaign.title }}", "{{ ''.__class__.__mro__ }}")
    )
    out = tmp_path / "lists.docx"
    with pytest.raises(TemplateError) as info:
        render_petitions(evil, campaign, pages_of((None,) * 5), BATCH, out)
    assert "\n" not in str(info.value)
    assert "check-template" in str(info.value)
    assert not out.exists()
    assert any("rendering a sample fails" in p.problem for p in check_template(evil))


def test_missing_and_broken_template_files(tmp_path: Path, campaign: Campaign) -> None:
    with pytest.raises(TemplateError, match="Word template not found"):
        render_petitions(tmp_path / "none.docx", campaign, [], BATCH, tmp_path / "x.docx")
    junk = tmp_path / "junk.docx"
    junk.write_text("not a zip")
    with pytest.raises(TemplateError, match=r"save it as \.docx"):
        check_template(junk)


# --- template check -------------------------------------------------------------------------


def test_bundled_template_has_no_problems() -> None:
    assert check_template(TEMPLATE) == []
    ensure_template_ok(TEMPLATE)


def test_placeholder_split_across_formatting_runs_is_refused(tmp_path: Path) -> None:
    split = edited_template(
        tmp_path,
        lambda xml: xml.replace(
            "<w:r><w:t>{{ row.name }}</w:t></w:r>",
            "<w:r><w:t>{{ row.na</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>me }}</w:t></w:r>",
        ),
    )
    problems = check_template(split)
    assert problems == [
        TemplateProblem(
            "table 1, row 3, cell 2",
            "'{{ row.name }}' is split across formatting runs (parts of it are formatted "
            "differently) - select it, clear its formatting and apply the formatting to the "
            "whole placeholder",
        )
    ]
    with pytest.raises(TemplateError) as info:
        ensure_template_ok(split)
    message = str(info.value)
    assert "\n" not in message
    assert "table 1, row 3, cell 2" in message
    assert message.endswith(f"run `petition-merge check-template {split}` for all")


def test_split_with_same_formatting_is_healed(tmp_path: Path, campaign: Campaign) -> None:
    split = edited_template(
        tmp_path,
        lambda xml: xml.replace(
            "<w:r><w:t>{{ row.name }}</w:t></w:r>",
            '<w:r><w:t>{</w:t></w:r><w:proofErr w:type="spellStart"/>'
            "<w:r><w:t>{ row.na</w:t></w:r><w:r><w:t>me }}</w:t></w:r>",
        ),
    )
    assert check_template(split) == []
    out = tmp_path / "lists.docx"
    render_petitions(split, campaign, pages_of((signer(1, "Heilt, Gut"), *[None] * 4)), BATCH, out)
    assert table_rows(out)[0][0][1] == "Heilt, Gut"


def test_placeholder_split_across_paragraphs_is_refused(tmp_path: Path) -> None:
    split = edited_template(
        tmp_path,
        lambda xml: xml.replace(
            "<w:t>{{ campaign.title }}</w:t></w:r></w:p>",
            "<w:t>{{ campaign.</w:t></w:r></w:p><w:p><w:r><w:t>title }}</w:t></w:r></w:p>",
        ),
    )
    problems = check_template(split)
    assert [p.where for p in problems] == ["paragraph 4", "paragraph 5"]
    assert "opening '{{' without its partner in the same paragraph" in problems[0].problem
    assert "closing '}}' without its partner" in problems[1].problem
    with pytest.raises(TemplateError, match="paragraph 4"):
        ensure_template_ok(split)


@pytest.mark.parametrize(
    ("old", "new", "where", "expected"),
    [
        (
            "{{ campaign.title }}",
            "{{ campaign.titel }}",
            "paragraph 4",
            "unknown placeholder 'campaign.titel' - known here: addressee, closing",
        ),
        ("{{ campaign.title }}", "{{ signer }}", "paragraph 4", "unknown placeholder 'signer'"),
        (
            "{{ row.address }}",
            "{{ row.street }}",
            "table 1, row 3, cell 3",
            "unknown placeholder 'row.street'",
        ),
        ("{{ campaign.title }}", "{{ campaign.title | }}", "paragraph 4", "Jinja syntax error"),
        ("{{ campaign.title }}", "{% include 'x' %}", "paragraph 4", "is not supported"),
        ("{{ campaign.title }}", "{%p if total %}", "paragraph 4", "is never closed"),
        ("{{ campaign.title }}", "{%tr if total %}", "paragraph 4", "must be inside a table row"),
        (
            "{{ campaign.title }}",
            "Titel: {%p if 1 %}",
            "paragraph 4",
            "must be alone in its paragraph",
        ),
        (
            "{%p endfor %}</w:t>",
            "{%p endif %}</w:t>",
            "paragraph 8",
            "has no matching '{% if ... %}'",
        ),
        ("{{ row.name }}", "{{r row.name }}", "table 1, row 3, cell 2", "is not supported"),
    ],
)
def test_template_problems_are_located(
    tmp_path: Path, old: str, new: str, where: str, expected: str
) -> None:
    problems = check_template(edited_template(tmp_path, lambda xml: xml.replace(old, new, 1)))
    assert any(p.where == where and expected in p.problem for p in problems), problems


def test_footer_placeholders_are_checked(tmp_path: Path) -> None:
    broken = edited_template(
        tmp_path,
        lambda xml: xml.replace("campaign.sender.lines", "campaign.sender.adress"),
        part="word/footer1.xml",
    )
    problems = check_template(broken)
    assert [p.where for p in problems] == ["footer 1, table 1, row 1, cell 1"]
    assert "unknown placeholder 'campaign.sender.adress'" in problems[0].problem


def test_template_without_the_table_reports_what_is_missing(tmp_path: Path) -> None:
    plain = tmp_path / "plain.docx"
    doc = Document()
    doc.add_paragraph("{{ campaign.title }}")
    doc.save(str(plain))
    problems = [p.problem for p in check_template(plain)]
    assert len(problems) == 4
    assert problems[0].startswith("the loop over the lists '{%p for list in lists %}' is missing")
    assert problems[1].startswith("the table row loop '{%tr for row in list.rows %}' is missing")
    assert "{{ row.name }}" in problems[2] and "{{ row.address }}" in problems[3]


def test_loop_variables_are_scoped(tmp_path: Path) -> None:
    outside = edited_template(
        tmp_path,
        lambda xml: xml.replace("{{ campaign.closing }}", "{{ paragraph }}"),
    )
    problems = check_template(outside)
    assert [p.problem.split(" - ")[0] for p in problems] == ["unknown placeholder 'paragraph'"]


# --- PDF ------------------------------------------------------------------------------------


def test_pdf_without_libreoffice_says_how_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("merge.render.pdf.find_soffice", lambda: None)
    with pytest.raises(OutputError) as info:
        convert_to_pdf(TEMPLATE, tmp_path / "x.pdf")
    assert "libreoffice-writer-nogui" in str(info.value)
    assert "--no-pdf" in str(info.value)


def test_failing_libreoffice_is_one_output_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    false = shutil.which("false")
    assert false is not None
    monkeypatch.setattr("merge.render.pdf.find_soffice", lambda: false)
    with pytest.raises(OutputError) as info:
        convert_to_pdf(TEMPLATE, tmp_path / "x.pdf")
    message = str(info.value)
    assert message.startswith(f"LibreOffice could not convert {TEMPLATE}: exit 1")
    assert message.endswith("try again with --no-pdf to keep the .docx only")
    assert not (tmp_path / "x.pdf").exists()


LAST = "Wolfenbüttel-Schwarzenbergerhausen-Müllerdorfmanns"  # 50 characters
FIRST = "Maximiliane-Josefine Anneliese"  # 30 characters
MAX_ADDRESS = (
    "Großherzog-Friedrich-Wilhelm-Straße 127, Hinterhof",
    "Wohnung 14, 3. Obergeschoss links, bei Familie Ötz",
    "D-79098 Freiburg im Breisgau, Baden-Württemberg DE",
)


def name_at_limit(seed: int) -> str:
    """Grow a name word by word until one more word would be rejected."""
    words = itertools.cycle(["Schwarzenberger", "Müller-Lüdenscheidt", "Wohlgemuth", "Ämilie"])
    name, word = f"Grenzfall{seed},", next(words)
    while fit.row_problem(f"{name} {word}", ("x",)) is None:
        name, word = f"{name} {word}", next(words)
    return name


def address_at_limit(seed: int) -> tuple[str, ...]:
    """Return as many full-width address lines as the cell holds."""
    line = f"Lindenallee {seed}, Gartenhaus, Aufgang B, Erdgeschoss rechts"
    lines: tuple[str, ...] = ()
    while fit.row_problem("A, B", (*lines, line)) is None:
        lines = (*lines, line)
    return lines


def squeeze(text: str) -> str:
    """Drop whitespace and hyphens: pdftotext joins words hyphenated at a line end."""
    return "".join(text.split()).replace("-", "")


def pdf_words(pdf: Path, page: int) -> list[tuple[float, float, float, str]]:
    """Return (x, y-top, y-bottom, word) for every word on one page, from pdftotext -bbox."""
    html = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    pattern = r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<'
    return [
        (float(x), float(y0), float(y1), unescape(w)) for x, y0, y1, w in re.findall(pattern, html)
    ]


def column_lines(
    words: list[tuple[float, float, float, str]], column: int, top: float, bottom: float
) -> list[str]:
    """Return the printed lines of one table column between two heights, top to bottom."""
    left = (geometry.MARGIN_LEFT_MM + sum(geometry.COLUMN_WIDTHS_MM[:column])) / geometry.MM_PER_PT
    right = left + geometry.COLUMN_WIDTHS_MM[column] / geometry.MM_PER_PT
    lines: dict[int, list[tuple[float, str]]] = {}
    for x, y0, _, word in words:
        if left <= x < right and top < y0 < bottom:
            lines.setdefault(round(y0), []).append((x, word))
    return [" ".join(w for _, w in sorted(lines[y])) for y in sorted(lines)]


@pytest.mark.soffice
def test_pdf_prints_every_list_on_one_page_in_full(tmp_path: Path, campaign: Campaign) -> None:
    maximal = tuple(signer(n, f"{LAST}, {FIRST}", MAX_ADDRESS) for n in range(5))
    limit = tuple(signer(10 + n, name_at_limit(n), address_at_limit(n)) for n in range(5))
    tricky = tuple(signer(20 + n, name) for n, name in enumerate(TRICKY_NAMES[:4]))
    pages = pages_of(maximal, limit, (*tricky, None), (None,) * 5)
    for person in limit:
        assert len(fit.cell_lines((person.name,), geometry.NAME_COLUMN)) == geometry.MAX_LINES
        assert len(fit.cell_lines(person.address, geometry.ADDRESS_COLUMN)) == geometry.MAX_LINES
    docx, pdf = tmp_path / "lists.docx", tmp_path / "lists.pdf"
    render_petitions(TEMPLATE, campaign, pages, BATCH, docx)
    convert_to_pdf(docx, pdf)

    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    assert re.search(r"^Pages:\s+4$", info.stdout, re.MULTILINE)
    for page, people in ((1, maximal), (2, limit), (3, tricky)):
        words = pdf_words(pdf, page)
        top = next(y1 for _, _, y1, w in words if w == "Anschrift")
        bottom = [y0 for _, y0, _, w in words if w == "Die"][-1]  # the privacy note
        names = column_lines(words, geometry.NAME_COLUMN, top, bottom)
        addresses = column_lines(words, geometry.ADDRESS_COLUMN, top, bottom)
        for person in people:
            if person is not tricky[3]:  # pdftotext gives Arabic in visual order
                assert squeeze(person.name) in squeeze(" ".join(names))
            assert squeeze(" ".join(person.address)) in squeeze(" ".join(addresses))
        # LibreOffice never needs more lines than the estimate.
        assert len(names) <= sum(len(fit.cell_lines((p.name,), 1)) for p in people)
        assert len(addresses) <= sum(len(fit.cell_lines(p.address, 2)) for p in people)
        # The body ends well above the footer.
        deadline_bottom = max(y1 for _, y0, y1, w in words if w == "Bitte")
        footer_top = min(y0 for _, y0, _, w in words if w == "AMNESTY")
        assert footer_top - deadline_bottom > 50  # points
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True)
    assert text.stdout.count("Bitte senden Sie diese Petitionsliste") == 4  # once on every page

    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True)
    assert "LiberationSans" in fonts.stdout
    assert "CJK" in fonts.stdout
    assert "DejaVuSans" in fonts.stdout  # Arabic glyphs come from DejaVu Sans


def test_python_errors_in_template_expressions_are_template_errors(
    tmp_path: Path, campaign: Campaign
) -> None:
    bad = edited_template(
        tmp_path, lambda xml: xml.replace("{{ row.number }}", "{{ row.number + 'x' }}")
    )
    with pytest.raises(TemplateError, match="cannot render the template"):
        render_petitions(bad, campaign, pages_of((None,) * 5), BATCH, tmp_path / "x.docx")
    assert [p.where for p in check_template(bad)] == ["template"]
