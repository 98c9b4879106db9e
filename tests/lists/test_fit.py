"""Whether a row fits the petition table, estimated from real font metrics. Invented names."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from merge.lists import fit, geometry, metrics

# 50 + 30 characters, printed "Last, First" = 82 characters; three address lines of 50.
LAST = "Wolfenbüttel-Schwarzenbergerhausen-Müllerdorfmanns"
FIRST = "Maximiliane-Josefine Anneliese"
MAX_NAME = f"{LAST}, {FIRST}"
MAX_ADDRESS = (
    "Großherzog-Friedrich-Wilhelm-Straße 127, Hinterhof",
    "Wohnung 14, 3. Obergeschoss links, bei Familie Ötz",
    "D-79098 Freiburg im Breisgau, Baden-Württemberg DE",
)
WIDE_NAME = "WMWMWMWMWMWMWMWMWMWMWMWMWMWMWMWMWMWMWMWMWMWMWMWMWM, MWMWMWMWMWMWMWMWMWMWMWMWMWMWMW"
WIDE_ADDRESS = ("MWMWMWMWMWMWMWMWMWMWMWMWMWMWMWMWMWMWMWMWMWMWMWMWMW",) * 3


def test_maximal_real_entries_fit() -> None:
    assert (len(LAST), len(FIRST), len(MAX_NAME)) == (50, 30, 82)
    assert [len(line) for line in MAX_ADDRESS] == [50, 50, 50]
    assert fit.row_problem(MAX_NAME, MAX_ADDRESS) is None


def test_all_uppercase_maximal_entries_fit() -> None:
    assert fit.row_problem(MAX_NAME.upper(), tuple(a.upper() for a in MAX_ADDRESS)) is None


def test_extreme_widths_of_maximal_length_still_fit() -> None:
    assert fit.row_problem(WIDE_NAME, WIDE_ADDRESS) is None


def test_three_lines_of_a_long_chinese_address_fit() -> None:
    address = ("北京市海淀区中关村大街二十七号" * 4)[:25]
    assert fit.row_problem("张伟" * 20, (address,) * 3) is None


def test_too_long_address_is_rejected_without_quoting_it() -> None:
    address = ("Geheimweg 13, Hinterhof links, drei Treppen hoch",) * 7
    reason = fit.row_problem("Mustermann, Erika", address)
    assert reason is not None
    assert reason.startswith("address too long to print: at most 6 lines of the Anschrift column")
    assert "shorten it in the spreadsheet" in reason
    assert "Geheimweg" not in reason and "Mustermann" not in reason


def test_too_long_name_is_rejected() -> None:
    reason = fit.row_problem("Mustermann-Beispiel " * 12, ("Hauptstr. 1",))
    assert reason is not None and reason.startswith("name too long to print")


def test_address_lines_containing_line_breaks_count_as_lines() -> None:
    assert fit.row_problem("A, B", ("1\n2\n3", "4\n5\n6")) is None
    assert fit.row_problem("A, B", ("1\n2\n3", "4\n5\n6\n7")) is not None


def test_chinese_lines_are_taller_so_fewer_fit() -> None:
    latin = tuple("Zeile" for _ in range(6))
    chinese = tuple("北京" for _ in range(6))
    assert fit.row_problem("A, B", latin) is None
    assert fit.row_problem("A, B", chinese) is not None


@given(
    name=st.text(min_size=1, max_size=120),
    address=st.lists(st.text(max_size=80), max_size=8).map(tuple),
    cut=st.integers(min_value=0, max_value=119),
)
def test_shortening_a_fitting_row_never_makes_it_fail(
    name: str, address: tuple[str, ...], cut: int
) -> None:
    if fit.row_problem(name, address) is None:
        assert fit.row_problem(name[:cut], address[:-1]) is None


def test_default_letter_leaves_room_and_a_longer_one_does_not() -> None:
    text = (
        ("President", "Xi Jinping", "Zhongnanhai", "Beijing", "CHINA"),
        "CLOSE THE CAMPS",
        "Dear President Xi:",
        ("I am writing to voice my concerns about reports of human rights violations. " * 6,) * 4,
        "Yours sincerely,",
        "Die Adressen werden nur im Sinne der Petition genutzt.",
        "Bitte senden Sie diese Petitionsliste bis zum 31.12.2023 direkt an den Adressaten.",
    )
    assert fit.page_problem(fit.LetterText(*text)) is None
    longer = (*text[:3], text[3] * 2, *text[4:])
    reason = fit.page_problem(fit.LetterText(*longer))
    assert reason is not None and reason.startswith("the letter is too long to print on one page")


# Text as people write it and worse: umlauts, long words, CJK, combining marks, characters the
# width table lacks, line breaks (each starts another printed line), and runs of one character
# that end near the edge of a column.
_PIECES = st.sampled_from(
    [
        *("Müller", "Straße", "Wolfenbüttel-Schwarzenbergerhausen", "WMWMWMWMWMWMWMWM", "12345"),
        *("张伟", "北京市海淀区", "e\u0301", "\u0308", "ب", "Ａ", "\U0001f600"),
        *("\n", " ", "-", "/", ""),
    ]
)
_TEXT = st.one_of(
    st.lists(_PIECES, max_size=12).map(" ".join),
    st.lists(_PIECES, max_size=12).map("".join),
    st.builds(
        lambda char, count: char * count, st.sampled_from("iWÖm 张-\u0301"), st.integers(0, 70)
    ),
    st.text(max_size=90),
)


@settings(max_examples=400)
@given(name=_TEXT, address=st.lists(_TEXT, max_size=8).map(tuple))
def test_quick_check_agrees_with_wrapping_and_measuring(
    name: str, address: tuple[str, ...]
) -> None:
    lines = tuple("\n".join(address).split("\n")) if address else ()
    assert lines == tuple(part for line in address for part in line.split("\n"))
    quick = fit._fits_unwrapped(name, lines)
    unwrapped = fit.cell_lines((name,), geometry.NAME_COLUMN) == [name] and fit.cell_lines(
        lines, geometry.ADDRESS_COLUMN
    ) == list(lines)
    if quick:
        assert unwrapped
        assert {metrics.line_height_em(line) for line in (name, *lines)} == {metrics.LATIN_LINE_EM}
    if set(name).union(*lines) <= metrics._advance_widths().keys():
        assert quick == unwrapped  # exact, not merely safe, for text the width table covers
    assert fit.row_problem(name, address) == fit._measured_problem(name, lines)


def test_quick_check_lets_through_max_lines_and_no_more() -> None:
    for column in (geometry.NAME_COLUMN, geometry.ADDRESS_COLUMN):
        height = fit.cell_height_pt(("Zeile",) * geometry.MAX_LINES, column)
        assert height <= geometry.CONTENT_HEIGHT_PT
    assert fit.row_problem("A", ("Zeile",) * geometry.MAX_LINES) is None
    assert fit.row_problem("A", ("Zeile",) * (geometry.MAX_LINES + 1)) is not None


@pytest.mark.parametrize("char", ["i", "W", "Ö", "m", "-", "1"])
@pytest.mark.parametrize("column", [geometry.NAME_COLUMN, geometry.ADDRESS_COLUMN])
def test_quick_check_lets_through_just_the_lines_wrap_keeps_whole(char: str, column: int) -> None:
    def quick(line: str) -> bool:
        if column == geometry.NAME_COLUMN:
            return fit._fits_unwrapped(line, ())
        return fit._fits_unwrapped("", (line,))

    line = char
    while quick(line + char):
        line += char
    width_em = fit._column_width_em(column)
    assert metrics.wrap(line, width_em) == [line]
    assert metrics.wrap(line + char, width_em) != [line + char]
