"""The status page: every batch by campaign, mailed and open, and the time left to mail.

What ``petition-merge status`` shows, from the same ledger (:mod:`merge.track.status`):
the page and the CLI can be used side by side, and after a restart the page starts from
what the ledger holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from merge.errors import LedgerError
from merge.i18n import _, ngettext
from merge.track.status import BatchStatus, lost_folders, status
from merge.web.site import Site, site_of
from merge.web.status_chart import Chart, campaign_chart


@dataclass(frozen=True)
class Overview:
    campaigns: list[tuple[str, list[BatchStatus]]]  # in the order of their first batch
    warnings: list[str]
    total: str  # signers mailed and open, in all
    error: str = ""  # the ledger cannot be read: one line
    charts: dict[str, Chart] = field(default_factory=dict)  # by campaign; none: nothing to mail


def overview(site: Site) -> Overview:
    """Read every batch's status from the ledger (none yet: no batches)."""
    try:
        report = status(site.ledger, site.today())
        warnings = lost_folders(site.ledger, site.own_group)
    except LedgerError as err:
        if not site.ledger.exists():
            return Overview([], [], "")  # no batch made yet
        return Overview([], [], "", _("error: {message}").format(message=err))
    campaigns: dict[str, list[BatchStatus]] = {}
    for row in report:
        campaigns.setdefault(row.batch.campaign, []).append(row)
    warnings += [row.late_warning() for row in report if row.late]
    envelopes = sum(row.batch.count("prepared") for row in report)
    total = ngettext(
        "Total signers: {mailed} mailed, {pending} pending in {n} envelope.",
        "Total signers: {mailed} mailed, {pending} pending in {n} envelopes.",
        envelopes,
    ).format(
        mailed=sum(row.batch.count("mailed", "signers") for row in report),
        pending=sum(row.batch.count("prepared", "signers") for row in report),
        n=envelopes,
    )
    charts = {
        campaign: chart
        for campaign, rows in campaigns.items()
        if (chart := campaign_chart(campaign, rows, site.today())) is not None
    }
    return Overview(list(campaigns.items()), warnings, total, charts=charts)


async def status_page(request: Request) -> Response:
    site = site_of(request)
    found = await run_in_threadpool(overview, site)
    return site.page("status.html", nav="batches", step=0, overview=found)
