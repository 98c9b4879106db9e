"""The rules of tests/unmarked.py on small texts: what counts as data, what as a word."""

from __future__ import annotations

from unmarked import unmarked_words


def test_an_option_is_data_on_its_own_and_quoted() -> None:
    text = (
        "⟦error: ⟧--lables⟦: no such option - did you mean one of ⟧"
        "'--label-offset', '--labels', \"--names\", „--dry-run“⟦?⟧"
    )
    assert unmarked_words(text) == []


def test_a_dash_inside_a_word_is_no_option() -> None:
    # "-Mail" is no option: only a whole "E-Mail-Adresse" allowed as data would be.
    assert unmarked_words("⟦column ⟧E-Mail-Adresse⟦ not used⟧") == ["Mail", "Adresse"]
    assert unmarked_words("⟦column ⟧E-Mail-Adresse⟦ not used⟧", ["E-Mail-Adresse"]) == []


def test_words_outside_the_marks_are_found() -> None:
    assert unmarked_words("⟦warning: ⟧cannot write here⟦⟧") == ["cannot", "write", "here"]
