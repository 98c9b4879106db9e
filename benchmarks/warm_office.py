"""The web page's warm LibreOffice against the CLI's cold one, on one 200-signer batch (``--warm``).

The batch is what ``run --no-pdf`` writes for 200 invented signers: the lists (40 pages),
labels, envelopes and post-office sheet. Measured in this process, interleaved, ``repeat``
times each (medians), after an untimed first warm conversion:

- ``cold run``       the whole batch with its PDFs as the CLI makes it: ``pipeline.run`` (read,
                     account, the documents, the ledger) with a cold ``soffice --convert-to``
- ``warm run``       the same with the PDFs made warm: ``pipeline.run`` without PDF, then the
                     four documents converted by ``merge.render.office.WarmOffice``
- ``cold batch``     the four documents alone in one cold soffice call
                     (``merge.render.pdf.convert_all_to_pdf``, as the CLI calls it)
- ``warm batch``     the same four with the warm LibreOffice
- ``warm preview``   the page-1 preview as the page would make it: a .docx of list 1 alone
                     rendered, converted warm, pictured by ``pdftoppm`` (PNG, PREVIEW_DPI)
- ``warm preview by page range``  page 1 of the whole 40-list .docx (LibreOffice still lays
                     out all 40 pages), then the PNG: why the preview renders list 1 alone
- ``cold preview``   the list-1 preview with a cold soffice, for comparison
- ``web upload``     through the page (``web_page.py``: TestClient against make_app, the
                     server's own warm LibreOffice): upload of the .xlsx and its check page
- ``web preview``    the preview of list 1 as a browser loads it: the page, then its PNG
- ``web batch``      the whole batch with its 4 PDFs: the options sent, the job polled until
                     it has finished
- once: ``warm start`` (soffice spawned until the helper is connected) and the first warm
  conversion of the batch (LibreOffice loads its Writer and PDF code then); ``web start``
  (the server started until its LibreOffice is ready), ``web first preview`` (LibreOffice's
  first conversion) and ``web first batch`` (the batch right after it)

Issue 16's targets are read from the page's numbers: the page-1 preview of a 200-signer upload
within 1 s, the whole batch with all its PDFs within 3 s after the first conversion.
"""

from __future__ import annotations

import contextlib
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from merge import pipeline
from merge.render import office, pdf, petitions
from web_page import WebPage

from workload import TODAY, write_signers_xlsx

SIGNERS = 200
DOCUMENTS = ("petition-lists", "labels", "envelopes", "post-office")
CASES = (
    ("cold run", "cold: whole batch, pipeline.run with PDF (the CLI)"),
    ("warm run", "warm: whole batch, pipeline.run + warm PDFs"),
    ("cold batch", "cold: the 4 batch documents, one soffice call (the CLI)"),
    ("warm batch", "warm: the 4 batch documents"),
    ("warm preview", "warm: page-1 preview (list-1 .docx, PDF, PNG)"),
    ("warm range preview", "warm: page 1 of the 40-list .docx by page range, PNG"),
    ("cold preview", "cold: page-1 preview (list-1 .docx, PDF, PNG)"),
    ("web upload", "web page: upload of the .xlsx and its check page"),
    ("web preview", "web page: preview of list 1, the page and its PNG"),
    ("web batch", "web page: whole batch with its 4 PDFs, until the job ends"),
)
TARGETS = (  # issue 16: (case, seconds, what)
    ("web preview", 1.0, "page-1 preview of a 200-signer upload within 1 s"),
    ("web batch", 3.0, "whole 200-signer batch with its PDFs within 3 s, LibreOffice warm"),
)


@dataclass
class WarmResults:
    """Seconds of every repetition per case, the one-off times, and what went wrong."""

    seconds: dict[str, list[float]] = field(default_factory=dict)
    once: dict[str, float] = field(default_factory=dict)
    pages: dict[str, int] = field(default_factory=dict)
    skipped: str = ""
    web_skipped: str = ""
    problems: list[str] = field(default_factory=list)

    def met(self, case: str, limit: float) -> bool | None:
        """Whether the median of ``case`` is within ``limit`` (None: not measured)."""
        seconds = self.seconds.get(case)
        return statistics.median(seconds) <= limit if seconds else None

    def as_json(self) -> dict[str, Any]:
        return {
            "signers": SIGNERS,
            "seconds": self.seconds,
            "median_s": {case: statistics.median(s) for case, s in self.seconds.items() if s},
            "once_s": self.once,
            "pages": self.pages,
            "skipped": self.skipped or None,
            "web_skipped": self.web_skipped or None,
            "targets": {
                what: {"seconds": limit, "met": self.met(case, limit)}
                for case, limit, what in TARGETS
            },
            "problems": self.problems,
        }


def timed(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def measure(repeat: int, log: Callable[[str], None]) -> WarmResults:
    """Measure the warm and the cold LibreOffice on one batch, ``repeat`` times each."""
    found = WarmResults()
    if pdf.find_soffice() is None:
        found.skipped = "LibreOffice (soffice) not installed"
        return found
    with tempfile.TemporaryDirectory(prefix="bench-warm-") as work_dir:
        work = Path(work_dir)
        docs, first_list = make_batch(work / "project")
        with office.WarmOffice() as warm, contextlib.ExitStack() as stack:
            found.once["warm start"] = timed(warm.start)
            if warm.reason:
                found.skipped = warm.reason
                return found
            out = work / "warm-first"
            out.mkdir()
            found.once["warm first batch"] = timed(lambda: warm.convert(docs, out))
            log(f"    warm start {found.once['warm start']:.2f} s, first batch "
                f"{found.once['warm first batch']:.2f} s")  # fmt: skip
            web = open_web_page(stack, work, found, log)
            for repetition in range(1, repeat + 1):
                calls = cases(work, repetition, docs, first_list, warm)
                if web is not None:
                    calls.update(web_cases(web, repetition))
                for case, call in calls.items():
                    seconds = timed(call)
                    found.seconds.setdefault(case, []).append(seconds)
                    log(f"    {case:<20} {repetition}/{repeat} {seconds:6.2f} s")
        found.problems += check_pages(work, found)
    return found


def open_web_page(
    stack: contextlib.ExitStack, work: Path, found: WarmResults, log: Callable[[str], None]
) -> WebPage | None:
    """Start the server and make its first preview and batch (timed once); None without the
    web page's packages."""
    try:
        import starlette.testclient  # noqa: F401
    except ImportError as err:
        found.web_skipped = f"the web page's packages are not installed ({err.name})"
        return None
    started = time.perf_counter()
    web = stack.enter_context(WebPage(work / "web", SIGNERS))
    web.wait_warm()
    found.once["web start"] = time.perf_counter() - started
    if web.office.reason:
        found.web_skipped = web.office.reason
        return None
    draft = web.upload(0)
    found.once["web first preview"] = timed(lambda: web.preview(draft))
    found.once["web first batch"] = timed(lambda: web.batch(draft))
    log(f"    web start {found.once['web start']:.2f} s, first preview "
        f"{found.once['web first preview']:.2f} s, first batch "
        f"{found.once['web first batch']:.2f} s")  # fmt: skip
    return web


def web_cases(web: WebPage, repetition: int) -> dict[str, Callable[[], object]]:
    """Return the timed calls through the page: upload, preview, batch (in this order)."""
    draft: list[str] = []
    return {
        "web upload": lambda: draft.append(web.upload(repetition)),
        "web preview": lambda: web.preview(draft[0]),
        "web batch": lambda: web.batch(draft[0]),
    }


def run(project: Path, xlsx: Path, with_pdf: bool) -> pipeline.RunResult:
    """Run the pipeline on ``xlsx`` in a fresh ``project`` folder with a fresh ledger."""
    project.mkdir()
    request = pipeline.RunRequest(
        cwd=project, today=TODAY, inputs=(xlsx,), pdf=with_pdf, ledger=project / "ledger.db"
    )
    result = pipeline.run(request, lambda report: None)
    assert result.batch_dir is not None and result.batch is not None
    return result


def make_batch(project: Path) -> tuple[list[Path], Callable[[Path], Path]]:
    """Write the batch's four documents as ``run --no-pdf`` does; return them and a writer of
    the list-1 .docx (as the page renders it for the preview)."""
    xlsx = project.parent / "signers.xlsx"
    write_signers_xlsx(xlsx, SIGNERS)
    result = run(project, xlsx, with_pdf=False)
    assert result.batch_dir is not None and result.batch is not None
    batch = result.batch
    campaign = batch.campaign

    def first_list(out: Path) -> Path:
        docx = out / "list-1.docx"
        petitions.render_petitions(
            campaign.template, campaign, batch.pages[:1], batch.name, docx, total=len(batch.pages)
        )
        return docx

    return [result.batch_dir / f"{name}.docx" for name in DOCUMENTS], first_list


def cases(
    work: Path,
    repetition: int,
    docs: list[Path],
    first_list: Callable[[Path], Path],
    warm: office.WarmOffice,
) -> dict[str, Callable[[], object]]:
    """Return the timed calls of one repetition, each writing into a fresh folder."""
    folders = {case: work / f"{case.replace(' ', '-')}-{repetition}" for case, _what in CASES}
    for case, folder in folders.items():
        if not case.endswith(" run"):
            folder.mkdir()
    xlsx = work / "signers.xlsx"

    def warm_run() -> None:
        result = run(folders["warm run"], xlsx, with_pdf=False)
        assert result.batch_dir is not None
        warm.convert([result.batch_dir / f"{name}.docx" for name in DOCUMENTS], result.batch_dir)

    def cold_batch() -> None:
        out = folders["cold batch"]
        pdf.convert_all_to_pdf([(docx, out / f"{docx.stem}.pdf") for docx in docs])

    def warm_preview() -> bytes:
        out = folders["warm preview"]
        return office.preview_png(warm, first_list(out), out, png=out / "page-1.png")

    def range_preview() -> bytes:
        out = folders["warm range preview"]
        return office.preview_png(warm, docs[0], out, png=out / "page-1.png")

    def cold_preview() -> None:
        out = folders["cold preview"]
        docx = first_list(out)
        pdf.convert_to_pdf(docx, out / "list-1.pdf")
        (out / "page-1.png").write_bytes(office.pdf_page_png(out / "list-1.pdf"))

    return {
        "cold run": lambda: run(folders["cold run"], xlsx, with_pdf=True),
        "warm run": warm_run,
        "cold batch": cold_batch,
        "warm batch": lambda: warm.convert(docs, folders["warm batch"]),
        "warm preview": warm_preview,
        "warm range preview": range_preview,
        "cold preview": cold_preview,
    }


def check_pages(work: Path, found: WarmResults) -> list[str]:
    """Return a problem for every PDF whose page count is not what the batch has."""
    problems = []
    expected = {"petition-lists": SIGNERS // 5, "list-1": 1}
    made_pdfs = [
        *work.glob("*-1/*.pdf"),
        *work.glob("*-run-1/outputs/*/*.pdf"),
        *work.glob("web/outputs/*/*.pdf"),
    ]
    for made in sorted(made_pdfs):
        pages = len(PdfReader(made).pages)
        folder = made.relative_to(work).parts[0]
        shown = made.relative_to(work) if folder == "web" else f"{folder}/{made.name}"
        found.pages[str(shown)] = pages
        want = 1 if "preview" in folder else expected.get(made.stem)
        if want is not None and pages != want:
            problems.append(f"warm: {folder}/{made.name} has {pages} pages, not {want}")
        if "preview" in folder and not (made.parent / "page-1.png").is_file():
            problems.append(f"warm: {folder} made no PNG")
    return problems


def print_warm(found: WarmResults, repeat: int) -> None:
    """Print the warm and cold times, medians first, and the ratios the page depends on."""
    print(f"\nLibreOffice warm (the web page) and cold (the CLI), {SIGNERS} signers "
          f"({SIGNERS // 5} lists), median of {repeat}")  # fmt: skip
    if found.skipped:
        print(f"skipped: {found.skipped}")
        return
    width = max(len(what) for _case, what in CASES)
    print(f"{'what':<{width}} {'median s':>9} {'min s':>7}")
    print("-" * (width + 18))
    for case, what in CASES:
        seconds = found.seconds.get(case)
        if seconds:
            print(f"{what:<{width}} {statistics.median(seconds):9.2f} {min(seconds):7.2f}")
    for case, seconds in found.once.items():
        print(f"{case + ', once':<{width}} {seconds:9.2f}")
    medians = {case: statistics.median(s) for case, s in found.seconds.items() if s}
    if {"cold run", "warm run"} <= medians.keys():
        print(f"cold run / warm run: {medians['cold run'] / medians['warm run']:.2f}")
    if {"cold batch", "warm batch"} <= medians.keys():
        print(f"cold batch / warm batch: {medians['cold batch'] / medians['warm batch']:.2f}")
    if {"cold preview", "warm preview"} <= medians.keys():
        ratio = medians["cold preview"] / medians["warm preview"]
        print(f"cold preview / warm preview: {ratio:.2f}")
    if {"cold run", "web batch"} <= medians.keys():
        print(f"cold run / web batch: {medians['cold run'] / medians['web batch']:.2f}")
    if found.web_skipped:
        print(f"web page skipped: {found.web_skipped}")
    for case, limit, what in TARGETS:
        met = found.met(case, limit)
        if met is not None:
            print(f"issue 16, {what}: {medians[case]:.2f} s - {'yes' if met else 'no'}")
