"""Options, then make the batch: a job the server runs, and the page that follows it.

The batch is made by the pipeline of ``petition-merge run`` with the draft's files and
campaign and the options of the form: the same files, manifest and ledger record as the
command would make.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from merge.i18n import _, ngettext
from merge.i18n.conventions import example_date
from merge.post.envelope_formats import AUTO
from merge.post.money import format_eur
from merge.post.plan import FormatCost
from merge.render.pdf import INSTALL_HINT, find_soffice
from merge.web.choose import draft_of, dry_run, listed_line, nothing_new
from merge.web.drafts import Draft
from merge.web.jobs import Job, Work
from merge.web.options import (
    Options,
    envelope_choices,
    form_values,
    label_choices,
    label_sheet,
    read_options,
    shown_values,
)
from merge.web.site import Site, site_of


async def options(request: Request) -> Response:
    """The options of the batch, as the CLI's defaults have them (or as "Show this sheet"
    sent them)."""
    site = site_of(request)
    draft = draft_of(request)
    return await _options_page(site, draft, shown_values(request.query_params), {})


async def _options_page(
    site: Site, draft: Draft, values: dict[str, str], errors: dict[str, str], status: int = 200
) -> Response:
    formats = site.drafts.formats(draft.number)
    if formats is None:  # the check was not shown in this server's life: price it now
        checked = await run_in_threadpool(dry_run, site, draft)
        plan = checked.result.plan if checked.result is not None else None
        formats = plan.formats if plan is not None else ()
        site.drafts.remember_formats(draft.number, formats)
    return site.page(
        "options.html",
        status,
        nav="new",
        step=3,
        draft=draft,
        values=values,
        errors=errors,
        envelopes=_envelope_labels(formats),
        labels=label_choices(),
        sheet=label_sheet(values["labels"]),
        soffice=find_soffice() is not None,
        example_date=example_date(),
        no_soffice=_("no PDF: LibreOffice is not installed - {hint}").format(hint=_(INSTALL_HINT)),
    )


def _envelope_labels(formats: tuple[FormatCost, ...]) -> list[tuple[str, str]]:
    """Return (value, label) of each envelope choice, with what the lists cost in it."""
    costs = {cost.code: cost for cost in formats}
    choices = []
    for code, name in envelope_choices():
        cost = costs.get(code)
        if cost is None:
            choices.append((code, name))
            continue
        price = ngettext(
            "{n} envelope, postage {total}", "{n} envelopes, postage {total}", cost.envelopes
        ).format(n=cost.envelopes, total=format_eur(cost.total_eur))
        choices.append((code, f"{name}: {price}"))
    if formats:
        cheapest = min(formats, key=lambda cost: cost.total_eur)  # ties: the smaller, first
        text = _("the lowest postage ({code}, {total})").format(
            code=cheapest.code, total=format_eur(cheapest.total_eur)
        )
    else:
        text = _("the lowest postage")
    choices.append((AUTO.upper(), f"auto: {text}"))
    return choices


async def make_batch(request: Request) -> Response:
    """Check the options and start making the batch; answer with the page that follows it."""
    site = site_of(request)
    draft = draft_of(request)
    async with request.form(max_files=0, max_fields=50) as form:
        values = form_values(form)
    chosen, errors = read_options(values, today=site.today())
    if chosen is None:
        return await _options_page(site, draft, values, errors, status=400)
    job = site.jobs.start(draft.number, _work(site, draft, chosen), _steps(chosen))
    return RedirectResponse(f"/jobs/{job.number}", status_code=303)


def _work(site: Site, draft: Draft, chosen: Options) -> Work:
    from merge.pipeline import RunRequest, run

    request = RunRequest(
        cwd=site.workdir,
        today=site.today(),
        inputs=draft.inputs,
        campaign=draft.campaign,
        blank_lists=chosen.blank_lists,
        pdf=chosen.pdf,
        ledger=site.ledger_option,
        group=site.group,
        post=chosen.post,
        converter=site.office.convert_pairs,  # the server's warm LibreOffice
    )
    return lambda reporter: run(request, reporter)


def _steps(chosen: Options) -> int:
    """The steps the pipeline reports on the way (reading, labels, lists, PDFs)."""
    return 4 if chosen.pdf and find_soffice() is not None else 3


def _job(request: Request) -> Job:
    job = site_of(request).jobs.get(int(request.path_params["job"]))
    if job is None:
        raise HTTPException(404, "job")
    return job


async def job_page(request: Request) -> Response:
    """The batch being made: its progress; when done, what came of it."""
    site = site_of(request)
    progress = _job(request).progress()
    result = progress.result
    batch = result.batch.name if result is not None and result.batch is not None else ""
    return site.page(
        "job.html",
        nav="new",
        step=5 if batch else 4,  # made: on to its downloads
        progress=progress,
        percent=round(progress.fraction * 100),
        batch=batch,
        nothing_new=nothing_new(result) if result is not None and result.nothing_new else "",
        # who was left out as on earlier lists: perhaps printed since the check, by another tab
        listed=listed_line(result) if batch and result is not None else "",
    )


async def job_status(request: Request) -> Response:
    """What the progress bar shows, for the page's polling."""
    progress = _job(request).progress()
    return JSONResponse(
        {
            "finished": progress.finished,
            "fraction": round(progress.fraction, 3),
            "percent": round(progress.fraction * 100),
            "step": progress.step,
        }
    )
