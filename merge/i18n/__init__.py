"""The language of the interface: German by default, English on request.

Every sentence a user reads is an English message id marked with :func:`_` (or
:func:`ngettext` where a number decides the form) and translated when it is made, in the
language of the run. The catalogs are gettext .po files compiled to .mo by Babel
(``scripts/catalog.py``) and shipped in ``merge/locale``.

Writing a message::

    _("{origin}: no postcode - add it in the file").format(origin=row.origin)
    ngettext("{n} envelope", "{n} envelopes", n).format(n=n)

The placeholders are filled after translating, so a translation can put them where its
language wants them. A sentence is one message, never glued from pieces. A text made
before the language is known (a module constant) is marked with :func:`N_` and passed
through :func:`_` where it is shown.

The language is one per run: the CLI (later the web page) calls :func:`activate` once; a
context variable holds it, so threads and tasks each see their own.
"""

from __future__ import annotations

import gettext
import re
from contextvars import ContextVar
from functools import cache
from pathlib import Path

DOMAIN = "petition-merge"
LOCALE_DIR = Path(__file__).parent.parent / "locale"
LANGUAGES = ("de", "en")  # what --lang accepts; the first is the default
DEFAULT_LANGUAGE = "de"
ENV_VARIABLE = "PETITION_MERGE_LANG"

# A language only for the test that finds unmarked strings: every translated message comes
# out between these marks, so text outside them was never translated.
PSEUDO = "pseudo"
PSEUDO_OPEN, PSEUDO_CLOSE = "\u27e6", "\u27e7"
_PLACEHOLDER = re.compile(r"(?<!\{)\{[^{}]*\}(?!\})")


class _Pseudo(gettext.NullTranslations):
    """Mark every message, and leave its placeholders outside the marks: a value put into
    a message stands on its own, so an unmarked sentence inside a marked one shows."""

    def gettext(self, message: str) -> str:
        opened = _PLACEHOLDER.sub(lambda m: PSEUDO_CLOSE + m.group(0) + PSEUDO_OPEN, message)
        return f"{PSEUDO_OPEN}{opened}{PSEUDO_CLOSE}"

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return self.gettext(msgid1 if n == 1 else msgid2)


@cache
def translations(language: str) -> gettext.NullTranslations:
    """Return the catalog of a language (English is the message ids themselves)."""
    if language == PSEUDO:
        return _Pseudo()
    if language == "en":
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[language])


_active: ContextVar[str] = ContextVar("petition_merge_language", default=DEFAULT_LANGUAGE)


def activate(language: str) -> None:
    """Make ``language`` the language of what follows in this thread or task."""
    if language not in (*LANGUAGES, PSEUDO):
        raise ValueError(f"unknown language {language!r}")
    _active.set(language)


def language() -> str:
    """Return the active language ("de" or "en")."""
    return _active.get()


_on_page: ContextVar[bool] = ContextVar("petition_merge_on_page", default=False)


def speak_for_page(on: bool = True) -> None:
    """Say what follows in this thread or task to someone on the web page, not in a terminal:
    :func:`on_page` then picks the page's words (a form field) over an option's name."""
    _on_page.set(on)


def on_page() -> bool:
    """Return whether messages now go to the web page (see :func:`speak_for_page`)."""
    return _on_page.get()


def _(message: str) -> str:
    """Return ``message`` in the active language."""
    return translations(_active.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Return the form of a message for the number ``n``, in the active language."""
    return translations(_active.get()).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark ``message`` for the catalog without translating it (translate it where shown)."""
    return message
