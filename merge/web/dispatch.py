"""Dispatch of one batch: its envelopes, mark them mailed, discard them, purge the batch.

The page calls what ``mark-mailed``, ``discard`` and ``purge`` call (:mod:`merge.track`), with
their refusals and their history: the page and the CLI keep one ledger the same way. Forms
carry envelope numbers only; a confirmation page says in envelope numbers and counts, never
in names, whose signatures a discard releases.

A done action answers with a redirect (303) to the dispatch page (POST/redirect/GET), so
reloading or going back never sends it again. What it did can name the person who mailed:
it stays on the server, kept for one showing under a random token the redirect's address
carries (``?done=TOKEN``), never in an address.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from merge.batch import MANIFEST
from merge.errors import InputError, LedgerError, UsageError
from merge.i18n import _, ngettext
from merge.i18n.conventions import format_date
from merge.post.data import bundled_postage
from merge.post.money import format_eur
from merge.track.checklist import MAILED_ON
from merge.track.checklist_read import parse_date, read_checklist
from merge.track.discard import check_group, discard
from merge.track.ledger import BatchSummary, Change, EnvelopeState, of_group
from merge.track.mark_mailed import FieldNames, mark_mailed
from merge.track.purge import purge, purgeable
from merge.web.downloads import batch_summary
from merge.web.site import Site, site_of
from merge.web.uploads import UploadError, safe_name

_REFUSED = (LedgerError, UsageError, InputError)  # what the commands print as one line
CHECKLIST_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")  # what read_checklist opens
KEPT_RESULTS = 100  # done actions kept for their page; an older one not yet shown is dropped


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
    """The envelopes of one batch, with the forms to mark, discard and purge; after an
    action, what it did (once: a reload shows the page alone)."""
    site = site_of(request)
    summary = await run_in_threadpool(batch_summary, site, request.path_params["name"])
    done = _take_result(request, summary.name, request.query_params.get("done", ""))
    return _page(site, summary, done=done)


async def to_dispatch(request: Request) -> Response:
    """Answer a GET of a form's address (a reload, an address typed or kept) with the
    dispatch page: the action is never repeated."""
    return RedirectResponse(_dispatch_address(request.path_params["name"]), status_code=303)


def _dispatch_address(name: str, token: str = "") -> str:
    address = f"/batches/{quote(name, safe='')}/dispatch"
    return f"{address}?done={token}" if token else address


def _results(request: Request) -> dict[str, tuple[str, list[str]]]:
    """The done actions not yet shown, by token: the server's, in its memory only.

    Handlers touch it in the event loop only (never in a thread), so no lock is needed.
    """
    state = request.app.state
    if not hasattr(state, "dispatch_results"):
        state.dispatch_results = {}
    results: dict[str, tuple[str, list[str]]] = state.dispatch_results
    return results


def _done(request: Request, batch: str, lines: list[str]) -> Response:
    """Keep what an action did for the page it redirects to; redirect there (303)."""
    results = _results(request)
    token = secrets.token_urlsafe(16)
    results[token] = (batch, lines)
    while len(results) > KEPT_RESULTS:  # a page never opened: the oldest goes
        del results[next(iter(results))]
    return RedirectResponse(_dispatch_address(batch, token), status_code=303)


def _take_result(request: Request, batch: str, token: str) -> list[str]:
    """What the action of ``token`` did to ``batch``, once; nothing for an old token."""
    results = _results(request)
    kept = results.get(token)
    if kept is None or kept[0] != batch:
        return []
    del results[token]
    return kept[1]


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
    manifest = _manifest(summary)
    planned = _planned_day(manifest, summary, today)
    return site.page(
        "dispatch.html",
        status,
        nav="batches",
        step=0,
        batch=summary,
        rows=_rows(summary, manifest),
        error=error,
        done=done or [],
        values=values or {"day": format_date(planned) if planned else "", "by": ""},
        chosen=chosen,
        example_date=format_date(today),
        open_envelopes=summary.count("prepared"),
        fields=field_names(),
        mailed_on_column=_(MAILED_ON),
        own=of_group(summary, site.own_group),  # another group's batch: no discard offered
    )


def _manifest(summary: BatchSummary) -> dict[str, Any]:
    """The batch's manifest.json (empty if it cannot be read: the page then says less)."""
    try:
        data = json.loads((summary.folder / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _planned_day(
    manifest: Mapping[str, Any], summary: BatchSummary, today: dt.date
) -> dt.date | None:
    """The day the batch was planned to be mailed (its manifest's dispatch.mail_date), to
    prefill the form with; None (empty: today) if it is unknown, after today or before the
    batch was prepared."""
    try:
        day = dt.date.fromisoformat(str(manifest["dispatch"]["mail_date"]))
    except (KeyError, TypeError, ValueError):
        return None
    return day if summary.prepared_on <= day <= today else None


def _rows(summary: BatchSummary, manifest: Mapping[str, Any]) -> list[Row]:
    """The envelopes with their lists and postage, as the batch's manifest has them."""
    try:
        planned = {int(e["number"]): e for e in manifest["envelopes"]}
        names = _product_names(str(manifest["postage"]["service"]))
    except (KeyError, TypeError, ValueError):
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


def _ranges(numbers: list[int], dash: str = "–", comma: str = ", ") -> str:
    """Say list or envelope numbers as ranges: [1, 2, 3, 5] is "1–3, 5" (an en dash); with
    ``dash="-", comma=","`` as mark-mailed and an address take them: "1-3,5"."""
    runs: list[list[int]] = []
    for n in sorted(set(numbers)):
        if runs and runs[-1][1] == n - 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    return comma.join(str(a) if a == b else f"{a}{dash}{b}" for a, b in runs) or "-"


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
    """Name envelopes as mark-mailed and discard take them: BATCH:1-3,5."""
    return f"{name}:{_ranges(numbers, dash='-', comma=',')}"


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
        return _done(request, summary.name, _change_lines(marked))
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
            group=site.own_group,
        )
    except _REFUSED as err:
        return _page(site, summary, status=400, error=str(err), values=values, chosen=chosen)
    return _done(request, summary.name, _change_lines(changes))


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
            # A batch renamed when its group's ledger was migrated (ledger migrate --rename)
            # keeps its folder's name, which its printed checklist says.
            if batch not in (summary.name, summary.folder.name):
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
                site.ledger,
                [],
                path,
                day,
                by,
                today=site.today(),
                correct=correct,
                fields=fields,
                group=site.own_group,
                batch=summary.name,
            )
        except _REFUSED as err:  # said of the file as it was sent, not of the copy
            return [], str(err).replace(f"{folder}{os.sep}", "")
    return changes, ""


def _no_choice() -> str:
    return _("Tick at least one envelope first - nothing was changed.")


async def discard_page(request: Request) -> Response:
    """Discard the ticked envelopes (or the whole batch) once asked; else go to the question."""
    site = site_of(request)
    summary = await run_in_threadpool(batch_summary, site, request.path_params["name"])
    async with request.form(max_files=0, max_fields=2000) as form:
        whole = form.get("whole") == "1"
        numbers = [e.number for e in summary.envelopes] if whole else _numbers(form, summary)
        confirmed = form.get("confirm") == "1"
    if not numbers:
        return _page(site, summary, status=400, error=_no_choice())
    if not confirmed:  # the question has an address of its own: reload and back show it again
        query = "whole=1" if whole else "envelopes=" + _ranges(numbers, dash="-", comma=",")
        address = f"/batches/{quote(summary.name, safe='')}/discard?{query}"
        return RedirectResponse(address, status_code=303)
    if not _to_discard(summary, numbers):
        return _page(site, summary, status=400, error=_nothing_to_discard(numbers))
    spec = summary.name if whole else _spec(summary.name, numbers)
    try:
        changes = await run_in_threadpool(discard, site.ledger, spec, site.today(), site.own_group)
    except _REFUSED as err:
        return _page(site, summary, status=400, error=str(err))
    return _done(request, summary.name, _change_lines(changes))


async def discard_question(request: Request) -> Response:
    """Ask before discarding the envelopes the address names (?envelopes=1,3-4 or ?whole=1),
    in numbers and counts; without them, the dispatch page."""
    site = site_of(request)
    summary = await run_in_threadpool(batch_summary, site, request.path_params["name"])
    whole = request.query_params.get("whole") == "1"
    asked = request.query_params.get("envelopes")
    if not whole and asked is None:
        return RedirectResponse(_dispatch_address(summary.name), status_code=303)
    numbers = [e.number for e in summary.envelopes] if whole else _asked(asked or "", summary)
    if not numbers:
        return _page(site, summary, status=400, error=_no_choice())
    try:
        check_group(summary, site.own_group)  # refused before it is asked, not after
    except LedgerError as err:
        return _page(site, summary, status=400, error=str(err))
    to_discard = _to_discard(summary, numbers)
    if not to_discard:  # e.g. back to the question after discarding
        return _page(site, summary, status=400, error=_nothing_to_discard(numbers))
    return site.page(
        "discard.html",
        nav="batches",
        step=0,
        batch=summary,
        numbers=numbers,
        whole=whole,
        discarded=_discarded_text(to_discard),
        signers=sum(e.signers for e in to_discard),
        kept=_kept_text([n for n in numbers if n not in {e.number for e in to_discard}]),
    )


def _asked(value: str, summary: BatchSummary) -> list[int] | None:
    """The envelope numbers of a question's address ("1,3-4"; None: not of this batch)."""
    known = {e.number for e in summary.envelopes}
    numbers: set[int] = set()
    for part in value.split(","):
        first, _dash, last = part.partition("-")
        if not first.isdigit() or not (last or first).isdigit():
            return None
        low, high = int(first), int(last or first)
        if not 1 <= low <= high <= max(known, default=0):  # checked before it is expanded
            return None
        numbers.update(range(low, high + 1))
    return sorted(numbers) if numbers <= known else None


def _to_discard(summary: BatchSummary, numbers: list[int]) -> list[EnvelopeState]:
    """The envelopes of ``numbers`` a discard changes: those not yet mailed or discarded."""
    chosen = set(numbers)
    return [e for e in summary.envelopes if e.number in chosen and e.state == "prepared"]


def _discarded_text(envelopes: list[EnvelopeState]) -> str:
    """Say which envelopes a discard takes, by number, and their lists: "Envelopes 1, 3–4
    (5 lists) will be discarded." """
    lists = sum(e.lists for e in envelopes)
    return ngettext(
        "Envelope {numbers} ({lists}) will be discarded.",
        "Envelopes {numbers} ({lists}) will be discarded.",
        len(envelopes),
    ).format(
        numbers=_ranges([e.number for e in envelopes]),
        lists=ngettext("{n} list", "{n} lists", lists).format(n=lists),
    )


def _kept_text(numbers: list[int]) -> str:
    """Say which ticked envelopes a discard leaves as they are ("" if none)."""
    if not numbers:
        return ""
    return ngettext(
        "Envelope {numbers} stays as it is (already mailed or discarded).",
        "Envelopes {numbers} stay as they are (already mailed or discarded).",
        len(numbers),
    ).format(numbers=_ranges(numbers))


def _nothing_to_discard(numbers: list[int]) -> str:
    return ngettext(
        "Envelope {numbers} is already mailed or discarded - nothing was changed.",
        "Envelopes {numbers} are already mailed or discarded - nothing was changed.",
        len(numbers),
    ).format(numbers=_ranges(numbers))


async def purge_page(request: Request) -> Response:
    """Delete the names and addresses of a mailed batch once asked; else go to the question."""
    site = site_of(request)
    summary = await run_in_threadpool(batch_summary, site, request.path_params["name"])
    async with request.form(max_files=0, max_fields=10) as form:
        confirmed = form.get("confirm") == "1"
    batches, refusal = await _purgeable(site, summary)
    if refusal:
        return refusal
    if not confirmed:  # the question has an address of its own: reload and back show it again
        address = f"/batches/{quote(summary.name, safe='')}/purge?ask=1"
        return RedirectResponse(address, status_code=303)
    removed = await run_in_threadpool(purge, site.ledger, batches, site.today())
    done = ngettext(
        "Purged {names}: removed {n} file.", "Purged {names}: removed {n} files.", len(removed)
    ).format(names=summary.name, n=len(removed))
    return _done(request, summary.name, [done])


async def purge_question(request: Request) -> Response:
    """Ask before deleting the names and addresses (?ask=1); without it, the dispatch page."""
    site = site_of(request)
    summary = await run_in_threadpool(batch_summary, site, request.path_params["name"])
    if request.query_params.get("ask") != "1":
        return RedirectResponse(_dispatch_address(summary.name), status_code=303)
    _batches, refusal = await _purgeable(site, summary)
    return refusal or site.page("purge.html", nav="batches", step=0, batch=summary)


async def _purgeable(
    site: Site, summary: BatchSummary
) -> tuple[list[BatchSummary], Response | None]:
    """The batches a purge of this one deletes from, or the dispatch page saying why none."""
    try:
        batches = await run_in_threadpool(purgeable, site.ledger, summary.name, site.own_group)
    except _REFUSED as err:
        return [], _page(site, summary, status=400, error=str(err))
    if not batches:
        text = _("Nothing to purge: no fully mailed batch that still holds personal data.")
        return [], _page(site, summary, status=400, error=text)
    return batches, None
