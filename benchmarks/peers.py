"""The peers the lists document is compared with, and the floor below them all.

- ``docxtpl``    ``build_context`` + one docxtpl render of our template over all lists with a
                 plain ``jinja2.Environment(autoescape=True)`` + save: what merge did before
                 it streamed the document
- ``mailmerge``  docx-mailmerge2 ``merge_templates(rows, separator="page_break")`` + ``write``,
                 one row per list, on a MERGEFIELD template made from ours (same styles, letter,
                 table and footer; ``w:fldSimple`` fields list_number, total, batch,
                 name1..name5, address1..address5)
- ``floor``      the same per-list XML made by plain string joins (values escaped) and streamed
                 into the .docx zip beside the template's other parts: no template engine, no
                 XML tree; about the least any renderer of this document can do

All three start from our template cut at its lists loop (:func:`cut_template`), so a change to
the template that they cannot follow fails loudly instead of measuring another document.
"""

from __future__ import annotations

import html
import itertools
import re
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from merge.campaign import Campaign
from merge.lists.paginate import ROWS_PER_LIST, Page
from merge.render import context

from workload import BATCH, Call, Given, Outcome

# --- our template as per-list XML, for the floor and the MERGEFIELD template ---------------

_WNS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W_TBL, _W_TR, _W_T, _W_SECTPR = (f"{{{_WNS}}}{tag}" for tag in ("tbl", "tr", "t", "sectPr"))
_PLACEHOLDER = re.compile(r"\{\{\s*([\w.]+)\s*\}\}")
_PARAGRAPH_LOOP = re.compile(r"\{%p for (\w+) in ([\w.]+) %\}")
_ROW_LOOP = re.compile(r"\{%tr for (\w+) in list\.rows %\}")
_XMLNS = re.compile(r'\sxmlns(?::\w+)?="[^"]*"')
_LINE_BREAK = '</w:t><w:br/><w:t xml:space="preserve">'  # what docxtpl makes of a "\n"
_RUN = re.compile(r"<w:r>(<w:rPr>.*?</w:rPr>)?<w:t(?: [^>]*)?>([^<]*)</w:t></w:r>")
_HEADER_FOOTER = re.compile(r"word/(header|footer)\d*\.xml")


@dataclass(frozen=True)
class TemplateXml:
    """Our template cut at the lists loop: before it, one list (inner loops unrolled), after.

    Placeholders stay ``{{ key }}``: the same on every list (campaign text, ``total``,
    ``batch``, ``rows.N.number``) or the list's own (``list.number``, ``rows.N.name``,
    ``rows.N.address``; N = 1..5).
    """

    head: str
    per_list: str
    tail: str
    parts: dict[str, bytes]  # the package's other parts, headers and footers unrendered


def cut_template(template: Path, paragraphs: int) -> TemplateXml:
    """Unroll the template's inner loops into the XML of one list; fail if it changed shape."""
    with zipfile.ZipFile(template) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    text = parts.pop("word/document.xml").decode("utf-8")
    head = text[: text.index("<w:body>") + len("<w:body>")]
    tail = text[text.rindex("<w:sectPr") :]
    body = etree.fromstring(text.encode("utf-8")).find(f"{{{_WNS}}}body")
    children = [child for child in body if child.tag != _W_SECTPR]
    if [_text(children[0]), _text(children[-1])] != ["{%p for list in lists %}", "{%p endfor %}"]:
        raise RuntimeError(f"{template}: the lists loop no longer wraps the whole body")
    pieces = []
    inner = iter(children[1:-1])
    for element in inner:
        loop = _PARAGRAPH_LOOP.fullmatch(_text(element))
        if loop:
            name, iterable = loop.groups()
            block = "".join(_xml(e) for e in itertools.takewhile(_not_endfor, inner))
            pieces += [
                block.replace("{{ " + name + " }}", "{{ " + f"{iterable}.{n}" + " }}")
                for n in range(paragraphs)
            ]
        elif element.tag == _W_TBL:
            pieces.append(_unroll_rows(element))
        else:
            pieces.append(_xml(element))
    return TemplateXml(head, "".join(pieces), tail, parts)


def _not_endfor(element: Any) -> bool:
    return _text(element) != "{%p endfor %}"


def _unroll_rows(table: Any) -> str:
    """Return the table with its ``{%tr for row in list.rows %}`` loop written out five times."""
    rows = list(table.iterchildren(_W_TR))
    texts = [_text(row) for row in rows]
    loops = [(n, match) for n, text in enumerate(texts) if (match := _ROW_LOOP.fullmatch(text))]
    if len(loops) != 1 or texts.count("{%tr endfor %}") != 1:
        raise RuntimeError("the table of signers no longer has one '{%tr for row ...' loop")
    (start, match), end = loops[0], texts.index("{%tr endfor %}")
    body = "".join(_xml(row) for row in rows[start + 1 : end])
    unrolled = "".join(
        body.replace("{{ " + match.group(1) + ".", "{{ " + f"rows.{n}.")
        for n in range(1, ROWS_PER_LIST + 1)
    )
    xml, loop = _xml(table), "".join(_xml(row) for row in rows[start : end + 1])
    if loop not in xml:
        raise RuntimeError("cannot find the row loop in the serialised table")
    return xml.replace(loop, unrolled)


def _text(element: Any) -> str:
    return "".join(t.text or "" for t in element.iter(_W_T)).strip()


def _xml(element: Any) -> str:
    """Serialise an element without the namespace declarations lxml repeats on it."""
    xml: str = etree.tostring(element, encoding="unicode")
    end = xml.index(">")
    return _XMLNS.sub("", xml[:end]) + xml[end:]


def constant_values(campaign: Campaign, total: int, batch: str) -> dict[str, str]:
    """Return the text of every placeholder that is the same on each list (not yet XML)."""
    sender = campaign.sender
    return {
        "campaign.addressee": "\n".join(campaign.addressee),
        "campaign.title": campaign.title,
        "campaign.salutation": campaign.salutation,
        "campaign.closing": campaign.closing,
        "campaign.headings.name": campaign.headings.name,
        "campaign.headings.address": campaign.headings.address,
        "campaign.headings.signature": campaign.headings.signature,
        "campaign.privacy_note": campaign.privacy_note,
        "campaign.deadline_note": campaign.deadline_note,
        "campaign.sender.organisation": sender.organisation,
        "campaign.sender.organisation_suffix": sender.organisation_suffix,
        "campaign.sender.lines": "\n".join(sender.lines),
        "campaign.sender.account": "\n".join(sender.account),
        "total": str(total),
        "batch": batch,
        **{f"campaign.paragraphs.{n}": text for n, text in enumerate(campaign.paragraphs)},
        **{f"rows.{n}.number": str(n) for n in range(1, ROWS_PER_LIST + 1)},
    }


def xml_text(text: str) -> str:
    """Escape text for a ``w:t``; line breaks become ``w:br`` as docxtpl makes them."""
    return html.escape(text, quote=False).replace("\n", _LINE_BREAK)


def fill(xml: str, values: Mapping[str, str]) -> str:
    """Replace the placeholders ``values`` has (given as XML); leave the others."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), xml)


def fill_headers_footers(parts: Mapping[str, bytes], values: Mapping[str, str]) -> dict[str, bytes]:
    return {
        name: fill(data.decode("utf-8"), values).encode("utf-8")
        if _HEADER_FOOTER.fullmatch(name)
        else data
        for name, data in parts.items()
    }


def write_docx(out: Path, parts: Mapping[str, bytes], document: Callable[[Any], None]) -> None:
    """Write a .docx: ``document`` streams word/document.xml, the other parts are copied."""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("word/document.xml", "w") as stream:
            document(stream)
        for name, data in parts.items():
            archive.writestr(name, data)


# --- the floor ------------------------------------------------------------------------------


def render_floor(template: Path, campaign: Campaign, pages: Sequence[Page], out: Path) -> None:
    """Write the lists document with string joins: the least work that makes the same XML."""
    cut = cut_template(template, len(campaign.paragraphs))
    constants = {
        key: xml_text(text) for key, text in constant_values(campaign, len(pages), BATCH).items()
    }
    pieces = _PLACEHOLDER.split(fill(cut.per_list, constants))
    keys = pieces[1::2]  # what is left: the list's own values
    one_list = "".join(
        static.replace("{", "{{").replace("}", "}}") + (f"{{{n}}}" if n < len(keys) else "")
        for n, static in enumerate(pieces[0::2])
    ).format

    def values(page: Page) -> Iterator[str]:
        own = {"list.number": str(page.number)}
        for n, signer in enumerate(page.slots, start=1):
            own[f"rows.{n}.name"] = xml_text(signer.name) if signer else ""
            own[f"rows.{n}.address"] = xml_text("\n".join(signer.address)) if signer else ""
        return (own[key] for key in keys)

    def document(stream: Any) -> None:
        stream.write(cut.head.encode("utf-8"))
        for start in range(0, len(pages), 500):
            chunk = pages[start : start + 500]
            stream.write("".join(one_list(*values(page)) for page in chunk).encode("utf-8"))
        stream.write(cut.tail.encode("utf-8"))

    write_docx(out, fill_headers_footers(cut.parts, constants), document)


# --- the docx-mailmerge2 peer ---------------------------------------------------------------

_OWN_FIELDS = {"list.number": "list_number", "total": "total", "batch": "batch"}


def mergefield(key: str) -> str | None:
    """Return the MERGEFIELD a placeholder becomes, or None if it stays constant text."""
    match = re.fullmatch(r"rows\.(\d)\.(name|address)", key)
    return f"{match.group(2)}{match.group(1)}" if match else _OWN_FIELDS.get(key)


def write_mergefield_template(template: Path, campaign: Campaign, out: Path) -> None:
    """Write our template as one list with MERGEFIELDs, for docx-mailmerge2's merge_templates.

    Same styles, page, letter, table and footer; a list's page break comes from the merge's
    separator instead of the reference line's ``pageBreakBefore`` (both would leave blank
    pages).
    """
    cut = cut_template(template, len(campaign.paragraphs))
    constants = {
        key: xml_text(text)
        for key, text in constant_values(campaign, 0, "").items()
        if mergefield(key) is None
    }
    with_fields = _RUN.sub(_fields_in_run, cut.per_list).replace("<w:pageBreakBefore/>", "")
    body = fill(with_fields, constants)
    write_docx(
        out,
        fill_headers_footers(cut.parts, constants),
        lambda stream: stream.write((cut.head + body + cut.tail).encode("utf-8")),
    )


def _fields_in_run(run: re.Match[str]) -> str:
    """Split a run at its fields into text runs and ``w:fldSimple`` MERGEFIELDs."""
    properties, pieces = run.group(1) or "", _PLACEHOLDER.split(run.group(2))
    if not any(mergefield(key) for key in pieces[1::2]):
        return run.group(0)
    out = []
    for n, piece in enumerate(pieces):
        name = mergefield(piece) if n % 2 else None
        if name:
            out.append(
                f'<w:fldSimple w:instr=" MERGEFIELD {name} "><w:r>{properties}'
                f"<w:t>«{name}»</w:t></w:r></w:fldSimple>"
            )
        elif piece:
            text = "{{ " + piece + " }}" if n % 2 else piece  # a constant, filled in later
            out.append(f'<w:r>{properties}<w:t xml:space="preserve">{text}</w:t></w:r>')
    return "".join(out)


def mailmerge_rows(pages: Sequence[Page], batch: str) -> list[dict[str, str]]:
    """Return one merge record per list."""
    rows = []
    for page in pages:
        row = {"list_number": str(page.number), "total": str(len(pages)), "batch": batch}
        for n, signer in enumerate(page.slots, start=1):
            row[f"name{n}"] = signer.name if signer else ""
            row[f"address{n}"] = "\n".join(signer.address) if signer else ""
        rows.append(row)
    return rows


# --- the timed calls ------------------------------------------------------------------------


def time_docxtpl(given: Given) -> Call:
    import jinja2
    from docxtpl import DocxTemplate

    campaign, pages = given.campaign, given.prepared.pages
    document = given.out / "docxtpl.docx"

    def docxtpl_render() -> Outcome:
        values = context.build_context(campaign, pages, BATCH)
        doc = DocxTemplate(str(campaign.template))
        doc.render(values, jinja2.Environment(autoescape=True))
        doc.save(str(document))
        return Outcome(document)

    return docxtpl_render


def time_mailmerge(given: Given) -> Call:
    from mailmerge import MailMerge

    pages, template = given.prepared.pages, given.out / "mergefields.docx"
    write_mergefield_template(given.campaign.template, given.campaign, template)
    document = given.out / "mailmerge.docx"

    def mailmerge_render() -> Outcome:
        with MailMerge(str(template)) as merged:
            merged.merge_templates(mailmerge_rows(pages, BATCH), separator="page_break")
            merged.write(str(document))
        return Outcome(document)

    return mailmerge_render


def time_floor(given: Given) -> Call:
    campaign, pages, document = given.campaign, given.prepared.pages, given.out / "floor.docx"

    def floor() -> Outcome:
        render_floor(campaign.template, campaign, pages, document)
        return Outcome(document)

    return floor
