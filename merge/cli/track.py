"""The tracking commands: mark-mailed, discard, status and purge."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import click
from rich.table import Table

from merge.cli.app import LEDGER_OPTION, cli
from merge.cli.console import console, plain, stderr
from merge.errors import UsageError
from merge.track.ledger import Change, ledger_path

_YES = {"j", "ja", "y", "yes"}
_NO = {"n", "nein", "no"}


def _ledger_path(ledger: Path | None) -> Path:
    return ledger_path(ledger, Path.cwd())


def _print_changes(changes: Sequence[Change]) -> None:
    out = console()
    for change in changes:
        out.print(f"  {plain(change.batch)}:{change.envelope}: {change.what}")


@cli.command("mark-mailed")
@click.argument("envelopes", nargs=-1, metavar="[BATCH:ENVELOPES]...")
@click.option(
    "--checklist",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="A dispatch-checklist.xlsx (or .ods) with dates in 'Versandt am'.",
)
@click.option(
    "--date",
    "day",
    metavar="DATE",
    help="Mailing date (28.11.2026, 28.11.26 or 2026-11-28) for named envelopes and for ticks "
    "without a date (default: today).",
)
@click.option("--by", help="Who mailed them (kept until purge).")
@click.option(
    "--correct",
    is_flag=True,
    help="Change the date or person of envelopes already recorded as mailed (the old entry "
    "is kept in the history status --json shows).",
)
@LEDGER_OPTION
def mark_mailed_command(
    envelopes: tuple[str, ...],
    checklist: Path | None,
    day: str | None,
    by: str | None,
    correct: bool,
    ledger: Path | None,
) -> None:
    """Record envelopes as mailed, by number or from an edited checklist.

    An envelope already mailed keeps its date and who mailed it; --correct changes them.

    \b
    Examples:
      petition-merge mark-mailed 2026-11-27-1:1-3 --date 28.11.2026 --by Anna
      petition-merge mark-mailed --checklist outputs/2026-11-27-1/dispatch-checklist.xlsx
      petition-merge mark-mailed 2026-11-27-1:2 --date 29.11.2026 --correct
    """
    from merge.track.checklist_read import parse_date
    from merge.track.mark_mailed import mark_mailed

    today = dt.date.today()
    try:
        when = parse_date(day) if day is not None else today
    except ValueError as err:
        raise UsageError(f"--date: {err}") from None
    changes = mark_mailed(
        _ledger_path(ledger), envelopes, checklist, when, by, today=today, correct=correct
    )
    _print_changes(changes)


@cli.command("discard")
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

    _print_changes(discard(_ledger_path(ledger), spec, dt.date.today()))


@cli.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.option("--campaign", "campaign", metavar="ID", help="Only the batches of this campaign.")
@LEDGER_OPTION
def status_command(as_json: bool, campaign: str | None, ledger: Path | None) -> None:
    """Show per batch what is prepared, mailed and pending, and the time left.

    The latest safe mailing date is the campaign deadline minus the transit time of the
    addressee's country (merge/data/postage.json: 21 days to China, 5 within Germany).

    \b
    Examples:
      petition-merge status
      petition-merge status --campaign xuar --json
    """
    from merge.track.status import lost_folders, status

    today = dt.date.today()
    path = _ledger_path(ledger)
    report = status(path, today, campaign)
    err = stderr()
    for text in lost_folders(path):
        err.print(f"[yellow]warning:[/] {plain(text)}")
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
            "campaign": campaign,
            "batches": [r.as_json() for r in report],
            "totals": totals,
        }
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    if not report:
        out.print(f"No batches of campaign {plain(campaign)}." if campaign else "No batches yet.")
        return
    table = Table(
        title="Batches",
        title_justify="left",
        caption="m/o/d: mailed/open/discarded; mail by: the latest safe mailing date",
        caption_justify="left",
    )
    for heading in (
        "batch",
        "campaign",
        "prepared",
        "lists\nm/o/d",
        "signers\nm/o/d",
        "last\nmailed",
        "mail by",
        "late",
        "purged",
    ):
        left = heading in ("batch", "campaign")
        # The batch name is what the user types into the next command: never wrapped.
        table.add_column(
            heading,
            justify="left" if left else "right",
            no_wrap=heading not in ("campaign", "last\nmailed"),
        )
    for row in report:
        b = row.batch
        last, people = b.last_mailing
        mailed = f"{last:%d.%m.%y}" if last else "-"
        if people:
            mailed += "\n" + "\n".join(plain(p) for p in people)
        table.add_row(
            plain(b.name),
            plain(b.campaign),
            f"{b.prepared_on:%d.%m.%y}",
            "/".join(str(b.count(s, "lists")) for s in ("mailed", "prepared", "discarded")),
            "/".join(str(b.count(s, "signers")) for s in ("mailed", "prepared", "discarded")),
            mailed,
            f"{b.latest_safe_mailing:%d.%m.%y}",
            str(row.late_envelopes),
            f"{b.purged_on:%d.%m.%y}" if b.purged_on else "-",
        )
    out.print(table)
    pending = sum(r.batch.count("prepared") for r in report)
    out.print(
        f"Total: {sum(r.batch.count('mailed', 'signers') for r in report)} signer(s) mailed, "
        f"{sum(r.batch.count('prepared', 'signers') for r in report)} pending in {pending} "
        "envelope(s)."
    )
    for row in report:
        if row.late:
            err.print(
                f"[yellow]warning:[/] batch {plain(row.batch.name)}: "
                f"{row.late_envelopes} envelope(s) not mailed and the latest safe "
                f"mailing date {row.batch.latest_safe_mailing:%d.%m.%Y} has passed - they will "
                f"likely arrive after the deadline {row.batch.deadline:%d.%m.%Y}"
            )


@cli.command("purge")
@click.argument("batch", required=False)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@LEDGER_OPTION
def purge_command(batch: str | None, yes: bool, ledger: Path | None) -> None:
    """Delete the personal data of mailed batches.

    Removes the files with names and addresses (petition-lists.docx/.pdf and the
    checklist) from the batch folders, and the row origins from the ledger. The
    ledger keeps counts and the signer keys, so nobody is sent twice later. Only
    batches whose envelopes are all mailed (or discarded) are purged. The question
    takes j/ja/y/yes or n/nein/no.

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
    if not yes and not _agreed(f"Delete the personal data of batch {plain(names)}? [j/n]"):
        out.print("Nothing deleted.")
        return
    removed = purge(path, batches, dt.date.today())
    out.print(f"Purged {plain(names)}: removed {len(removed)} file(s).")


def _agreed(question: str) -> bool:
    """Ask until the answer is yes or no, in German or English (click.confirm refuses "j")."""
    while True:
        answer = click.prompt(question, default="", show_default=False, prompt_suffix=" ")
        word = answer.strip().casefold()
        if word in _YES:
            return True
        if word in _NO or not word:
            return False
        stderr().print("Please answer j (yes) or n (no).")
