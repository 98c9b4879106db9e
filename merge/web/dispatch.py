"""Dispatch of one batch: its envelopes, mark them mailed, discard them, purge the batch.

The page calls what ``mark-mailed``, ``discard`` and ``purge`` call (:mod:`merge.track`), with
their refusals and their history: the page and the CLI keep one ledger the same way. Forms
carry envelope numbers only; a confirmation page says in counts, never in names, whose
signatures a discard releases.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from merge.batch import MANIFEST
from merge.errors import InputError, LedgerError, UsageError
from merge.i18n import _, ngettext
from merge.i18n.conventions import format_date
from merge.post.data import bundled_postage
from merge.post.money import format_eur
from merge.track.checklist_read import parse_date
from merge.track.discard import discard
from merge.track.ledger import BatchSummary, Change, EnvelopeState
from merge.track.mark_mailed import FieldNames, mark_mailed
from merge.track.purge import purge, purgeable
from merge.web.downloads import batch_summary
from merge.web.site import Site, site_of

_REFUSED = (LedgerError, UsageError, InputError)  # what the commands print as one line


def field_names() -> FieldNames:
    """The form's fields as its labels name them, for the refusals of mark-mailed."""
    return FieldNames(day=_("Mailed on"), correct=_("Correct the record"))


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
    async with request.form(max_files=0, max_fields=2000) as form:
        numbers = _numbers(form, summary)
        day_text = str(form.get("day") or "").strip()
        by = " ".join(str(form.get("by") or "").split())
        correct = form.get("correct") == "1"
    values = {"day": day_text, "by": by, "correct": "1" if correct else ""}
    chosen = frozenset(numbers or ())
    if not numbers:
        return _page(site, summary, status=400, error=_no_choice(), values=values)
    today = site.today()
    fields = field_names()
    try:
        day = parse_date(day_text) if day_text else today
    except ValueError as err:  # named as mark-mailed names --date
        error = _("{where}: {message}").format(where=fields.day, message=err)
        return _page(site, summary, status=400, error=error, values=values, chosen=chosen)
    try:
        changes = await run_in_threadpool(
            mark_mailed,
            site.ledger,
            [_spec(summary.name, numbers)],
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
