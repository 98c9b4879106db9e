"""columns: how every column of every sheet is understood; a starter column mapping."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from merge.cli import language
from merge.cli.app import cli
from merge.cli.console import console, plain
from merge.cli.language import argument, option
from merge.errors import InputError
from merge.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from merge.read.survey import SheetSeen

# The names of the fields a column is read as (the values of merge.read.headers.Field), for
# the catalog: shown through _() in the run's language.
FIELD_NAMES = (
    N_("last name"),
    N_("first name"),
    N_("full name"),
    N_("combined name"),
    N_("address"),
    N_("street"),
    N_("house number"),
    N_("address extra"),
    N_("postcode"),
    N_("town"),
    N_("postcode and town"),
    N_("country"),
)


@cli.command("columns")
@argument("inputs", nargs=-1, type=language.Path(path_type=Path), metavar=N_("[FILE]..."))
@option(
    "--write/--no-write",
    default=True,
    help="--write (the default): add a table to the folder's spalten.toml for each sheet "
    "whose columns could not be placed (never changes what is there); --no-write: only show.",
)
@option(
    "--all",
    "every_sheet",
    is_flag=True,
    help="Write a table for every sheet, also those read without help, to pin them down.",
)
def columns_command(inputs: tuple[Path, ...], write: bool, every_sheet: bool) -> None:
    """Show how every column of every sheet is understood, and start a column mapping.

    For each sheet: the header row, and for each column its header, the field it is read
    as (or that it is not used) and how many cells are filled; never a cell's value.
    Sheets whose columns could not be placed get a table in spalten.toml beside the
    files (inputs/spalten.toml): fill in the field after each header, and every later
    run reads the sheet that way.

    With no FILE, every spreadsheet in ./inputs/ is looked at.

    \b
    Example:
      petition-merge columns inputs/anmeldungen.csv
    """
    from merge.atomic import write_atomically
    from merge.read.mapping import ColumnMappings, mappings_for
    from merge.read.rows import list_inputs
    from merge.read.survey import starter_file_head, starter_section, survey

    cwd = Path.cwd()
    files = list_inputs(list(inputs or (Path("inputs"),)))
    if not files:
        raise InputError(
            _("{inputs}: no spreadsheets found - name the files, or put them in inputs/").format(
                inputs=", ".join(map(str, inputs or ("inputs",)))
            )
        )
    out = console()
    to_write: dict[Path, list[str]] = {}
    unfilled: dict[Path, int] = {}  # sheets still unread whose table is there already
    mapping_files: dict[Path, ColumnMappings] = {}
    for path in files:
        shown = _shown(path, cwd)
        if path.parent not in mapping_files:
            mapping_files[path.parent] = mappings_for(path.parent, str(Path(shown).parent))
        mappings = mapping_files[path.parent]
        for sheet in survey(path, shown, mappings, lambda report: None):
            out.print(plain(_sheet_line(sheet)))
            for column in sheet.columns:
                field = _(column.field.value) if column.field is not None else ""
                how = f"{field} ({column.how})" if field else column.how
                header = column.header or _("(no header)")
                filled = _("{how}; {n} filled").format(how=how, n=column.filled)
                out.print(plain(f"  {column.letter:>3}  {header[:40]:<40}  {filled}"))
            wanted = sheet.needs_mapping or every_sheet
            if not wanted or sheet.skipped:
                continue
            if not mappings.has_section(sheet.section):
                to_write.setdefault(path.parent, []).append(starter_section(sheet))
            elif sheet.needs_mapping:
                unfilled[path.parent] = unfilled.get(path.parent, 0) + 1
    if not to_write:
        for folder, n in unfilled.items():
            text = ngettext(
                "{n} sheet still cannot be read: fill in the field after each header in {file} "
                'that says "", then run again',
                "{n} sheets still cannot be read: fill in the field after each header in {file} "
                'that says "", then run again',
                n,
            )
            out.print(plain(text.format(n=n, file=mapping_files[folder].shown)))
        if not unfilled:
            out.print(_("Every sheet can be read; nothing to write."))
        return
    for folder, sections in to_write.items():
        mappings = mapping_files[folder]
        n = len(sections)
        if not write:
            text = ngettext(
                "{n} sheet needs a table in {file} (not written: --no-write)",
                "{n} sheets need a table in {file} (not written: --no-write)",
                n,
            )
            out.print(plain(text.format(n=n, file=mappings.shown)))
            continue
        text = mappings.text or starter_file_head(dt.date.today())
        text = text.rstrip("\n") + "\n\n" + "\n".join(sections)
        write_atomically(mappings.path, _writer(text))
        text = ngettext(
            'Wrote {n} table to {file} - fill in the field after each header that says "", '
            "then run again",
            'Wrote {n} tables to {file} - fill in the field after each header that says "", '
            "then run again",
            n,
        )
        out.print(plain(text.format(n=n, file=mappings.shown)))


def _writer(text: str) -> Callable[[Path], object]:
    return lambda target: target.write_text(text, encoding="utf-8")


def _sheet_line(sheet: SheetSeen) -> str:
    n, origin = sheet.rows, sheet.origin
    if sheet.skipped:
        text = ngettext("{origin}: {why}; {n} row", "{origin}: {why}; {n} rows", n)
        return text.format(origin=origin, why=sheet.skipped, n=n)
    if sheet.usable and sheet.header_row == 0:
        text = ngettext("{origin}: no header row, {n} row", "{origin}: no header row, {n} rows", n)
        return text.format(origin=origin, n=n)
    if sheet.usable:
        text = ngettext(
            "{origin}: header in row {row}, {n} row below it",
            "{origin}: header in row {row}, {n} rows below it",
            n,
        )
        return text.format(origin=origin, row=sheet.header_row, n=n)
    if sheet.looks_like_data:
        text = ngettext(
            "{origin}: no header with a name and an address column - its rows are refused "
            "(row {row}, looks like data; {n} row below it)",
            "{origin}: no header with a name and an address column - its rows are refused "
            "(row {row}, looks like data; {n} rows below it)",
            n,
        )
    else:
        text = ngettext(
            "{origin}: no header with a name and an address column - its rows are refused "
            "(row {row}, taken as its header; {n} row below it)",
            "{origin}: no header with a name and an address column - its rows are refused "
            "(row {row}, taken as its header; {n} rows below it)",
            n,
        )
    return text.format(origin=origin, row=sheet.header_row, n=n)


def _shown(path: Path, cwd: Path) -> str:
    try:
        return str(path.resolve().relative_to(cwd.resolve()))
    except ValueError:
        return str(path)
