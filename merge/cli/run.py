"""petition-merge run: read, account, and write a batch; print the accounting and the post."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

from merge.batch import batch_order
from merge.cli import language
from merge.cli.app import (
    GROUP_OPTION,
    LEDGER_OPTION,
    Day,
    Grams,
    Whole,
    check_out,
    check_start_label,
    cli,
    label_offset_option,
)
from merge.cli.console import SHOWN_ROWS, console, plain, stderr, warning
from merge.cli.data_options import envelope_option, labels_option
from merge.cli.language import argument, option
from merge.cli.reporting import console_reporter
from merge.i18n import N_, _, ngettext
from merge.i18n.conventions import format_number
from merge.post.money import format_eur
from merge.read.sniff import MAX_UNPACKED_MB
from merge.track.checklist import ROWS
from merge.track.where import LedgerOption

if TYPE_CHECKING:
    from merge.pipeline import RunResult
    from merge.post.plan import PostagePlan


@cli.command("run")
@argument("inputs", nargs=-1, type=language.Path(path_type=Path), metavar=N_("[FILE]..."))
@option(
    "--out",
    "out_dir",
    type=language.Path(path_type=Path),
    metavar=N_("FOLDER"),
    callback=check_out,
    help="Batch folder to create (default outputs/<date>-<n>).",
)
@option("--dry-run", is_flag=True, help="Only read and account for the rows; write nothing.")
@option(
    "--campaign",
    metavar=N_("NAME|PATH"),
    help="Campaign file or name in templates/ (default: the one there; else xuar).",
)
@option(
    "--blank",
    "blank_lists",
    type=Whole(0, 1000),
    metavar=N_("COUNT"),
    default=0,
    show_default=True,
    help="Empty lists to add for collecting signatures by hand.",
)
@option("--no-pdf", is_flag=True, help="Do not make the PDF with LibreOffice.")
@labels_option("Label product for the address labels (e.g. 3422, 3474, L7163).")
@option(
    "--start-label",
    type=Whole(1),
    metavar=N_("NUMBER"),
    default=1,
    show_default=True,
    help="First free label on a partly used sheet (1 = top left, row by row).",
)
@label_offset_option(
    "Shift labels X mm right and Y mm down to match your printer (see label-test): decimal "
    'comma or point, in quotes because of the ";", e.g. "1,5;-0,5"; or X,Y with points: '
    "1.5,-0.5."
)
@option("--return-labels", is_flag=True, help="Also print a return-address label per envelope.")
@option(
    "--local-address",
    is_flag=True,
    help="Add the campaign's addressee in its own script (e.g. Chinese) above the Latin lines.",
)
@envelope_option(
    "Envelope size: DL (A4 folded in three), C5 (folded once), C4 (flat), or auto: the one "
    "with the lowest postage."
)
@option("--window", is_flag=True, help="Window envelopes: print address sheets (DIN 5008 B).")
@option(
    "--per-envelope",
    type=Whole(1),
    metavar=N_("COUNT"),
    help="At most this many lists per envelope.",
)
@option(
    "--mail-date",
    type=Day(),
    metavar=N_("DATE"),
    help="Day of posting, e.g. 31.12.2026, 1.2.2026 or 2026-12-31; picks the price period "
    "(default: today).",
)
@option(
    "--sheet-grams",
    type=Grams(min=0.1),
    metavar=N_("GRAMS"),
    help="Weight of one sheet, e.g. 4,5 or 4.5 (default 5 g).",
)
@option(
    "--envelope-grams",
    type=Grams(min=0.1),
    metavar=N_("GRAMS"),
    help="Weight of one empty envelope, e.g. 12,5 (default from merge/data/envelopes.json).",
)
@option(
    "--max-unpacked-mb",
    type=Whole(1),
    metavar="MB",
    default=MAX_UNPACKED_MB,
    show_default=True,
    help="Refuse workbooks that unpack to more than this.",
)
@option("--reprint", is_flag=True, help="Print signers again even if an earlier batch has them.")
@option(
    "--print-changed",
    is_flag=True,
    help="Print rows changed since an earlier list of the campaign (held back otherwise).",
)
@option("--names", is_flag=True, help="Put signers' names into the dispatch checklist.")
@LEDGER_OPTION
@GROUP_OPTION
def run_command(
    inputs: tuple[Path, ...],
    out_dir: Path | None,
    dry_run: bool,
    campaign: str | None,
    blank_lists: int,
    no_pdf: bool,
    label_code: str,
    start_label: int,
    label_offset: tuple[float, float],
    return_labels: bool,
    local_address: bool,
    envelope: str,
    window: bool,
    per_envelope: int | None,
    mail_date: dt.date | None,
    sheet_grams: float | None,
    envelope_grams: float | None,
    max_unpacked_mb: int,
    reprint: bool,
    print_changed: bool,
    names: bool,
    ledger: LedgerOption,
    group: str | None,
) -> None:
    """Read signer lists, account for every row and write the petition lists.

    With no FILE, every spreadsheet in ./inputs/ is read (.xlsx, .xlsm, .xls, .ods,
    .csv, .tsv, .txt). Signers already on an earlier batch's list are left out (see
    --reprint). The lists are packed into envelopes at the lowest postage. The batch
    folder gets petition-lists, labels and envelopes (.docx, and .pdf when LibreOffice
    is installed), dispatch-checklist.xlsx and manifest.json; the ledger records it.

    \b
    Example:
      petition-merge run inputs/infostand.xlsx inputs/gemeinde.csv --blank 2
      petition-merge run --labels L7163 --start-label 7 --envelope C5
    """
    check_start_label(label_code, start_label)

    from merge.batch.model import PostOptions  # the pipeline loads the document libraries
    from merge.pipeline import RunRequest, run

    request = RunRequest(
        cwd=Path.cwd(),
        today=dt.date.today(),
        inputs=inputs,
        out_dir=out_dir,
        dry_run=dry_run,
        campaign=campaign,
        blank_lists=blank_lists,
        pdf=not no_pdf,
        max_unpacked_mb=max_unpacked_mb,
        ledger=ledger,
        group=group,
        reprint=reprint,
        print_changed=print_changed,
        names=names,
        post=PostOptions(
            labels=label_code,
            start_label=start_label,
            label_offset_mm=label_offset,
            return_labels=return_labels,
            local_address=local_address,
            envelope=envelope.upper(),
            window=window,
            per_envelope=per_envelope,
            mail_date=mail_date,
            sheet_grams=sheet_grams,
            envelope_grams=envelope_grams,
        ),
    )
    out, err = console(), stderr()

    with console_reporter(err) as reporter:
        result = run(request, reporter)
    _print_summary(out, result, every_row=dry_run)
    if result.no_signers:  # a dry run of files that hold nobody to print
        from merge.pipeline import no_signers_error

        raise no_signers_error(result, request.cwd, listed=True)
    if result.nothing_new:
        _print_nothing_new(out, result)
    elif result.batch_dir is not None:
        written = ", ".join(result.written)
        folder = f"[bold]{plain(str(result.batch_dir))}[/]"
        out.print("\n" + _("Wrote {folder}: {files}").format(folder=folder, files=written))
        if result.plan is not None and result.plan.cheaper is not None:
            # Run again as it is, and the ledger leaves everyone out: the batch goes first.
            out.print(
                _(
                    "To make this batch in {code} envelopes instead: petition-merge discard "
                    "{batch}, then run again with --envelope {code}"
                ).format(code=result.plan.cheaper.code, batch=plain(result.batch_dir.name))
            )
        if result.pdf_missing:
            from merge.render.pdf import INSTALL_HINT

            text = _("no PDF: LibreOffice is not installed - {hint}").format(hint=_(INSTALL_HINT))
            err.print(warning(text))
    else:
        out.print("\n" + _("Dry run: nothing written."))


def _print_nothing_new(out: Console, result: RunResult) -> None:
    """Say that every signer is on an earlier list already, and that nothing was written."""
    acc = result.accounting
    # one or more batch names: the wording says "batches:" so that a list of several reads right
    batches = plain(
        ", ".join(
            sorted(
                {r.batch for r in acc.previously_listed} | {h.batch for h in acc.held},
                key=batch_order,
            )
        )
    )
    n = len(acc.previously_listed) + len(acc.held)
    campaign = plain(result.campaign.id)
    if acc.held:
        text = ngettext(
            "Nothing new for campaign {campaign}: {n} signer is already on an earlier list "
            "(batches: {batches}) and their details changed since ({held} held back, see "
            "above); nothing written. Use --reprint to print everyone again.",
            "Nothing new for campaign {campaign}: all {n} signers are already on earlier lists "
            "(batches: {batches}), {held} of them with details changed since (held back, see "
            "above); nothing written. Use --reprint to print everyone again.",
            n,
        )
    else:
        text = ngettext(
            "Nothing new for campaign {campaign}: {n} signer is already on an earlier list "
            "(batches: {batches}); nothing written. Use --reprint to print everyone again.",
            "Nothing new for campaign {campaign}: all {n} signers are already on earlier lists "
            "(batches: {batches}); nothing written. Use --reprint to print everyone again.",
            n,
        )
    out.print("\n" + text.format(campaign=campaign, n=n, batches=batches, held=len(acc.held)))


def _print_summary(out: Console, result: RunResult, every_row: bool = False) -> None:
    """Print where the rows went; ``every_row`` lists all rows, not the first SHOWN_ROWS."""
    acc = result.accounting
    table = Table(title=_("Accounting"), show_header=False, title_justify="left")
    table.add_column("bucket")
    table.add_column("rows", justify="right")
    for label, count, bucket in result.summary():
        table.add_row(("  " if bucket else "") + label, str(count))
    out.print(table)
    if result.plan is not None:
        _print_postage(out, result.plan)
    if result.batch_dir:
        # manifest.json is for scripts; the volunteer opens the checklist, which lists them all
        more = _("all are in the dispatch checklist, sheet '{sheet}'").format(sheet=_(ROWS))
    else:
        more = _("a dry run (--dry-run) lists all")
    limit = None if every_row else SHOWN_ROWS
    _print_rows(out, _("Rejected"), [(r.origin, r.reason) for r in acc.rejected], more, limit)
    duplicates = [(d.origin, d.reason) for d in acc.duplicates]
    _print_rows(out, _("Duplicates"), duplicates, more, limit)
    held = [(h.origin, h.reason) for h in acc.held]
    _print_rows(out, _("Held back, changed since an earlier list"), held, more, limit)
    if held:
        out.print(
            "  "
            + _(
                "(not printed again, so nobody signs twice; if a row is another person, or the "
                "correction must be signed anew, run again with --print-changed)"
            )
        )
    _print_rows(out, _("Warnings"), [(w.origin, w.reason) for w in acc.warnings], more, limit)
    if acc.previously_listed:
        per_batch = Counter(row.batch for row in acc.previously_listed)
        listed = ", ".join(
            f"{plain(b)} ({n})"
            for b, n in sorted(per_batch.items(), key=lambda item: batch_order(item[0]))
        )
        text = _(
            "Left out, already on lists of campaign {campaign} in earlier batches: {batches}"
        ).format(campaign=plain(result.campaign.id), batches=listed)
        out.print(f"\n[bold]{text}[/]")


def _print_postage(out: Console, plan: PostagePlan) -> None:
    from merge.post.plan import cheaper_advice
    from merge.post.prices import OWN_STATUS

    title = _("Envelopes ({format}, {service})").format(
        format=plan.envelope_format.code, service=plan.service_name
    )
    table = Table(title=title, title_justify="left")
    headings = (_("no."), _("lists"), _("sheets"), _("grams"), _("product"), _("postage"))
    for index, heading in enumerate(headings):
        table.add_column(heading, justify="left" if index == 4 else "right")
    for env in plan.envelopes[:SHOWN_ROWS]:
        table.add_row(
            str(env.number),
            _list_range(env.lists),
            str(env.sheets),
            format_number(env.grams, 0),
            env.product_name,
            format_eur(env.price_eur),
        )
    if len(plan.envelopes) > SHOWN_ROWS:
        more = len(plan.envelopes) - SHOWN_ROWS
        table.add_row("...", ngettext("{n} more", "{n} more", more).format(n=more), "", "", "", "")
    out.print(table)
    stamps = ", ".join(f"{count} x {format_eur(value)}" for value, count in plan.stamps)
    if plan.address_sheets:
        out.print(_("Sheets and grams include the address sheet of each window envelope."))
    if plan.table.status == OWN_STATUS:
        prices = _("prices {name} from {source}").format(
            name=plan.table.name, source=plain(plan.table.source)
        )
    else:
        prices = _("prices {name}").format(name=plan.table.name)
    n = len(plan.envelopes)
    line = ngettext(
        "{n} envelope; stamps: {stamps}; postage {total} ({prices})",
        "{n} envelopes; stamps: {stamps}; postage {total} ({prices})",
        n,
    )
    total = f"[bold]{format_eur(plan.total_eur)}[/]"
    out.print(line.format(n=n, stamps=stamps, total=total, prices=prices))
    if plan.auto:
        costs = ", ".join(f"{c.code} {format_eur(c.total_eur)}" for c in plan.formats)
        out.print(
            _("--envelope auto: {code}, the lowest postage ({costs})").format(
                code=plan.envelope_format.code, costs=costs
            )
        )
    advice = cheaper_advice(plan)
    if advice:
        out.print("[bold]" + plain(_("Cheaper: {advice}").format(advice=advice)) + "[/]")


def _list_range(numbers: Sequence[int]) -> str:
    return str(numbers[0]) if len(numbers) == 1 else f"{numbers[0]}-{numbers[-1]}"


def _print_rows(
    out: Console,
    title: str,
    rows: Sequence[tuple[str, str]],
    more: str,
    limit: int | None = SHOWN_ROWS,
) -> None:
    """Print (origin, what) lines, at most ``limit`` of them (None: all)."""
    if not rows:
        return
    out.print(f"\n[bold]{plain(title)}[/] ({len(rows)}):")
    for origin, what in rows[:limit]:
        out.print(f"  {plain(origin)}: {plain(what)}")
    if limit is not None and len(rows) > limit:
        left = len(rows) - limit
        text = ngettext("... and {n} more ({more})", "... and {n} more ({more})", left)
        out.print("  " + plain(text.format(n=left, more=more)))
