"""Dispatch of one batch: its envelopes, mark them mailed, discard them, purge the batch.

The page calls what ``mark-mailed``, ``discard`` and ``purge`` call (:mod:`merge.track`), with
their refusals and their history: the page and the CLI keep one ledger the same way. Forms
carry envelope numbers only; a confirmation page says in counts, never in names, whose
signatures a discard releases.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import Response

from merge.batch import MANIFEST
from merge.errors import InputError, LedgerError, UsageError
from merge.i18n import _, ngettext
from merge.i18n.conventions import format_date
from merge.post.data import bundled_postage
from merge.post.money import format_eur
from merge.track.checklist import MAILED_ON
from merge.track.checklist_read import parse_date, read_checklist
from merge.track.discard import discard
from merge.track.ledger import BatchSummary, Change, EnvelopeState
from merge.track.mark_mailed import FieldNames, mark_mailed
from merge.track.purge import purge, purgeable
from merge.web.downloads import batch_summary
from merge.web.site import Site, site_of
from merge.web.uploads import UploadError, safe_name

_REFUSED = (LedgerError, UsageError, InputError)  # what the commands print as one line
CHECKLIST_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")  # what read_checklist opens


def field_names(checklist: bool = False) -> FieldNames:
    """The form's fields as its labels name them, for the refusals of mark-mailed (the
    checklist form's day is for ticks without a date)."""
    day = _("Day for ticks without a date") if checklist else _("Mailed on")
    return FieldNames(day=day, correct=_("Correct the record"))


@dataclass(frozen=True)
class Row:
    """One envelope as the page lists it."""

    envelope: EnvelopeState
    lists: str  # the list numbers in it: "1-3"
    product: str  # the postage product and its price: "Standardbrief, 0,95 €"


async def dispatch_page(request: Request) -> Response:
    """The envelopes of one batch, with the forms to mark, discard and purge."""
    site = site_of(request)
    summary = await run_in_threadpool(batch_summary, site, request.path_params["name"])
    return _page(site, summary)


def _page(
    site: Site,
    summary: BatchSummary,
    *,
    status: int = 200,
    error: str = "",
    done: list[str] | None = None,
    values: Mapping[str, str] | None = None,
    chosen: frozenset[int] = frozenset(),
) -> Response:
    today = site.today()
    return site.page(
        "dispatch.html",
        status,
        nav="batches",
        step=0,
        batch=summary,
        rows=_rows(summary),
        error=error,
        done=done or [],
        values=values or {"day": format_date(today), "by": ""},
        chosen=chosen,
        example_date=format_date(today),
        open_envelopes=summary.count("prepared"),
        fields=field_names(),
        mailed_on_column=_(MAILED_ON),
    )


def _rows(summary: BatchSummary) -> list[Row]:
    """The envelopes with their lists and postage, as the batch's manifest has them."""
    try:
        data: dict[str, Any] = json.loads((summary.folder / MANIFEST).read_text("utf-8"))
        planned = {int(e["number"]): e for e in data["envelopes"]}
        names = _product_names(str(data["postage"]["service"]))
    except (OSError, ValueError, KeyError, TypeError):
        planned, names = {}, {}
    rows = []
    for envelope in summary.envelopes:
        plan = planned.get(envelope.number, {})
        try:
            numbers = [int(n) for n in plan.get("lists", [])]
            product = _("{product}, {price}").format(
                product=names.get(plan["product"], plan["product"]),
                price=format_eur(Decimal(str(plan["price_eur"]))),
            )
        except (KeyError, TypeError, ValueError):
            numbers, product = [], "-"
        rows.append(Row(envelope, _ranges(numbers), product))
    return rows


def _product_names(service: str) -> dict[str, str]:
    """The names of a postage service's products by code ("standard": "Standardbrief")."""
    for found in bundled_postage().services:
        if found.code == service:
            return {product.code: product.name for product in found.products}
    return {}


def _ranges(numbers: list[int]) -> str:
    """Say list numbers as ranges: [1, 2, 3, 5] is "1-3, 5"."""
    parts: list[str] = []
    for n in sorted(numbers):
        if parts and parts[-1].split("-")[-1] == str(n - 1):
            parts[-1] = f"{parts[-1].split('-')[0]}-{n}"
        else:
            parts.append(str(n))
    return ", ".join(parts) or "-"


def _change_lines(changes: list[Change]) -> list[str]:
    """The changes as the CLI prints them: BATCH:ENVELOPE: what."""
    return [f"{c.batch}:{c.envelope}: {c.what}" for c in changes]


def _numbers(form: FormData, summary: BatchSummary) -> list[int] | None:
    """The ticked envelope numbers (None: one is not a number of this batch)."""
    known = {e.number for e in summary.envelopes}
    numbers: set[int] = set()
    for value in form.getlist("envelope"):
        if not isinstance(value, str) or not value.isdigit() or int(value) not in known:
            return None
        numbers.add(int(value))
    return sorted(numbers)


def _spec(name: str, numbers: list[int]) -> str:
    return f"{name}:{','.join(str(n) for n in numbers)}"


async def mark_page(request: Request) -> Response:
    """Record the ticked envelopes as mailed on a day by someone, as mark-mailed does."""
    site = site_of(request)
    summary = await run_in_threadpool(batch_summary, site, request.path_params["name"])
    async with request.form(max_files=1, max_fields=2000) as form:
        upload = form.get("checklist")
        sent = None  # the checklist's form sends a file (an empty field if none was chosen)
        if isinstance(upload, UploadFile):
            sent = (upload.filename or "", await upload.read())
        elif upload is not None:
            sent = ("", b"")
        numbers = _numbers(form, summary)
        day_text = str(form.get("day") or "").strip()
        by = " ".join(str(form.get("by") or "").split())
        correct = form.get("correct") == "1"
    values = {"day": day_text, "by": by, "correct": "1" if correct else ""}
    chosen = frozenset(numbers or ())
    fields = field_names(checklist=sent is not None)
    if not numbers and sent is None:
        return _page(site, summary, status=400, error=_no_choice(), values=values)
    today = site.today()
    try:
        day = parse_date(day_text) if day_text else today
    except ValueError as err:  # named as mark-mailed names --date
        error = _("{where}: {message}").format(where=fields.day, message=err)
        return _page(site, summary, status=400, error=error, values=values, chosen=chosen)
    if sent is not None:
        marked, error = await run_in_threadpool(
            _mark_from_checklist, site, summary, sent, day, by or None, correct, fields
        )
        if error:
            return _page(site, summary, status=400, error=error, values=values)
        fresh = await run_in_threadpool(batch_summary, site, summary.name)
        return _page(site, fresh, done=_change_lines(marked))
    try:
        changes = await run_in_threadpool(
            mark_mailed,
            site.ledger,
            [_spec(summary.name, numbers or [])],  # some: else refused above
            None,
            day,
            by or None,
            today=today,
            correct=correct,
            fields=fields,
        )
    except _REFUSED as err:
        return _page(site, summary, status=400, error=str(err), values=values, chosen=chosen)
    fresh = await run_in_threadpool(batch_summary, site, summary.name)
    return _page(site, fresh, done=_change_lines(changes))


def _mark_from_checklist(
    site: Site,
    summary: BatchSummary,
    sent: tuple[str, bytes],
    day: dt.date,
    by: str | None,
    correct: bool,
    fields: FieldNames,
) -> tuple[list[Change], str]:
    """Mark the envelopes an uploaded dispatch checklist of this batch marks, as
    ``mark-mailed --checklist`` does; return the changes, or nothing and the refusal.

    The upload is read from a private temporary folder (it holds names in its sheet of
    rejected rows) and removed at once; messages name it by the name it was sent with.
    """
    filename, data = sent
    try:
        name = safe_name(filename) if filename else ""
    except UploadError:
        name = ""
    if not data or os.path.splitext(name)[1].lower() not in CHECKLIST_SUFFIXES:
        return [], _(
            "Choose the batch's dispatch checklist (a file ending in {suffixes}) - nothing "
            "was changed."
        ).format(suffixes=", ".join(CHECKLIST_SUFFIXES))
    with tempfile.TemporaryDirectory(prefix="petition-merge-") as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            batch, marks = read_checklist(path)
            if batch != summary.name:
                return [], _(
                    "{file} is the checklist of batch {other}, not of {batch} - upload the "
                    "checklist of batch {batch}, or open the dispatch page of batch {other}"
                ).format(file=name, other=batch, batch=summary.name)
            if not marks:
                return [], _(
                    "{file}: no envelope is marked in '{column}' - write the day each "
                    "envelope was mailed (or an x), save it and upload it again"
                ).format(file=name, column=_(MAILED_ON))
            changes = mark_mailed(
                site.ledger, [], path, day, by, today=site.today(), correct=correct, fields=fields
            )
        except _REFUSED as err:  # said of the file as it was sent, not of the copy
            return [], str(err).replace(f"{folder}{os.sep}", "")
    return changes, ""


def _no_choice() -> str:
    return _("Tick at least one envelope first - nothing was changed.")


async def discard_page(request: Request) -> Response:
    """Ask before discarding the ticked envelopes (or the whole batch); then discard them."""
    site = site_of(request)
    summary = await run_in_threadpool(batch_summary, site, request.path_params["name"])
    async with request.form(max_files=0, max_fields=2000) as form:
        whole = form.get("whole") == "1"
        numbers = [e.number for e in summary.envelopes] if whole else _numbers(form, summary)
        confirmed = form.get("confirm") == "1"
    if not numbers:
        return _page(site, summary, status=400, error=_no_choice())
    if not confirmed:
        chosen = [e for e in summary.envelopes if e.number in set(numbers)]
        to_discard = [e for e in chosen if e.state == "prepared"]
        return site.page(
            "discard.html",
            nav="batches",
            step=0,
            batch=summary,
            numbers=numbers,
            whole=whole,
            envelopes=len(to_discard),
            signers=sum(e.signers for e in to_discard),
            kept=len(chosen) - len(to_discard),
        )
    spec = summary.name if whole else _spec(summary.name, numbers)
    try:
        changes = await run_in_threadpool(discard, site.ledger, spec, site.today())
    except _REFUSED as err:
        return _page(site, summary, status=400, error=str(err))
    fresh = await run_in_threadpool(batch_summary, site, summary.name)
    return _page(site, fresh, done=_change_lines(changes))


async def purge_page(request: Request) -> Response:
    """Ask before deleting the names and addresses of a mailed batch; then delete them."""
    site = site_of(request)
    summary = await run_in_threadpool(batch_summary, site, request.path_params["name"])
    async with request.form(max_files=0, max_fields=10) as form:
        confirmed = form.get("confirm") == "1"
    try:
        batches = await run_in_threadpool(purgeable, site.ledger, summary.name)
    except _REFUSED as err:
        return _page(site, summary, status=400, error=str(err))
    if not batches:
        text = _("Nothing to purge: no fully mailed batch that still holds personal data.")
        return _page(site, summary, status=400, error=text)
    if not confirmed:
        return site.page("purge.html", nav="batches", step=0, batch=summary)
    removed = await run_in_threadpool(purge, site.ledger, batches, site.today())
    done = ngettext(
        "Purged {names}: removed {n} file.", "Purged {names}: removed {n} files.", len(removed)
    ).format(names=summary.name, n=len(removed))
    fresh = await run_in_threadpool(batch_summary, site, summary.name)
    return _page(site, fresh, done=[done])
