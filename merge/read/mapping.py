"""The column mapping file: which column of a file or sheet is which field, as the user says.

``spalten.toml`` beside the input files (``inputs/spalten.toml``) is read on every run; what
it decides goes before the header recognition of :mod:`merge.read.headers`. It is written
by ``petition-merge columns`` (a starter section for every sheet that could not be placed),
by the check of ``petition-merge serve`` (one sheet's table, :func:`with_table`), and edited
by hand. One TOML table per file or sheet::

    ["anmeldungen.csv"]                 # every sheet of a file (a CSV has one)
    "Wer bist du?" = "vor_und_nachname"
    "Wo wohnst du?" = "anschrift"
    "Lfd. Nr." = "nicht_verwenden"

    ["liste.xlsx:Tabelle2"]             # one sheet of a workbook
    kopfzeile = 3                       # the header is row 3
    "Spalte D" = "plz"                  # column D, whatever its header says

    ["liste.xlsx:Anleitung"]
    verwenden = false                   # not a list of signers: not read

    ["*"]                               # every file in the folder
    "Straße (Wohnsitz)" = "strasse"

The most specific table wins column by column. ``kopfzeile = 0`` means the sheet has no
header row: its columns are named only as "Spalte A", "Spalte B", ...
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from merge.errors import InputError, read_reason
from merge.i18n import _
from merge.read.fold import fold_header
from merge.read.headers import Field, field_for
from merge.read.workbook import column_index
from merge.toml_file import loads_toml

MAPPING_FILE = "spalten.toml"

# The field names the file uses: German, as the volunteers read them.
FIELD_KEYS: dict[Field, str] = {
    Field.LAST: "nachname",
    Field.FIRST: "vorname",
    Field.FULL: "vor_und_nachname",
    Field.COMBINED: "nachname_vorname",
    Field.ADDRESS: "anschrift",
    Field.STREET: "strasse",
    Field.HOUSE_NUMBER: "hausnummer",
    Field.EXTRA: "adresszusatz",
    Field.POSTCODE: "plz",
    Field.CITY: "ort",
    Field.POSTCODE_CITY: "plz_ort",
    Field.COUNTRY: "land",
}
NOT_USED = "nicht_verwenden"
_NOT_USED_SPELLINGS = frozenset(
    fold_header(word) for word in (NOT_USED, "nicht verwenden", "-", "ignorieren", "not used")
)
_BY_KEY: dict[str, Field] = {fold_header(key): field for field, key in FIELD_KEYS.items()} | {
    fold_header(field.value): field for field in Field
}
_SETTINGS = {"kopfzeile": int, "verwenden": bool}
_BY_POSITION = re.compile(r"(?:spalte|column)\s+([a-z]{1,3})", re.IGNORECASE)


def field_names() -> str:
    """List the names a mapping may give, for messages and the file's comments."""
    return ", ".join([*FIELD_KEYS.values(), NOT_USED])


@dataclass(frozen=True)
class SheetMapping:
    """What the mapping file says about one sheet."""

    decided: Mapping[str, Field | None]  # folded header text or "#C" -> field (None: not used)
    named: tuple[str, ...]  # headers named for this file or sheet, as written, for notes
    undecided: tuple[str, ...]  # headers given "" (written by `columns`, not filled in yet)
    header_row: int | None  # None: found as usual; 0: the sheet has no header row
    use: bool
    where: str  # e.g. 'inputs/spalten.toml ["x.csv"]', for messages


@dataclass(frozen=True)
class _Section:
    decided: dict[str, Field | None]
    named: tuple[str, ...]
    undecided: tuple[str, ...]
    header_row: int | None
    use: bool | None


class ColumnMappings:
    """The mapping file of one folder (possibly absent: then it decides nothing)."""

    def __init__(self, path: Path, shown: str) -> None:
        self.path = path
        self.shown = shown  # the file as messages name it, e.g. inputs/spalten.toml
        self.sections: dict[str, _Section] = {}
        self.text = ""
        if path.is_file():
            try:
                self.text = path.read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError) as err:
                raise InputError(
                    _("{file}: cannot be read ({error}) - save it again as UTF-8 text").format(
                        file=shown, error=read_reason(err)
                    )
                ) from err
            self.sections = {
                name: self._section(name, table) for name, table in self._tables().items()
            }

    def _tables(self) -> dict[str, Any]:
        data = loads_toml(self.text, self.shown, InputError)
        for name, table in data.items():
            if not isinstance(table, dict):
                raise InputError(
                    _(
                        "{file}: {name} = ... stands outside a table - put it under a line "
                        '["datei.xlsx"] naming the file it is for'
                    ).format(file=self.shown, name=name)
                )
        return data

    def _section(self, name: str, table: dict[str, Any]) -> _Section:
        decided: dict[str, Field | None] = {}
        named: list[str] = []
        undecided: list[str] = []
        settings: dict[str, Any] = {}
        where = f'{self.shown} ["{name}"]'
        for key, value in table.items():
            setting = _SETTINGS.get(key.casefold())
            if setting is not None and type(value) is setting:
                if isinstance(value, int) and not isinstance(value, bool) and value < 0:
                    raise InputError(
                        _("{where}: {key} = {value} - give the header's row number").format(
                            where=where, key=key, value=value
                        )
                    )
                settings[key.casefold()] = value
                continue
            if not isinstance(value, str):
                raise InputError(
                    _('{where}: "{key}" = {value} - write the field in quotes, one of {fields}')
                    .format(where=where, key=key, value=repr(value), fields=field_names())
                )  # fmt: skip
            position = _BY_POSITION.fullmatch(key.strip())
            target = "#" + position.group(1).upper() if position else fold_header(key)
            if not target.strip("#"):
                raise InputError(
                    _('{where}: "{key}" names no column - write its header text').format(
                        where=where, key=key
                    )
                )
            named.append(key)
            if not value.strip():
                undecided.append(key)
                decided[target] = None
                continue
            decided[target] = _field(value, where, key)
        return _Section(
            decided,
            tuple(named),
            tuple(undecided),
            settings.get("kopfzeile"),
            settings.get("verwenden"),
        )

    def for_sheet(self, file_name: str, sheet_name: str) -> SheetMapping | None:
        """Return what the file says about one sheet of ``file_name``, or None if nothing."""
        found = [
            (name, self.sections[name])
            for name in self._names("*", file_name, f"{file_name}:{sheet_name}")
        ]
        if not found:
            return None
        decided: dict[str, Field | None] = {}
        named: list[str] = []
        undecided: list[str] = []
        header_row: int | None = None
        use = True
        for name, section in found:
            decided.update(section.decided)
            if name != "*":
                named.extend(section.named)
            undecided.extend(section.undecided)
            header_row = section.header_row if section.header_row is not None else header_row
            use = section.use if section.use is not None else use
        where = f'{self.shown} ["{found[-1][0]}"]'
        return SheetMapping(decided, tuple(named), tuple(undecided), header_row, use, where)

    def _names(self, *wanted: str) -> Iterable[str]:
        """The section names that match, least specific first; file names ignore case."""
        by_folded = {name.casefold(): name for name in self.sections}
        for name in wanted:
            if name in self.sections:
                yield name
            elif name.casefold() in by_folded:
                yield by_folded[name.casefold()]

    def has_section(self, name: str) -> bool:
        return any(True for _name in self._names(name))


def _field(value: str, where: str, key: str) -> Field | None:
    folded = fold_header(value)
    if folded in _NOT_USED_SPELLINGS:
        return None
    field = _BY_KEY.get(folded) or field_for(value)
    if field is None:
        raise InputError(
            _('{where}: "{key}" = "{value}" is not a field - write one of {fields}').format(
                where=where, key=key, value=value, fields=field_names()
            )
        )
    return field


def column_key(position: str) -> int:
    """Return the 0-based index of a mapping's "#C" key."""
    return column_index(position.lstrip("#"))


def with_table(text: str, name: str, table: str, shown: str) -> str:
    """Return the mapping file's ``text`` with its table ``name`` replaced by ``table``, or
    with ``table`` added at the end; every other line as it was, comments too.

    The table is found as the run finds it (a file's name in any case). Comments and blank
    lines just above the next table stay, with that table. The result is read back: if the
    other tables do not come out as they were (a line inside a multi-line string that looks
    like a table), nothing is changed and the file is to be edited by hand.
    """
    lines = text.splitlines(keepends=True)
    headers = [(number, found) for number, line in enumerate(lines)
               if (found := _table_name(line)) is not None]  # fmt: skip
    start = next((number for number, found in headers if found == name), None)
    if start is None:
        start = next((n for n, found in headers if found.casefold() == name.casefold()), None)
    if start is None:
        head = text.rstrip("\n") + "\n\n" if text.strip() else ""
        changed = head + table
        replaced: str | None = None
    else:
        replaced = _table_name(lines[start])
        end = next((number for number, _found in headers if number > start), len(lines))
        while end > start + 1 and (
            not lines[end - 1].strip() or lines[end - 1].lstrip()[:1] == "#"
        ):
            end -= 1
        gap = "\n" if end < len(lines) and lines[end].strip() else ""
        changed = "".join(lines[:start]) + table + gap + "".join(lines[end:])
    before = loads_toml(text, shown, InputError) if text.strip() else {}
    wanted = {key: value for key, value in before.items() if key != replaced}
    wanted |= loads_toml(table, shown, InputError)
    try:
        same = loads_toml(changed, shown, InputError) == wanted
    except InputError:
        same = False
    if not same:
        raise InputError(
            _("{file}: cannot be changed safely here - change the table [{name}] in a text "
              "editor").format(file=shown, name=toml_string(name))
        )  # fmt: skip
    return changed


def _table_name(line: str) -> str | None:
    """Return the name of the table a line opens (``["x.csv"]``), or None."""
    stripped = line.strip()
    if not stripped.startswith("[") or stripped.startswith("[["):
        return None
    try:
        data = loads_toml(stripped, "", InputError)
    except InputError:
        return None
    if len(data) != 1:
        return None
    ((name, table),) = data.items()
    return name if table == {} else None


def toml_string(text: str) -> str:
    """Quote text as a TOML basic string (JSON's escapes are TOML's, but for DEL)."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def mappings_for(folder: Path, shown_folder: str) -> ColumnMappings:
    """Return the mapping file of a folder of inputs (empty if there is none)."""
    shown = f"{shown_folder}/{MAPPING_FILE}" if shown_folder not in ("", ".") else MAPPING_FILE
    return ColumnMappings(folder / MAPPING_FILE, shown)
