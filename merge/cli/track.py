"""The tracking commands: mark-mailed, discard, status and purge."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import click
from rich.table import Table

from merge.cli.app import EXIT_CODES, LEDGER_OPTION, cli
from merge.cli.console import console, plain, stderr
from merge.track.ledger import Change, ledger_path


def _ledger_path(ledger: Path | None) -> Path:
    return ledger_path(ledger, Path.cwd())


def _print_changes(changes: Sequence[Change]) -> None:
    out = console()
    for change in changes:
        out.print(f"  {plain(change.batch)}:{change.envelope}: {change.what}")


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
    from merge.track.mark_mailed import mark_mailed

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
    from merge.track.discard import discard

    _print_changes(discard(_ledger_path(ledger), spec))


@cli.command("status", epilog=EXIT_CODES)
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@LEDGER_OPTION
def status_command(as_json: bool, ledger: Path | None) -> None:
    """Show per batch what is prepared, mailed and pending, and the time left.

    The latest safe mailing date is the campaign deadline minus the transit time
    (merge/data/postage.json, 21 days to China).

    \b
    Example:
      petition-merge status
    """
    from merge.track.status import status

    today = dt.date.today()
    report = status(_ledger_path(ledger), today)
    out = console()
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
            plain(b.name),
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
    err = stderr()
    for row in report:
        if row.late:
            err.print(
                f"[yellow]warning:[/] batch {plain(row.batch.name)}: "
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
    from merge.track.purge import purge, purgeable

    path = _ledger_path(ledger)
    batches = purgeable(path, batch)
    out = console()
    if not batches:
        out.print("Nothing to purge: no fully mailed batch that still holds personal data.")
        return
    names = ", ".join(b.name for b in batches)
    if not yes:
        click.confirm(f"Delete the personal data of batch {names}?", abort=True)
    removed = purge(path, batches, dt.date.today())
    out.print(f"Purged {plain(names)}: removed {len(removed)} file(s).")
