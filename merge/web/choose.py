"""New batch and its check: choose the campaign and the spreadsheets, then the dry run.

The check is ``petition-merge run --dry-run`` on the same files: the same accounting, the
same reasons in the same words, every row named by its origin (``file:sheet:row``), and
nothing written.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from markupsafe import Markup
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from merge.batch import batch_order
from merge.campaign import available_campaigns, default_campaign
from merge.errors import MergeError
from merge.i18n import _, ngettext
from merge.read.rows import SPREADSHEET_SUFFIXES
from merge.reporter import Kind, Report
from merge.web.drafts import Draft, input_files
from merge.web.site import SHOWN_ROWS, Site, site_of
from merge.web.uploads import Upload, UploadError, save_uploads

MAX_FILES = 50  # files in one upload
MAX_FIELDS = 1000  # other form fields (one per spreadsheet ticked)

if TYPE_CHECKING:
    from merge.pipeline import RunResult


DRAFT = "draft"  # the first page's query: ?draft=3 ticks that draft's files again
ONLY = "only"  # ... and ?draft=3&only=new leaves out older files its uploads got a number beside
NEWEST = "new"


async def new_batch(request: Request) -> Response:
    """The first page: campaign, the spreadsheets in inputs/, an upload; with ``?draft=N``
    the choice of that draft (going back from its check)."""
    site = site_of(request)
    number = request.query_params.get(DRAFT, "")
    draft = site.drafts.get(int(number)) if number.isascii() and number.isdigit() else None
    if draft is None:
        return _new_page(site)
    files = draft.newest_only if request.query_params.get(ONLY) == NEWEST else draft.files
    return _new_page(site, campaign=draft.campaign, chosen=set(files))


def _new_page(
    site: Site,
    status: int = 200,
    errors: tuple[str, ...] = (),
    campaign: str | None = None,
    chosen: set[str] | None = None,
) -> Response:
    files = input_files(site.workdir)
    return site.page(
        "new.html",
        status,
        nav="new",
        step=1,
        campaigns=available_campaigns(site.workdir),
        campaign=campaign if campaign is not None else default_campaign(site.workdir) or "",
        files=files,
        chosen=set(files) if chosen is None else chosen,
        errors=errors,
        max_files=MAX_FILES,
        suffixes=", ".join(SPREADSHEET_SUFFIXES),
        accept=",".join(SPREADSHEET_SUFFIXES),
    )


async def make_draft(request: Request) -> Response:
    """Save the uploaded spreadsheets into inputs/ and start a draft of the chosen files."""
    site = site_of(request)
    try:
        async with request.form(max_files=MAX_FILES, max_fields=MAX_FIELDS) as form:
            campaign = str(form.get("campaign") or "")
            chosen = {value for value in form.getlist("file") if isinstance(value, str)}
            uploads = [
                Upload(value.filename, value.file)
                for value in form.getlist("upload")
                if isinstance(value, UploadFile) and value.filename  # "" when none was chosen
            ]
            errors = _check_choice(site, campaign, chosen, uploads)
            if errors:
                return _new_page(site, 400, errors, campaign, chosen)
            try:
                saved = await run_in_threadpool(save_uploads, site.workdir, uploads)
            except UploadError as err:
                return _new_page(site, 400, (str(err),), campaign, chosen)
    except HTTPException as err:  # the form parser's refusals (too many files, broken form)
        return _new_page(site, 400, (_form_refusal(err),), None, None)
    wanted = chosen | {item.name for item in saved}
    files = tuple(name for name in input_files(site.workdir) if name in wanted)
    draft = site.drafts.add(campaign, files, tuple(saved))
    return RedirectResponse(f"/drafts/{draft.number}/check", status_code=303)


def _check_choice(
    site: Site, campaign: str, chosen: set[str], uploads: list[Upload]
) -> tuple[str, ...]:
    errors: list[str] = []
    if campaign not in available_campaigns(site.workdir):
        errors.append(_("Choose a campaign."))
    if chosen - set(input_files(site.workdir)):
        errors.append(_("A spreadsheet you ticked is no longer in inputs/ - tick the files again."))
    if not chosen and not uploads:
        errors.append(_("Tick a spreadsheet in inputs/ or upload one."))
    return tuple(errors)


def _form_refusal(err: HTTPException) -> str:
    if str(err.detail).startswith("Too many files"):
        return _("Too many files at once: upload at most {n} in one go.").format(n=MAX_FILES)
    return _("The form could not be read - reload the page and send it again.")


@dataclass(frozen=True)
class Checked:
    """A dry run's result, or the one line that stopped it; with its notes and warnings."""

    result: RunResult | None = None
    error: str = ""
    notes: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


def dry_run(site: Site, draft: Draft) -> Checked:
    """Run the draft as ``run --dry-run`` would: read and account, write nothing."""
    from merge.pipeline import RunRequest, no_signers_error, run

    reports: list[Report] = []
    request = RunRequest(
        cwd=site.workdir,
        today=site.today(),
        inputs=draft.inputs,
        dry_run=True,
        campaign=draft.campaign,
        ledger=site.ledger_option,
        group=site.group,
    )
    try:
        result = run(request, reports.append)
    except MergeError as err:
        error = _("error: {message}").format(message=err)
        return Checked(None, error, _texts(reports, Kind.NOTE), _texts(reports, Kind.WARNING))
    error = ""
    if result.no_signers:
        error = str(no_signers_error(result, site.workdir, listed=True))
    return Checked(result, error, _texts(reports, Kind.NOTE), _texts(reports, Kind.WARNING))


def _texts(reports: list[Report], kind: Kind) -> tuple[str, ...]:
    return tuple(report.text for report in reports if report.kind is kind)


async def check(request: Request) -> Response:
    """The dry run of a draft: where every row goes, before anything is written; and the
    Match fields form of each sheet whose columns the reader could not place."""
    from merge.web import columns  # it takes draft_of from here

    site = site_of(request)
    draft = draft_of(request)
    checked = await run_in_threadpool(dry_run, site, draft)
    column_forms = await run_in_threadpool(columns.sheet_forms, site, draft)
    result = checked.result
    if result is not None and result.plan is not None:
        site.drafts.remember_formats(draft.number, result.plan.formats)
    return site.page(
        "check.html",
        nav="new",
        step=2,
        draft=draft,
        checked=checked,
        sections=_sections(result) if result is not None else [],
        summary=result.summary() if result is not None else [],
        nothing_new=nothing_new(result) if result is not None and result.nothing_new else "",
        listed=listed_line(result) if result is not None else "",
        can_continue=result is not None and bool(result.pages),
        column_forms=column_forms,
        field_choices=columns.field_choices(),
        mapping_file=columns.MAPPING_SHOWN,
        saved=columns.saved_line(request),
        breakable=breakable,
        back=f"/?{DRAFT}={draft.number}",
        back_newest=f"/?{DRAFT}={draft.number}&{ONLY}={NEWEST}",
    )


def breakable(origin: str) -> Markup:
    """Show an origin so that a line breaks after a ":" or "/" only, never inside a file's
    name (at its hyphen, say): each part unbroken, a <wbr> after each separator."""
    parts = re.findall(r"[^:/]*[:/]|[^:/]+", origin)
    return Markup("<wbr>").join(Markup('<span class="part">{}</span>').format(p) for p in parts)


def draft_of(request: Request) -> Draft:
    """Return the draft the address names, or answer 404 (a server restart forgets drafts)."""
    draft = site_of(request).drafts.get(int(request.path_params["draft"]))
    if draft is None:
        raise HTTPException(404, "draft")
    return draft


@dataclass(frozen=True)
class Section:
    """One kind of row the check lists: its heading, (origin, what) rows, how many more."""

    title: str
    rows: list[tuple[str, str]]
    more: int
    note: str = ""

    @property
    def more_text(self) -> str:
        text = ngettext("... and {n} more ({more})", "... and {n} more ({more})", self.more)
        return text.format(n=self.more, more=_("a batch's manifest.json lists all"))


def _sections(result: RunResult) -> list[Section]:
    acc = result.accounting

    def section(title: str, rows: list[tuple[str, str]], note: str = "") -> Section:
        return Section(title, rows[:SHOWN_ROWS], max(0, len(rows) - SHOWN_ROWS), note)

    held_note = _(
        "Not printed again, so nobody signs twice: each is someone already on a list whose "
        "address or spelling was corrected since."
    )
    found = [
        section(_("Rejected"), [(r.origin, r.reason) for r in acc.rejected]),
        section(_("Duplicates"), [(d.origin, d.reason) for d in acc.duplicates]),
        section(
            _("Held back, changed since an earlier list"),
            [(h.origin, h.reason) for h in acc.held],
            held_note,
        ),
        section(_("On earlier lists"), [(p.origin, p.reason) for p in acc.previously_listed]),
        section(_("Warnings"), [(w.origin, w.reason) for w in acc.warnings]),
    ]
    return [s for s in found if s.rows]


def listed_line(result: RunResult) -> str:
    acc = result.accounting
    if not acc.previously_listed:
        return ""
    per_batch = Counter(row.batch for row in acc.previously_listed)
    listed = ", ".join(
        f"{b} ({n})" for b, n in sorted(per_batch.items(), key=lambda item: batch_order(item[0]))
    )
    return _(
        "Left out, already on lists of campaign {campaign} in earlier batches: {batches}"
    ).format(campaign=result.campaign.id, batches=listed)


def nothing_new(result: RunResult) -> str:
    acc = result.accounting
    n = len(acc.previously_listed) + len(acc.held)
    batches = ", ".join(
        sorted(
            {r.batch for r in acc.previously_listed} | {h.batch for h in acc.held}, key=batch_order
        )
    )
    return ngettext(
        "Nothing new for campaign {campaign}: {n} signer is already on an earlier list "
        "(batches: {batches}). A new batch would print nobody.",
        "Nothing new for campaign {campaign}: all {n} signers are already on earlier lists "
        "(batches: {batches}). A new batch would print nobody.",
        n,
    ).format(campaign=result.campaign.id, n=n, batches=batches)
