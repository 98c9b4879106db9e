"""The German catalog is complete and compiled: every message a user can see has German.

The messages are collected as scripts/catalog.py collects them: the strings marked in
merge/, every --help text of the live commands, and click's own strings.
"""

from __future__ import annotations

import runpy
from typing import Any

import pytest
from conftest import ROOT

from merge import i18n

CATALOG: dict[str, Any] = runpy.run_path(str(ROOT / "scripts" / "catalog.py"))


def test_every_message_has_a_german_translation_and_the_mo_is_compiled() -> None:
    problems = CATALOG["problems"]()
    assert problems == [], "\n".join(problems[:40])


def test_the_help_texts_of_every_command_are_collected() -> None:
    found = {message for message, _where in CATALOG["help_messages"]()}
    assert "Turn spreadsheets of petition signers into printed petition lists of five." in found
    assert any(text.startswith("Language of messages and outputs") for text in found)


def test_clicks_own_strings_are_collected() -> None:
    found = {message for message, _where in CATALOG["click_messages"]()}
    assert {"Usage:", "Show this message and exit.", "Options"} <= found


def test_marked_strings_are_found_with_their_place() -> None:
    found = dict(CATALOG["source_messages"]([ROOT / "merge" / "i18n"]))
    assert found["'{value}' is not a date - write it like {example}"].startswith(
        "merge/i18n/conventions.py:"
    )


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_shipped_catalog_loads(language: str) -> None:
    i18n.translations.cache_clear()
    catalog = i18n.translations(language)
    assert catalog.ngettext("x", "xs", 1) == "x"
    if language == "de":
        info = catalog.info()
        assert info["plural-forms"] == "nplurals=2; plural=(n != 1);"
