"""Run the stages in order: read, account, leave out who was sent, paginate, plan, write.

No user interface here: steps, notes, warnings and progress go to the one reporter
(:mod:`merge.reporter`), results are returned, and the clock is read by the caller.
"""

from __future__ import annotations

import datetime as dt
import gc
import itertools
import shutil
import tempfile
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from merge import batch as batch_files
from merge.batch import staging as staging_folders
from merge.batch import write as batch_write
from merge.batch.model import Batch, PostOptions
from merge.campaign import Campaign, deadline_warning, load_campaign
from merge.errors import CampaignError, InputError, OutputError
from merge.i18n import _, ngettext, on_page
from merge.lists.accounting import Accounting, account_rows
from merge.lists.fit import RowFit
from merge.lists.paginate import Page, paginate
from merge.post.data import PostageData
from merge.post.envelope_formats import AUTO, bundled_envelope_data
from merge.post.plan import PostagePlan, plan_envelopes
from merge.post.prices import folder_postage
from merge.read.mapping import ColumnMappings, mappings_for
from merge.read.rows import SourceRow, list_inputs, read_rows
from merge.read.sniff import MAX_UNPACKED_MB
from merge.render.label_products import LabelProduct, check_start, label_product
from merge.render.pdf import Converter
from merge.render.template_check import ensure_template_ok
from merge.reporter import Report, Reporter, ignore
from merge.track.ledger import Ledger, open_ledger
from merge.track.where import LedgerOption, ledger_location

GC_THRESHOLDS = (50_000, 20, 100)  # Python's default: (700, 10, 10); see _fewer_gc_passes


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
    ledger: LedgerOption = None  # a path or a server's URL; None: outputs/ledger.sqlite
    group: str | None = None  # the local group preparing the batch; None: the folder's name
    reprint: bool = False  # print signers again even if an earlier batch has them
    print_changed: bool = False  # print rows changed since an earlier list (held otherwise)
    names: bool = False  # put names into the dispatch checklist
    # What makes the PDFs; None: a LibreOffice started for the batch (the CLI). The web page
    # passes its warm one (merge.render.office.WarmOffice.convert_pairs).
    converter: Converter | None = None


@dataclass(frozen=True)
class RunResult:
    """What a run found and did: the accounting, the plan, and the batch if one was written."""

    files: tuple[Path, ...]
    accounting: Accounting
    campaign: Campaign
    pages: tuple[Page, ...] = ()
    plan: PostagePlan | None = None
    batch: Batch | None = None  # the batch written (None for a dry run or nothing new)
    batch_dir: Path | None = None
    written: tuple[str, ...] = ()
    pdf_missing: bool = False

    @property
    def nothing_new(self) -> bool:
        """True when every signer is already on an earlier batch's list (or held back)."""
        acc = self.accounting
        return not self.pages and bool(acc.previously_listed or acc.held)

    @property
    def no_signers(self) -> bool:
        """True when the files hold nobody to print at all (a dry run returns then)."""
        acc = self.accounting
        return not self.pages and not acc.signers and not acc.previously_listed and not acc.held

    def summary(self) -> list[tuple[str, int, bool]]:
        """Return the accounting as (label, count, bucket) rows in the run's language: the
        table the CLI prints and the web page shows; ``bucket`` marks where rows went."""
        acc = self.accounting
        return [
            (_("files read"), len(self.files), False),
            (_("rows"), acc.rows, False),
            (_("signers (printed)"), len(acc.signers), True),
            (_("on earlier lists"), len(acc.previously_listed), True),
            (_("changed since (held)"), len(acc.held), True),
            (_("duplicates"), len(acc.duplicates), True),
            (_("rejected"), len(acc.rejected), True),
            (_("blank"), acc.blank, True),
            (_("petition lists"), len(self.pages), False),
        ]


def run(request: RunRequest, reporter: Reporter = ignore) -> RunResult:
    """Read every input, account for every row and, unless a dry run, write a batch folder.

    Steps, notes and warnings go to ``reporter``, and the PDF pages of a large batch as
    progress. While it works the garbage collector runs less often (process-wide; see
    :func:`_fewer_gc_passes`).
    """
    with _fewer_gc_passes():
        return _run(request, reporter)


@contextmanager
def _fewer_gc_passes() -> Iterator[None]:
    """Let Python's cyclic garbage collector run less often while a batch is made.

    A run allocates millions of small objects (cells, rows, signers, template output) and
    keeps a million of them (the accounting) to the end; none of them form cycles. With the
    default thresholds, a young-generation pass every 700 allocations and the older passes
    that follow it walk that growing heap again and again: 0.55 s of a 5.8 s run at
    100 000 signers (benchmarks/bench_run.py). A pass every 50 000 allocations costs 2 MB
    more peak memory. The caller's thresholds are restored when the last of the runs that
    overlap (the web page's jobs and dry runs run in threads) has finished.
    """
    global _gc_runs, _gc_before
    with _gc_lock:
        if _gc_runs == 0:
            _gc_before = gc.get_threshold()
            gc.set_threshold(*GC_THRESHOLDS)
        _gc_runs += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_runs -= 1
            if _gc_runs == 0:
                gc.set_threshold(*_gc_before)


_gc_lock = threading.Lock()
_gc_runs = 0  # runs going on in this process
_gc_before: tuple[int, ...] = gc.get_threshold()


def _run(request: RunRequest, reporter: Reporter) -> RunResult:
    inputs = request.inputs or (Path("inputs"),)
    files = tuple(list_inputs([_under(request.cwd, path) for path in inputs]))
    if not files:
        raise InputError(
            _(
                "{inputs}: no spreadsheets found - put .xlsx, .ods, .xls or .csv files there, or "
                "name the files on the command line"
            ).format(inputs=", ".join(str(p) for p in inputs))
        )
    campaign = load_campaign(request.campaign, request.cwd)
    warning = deadline_warning(campaign, request.today, request.cwd)
    if warning:
        reporter(Report.warning(warning))
    if campaign.country_note:
        reporter(Report.warning(f"{campaign.source}: {campaign.country_note}"))
    geometry = ensure_template_ok(campaign.template, campaign)
    postage = folder_postage(request.cwd)  # before reading: a mistake in porto.toml stops it
    addressee = _addressee(campaign, request.post)
    label = label_product(request.post.labels)
    check_start(label, request.post.start_label)
    with tempfile.TemporaryDirectory(prefix="petition-merge-check-") as scratch:
        # The campaign's blocks against this label and the envelopes, before any file is read;
        # the plan compares (and --envelope auto picks from) only the formats they fit.
        fitting = _check_post_texts(Path(scratch), campaign, request.post, label, addressee)
    postage = replace(postage, envelopes=postage.envelopes.only(fitting))

    reporter(
        Report.step(
            ngettext("reading {n} file", "reading {n} files", len(files)).format(n=len(files))
        )
    )
    accounting = account_rows(_all_rows(files, reporter, request), RowFit(geometry))
    result = RunResult(files, accounting, campaign)
    if not accounting.signers and not request.blank_lists:
        if request.dry_run:
            return result  # the caller lists why each row was left out, then says so
        raise no_signers_error(result, request.cwd)
    location = ledger_location(request.ledger, request.cwd)
    ledger = open_ledger(location, create=not request.dry_run)
    if ledger is None:  # a dry run before the first batch
        return _plan(request, result, postage, reporter)
    # A shared ledger holds other groups' batches, whose folders are on their machines.
    mine = group_of(request) if location.shared else None
    if location.shared and not request.group:  # two laptops may both be in "Petitionen"
        reporter(Report.note(default_group_note(request)))
    try:
        if request.dry_run:
            for text in staging_folders.missing_folders(ledger, mine):
                reporter(Report.warning(text))
            return _plan(request, _leave_out_listed(request, ledger, result), postage, reporter)

        def on_wait() -> None:
            reporter(
                Report.note(_("another petition-merge run is using the ledger; waiting for it"))
            )

        with ledger.exclusive(on_wait):
            keep = staging_folders.finish_renames(ledger)
            for text in staging_folders.missing_folders(ledger, mine):
                reporter(Report.warning(text))
            result = _plan(request, _leave_out_listed(request, ledger, result), postage, reporter)
            if result.nothing_new:
                return result
            target = _batch_folder(request, ledger)
            transit_days = postage.transit_days_for(campaign.country)
            batch = _batch(request, result, addressee, label, target.name, transit_days)
            staging_folders.remove_stale_staging(target.parent, keep)
            staging = staging_folders.make_staging(target)
            try:
                written = batch_write.write_files(
                    staging, batch, reporter, converter=request.converter
                )
                ledger.record_batch(batch, target.resolve(), staging.resolve())
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                raise
        staging_folders.rename_into_place(staging, target)
    finally:
        ledger.close()
    return replace(
        result,
        batch=batch,
        batch_dir=target,
        written=tuple(written),
        pdf_missing=request.pdf and batch_files.LISTS_PDF not in written,
    )


def _check_post_texts(
    scratch: Path,
    campaign: Campaign,
    post: PostOptions,
    label: LabelProduct,
    addressee: tuple[str, ...],
) -> tuple[str, ...]:
    """Return the envelope formats the campaign's texts fit (with this label); refuse, in one
    line, text that does not fit the format asked for, or (``--envelope auto``) any."""
    codes = bundled_envelope_data().codes
    auto = post.envelope.casefold() == AUTO
    asked = None if auto else bundled_envelope_data().by_code(post.envelope).code
    fitting: list[str] = []
    refusal: CampaignError | None = None
    batch_write.write_labels(scratch, campaign, post, label, addressee, 1)  # the same for all
    for code in codes:
        try:
            batch_write.write_envelopes(scratch, campaign, post, addressee, 1, code)
        except CampaignError as err:
            if code == asked:
                raise
            refusal = refusal or err
        else:
            fitting.append(code)
    if not fitting:
        assert refusal is not None
        raise refusal
    return tuple(fitting)


def no_signers_error(result: RunResult, cwd: Path, listed: bool = False) -> InputError:
    """Say that the files hold nobody to print, and how the rows went; ``listed`` when the
    reasons were just shown (a dry run)."""
    acc = result.accounting
    if not acc.rows:
        text = ngettext(
            "{files}: no signers found ({n} row: {blank} blank, {rejected} rejected, "
            "{duplicates} duplicates) - the files hold no rows below their headers: add the "
            "signers' rows",
            "{files}: no signers found ({n} rows: {blank} blank, {rejected} rejected, "
            "{duplicates} duplicates) - the files hold no rows below their headers: add the "
            "signers' rows",
            acc.rows,
        )
    elif listed and on_page():  # the check page lists the rows below its error
        text = ngettext(
            "{files}: no signers found ({n} row: {blank} blank, {rejected} rejected, "
            "{duplicates} duplicates) - fix the rows listed below",
            "{files}: no signers found ({n} rows: {blank} blank, {rejected} rejected, "
            "{duplicates} duplicates) - fix the rows listed below",
            acc.rows,
        )
    elif listed:
        text = ngettext(
            "{files}: no signers found ({n} row: {blank} blank, {rejected} rejected, "
            "{duplicates} duplicates) - fix the rows listed above",
            "{files}: no signers found ({n} rows: {blank} blank, {rejected} rejected, "
            "{duplicates} duplicates) - fix the rows listed above",
            acc.rows,
        )
    elif on_page():
        text = ngettext(
            "{files}: no signers found ({n} row: {blank} blank, {rejected} rejected, "
            '{duplicates} duplicates) - press "Check the rows" on the first page again to '
            "see why each row was rejected, and fix those rows",
            "{files}: no signers found ({n} rows: {blank} blank, {rejected} rejected, "
            '{duplicates} duplicates) - press "Check the rows" on the first page again to '
            "see why each row was rejected, and fix those rows",
            acc.rows,
        )
    else:
        text = ngettext(
            "{files}: no signers found ({n} row: {blank} blank, {rejected} rejected, "
            "{duplicates} duplicates) - run with --dry-run to see why each row was rejected, "
            "and fix those rows",
            "{files}: no signers found ({n} rows: {blank} blank, {rejected} rejected, "
            "{duplicates} duplicates) - run with --dry-run to see why each row was rejected, "
            "and fix those rows",
            acc.rows,
        )
    return InputError(
        text.format(
            files=", ".join(_display(f, cwd) for f in result.files),
            n=acc.rows,
            blank=acc.blank,
            rejected=len(acc.rejected),
            duplicates=len(acc.duplicates),
        )
    )


def _leave_out_listed(request: RunRequest, ledger: Ledger, result: RunResult) -> RunResult:
    """Set aside the signers an earlier batch already has on a list (unless reprinting)."""
    if request.reprint:
        return result
    accounting = result.accounting
    listed = ledger.listed(result.campaign.id, accounting.signers)
    return replace(result, accounting=accounting.without_listed(listed, request.print_changed))


def _plan(
    request: RunRequest, result: RunResult, postage: PostageData, reporter: Reporter
) -> RunResult:
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
        address_sheets=1 if post.window else 0,  # the address sheet of a window envelope
        country=result.campaign.country,
        data=postage,
    )
    for text in plan.warnings:
        reporter(Report.warning(text))
    return replace(result, pages=pages, plan=plan)


def _batch(
    request: RunRequest,
    result: RunResult,
    addressee: tuple[str, ...],
    label: LabelProduct,
    name: str,
    transit_days: int,
) -> Batch:
    """Gather everything the batch folder shows into one frozen Batch."""
    assert result.plan is not None
    return Batch(
        name=name,
        prepared_on=request.today,
        campaign=result.campaign,
        inputs=tuple(_display(path, request.cwd) for path in result.files),
        accounting=result.accounting,
        pages=result.pages,
        plan=result.plan,
        post=request.post,
        label=label,
        addressee=addressee,
        transit_days=transit_days,
        names=request.names,
        pdf=request.pdf,
        group=group_of(request),
        reprint=request.reprint,
    )


def group_of(request: RunRequest) -> str:
    """Return the group preparing the batch: ``--group``, else the working folder's name."""
    return request.group or request.cwd.resolve().name


def default_group_note(request: RunRequest) -> str:
    """Say which group a shared ledger records the batch for when none was given."""
    return _("batch for group '{group}' (the working folder's name; --group changes it)").format(
        group=group_of(request)
    )


def _addressee(campaign: Campaign, post: PostOptions) -> tuple[str, ...]:
    """Return the address block for labels and envelopes, local script above the Latin lines."""
    if post.return_labels and not campaign.return_address:
        raise CampaignError(
            _(
                "{file}: key 'return_address' is empty - add the sender's address lines to "
                "print return-address labels"
            ).format(file=campaign.source)
        )
    if not post.local_address:
        return campaign.addressee
    if not campaign.addressee_local:
        raise CampaignError(
            _(
                "{file}: key 'addressee_local' is empty - add the addressee in its own script, "
                "or run without --local-address"
            ).format(file=campaign.source)
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
    files: Sequence[Path], reporter: Reporter, request: RunRequest
) -> Iterator[SourceRow]:
    folders: dict[Path, ColumnMappings] = {}  # each folder's column mapping file, read once

    def mappings(path: Path, shown: str) -> ColumnMappings:
        if path.parent not in folders:
            folders[path.parent] = mappings_for(path.parent, str(Path(shown).parent))
        return folders[path.parent]

    return itertools.chain.from_iterable(
        read_rows(path, reporter, request.max_unpacked_mb, shown, mappings(path, shown))
        for path in files
        for shown in (_display(path, request.cwd),)
    )


def _batch_folder(request: RunRequest, ledger: Ledger) -> Path:
    """Pick the batch folder: ``--out`` as given, else the first free outputs/<date>-<n>."""
    if request.out_dir is not None:
        target = _under(request.cwd, request.out_dir)
        batch_files.check_batch_name(target.name)
        if target.exists() or ledger.has_batch(target.name):
            raise OutputError(
                _(
                    "{folder}: a batch of that name already exists - choose another --out "
                    "folder; petition-merge never overwrites a batch"
                ).format(folder=request.out_dir)
            )
        return target
    root = request.cwd / "outputs"
    for number in itertools.count(1):
        target = root / f"{request.today.isoformat()}-{number}"
        if not target.exists() and not ledger.has_batch(target.name):
            return target
    raise AssertionError("unreachable")
