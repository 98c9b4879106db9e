"""The web page's application: its routes, its guards and its shared state.

:func:`make_app` builds the Starlette application ``petition-merge serve`` runs (and the
tests drive with Starlette's TestClient). Addresses carry batch names and numbers only,
never a name, an address or a file's name.

    /                                   new batch: campaign and spreadsheets
    /drafts                       POST  save the uploads, start a draft
    /drafts/{n}/check                   the dry run of the draft
    /drafts/{n}/columns           POST  match the fields of a sheet: inputs/spalten.toml
    /drafts/{n}/options                 print and post options
    /drafts/{n}/preview[/list/{k}|/labels|/envelope]   a list, the label sheet, an envelope
                                        as pictures, before the batch is made (merge.web.preview;
                                        the pictures at the same address + .png)
    /drafts/{n}/batch             POST  make the batch (a job)
    /jobs/{n}, /jobs/{n}/status         the job's progress (the page polls the second)
    /batches                            status of every batch
    /batches/{name}                     the batch's downloads
    /batches/{name}/dispatch            its envelopes: mailed, discarded (see merge.web.dispatch)
    /batches/{name}/mailed        POST  mark envelopes mailed, as mark-mailed
    /batches/{name}/discard       POST  ask (?envelopes=1,3-4 or ?whole=1), then discard
                                        envelopes or the batch, as discard
    /batches/{name}/purge         POST  ask (?ask=1), then delete its names and addresses, as purge
                                        (each POST redirects: done, to the dispatch page; a GET
                                        without the question's numbers goes there too)
    /batches/{name}/files/{file}        one file of its folder
    /batches/{name}/zip                 all of them
    /batches/{name}/print.pdf           its PDFs joined in printing order
    /static/...                         the page's style sheet and script
    /start?t=SECRET                     sets the cookie (see merge.web.security)
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
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

from merge import i18n
from merge.i18n import _
from merge.render.office import WarmOffice
from merge.track.where import LedgerOption
from merge.web import choose, columns, dispatch, downloads, make, overview, preview
from merge.web.security import MAX_BODY, guards
from merge.web.site import Site, site_of, warm_office

log = logging.getLogger("merge.web")


def make_app(
    workdir: Path,
    port: int,
    secret: str,
    *,
    language: str = "de",
    ledger: LedgerOption = None,
    group: str | None = None,
    max_body: int = MAX_BODY,
    today: Callable[[], dt.date] = dt.date.today,
    office: WarmOffice | None = None,
    warm_start: bool = True,
) -> Starlette:
    """Return the page for the working folder ``workdir``, served at 127.0.0.1:``port``.

    ``secret`` is what ``/start?t=`` must carry; ``language`` the server's ("de", "en");
    ``ledger`` as ``--ledger`` gives it (None: outputs/ledger.sqlite), ``group`` as ``--group``
    (None: the working folder's name); ``max_body`` the
    most bytes one request may send. The batches' PDFs and the previews come from one warm
    LibreOffice: ``office`` if given (the caller starts and closes it), else the server's
    own, started when the server starts (in a thread, so the first page need not wait;
    ``warm_start=False``: at its first conversion) and closed when it stops.
    """
    own = office is None
    site = Site(
        workdir.resolve(),
        port,
        max_body,
        ledger,
        group,
        today,
        office=office or warm_office(),
    )

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if own and warm_start:
            threading.Thread(
                target=_start_office,
                args=(site.office, language),
                name="petition-merge warm LibreOffice",
                daemon=True,
            ).start()
        yield
        await run_in_threadpool(site.jobs.wait_all)  # a batch being made is finished first
        if own:
            await run_in_threadpool(site.office.close)

    app = Starlette(
        routes=[
            Route("/", choose.new_batch),
            Route("/drafts", choose.make_draft, methods=["POST"]),
            Route("/drafts/{draft:int}/check", choose.check),
            Route("/drafts/{draft:int}/columns", columns.save_columns, methods=["POST"]),
            Route("/drafts/{draft:int}/options", make.options),
            Route("/drafts/{draft:int}/batch", make.make_batch, methods=["POST"]),
            Route("/drafts/{draft:int}/preview", preview.preview_page),
            Route("/drafts/{draft:int}/preview/list/{page:int}", preview.preview_page),
            Route("/drafts/{draft:int}/preview/labels", preview.preview_page),
            Route("/drafts/{draft:int}/preview/envelope", preview.preview_page),
            Route("/drafts/{draft:int}/preview/list/{page:int}.png", preview.preview_image),
            Route("/drafts/{draft:int}/preview/labels.png", preview.preview_image),
            Route("/drafts/{draft:int}/preview/envelope.png", preview.preview_image),
            Route("/jobs/{job:int}", make.job_page),
            Route("/jobs/{job:int}/status", make.job_status),
            Route("/batches", overview.status_page),
            Route("/batches/{name}", downloads.batch_page),
            Route("/batches/{name}/dispatch", dispatch.dispatch_page),
            Route("/batches/{name}/mailed", dispatch.mark_page, methods=["POST"]),
            Route("/batches/{name}/discard", dispatch.discard_page, methods=["POST"]),
            Route("/batches/{name}/purge", dispatch.purge_page, methods=["POST"]),
            Route("/batches/{name}/mailed", dispatch.to_dispatch),  # a reload: the page
            Route("/batches/{name}/discard", dispatch.discard_question),
            Route("/batches/{name}/purge", dispatch.purge_question),
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


def _start_office(office: WarmOffice, language: str) -> None:
    """Start the server's LibreOffice (a thread of its own); a failure is said in the terminal
    by the office itself, and every conversion is then cold."""
    i18n.activate(language)
    try:
        office.start(warm_up=True)
    except RuntimeError:  # the server stopped before it started: closed already
        pass
    except Exception as err:  # a bug: its type only, as every log line of the page
        log.error("internal error %s while starting LibreOffice", type(err).__name__)


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
