"""The body streamed through Jinja into the .docx, escaped as markupsafe escapes."""

from __future__ import annotations

import zipfile
from pathlib import Path

import markupsafe
import pytest
from conftest import BATCH, TEMPLATE, TRICKY_NAMES, pages_of
from conftest import petition_signer as signer
from docx import Document
from hypothesis import given
from hypothesis import strategies as st

from merge.campaign import Campaign
from merge.render import context, docx_stream
from merge.render.petitions import render_petitions


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


def test_write_spliced_refuses_a_document_without_its_marker(tmp_path: Path) -> None:
    out = tmp_path / "x.docx"
    with pytest.raises(ValueError, match="no splice marker"):
        docx_stream.write_spliced(Document(), iter(["<w:p/>"]), out)
