"""Run the stages in order: read, account, paginate, render, write the batch folder.

No user interface here: progress and notes go to a callback, results are returned, and
the clock is read by the caller.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from merge import documents, labels, layout, postage
from merge.campaign import Campaign, deadline_warning, load_campaign
from merge.errors import CampaignError, InputError, OutputError
from merge.paginate import Page, paginate
from merge.postage import PostagePlan
from merge.signers import Accounting, account_rows
from merge.sources import MAX_UNPACKED_MB, SourceRow, list_inputs, read_rows

Report = Callable[[str, str], None]  # (kind, text); kind is "note", "warning" or "step"

LISTS_DOCX = "petition-lists.docx"
LISTS_PDF = "petition-lists.pdf"
LABELS_DOCX = "labels.docx"
ENVELOPES_DOCX = "envelopes.docx"
MANIFEST = "manifest.json"
STAGING_SUFFIX = ".partial"
_STAGING_PID = re.compile(r"\.pid(\d+)\.")
STALE_AFTER_SECONDS = 24 * 3600  # where the process cannot be asked whether it still runs


@dataclass(frozen=True)
class PostOptions:
    """How the lists are packed, franked and addressed."""

    labels: str = "3422"  # label product code
    start_label: int = 1  # first free label on the first sheet
    label_offset_mm: tuple[float, float] = (0.0, 0.0)  # printer calibration, right/down
    return_labels: bool = False
    local_address: bool = False  # add the campaign's addressee_local lines above the Latin ones
    envelope: str = "DL"
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
    notes: tuple[str, ...] = field(default_factory=tuple)


def run(request: RunRequest, report: Report) -> RunResult:
    """Read every input, account for every row and, unless a dry run, write a batch folder."""
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
    documents.ensure_template_ok(campaign.template)
    addressee = _addressee(campaign, request.post)
    label = labels.label_product(request.post.labels)
    labels.check_start(label, request.post.start_label)

    notes: list[str] = []

    def note(text: str) -> None:
        notes.append(text)
        report("note", text)

    report("step", f"reading {len(files)} file(s)")
    accounting = account_rows(_all_rows(files, note, request), layout.row_problem)
    if not accounting.signers and not request.blank_lists:
        raise InputError(
            f"{', '.join(_display(f, request.cwd) for f in files)}: no signers found "
            f"({accounting.rows} rows: {accounting.blank} blank, {len(accounting.rejected)} "
            f"rejected, {len(accounting.duplicates)} duplicates) - run with --dry-run to see "
            "why each row was rejected, and fix those rows"
        )
    pages = tuple(paginate(accounting.signers, request.blank_lists))
    post = request.post
    plan = postage.plan_envelopes(
        [page.number for page in pages],
        mail_date=post.mail_date or request.today,
        envelope=post.envelope,
        paper_grams_per_sheet=post.sheet_grams,
        envelope_grams=post.envelope_grams,
        per_envelope=post.per_envelope,
    )
    for text in plan.warnings:
        report("warning", text)
    result = RunResult(
        files=files,
        accounting=accounting,
        pages=pages,
        campaign=campaign,
        plan=plan,
        notes=tuple(notes),
    )
    if request.dry_run:
        return result
    return _write_batch(request, result, addressee, label, report)


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


def batch_folder(request: RunRequest) -> Path:
    """Pick the batch folder: ``--out`` as given, else the first free outputs/<date>-<n>."""
    if request.out_dir is not None:
        target = _under(request.cwd, request.out_dir)
        if target.exists():
            raise OutputError(
                f"{request.out_dir}: already exists - choose another --out folder; "
                "petition-merge never overwrites a batch"
            )
        return target
    root = request.cwd / "outputs"
    for number in itertools.count(1):
        target = root / f"{request.today.isoformat()}-{number}"
        if not target.exists():
            return target
    raise AssertionError("unreachable")


def remove_stale_staging(folder: Path) -> None:
    """Remove half-built batch folders left by a run that was killed or lost its power.

    A staging folder names the process that builds it; it is stale once that process is
    gone. Where that cannot be asked (not POSIX), only folders older than a day go.
    """
    for staging in folder.glob(f".*{STAGING_SUFFIX}"):
        match = _STAGING_PID.search(staging.name)
        if match and os.name == "posix":
            if _process_alive(int(match.group(1))):
                continue
        elif time.time() - staging.stat().st_mtime < STALE_AFTER_SECONDS:
            continue
        shutil.rmtree(staging, ignore_errors=True)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


def _write_batch(
    request: RunRequest,
    result: RunResult,
    addressee: tuple[str, ...],
    label: labels.LabelProduct,
    report: Report,
) -> RunResult:
    """Build the batch in a hidden temporary folder beside its destination, then rename it."""
    target = batch_folder(request)
    batch = target.name
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_staging(target.parent)
        staging = Path(
            tempfile.mkdtemp(
                prefix=f".{batch}.pid{os.getpid()}.", suffix=STAGING_SUFFIX, dir=target.parent
            )
        )
    except OSError as err:
        raise OutputError(
            f"{target.parent}: cannot create the batch folder ({err.strerror})"
        ) from err
    try:
        written = _write_documents(request, result, addressee, label, staging, batch, report)
        pdf_missing = request.pdf and LISTS_PDF not in written
        written.append(MANIFEST)
        _write_json(staging / MANIFEST, manifest(request, result, batch, written))
        if target.exists():
            raise OutputError(f"{target}: appeared while this run was writing - run again")
        os.replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return RunResult(
        files=result.files,
        accounting=result.accounting,
        pages=result.pages,
        campaign=result.campaign,
        plan=result.plan,
        batch=batch,
        batch_dir=target,
        written=tuple(written),
        pdf_missing=pdf_missing,
        notes=result.notes,
    )


def _write_documents(
    request: RunRequest,
    result: RunResult,
    addressee: tuple[str, ...],
    label: labels.LabelProduct,
    staging: Path,
    batch: str,
    report: Report,
) -> list[str]:
    """Write the lists, labels and envelopes, then their PDFs; return the file names."""
    assert result.plan is not None
    post, campaign = request.post, result.campaign
    envelopes = len(result.plan.envelopes)
    report("step", f"writing {envelopes} address label(s) and envelope(s)")
    labels.render_labels(
        staging / LABELS_DOCX,
        addressee,
        envelopes,
        label,
        start=post.start_label,
        offset_mm=post.label_offset_mm,
        sender=campaign.return_address if post.return_labels else None,
    )
    labels.render_envelopes(
        staging / ENVELOPES_DOCX,
        addressee,
        envelopes,
        envelope=post.envelope,
        window=post.window,
        sender_line=campaign.sender_line or None,
    )
    report("step", f"writing {len(result.pages)} petition list(s)")
    documents.render_petitions(
        campaign.template, campaign, result.pages, batch, staging / LISTS_DOCX
    )
    docx = [LISTS_DOCX, LABELS_DOCX, ENVELOPES_DOCX]
    if not request.pdf or documents.find_soffice() is None:
        return docx
    report("step", "making the PDFs with LibreOffice")
    pdfs = [name.replace(".docx", ".pdf") for name in docx]
    documents.convert_all_to_pdf(
        [(staging / d, staging / p) for d, p in zip(docx, pdfs, strict=True)]
    )
    return [name for pair in zip(docx, pdfs, strict=True) for name in pair]


def manifest(
    request: RunRequest, result: RunResult, batch: str, files: Sequence[str]
) -> dict[str, Any]:
    """Describe the batch: counts, where each rejected and duplicate row came from, the lists."""
    acc = result.accounting
    return {
        "batch": batch,
        "prepared_on": request.today.isoformat(),
        "campaign": result.campaign.name,
        "inputs": [_display(path, request.cwd) for path in result.files],
        "counts": {
            "rows": acc.rows,
            "blank": acc.blank,
            "signers": len(acc.signers),
            "duplicates": len(acc.duplicates),
            "rejected": len(acc.rejected),
            "lists": len(result.pages),
        },
        "rejected": [{"origin": r.origin, "reason": r.reason} for r in acc.rejected],
        "duplicates": [
            {"origin": d.origin, "duplicate_of": d.duplicate_of} for d in acc.duplicates
        ],
        "warnings": [{"origin": w.origin, "warning": w.reason} for w in acc.warnings],
        "lists": [
            {"number": page.number, "origins": [s.origin for s in page.signers]}
            for page in result.pages
        ],
        **_postage_manifest(result.plan),
        "files": list(files),
    }


def _postage_manifest(plan: PostagePlan | None) -> dict[str, Any]:
    if plan is None:
        return {}
    data = postage.plan_as_json(plan)
    envelopes = data.pop("envelopes")
    return {"envelopes": envelopes, "postage": data}


def _write_json(path: Path, data: dict[str, Any]) -> None:
    try:
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    except OSError as err:
        raise OutputError(f"{path}: cannot write ({err.strerror})") from err
