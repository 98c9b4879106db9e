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
- a sample list that does not render, or goes past the bounds of the sandbox
  (:mod:`merge.render.sandbox`);
- rows whose cells cannot hold the longest name and address every list must take, and a list
  that does not fit its page with the campaign's letter, measured on the rendered sample
  (:mod:`merge.render.template_layout`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from docx.opc.constants import RELATIONSHIP_TYPE as REL_TYPE

from merge.campaign import Campaign, Headings, Sender, letter_source, shipped_campaign
from merge.errors import CampaignError, TemplateError
from merge.i18n import _, ngettext, on_page
from merge.lists.geometry import ListGeometry
from merge.lists.paginate import ROWS_PER_LIST, Page
from merge.lists.signer import Signer
from merge.render.context import build_context
from merge.render.docx_parts import read_parts
from merge.render.docx_styles import Styles
from merge.render.list_pages import page_problems
from merge.render.petitions import RENDER_ERRORS, open_template
from merge.render.sandbox import HOW, TemplateLimitError, TemplateRefused
from merge.render.template_layout import read_layout
from merge.render.template_tags import (
    LETTER,
    PAGE,
    TEMPLATE,
    TagChecker,
    TemplateProblem,
    part_prefix,
    schema,
)

__all__ = [
    "LETTER",
    "TemplateProblem",
    "TemplateReport",
    "check_template",
    "ensure_template_ok",
    "inspect_template",
]
LETTER_LINE_PT = 10 * 1.149  # a line of the letter, to say how many lines too long it is


def ensure_template_ok(path: Path, campaign: Campaign | None = None) -> ListGeometry:
    """Return where the template prints a signer's name and address (the limits every row is
    checked against), or raise naming the first problem(s) if it would not render right.

    A letter too long for the page is the campaign's fault (CampaignError) when the shipped
    campaign's letter fits the same template; else the template's (TemplateError).
    """
    report = inspect_template(path, campaign)
    problems = report.problems
    if problems:
        shown = "; ".join(str(p) for p in problems[:2])
        if all(p.kind == LETTER for p in problems):
            raise CampaignError(f"{campaign.source if campaign else path}: {problems[0].problem}")
        if on_page() and len(problems) > 2:  # the page has no check-template to run
            raise TemplateError(
                ngettext(
                    "{file}: {problems} (and {n} more) - correct the template in Word or "
                    "LibreOffice, or choose another campaign on the first page",
                    "{file}: {problems} (and {n} more) - correct the template in Word or "
                    "LibreOffice, or choose another campaign on the first page",
                    len(problems) - 2,
                ).format(file=path, problems=shown, n=len(problems) - 2)
            )
        if on_page():
            raise TemplateError(
                _(
                    "{file}: {problems} - correct the template in Word or LibreOffice, or "
                    "choose another campaign on the first page"
                ).format(file=path, problems=shown)
            )
        if len(problems) > 2:
            raise TemplateError(
                ngettext(
                    "{file}: {problems} (and {n} more) - run `petition-merge check-template "
                    "{file}` for all",
                    "{file}: {problems} (and {n} more) - run `petition-merge check-template "
                    "{file}` for all",
                    len(problems) - 2,
                ).format(file=path, problems=shown, n=len(problems) - 2)
            )
        raise TemplateError(
            _("{file}: {problems} - run `petition-merge check-template {file}` for all").format(
                file=path, problems=shown
            )
        )
    assert report.geometry is not None
    return report.geometry


def check_template(path: Path, campaign: Campaign | None = None) -> list[TemplateProblem]:
    """Return every problem found in a Word template, in document order (empty if it is fine).

    The page is measured with ``campaign``'s letter (default: the shipped campaign's).
    """
    return inspect_template(path, campaign).problems


@dataclass(frozen=True)
class TemplateReport:
    """What the check found: the problems, and the limits of a template that has none."""

    problems: list[TemplateProblem]
    geometry: ListGeometry | None = None


def inspect_template(path: Path, campaign: Campaign | None = None) -> TemplateReport:
    """Check a template in order - placeholders, pages, a rendered sample - and measure it."""
    doc = open_template(path)
    checker = TagChecker(schema(build_context(*_sample())))
    parts = [("", doc.docx.element.body)]
    for kind, reltype in (("header", REL_TYPE.HEADER), ("footer", REL_TYPE.FOOTER)):
        related = sorted(
            (rel.target_part for rel in doc.docx.part.rels.values() if rel.reltype == reltype),
            key=lambda part: str(part.partname),
        )
        parts += [(part_prefix(kind, n), part.element) for n, part in enumerate(related, 1)]
    try:
        for prefix, root in parts:
            checker.check_part(prefix, root)
    except RecursionError:  # an expression nested thousands deep
        return TemplateReport(
            [
                TemplateProblem(
                    TEMPLATE, _("an expression is nested too deep - {how}").format(how=_(HOW))
                )
            ]
        )
    checker.check_required()
    if checker.problems:
        return TemplateReport(checker.problems)
    problems = page_problems(doc.docx.element.body, Styles(read_parts(path)))
    if problems:
        return TemplateReport(problems)
    letter = campaign or shipped_campaign()
    try:
        layout = read_layout(path, letter)
    except TemplateLimitError as err:
        return TemplateReport([TemplateProblem(TEMPLATE, str(err))])
    except TemplateRefused as err:  # the sandbox's refusal: a message of ours
        return TemplateReport(
            [TemplateProblem(TEMPLATE, _("rendering a sample fails: {reason}").format(reason=err))]
        )
    except RENDER_ERRORS:  # Jinja's and Python's own words stay out of the message
        return TemplateReport(
            [
                TemplateProblem(
                    TEMPLATE,
                    _(
                        "rendering a sample fails: a placeholder does what a template cannot "
                        "(such as adding a number and a text) - keep to plain placeholders like "
                        "{example}"
                    ).format(example="{{ campaign.title }}"),
                )
            ]
        )
    problems = layout.problems
    own_letter = campaign is not None and campaign.source.resolve() != letter_source().resolve()
    if layout.overflow_pt and own_letter:
        # The shipped letter is the reference a template must hold: if it fits, the
        # campaign's letter is what is too long.
        reference = read_layout(path, shipped_campaign())
        if not reference.overflow_pt:
            lines = int(layout.overflow_pt / LETTER_LINE_PT) + 1
            problems = [p for p in problems if p.kind != PAGE]
            problems.append(
                TemplateProblem(
                    LETTER,
                    ngettext(
                        "the letter is too long to print on one page with five signers in "
                        "{file} (about {n} line too many) - shorten the paragraphs, the "
                        "addressee or the notes",
                        "the letter is too long to print on one page with five signers in "
                        "{file} (about {n} lines too many) - shorten the paragraphs, the "
                        "addressee or the notes",
                        lines,
                    ).format(file=path.name, n=lines),
                )
            )
    return TemplateReport(problems, layout.geometry if not problems else None)


def _sample() -> tuple[Campaign, list[Page], str]:
    """Return a made-up campaign and two lists, to derive the shape of the context."""
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
