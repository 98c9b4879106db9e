"""How one list is separated from the next: the renderer starts each list on a new page.

The template repeats the page with ``{%p for list in lists %}``, a paragraph of its own that
docxtpl deletes when it renders. The bundled template had "page break before" on the first
paragraph of the list; LibreOffice 7.4, opening and saving it as .docx, moves such a break
(and a page break typed at the start of that paragraph) to the end of the paragraph before,
which is the loop paragraph: deleted, the lists ran on into each other. A break in the
paragraph style, or a section break, survives that save; a break the renderer adds itself
does not depend on any save at all. So :func:`mark_list_starts` gives the first paragraph of
every list "page break before" when the lists are rendered (Word ignores it on the first
paragraph of a document), whatever the template holds, and :func:`page_problems` refuses
what would still put a list on more than one page: text before the loop (it would take a
page of its own), a list that starts with a table (a table cannot carry the break), and
breaks inside the list - page and column breaks, "page break before" from any style, section
breaks - and a page of more than one text column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from lxml import etree

from merge.i18n import N_, _
from merge.render.docx_parts import W
from merge.render.docx_styles import Styles
from merge.render.page_layout import blocks as body_blocks
from merge.render.template_tags import (
    PAGE_SETUP,
    TEMPLATE,
    TemplateProblem,
    paragraphs,
    table_place,
)

LIST_START = "_PetitionMergeList"  # the bookmark that marks each list's start for measuring
_LOOP = re.compile(r"\{%p\s+for\s+\w+\s+in\s+lists\s*%\}")
_PARAGRAPH_TAG = re.compile(r"^\s*\{%p\s")
_FOR = re.compile(r"^\s*\{%p\s+for\s")
_ENDFOR = re.compile(r"^\s*\{%p\s+endfor\s*%\}\s*$")
_LOOP_TAG = "'{%p for list in lists %}'"
_SHIPPED = "templates/petition-list.docx"
_BREAK = N_(
    "a page break inside the list would print it on more than one page - remove it (each list "
    "starts a new page by itself)"
)
_BREAK_BEFORE = N_(
    "'page break before' (from the paragraph or its style) inside the list would print it on "
    "more than one page - remove it (each list starts a new page by itself)"
)
_SECTION_BREAK = N_(
    "a section break inside the list would print it on more than one page - remove it (each "
    "list starts a new page by itself)"
)


@dataclass(frozen=True)
class ListLoop:
    """Where the list loop sits among the body's blocks (paragraphs and tables)."""

    blocks: list[Any]  # the body's w:p and w:tbl, in order (also those in content controls)
    start: int  # index of the loop paragraph
    end: int | None  # index of its '{%p endfor %}' paragraph, if at body level


def find_list_loop(body: Any) -> ListLoop | None:
    """Find the ``{%p for list in lists %}`` paragraph among the body's own blocks (a
    content control's, w:sdt, count as the body's: Word and LibreOffice print them so)."""
    blocks = list(body_blocks(body))
    for index, block in enumerate(blocks):
        if block.tag == f"{W}p" and _LOOP.fullmatch(paragraph_text(block).strip()):
            return ListLoop(blocks, index, _matching_endfor(blocks, index))
    return None


def mark_list_starts(body: Any, bookmark: bool = False) -> None:
    """Give the first paragraph of each list "page break before" (and, with ``bookmark``,
    a bookmark that tells measuring where each rendered list starts).

    Changes the template's tree in memory only. Does nothing to a template without a list
    loop at body level; :func:`page_problems` reports that.
    """
    loop = find_list_loop(body)
    if loop is None or loop.start + 1 >= len(loop.blocks):
        return
    first = loop.blocks[loop.start + 1]
    if first.tag != f"{W}p":
        return
    p_pr = first.find(f"{W}pPr")
    if p_pr is None:
        p_pr = etree.SubElement(first, f"{W}pPr")
        first.insert(0, p_pr)
    for old in p_pr.findall(f"{W}pageBreakBefore"):
        p_pr.remove(old)
    # Schema order: pStyle, keepNext, keepLines, then pageBreakBefore.
    after = [p_pr.find(f"{W}{tag}") for tag in ("pStyle", "keepNext", "keepLines")]
    position = max((list(p_pr).index(el) + 1 for el in after if el is not None), default=0)
    p_pr.insert(position, etree.Element(f"{W}pageBreakBefore"))
    if bookmark:
        mark = etree.Element(f"{W}bookmarkStart", {f"{W}id": "999999", f"{W}name": LIST_START})
        first.insert(list(first).index(p_pr) + 1, mark)


def page_problems(body: Any, styles: Styles) -> list[TemplateProblem]:
    """Return what would put a list on more than one page, or its lists not on pages of their
    own, each where it is in the template (empty if every list starts a page of its own)."""
    where = {p: place for place, p, _in_table in paragraphs(body, "")}  # holds the elements alive
    loop = find_list_loop(body)
    if loop is None:
        nested = next((p for p in body.iter(f"{W}p") if _LOOP.search(paragraph_text(p))), None)
        if nested is not None:
            return [
                TemplateProblem(
                    where[nested],
                    _(
                        "{tag} must be a paragraph of the document itself, not inside a table "
                        "or a text box - move it out"
                    ).format(tag=_LOOP_TAG),
                )
            ]
        return [
            TemplateProblem(
                TEMPLATE,
                _(
                    "the list loop must be the paragraph {tag} on its own, so that each list "
                    "starts a new page - see {file}"
                ).format(tag=_LOOP_TAG, file=_SHIPPED),
            )
        ]
    tables = {table: n for n, table in enumerate(body.iter(f"{W}tbl"), 1)}
    problems = []
    for block in loop.blocks[: loop.start]:
        problems.append(
            TemplateProblem(
                _where(block, where, tables),
                _(
                    "comes before {tag}, so it would print on a page of its own - move it into "
                    "the loop or delete it"
                ).format(tag=_LOOP_TAG),
            )
        )
    if loop.end is None:
        problems.append(
            TemplateProblem(
                where[loop.blocks[loop.start]],
                _(
                    "{tag} has no {end} paragraph of its own in the document itself (outside "
                    "tables) - add one after the list"
                ).format(tag=_LOOP_TAG, end="'{%p endfor %}'"),
            )
        )
    elif loop.blocks[loop.end].getparent() is not loop.blocks[loop.start].getparent():
        problems.append(
            TemplateProblem(
                where[loop.blocks[loop.start]],
                _(
                    "{tag} and its {end} must both be inside the same content control, or both "
                    "outside any - move one of them"
                ).format(tag=_LOOP_TAG, end="'{%p endfor %}'"),
            )
        )
    following = loop.blocks[loop.start + 1 : loop.start + 2]
    if not following or following[0].tag != f"{W}p" or _is_tag(following[0]):
        shown = _where(following[0], where, tables) if following else where[loop.blocks[loop.start]]
        problems.append(
            TemplateProblem(
                shown,
                _(
                    "each list must begin with a paragraph of text after {tag} (it starts the "
                    "new page); put one before this table or tag"
                ).format(tag=_LOOP_TAG),
            )
        )
        first = None
    else:
        first = following[0]
    for block in loop.blocks[loop.start + 1 :]:
        problems += _breaks_in(block, first, styles, where)
    problems += _columns_problem(body)
    return problems


def paragraph_text(p: Any) -> str:
    """Return the text of a paragraph's own runs (not of nested text boxes)."""
    return "".join(
        t.text or "" for t in p.iter(f"{W}t") if next(t.iterancestors(f"{W}p"), None) is p
    )


def _breaks_in(
    block: Any, first: Any | None, styles: Styles, where: dict[Any, str]
) -> list[TemplateProblem]:
    """Return the page, column and section breaks in one block of a list."""
    problems = []
    candidates = [block] if block.tag == f"{W}p" else list(block.iter(f"{W}p"))
    for p in candidates:
        if _is_tag(p) or p not in where:
            continue  # docxtpl deletes a {%p ...%} paragraph, and its breaks with it
        found = None
        if any(br.get(f"{W}type") in ("page", "column") for br in p.iter(f"{W}br")):
            found = _BREAK
        elif p is not first and styles.paragraph(p).page_break_before:
            found = _BREAK_BEFORE
        elif p.find(f"{W}pPr/{W}sectPr") is not None:
            found = _SECTION_BREAK
        if found:
            problems.append(TemplateProblem(where[p], _(found)))
    return problems


def _columns_problem(body: Any) -> list[TemplateProblem]:
    cols = body.find(f"{W}sectPr/{W}cols")
    number = cols.get(f"{W}num") if cols is not None else None
    if number is not None and number.isdigit() and int(number) > 1:
        return [
            TemplateProblem(
                PAGE_SETUP,
                _(
                    "the page has {n} text columns; a petition list needs one - set one column "
                    "in the Word template"
                ).format(n=number),
            )
        ]
    return []


def _matching_endfor(blocks: list[Any], start: int) -> int | None:
    depth = 0
    for index in range(start + 1, len(blocks)):
        block = blocks[index]
        if block.tag != f"{W}p":
            continue
        text = paragraph_text(block)
        if _FOR.match(text):
            depth += 1
        elif _ENDFOR.match(text):
            if depth == 0:
                return index
            depth -= 1
    return None


def _is_tag(p: Any) -> bool:
    return bool(_PARAGRAPH_TAG.match(paragraph_text(p)))


def _where(block: Any, where: dict[Any, str], tables: dict[Any, int]) -> str:
    if block.tag == f"{W}p":
        return where.get(block, TEMPLATE)
    return table_place("", tables[block]) if block in tables else TEMPLATE
