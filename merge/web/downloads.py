"""A batch's downloads: every file of its folder, a zip of them all, and one PDF to print.

A batch is found by its name in the ledger (which knows its folder, also one made with
``run --out``); a file only by a name the folder holds, so no address reaches outside it.
The zip and the print PDF are made for the download in a private temporary file, deleted
once sent; the batch folder stays as ``run`` made it.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, Response

from merge.batch import (
    CHECKLIST,
    COUNTER_DOCX,
    ENVELOPES_DOCX,
    LABELS_DOCX,
    LISTS_DOCX,
    MANIFEST,
)
from merge.errors import LedgerError
from merge.i18n import _, ngettext
from merge.i18n.conventions import format_date
from merge.post.money import format_eur
from merge.render.pdf import INSTALL_HINT, find_soffice
from merge.track.ledger import BatchSummary, existing_ledger
from merge.web.printing import PRINT_ORDER, named, paper_guide, read_manifest
from merge.web.site import Site, site_of

_SHOWN_ORDER = (*PRINT_ORDER, LISTS_DOCX, LABELS_DOCX, ENVELOPES_DOCX, COUNTER_DOCX, CHECKLIST,
                MANIFEST)  # fmt: skip


def batch_summary(site: Site, name: str) -> BatchSummary:
    """Return the batch of this name from the ledger, or answer 404."""
    try:
        with existing_ledger(site.ledger) as ledger:
            return ledger.batch(name)
    except LedgerError:
        raise HTTPException(404, "batch") from None


async def _summary(request: Request) -> BatchSummary:
    """The batch the address names (the ledger is read in a thread: a run may hold it)."""
    return await run_in_threadpool(batch_summary, site_of(request), request.path_params["name"])


def batch_files(folder: Path) -> list[Path]:
    """Return the files of a batch folder: the documents in printing order, then the rest."""
    try:
        found = [p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")]
    except OSError:
        return []
    order = {name: index for index, name in enumerate(_SHOWN_ORDER)}
    return sorted(found, key=lambda p: (order.get(p.name, len(order)), p.name))


async def batch_page(request: Request) -> Response:
    """The downloads of one batch."""
    site = site_of(request)
    summary = await _summary(request)
    files = batch_files(summary.folder)
    paths = {path.name: path for path in files}
    printable = [name for name in PRINT_ORDER if name in paths]
    manifest = read_manifest(summary.folder)
    guide = await run_in_threadpool(paper_guide, [paths[name] for name in printable], manifest)
    if printable:
        no_pdf = ""
    elif find_soffice() is None:
        no_pdf = _("no PDF: LibreOffice is not installed - {hint}").format(hint=_(INSTALL_HINT))
    else:
        no_pdf = _(
            "This batch was made without PDFs: print its .docx files with Word or LibreOffice."
        )
    return site.page(
        "batch.html",
        nav="batches",
        step=0,  # also reached from the status page: no steps of a new batch
        batch=summary,
        files=[(path.name, named(path.name, manifest), _size(path)) for path in files],
        printable=[named(name, manifest) for name in printable],
        guide=guide,
        no_pdf=no_pdf,
        gone=not summary.folder.is_dir(),
        post=_post_line(manifest),
        mail_date=_mail_date(manifest),
    )


def _size(path: Path) -> str:
    kb = max(1, round(path.stat().st_size / 1000))
    return f"{kb} kB"


def _mail_date(manifest: dict[str, Any]) -> str:
    """Return the day of posting the batch was priced for, as the page writes dates."""
    try:
        return format_date(dt.date.fromisoformat(manifest["dispatch"]["mail_date"]))
    except (KeyError, TypeError, ValueError):
        return ""


def _post_line(manifest: dict[str, Any]) -> str:
    """Say what the batch's post costs, as run says it: envelopes, stamps, postage."""
    try:
        postage = manifest["postage"]
        totals = postage["totals"]
        stamps = ", ".join(
            f"{stamp['count']} x {format_eur(Decimal(str(stamp['value_eur'])))}"
            for stamp in totals["stamps"]
        )
        n = int(totals["envelopes"])
        prices = _("prices {name}").format(name=postage["price_period"]["name"])
        total = format_eur(Decimal(str(totals["cost_eur"])))
    except (ValueError, KeyError, TypeError, ArithmeticError):
        return ""
    line = ngettext(
        "{n} envelope; stamps: {stamps}; postage {total} ({prices})",
        "{n} envelopes; stamps: {stamps}; postage {total} ({prices})",
        n,
    )
    return line.format(n=n, stamps=stamps, total=total, prices=prices)


async def batch_file(request: Request) -> Response:
    """One file of a batch folder, as a download."""
    summary = await _summary(request)
    wanted = request.path_params["file"]
    for path in batch_files(summary.folder):
        if path.name == wanted:
            return FileResponse(path, filename=path.name)
    raise HTTPException(404, "file")


async def batch_zip(request: Request) -> Response:
    """Every file of the batch folder in one zip."""
    summary = await _summary(request)
    files = batch_files(summary.folder)
    if not files:
        raise HTTPException(404, "files")
    path = await run_in_threadpool(_zip, summary.name, files)
    return _temporary_download(path, f"{summary.name}.zip")


def _zip(name: str, files: list[Path]) -> Path:
    path = _private_temp(".zip")
    try:
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for file in files:
                archive.write(file, f"{name}/{file.name}")
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


async def print_pdf(request: Request) -> Response:
    """The batch's PDFs joined into one, in printing order."""
    summary = await _summary(request)
    names = {path.name: path for path in batch_files(summary.folder)}
    parts = [names[name] for name in PRINT_ORDER if name in names]
    if not parts:
        raise HTTPException(404, "pdf")
    path = await run_in_threadpool(_join_pdfs, parts)
    return _temporary_download(path, f"{summary.name}-print.pdf")


def _join_pdfs(parts: list[Path]) -> Path:
    from pypdf import PdfWriter

    path = _private_temp(".pdf")
    try:
        writer = PdfWriter()
        for part in parts:
            writer.append(str(part))
        with path.open("wb") as out:
            writer.write(out)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


def _private_temp(suffix: str) -> Path:
    """A new temporary file only its owner may read (it holds names and addresses)."""
    handle, name = tempfile.mkstemp(prefix="petition-merge-", suffix=suffix)
    os.close(handle)
    return Path(name)


def _temporary_download(path: Path, filename: str) -> Response:
    return FileResponse(
        path, filename=filename, background=BackgroundTask(path.unlink, missing_ok=True)
    )
