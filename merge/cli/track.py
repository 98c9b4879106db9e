"""The tracking commands: mark-mailed, discard, status and purge."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import click
from rich.table import Table

from merge.cli import language
from merge.cli.app import GROUP_OPTION, LEDGER_OPTION, cli, naming
from merge.cli.console import console, plain, stderr, warning
from merge.cli.language import argument, option
from merge.errors import UsageError
from merge.i18n import N_, _, ngettext
from merge.i18n.conventions import format_date
from merge.track.ledger import Change
from merge.track.where import LedgerLocation, LedgerOption, ledger_location

_YES = {"j", "ja", "y", "yes"}  # German and English answers, in either language
_NO = {"n", "nein", "no"}


def _ledger_path(ledger: LedgerOption) -> LedgerLocation:
    return ledger_location(ledger, Path.cwd())


def _group(location: LedgerLocation, group: str | None) -> str | None:
    """Return the group whose batches are this folder's: on a shared ledger only."""
    return (group or Path.cwd().name) if location.shared else None


def _print_changes(changes: Sequence[Change]) -> None:
    out = console()
    for change in changes:
        out.print(f"  {plain(change.batch)}:{change.envelope}: {change.what}")


@cli.command("mark-mailed")
@argument("envelopes", nargs=-1, metavar=N_("[BATCH:ENVELOPES]..."))
@option(
    "--checklist",
    type=language.Path(path_type=Path, exists=True, dir_okay=False),
    metavar=N_("FILE"),
    help="A dispatch-checklist.xlsx (or .ods) with dates in 'Mailed on' ('Verschickt am').",
)
@option(
    "--date",
    "day",
    metavar=N_("DATE"),
    help="Mailing date (28.11.2026, 28.11.26 or 2026-11-28) for named envelopes and for ticks "
    "without a date (default: today).",
)
@option("--by", metavar=N_("NAME"), help="Who mailed them (kept until purge).")
@option(
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
    ledger: LedgerOption,
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
    with naming("--date"):
        try:
            when = parse_date(day) if day is not None else today
        except ValueError as err:  # the spellings of the checklist's "Versandt am", and 28.11.26
            raise UsageError(str(err)) from None
    changes = mark_mailed(
        _ledger_path(ledger), envelopes, checklist, when, by, today=today, correct=correct
    )
    _print_changes(changes)


@cli.command("discard")
@argument("spec", metavar=N_("BATCH[:ENVELOPES]"))
@LEDGER_OPTION
def discard_command(spec: str, ledger: LedgerOption) -> None:
    """Discard a misprinted or lost batch (or some of its envelopes).

    Its signers can go on new lists: the next run prints them again. Envelopes already
    mailed stay mailed.

    \b
    Examples:
      petition-merge discard 2026-11-27-1
      petition-merge discard 2026-11-27-1:2,4
    """
    from merge.track.discard import discard

    _print_changes(discard(_ledger_path(ledger), spec, dt.date.today()))


@cli.command("status")
@option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@option("--campaign", "campaign", metavar=N_("ID"), help="Only the batches of this campaign.")
@LEDGER_OPTION
@GROUP_OPTION
def status_command(
    as_json: bool, campaign: str | None, ledger: LedgerOption, group: str | None
) -> None:
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
    for text in lost_folders(path, _group(path, group)):
        err.print(warning(text))
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
        if campaign:
            out.print(_("No batches of campaign {campaign}.").format(campaign=plain(campaign)))
        else:
            out.print(_("No batches yet."))
        return
    table = Table(
        title=_("Batches"),
        title_justify="left",
        caption=_("m/o/d: mailed/open/discarded; mail by: the latest safe mailing date"),
        caption_justify="left",
    )
    # Which group prepared a batch: shown for a shared ledger, or where a file's ledger holds
    # batches of several groups (a folder renamed, or --group).
    groups = path.shared or len({r.batch.group for r in report}) > 1
    # (heading, left-aligned, may wrap): the batch name is what the user types into the next
    # command, so it never wraps; a campaign, a group and the people who mailed may.
    columns = (
        (_("batch"), True, False),
        (_("campaign"), True, True),
        *([(_("group"), True, True)] if groups else []),
        (_("prepared"), False, False),
        (_("lists\nm/o/d"), False, False),
        (_("signers\nm/o/d"), False, False),
        (_("last\nmailed"), False, True),
        (_("mail by"), False, False),
        (_("late"), False, False),
        (_("purged"), False, False),
    )
    for heading, left, wrap in columns:
        table.add_column(heading, justify="left" if left else "right", no_wrap=not wrap)
    for row in report:
        b = row.batch
        last, people = b.last_mailing
        mailed = format_date(last) if last else "-"
        if people:
            mailed += "\n" + "\n".join(plain(p) for p in people)
        table.add_row(
            plain(b.name),
            plain(b.campaign),
            *([plain(b.group or "-")] if groups else []),
            format_date(b.prepared_on),
            "/".join(str(b.count(s, "lists")) for s in ("mailed", "prepared", "discarded")),
            "/".join(str(b.count(s, "signers")) for s in ("mailed", "prepared", "discarded")),
            mailed,
            format_date(b.latest_safe_mailing),
            str(row.late_envelopes),
            format_date(b.purged_on) if b.purged_on else "-",
        )
    out.print(table)
    envelopes = sum(r.batch.count("prepared") for r in report)
    total = ngettext(
        "Total signers: {mailed} mailed, {pending} pending in {n} envelope.",
        "Total signers: {mailed} mailed, {pending} pending in {n} envelopes.",
        envelopes,
    )
    out.print(
        total.format(
            mailed=sum(r.batch.count("mailed", "signers") for r in report),
            pending=sum(r.batch.count("prepared", "signers") for r in report),
            n=envelopes,
        )
    )
    for row in report:
        if row.late:
            err.print(warning(row.late_warning()))


@cli.command("purge")
@argument("batch", required=False, metavar=N_("[BATCH]"))
@option("--yes", is_flag=True, help="Do not ask for confirmation.")
@LEDGER_OPTION
@GROUP_OPTION
def purge_command(batch: str | None, yes: bool, ledger: LedgerOption, group: str | None) -> None:
    """Delete the personal data of mailed batches.

    Removes the files with names and addresses (petition-lists.docx/.pdf and the
    checklist) from the batch folders, and the row origins from the ledger. The
    ledger keeps counts and the signer keys, so nobody is sent twice later. Only
    batches whose envelopes are all mailed (or discarded) are purged. The question
    takes j/ja/y/yes or n/nein/no; no answer is no.

    \b
    Example:
      petition-merge purge 2026-11-27-1
    """
    from merge.track.purge import purge, purgeable

    path = _ledger_path(ledger)
    batches = purgeable(path, batch, _group(path, group))
    out = console()
    if not batches:
        out.print(_("Nothing to purge: no fully mailed batch that still holds personal data."))
        return
    names = ", ".join(b.name for b in batches)
    question = ngettext(
        "Delete the personal data of batch {names}? [y/N]",
        "Delete the personal data of batches {names}? [y/N]",
        len(batches),
    )
    if not yes and not _agreed(question.format(names=names)):  # click prints it as it is
        out.print(_("Nothing deleted."))
        return
    removed = purge(path, batches, dt.date.today())
    done = ngettext(
        "Purged {names}: removed {n} file.", "Purged {names}: removed {n} files.", len(removed)
    )
    out.print(done.format(names=plain(names), n=len(removed)))


def _agreed(question: str) -> bool:
    """Ask until the answer is yes or no, in German or English (click.confirm refuses "j").

    No answer (Enter) is no; the end of input stops the command (exit 130).
    """
    while True:
        answer = click.prompt(question, default="", show_default=False, prompt_suffix=" ")
        word = answer.strip().casefold()
        if word in _YES:
            return True
        if word in _NO or not word:
            return False
        stderr().print(_("Please answer y (yes) or n (no)."))


@cli.group("ledger", cls=language.Group)
def ledger_group() -> None:
    """Work on a ledger as a whole."""


@ledger_group.command("migrate")
@argument("source", metavar=N_("FROM"))
@argument("target", metavar=N_("TO"))
@GROUP_OPTION
def migrate_command(source: str, target: str, group: str | None) -> None:
    """Copy a group's ledger into the shared one, once: run it again and nothing is doubled.

    FROM is the group's ledger (e.g. outputs/ledger.sqlite), TO the shared one (a
    postgresql:// URL). Every batch is copied with its envelopes, states and history, or
    none is: a batch name TO has with other content is refused. Batches recorded without a
    group get --group (default: the working folder's name).

    \b
    Example:
      petition-merge ledger migrate outputs/ledger.sqlite postgresql://gruppe@db.example.org/petition
    """
    from merge.track.migrate import migrate_ledger

    cwd = Path.cwd()
    with naming("FROM"):
        old = ledger_location(source, cwd)
    with naming("TO"):
        new = ledger_location(target, cwd)
    out = console()
    for copied in migrate_ledger(old, new, group or cwd.name):
        if not copied.copied:
            what = _("there already, unchanged")
        elif copied.on_other_lists:
            what = ngettext(
                "copied, {n} signer ({other} of them on other lists already)",
                "copied, {n} signers ({other} of them on other lists already)",
                copied.signers,
            ).format(n=copied.signers, other=copied.on_other_lists)
        else:
            what = ngettext("copied, {n} signer", "copied, {n} signers", copied.signers).format(
                n=copied.signers
            )
        out.print(f"  {plain(copied.batch)}: {what}")
