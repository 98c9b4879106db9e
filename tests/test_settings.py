"""Typed values out of hand-edited settings files: every problem names file, key and fix."""

from typing import Any

import pytest

from merge.errors import CampaignError
from merge.settings import KeyReader, found


class Reader(KeyReader):
    error = CampaignError


def test_text_returns_the_value_and_remembers_the_key_as_used() -> None:
    reader = Reader({"title": "Schließt die Lager", "other": 1}, "kampagne.toml")
    assert reader.text("title") == "Schließt die Lager"
    assert reader.used == {"title"}


def test_a_missing_key_is_named_with_its_section_and_what_to_write() -> None:
    top = Reader({"headings": {}}, "kampagne.toml")
    headings = top.child(top.data["headings"], "headings")
    assert isinstance(headings, Reader)
    with pytest.raises(CampaignError) as info:
        headings.text("name")
    assert str(info.value) == (
        "kampagne.toml: key 'headings.name' is missing - add it (a text in \"quotes\")"
    )
    assert info.value.exit_code == 5  # the subclass's error, not the base class


def test_sections_nest_in_the_key_path() -> None:
    top = Reader({}, "k.toml")
    inner = top.child({}, "sender").child({}, "account")
    assert inner.path("iban") == "sender.account.iban"
    assert inner.shown == "k.toml"


@pytest.mark.parametrize(
    ("value", "shown"),
    [(3, "3"), (True, "True"), ([], "an empty list"), (["a"], "a list"), ({}, "a section")],
)
def test_a_value_of_the_wrong_type_says_what_was_found(value: Any, shown: str) -> None:
    with pytest.raises(CampaignError) as info:
        Reader({"title": value}, "k.toml").text("title")
    assert str(info.value) == f"k.toml: key 'title' must be a text in \"quotes\" (found {shown})"


def test_an_empty_text_is_refused() -> None:
    with pytest.raises(CampaignError, match="key 'title' must not be empty - write the text"):
        Reader({"title": " \t"}, "k.toml").text("title")


def test_found_describes_values_as_the_person_typed_them() -> None:
    assert found("DL") == '"DL"'
    assert found(None) == "null"
    assert found(1.5) == "1.5"
