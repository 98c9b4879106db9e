"""Match fields: the check's form for sheets whose columns the reader could not place.

It writes the table of one sheet into the mapping file beside the spreadsheets
(inputs/spalten.toml), as ``petition-merge columns`` starts it and a volunteer fills it in;
every later run, on the page or in the terminal, reads the sheet that way. The form shows
header texts and counts of filled cells, never a cell's value; where the first row is a
person's, the columns are named by letter only.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from merge.atomic import write_atomically
from merge.errors import MergeError
from merge.i18n import _
from merge.read.headers import ADDRESS_FIELDS, NAME_FIELDS, Field, field_label
from merge.read.mapping import (
    FIELD_KEYS,
    MAPPING_FILE,
    NOT_USED,
    ColumnMappings,
    mappings_for,
    with_table,
)
from merge.read.survey import (
    ADDRESS_PART,
    BY_MAPPING,
    BY_WORDING,
    SheetSeen,
    mapping_key,
    mapping_section,
    starter_file_head,
    survey,
    unused_section,
)
from merge.reporter import ignore
from merge.web.choose import draft_of
from merge.web.drafts import Draft
from merge.web.site import Site, site_of
from merge.web.uploads import INPUTS

MAX_FIELDS = 4000  # two per column (its field, its key), of the widest sheet one would map
MAPPING_SHOWN = f"{INPUTS}/{MAPPING_FILE}"  # as mappings_for names it: inputs/spalten.toml
SAVED = "saved"  # the check's query parameter after a save: /drafts/3/check?saved=1

# Why a sheet gets the form (SheetForm.kind)
UNREAD = "unread"  # its rows are refused: no name and address column, or an address part
GUESSED = "guessed"  # read, but some columns only by a word of their header
MAPPED = "mapped"  # read as the mapping file says: the form to change it, folded away

_write_lock = threading.Lock()  # one read-change-write of the file at a time


@dataclass(frozen=True)
class ColumnChoice:
    """One column of the form: how the page names it, and the field chosen for it."""

    letter: str
    key: str  # its key in the mapping file: the header text, or "Spalte C"
    header: str  # the header text the page shows ("": none, or the first row is a person)
    filled: int
    field: str  # the key of the field chosen: "nachname", ..., NOT_USED
    note: str = ""  # how the reader read it, where the volunteer should look: "guessed"
    error: str = ""


@dataclass(frozen=True)
class SheetForm:
    """The form of one sheet: its columns, and whether it is a list of signers at all."""

    section: str  # its table in the mapping file ("x.xlsx:Tabelle1"), the form's hidden field
    origin: str  # "inputs/x.xlsx:Tabelle1", as the check names it
    kind: str  # UNREAD, GUESSED, MAPPED
    columns: tuple[ColumnChoice, ...]
    by_letter: bool = False  # no header row: the columns are Spalte A, B, ...
    listed: bool = True  # False: "no list of signers" ticked
    errors: tuple[str, ...] = ()

    @property
    def lead(self) -> str:
        if self.kind == UNREAD:
            return _(
                "petition-merge cannot tell which column of this sheet is which, so its rows "
                "are refused. Choose the field of each column: at least the name and the address."
            )
        if self.kind == GUESSED:
            return _(
                "Some columns were recognised only by a word of their header (marked as "
                "guessed): confirm or change them, then save."
            )
        return _("This sheet is read as {file} says. Change it here if that is wrong.").format(
            file=MAPPING_SHOWN
        )


def field_choices() -> list[tuple[str, str]]:
    """The fields a column can be, as (the mapping file's key, the name in the page's
    language), and last: not to use the column."""
    return [
        *((key, field_label(field)) for field, key in FIELD_KEYS.items()),
        (NOT_USED, _("ignore this column")),
    ]


def _mappings(site: Site) -> ColumnMappings:
    return mappings_for(site.workdir / INPUTS, INPUTS)


def _sheets(site: Site, draft: Draft, mappings: ColumnMappings) -> list[SheetSeen]:
    """Survey the draft's files; one that cannot be read is left out (the check says why)."""
    sheets: list[SheetSeen] = []
    for name in draft.files:
        try:
            sheets += survey(site.workdir / INPUTS / name, f"{INPUTS}/{name}", mappings, ignore)
        except MergeError:
            continue
    return sheets


def _form_of(sheet: SheetSeen) -> SheetForm | None:
    """The form a sheet gets, if it needs one (or was mapped on the page: to change it)."""
    if sheet.skipped or not sheet.columns:
        return None
    kinds = {column.kind for column in sheet.columns}
    if sheet.needs_mapping:
        kind = UNREAD
    elif BY_WORDING in kinds:
        kind = GUESSED
    elif BY_MAPPING in kinds:
        kind = MAPPED
    else:
        return None
    columns = tuple(
        ColumnChoice(
            letter=column.letter,
            key=mapping_key(sheet, column),
            header="" if sheet.looks_like_data else column.header,
            filled=column.filled,
            field=FIELD_KEYS[column.field] if column.field is not None else NOT_USED,
            note=_note(column.kind),
        )
        for column in sheet.columns
    )
    return SheetForm(sheet.section, sheet.origin, kind, columns, sheet.looks_like_data)


def _note(kind: str) -> str:
    if kind == BY_WORDING:
        return _("guessed from a word of its header")
    if kind == ADDRESS_PART:
        return _("names part of an address: rows with something in it are refused")
    return ""


def sheet_forms(site: Site, draft: Draft) -> list[SheetForm]:
    """The Match fields forms of a draft's check: one per sheet that needs one."""
    try:
        mappings = _mappings(site)
    except MergeError:  # the mapping file itself is broken: the check's error says so
        return []
    return [form for sheet in _sheets(site, draft, mappings) if (form := _form_of(sheet))]


def saved_line(request: Request) -> str:
    """The check's line after a save, or ""."""
    if request.query_params.get(SAVED) != "1":
        return ""
    return _("Saved in {file}").format(file=MAPPING_SHOWN)


async def save_columns(request: Request) -> Response:
    """Write the fields chosen for one sheet into inputs/spalten.toml; back to the check."""
    site = site_of(request)
    draft = draft_of(request)
    try:
        async with request.form(max_files=0, max_fields=MAX_FIELDS) as form:
            values = {key: value for key, value in form.items() if isinstance(value, str)}
    except HTTPException:  # the form parser's refusals (too many fields, a broken form)
        text = _("The form could not be read - reload the page and send it again.")
        return _page(site, draft, None, 400, (text,))
    return await run_in_threadpool(_save, site, draft, values)


def _save(site: Site, draft: Draft, values: Mapping[str, str]) -> Response:
    try:
        sheets = _sheets(site, draft, _mappings(site))
    except MergeError as err:
        return _page(site, draft, None, 400, (_("error: {message}").format(message=err),))
    sheet = next((s for s in sheets if s.section == values.get("sheet") and s.columns), None)
    current = _form_of(sheet) if sheet is not None else None
    if sheet is None or current is None:
        text = _(
            "This sheet is not among the chosen files (any more), or has no columns to "
            "choose - go back to the check."
        )
        return _page(site, draft, None, 400, (text,))
    if any(values.get(f"key-{c.letter}") != c.key for c in current.columns) or any(
        key.startswith("key-") and key[4:] not in {c.letter for c in current.columns}
        for key in values
    ):
        text = _("The sheet has changed since the page was shown: check the fields and save again.")
        return _page(site, draft, replace(current, errors=(text,)), 400)
    chosen = _checked(current, values)
    if chosen.errors or any(column.error for column in chosen.columns):
        return _page(site, draft, chosen, 400)
    if chosen.listed:
        fields = {column.letter: column.field for column in chosen.columns}
        table = mapping_section(sheet, fields, pin_header_row=True)
    else:
        table = unused_section(sheet)
    try:
        _write(site, sheet.section, table)
    except MergeError as err:
        message = _("error: {message}").format(message=err)
        return _page(site, draft, replace(chosen, errors=(message,)), 500)
    return RedirectResponse(f"/drafts/{draft.number}/check?{SAVED}=1", status_code=303)


def _checked(form: SheetForm, values: Mapping[str, str]) -> SheetForm:
    """The form as sent, with one line per column that cannot be taken, and for the sheet."""
    listed = values.get("not_a_list") != "1"
    known = {key for key, _label in field_choices()}
    by_key = {key: field for field, key in FIELD_KEYS.items()}
    taken: dict[Field, str] = {}  # field -> the letter of the column it was chosen for
    columns: list[ColumnChoice] = []
    for column in form.columns:
        value = values.get(f"field-{column.letter}", "")
        error = ""
        if value not in known:
            error, value = _("choose a field from the list"), column.field
        elif value != NOT_USED:
            field = by_key[value]
            if field in taken:
                error = _("{field} is chosen for column {letter} already - choose it once").format(
                    field=field_label(field), letter=taken[field]
                )
            else:
                taken[field] = column.letter
        columns.append(replace(column, field=value, error=error if listed else ""))
    errors: list[str] = []
    if listed and not taken.keys() & NAME_FIELDS:
        errors.append(
            _(
                "Choose the column with the name: last name, full name, or last name and "
                "first name - or tick that the sheet is no list of signers."
            )
        )
    if listed and not taken.keys() & ADDRESS_FIELDS:
        errors.append(
            _("Choose the column with the address, or those with the street, postcode and town.")
        )
    return replace(form, columns=tuple(columns), listed=listed, errors=tuple(errors))


def _write(site: Site, section: str, table: str) -> None:
    """Put ``table`` into the mapping file in place of the sheet's, keeping all else."""
    with _write_lock:
        mappings = _mappings(site)  # read again under the lock: the latest text
        head = mappings.text or starter_file_head(site.today(), "der Seite 'petition-merge serve'")
        text = with_table(head, section, table, mappings.shown)

        def write(target: Path) -> None:
            target.write_text(text, encoding="utf-8")
            ColumnMappings(target, mappings.shown)  # what the run would refuse, never written

        write_atomically(mappings.path, write)


def _page(
    site: Site,
    draft: Draft,
    form: SheetForm | None,
    status: int,
    errors: tuple[str, ...] = (),
) -> Response:
    return site.page(
        "columns.html",
        status,
        nav="new",
        step=2,
        draft=draft,
        form=form,
        errors=errors,
        choices=field_choices(),
        mapping_file=MAPPING_SHOWN,
    )
