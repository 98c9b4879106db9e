"""The web page's application: its routes, its guards and its shared state.

:func:`make_app` builds the Starlette application ``petition-merge serve`` runs (and the
tests drive with Starlette's TestClient). Addresses carry batch names and numbers only,
never a name, an address or a file's name.

    /                                   new batch: campaign and spreadsheets
    /drafts                       POST  save the uploads, start a draft
    /drafts/{n}/check                   the dry run of the draft
    /drafts/{n}/options                 print and post options
    /drafts/{n}/batch             POST  make the batch (a job)
    /jobs/{n}, /jobs/{n}/status         the job's progress (the page polls the second)
    /batches                            status of every batch
    /batches/{name}                     the batch's downloads
    /batches/{name}/dispatch            its envelopes: mailed, discarded (see merge.web.dispatch)
    /batches/{name}/mailed        POST  mark envelopes mailed, as mark-mailed
    /batches/{name}/discard       POST  ask, then discard envelopes or the batch, as discard
    /batches/{name}/purge         POST  ask, then delete its names and addresses, as purge
    /batches/{name}/files/{file}        one file of its folder
    /batches/{name}/zip                 all of them
    /batches/{name}/print.pdf           its PDFs joined in printing order
    /static/...                         the page's style sheet and script
    /start?t=SECRET                     sets the cookie (see merge.web.security)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from merge.i18n import _
from merge.track.where import LedgerOption
from merge.web import choose, dispatch, downloads, make, overview
from merge.web.security import MAX_BODY, guards
from merge.web.site import Site, site_of


def make_app(
    workdir: Path,
    port: int,
    secret: str,
    *,
    language: str = "de",
    ledger: LedgerOption = None,
    max_body: int = MAX_BODY,
    today: Callable[[], dt.date] = dt.date.today,
) -> Starlette:
    """Return the page for the working folder ``workdir``, served at 127.0.0.1:``port``.

    ``secret`` is what ``/start?t=`` must carry; ``language`` the server's ("de", "en");
    ``ledger`` as ``--ledger`` gives it (None: outputs/ledger.sqlite); ``max_body`` the
    most bytes one request may send.
    """
    site = Site(workdir.resolve(), port, max_body, ledger, today)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        await run_in_threadpool(site.jobs.wait_all)  # a batch being made is finished first

    app = Starlette(
        routes=[
            Route("/", choose.new_batch),
            Route("/drafts", choose.make_draft, methods=["POST"]),
            Route("/drafts/{draft:int}/check", choose.check),
            Route("/drafts/{draft:int}/options", make.options),
            Route("/drafts/{draft:int}/batch", make.make_batch, methods=["POST"]),
            Route("/jobs/{job:int}", make.job_page),
            Route("/jobs/{job:int}/status", make.job_status),
            Route("/batches", overview.status_page),
            Route("/batches/{name}", downloads.batch_page),
            Route("/batches/{name}/dispatch", dispatch.dispatch_page),
            Route("/batches/{name}/mailed", dispatch.mark_page, methods=["POST"]),
            Route("/batches/{name}/discard", dispatch.discard_page, methods=["POST"]),
            Route("/batches/{name}/purge", dispatch.purge_page, methods=["POST"]),
            Route("/batches/{name}/files/{file}", downloads.batch_file),
            Route("/batches/{name}/zip", downloads.batch_zip),
            Route("/batches/{name}/print.pdf", downloads.print_pdf),
            Mount("/static", StaticFiles(packages=[("merge.web", "static")]), name="static"),
        ],
        middleware=guards(port, secret, language, max_body),
        exception_handlers={HTTPException: _http_error},
        lifespan=lifespan,
    )
    app.state.site = site
    return app


async def _http_error(request: Request, err: Exception) -> Response:
    """A page for what Starlette refuses itself: an unknown address, a wrong method."""
    assert isinstance(err, HTTPException)
    if err.status_code == 404:
        title = _("Not found")
        text = _(
            "This page does not exist (any more): petition-merge serve forgets a batch being "
            "prepared when it is started again; batches already made are on the status page. "
            "Start again from the first page."
        )
    elif err.status_code == 405:
        title = _("Not possible")
        text = _("This address cannot be used that way - go back to the first page.")
    else:
        title = _("Refused")
        text = _("The request could not be taken - go back and try again.")
    return site_of(request).page(
        "message.html", err.status_code, nav="", step=0, title=title, text=text
    )
