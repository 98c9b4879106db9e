"""Read typed values out of a settings file (TOML or JSON), naming file and key on error.

Campaign files and the postage table are edited by hand; every problem must say which
file, which key and what to write instead, in one line.
"""

from __future__ import annotations

from difflib import get_close_matches
from typing import Any, ClassVar, Self

from merge.errors import MergeError
from merge.i18n import _


class KeyReader:
    """One table or object of a settings file; subclasses add the types their file uses."""

    error: ClassVar[type[MergeError]] = MergeError

    def __init__(self, data: dict[str, Any], shown: str, where: str = "") -> None:
        self.data = data
        self.shown = shown  # the file, as messages name it
        self.where = where  # the path of this table inside the file, e.g. "headings"
        self.used: set[str] = set()

    def path(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where else key

    def fail(self, key: str, message: str, **values: object) -> MergeError:
        """Return the error about ``key``: ``message`` is one whole translated sentence with
        {file} and {key} to fill in (and the placeholders of ``values``)."""
        return self.error(message.format(file=self.shown, key=self.path(key), **values))

    def raw(self, key: str, expected: str) -> Any:
        """Return the value of ``key``; ``expected`` (translated) says what to add if missing."""
        self.used.add(key)
        if key not in self.data:
            # a key typed another way (titel for title) is the likelier mistake: name it
            others = [k for k in self.data if isinstance(k, str) and k not in self.used]
            similar = get_close_matches(key, others, n=1, cutoff=0.8)
            if similar:
                raise self.error(
                    _("{file}: key '{unknown}' is unknown - did you mean '{key}'?").format(
                        file=self.shown, unknown=self.path(similar[0]), key=self.path(key)
                    )
                )
            raise self.fail(
                key, _("{file}: key '{key}' is missing - add it ({expected})"), expected=expected
            )
        return self.data[key]

    def text(self, key: str) -> str:
        value = self.raw(key, _('a text in "quotes"'))
        if not isinstance(value, str):
            raise self.fail(
                key,
                _("{file}: key '{key}' must be a text in \"quotes\" (found {found})"),
                found=found(value),
            )
        if not value.strip():
            raise self.fail(
                key,
                _("{file}: key '{key}' must not be empty - write the text between the \"quotes\""),
            )
        return value

    def child(self, value: Any, key: str) -> Self:
        """Return a reader for a nested table found at ``key``."""
        return type(self)(value, self.shown, self.path(key))


def found(value: Any) -> str:
    """Describe a value the way a person who typed it would recognise it."""
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, dict):
        return _("a section")
    if isinstance(value, list):
        return _("an empty list") if not value else _("a list")
    if value is None:
        return "null"  # as JSON writes it
    return str(value)
