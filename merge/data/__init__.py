"""Bundled data files: postage prices and limits, label sheets, envelope formats, font metrics.

Each file says where its facts come from and which of them are unverified. A damaged file is
a DataError (exit 8), not an input error: the user's own files are fine, petition-merge's are
not. Every problem is one line naming the file and, where there is one, the key.

This module stays import-light (no document library): the CLI reads the defaults of
``labels.json`` and ``envelopes.json`` through it before it parses the command line.
"""

from __future__ import annotations

import json
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, Self, TypeGuard

from merge.errors import DataError, read_reason
from merge.i18n import _
from merge.settings import KeyReader, found

FOLDER = Path(__file__).parent


def bundled(name: str) -> Path:
    """Return the path of a bundled data file, e.g. ``bundled("postage.json")``."""
    return FOLDER / name


LABELS = bundled("labels.json")


def read_json(path: Path, what: str) -> dict[str, Any]:
    """Read a JSON object from a data file; a damaged file is one line naming it and ``what``
    it holds (translated: "label data")."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise DataError(
            _("{file}: cannot read {what} (not valid JSON at line {line}, column {column})").format(
                file=path, what=what, line=err.lineno, column=err.colno
            )
        ) from err
    except (OSError, UnicodeDecodeError) as err:
        raise DataError(
            _("{file}: cannot read {what} ({reason})").format(
                file=path, what=what, reason=read_reason(err)
            )
        ) from err
    if not isinstance(data, dict):
        raise DataError(
            _("{file}: not a {what} file - expected a JSON object").format(file=path, what=what)
        )
    return data


# --- labels.json ----------------------------------------------------------------------------


@cache
def _bundled_labels() -> dict[str, Any]:
    return read_json(LABELS, _("label data"))


def label_section(path: Path | None, key: str) -> dict[str, Any]:
    """Return one section of ``labels.json`` (or of the file at ``path``), never empty."""
    data = _bundled_labels() if path is None else read_json(path, _("label data"))
    section = data.get(key)
    if not isinstance(section, dict) or not section:
        raise DataError(
            _("{file}: no '{key}' in it - restore the file").format(file=path or LABELS, key=key)
        )
    return section


def default_label_code(path: Path | None = None) -> str:
    """Return the label product used when none is asked for: ``default`` in ``labels.json``."""
    data = _bundled_labels() if path is None else read_json(path, _("label data"))
    code = data.get("default")
    if not isinstance(code, str) or not code.strip():
        raise DataError(
            _("{file}: no 'default' label code in it - restore the file").format(
                file=path or LABELS
            )
        )
    return code


# --- hand-edited data files, checked key by key ---------------------------------------------

INFO_KEYS = frozenset({"notes", "status", "source"})  # for people; any "_key" is too


class DataReader(KeyReader):
    """Take typed values out of one JSON object, naming the file and key in every problem.

    :meth:`open` reads numbers with a fraction as Decimal, so that a price can be checked to
    the cent; :meth:`number` hands them out as float.
    """

    error = DataError

    def __init__(self, value: Any, shown: str, where: str = "") -> None:
        if not isinstance(value, dict):
            raise DataError(
                _("{file}: key '{key}' must be an object {{...}}").format(
                    file=shown, key=where or _("(top level)")
                )
            )
        super().__init__(value, shown, where)

    @classmethod
    def open(cls, path: Path, shown: str, what: str) -> Self:
        """Read the data file at ``path`` (``shown`` in messages) and return its top level;
        ``what`` it holds, translated ("postage data"), is said if it cannot be read."""
        try:
            raw = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
        except json.JSONDecodeError as err:
            raise DataError(
                _("{file}: not valid JSON at line {line}, column {column} - fix it there").format(
                    file=shown, line=err.lineno, column=err.colno
                )
            ) from err
        except (OSError, UnicodeDecodeError) as err:
            raise DataError(
                _("{file}: cannot read the {what} ({reason})").format(
                    file=shown, what=what, reason=read_reason(err)
                )
            ) from err
        return cls(raw, shown, "")

    def number(self, key: str, *, positive: bool = False, optional: bool = False) -> float:
        if optional and key not in self.data:
            self.used.add(key)
            return 0.0
        value = self.raw(key, _("a number"))
        if not is_number(value) or value < 0 or (positive and value == 0):
            message = (
                _("{file}: key '{key}' must be a positive number (found {found})")
                if positive
                else _("{file}: key '{key}' must be a zero or positive number (found {found})")
            )
            raise self.fail(key, message, found=found(value))
        return float(value)

    def integer(self, key: str) -> int:
        value = self.raw(key, _("a whole number"))
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise self.fail(
                key,
                _("{file}: key '{key}' must be a whole number of at least 1 (found {found})"),
                found=found(value),
            )
        return value

    def optional_integer(self, key: str) -> int | None:
        if self.data.get(key) is None:
            self.used.add(key)
            return None
        return self.integer(key)

    def section(self, key: str) -> Self:
        return self.child(self.raw(key, _("an object {...}")), key)

    def items(self, key: str) -> list[Self]:
        value = self.raw(key, _("a list [...] of objects"))
        if not isinstance(value, list) or not value:
            raise self.fail(
                key,
                _("{file}: key '{key}' must be a non-empty list [...] (found {found})"),
                found=found(value),
            )
        return [
            type(self)(item, self.shown, f"{self.path(key)}[{i}]") for i, item in enumerate(value)
        ]

    def unique(self, array: str, key: str, values: list[str]) -> list[str]:
        """Return ``values`` (``key`` of each item of ``array``) unless one repeats."""
        for index, value in enumerate(values):
            if value in values[:index]:
                raise self.fail(
                    f"{array}[{index}].{key}",
                    _("{file}: key '{key}' repeats '{value}' - codes must be unique"),
                    value=value,
                )
        return values

    def check_unknown(self, extra: set[str], *, info: bool = True, codes: str = "") -> None:
        """Reject keys nobody reads, so that a misspelt limit is not silently ignored.

        With ``codes`` (where the keys' names come from), the keys name codes from there.
        """
        known = self.used | extra | (INFO_KEYS if info else set())
        for key in self.data:
            if key not in known and not (info and key.startswith("_")):
                if codes:
                    raise self.fail(
                        key,
                        _("{file}: key '{key}' is unknown - name a product code from '{codes}'"),
                        codes=codes,
                    )
                raise self.fail(key, _("{file}: key '{key}' is unknown - check its spelling"))


def is_number(value: Any) -> TypeGuard[int | Decimal]:
    """Return whether a value read by :meth:`DataReader.open` is a finite number (not a bool)."""
    if isinstance(value, Decimal):
        return value.is_finite()
    return isinstance(value, int) and not isinstance(value, bool)
