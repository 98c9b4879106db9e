"""Word documents -> PDF with headless LibreOffice, large ones in parallel parts.

LibreOffice always runs with its own throwaway profile, so it neither clashes with a
LibreOffice the user has open nor depends on their settings, and parallel runs do not
collide. It is the slow step of a large batch: the petition lists are then rendered in parts,
converted by one LibreOffice process per core and joined with pypdf.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from pypdf import PdfReader, PdfWriter

from merge.atomic import write_atomically
from merge.errors import OutputError, os_reason
from merge.i18n import N_, _, ngettext
from merge.render import find_office
from merge.reporter import Report, Reporter, ignore

# Shown through _() where it is said.
_CANNOT = N_(
    "LibreOffice could not convert {file}: {reason} - try again with --no-pdf to keep the "
    ".docx only"
)
INSTALL_HINT = find_office.INSTALL_HINT  # this platform's

# A LibreOffice start costs seconds, so a large PDF is made in as few parts as there are
# cores; only very large batches get more parts, to bound each soffice's memory.
PARALLEL_FROM_PAGES = 250  # smaller documents are converted whole
PAGES_PER_PART = 2500  # at most this many lists per LibreOffice conversion
PROGRESS_TEXT = N_("PDF pages")  # what the progress reports count (shown through _())

Converter = Callable[[Sequence[tuple[Path, Path]]], None]
"""What converts a batch's (.docx, .pdf) pairs, each PDF written atomically, raising one
OutputError line on failure: :func:`convert_all_to_pdf` (a LibreOffice started for the call, as
the CLI does) or ``WarmOffice.convert_pairs`` (one kept running, as the web page does)."""


def find_soffice() -> str | None:
    """Return the LibreOffice executable, or None if it is not installed.

    Looked for where its installers put it, not only on PATH (merge/render/find_office.py).
    """
    return find_office.find_soffice()


def convert_to_pdf(docx: Path, pdf: Path, timeout: float = 300) -> None:
    """Convert a .docx to PDF with headless LibreOffice, written atomically."""
    convert_all_to_pdf([(docx, pdf)], timeout)


def convert_all_to_pdf(pairs: Sequence[tuple[Path, Path]], timeout: float = 300) -> None:
    """Convert several .docx files to PDFs in one LibreOffice start, each written atomically.

    LibreOffice runs with its own throwaway profile, so it neither clashes with a LibreOffice
    the user has open nor depends on their settings. One start for all files saves its
    start-up time (seconds) per file.
    """
    soffice = find_soffice()
    first = pairs[0][0]
    if soffice is None:
        raise OutputError(
            _(
                "{file}: LibreOffice not found - {install}, or try again with --no-pdf to keep "
                "the .docx only"
            ).format(file=first, install=_(INSTALL_HINT))
        )
    with tempfile.TemporaryDirectory(prefix="petition-merge-soffice-") as work:
        outdir = Path(work) / "out"
        command = soffice_command(
            soffice, Path(work) / "profile", outdir, [docx for docx, _pdf in pairs]
        )
        try:
            result = subprocess.run(
                command, capture_output=True, text=True, timeout=timeout, check=False
            )
        except subprocess.TimeoutExpired as err:
            raise OutputError(
                _(
                    "LibreOffice could not convert {file}: no result after {seconds} s - try "
                    "again with --no-pdf to keep the .docx only"
                ).format(file=first, seconds=f"{timeout:.0f}")
            ) from err
        except OSError as err:
            raise OutputError(_(_CANNOT).format(file=first, reason=os_reason(err))) from err
        for docx, pdf in pairs:
            produced = outdir / f"{docx.stem}.pdf"
            if result.returncode != 0 or not produced.is_file():
                # LibreOffice's own words (its stderr) only for a bug report: PETITION_MERGE_DEBUG
                if result.returncode != 0:
                    reason = _("exit {code}").format(code=result.returncode)
                else:
                    reason = _("no PDF came out")
                raise OutputError(_(_CANNOT).format(file=docx, reason=reason)) from RuntimeError(
                    result.stderr.strip()
                )
            write_atomically(pdf, functools.partial(shutil.copyfile, produced))


def soffice_command(
    soffice: str, profile: Path, outdir: Path, documents: Sequence[Path]
) -> list[str]:
    """Return the headless LibreOffice command that converts ``documents`` to PDF in ``outdir``."""
    return [
        soffice,
        f"-env:UserInstallation={profile.resolve().as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        "pdf",
        "--outdir",
        str(outdir),
        *(str(document.resolve()) for document in documents),
    ]


def convert_in_parts(
    write_part: Callable[[int, int, Path], None],
    pages: int,
    pdf: Path,
    *,
    workers: int | None = None,
    reporter: Reporter = ignore,
    timeout: float = 600,
) -> None:
    """Make one PDF of ``pages`` pages from parts converted side by side, joined in order.

    ``write_part(first, last, docx)`` writes the .docx of pages ``first`` to ``last - 1``.
    One LibreOffice process per core (``workers``) converts one part at a time; the joined
    PDF must have exactly ``pages`` pages, in order.
    """
    workers = workers or os.cpu_count() or 1
    count = max(workers, -(-pages // PAGES_PER_PART))
    size = -(-pages // count)
    bounds = [(first, min(first + size, pages)) for first in range(0, pages, size)]
    done = 0
    counted = _(PROGRESS_TEXT)
    reporter(Report.progress(done, pages, counted))
    with tempfile.TemporaryDirectory(prefix="petition-merge-parts-") as work:
        folder = Path(work)

        def convert(part: int) -> Path:
            first, last = bounds[part]
            docx = folder / f"part-{part:05d}.docx"
            write_part(first, last, docx)
            convert_to_pdf(docx, docx.with_suffix(".pdf"), timeout)
            docx.unlink()
            return docx.with_suffix(".pdf")

        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(convert, part) for part in range(len(bounds))]
            parts = []
            for (first, last), future in zip(bounds, futures, strict=True):
                parts.append(future.result())
                done += last - first
                reporter(Report.progress(done, pages, counted))
        _join(parts, pdf, pages)


def _join(parts: Sequence[Path], pdf: Path, pages: int) -> None:
    writer = PdfWriter()
    for part in parts:
        writer.append(PdfReader(part))
    if len(writer.pages) != pages:
        raise OutputError(
            ngettext(
                "{file}: LibreOffice made {made} pages for {n} list - a list did not fit on one "
                "page; try again with --no-pdf and report the batch",
                "{file}: LibreOffice made {made} pages for {n} lists - a list did not fit on one "
                "page; try again with --no-pdf and report the batch",
                pages,
            ).format(file=pdf, made=len(writer.pages), n=pages)
        )
    write_atomically(pdf, lambda tmp: writer.write(str(tmp)))
