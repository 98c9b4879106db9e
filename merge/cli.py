"""The petition-merge command line: the only module that prints or exits."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from merge import __version__
from merge.dispatch import Change
from merge.errors import MergeError, TemplateError
from merge.pipeline import PostOptions, RunRequest, RunResult, ledger_path, run
from merge.postage import PostagePlan
from merge.signers import DuplicateRow, RowNote
from merge.sources import MAX_UNPACKED_MB

EXIT_CODES = """\b
Exit codes:
  0  success
  1  unexpected internal error (a bug: please report it)
  2  wrong command-line usage
  3  an input file cannot be read or holds no signers
  4  the Word template is broken
  5  the campaign file is missing or malformed
  6  an output cannot be written
  7  the ledger cannot be used, or has no such batch or envelope
"""
SHOWN_ROWS = 20  # rejected/duplicate rows listed on the console; all are in manifest.json


def _console() -> Console:
    # Tables stay readable when the output goes to a file or a pipe (rich assumes 80 then).
    width = None if sys.stdout.isatty() else 110
    return Console(highlight=False, soft_wrap=True, width=width)


def _stderr() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


class _Cli(click.Group):
    """Turn every MergeError into one line on stderr and its exit code; never a traceback."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except MergeError as err:
            _stderr().print(f"[red]error:[/] {_plain(str(err))}")
            ctx.exit(err.exit_code)
        except KeyboardInterrupt:
            _stderr().print("interrupted: nothing was written")
            ctx.exit(130)
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort):
            raise
        except Exception as err:  # a bug: one line; the details only on request
            if os.environ.get("PETITION_MERGE_DEBUG"):
                raise
            _stderr().print(
                f"[red]internal error:[/] {type(err).__name__} - this is a bug in "
                "petition-merge; run again with PETITION_MERGE_DEBUG=1 and report what it shows"
            )
            ctx.exit(1)


def label_offset_option(help_text: str) -> Callable[[Any], Any]:
    return click.option(
        "--label-offset",
        metavar="X,Y",
        default="0,0",
        show_default=True,
        callback=lambda ctx, param, value: _offset(value),
        help=help_text,
    )


LEDGER_OPTION = click.option(
    "--ledger",
    type=click.Path(path_type=Path),
    help="The ledger of prepared and mailed batches (default outputs/ledger.sqlite).",
)


@click.group(cls=_Cli, epilog=EXIT_CODES, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="petition-merge")
def cli() -> None:
    """Turn spreadsheets of petition signers into printed petition lists of five."""


@cli.command("run", epilog=EXIT_CODES)
@click.argument("inputs", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    help="Batch folder to create (default outputs/<date>-<n>).",
)
@click.option("--dry-run", is_flag=True, help="Only read and account for the rows; write nothing.")
@click.option(
    "--campaign", metavar="NAME|PATH", help="Campaign file or name in templates/ (default: xuar)."
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
@click.option(
    "--labels",
    "label_code",
    metavar="CODE",
    default="3422",
    show_default=True,
    help="Label product for the address labels (e.g. 3422, 3474, L7163).",
)
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
@click.option(
    "--envelope",
    type=click.Choice(["DL", "C5", "C4"], case_sensitive=False),
    default="DL",
    show_default=True,
    help="Envelope size: DL (A4 folded in three), C5 (folded once), C4 (flat).",
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
@click.option(
    "--sheet-grams", type=click.FloatRange(min=0.1), help="Weight of one sheet (default 5 g)."
)
@click.option(
    "--envelope-grams",
    type=click.FloatRange(min=0.1),
    help="Weight of one empty envelope (default from merge/postage.json).",
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
    out, err = _console(), _stderr()

    def report(kind: str, text: str) -> None:
        if kind == "warning":
            err.print(f"[yellow]warning:[/] {_plain(text)}")
        elif kind == "note":
            err.print(f"[dim]note: {_plain(text)}[/]")
        elif kind == "step" and err.is_terminal:
            err.print(f"[dim]{_plain(text)} ...[/]")

    with _pdf_progress(err) as progress:
        result = run(request, report, progress)
    _print_summary(out, result)
    if result.nothing_new:
        batches = sorted({row.batch for row in result.accounting.previously_listed})
        out.print(
            f"\nNothing new: all {len(result.accounting.previously_listed)} signer(s) are already "
            f"on lists of batch {', '.join(batches)}; nothing written. "
            "Use --reprint to print them again."
        )
    elif result.batch_dir is not None:
        out.print(f"\nWrote [bold]{_plain(str(result.batch_dir))}[/]: {', '.join(result.written)}")
        if result.pdf_missing:
            from merge.pdf import INSTALL_HINT

            err.print(
                f"[yellow]warning:[/] no PDF: LibreOffice is not installed - {_plain(INSTALL_HINT)}"
            )
    else:
        out.print("\nDry run: nothing written.")


@contextmanager
def _pdf_progress(err: Console) -> Iterator[Callable[[int, int], None] | None]:
    """Show a progress bar for the PDF of a large batch, on a terminal, once it starts."""
    if not err.is_terminal:
        yield None
        return
    bar = Progress(
        TextColumn("PDF pages"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
        console=err, transient=True,
    )  # fmt: skip
    task = None

    def update(done: int, total: int) -> None:
        nonlocal task
        if task is None:
            bar.start()
            task = bar.add_task("pdf", total=total)
        bar.update(task, completed=done, total=total)

    try:
        yield update
    finally:
        bar.stop()


def _plain(text: str) -> str:
    """Escape rich markup so file and sheet names print literally."""
    return text.replace("[", "\\[")


def _print_summary(out: Console, result: RunResult) -> None:
    acc = result.accounting
    table = Table(title="Accounting", show_header=False, title_justify="left")
    table.add_column("bucket")
    table.add_column("rows", justify="right")
    table.add_row("files read", str(len(result.files)))
    table.add_row("rows", str(acc.rows))
    table.add_row("  signers (printed)", str(len(acc.signers)))
    table.add_row("  on earlier lists", str(len(acc.previously_listed)))
    table.add_row("  duplicates", str(len(acc.duplicates)))
    table.add_row("  rejected", str(len(acc.rejected)))
    table.add_row("  blank", str(acc.blank))
    table.add_row("petition lists", str(len(result.pages)))
    out.print(table)
    if result.plan is not None:
        _print_postage(out, result.plan)
    more = "all are in manifest.json" if result.batch_dir else "a batch's manifest.json lists all"
    _print_rows(out, "Rejected", acc.rejected, more)
    _print_rows(out, "Duplicates", acc.duplicates, more)
    _print_rows(out, "Warnings", acc.warnings, more)
    if acc.previously_listed:
        per_batch = Counter(row.batch for row in acc.previously_listed)
        listed = ", ".join(f"{_plain(b)} ({n})" for b, n in sorted(per_batch.items()))
        out.print(f"\n[bold]Left out[/], already on lists of earlier batches: {listed}")


def _print_postage(out: Console, plan: PostagePlan) -> None:
    table = Table(title=f"Envelopes ({plan.envelope_format.code})", title_justify="left")
    for heading in ("no.", "lists", "sheets", "grams", "product", "postage"):
        table.add_column(heading, justify="left" if heading == "product" else "right")
    for env in plan.envelopes[:SHOWN_ROWS]:
        table.add_row(
            str(env.number),
            _list_range(env.lists),
            str(env.sheets),
            f"{env.grams:.0f}",
            env.product_name,
            f"{env.price_eur:.2f} EUR",
        )
    if len(plan.envelopes) > SHOWN_ROWS:
        table.add_row("...", f"{len(plan.envelopes) - SHOWN_ROWS} more", "", "", "", "")
    out.print(table)
    stamps = ", ".join(f"{count} x {value:.2f} EUR" for value, count in plan.stamps)
    out.print(
        f"{len(plan.envelopes)} envelope(s); stamps: {stamps}; "
        f"postage [bold]{plan.total_eur:.2f} EUR[/] (prices {plan.table.name})"
    )


def _list_range(numbers: Sequence[int]) -> str:
    return str(numbers[0]) if len(numbers) == 1 else f"{numbers[0]}-{numbers[-1]}"


def _offset(value: str) -> tuple[float, float]:
    """Parse X,Y millimetres, e.g. 1.5,-0.5."""
    try:
        x, y = (float(part) for part in value.replace(" ", "").split(","))
    except ValueError:
        raise click.BadParameter(f"'{value}' is not X,Y in mm, e.g. 1.5,-0.5") from None
    return x, y


def _print_rows(
    out: Console, title: str, rows: Sequence[RowNote | DuplicateRow], more: str
) -> None:
    if not rows:
        return
    out.print(f"\n[bold]{title}[/] ({len(rows)}):")
    for row in rows[:SHOWN_ROWS]:
        if isinstance(row, DuplicateRow):
            out.print(f"  {_plain(row.origin)}: same person as {_plain(row.duplicate_of)}")
        else:
            out.print(f"  {_plain(row.origin)}: {_plain(row.reason)}")
    if len(rows) > SHOWN_ROWS:
        out.print(f"  ... and {len(rows) - SHOWN_ROWS} more ({more})")


@cli.command("label-test", epilog=EXIT_CODES)
@click.option("--labels", "label_code", metavar="CODE", default="3422", show_default=True)
@label_offset_option("Shift right,down in mm; print again until the outlines match the labels.")
@click.option(
    "--out",
    "out_path",
    type=click.Path(path_type=Path),
    help="The .docx to write (default outputs/label-test-<CODE>.docx); a .pdf is made beside it.",
)
def label_test_command(
    label_code: str, label_offset: tuple[float, float], out_path: Path | None
) -> None:
    """Print one page of label outlines on plain paper to calibrate the printer.

    Hold the print against a label sheet (or against the light): if the outlines sit
    off the labels, print again with --label-offset until they match, then use the
    same --label-offset with run.

    \b
    Example:
      petition-merge label-test --labels 3474 --label-offset 1.5,-0.5
    """
    from merge import labels, pdf

    product = labels.label_product(label_code)
    target = out_path or Path("outputs") / f"label-test-{product.code}.docx"
    target.parent.mkdir(parents=True, exist_ok=True)
    labels.render_outline_sheet(target, product, label_offset)
    written = [target]
    if pdf.find_soffice() is not None:
        pdf.convert_to_pdf(target, target.with_suffix(".pdf"))
        written.append(target.with_suffix(".pdf"))
    _console().print(f"Wrote {', '.join(_plain(str(p)) for p in written)} ({product.describe()})")


@cli.command("check-template", epilog=EXIT_CODES)
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--campaign", metavar="NAME|PATH", help="Check the template this campaign uses.")
def check_template_command(path: Path | None, campaign: str | None) -> None:
    """Check a Word template for missing, unknown or broken placeholders.

    With no PATH, checks the template of the campaign (default: xuar).

    \b
    Example:
      petition-merge check-template templates/petition-list.docx
    """
    from merge.campaign import load_campaign
    from merge.documents import check_template

    target = path or load_campaign(campaign, Path.cwd()).template
    problems = check_template(target)
    out = _console()
    if not problems:
        out.print(f"{_plain(str(target))}: template OK")
        return
    for problem in problems:
        out.print(f"{_plain(str(target))}: {_plain(problem.where)}: {_plain(problem.problem)}")
    raise click.exceptions.Exit(TemplateError.exit_code)


def main() -> None:
    """Run the CLI (the console script and ``python -m merge``)."""
    cli(prog_name="petition-merge")


def _ledger_path(ledger: Path | None) -> Path:
    return ledger_path(ledger, Path.cwd())


def _print_changes(changes: Sequence[Change]) -> None:
    out = _console()
    for change in changes:
        out.print(f"  {_plain(change.batch)}:{change.envelope}: {change.what}")


@cli.command("mark-mailed", epilog=EXIT_CODES)
@click.argument("envelopes", nargs=-1, metavar="[BATCH:ENVELOPES]...")
@click.option(
    "--checklist",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="A dispatch-checklist.xlsx (or .ods) with dates in 'Versandt am'.",
)
@click.option(
    "--date",
    "day",
    type=click.DateTime(formats=["%Y-%m-%d", "%d.%m.%Y"]),
    help="Mailing date for named envelopes and for ticks without a date (default: today).",
)
@click.option("--by", help="Who mailed them (kept until purge).")
@LEDGER_OPTION
def mark_mailed_command(
    envelopes: tuple[str, ...],
    checklist: Path | None,
    day: dt.datetime | None,
    by: str | None,
    ledger: Path | None,
) -> None:
    """Record envelopes as mailed, by number or from an edited checklist.

    \b
    Examples:
      petition-merge mark-mailed 2026-11-27-1:1-3 --date 28.11.2026 --by Anna
      petition-merge mark-mailed --checklist outputs/2026-11-27-1/dispatch-checklist.xlsx
    """
    from merge.dispatch import mark_mailed

    when = day.date() if day else dt.date.today()
    _print_changes(mark_mailed(_ledger_path(ledger), envelopes, checklist, when, by))


@cli.command("discard", epilog=EXIT_CODES)
@click.argument("spec", metavar="BATCH[:ENVELOPES]")
@LEDGER_OPTION
def discard_command(spec: str, ledger: Path | None) -> None:
    """Release the signers of a misprinted or lost batch (or some of its envelopes).

    The next run prints them again. Envelopes already mailed stay mailed.

    \b
    Examples:
      petition-merge discard 2026-11-27-1
      petition-merge discard 2026-11-27-1:2,4
    """
    from merge.dispatch import discard

    _print_changes(discard(_ledger_path(ledger), spec))


@cli.command("status", epilog=EXIT_CODES)
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@LEDGER_OPTION
def status_command(as_json: bool, ledger: Path | None) -> None:
    """Show per batch what is prepared, mailed and pending, and the time left.

    The latest safe mailing date is the campaign deadline minus the transit time
    (merge/postage.json, 21 days to China).

    \b
    Example:
      petition-merge status
    """
    from merge.dispatch import status

    today = dt.date.today()
    report = status(_ledger_path(ledger), today)
    out = _console()
    if as_json:
        import json

        totals = {
            what: {
                state: sum(r.batch.count(state, what) for r in report)
                for state in ("prepared", "mailed", "discarded")
            }
            for what in ("envelopes", "lists", "signers")
        }
        data = {
            "today": today.isoformat(),
            "batches": [r.as_json() for r in report],
            "totals": totals,
        }
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    if not report:
        out.print("No batches yet.")
        return
    table = Table(title="Batches", title_justify="left")
    for heading in (
        "batch",
        "prepared",
        "lists\nmailed/open",
        "signers\nmailed/open",
        "envelopes\nopen",
        "mail by",
        "days\nleft",
    ):
        table.add_column(heading, justify="left" if heading == "batch" else "right")
    for row in report:
        b = row.batch
        table.add_row(
            _plain(b.name),
            b.prepared_on.strftime("%d.%m.%Y"),
            f"{b.count('mailed', 'lists')}/{b.count('prepared', 'lists')}",
            f"{b.count('mailed', 'signers')}/{b.count('prepared', 'signers')}",
            str(b.count("prepared")),
            b.latest_safe_mailing.strftime("%d.%m.%Y"),
            str(row.days_left) if b.count("prepared") else "-",
        )
    out.print(table)
    pending = sum(r.batch.count("prepared") for r in report)
    out.print(
        f"Total: {sum(r.batch.count('mailed', 'signers') for r in report)} signer(s) mailed, "
        f"{sum(r.batch.count('prepared', 'signers') for r in report)} pending in {pending} "
        "envelope(s)."
    )
    err = _stderr()
    for row in report:
        if row.late:
            err.print(
                f"[yellow]warning:[/] batch {_plain(row.batch.name)}: "
                f"{row.batch.count('prepared')} envelope(s) not mailed and the latest safe "
                f"mailing date {row.batch.latest_safe_mailing:%d.%m.%Y} has passed - they will "
                f"likely arrive after the deadline {row.batch.deadline:%d.%m.%Y}"
            )


@cli.command("purge", epilog=EXIT_CODES)
@click.argument("batch", required=False)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@LEDGER_OPTION
def purge_command(batch: str | None, yes: bool, ledger: Path | None) -> None:
    """Delete the personal data of mailed batches.

    Removes the files with names and addresses (petition-lists.docx/.pdf and the
    checklist) from the batch folders, and the row origins from the ledger. The
    ledger keeps counts and the signer keys, so nobody is sent twice later. Only
    batches whose envelopes are all mailed (or discarded) are purged.

    \b
    Example:
      petition-merge purge 2026-11-27-1
    """
    from merge.dispatch import purge, purgeable

    path = _ledger_path(ledger)
    batches = purgeable(path, batch)
    out = _console()
    if not batches:
        out.print("Nothing to purge: no fully mailed batch that still holds personal data.")
        return
    names = ", ".join(b.name for b in batches)
    if not yes:
        click.confirm(f"Delete the personal data of batch {names}?", abort=True)
    removed = purge(path, batches, dt.date.today())
    out.print(f"Purged {_plain(names)}: removed {len(removed)} file(s).")
