"""Which language a run speaks: --lang, then PETITION_MERGE_LANG, then the system's, else German.

The system's language is the first of LANGUAGE, LC_ALL, LC_MESSAGES and LANG that is set
and not "C"/"POSIX" (as gettext reads them); where none is (Windows, and macOS outside a
terminal that sets LANG), the user's display language: on Windows the UI language the
user chose, on macOS the first of the preferred languages in System Settings.
"""

from __future__ import annotations

import os
import plistlib
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

from merge.i18n import DEFAULT_LANGUAGE, ENV_VARIABLE, LANGUAGES, PSEUDO

LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def choose_language(
    option: str | None,
    environ: Mapping[str, str] | None = None,
    system: Callable[[], str | None] | None = None,
) -> str:
    """Return the run's language from the option, the environment or the system."""
    env = os.environ if environ is None else environ
    if option:
        return supported(option) or DEFAULT_LANGUAGE
    if env.get(ENV_VARIABLE) == PSEUDO:  # only for the test that finds unmarked strings
        return PSEUDO
    if found := supported(env.get(ENV_VARIABLE, "")):
        return found
    for name in LOCALE_VARIABLES:
        value = env.get(name, "")
        if value and value.split(".")[0] not in ("C", "POSIX"):
            # The first variable that is set decides; a language we do not have means German.
            return supported(value) or DEFAULT_LANGUAGE
    found = supported((system or display_language)() or "")
    return found or DEFAULT_LANGUAGE


def supported(value: str) -> str | None:
    """Return the first language of ``value`` we have: "de_AT.UTF-8" -> "de", "fr:en" -> "en"."""
    for part in value.split(":"):
        code = part.strip().replace("-", "_").split("_")[0].split(".")[0].lower()
        if code in LANGUAGES:
            return code
    return None


def display_language(platform: str | None = None, home: Path | None = None) -> str | None:
    """Return the user's display language on Windows or macOS ("de_DE", "de-DE"), else None."""
    platform = platform or sys.platform
    if platform == "win32":
        return _windows_ui_language()
    if platform == "darwin":
        return macos_language(home or Path.home())
    return None


def _windows_ui_language() -> str | None:
    import ctypes
    import locale

    try:
        lang_id = ctypes.windll.kernel32.GetUserDefaultUILanguage()  # type: ignore[attr-defined]
    except (AttributeError, OSError):
        return None
    name = locale.windows_locale.get(int(lang_id))
    return str(name) if name else None


def macos_language(home: Path) -> str | None:
    """Return the macOS user's preferred languages (AppleLanguages) as "de-DE:en-US", or None."""
    path = home / "Library" / "Preferences" / ".GlobalPreferences.plist"
    try:
        with path.open("rb") as file:
            languages = plistlib.load(file).get("AppleLanguages")
    except (OSError, plistlib.InvalidFileException, ValueError):
        return None
    if isinstance(languages, list):
        return ":".join(str(name) for name in languages) or None
    return None
