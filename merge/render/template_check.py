"""The template check: lint a (possibly volunteer-edited) Word template before rendering.

docxtpl itself re-joins a placeholder that Word split into several runs of ONE paragraph, so:

- fatal: a ``{{``/``{%``/``{#`` whose closing braces are not in the same paragraph (Word moved
  part of it into another paragraph or cell; docxtpl cannot heal that), a stray closing brace,
  Jinja syntax errors, unsupported statements, unbalanced ``for``/``if`` blocks, placeholders the
  renderer does not provide, and missing required ones (the list loop, the table row loop,
  ``row.name``, ``row.address``);
- also refused: a placeholder split across runs with DIFFERENT formatting (say half of it bold).
  docxtpl would heal it, but the printed value would silently take the first run's formatting,
  so the volunteer should clear the formatting of the placeholder and decide. Splits across runs
  with the same formatting (spell-check, revision marks) are healed silently and not reported;
- what would print a list on more than one page, or lists not on pages of their own
  (:mod:`merge.render.list_pages`);
- a sample batch that does not render, or goes past the bounds of the sandbox
  (:mod:`merge.render.sandbox`).
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from docx.opc.constants import RELATIONSHIP_TYPE as REL_TYPE

from merge.campaign import Campaign, Headings, Sender
from merge.errors import TemplateError, one_line
from merge.lists.paginate import ROWS_PER_LIST, Page
from merge.lists.signer import Signer
from merge.render import docx_stream
from merge.render.context import build_context, environment
from merge.render.docx_parts import read_parts
from merge.render.docx_styles import Styles
from merge.render.list_pages import mark_list_starts, page_problems
from merge.render.petitions import RENDER_ERRORS, open_template
from merge.render.sandbox import TemplateLimitError
from merge.render.template_tags import TagChecker, TemplateProblem, schema


def ensure_template_ok(path: Path) -> None:
    """Raise TemplateError naming the first problem(s) if the template would not render right."""
    problems = check_template(path)
    if problems:
        shown = "; ".join(str(p) for p in problems[:2])
        more = f" (and {len(problems) - 2} more)" if len(problems) > 2 else ""
        raise TemplateError(
            f"{path}: {shown}{more} - run `petition-merge check-template {path}` for all"
        )


def check_template(path: Path) -> list[TemplateProblem]:
    """Return every problem found in a Word template, in document order (empty if it is fine)."""
    doc = open_template(path)
    checker = TagChecker(schema(build_context(*_sample())))
    parts = [("", doc.docx.element.body)]
    for kind, reltype in (("header", REL_TYPE.HEADER), ("footer", REL_TYPE.FOOTER)):
        related = sorted(
            (rel.target_part for rel in doc.docx.part.rels.values() if rel.reltype == reltype),
            key=lambda part: str(part.partname),
        )
        parts += [(f"{kind} {n}, ", part.element) for n, part in enumerate(related, 1)]
    for prefix, root in parts:
        checker.check_part(prefix, root)
    checker.check_required()
    if not checker.problems:
        styles = Styles(read_parts(path))
        checker.problems.extend(page_problems(doc.docx.element.body, styles))
    if not checker.problems:
        checker.problems.extend(_check_sample_render(path))
    return checker.problems


def _sample() -> tuple[Campaign, list[Page], str]:
    """Return a made-up campaign and two lists, to derive the context's shape and test-render."""
    signer = Signer("sample:1", "Mustermann, Erika", ("Hauptstr. 1", "12345 Musterstadt"), "x")
    campaign = Campaign(
        name="sample",
        source=Path("sample.toml"),
        template=Path("sample.docx"),
        addressee=("Addressee",),
        title="Title",
        salutation="Dear",
        paragraphs=("Paragraph",),
        closing="Closing",
        headings=Headings("Name", "Address", "Signature"),
        privacy_note="Note",
        deadline=date(2000, 1, 1),
        deadline_text="{deadline}",
        sender=Sender("Org", "e. V.", ("Line",), ("Account",)),
    )
    pages = [
        Page(1, (signer,) + (None,) * (ROWS_PER_LIST - 1)),
        Page(2, (None,) * ROWS_PER_LIST),
    ]
    return campaign, pages, "sample"


def _check_sample_render(path: Path) -> list[TemplateProblem]:
    """Render a made-up batch the way run renders, into memory, to catch runtime errors."""
    doc = open_template(path)
    mark_list_starts(doc.docx.element.body)
    context = build_context(*_sample())
    shared = {key: value for key, value in context.items() if key != "lists"}
    try:
        docx_stream.write_docx(doc, environment(2, sample=True), context, shared, io.BytesIO())
    except TemplateLimitError as err:
        return [TemplateProblem("template", str(err))]
    except RENDER_ERRORS as err:
        return [TemplateProblem("template", f"rendering a sample fails: {one_line(err)}")]
    return []
