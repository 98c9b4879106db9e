"""The tracking commands: mark-mailed, discard, status and purge."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.cells import cell_len
from rich.console import Console
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

if TYPE_CHECKING:
    from merge.track.status import BatchStatus

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
@GROUP_OPTION
def mark_mailed_command(
    envelopes: tuple[str, ...],
    checklist: Path | None,
    day: str | None,
    by: str | None,
    correct: bool,
    ledger: LedgerOption,
    group: str | None,
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
    path = _ledger_path(ledger)
    changes = mark_mailed(
        path,
        envelopes,
        checklist,
        when,
        by,
        today=today,
        correct=correct,
        group=_group(path, group),
    )
    _print_changes(changes)


@cli.command("discard")
@argument("spec", metavar=N_("BATCH[:ENVELOPES]"))
@LEDGER_OPTION
@GROUP_OPTION
def discard_command(spec: str, ledger: LedgerOption, group: str | None) -> None:
    """Discard a misprinted or lost batch (or some of its envelopes).

    Its signers can go on new lists: the next run prints them again. Envelopes already
    mailed stay mailed.

    \b
    Examples:
      petition-merge discard 2026-11-27-1
      petition-merge discard 2026-11-27-1:2,4
    """
    from merge.track.discard import discard

    path = _ledger_path(ledger)
    _print_changes(discard(path, spec, dt.date.today(), _group(path, group)))


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
    # Which group prepared a batch: shown for a shared ledger, or where a file's ledger holds
    # batches of several groups (a folder renamed, or --group).
    groups = path.shared or len({r.batch.group for r in report}) > 1
    table = _batches_table(report, groups, out)
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


@dataclass(frozen=True)
class _Column:
    """A column of the status table: its heading and cells, and how it may give way."""

    key: str
    heading: str
    cells: list[str]
    left: bool = False
    wrap: bool = False  # may wrap at spaces (a campaign, who mailed)
    name: bool = False  # a name the user types: never wraps nor is cut (only folded, at last)


# Which columns go first when the table is wider than the terminal: those that say nothing
# (no batch purged, none late, one campaign), then by how little they matter; the batch, its
# group, its signers and the day to mail by always stay.
_GIVE_WAY = ("purged", "late", "campaign", "mailed", "lists", "prepared")


def _batches_table(report: Sequence[BatchStatus], groups: bool, out: Console) -> Table:
    """Make the status table as wide as the terminal allows, batch and group names whole.

    rich squeezes a column that may not wrap to "2026-12-02..." when the table is too wide;
    so columns that matter less are left out (and named under the table) until the rest
    fits, and the names, which the next command needs as they are, only fold if even that
    is not enough.
    """
    columns = _status_columns(report, groups)
    silent = {
        "purged": all(r.batch.purged_on is None for r in report),
        "late": not any(r.late for r in report),
        "campaign": len({r.batch.campaign for r in report}) == 1,
    }
    order = [key for key in _GIVE_WAY if silent.get(key)] + list(_GIVE_WAY)
    left_out: list[_Column] = []
    for key in order:
        if _narrowest(columns) <= out.width:
            break
        found = [c for c in columns if c.key == key]
        if found:
            columns.remove(found[0])
            left_out.append(found[0])
    return _table(columns, left_out, fold=_narrowest(columns) > out.width)


def _status_columns(report: Sequence[BatchStatus], groups: bool) -> list[_Column]:
    def mailed(row: BatchStatus) -> str:
        last, people = row.batch.last_mailing
        text = format_date(last) if last else "-"
        return text + "".join("\n" + plain(p) for p in people)

    def counts(row: BatchStatus, what: str) -> str:
        return "/".join(str(row.batch.count(s, what)) for s in ("mailed", "prepared", "discarded"))

    rows = list(report)
    columns = [
        _Column("batch", _("batch"), [plain(r.batch.name) for r in rows], left=True, name=True),
        _Column("campaign", _("campaign"), [plain(r.batch.campaign) for r in rows], True, True),
    ]
    if groups:
        names = [plain(r.batch.group or "-") for r in rows]
        columns.append(_Column("group", _("group"), names, left=True, name=True))
    columns += [
        _Column("prepared", _("prepared"), [format_date(r.batch.prepared_on) for r in rows]),
        _Column("lists", _("lists\nm/o/d"), [counts(r, "lists") for r in rows]),
        _Column("signers", _("signers\nm/o/d"), [counts(r, "signers") for r in rows]),
        _Column("mailed", _("last\nmailed"), [mailed(r) for r in rows], wrap=True),
        _Column("mail_by", _("mail by"), [format_date(r.batch.latest_safe_mailing) for r in rows]),
        _Column("late", _("late"), [str(r.late_envelopes) for r in rows]),
        _Column(
            "purged",
            _("purged"),
            [format_date(r.batch.purged_on) if r.batch.purged_on else "-" for r in rows],
        ),
    ]
    return columns


def _table(columns: Sequence[_Column], left_out: Sequence[_Column], fold: bool) -> Table:
    """Make the table of these columns; ``fold``: the names may fold onto a second line (the
    terminal is too narrow even for the columns that always stay), else they are as wide as
    the longest."""
    caption = _("m/o/d: mailed/open/discarded; mail by: the latest safe mailing date")
    if left_out:
        names = ", ".join(" ".join(c.heading.split()) for c in left_out)
        caption += "\n" + _(
            "left out for the window's width: {columns} (a wider window, or status --json, "
            "shows them)"
        ).format(columns=names)
    table = Table(title=_("Batches"), title_justify="left", caption=caption, caption_justify="left")
    for column in columns:
        lines = [line for cell in column.cells for line in cell.split("\n")]
        longest = max((cell_len(line) for line in lines), default=0)
        table.add_column(
            column.heading,
            justify="left" if column.left else "right",
            no_wrap=not column.wrap and not column.name,
            overflow="fold" if column.name else "ellipsis",
            min_width=longest if column.name and not fold else None,
        )
    for row in zip(*(column.cells for column in columns), strict=True):
        table.add_row(*row)
    return table


def _narrowest(columns: Sequence[_Column]) -> int:
    """Return the fewest terminal columns the table fits in without cutting a cell: each
    column as wide as its longest line (longest word, where it may wrap), with its padding
    and rule. (rich measures a table as wide as it would draw it, not as narrow as it can.)"""

    def least(column: _Column) -> int:
        lines = [line for text in (column.heading, *column.cells) for line in text.split("\n")]
        words = [word for line in lines for word in line.split()] if column.wrap else lines
        return max((cell_len(word) for word in words), default=0)

    return sum(least(column) + 3 for column in columns) + 1


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
@option(
    "--rename",
    is_flag=True,
    help="Copy a batch whose name TO has with other content as NAME-GROUP instead of refusing.",
)
def migrate_command(source: str, target: str, group: str | None, rename: bool) -> None:
    """Copy a group's ledger into the shared one, once: run it again and nothing is doubled.

    FROM is the group's ledger (e.g. outputs/ledger.sqlite), TO the shared one (a
    postgresql:// URL). Every batch is copied with its envelopes, states and history, or
    none is: a batch name TO has with other content is refused, or with --rename copied
    under a new name. Batches recorded without a group get --group (default: the working
    folder's name).

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
    for copied in migrate_ledger(old, new, group or cwd.name, rename):
        if copied.renamed and not copied.copied:
            what = _("there already as {name}, unchanged").format(name=plain(copied.renamed))
        elif not copied.copied:
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
        if copied.renamed and copied.copied:
            what = _(
                "{copied}, as {name} ({batch} there is another group's) - the printed lists "
                "and the checklist still say {batch}: use {name} with mark-mailed and discard"
            ).format(copied=what, name=plain(copied.renamed), batch=plain(copied.batch))
        out.print(f"  {plain(copied.batch)}: {what}")
