"""columns: how every column of every sheet is understood; a starter column mapping."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from merge.cli.app import cli
from merge.cli.console import console, plain
from merge.errors import InputError

if TYPE_CHECKING:
    from merge.read.survey import SheetSeen


@cli.command("columns")
@click.argument("inputs", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--write/--no-write",
    default=True,
    show_default=True,
    help="Add a table to the folder's spalten.toml for each sheet whose columns could not "
    "be placed (never changes what is there).",
)
@click.option(
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

    With no INPUT, every spreadsheet in ./inputs/ is looked at.

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
            f"{', '.join(map(str, inputs or ('inputs',)))}: no spreadsheets found - name the "
            "files, or put them in inputs/"
        )
    out = console()
    to_write: dict[Path, list[str]] = {}
    mapping_files: dict[Path, ColumnMappings] = {}
    for path in files:
        shown = _shown(path, cwd)
        if path.parent not in mapping_files:
            mapping_files[path.parent] = mappings_for(path.parent, str(Path(shown).parent))
        mappings = mapping_files[path.parent]
        for sheet in survey(path, shown, mappings, lambda report: None):
            out.print(plain(_sheet_line(sheet)))
            for column in sheet.columns:
                field = column.field.value if column.field is not None else ""
                how = f"{field} ({column.how})" if field else column.how
                header = column.header or "(no header)"
                out.print(plain(f"  {column.letter:>3}  {header[:40]:<40}  {how}; "
                                f"{column.filled} filled"))  # fmt: skip
            wanted = sheet.needs_mapping or every_sheet
            if wanted and not sheet.skipped and not mappings.has_section(sheet.section):
                to_write.setdefault(path.parent, []).append(starter_section(sheet))
    if not to_write:
        out.print("Every sheet can be read; nothing to write.")
        return
    for folder, sections in to_write.items():
        mappings = mapping_files[folder]
        if not write:
            out.print(plain(f"{len(sections)} sheet(s) need a table in {mappings.shown} "
                            "(not written: --no-write)"))  # fmt: skip
            continue
        text = mappings.text or starter_file_head(dt.date.today())
        text = text.rstrip("\n") + "\n\n" + "\n".join(sections)
        write_atomically(mappings.path, _writer(text))
        out.print(plain(f"Wrote {len(sections)} table(s) to {mappings.shown} - fill in the "
                        'field after each header that says "", then run again'))  # fmt: skip


def _writer(text: str) -> Callable[[Path], object]:
    return lambda target: target.write_text(text, encoding="utf-8")


def _sheet_line(sheet: SheetSeen) -> str:
    if sheet.skipped:
        return f"{sheet.origin}: {sheet.skipped}; {sheet.rows} rows"
    if sheet.usable:
        where = "no header row" if sheet.header_row == 0 else f"header in row {sheet.header_row}"
        return f"{sheet.origin}: {where}, {sheet.rows} rows below it"
    first = "looks like data" if sheet.looks_like_data else "taken as its header"
    return (
        f"{sheet.origin}: no header with a name and an address column - its rows are refused "
        f"(row {sheet.header_row}, {first}; {sheet.rows} rows below it)"
    )


def _shown(path: Path, cwd: Path) -> str:
    try:
        return str(path.resolve().relative_to(cwd.resolve()))
    except ValueError:
        return str(path)
