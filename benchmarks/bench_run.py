"""Benchmark petition-merge: the whole run, each stage alone, two peer renderers and a floor.

Run it from the repository root, with the project installed (``pip install -e .``)::

    python benchmarks/bench_run.py                    # 1 000, 10 000, 100 000 signers, 3 times each
    python benchmarks/bench_run.py --small            # CI smoke test: 1 000 signers once, < 1 min
    python benchmarks/bench_run.py --sizes 10000 --repeat 5 --json results.json
    python benchmarks/bench_run.py --sizes 100000 --cases run,read --repeat 5
    python benchmarks/bench_run.py --sizes 1000 --pdf  # + LibreOffice pages/s at 2 000 pages
    python benchmarks/bench_run.py --sizes 10000 --profile lists   # cProfile instead of timing

To measure other code than the installed one (an old commit, say), put its checkout first on
the path: ``PYTHONPATH=/path/to/checkout python benchmarks/bench_run.py``; the header shows
which ``merge`` was measured. The peer docx-mailmerge2 is optional (``pip install
docx-mailmerge2``); without it its row is skipped with a note. Exit status: 0 when every case
ran and the lists documents agree, 1 otherwise.

How it measures: invented signers ("Testperson-123, Erika", "Beispielweg 123", "12345
Musterstadt"; many with an umlaut or ß; never real people) are written to an .xlsx, and a
helper process computes from it, as ``run`` does, the accounting, lists and envelopes the
single stages start from (pickled). Then every measurement runs in a fresh Python process
(this script with ``--worker``), so its memory is its own: the worker does its setup untimed
(load the campaign, unpickle the stage's inputs), then times one call:

- ``run``        ``pipeline.run`` on the .xlsx, no PDF, in a fresh folder with a fresh ledger:
                 read, account, lists .docx, labels, envelopes, checklist, manifest, ledger
- ``read``       ``sources.read_rows`` + ``signers.account_rows`` (with the layout fit check)
- ``lists``      ``documents.render_petitions``: the lists .docx alone
- ``labels``     ``labels.render_labels``: one address label per envelope of the postage plan
- ``envelopes``  ``envelopes.render_envelopes``: one printed DL envelope per envelope
- ``checklist``  ``checklist_write.write_checklist`` of the batch
- ``ledger``     ``open_ledger`` + ``record_batch`` inside ``exclusive()``, fresh file
- ``docxtpl``    peer: ``documents.build_context`` + one docxtpl render of the same template
                 over all lists with a plain ``jinja2.Environment(autoescape=True)`` + save;
                 what merge did before it streamed the document
- ``mailmerge``  peer: docx-mailmerge2 ``merge_templates(rows, separator="page_break")`` +
                 ``write``, one row per list, on a MERGEFIELD template made from ours (same
                 styles, letter, table and footer; ``w:fldSimple`` fields list_number, total,
                 batch, name1..name5, address1..address5)
- ``floor``      the same per-list XML made by plain string joins (values escaped) and
                 streamed into the .docx zip beside the template's other parts: no template
                 engine, no XML tree; about the least any renderer of this document can do

Columns of each table:

- ``median s`` / ``min s``  wall time of the timed call over the repetitions
- ``peak MB``  peak resident memory of the worker: interpreter and imports (about 60 MB),
               setup data and the call; what the machine must have free for it
- ``+MB``      how far the call itself went above the memory the worker held before it
- ``t ratio`` / ``mem ratio``  on a peer row: peer / ours (the ``lists`` row), so above 1 means
               ours is faster or leaner; on the floor row: ours / floor, how far ours is above
               the floor

Memory is Linux's ``VmHWM`` from ``/proc/self/status``, reset just before the call. Not
``ru_maxrss``: Linux carries that across exec, so every worker would report at least the peak
of the process that started it; it is used only where there is no ``/proc`` (macOS).
The progress lines on stderr show the 1-minute load average after each measurement: about 1
is the worker alone, more means something else ran alongside.

Afterwards every lists document (run, lists, peers, floor) must show the same signer names in
the same order; if not, the size is reported as a problem.

``--pdf`` adds LibreOffice conversion of the lists document at 2 000 lists (10 000 signers),
as pages per second of wall time: ``pdf-single`` one soffice for the whole document;
``pdf-parallel`` merge's own parallel converter (``merge.render.pdf.convert_in_parts``: parts
rendered and converted side by side, one soffice per core, joined) if merge has one;
``pdf-halves`` two soffice processes side by side, each converting half the lists with its own
profile (not joined). ``worker MB`` is the Python process, ``soffice MB`` the largest single
LibreOffice process, ``together MB`` the most all LibreOffice processes held at one time (sampled).

``--profile CASE`` runs the case once per size under cProfile and prints the top 15 entries by
cumulative time and the top 10 by own time.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import dataclasses
import datetime as dt
import functools
import gc
import hashlib
import html
import importlib
import importlib.metadata
import importlib.util
import io
import itertools
import json
import os
import pickle
import platform
import pstats
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from lxml import etree

import merge
from merge import batch as batch_files
from merge import pipeline
from merge.batch.model import Batch, PostOptions
from merge.campaign import Campaign, load_campaign
from merge.lists import accounting as signers
from merge.lists import fit as layout
from merge.lists.paginate import ROWS_PER_LIST, Page, paginate
from merge.post import data as postage_data
from merge.post import plan as postage
from merge.post.plan import PostagePlan
from merge.read import rows as sources
from merge.render import context as documents_context
from merge.render import envelopes, label_products, labels
from merge.render import petitions as documents
from merge.track import checklist_write as checklist_writer
from merge.track.ledger import open_ledger

DEFAULT_SIZES = (1_000, 10_000, 100_000)
PDF_SIGNERS = 10_000  # 2 000 lists
TODAY = dt.date(2025, 6, 2)  # fixed: the same postage prices and batch name on every run
BATCH = f"{TODAY.isoformat()}-1"  # the name run gives the first batch of the day
WORKER_TIMEOUT_S = 3 * 3600
PROFILE_TOP = 15  # by cumulative time
PROFILE_TOP_OWN = 10  # by time spent in the function itself
HEADER = ("Name", "Vorname", "Straße", "PLZ", "Ort")  # as in tests/conftest.py

# Invented data; about half the signers have an umlaut or ß somewhere.
_FIRST_NAMES = ("Erika", "Max", "Jürgen", "Anna", "Lukas", "Zoë", "Sophie", "Paul")
_STREETS = ("Beispielweg", "Musterstraße", "Am Probehof", "Übungsgasse")
_TOWNS = ("Musterstadt", "Beispielstadt", "Teststadt", "Übungshausen")


# --- invented signers -----------------------------------------------------------------------


def signer_row(n: int) -> tuple[str, ...]:
    """Return invented signer number ``n``: last name, first name, street, postcode, town."""
    return (
        f"Testperson-{n}",
        _FIRST_NAMES[n % len(_FIRST_NAMES)],
        f"{_STREETS[n % len(_STREETS)]} {n}",
        f"{10000 + n % 90000:05d}",
        _TOWNS[(n // 2) % len(_TOWNS)],
    )


def write_signers_xlsx(path: Path, count: int) -> None:
    """Write a header and ``count`` signers as a minimal .xlsx, streaming.

    Spreadsheet programs keep text as shared strings, so the reader gets what it gets from a
    volunteer's file; each cell has its own string, written in the same order in both parts.
    """
    rows = [HEADER, *(signer_row(n) for n in range(1, count + 1))]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in _XLSX_PARTS.items():
            archive.writestr(name, text)
        string = itertools.count()
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(_XLSX_SHEET_HEAD.encode())
            for number, row in enumerate(rows, start=1):
                cells = "".join(
                    f'<c r="{column}{number}" t="s"><v>{next(string)}</v></c>'
                    for column, _ in zip("ABCDE", row, strict=True)
                )
                sheet.write(f'<row r="{number}">{cells}</row>'.encode())
            sheet.write(b"</sheetData></worksheet>")
        strings = next(string)
        with archive.open("xl/sharedStrings.xml", "w") as shared:
            shared.write(
                f'{_XML_DECLARATION}<sst xmlns="{_SSML}" count="{strings}" '
                f'uniqueCount="{strings}">'.encode()
            )
            for row in rows:
                shared.write("".join(f"<si><t>{html.escape(v)}</t></si>" for v in row).encode())
            shared.write(b"</sst>")


_XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_SSML = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_OREL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PREL = "http://schemas.openxmlformats.org/package/2006/relationships"
_XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_XLSX_PARTS = {
    "[Content_Types].xml": (
        f"{_XML_DECLARATION}"
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_XLSX_TYPE}.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        f'ContentType="{_XLSX_TYPE}.worksheet+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" '
        f'ContentType="{_XLSX_TYPE}.sharedStrings+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        f'{_XML_DECLARATION}<Relationships xmlns="{_PREL}">'
        f'<Relationship Id="rId1" Type="{_OREL}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    ),
    "xl/workbook.xml": (
        f'{_XML_DECLARATION}<workbook xmlns="{_SSML}" xmlns:r="{_OREL}"><sheets>'
        '<sheet name="Unterschriften" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        f'{_XML_DECLARATION}<Relationships xmlns="{_PREL}">'
        f'<Relationship Id="rId1" Type="{_OREL}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{_OREL}/sharedStrings" Target="sharedStrings.xml"/>'
        "</Relationships>"
    ),
}
_XLSX_SHEET_HEAD = f'{_XML_DECLARATION}<worksheet xmlns="{_SSML}"><sheetData>'


@dataclass(frozen=True)
class Prepared:
    """What ``run`` has computed by the time it writes, pickled once per size for the stages."""

    accounting: signers.Accounting
    pages: tuple[Page, ...]
    plan: PostagePlan


def prepare(data: Path, size: int) -> None:
    """Write the signers of one size, and pickle the stages' inputs as ``run`` makes them."""
    data.mkdir(parents=True)
    xlsx = data / "signers.xlsx"
    write_signers_xlsx(xlsx, size)
    accounting = signers.account_rows(sources.read_rows(xlsx, _ignore), layout.row_problem)
    if len(accounting.signers) != size:
        raise RuntimeError(f"{xlsx}: {len(accounting.signers)} signers read, {size} written")
    pages = tuple(paginate(accounting.signers))
    plan = postage.plan_envelopes([page.number for page in pages], mail_date=TODAY)
    with (data / "prepared.pickle").open("wb") as stream:
        pickle.dump(Prepared(accounting, pages, plan), stream, pickle.HIGHEST_PROTOCOL)


def _ignore(*_: object) -> None:
    """Take notes and progress reports and drop them: nobody reads them while timing."""


# --- our template as per-list XML, for the floor and the MERGEFIELD template ----------------

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
    xml = etree.tostring(element, encoding="unicode")
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


# --- PDF ------------------------------------------------------------------------------------


def pdf_module() -> ModuleType:
    """Return where merge keeps its LibreOffice code."""
    return importlib.import_module("merge.render.pdf")


def soffice_command(soffice: str, docx: Path, outdir: Path, profile: Path) -> list[str]:
    return [
        soffice,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        "pdf",
        "--outdir",
        str(outdir),
        str(docx),
    ]


def pdf_pages(pdf: Path) -> int:
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
        found = re.search(r"^Pages:\s+(\d+)", info.stdout, re.MULTILINE)
        if found:
            return int(found.group(1))
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))


# --- the cases: untimed setup, then the call to time ----------------------------------------


@dataclass
class Outcome:
    """What a timed call produced; checked after the clock has stopped."""

    document: Path | None = None  # a lists .docx whose signer names are compared
    pdfs: tuple[Path, ...] = ()
    notes: tuple[str, ...] = ()


Call = Callable[[], Outcome]


class Given:
    """A measurement's inputs; the pickled stage inputs are loaded only if a case asks."""

    def __init__(self, size: int, data: Path, out: Path) -> None:
        self.size = size
        self.xlsx = data / "signers.xlsx"
        self.pickle = data / "prepared.pickle"
        self.out = out

    @functools.cached_property
    def campaign(self) -> Campaign:
        return load_campaign(None, self.out)

    @functools.cached_property
    def prepared(self) -> Prepared:
        with self.pickle.open("rb") as stream:
            prepared: Prepared = pickle.load(stream)
        return prepared

    def render_lists(self, pages: Sequence[Page], out: Path, **options: Any) -> None:
        campaign = self.campaign
        documents.render_petitions(campaign.template, campaign, pages, BATCH, out, **options)


def time_run(given: Given) -> Call:
    request = pipeline.RunRequest(
        cwd=given.out,
        today=TODAY,
        inputs=(given.xlsx,),
        pdf=False,
        ledger=given.out / "ledger.sqlite",
    )

    def whole_run() -> Outcome:
        result = pipeline.run(request, _ignore)
        assert result.batch_dir is not None
        return Outcome(result.batch_dir / batch_files.LISTS_DOCX)

    return whole_run


def time_read(given: Given) -> Call:
    def read() -> Outcome:
        rows = sources.read_rows(given.xlsx, _ignore)
        accounting = signers.account_rows(rows, layout.row_problem)
        assert len(accounting.signers) == given.size
        return Outcome()

    return read


def time_lists(given: Given) -> Call:
    pages, document = given.prepared.pages, given.out / batch_files.LISTS_DOCX

    def lists() -> Outcome:
        given.render_lists(pages, document)
        return Outcome(document)

    return lists


def time_labels(given: Given) -> Call:
    count, campaign = len(given.prepared.plan.envelopes), given.campaign
    product = label_products.label_product(PostOptions().labels)

    def address_labels() -> Outcome:
        labels.render_labels(
            given.out / batch_files.LABELS_DOCX, campaign.addressee, count, product
        )
        return Outcome()

    return address_labels


def time_envelopes(given: Given) -> Call:
    count, campaign = len(given.prepared.plan.envelopes), given.campaign

    def printed_envelopes() -> Outcome:
        envelopes.render_envelopes(
            given.out / batch_files.ENVELOPES_DOCX,
            campaign.addressee,
            count,
            sender_line=campaign.sender_line or None,
        )
        return Outcome()

    return printed_envelopes


def time_checklist(given: Given) -> Call:
    batch = make_batch(given.campaign, given.prepared)

    def dispatch_checklist() -> Outcome:
        checklist_writer.write_checklist(given.out / batch_files.CHECKLIST, batch)
        return Outcome()

    return dispatch_checklist


def time_ledger(given: Given) -> Call:
    batch = make_batch(given.campaign, given.prepared)

    def record_batch() -> Outcome:
        ledger = open_ledger(given.out / "ledger.sqlite")
        assert ledger is not None
        try:
            with ledger.exclusive():
                ledger.record_batch(batch, given.out / BATCH, given.out / f".{BATCH}.partial")
        finally:
            ledger.close()
        return Outcome()

    return record_batch


def make_batch(campaign: Campaign, prepared: Prepared) -> Batch:
    """Gather the prepared batch into the Batch model every writer takes, as the pipeline does."""
    post = PostOptions()
    return Batch(
        name=BATCH,
        prepared_on=TODAY,
        campaign=campaign,
        inputs=("signers.xlsx",),
        accounting=prepared.accounting,
        pages=prepared.pages,
        plan=prepared.plan,
        post=post,
        label=label_products.label_product(post.labels),
        addressee=campaign.addressee,
        transit_days=postage_data.load_postage().transit_days,
    )


def time_docxtpl(given: Given) -> Call:
    import jinja2
    from docxtpl import DocxTemplate

    campaign, pages = given.campaign, given.prepared.pages
    document = given.out / "docxtpl.docx"

    def docxtpl_render() -> Outcome:
        context = documents_context.build_context(campaign, pages, BATCH)
        doc = DocxTemplate(str(campaign.template))
        doc.render(context, jinja2.Environment(autoescape=True))
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


def time_pdf_single(given: Given) -> Call:
    document, pdf = given.out / batch_files.LISTS_DOCX, given.out / "petition-lists.pdf"
    given.render_lists(given.prepared.pages, document)
    convert = pdf_module().convert_to_pdf

    def one_soffice() -> Outcome:
        convert(document, pdf, timeout=WORKER_TIMEOUT_S)
        return Outcome(pdfs=(pdf,))

    return one_soffice


def time_pdf_parallel(given: Given) -> Call:
    """Time merge's own parallel converter as the batch writer calls it."""
    module = pdf_module()
    pages, pdf = given.prepared.pages, given.out / "petition-lists.pdf"

    def write_part(first: int, last: int, out: Path) -> None:
        given.render_lists(pages[first:last], out, total=len(pages))

    def parts() -> Outcome:
        module.convert_in_parts(write_part, len(pages), pdf)
        note = (
            f"merge.render.pdf.convert_in_parts: parts (at most {module.PAGES_PER_PART} lists, "
            "at least "
            f"one per core) rendered and converted by {os.cpu_count()} soffice side by side, "
            "then joined (all timed)"
        )
        return Outcome(pdfs=(pdf,), notes=(note,))

    return parts


def time_pdf_halves(given: Given) -> Call:
    """Time two soffice processes converting half the lists each, side by side."""
    pages = given.prepared.pages
    halves = (pages[: len(pages) // 2], pages[len(pages) // 2 :])
    docs = [given.out / f"half-{n}.docx" for n in (1, 2)]
    for half, document in zip(halves, docs, strict=True):
        given.render_lists(half, document)
    soffice = pdf_module().find_soffice()
    commands = [
        soffice_command(soffice, d, given.out / f"pdf-{n}", given.out / f"profile-{n}")
        for n, d in enumerate(docs, start=1)
    ]

    def two_soffice() -> Outcome:
        running = [
            subprocess.Popen(c, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for c in commands
        ]
        codes = [process.wait(WORKER_TIMEOUT_S) for process in running]
        if any(codes):
            raise RuntimeError(f"soffice exit codes {codes}")
        pdfs = tuple(given.out / f"pdf-{n}" / f"{d.stem}.pdf" for n, d in enumerate(docs, 1))
        return Outcome(pdfs=pdfs, notes=("the two halves are not joined into one PDF",))

    return two_soffice


@dataclass(frozen=True)
class Case:
    name: str
    kind: str  # "ours", "peer", "floor" or "pdf"
    what: str
    setup: Callable[[Given], Call]


CASES = (
    Case("run", "ours", "pipeline.run, no PDF", time_run),
    Case("read", "ours", "read_rows + account_rows", time_read),
    Case("lists", "ours", "render_petitions", time_lists),
    Case("labels", "ours", "render_labels", time_labels),
    Case("envelopes", "ours", "render_envelopes", time_envelopes),
    Case("checklist", "ours", "write_checklist", time_checklist),
    Case("ledger", "ours", "open_ledger + record_batch", time_ledger),
    Case("docxtpl", "peer", "docxtpl, one render", time_docxtpl),
    Case("mailmerge", "peer", "docx-mailmerge2 merge_templates", time_mailmerge),
    Case("floor", "floor", "string joins + zip", time_floor),
)
PDF_CASES = (
    Case("pdf-single", "pdf", "one soffice, whole document", time_pdf_single),
    Case("pdf-parallel", "pdf", "merge's parallel converter", time_pdf_parallel),
    Case("pdf-halves", "pdf", "two soffice, half each", time_pdf_halves),
)
BY_NAME = {case.name: case for case in CASES + PDF_CASES}


def skip_reason(case: Case, size: int, args: argparse.Namespace) -> str:
    """Return why a case cannot or should not run here, or "" if it runs."""
    if case.kind == "peer" and args.skip_peers:
        return "--skip-peers"
    if case.kind == "peer" and size > args.peer_max:
        return f"above --peer-max {args.peer_max}"
    if case.name == "mailmerge" and importlib.util.find_spec("mailmerge") is None:
        return "docx-mailmerge2 not installed (pip install docx-mailmerge2)"
    if case.kind == "pdf" and pdf_module().find_soffice() is None:
        return "LibreOffice (soffice) not installed"
    if case.name == "pdf-parallel" and not hasattr(pdf_module(), "convert_in_parts"):
        return "merge has no parallel PDF converter (merge.render.pdf.convert_in_parts) yet"
    return ""


# --- the worker -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Job:
    """One measurement, handed to a worker process as JSON."""

    case: str
    size: int
    data: str  # this size's folder: signers.xlsx and prepared.pickle
    out: str  # a fresh, empty folder
    result: str  # where the worker writes its result (JSON)
    profile: bool = False


def status_kb(field: str, pid: int | str = "self") -> int | None:
    """Return a ``/proc/<pid>/status`` memory field in KiB (Linux), or None."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith(f"{field}:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return None


class Memory:
    """Peak resident memory of this process, before and during the timed call.

    On Linux the high-water mark ``VmHWM`` is read and reset around the call. ``ru_maxrss``
    is only the fallback: Linux carries it across exec, so a fresh worker would report at
    least the peak of the process that started it.
    """

    def __init__(self) -> None:
        self.setup_peak = self.before = self._peak()
        current = status_kb("VmRSS")
        if current is not None:
            self.before = current
            try:
                Path("/proc/self/clear_refs").write_text("5")  # VmHWM := VmRSS
            except OSError:
                self.before = self.setup_peak  # growth is then a lower bound

    def _peak(self) -> int:
        peak = status_kb("VmHWM")
        if peak is not None:
            return peak
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak // 1024 if sys.platform == "darwin" else peak  # bytes on macOS

    def result(self) -> dict[str, int]:
        call_peak = self._peak()
        return {
            "rss_peak_kb": max(self.setup_peak, call_peak),
            "rss_call_kb": max(0, call_peak - self.before),
        }


class ChildMemory:
    """Sample the memory of this process's descendants (LibreOffice) while a call runs."""

    def __init__(self) -> None:
        self.peaks: dict[int, int] = {}  # pid -> VmHWM
        self.together = 0  # the most resident memory all descendants held at one time
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> ChildMemory:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        while not self._stop.wait(0.2):
            now = 0
            for pid in descendants(os.getpid()):
                peak, current = status_kb("VmHWM", pid), status_kb("VmRSS", pid)
                self.peaks[pid] = max(self.peaks.get(pid, 0), peak or 0)
                now += current or 0
            self.together = max(self.together, now)


def descendants(root: int) -> list[int]:
    """Return the ids of all processes below ``root`` (Linux; empty elsewhere)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found: list[int] = []
    todo = [root]
    while todo:
        below = children.get(todo.pop(), [])
        found += below
        todo += below
    return found


def work(job: Job) -> dict[str, Any]:
    """Set a case up, time its call once, then check what it produced."""
    case = BY_NAME[job.case]
    call = case.setup(Given(job.size, Path(job.data), Path(job.out)))
    gc.collect()
    profiler = cProfile.Profile() if job.profile else None
    children = ChildMemory() if case.kind == "pdf" else contextlib.nullcontext()
    memory = Memory()
    with children:
        start = time.perf_counter()
        if profiler:
            profiler.enable()
        outcome = call()
        if profiler:
            profiler.disable()
        seconds = time.perf_counter() - start
    result: dict[str, Any] = {
        "seconds": seconds,
        **memory.result(),
        "load_average": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
        "notes": list(outcome.notes),
    }
    if isinstance(children, ChildMemory):
        result["soffice_peak_kb"] = max(children.peaks.values(), default=0)
        result["soffice_together_kb"] = children.together
    if outcome.pdfs:
        result["pages"] = sum(pdf_pages(pdf) for pdf in outcome.pdfs)
    if outcome.document is not None:
        result["names"] = names_digest(outcome.document)
    if profiler:
        text = io.StringIO()
        stats = pstats.Stats(profiler, stream=text)
        stats.sort_stats("cumulative").print_stats(PROFILE_TOP)
        stats.sort_stats("tottime").print_stats(PROFILE_TOP_OWN)
        result["profile"] = text.getvalue()
    return result


def names_digest(docx: Path) -> dict[str, Any]:
    """Return how many signer names a document shows, and a hash of them in order."""
    with zipfile.ZipFile(docx) as archive:
        names = re.findall(rb"Testperson-\d+, [^<]*", archive.read("word/document.xml"))
    return {"count": len(names), "sha1": hashlib.sha1(b"\n".join(names)).hexdigest()}


def worker_main(spec: str) -> int:
    job = Job(**json.loads(spec))
    try:
        if job.case == "prepare":
            prepare(Path(job.data), job.size)
            result: dict[str, Any] = {}
        else:
            result = work(job)
    except Exception as err:  # the parent reports the case as failed, with the traceback
        result = {"error": f"{type(err).__name__}: {err}", "traceback": traceback.format_exc()}
    Path(job.result).write_text(json.dumps(result), encoding="utf-8")
    return 0


# --- the driver -----------------------------------------------------------------------------


@dataclass
class Measured:
    """The measurements of one case at one size."""

    case: Case
    size: int
    skipped: str = ""
    error: str = ""
    runs: list[dict[str, Any]] = field(default_factory=list)

    def values(self, key: str) -> list[Any]:
        return [run[key] for run in self.runs]

    @property
    def median_s(self) -> float:
        return statistics.median(self.values("seconds"))

    @property
    def peak_mb(self) -> float:
        return max(self.values("rss_peak_kb")) / 1024

    @property
    def grew_mb(self) -> float:
        return max(self.values("rss_call_kb")) / 1024

    def why_not(self) -> str:
        return f"skipped: {self.skipped}" if self.skipped else "FAILED (see above)"

    def as_json(self) -> dict[str, Any]:
        return {
            "case": self.case.name,
            "kind": self.case.kind,
            "what": self.case.what,
            "size": self.size,
            "skipped": self.skipped or None,
            "error": self.error or None,
            "median_s": self.median_s if self.runs else None,
            "runs": self.runs,
        }


def run_worker(job: Job) -> dict[str, Any]:
    """Run one measurement in a fresh Python process and return its result."""
    Path(job.out).mkdir(parents=True)
    spec = json.dumps(dataclasses.asdict(job))
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", spec]
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=WORKER_TIMEOUT_S, check=False
        )
        if not Path(job.result).is_file():
            tail = (done.stderr or done.stdout).strip().splitlines()[-5:]
            return {"error": f"worker exit {done.returncode}: " + " | ".join(tail)}
        result: dict[str, Any] = json.loads(Path(job.result).read_text(encoding="utf-8"))
        return result
    except subprocess.TimeoutExpired:
        return {"error": f"no result after {WORKER_TIMEOUT_S} s"}
    finally:
        shutil.rmtree(job.out, ignore_errors=True)
        Path(job.result).unlink(missing_ok=True)


def job_for(
    case: str, size: int, data: Path, scratch: Path, repetition: int = 0, profile: bool = False
) -> Job:
    name = f"{size}-{case}-{repetition}"
    return Job(case, size, str(data), str(scratch / name), str(scratch / f"{name}.json"), profile)


def measure(
    cases: Sequence[Case], size: int, data: Path, scratch: Path, args: argparse.Namespace
) -> list[Measured]:
    """Measure every case ``args.repeat`` times, interleaved, so drift hits all cases alike."""
    measured = [Measured(case, size, skipped=skip_reason(case, size, args)) for case in cases]
    for repetition in range(1, args.repeat + 1):
        for entry in measured:
            if entry.skipped or entry.error:
                continue
            job = job_for(entry.case.name, size, data, scratch, repetition, bool(args.profile))
            result = run_worker(job)
            if "error" in result:
                entry.error = result["error"]
                log(f"{size:>7} {entry.case.name:<12} FAILED: {entry.error}")
                log(result.get("traceback", ""))
                continue
            entry.runs.append(result)
            log(
                f"{size:>7} {entry.case.name:<12} {repetition}/{args.repeat} "
                f"{result['seconds']:8.2f} s {result['rss_peak_kb'] / 1024:7.0f} MB "
                f"(load {result['load_average'] or 0:.2f})"
            )
    return measured


def check_documents(measured: Sequence[Measured], size: int) -> str:
    """Return a problem if the lists documents do not show the same names in the same order."""
    digests = {m.case.name: run["names"] for m in measured for run in m.runs if "names" in run}
    shown = {(digest["count"], digest["sha1"]) for digest in digests.values()}
    if len(shown) > 1 or any(count != size for count, _ in shown):
        counts = ", ".join(f"{name} {digest['count']}" for name, digest in digests.items())
        return f"the lists documents differ (signer names shown: {counts}; expected {size})"
    return ""


def print_table(measured: Sequence[Measured], size: int, repeat: int) -> None:
    ours = next((m for m in measured if m.case.name == "lists" and m.runs), None)
    print(f"\n{size:,} signers ({size // ROWS_PER_LIST:,} lists), {repeat} repetition(s)")
    head = f"{'case':<10} {'what':<33} {'median s':>9} {'min s':>8} {'peak MB':>8} {'+MB':>6}"
    print(f"{head} {'t ratio':>8} {'mem ratio':>9}")
    print("-" * (len(head) + 19))
    for entry in measured:
        line = f"{entry.case.name:<10} {entry.case.what:<33}"
        if not entry.runs:
            print(f"{line} {entry.why_not()}")
            continue
        ratios = ""
        if ours and entry.case.kind == "peer":
            ratios = f"{entry.median_s / ours.median_s:8.2f} {entry.peak_mb / ours.peak_mb:9.2f}"
        elif ours and entry.case.kind == "floor":
            ratios = f"{ours.median_s / entry.median_s:8.2f} {ours.peak_mb / entry.peak_mb:9.2f}"
        print(
            f"{line} {entry.median_s:9.3f} {min(entry.values('seconds')):8.3f} "
            f"{entry.peak_mb:8.0f} {entry.grew_mb:6.0f} {ratios}".rstrip()
        )


def print_pdf(measured: Sequence[Measured]) -> None:
    print(f"\nLibreOffice PDF of the lists document, {PDF_SIGNERS // ROWS_PER_LIST:,} lists")
    head = f"{'case':<13} {'pages':>6} {'median s':>9} {'min s':>8} {'pages/s':>8}"
    print(f"{head} {'worker MB':>10} {'soffice MB':>11} {'together MB':>12}")
    print("-" * (len(head) + 36))
    for entry in measured:
        if not entry.runs:
            print(f"{entry.case.name:<13} {entry.why_not()}")
            continue
        pages = entry.runs[0]["pages"]
        print(
            f"{entry.case.name:<13} {pages:>6} {entry.median_s:9.1f} "
            f"{min(entry.values('seconds')):8.1f} {pages / entry.median_s:8.1f} "
            f"{entry.peak_mb:10.0f} {max(entry.values('soffice_peak_kb')) / 1024:11.0f} "
            f"{max(entry.values('soffice_together_kb')) / 1024:12.0f}"
        )
        for note in dict.fromkeys(note for run in entry.runs for note in run["notes"]):
            print(f"{'':<13} {note}")


def machine() -> dict[str, Any]:
    """Describe the machine, and the code and libraries measured."""
    model = platform.processor() or platform.machine()
    try:
        found = re.search(
            r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.MULTILINE
        )
        model = found.group(1).strip() if found else model
    except OSError:
        pass
    try:
        memory_gb = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3, 1)
    except (ValueError, OSError, AttributeError):
        memory_gb = None
    versions = {}
    for package in (
        "docxtpl",
        "python-docx",
        "docx-mailmerge2",
        "lxml",
        "XlsxWriter",
        "python-calamine",
        "Jinja2",
    ):
        try:
            versions[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            versions[package] = None
    code = Path(merge.__file__).resolve().parent.parent
    return {
        "cores": os.cpu_count(),
        "usable_cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "cpu": model,
        "memory_gb": memory_gb,
        "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,
        "system": f"{platform.system()} {platform.release()} {platform.machine()}",
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "executable": sys.executable,
        "merge": str(code),
        "commit": _output(["git", "-C", str(code), "describe", "--always", "--dirty"]),
        "versions": versions,
        "soffice": _output([s, "--version"]) if (s := pdf_module().find_soffice()) else None,
    }


def _output(command: Sequence[str]) -> str | None:
    """Return a command's output, or None if it fails."""
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return (done.stdout.strip() or None) if done.returncode == 0 else None


def print_machine(info: Mapping[str, Any]) -> None:
    load = info["load_average"]
    print("petition-merge benchmark")
    print(
        f"machine: {info['cores']} cores ({info['usable_cores']} usable), {info['cpu']}, "
        f"{info['memory_gb']} GB RAM, {info['system']}"
        + (f", load {load[0]:.2f} at start" if load else "")
    )
    print(f"python:  {info['python']} ({info['executable']})")
    print(f"merge:   {info['merge']} ({info['commit'] or 'not a git checkout'})")
    libraries = ", ".join(
        f"{name} {version or 'not installed'}" for name, version in info["versions"].items()
    )
    print(f"libs:    {libraries}; {info['soffice'] or 'no LibreOffice'}")
    print(
        "ratios:  peer rows = peer / ours (lists), floor row = ours (lists) / floor; "
        "t = median time, mem = peak RSS"
    )


def log(text: str) -> None:
    if text:
        print(text, file=sys.stderr, flush=True)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Benchmark petition-merge; the docstring of this file explains the numbers."
    )
    parser.add_argument(
        "--sizes",
        default=",".join(map(str, DEFAULT_SIZES)),
        help="signer counts, comma-separated (default: %(default)s)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="measurements per case (default 3)")
    parser.add_argument(
        "--small", action="store_true", help="1 000 signers, once: the CI smoke test"
    )
    parser.add_argument("--skip-peers", action="store_true", help="leave out the peer renderers")
    parser.add_argument(
        "--peer-max",
        type=int,
        default=100_000,
        metavar="N",
        help="run the peers only for sizes up to N signers (default: %(default)s)",
    )
    parser.add_argument(
        "--pdf",
        action="store_true",
        help=f"also time LibreOffice PDF at {PDF_SIGNERS // ROWS_PER_LIST:,} lists",
    )
    parser.add_argument("--json", type=Path, metavar="PATH", help="write the raw results there")
    parser.add_argument(
        "--profile",
        metavar="CASE",
        choices=sorted(BY_NAME),
        help=f"run CASE once per size under cProfile and print its top {PROFILE_TOP} by "
        f"cumulative and top {PROFILE_TOP_OWN} by own time, instead of timing",
    )
    parser.add_argument(
        "--cases",
        metavar="NAMES",
        help="only these cases, comma-separated, e.g. run,read (of: "
        f"{', '.join(case.name for case in CASES)}; --pdf adds the PDF cases)",
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.small:
        args.sizes, args.repeat = "1000", 1
    try:
        args.sizes = [int(size) for size in args.sizes.replace("_", "").split(",") if size]
    except ValueError:
        parser.error(f"--sizes: not a list of whole numbers: {args.sizes}")
    if not args.sizes or min(args.sizes) < ROWS_PER_LIST or args.repeat < 1:
        parser.error(f"--sizes must be at least {ROWS_PER_LIST} and --repeat at least 1")
    if args.profile:
        args.repeat = 1
    if args.cases is not None:
        names = [name.strip() for name in args.cases.split(",") if name.strip()]
        known = [case.name for case in CASES]  # the PDF cases come with --pdf
        unknown = [name for name in names if name not in known]
        if unknown or not names:
            what = f"unknown {', '.join(unknown)}" if unknown else "no case named"
            parser.error(f"--cases: {what}; known: {', '.join(known)}")
        args.cases = names
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.worker:
        return worker_main(args.worker)
    info = machine()
    print_machine(info)
    chosen = [case for case in CASES if case.name in args.cases] if args.cases else CASES
    schedule: list[tuple[int, Sequence[Case]]] = [(size, chosen) for size in args.sizes]
    if args.profile:
        schedule = [(size, [BY_NAME[args.profile]]) for size in args.sizes]
    elif args.pdf:
        schedule.append((PDF_SIGNERS, PDF_CASES))
    report: dict[str, Any] = {
        "machine": info,
        "arguments": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
        "results": [],
    }
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="bench-petition-merge-") as work_dir:
        root = Path(work_dir)
        for size, cases in schedule:
            data = root / f"data-{size}"
            if not data.is_dir():
                log(f"{size:>7} preparing {size:,} invented signers")
                prepared = run_worker(job_for("prepare", size, data, root / "scratch"))
                if "error" in prepared:
                    log(prepared.get("traceback", ""))
                    problems.append(f"{size}: preparing the signers failed: {prepared['error']}")
                    continue
            measured = measure(cases, size, data, root / "scratch", args)
            report["results"] += [entry.as_json() for entry in measured]
            problems += [f"{size} {m.case.name}: {m.error}" for m in measured if m.error]
            if args.profile:
                for run in (run for entry in measured for run in entry.runs):
                    print(
                        f"\ncProfile of {args.profile} at {size:,} signers "
                        f"({run['seconds']:.1f} s with the profiler on)\n{run['profile']}"
                    )
                continue
            if cases is PDF_CASES:
                print_pdf(measured)
                continue
            print_table(measured, size, args.repeat)
            for entry in measured:
                if entry.skipped:
                    print(f"note: {entry.case.name} skipped: {entry.skipped}")
            mismatch = check_documents(measured, size)
            if mismatch:
                problems.append(f"{size}: {mismatch}")
            else:
                print("check: every lists document shows all signers in the same order")
    if args.json:
        report["problems"] = problems
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    for problem in problems:
        print(f"problem: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
