"""The run's language: --lang, then PETITION_MERGE_LANG, then the locale, then the display
language of Windows or macOS; German when nothing says otherwise."""

from __future__ import annotations

import ctypes
import plistlib
from pathlib import Path

import pytest

from merge.i18n import choice
from merge.i18n.choice import choose_language, display_language, supported


def no_system() -> str | None:
    return None


@pytest.mark.parametrize(
    ("option", "environ", "expected"),
    [
        ("en", {"PETITION_MERGE_LANG": "de", "LANG": "de_DE.UTF-8"}, "en"),
        ("de", {"PETITION_MERGE_LANG": "en", "LANG": "en_GB.UTF-8"}, "de"),
        (None, {"PETITION_MERGE_LANG": "en", "LANG": "de_DE.UTF-8"}, "en"),
        (None, {"PETITION_MERGE_LANG": "de", "LANGUAGE": "en_US"}, "de"),
        (None, {"LANG": "de_DE.UTF-8"}, "de"),
        (None, {"LANG": "en_US.UTF-8"}, "en"),
        (None, {"LC_ALL": "en_GB.UTF-8", "LANG": "de_DE.UTF-8"}, "en"),
        (None, {"LC_MESSAGES": "de_AT.UTF-8", "LANG": "en_US.UTF-8"}, "de"),
        (None, {"LANGUAGE": "fr:en", "LANG": "de_DE.UTF-8"}, "en"),  # the first we have
        (None, {"LANGUAGE": "", "LC_ALL": "", "LANG": "en_US.UTF-8"}, "en"),  # empty = unset
        (None, {"LANG": "fr_FR.UTF-8"}, "de"),  # a language we do not have: German
        (None, {"LANG": "C.UTF-8"}, "de"),  # C says nothing about a language
        (None, {"LC_ALL": "POSIX", "LANG": "en_US.UTF-8"}, "en"),
        (None, {}, "de"),
        (None, {"PETITION_MERGE_LANG": "klingon"}, "de"),
    ],
)
def test_the_language_is_chosen_in_order(
    option: str | None, environ: dict[str, str], expected: str
) -> None:
    assert choose_language(option, environ, no_system) == expected


def test_the_display_language_counts_only_when_no_variable_says_anything() -> None:
    def english_desktop() -> str:
        return "en-GB"

    assert choose_language(None, {}, english_desktop) == "en"
    assert choose_language(None, {"LANG": "C.UTF-8"}, english_desktop) == "en"
    assert choose_language(None, {"LANG": "de_DE.UTF-8"}, english_desktop) == "de"
    assert choose_language(None, {"PETITION_MERGE_LANG": "de"}, english_desktop) == "de"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("de_DE.UTF-8", "de"), ("de-CH", "de"), ("EN_us", "en"), ("fr:de", "de"), ("it", None)],
)
def test_supported_reads_locale_names(value: str, expected: str | None) -> None:
    assert supported(value) == expected


@pytest.mark.parametrize("binary", [True, False])
def test_macos_preferred_languages_are_read_from_the_users_preferences(
    tmp_path: Path, binary: bool
) -> None:
    prefs = tmp_path / "Library" / "Preferences"
    prefs.mkdir(parents=True)
    data = {"AppleLanguages": ["fr-FR", "en-DE", "de-DE"], "AppleLocale": "fr_FR"}
    fmt = plistlib.FMT_BINARY if binary else plistlib.FMT_XML
    (prefs / ".GlobalPreferences.plist").write_bytes(plistlib.dumps(data, fmt=fmt))
    found = display_language("darwin", home=tmp_path)
    assert found == "fr-FR:en-DE:de-DE"
    assert choose_language(None, {}, lambda: found) == "en"  # French first: we have English


def test_macos_without_preferences_says_nothing(tmp_path: Path) -> None:
    assert display_language("darwin", home=tmp_path) is None
    broken = tmp_path / "Library" / "Preferences" / ".GlobalPreferences.plist"
    broken.parent.mkdir(parents=True)
    broken.write_bytes(b"not a plist")
    assert display_language("darwin", home=tmp_path) is None


def test_windows_ui_language_comes_from_the_kernel(monkeypatch: pytest.MonkeyPatch) -> None:
    class Kernel32:
        @staticmethod
        def GetUserDefaultUILanguage() -> int:
            return 0x0407  # German (Germany)

    class WinDLL:
        kernel32 = Kernel32()

    monkeypatch.setattr(ctypes, "windll", WinDLL(), raising=False)
    assert display_language("win32") == "de_DE"
    Kernel32.GetUserDefaultUILanguage = staticmethod(lambda: 0x0809)  # type: ignore[method-assign]
    assert display_language("win32") == "en_GB"


def test_linux_has_no_display_language_beyond_the_variables() -> None:
    assert display_language("linux") is None


def test_a_failing_windows_call_says_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(ctypes, "windll", raising=False)
    assert choice._windows_ui_language() is None
