"""Run the stages in order: read, account, leave out who was sent, paginate, plan, write.

No user interface here: progress and notes go to a callback, results are returned, and
the clock is read by the caller.
"""

from __future__ import annotations

import datetime as dt
import gc
import itertools
import shutil
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from merge import batch as batch_files
from merge.batch import staging as staging_folders
from merge.batch import write as batch_write
from merge.batch.manifest import build_manifest
from merge.campaign import Campaign, deadline_warning, load_campaign
from merge.data import default_label_code
from merge.errors import CampaignError, InputError, OutputError
from merge.lists.accounting import Accounting, account_rows
from merge.lists.fit import row_problem
from merge.lists.paginate import Page, paginate
from merge.post.data import load_postage
from merge.post.envelope_formats import default_envelope_code
from merge.post.plan import PostagePlan, plan_envelopes
from merge.read.rows import SourceRow, list_inputs, read_rows
from merge.read.sniff import MAX_UNPACKED_MB
from merge.render import labels
from merge.render.template_check import ensure_template_ok
from merge.track.ledger import BatchRecord, EnvelopeRecord, Ledger, ListRecord, open_ledger

Report = Callable[[str, str], None]  # (kind, text); kind is "note", "warning" or "step"
Progress = Callable[[int, int], None]  # (PDF pages made, pages in all)

DEFAULT_LEDGER = Path("outputs") / "ledger.sqlite"
GC_THRESHOLDS = (50_000, 20, 100)  # Python's default: (700, 10, 10); see _fewer_gc_passes


@dataclass(frozen=True)
class PostOptions:
    """How the lists are packed, franked and addressed; the defaults come from the data files."""

    labels: str = field(default_factory=default_label_code)  # label product code
    start_label: int = 1  # first free label on the first sheet
    label_offset_mm: tuple[float, float] = (0.0, 0.0)  # printer calibration, right/down
    return_labels: bool = False
    local_address: bool = False  # add the campaign's addressee_local lines above the Latin ones
    envelope: str = field(default_factory=default_envelope_code)
    window: bool = False  # window envelopes: print address sheets instead of envelopes
    per_envelope: int | None = None
    mail_date: dt.date | None = None  # None: the day of the run
    sheet_grams: float | None = None
    envelope_grams: float | None = None


@dataclass(frozen=True)
class RunRequest:
    """What the user asked for; paths relative to ``cwd`` unless absolute."""

    cwd: Path
    today: dt.date
    inputs: tuple[Path, ...] = ()
    out_dir: Path | None = None
    dry_run: bool = False
    campaign: str | None = None
    blank_lists: int = 0
    pdf: bool = True
    max_unpacked_mb: int = MAX_UNPACKED_MB
    post: PostOptions = field(default_factory=lambda: PostOptions())
    ledger: Path | None = None  # None: outputs/ledger.sqlite
    reprint: bool = False  # print signers again even if an earlier batch has them
    names: bool = False  # put names into the dispatch checklist


@dataclass(frozen=True)
class RunResult:
    files: tuple[Path, ...]
    accounting: Accounting
    pages: tuple[Page, ...]
    campaign: Campaign
    plan: PostagePlan | None = None
    batch: str | None = None
    batch_dir: Path | None = None
    written: tuple[str, ...] = ()
    pdf_missing: bool = False

    @property
    def nothing_new(self) -> bool:
        """True when every signer is already on an earlier batch's list."""
        return not self.pages and bool(self.accounting.previously_listed)


def ledger_path(request_ledger: Path | None, cwd: Path) -> Path:
    path = request_ledger or DEFAULT_LEDGER
    return path if path.is_absolute() else cwd / path


def run(request: RunRequest, report: Report, progress: Progress | None = None) -> RunResult:
    """Read every input, account for every row and, unless a dry run, write a batch folder.

    ``progress(done, total)`` follows the PDF pages of a large batch as they are made.
    """
    with _fewer_gc_passes():
        return _run(request, report, progress)


@contextmanager
def _fewer_gc_passes() -> Iterator[None]:
    """Let Python's cyclic garbage collector run less often while a batch is made.

    A run allocates millions of small objects (cells, rows, signers, template output) and
    keeps a million of them (the accounting) to the end; none of them form cycles. With the
    default thresholds, a young-generation pass every 700 allocations and the older passes
    that follow it walk that growing heap again and again: 0.55 s of a 5.8 s run at
    100 000 signers (benchmarks/bench_run.py). A pass every 50 000 allocations costs 2 MB
    more peak memory. The caller's thresholds are restored afterwards.
    """
    before = gc.get_threshold()
    gc.set_threshold(*GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _run(request: RunRequest, report: Report, progress: Progress | None) -> RunResult:
    inputs = request.inputs or (Path("inputs"),)
    files = tuple(list_inputs([_under(request.cwd, path) for path in inputs]))
    if not files:
        raise InputError(
            f"{', '.join(str(p) for p in inputs)}: no spreadsheets found - put .xlsx, .ods, .xls "
            "or .csv files there, or name the files on the command line"
        )
    campaign = load_campaign(request.campaign, request.cwd)
    warning = deadline_warning(campaign, request.today)
    if warning:
        report("warning", warning)
    ensure_template_ok(campaign.template)
    addressee = _addressee(campaign, request.post)
    label = labels.label_product(request.post.labels)
    labels.check_start(label, request.post.start_label)

    def note(text: str) -> None:
        report("note", text)

    report("step", f"reading {len(files)} file(s)")
    accounting = account_rows(_all_rows(files, note, request), row_problem)
    if not accounting.signers and not request.blank_lists:
        raise InputError(
            f"{', '.join(_display(f, request.cwd) for f in files)}: no signers found "
            f"({accounting.rows} rows: {accounting.blank} blank, {len(accounting.rejected)} "
            f"rejected, {len(accounting.duplicates)} duplicates) - run with --dry-run to see "
            "why each row was rejected, and fix those rows"
        )
    result = RunResult(files, accounting, (), campaign)
    ledger = open_ledger(ledger_path(request.ledger, request.cwd), create=not request.dry_run)
    if ledger is None:  # a dry run before the first batch
        return _plan(request, result, report)
    try:
        if request.dry_run:
            _leave_out_listed(request, ledger, accounting)
            return _plan(request, result, report)

        def on_wait() -> None:
            report("note", "another petition-merge run is using the ledger; waiting for it")

        with ledger.exclusive(on_wait):
            keep = staging_folders.finish_renames(ledger)
            _leave_out_listed(request, ledger, accounting)
            result = _plan(request, result, report)
            if result.nothing_new:
                return result
            target = _batch_folder(request, ledger)
            staging_folders.remove_stale_staging(target.parent, keep)
            staging = staging_folders.make_staging(target)
            try:
                written = _write(
                    request, result, addressee, label, target.name, staging, report, progress
                )
                ledger.record_batch(_record(request, result, target, staging))
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                raise
        staging_folders.rename_into_place(staging, target)
    finally:
        ledger.close()
    return replace(
        result,
        batch=target.name,
        batch_dir=target,
        written=tuple(written),
        pdf_missing=request.pdf and batch_files.LISTS_PDF not in written,
    )


def _leave_out_listed(request: RunRequest, ledger: Ledger, accounting: Accounting) -> None:
    if not request.reprint:
        accounting.set_aside(ledger.listed(signer.key for signer in accounting.signers))


def _plan(request: RunRequest, result: RunResult, report: Report) -> RunResult:
    """Paginate the signers and pack the lists into envelopes."""
    accounting = result.accounting
    if not accounting.signers and not request.blank_lists:
        return result  # every signer is on an earlier list: nothing new, the caller says so
    pages = tuple(paginate(accounting.signers, request.blank_lists))
    post = request.post
    plan = plan_envelopes(
        [page.number for page in pages],
        mail_date=post.mail_date or request.today,
        envelope=post.envelope,
        paper_grams_per_sheet=post.sheet_grams,
        envelope_grams=post.envelope_grams,
        per_envelope=post.per_envelope,
    )
    for text in plan.warnings:
        report("warning", text)
    return replace(result, pages=pages, plan=plan)


def _write(
    request: RunRequest,
    result: RunResult,
    addressee: tuple[str, ...],
    label: labels.LabelProduct,
    name: str,
    staging: Path,
    report: Report,
    progress: Progress | None,
) -> list[str]:
    assert result.plan is not None
    transit = load_postage().transit_days
    checklist = batch_write.checklist_data(
        name,
        request.today,
        result.campaign,
        result.accounting,
        result.pages,
        result.plan,
        transit,
        request.names,
    )
    content = batch_write.BatchContent(
        name=name,
        campaign=result.campaign,
        pages=result.pages,
        plan=result.plan,
        addressee=addressee,
        label=label,
        manifest=build_manifest(
            request, result, name, [_display(path, request.cwd) for path in result.files]
        ),
        checklist=checklist,
    )
    post = request.post
    options = batch_write.PrintOptions(
        start_label=post.start_label,
        label_offset_mm=post.label_offset_mm,
        return_labels=post.return_labels,
        envelope=post.envelope,
        window=post.window,
        pdf=request.pdf,
    )
    return batch_write.write_files(
        staging, content, options, lambda text: report("step", text), progress
    )


def _record(request: RunRequest, result: RunResult, target: Path, staging: Path) -> BatchRecord:
    assert result.plan is not None
    envelope_of = {n: env.number for env in result.plan.envelopes for n in env.lists}
    return BatchRecord(
        name=target.name,
        campaign=result.campaign.name,
        prepared_on=request.today,
        deadline=result.campaign.deadline,
        transit_days=load_postage().transit_days,
        folder=target.resolve(),
        staging=staging.resolve(),
        lists=tuple(
            ListRecord(
                number=page.number,
                envelope=envelope_of[page.number],
                keys=tuple((s.key, s.origin) for s in page.signers),
            )
            for page in result.pages
        ),
        envelopes=tuple(
            EnvelopeRecord(env.number, env.product_name, env.price_eur, env.grams)
            for env in result.plan.envelopes
        ),
    )


def _addressee(campaign: Campaign, post: PostOptions) -> tuple[str, ...]:
    """Return the address block for labels and envelopes, local script above the Latin lines."""
    if post.return_labels and not campaign.return_address:
        raise CampaignError(
            f"{campaign.source}: key 'return_address' is empty - add the sender's address "
            "lines to print return-address labels"
        )
    if not post.local_address:
        return campaign.addressee
    if not campaign.addressee_local:
        raise CampaignError(
            f"{campaign.source}: key 'addressee_local' is empty - add the addressee in its own "
            "script, or run without --local-address"
        )
    return (*campaign.addressee_local, *campaign.addressee)


def _under(cwd: Path, path: Path) -> Path:
    return path if path.is_absolute() else cwd / path


def _display(path: Path, cwd: Path) -> str:
    try:
        return str(path.relative_to(cwd))
    except ValueError:
        return str(path)


def _all_rows(
    files: Sequence[Path], note: Callable[[str], None], request: RunRequest
) -> Iterator[SourceRow]:
    return itertools.chain.from_iterable(
        read_rows(path, note, request.max_unpacked_mb, display=_display(path, request.cwd))
        for path in files
    )


def _batch_folder(request: RunRequest, ledger: Ledger) -> Path:
    """Pick the batch folder: ``--out`` as given, else the first free outputs/<date>-<n>."""
    if request.out_dir is not None:
        target = _under(request.cwd, request.out_dir)
        if target.exists() or ledger.has_batch(target.name):
            raise OutputError(
                f"{request.out_dir}: a batch of that name already exists - choose another "
                "--out folder; petition-merge never overwrites a batch"
            )
        return target
    root = request.cwd / "outputs"
    for number in itertools.count(1):
        target = root / f"{request.today.isoformat()}-{number}"
        if not target.exists() and not ledger.has_batch(target.name):
            return target
    raise AssertionError("unreachable")
