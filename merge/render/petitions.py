"""Pages -> the petition-lists .docx: the Word template filled list by list, streamed.

docxtpl reads the template and heals placeholders Word split; :mod:`merge.render.docx_stream`
then writes the body list by list into the zip, so a batch of any size renders in the same
memory. Each list starts a new page (:mod:`merge.render.list_pages`). The template is checked
first (:mod:`merge.render.template_check`).
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from pathlib import Path

import jinja2
from docxtpl import DocxTemplate
from lxml import etree

from merge.atomic import write_atomically
from merge.campaign import Campaign
from merge.errors import TemplateError
from merge.i18n import _
from merge.lists.paginate import Page
from merge.render import docx_stream
from merge.render.context import build_context, environment
from merge.render.list_pages import mark_list_starts
from merge.render.sandbox import TemplateLimitError, TemplateRefused

# What a broken or crafted template can make docxtpl raise: Jinja's errors, Python errors from
# expressions such as {{ row.name + 1 }}, lxml's for XML the template turned invalid, and
# RecursionError for expressions nested thousands deep.
RENDER_ERRORS = (
    jinja2.TemplateError,
    RecursionError,
    ArithmeticError,  # {{ 1 // 0 }}, {{ 10.0 ** 400 }}
    MemoryError,
    etree.LxmlError,
    ValueError,
    TypeError,
    AttributeError,
    IndexError,
    KeyError,
)


def render_petitions(
    template: Path,
    campaign: Campaign,
    pages: Iterable[Page],
    batch: str,
    out_path: Path,
    total: int | None = None,
) -> None:
    """Render the pages of a batch into one .docx, streamed list by list, written atomically.

    ``total`` is the number of lists in the whole batch when ``pages`` is only a part of it
    (the PDF is made in parts).
    """
    doc = open_template(template)
    mark_list_starts(doc.docx.element.body)
    context = build_context(campaign, pages, batch, total)
    shared = {key: value for key, value in context.items() if key != "lists"}
    env = environment(context["total"])
    try:
        write_atomically(
            out_path, lambda tmp: docx_stream.write_docx(doc, env, context, shared, tmp)
        )
    except TemplateLimitError as err:
        raise TemplateError(f"{template}: {err}") from err
    except TemplateRefused as err:  # the sandbox's refusal: a message of ours
        raise TemplateError(
            _(
                "{file}: cannot render the template ({reason}) - run `petition-merge "
                "check-template {file}`"
            ).format(file=template, reason=err)
        ) from err
    except RENDER_ERRORS as err:  # Jinja's and Python's own words stay out of the message
        raise TemplateError(
            _(
                "{file}: cannot render the template - run `petition-merge check-template {file}`"
            ).format(file=template)
        ) from err


def open_template(template: Path) -> DocxTemplate:
    """Open a Word template with docxtpl; a missing or damaged file is a TemplateError."""
    if not template.is_file():
        raise TemplateError(
            _("{file}: Word template not found - check the path").format(file=template)
        )
    try:
        doc = DocxTemplate(str(template))
        doc.init_docx()
    except (zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError) as err:
        raise TemplateError(
            _("{file}: not a Word .docx file, or a damaged one - save it as .docx").format(
                file=template
            )
        ) from err
    except Exception as err:  # python-docx raises its own PackageNotFoundError and friends
        raise TemplateError(
            _("{file}: cannot open the Word template - save it as .docx").format(file=template)
        ) from err
    return doc
