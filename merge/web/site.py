"""What every page of one server shares: the working folder, the ledger, drafts, jobs, templates,
and one warm LibreOffice for the server's life (:mod:`merge.render.office`: batches and
previews get their PDFs without a LibreOffice start each).

Pages are Jinja2 templates in ``merge/web/templates``, rendered with autoescape (a cell's
``<b>`` shows as typed) and StrictUndefined (a misspelt variable is a bug, not an empty
space). Every text in them is an English message id translated with ``_()``, like the
CLI's, in the server's language.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from starlette.requests import Request
from starlette.responses import HTMLResponse

from merge import i18n
from merge.i18n.conventions import format_date
from merge.post.money import format_eur
from merge.render.office import WarmOffice
from merge.reporter import Report
from merge.track.where import LedgerLocation, LedgerOption, ledger_location
from merge.web.drafts import Drafts
from merge.web.jobs import Jobs
from merge.web.security import limit_mb

TEMPLATES = Path(__file__).parent / "templates"
SHOWN_ROWS = 500  # rows of one kind a page lists; the manifest of a batch has all

log = logging.getLogger("merge.web")


def _say_in_terminal(item: Report) -> None:
    """Say in the server's terminal why PDFs are made cold (no names: LibreOffice's state)."""
    log.warning("%s", item.text)


def warm_office() -> WarmOffice:
    """Return a WarmOffice for a server: it starts at its first conversion (or :meth:`start`)."""
    return WarmOffice(reporter=_say_in_terminal)


@dataclass
class Site:
    """One server's shared state; handlers find it with :func:`site_of`."""

    workdir: Path
    port: int
    max_body: int
    ledger_option: LedgerOption = None  # --ledger as given (None: outputs/ledger.sqlite)
    group: str | None = None  # --group as given (None: the working folder's name)
    today: Callable[[], dt.date] = dt.date.today
    drafts: Drafts = field(default_factory=lambda: Drafts(first_number()))
    jobs: Jobs = field(default_factory=lambda: Jobs(first_number()))
    office: WarmOffice = field(default_factory=warm_office)  # for batches and previews

    @property
    def ledger(self) -> LedgerLocation:
        return ledger_location(self.ledger_option, self.workdir)

    @property
    def own_group(self) -> str | None:
        """The group whose batches are this folder's, on a shared ledger (None: a file's
        ledger, which is this folder's alone), as the tracking commands take it."""
        return (self.group or self.workdir.name) if self.ledger.shared else None

    def page(self, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        """Render the template ``name`` in the server's language."""
        text = (
            environment()
            .get_template(name)
            .render(
                lang="de" if i18n.language() == "de" else "en",
                max_mb=limit_mb(self.max_body),
                **context,
            )
        )
        return HTMLResponse(text, status_code=status)


def first_number() -> int:
    """Return where a server starts numbering its drafts and jobs: at random, so that after a
    restart an open tab's /drafts/3 or /jobs/2 is not found (the page says why) rather than
    showing a draft or job of another tab."""
    return 1000 + secrets.randbelow(9_000_000)


def site_of(request: Request) -> Site:
    site = request.app.state.site
    assert isinstance(site, Site)
    return site


@cache
def environment() -> jinja2.Environment:
    """Return the templates' environment (one per process: the language is looked up when a
    message is translated, not when the environment is made)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(i18n._, i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.filters["date"] = format_date
    env.filters["eur"] = format_eur
    return env
