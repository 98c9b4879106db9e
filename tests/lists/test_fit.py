"""Whether a row fits the cells of a template, estimated from real font metrics. Invented names.

``shipped_fit`` is the fit check of the bundled template, read from its file; other cells are
made here, with numbers chosen for the case.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from merge.lists import fit, metrics
from merge.lists.fit import RowFit
from merge.lists.geometry import ListGeometry, TextBox

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
LINE_8PT = 8 * metrics.LATIN_LINE_EM  # one line of 8 pt Arial: 9.19 pt


def box(width_pt: float = 220.0, lines: float = 6.5, **changes: object) -> TextBox:
    """A cell of ``width_pt`` that holds ``lines`` lines of 8 pt Arial."""
    made = TextBox(
        where="table 1, row 3, cell 3",
        column_width_pt=width_pt + 5.7,
        width_pt=width_pt,
        height_pt=lines * LINE_8PT,
        row_height_pt=lines * LINE_8PT + 5,
        size_pt=8.0,
        complex_size_pt=8.0,
        bold=False,
        caps=False,
        scale=1.0,
        font_name="Arial",
    )
    return replace(made, **changes)  # type: ignore[arg-type]


def name_box(**changes: object) -> TextBox:
    return box(125.0, where="table 1, row 3, cell 2", **changes)


def fit_of(name: TextBox | None = None, address: TextBox | None = None) -> RowFit:
    return RowFit(ListGeometry(name or name_box(), address or box()))


def test_maximal_real_entries_fit(shipped_fit: RowFit) -> None:
    assert (len(LAST), len(FIRST), len(MAX_NAME)) == (50, 30, 82)
    assert [len(line) for line in MAX_ADDRESS] == [50, 50, 50]
    assert shipped_fit(MAX_NAME, MAX_ADDRESS) is None


def test_all_uppercase_maximal_entries_fit(shipped_fit: RowFit) -> None:
    assert shipped_fit(MAX_NAME.upper(), tuple(a.upper() for a in MAX_ADDRESS)) is None


def test_extreme_widths_of_maximal_length_still_fit(shipped_fit: RowFit) -> None:
    assert shipped_fit(WIDE_NAME, WIDE_ADDRESS) is None


def test_three_lines_of_a_long_chinese_address_fit(shipped_fit: RowFit) -> None:
    address = ("北京市海淀区中关村大街二十七号" * 4)[:25]
    assert shipped_fit("张伟" * 20, (address,) * 3) is None


def test_too_long_address_is_rejected_without_quoting_it(shipped_fit: RowFit) -> None:
    address = ("Geheimweg 13, Hinterhof links, drei Treppen hoch",) * 7
    reason = shipped_fit("Mustermann, Erika", address)
    assert reason is not None
    assert reason.startswith("address too long to print: at most 6 lines of the Anschrift column")
    assert "(about 53 characters each)" in reason
    assert "shorten it in the spreadsheet" in reason
    assert "Geheimweg" not in reason and "Mustermann" not in reason


def test_too_long_name_is_rejected(shipped_fit: RowFit) -> None:
    reason = shipped_fit("Mustermann-Beispiel " * 12, ("Hauptstr. 1",))
    assert reason is not None and reason.startswith("name too long to print")


def test_address_lines_containing_line_breaks_count_as_lines(shipped_fit: RowFit) -> None:
    assert shipped_fit("A, B", ("1\n2\n3", "4\n5\n6")) is None
    assert shipped_fit("A, B", ("1\n2\n3", "4\n5\n6\n7")) is not None


def test_chinese_lines_are_taller_so_fewer_fit(shipped_fit: RowFit) -> None:
    latin = tuple("Zeile" for _ in range(6))
    chinese = tuple("北京" for _ in range(6))
    assert shipped_fit("A, B", latin) is None
    assert shipped_fit("A, B", chinese) is not None


def test_the_limits_follow_the_cell_not_constants() -> None:
    six = ("Zeile",) * 6
    assert fit_of(address=box(lines=6.5))("A", six) is None
    assert fit_of(address=box(lines=5.5))("A", six) is not None
    # a bigger font: the same lines no longer fit the same cell
    bigger = box(lines=6.5, size_pt=12.0)
    reason = fit_of(address=bigger)("A", six)
    assert reason is not None and "at most 4 lines" in reason
    # a narrower column wraps a line that fitted
    line = MAX_ADDRESS[0]
    assert fit_of(address=box(width_pt=220.0, lines=1.2))("A", (line,)) is None
    wrapped = len(fit.cell_lines((line,), box(width_pt=110.0)))
    assert wrapped >= 2
    assert fit_of(address=box(width_pt=110.0, lines=wrapped - 0.5))("A", (line,)) is not None
    assert fit_of(address=box(width_pt=110.0, lines=wrapped + 0.5))("A", (line,)) is None


def test_exact_line_spacing_decides_the_height_of_every_line() -> None:
    from merge.lists.geometry import LineSpacing

    spaced = box(lines=6.5, line=LineSpacing("exact", 14.0))  # 59.7 pt: four lines of 14
    assert fit_of(address=spaced)("A", ("Zeile",) * 4) is None
    assert fit_of(address=spaced)("A", ("Zeile",) * 5) is not None


def test_bold_caps_scale_and_character_spacing_make_text_wider() -> None:
    line = "Lindenallee 12, Gartenhaus, Aufgang B, EG rechts"  # 48 characters
    width = metrics.text_width_em(line) * metrics.SLACK * 8 + 1  # just fits at 8 pt
    assert fit_of(address=box(width_pt=width, lines=1.2))("A", (line,)) is None
    for changes in ({"bold": True}, {"caps": True}, {"scale": 1.2}, {"spacing_pt": 0.2}):
        cell = box(width_pt=width, lines=1.2, **changes)
        assert fit_of(address=cell)("A", (line,)) is not None, changes


def test_right_to_left_text_prints_in_the_complex_script_size() -> None:
    arabic = "الحربي فاطمة"
    cell = box(width_pt=220.0, lines=1.5, complex_size_pt=16.0)
    assert fit_of(address=box(lines=1.5))("A", (arabic,)) is None
    assert fit_of(address=cell)("A", (arabic,)) is not None
    assert fit_of(address=cell)("A", ("Zeile",)) is None  # Latin text keeps its size


def test_a_font_without_widths_holds_fewer_characters() -> None:
    line = MAX_ADDRESS[0]
    assert fit_of(address=box(width_pt=220.0, lines=1.2))("A", (line,)) is None
    calibri = box(width_pt=220.0, lines=1.2, font_name="Calibri")
    assert fit_of(address=calibri)("A", (line,)) is not None


@given(
    name=st.text(min_size=1, max_size=120),
    address=st.lists(st.text(max_size=80), max_size=8).map(tuple),
    cut=st.integers(min_value=0, max_value=119),
)
def test_shortening_a_fitting_row_never_makes_it_fail(
    shipped_fit: RowFit, name: str, address: tuple[str, ...], cut: int
) -> None:
    if shipped_fit(name, address) is None:
        assert shipped_fit(name[:cut], address[:-1]) is None


# Text as people write it and worse: umlauts, long words, CJK, combining marks, characters the
# width table lacks, line breaks (each starts another printed line), and runs of one character
# that end near the edge of a column.
_PIECES = st.sampled_from(
    [
        *("Müller", "Straße", "Wolfenbüttel-Schwarzenbergerhausen", "WMWMWMWMWMWMWMWM", "12345"),
        *("张伟", "北京市海淀区", "e\u0301", "\u0308", "ب", "Ａ", "\U0001f600", "שלום"),
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
_FITS = [
    fit_of(),
    fit_of(address=box(complex_size_pt=12.0)),
    fit_of(name_box(caps=True, bold=True), box(font_name="Times New Roman")),
]


@settings(max_examples=400)
@given(
    name=_TEXT, address=st.lists(_TEXT, max_size=8).map(tuple), which=st.integers(0, len(_FITS) - 1)
)
def test_quick_check_agrees_with_wrapping_and_measuring(
    name: str, address: tuple[str, ...], which: int
) -> None:
    check = _FITS[which]
    lines = tuple("\n".join(address).split("\n")) if address else ()
    assert check(name, address) == check.measured_problem(name, lines)


def test_quick_check_lets_through_as_many_lines_as_the_cell_holds(shipped_fit: RowFit) -> None:
    held = fit.latin_lines(shipped_fit.geometry.address)
    assert held == 6
    assert shipped_fit("A", ("Zeile",) * held) is None
    assert shipped_fit("A", ("Zeile",) * (held + 1)) is not None


@pytest.mark.parametrize("char", ["i", "W", "Ö", "m", "-", "1"])
@pytest.mark.parametrize("column", ["name", "address"])
def test_quick_check_lets_through_just_the_lines_wrap_keeps_whole(
    shipped_fit: RowFit, char: str, column: str
) -> None:
    def fits(line: str) -> bool:
        if column == "name":
            return shipped_fit(line, ()) is None
        return shipped_fit("A", (line,) * 6) is None

    line = char
    while fits(line + char):
        line += char
    cell = getattr(shipped_fit.geometry, column)
    assert len(fit.cell_lines((line,), cell)) == (6 if column == "name" else 1)
    assert not fits(line + char)


def test_template_problems_say_what_needs_how_much_room() -> None:
    low = ListGeometry(name_box(), box(lines=2.0, size_pt=12.0))
    problems = fit.template_problems(low)
    assert [where for where, _ in problems] == ["table 1, row 3, cell 3"]
    [(_, message)] = problems
    assert message.startswith("the signer row is ")
    assert "at 12 pt, an address of three lines of 50 characters needs" in message
    assert message.endswith(
        "make the row taller, the column wider or the font smaller in the Word template"
    )
    assert fit.template_problems(ListGeometry(name_box(), box())) == []
