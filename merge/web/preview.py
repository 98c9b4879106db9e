"""Previews before the batch is made: any petition list, the label sheet and an envelope, as
pictures.

The draft is run as its check runs it (``run --dry-run``: read, account, paginate, plan the
post; nothing written, nothing recorded), and the one page asked for is written into a
temporary folder (never outputs/), converted to PDF by the server's warm LibreOffice and
pictured by poppler's pdftoppm (:func:`merge.render.office.preview_png`). So the picture is
the batch's own page: the same template and the same lists of five in the same order, the
same label product from the same first label, the same envelope format. A list is written
as a .docx of that list alone: LibreOffice lays out the whole document even for one page.

Addresses carry list numbers only (``/drafts/3/preview`` is list 1, then
``/drafts/3/preview/list/7``, ``.../labels``, ``.../envelope``; each picture at its page's
address + ``.png``): names are in the picture, never in an address or a log line. The options
page sends its fields along as query parameters (its second button sends the form by GET);
the preview keeps those that differ from the defaults in all its links, and without them (from
the check page) shows the defaults. Options that do not pass the options' checks are said in
one line, and the defaults are shown. The batch name on a list reads "preview": a batch gets
its name when it is made.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from merge.batch import ENVELOPES_DOCX, LABELS_DOCX, LISTS_DOCX
from merge.errors import MergeError
from merge.i18n import _
from merge.render.pdf import INSTALL_HINT, find_soffice
from merge.web.choose import draft_of, nothing_new
from merge.web.drafts import Draft
from merge.web.options import Options, default_values, read_options
from merge.web.site import Site, site_of

if TYPE_CHECKING:
    from merge.pipeline import RunResult

LIST, LABELS, ENVELOPE = "list", "labels", "envelope"
AROUND = 3  # list numbers the selector shows on either side of the one shown
NOT_SENT = ("pdf",)  # fields of the options form that change no page of the preview


@dataclass(frozen=True)
class Sheet:
    """What one preview shows: list ``number``, the first label sheet, or an envelope."""

    kind: str
    number: int = 1

    def address(self, draft: int) -> str:
        base = f"/drafts/{draft}/preview"
        return f"{base}/list/{self.number}" if self.kind == LIST else f"{base}/{self.kind}"

    def position(self, lists: int) -> int:
        """Where it comes in the preview's order: the lists, then labels, then the envelope."""
        return {LIST: self.number - 1, LABELS: lists, ENVELOPE: lists + 1}[self.kind]


@dataclass(frozen=True)
class Chosen:
    """The options the preview shows, and the query that keeps them in its links."""

    options: Options
    query: str = ""  # "?envelope=C5&..." or ""
    sent: bool = False  # the options page sent them
    invalid: bool = False  # they did not pass its checks: the defaults are shown


@dataclass(frozen=True)
class Planned:
    """The draft's dry run with these options, or the one line why nothing can be shown."""

    result: RunResult | None = None
    error: str = ""

    @property
    def lists(self) -> int:
        return len(self.result.pages) if self.result is not None else 0


@dataclass(frozen=True)
class Link:
    """One entry of the page selector: a link, the page shown (no address), or a gap."""

    text: str
    address: str = ""
    current: bool = False


def sheet_of(request: Request) -> Sheet:
    """Return what the address asks for (the route tells the kind, the path the number)."""
    if "page" in request.path_params:
        return Sheet(LIST, int(request.path_params["page"]))
    last = request.url.path.rsplit("/", 1)[-1].removesuffix(".png")
    return Sheet(last) if last in (LABELS, ENVELOPE) else Sheet(LIST, 1)


def chosen_of(params: Mapping[str, str]) -> Chosen:
    """Read the options the options page sent (checked as it checks them), else the defaults."""
    defaults = default_values()
    sent = {key: params[key].strip() for key in defaults if key in params and key not in NOT_SENT}
    values = {**defaults, **sent}
    options, _errors = read_options(values)
    if options is None:
        fallback, _none = read_options(defaults)
        assert fallback is not None
        return Chosen(fallback, sent=bool(sent), invalid=True)
    kept = {key: value for key, value in sent.items() if value != defaults[key]}
    return Chosen(options, f"?{urlencode(kept)}" if kept else "", sent=bool(sent))


def plan_draft(site: Site, draft: Draft, options: Options) -> Planned:
    """Run the draft as ``run --dry-run`` with these options: its lists and its post plan."""
    from merge.pipeline import RunRequest, run

    request = RunRequest(
        cwd=site.workdir,
        today=site.today(),
        inputs=draft.inputs,
        dry_run=True,
        campaign=draft.campaign,
        blank_lists=options.blank_lists,
        ledger=site.ledger_option,
        group=site.group,
        post=options.post,
    )
    try:
        result = run(request)
    except MergeError as err:
        return Planned(error=_("error: {message}").format(message=err))
    if result.pages:
        return Planned(result)
    if result.nothing_new:
        return Planned(error=nothing_new(result))
    return Planned(
        error=_("There is no petition list to show: the check says why each row was left out.")
    )


def unavailable() -> str:
    """Return why no picture can be made here (one line), or ""."""
    if find_soffice() is None:
        return _("No preview: LibreOffice is not installed - {hint}").format(hint=_(INSTALL_HINT))
    if shutil.which("pdftoppm") is None:
        return _(
            "No preview: pdftoppm is not installed - install poppler-utils (on Debian/Ubuntu: "
            "sudo apt-get install poppler-utils)"
        )
    return ""


def picture(site: Site, result: RunResult, sheet: Sheet, options: Options) -> bytes:
    """Write the sheet's document into a temporary folder and return a PNG of its first page."""
    from merge import pipeline
    from merge.batch import write as batch_write
    from merge.render.label_products import label_product
    from merge.render.office import preview_png
    from merge.render.petitions import render_petitions

    campaign, post = result.campaign, options.post
    assert result.plan is not None
    with tempfile.TemporaryDirectory(prefix="petition-merge-preview-") as work:
        folder = Path(work)
        if sheet.kind == LIST:
            docx = folder / LISTS_DOCX
            page = result.pages[sheet.number - 1 : sheet.number]
            total = len(result.pages)
            render_petitions(campaign.template, campaign, page, _("preview"), docx, total=total)
        else:
            addressee = pipeline._addressee(campaign, post)
            if sheet.kind == LABELS:
                docx = folder / LABELS_DOCX
                label = label_product(post.labels)
                count = len(result.plan.envelopes)
                batch_write.write_labels(folder, campaign, post, label, addressee, count)
            else:
                docx = folder / ENVELOPES_DOCX
                envelope = result.plan.envelope_format  # the one planned, also for auto
                batch_write.write_envelopes(folder, campaign, post, addressee, 1, envelope)
        return preview_png(site.office, docx, folder, 1)


def selector(draft: int, sheet: Sheet, lists: int, query: str) -> list[Link]:
    """Return the page selector: list numbers around the one shown, first and last, with
    gaps between; then the label sheet and the envelope."""
    near = {1, lists, *range(sheet.number - AROUND, sheet.number + AROUND + 1)}
    if sheet.kind != LIST:
        near |= set(range(lists - AROUND, lists + 1))
    links: list[Link] = []
    previous = 0
    for number in sorted(n for n in near if 1 <= n <= lists):
        if number > previous + 1:
            links.append(Link("…"))
        links.append(_link(draft, Sheet(LIST, number), str(number), sheet, query))
        previous = number
    links.append(_link(draft, Sheet(LABELS), _("Address labels"), sheet, query))
    links.append(_link(draft, Sheet(ENVELOPE), _("Envelope"), sheet, query))
    return links


def _link(draft: int, target: Sheet, text: str, shown: Sheet, query: str) -> Link:
    if target == shown:
        return Link(text, current=True)
    return Link(text, target.address(draft) + query)


def _neighbours(draft: int, sheet: Sheet, lists: int, query: str) -> tuple[str, str]:
    """Return the addresses of the previous and the next preview ("" at either end)."""
    order = [*(Sheet(LIST, n) for n in range(1, lists + 1)), Sheet(LABELS), Sheet(ENVELOPE)]
    at = sheet.position(lists)
    before = order[at - 1].address(draft) + query if at > 0 else ""
    after = order[at + 1].address(draft) + query if at + 1 < len(order) else ""
    return before, after


def _heading(sheet: Sheet, lists: int, options: Options) -> str:
    if sheet.kind == LIST:
        return _("Petition list {n} of {total}").format(n=sheet.number, total=lists)
    if sheet.kind == LABELS:
        return _("Address labels: the first sheet")
    if options.post.window:
        return _("Address sheet for a window envelope")
    return _("Envelope")


def _shown(sheet: Sheet, lists: int) -> bool:
    return sheet.kind != LIST or 1 <= sheet.number <= lists


def _no_such_list(site: Site, sheet: Sheet, lists: int) -> Response:
    return site.page(
        "message.html",
        404,
        nav="new",
        step=0,
        title=_("Not found"),
        text=_(
            "The batch being prepared has lists 1 to {total}: there is no list {n}. Go back to "
            "its preview."
        ).format(total=lists, n=sheet.number),
    )


async def preview_page(request: Request) -> Response:
    """A list, the label sheet or an envelope as the batch would print it, with the selector."""
    site = site_of(request)
    draft = draft_of(request)
    sheet = sheet_of(request)
    chosen = chosen_of(request.query_params)
    planned = await run_in_threadpool(plan_draft, site, draft, chosen.options)
    lists = planned.lists
    if planned.result is not None and not _shown(sheet, lists):
        return _no_such_list(site, sheet, lists)
    before, after = _neighbours(draft.number, sheet, lists, chosen.query) if lists else ("", "")
    heading = _heading(sheet, lists, chosen.options)
    return site.page(
        "preview.html",
        nav="new",
        step=3 if chosen.sent else 2,
        draft=draft,
        error=planned.error,
        invalid=chosen.invalid,
        unavailable=unavailable() if lists else "",
        heading=heading,
        links=selector(draft.number, sheet, lists, chosen.query) if lists else [],
        before=before,
        after=after,
        image=f"{sheet.address(draft.number)}.png{chosen.query}",
        sent=chosen.sent,
    )


async def preview_image(request: Request) -> Response:
    """The picture of a preview: a PNG of the page, made anew for each request."""
    site = site_of(request)
    draft = draft_of(request)
    sheet = sheet_of(request)
    chosen = chosen_of(request.query_params)
    planned = await run_in_threadpool(plan_draft, site, draft, chosen.options)
    result = planned.result
    if result is not None and not _shown(sheet, planned.lists):
        return _no_such_list(site, sheet, planned.lists)
    problem = planned.error or unavailable()
    if result is None or problem:
        return _refused(site, problem)
    try:
        png = await run_in_threadpool(picture, site, result, sheet, chosen.options)
    except MergeError as err:
        return _refused(site, _("error: {message}").format(message=err))
    return Response(png, media_type="image/png")


def _refused(site: Site, text: str) -> Response:
    return site.page(
        "message.html", 503, nav="new", step=0, title=_("No preview"), text=text or _("No preview")
    )
