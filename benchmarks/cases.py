"""What is measured: the whole run, each stage alone, the PDF conversion and the host yardstick.

Each case is an untimed setup that returns the call to time (see ``harness.work``):

- ``run``        ``pipeline.run`` on the .xlsx, no PDF, in a fresh folder with a fresh ledger:
                 read, account, lists .docx, labels, envelopes, checklist, manifest, ledger
- ``read``       ``read_rows`` + ``account_rows`` (with the fit check)
- ``lists``      ``render_petitions``: the lists .docx alone
- ``labels``     ``render_labels``: one address label per envelope of the postage plan
- ``envelopes``  ``render_envelopes``: one printed envelope per envelope
- ``checklist``  ``write_checklist`` of the batch
- ``ledger``     ``open_ledger`` + ``record_batch`` inside ``exclusive()``, fresh file
- ``tracking``   on a ledger holding the batch (recorded untimed): ``status``, then
                 ``mark-mailed BATCH:1-3``, ``discard BATCH`` (the rest), ``purge BATCH``; each
                 one's seconds in the notes (``--json``)
- ``ledger-pg`` / ``tracking-pg``  the same on a PostgreSQL ledger: a fresh database (made
                 untimed) on the server whose admin URL PETITION_MERGE_BENCH_POSTGRES gives
                 (skipped without it), with a benchmark's own organisation secret
- ``host``       a fixed pure-Python loop of ten million steps, the same on every commit: how
                 fast this host runs Python right now, to scale absolute times by
- the peers and the floor: ``peers.py``; the import times of the CLI: ``startup.py``
- ``pdf-single`` / ``pdf-parallel`` / ``pdf-halves`` (``--pdf``, at 2 000 lists): one soffice
                 for the whole document; ``merge.render.pdf.convert_in_parts`` as the batch
                 writer calls it (parts rendered, converted one soffice per core, joined: all
                 timed); two soffice side by side, each converting half the lists, not joined
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import re
import subprocess
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from pypdf import PdfReader

from merge import batch as batch_files
from merge import pipeline
from merge.batch.model import Batch, PostOptions
from merge.campaign import Campaign
from merge.lists import accounting
from merge.post import data as postage_data
from merge.read import rows as sources
from merge.render import envelopes, labels, pdf
from merge.render.label_products import label_product
from merge.track import checklist_write
from merge.track.discard import discard
from merge.track.keys import SECRET_VARIABLE
from merge.track.ledger import open_ledger
from merge.track.mark_mailed import mark_mailed
from merge.track.purge import purge, purgeable
from merge.track.status import status
from merge.track.where import LedgerLocation, ledger_location

import peers
from workload import BATCH, TODAY, Call, Given, Outcome, Prepared, ignore, shipped_fit

HOST_STEPS = 10_000_000
PDF_TIMEOUT_S = 3600


def host_loop(steps: int = HOST_STEPS) -> int:
    """Run the fixed pure-Python loop the host is measured by; change it and old numbers lie."""
    total = 0
    for n in range(steps):
        total += n % 7
    return total


# --- ours -----------------------------------------------------------------------------------


def time_run(given: Given) -> Call:
    request = pipeline.RunRequest(
        cwd=given.out,
        today=TODAY,
        inputs=(given.xlsx,),
        pdf=False,
        ledger=given.out / "ledger.sqlite",
    )

    def whole_run() -> Outcome:
        result = pipeline.run(request, ignore)
        assert result.batch_dir is not None
        return Outcome(result.batch_dir / batch_files.LISTS_DOCX)

    return whole_run


def time_read(given: Given) -> Call:
    check = shipped_fit()  # reading the template's limits is the run's, not the reader's

    def read() -> Outcome:
        accounted = accounting.account_rows(sources.read_rows(given.xlsx, ignore), check)
        assert len(accounted.signers) == given.size
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
    product = label_product(PostOptions().labels)

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
        checklist_write.write_checklist(given.out / batch_files.CHECKLIST, batch)
        return Outcome()

    return dispatch_checklist


def time_ledger(given: Given, where: LedgerLocation | None = None) -> Call:
    batch = make_batch(given.campaign, given.prepared)
    where = where or LedgerLocation.file(given.out / "ledger.sqlite")

    def record_batch() -> Outcome:
        ledger = open_ledger(where)
        assert ledger is not None
        try:
            with ledger.exclusive():
                ledger.record_batch(batch, given.out / BATCH, given.out / f".{BATCH}.partial")
        finally:
            ledger.close()
        return Outcome()

    return record_batch


def time_tracking(given: Given, where: LedgerLocation | None = None) -> Call:
    path = where or LedgerLocation.file(given.out / "ledger.sqlite")
    time_ledger(given, path)()  # the batch in the ledger, untimed

    def tracking_commands() -> Outcome:
        seconds = []
        for command in (
            lambda: status(path, TODAY),
            lambda: mark_mailed(path, [f"{BATCH}:1-3"], None, TODAY, "Bench", today=TODAY),
            lambda: discard(path, BATCH, TODAY),
            lambda: purge(path, purgeable(path, BATCH), TODAY),
        ):
            start = time.perf_counter()
            command()
            seconds.append(time.perf_counter() - start)
        status_s, mark_s, discard_s, purge_s = (f"{s:.3f} s" for s in seconds)
        note = (
            f"status {status_s}, mark-mailed {BATCH}:1-3 {mark_s}, discard {discard_s}, "
            f"purge {purge_s}"
        )
        return Outcome(notes=(note,))

    return tracking_commands


BENCH_POSTGRES = "PETITION_MERGE_BENCH_POSTGRES"  # a server's admin URL (it creates databases)


def postgres_ledger() -> LedgerLocation:
    """Make a fresh database on the benchmark's server (untimed) and return it as --ledger."""
    import psycopg

    os.environ.setdefault(SECRET_VARIABLE, "benchmark-secret-" + "0" * 47)
    admin = os.environ[BENCH_POSTGRES]
    name = f"bench_{os.getpid()}_{time.monotonic_ns()}"
    with psycopg.connect(admin, autocommit=True) as db:
        db.execute(f'CREATE DATABASE "{name}"')
    return ledger_location(urlunsplit(urlsplit(admin)._replace(path=f"/{name}")), Path.cwd())


def time_ledger_pg(given: Given) -> Call:
    return time_ledger(given, postgres_ledger())


def time_tracking_pg(given: Given) -> Call:
    return time_tracking(given, postgres_ledger())


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
        label=label_product(post.labels),
        addressee=campaign.addressee,
        transit_days=postage_data.load_postage().transit_days_for(campaign.country),
    )


def time_host(_: Given) -> Call:
    def loop() -> Outcome:
        host_loop()
        return Outcome()

    return loop


# --- PDF ------------------------------------------------------------------------------------


def time_pdf_single(given: Given) -> Call:
    document, target = given.out / batch_files.LISTS_DOCX, given.out / "petition-lists.pdf"
    given.render_lists(given.prepared.pages, document)

    def one_soffice() -> Outcome:
        pdf.convert_to_pdf(document, target, timeout=PDF_TIMEOUT_S)
        return Outcome(pdfs=(target,))

    return one_soffice


def time_pdf_parallel(given: Given) -> Call:
    pages, target = given.prepared.pages, given.out / "petition-lists.pdf"

    def write_part(first: int, last: int, out: Path) -> None:
        given.render_lists(pages[first:last], out, total=len(pages))

    def parts() -> Outcome:
        pdf.convert_in_parts(write_part, len(pages), target, timeout=PDF_TIMEOUT_S)
        note = (
            f"parts of at most {pdf.PAGES_PER_PART} lists, at least one per core, rendered and "
            f"converted by {os.cpu_count()} soffice side by side, then joined (all timed)"
        )
        return Outcome(pdfs=(target,), notes=(note,))

    return parts


def time_pdf_halves(given: Given) -> Call:
    pages = given.prepared.pages
    halves = (pages[: len(pages) // 2], pages[len(pages) // 2 :])
    docs = [given.out / f"half-{n}.docx" for n in (1, 2)]
    for half, document in zip(halves, docs, strict=True):
        given.render_lists(half, document)
    soffice = pdf.find_soffice()
    assert soffice is not None
    outdirs = [given.out / f"pdf-{n}" for n in (1, 2)]
    commands = [
        pdf.soffice_command(soffice, given.out / f"profile-{n}", outdir, [document])
        for n, (outdir, document) in enumerate(zip(outdirs, docs, strict=True), start=1)
    ]

    def two_soffice() -> Outcome:
        running = [
            subprocess.Popen(c, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for c in commands
        ]
        codes = [process.wait(PDF_TIMEOUT_S) for process in running]
        if any(codes):
            raise RuntimeError(f"soffice exit codes {codes}")
        made = tuple(o / f"{d.stem}.pdf" for o, d in zip(outdirs, docs, strict=True))
        return Outcome(pdfs=made, notes=("the two halves are not joined into one PDF",))

    return two_soffice


def pdf_pages(path: Path) -> int:
    return len(PdfReader(path).pages)


# --- the list of cases ----------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    name: str
    kind: str  # "ours", "peer", "floor", "host" or "pdf"
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
    Case("tracking", "ours", "status, mark-mailed, discard, purge", time_tracking),
    Case("ledger-pg", "ours", "the same, PostgreSQL", time_ledger_pg),
    Case("tracking-pg", "ours", "the same, PostgreSQL", time_tracking_pg),
    Case("docxtpl", "peer", "docxtpl, one render", peers.time_docxtpl),
    Case("mailmerge", "peer", "docx-mailmerge2 merge_templates", peers.time_mailmerge),
    Case("floor", "floor", "string joins + zip", peers.time_floor),
)
HOST = Case("host", "host", f"Python loop, {HOST_STEPS:,} steps", time_host)
PDF_CASES = (
    Case("pdf-single", "pdf", "one soffice, whole document", time_pdf_single),
    Case("pdf-parallel", "pdf", "convert_in_parts, joined", time_pdf_parallel),
    Case("pdf-halves", "pdf", "two soffice, half each", time_pdf_halves),
)
BY_NAME = {case.name: case for case in (*CASES, HOST, *PDF_CASES)}


def skip_reason(case: Case, size: int, skip_peers: bool, peer_max: int) -> str:
    """Return why a case cannot or should not run here, or "" if it runs."""
    if case.kind == "peer" and skip_peers:
        return "--skip-peers"
    if case.kind == "peer" and size > peer_max:
        return f"above --peer-max {peer_max}"
    if case.name == "mailmerge" and importlib.util.find_spec("mailmerge") is None:
        return "docx-mailmerge2 not installed (pip install docx-mailmerge2)"
    if case.kind == "pdf" and pdf.find_soffice() is None:
        return "LibreOffice (soffice) not installed"
    if case.name.endswith("-pg") and not os.environ.get(BENCH_POSTGRES):
        return f"no PostgreSQL server ({BENCH_POSTGRES}=postgresql://user@host/db, its admin URL)"
    if case.name.endswith("-pg") and importlib.util.find_spec("psycopg") is None:
        return "psycopg not installed (pip install 'petition-merge[postgres]')"
    return ""


def names_digest(docx: Path) -> dict[str, Any]:
    """Return how many signer names a lists document shows, and a hash of them in order."""
    with zipfile.ZipFile(docx) as archive:
        names = re.findall(rb"Testperson-\d+, [^<]*", archive.read("word/document.xml"))
    return {"count": len(names), "sha1": hashlib.sha1(b"\n".join(names)).hexdigest()}
