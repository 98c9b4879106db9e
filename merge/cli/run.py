"""petition-merge run: read, account, and write a batch; print the accounting and the post."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.console import Console
from rich.table import Table

from merge.cli.app import (
    LEDGER_OPTION,
    Grams,
    check_out,
    check_start_label,
    cli,
    label_offset_option,
)
from merge.cli.console import SHOWN_ROWS, console, plain, stderr
from merge.cli.data_options import envelope_option, labels_option
from merge.cli.reporting import console_reporter
from merge.post.money import format_eur
from merge.read.sniff import MAX_UNPACKED_MB

if TYPE_CHECKING:
    from merge.pipeline import RunResult
    from merge.post.plan import PostagePlan


@cli.command("run")
@click.argument("inputs", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    callback=check_out,
    help="Batch folder to create (default outputs/<date>-<n>).",
)
@click.option("--dry-run", is_flag=True, help="Only read and account for the rows; write nothing.")
@click.option(
    "--campaign",
    metavar="NAME|PATH",
    help="Campaign file or name in templates/ (default: the one there; else xuar).",
)
@click.option(
    "--blank",
    "blank_lists",
    type=click.IntRange(0, 1000),
    default=0,
    show_default=True,
    help="Empty lists to add for collecting signatures by hand.",
)
@click.option("--no-pdf", is_flag=True, help="Do not make the PDF with LibreOffice.")
@labels_option("Label product for the address labels (e.g. 3422, 3474, L7163).")
@click.option(
    "--start-label",
    type=click.IntRange(1),
    default=1,
    show_default=True,
    help="First free label on a partly used sheet (1 = top left, row by row).",
)
@label_offset_option("Shift labels right,down in mm to match your printer (see label-test).")
@click.option(
    "--return-labels", is_flag=True, help="Also print a return-address label per envelope."
)
@click.option(
    "--local-address",
    is_flag=True,
    help="Add the campaign's addressee in its own script (e.g. Chinese) above the Latin lines.",
)
@envelope_option(
    "Envelope size: DL (A4 folded in three), C5 (folded once), C4 (flat), or auto: the one "
    "with the lowest postage."
)
@click.option("--window", is_flag=True, help="Window envelopes: print address sheets (DIN 5008 B).")
@click.option(
    "--per-envelope", type=click.IntRange(1), help="At most this many lists per envelope."
)
@click.option(
    "--mail-date",
    type=click.DateTime(formats=["%Y-%m-%d", "%d.%m.%Y"]),
    help="Day of posting; picks the price period (default: today).",
)
@click.option("--sheet-grams", type=Grams(min=0.1), help="Weight of one sheet (default 5 g).")
@click.option(
    "--envelope-grams",
    type=Grams(min=0.1),
    help="Weight of one empty envelope (default from merge/data/envelopes.json).",
)
@click.option(
    "--max-unpacked-mb",
    type=click.IntRange(1),
    default=MAX_UNPACKED_MB,
    show_default=True,
    help="Refuse workbooks that unpack to more than this.",
)
@click.option(
    "--reprint", is_flag=True, help="Print signers again even if an earlier batch has them."
)
@click.option(
    "--print-changed",
    is_flag=True,
    help="Print rows changed since an earlier list of the campaign (held back otherwise).",
)
@click.option("--names", is_flag=True, help="Put signers' names into the dispatch checklist.")
@LEDGER_OPTION
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
    mail_date: dt.datetime | None,
    sheet_grams: float | None,
    envelope_grams: float | None,
    max_unpacked_mb: int,
    reprint: bool,
    print_changed: bool,
    names: bool,
    ledger: Path | None,
) -> None:
    """Read signer lists, account for every row and write the petition lists.

    With no INPUT, every spreadsheet in ./inputs/ is read (.xlsx, .xlsm, .xls, .ods,
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
            mail_date=mail_date.date() if mail_date else None,
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
        acc = result.accounting
        batches = sorted({r.batch for r in acc.previously_listed} | {h.batch for h in acc.held})
        held = f", {len(acc.held)} of them changed since (held back, see above)" if acc.held else ""
        out.print(
            f"\nNothing new for campaign {plain(result.campaign.id)}: all "
            f"{len(acc.previously_listed) + len(acc.held)} signer(s) are already on lists of "
            f"batch {plain(', '.join(batches))}{held}; nothing written. Use --reprint to print "
            "everyone again."
        )
    elif result.batch_dir is not None:
        out.print(f"\nWrote [bold]{plain(str(result.batch_dir))}[/]: {', '.join(result.written)}")
        if result.plan is not None and result.plan.cheaper is not None:
            # Run again as it is, and the ledger leaves everyone out: the batch goes first.
            out.print(
                f"To make this batch in {result.plan.cheaper.code} envelopes instead: "
                f"petition-merge discard {plain(result.batch_dir.name)}, then run again with "
                f"--envelope {result.plan.cheaper.code}"
            )
        if result.pdf_missing:
            from merge.render.pdf import INSTALL_HINT

            err.print(
                f"[yellow]warning:[/] no PDF: LibreOffice is not installed - {plain(INSTALL_HINT)}"
            )
    else:
        out.print("\nDry run: nothing written.")


def _print_summary(out: Console, result: RunResult, every_row: bool = False) -> None:
    """Print where the rows went; ``every_row`` lists all rows, not the first SHOWN_ROWS."""
    acc = result.accounting
    table = Table(title="Accounting", show_header=False, title_justify="left")
    table.add_column("bucket")
    table.add_column("rows", justify="right")
    table.add_row("files read", str(len(result.files)))
    table.add_row("rows", str(acc.rows))
    table.add_row("  signers (printed)", str(len(acc.signers)))
    table.add_row("  on earlier lists", str(len(acc.previously_listed)))
    table.add_row("  changed since (held)", str(len(acc.held)))
    table.add_row("  duplicates", str(len(acc.duplicates)))
    table.add_row("  rejected", str(len(acc.rejected)))
    table.add_row("  blank", str(acc.blank))
    table.add_row("petition lists", str(len(result.pages)))
    out.print(table)
    if result.plan is not None:
        _print_postage(out, result.plan)
    more = "all are in manifest.json" if result.batch_dir else "a batch's manifest.json lists all"
    limit = None if every_row else SHOWN_ROWS
    _print_rows(out, "Rejected", [(r.origin, r.reason) for r in acc.rejected], more, limit)
    duplicates = [(d.origin, f"same person as {d.duplicate_of}") for d in acc.duplicates]
    _print_rows(out, "Duplicates", duplicates, more, limit)
    held = [(h.origin, h.reason) for h in acc.held]
    _print_rows(out, "Held back, changed since an earlier list", held, more, limit)
    if held:
        out.print(
            "  (not printed again, so nobody signs twice; if a row is another person, or the "
            "correction must be signed anew, run again with --print-changed)"
        )
    _print_rows(out, "Warnings", [(w.origin, w.reason) for w in acc.warnings], more, limit)
    if acc.previously_listed:
        per_batch = Counter(row.batch for row in acc.previously_listed)
        listed = ", ".join(f"{plain(b)} ({n})" for b, n in sorted(per_batch.items()))
        out.print(
            f"\n[bold]Left out[/], already on lists of campaign {plain(result.campaign.id)} in "
            f"earlier batches: {listed}"
        )


def _print_postage(out: Console, plan: PostagePlan) -> None:
    from merge.post.plan import cheaper_advice
    from merge.post.prices import OWN_STATUS

    title = f"Envelopes ({plan.envelope_format.code}, {plan.service_name})"
    table = Table(title=title, title_justify="left")
    for heading in ("no.", "lists", "sheets", "grams", "product", "postage"):
        table.add_column(heading, justify="left" if heading == "product" else "right")
    for env in plan.envelopes[:SHOWN_ROWS]:
        table.add_row(
            str(env.number),
            _list_range(env.lists),
            str(env.sheets),
            f"{env.grams:.0f}",
            env.product_name,
            format_eur(env.price_eur),
        )
    if len(plan.envelopes) > SHOWN_ROWS:
        table.add_row("...", f"{len(plan.envelopes) - SHOWN_ROWS} more", "", "", "", "")
    out.print(table)
    stamps = ", ".join(f"{count} x {format_eur(value)}" for value, count in plan.stamps)
    if plan.address_sheets:
        out.print("Sheets and grams include the address sheet of each window envelope.")
    own = f" from {plain(plan.table.source)}" if plan.table.status == OWN_STATUS else ""
    out.print(
        f"{len(plan.envelopes)} envelope(s); stamps: {stamps}; "
        f"postage [bold]{format_eur(plan.total_eur)}[/] (prices {plan.table.name}{own})"
    )
    if plan.auto:
        costs = ", ".join(f"{c.code} {format_eur(c.total_eur)}" for c in plan.formats)
        out.print(f"--envelope auto: {plan.envelope_format.code}, the lowest postage ({costs})")
    advice = cheaper_advice(plan)
    if advice:
        out.print(f"[bold]Cheaper:[/] {plain(advice)}")


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
    out.print(f"\n[bold]{title}[/] ({len(rows)}):")
    for origin, what in rows[:limit]:
        out.print(f"  {plain(origin)}: {plain(what)}")
    if limit is not None and len(rows) > limit:
        out.print(f"  ... and {len(rows) - limit} more ({more})")
