import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from merge.lists.accounting import account_rows
from merge.lists.clean import CellCleaner as _CellCleaner
from merge.lists.clean import cell_text
from merge.lists.duplicates import identity_key
from merge.lists.signer import to_signer
from merge.read.fold import fold_header, fold_words
from merge.read.headers import Field
from merge.read.rows import SourceRow


def row(n: int, empty: bool = False, **cells: Any) -> SourceRow:
    fields = {Field[name.upper()]: value for name, value in cells.items()}
    return SourceRow(origin=f"l.xlsx:S:{n}", cells=fields, empty=empty)


def test_cell_text_renders_numbers_and_dates_as_people_read_them() -> None:
    assert cell_text(12345.0) == "12345"
    assert cell_text(12.5) == "12.5"
    assert cell_text(dt.date(2026, 3, 1)) == "01.03.2026"
    assert cell_text(dt.datetime(2026, 3, 1)) == "01.03.2026"
    assert cell_text(dt.datetime(2026, 3, 1, 14, 5)) == "01.03.2026 14:05"
    assert cell_text(None) == ""


def test_split_name_prints_as_last_comma_first() -> None:
    signer = to_signer(row(2, last="Beispiel", first="Erika", address="Weg 1"))
    assert not isinstance(signer, str)
    assert signer.name == "Beispiel, Erika"
    assert signer.address == ("Weg 1",)
    assert signer.origin == "l.xlsx:S:2"


def test_split_address_becomes_street_and_town_lines() -> None:
    signer = to_signer(
        row(
            2,
            full="Erika Beispiel",
            street="Lindenweg",
            house_number="4a",
            postcode="12345",
            city="Musterstadt",
            country="Deutschland",
        )
    )
    assert not isinstance(signer, str)
    assert signer.address == ("Lindenweg 4a", "12345 Musterstadt", "Deutschland")


def test_house_number_already_in_street_is_not_repeated() -> None:
    signer = to_signer(row(2, last="B", street="Lindenweg 4", house_number="4", city="Ort"))
    assert not isinstance(signer, str)
    assert signer.address == ("Lindenweg 4", "Ort")


def test_numeric_german_postcode_gets_its_leading_zero_back() -> None:
    signer = to_signer(row(2, last="B", street="Weg 1", postcode=1067.0, city="Erfundorf"))
    assert not isinstance(signer, str)
    assert signer.address[1] == "01067 Erfundorf"


def test_four_digit_postcode_abroad_keeps_four_digits() -> None:
    signer = to_signer(
        row(2, last="B", street="Rue 1", postcode=1234, city="Exempleville", country="Belgien")
    )
    assert not isinstance(signer, str)
    assert signer.address[1] == "1234 Exempleville"


def test_spaces_are_collapsed_and_address_line_breaks_kept() -> None:
    signer = to_signer(
        row(2, combined="  Beispiel ,   Erika ", address=" Weg   1 \r\n\n 12345   Musterstadt \r")
    )
    assert not isinstance(signer, str)
    assert signer.name == "Beispiel , Erika"
    assert signer.address == ("Weg 1", "12345 Musterstadt")


def test_rows_without_name_or_address_are_rejected_with_a_reason() -> None:
    assert to_signer(row(2, address="Weg 1")) == "no name - fill in the name column"
    assert "no last name" in str(to_signer(row(2, first="Erika", address="Weg 1")))
    assert "no address" in str(to_signer(row(2, last="B", address="  ")))
    assert "no postcode or town" in str(to_signer(row(2, last="B", street="Weg 1")))


def test_control_characters_are_removed_and_counted_as_a_warning() -> None:
    result = account_rows([row(2, last="Bei\x00spiel", address="Weg\x0b1")])
    assert result.signers[0].name == "Bei spiel"
    assert result.signers[0].address == ("Weg 1",)
    assert [(w.origin, w.reason) for w in result.warnings] == [
        ("l.xlsx:S:2", "control characters removed")
    ]


def test_identity_key_folds_case_spacing_punctuation_and_german_spellings() -> None:
    a = identity_key(["Müller", "Jürgen"], ["Hauptstraße 5", "12345 Musterstadt"])
    b = identity_key(["MUELLER", "Juergen"], ["Hauptstr. 5", "12345  Musterstadt", "Deutschland"])
    c = identity_key(["Jürgen Müller"], ["hauptstrasse 5", "12345 musterstadt"])
    assert a == b == c


def test_identity_key_tells_a_household_apart() -> None:
    assert identity_key(["Meier", "Theresa"], ["Weg 3"]) != identity_key(
        ["Meier", "Georg"], ["Weg 3"]
    )


def test_identity_key_distinguishes_names_in_other_scripts() -> None:
    assert identity_key(["王小明"], ["Weg 1"]) != identity_key(["李华"], ["Weg 1"])


def test_duplicate_points_at_the_first_occurrence() -> None:
    result = account_rows(
        [
            row(2, last="Müller", first="Jo", address="Weg 1"),
            row(3, last="Meier", first="Jo", address="Weg 1"),
            row(4, combined="Mueller, Jo", address="weg 1"),
        ]
    )
    assert [s.origin for s in result.signers] == ["l.xlsx:S:2", "l.xlsx:S:3"]
    assert [(d.origin, d.duplicate_of) for d in result.duplicates] == [("l.xlsx:S:4", "l.xlsx:S:2")]


def test_every_row_lands_in_exactly_one_bucket() -> None:
    result = account_rows(
        [
            row(2, last="A", address="W 1"),
            row(3, empty=True, last=None, address=None),
            row(4, last="A", address="W 1"),
            row(5, last=None, address="W 2"),
        ]
    )
    assert (result.rows, result.blank, len(result.signers)) == (4, 1, 1)
    assert (len(result.duplicates), len(result.rejected)) == (1, 1)


def test_fit_check_rejects_rows_that_cannot_be_printed() -> None:
    def too_long(name: str, address: tuple[str, ...]) -> str | None:
        return "name too long" if len(name) > 5 else None

    result = account_rows(
        [row(2, last="Kurz", address="W"), row(3, last="Sehr lang", address="W")], too_long
    )
    assert [s.origin for s in result.signers] == ["l.xlsx:S:2"]
    assert [(r.origin, r.reason) for r in result.rejected] == [("l.xlsx:S:3", "name too long")]


def test_identity_key_is_stable_across_versions() -> None:
    """The ledger keeps these keys for the whole campaign: a change would send people twice."""
    key = identity_key(["Müller", "Jürgen"], ["Hauptstraße 5", "12345 Musterstadt"])
    assert key == "e429990ff47b7b7c18336b230fa06c166f09f37186a72f5ef6512490ac717b3a"


def test_control_characters_in_cells_left_unused_are_not_reported() -> None:
    result = account_rows(
        [
            row(2, address="Weg\x071"),  # no name: the address is never read
            row(3, last="B", street="Weg 1", postcode_city="12345 Ort", city="O\x07rt"),
            row(4, last="B", street="Weg 1", postcode_city="", city="O\x07rt"),
        ]
    )
    assert [r.origin for r in result.rejected] == ["l.xlsx:S:2"]
    assert [w.origin for w in result.warnings] == ["l.xlsx:S:4"]


_CELL_PIECES = st.sampled_from(
    [
        *("Müller", "Straße 5", "张伟", "ﬁ", "Σ", ""),
        *(" ", "  ", "\t", "\u00a0", "\u3000"),  # spaces
        *("\n", "\r\n", "\r", "\u2028", "\x85"),  # line breaks
        *("\x00", "\x07", "\ufffe", "\ud800"),  # controls, a non-character, a lone surrogate
        *("e\u0301", "\u0308"),  # combining marks
    ]
)
_CELL = st.one_of(
    st.none(),
    st.lists(_CELL_PIECES, max_size=8).map("".join),
    st.text(max_size=40),
    st.integers(-99999, 99999),
    st.floats(allow_nan=False),
    st.booleans(),
    st.dates(),
)


def _lines_as_written(value: Any) -> tuple[list[str], bool]:
    """Clean a cell the long way, character by character: lines and whether controls went."""
    if value is None or value == "":
        return [], False
    text = re.sub(r"\r\n|\r|[\u2028\u2029\x85]", "\n", cell_text(value)).replace("\t", " ")
    kept, removed = [], False
    for char in unicodedata.normalize("NFC", text):
        if char != "\n" and (unicodedata.category(char) in ("Cc", "Cs") or char in "\ufffe\uffff"):
            kept.append(" ")
            removed = True
        else:
            kept.append(char)
    return [" ".join(line.split()) for line in "".join(kept).split("\n") if line.strip()], removed


@settings(max_examples=500)
@given(_CELL)
def test_cleaning_a_cell_gives_what_the_long_way_gives(value: Any) -> None:
    lines, removed = _lines_as_written(value)
    by_lines, by_text = _CellCleaner(), _CellCleaner()
    assert by_lines.lines(value) == lines
    assert by_text.text(value) == " ".join(lines)
    assert by_lines.had_control_chars == by_text.had_control_chars == removed


def _identity_key_as_written(name_parts: Iterable[str], address: Iterable[str]) -> str:
    name_words = sorted(fold_words(" ".join(name_parts)))
    street = re.compile(r"(stra(?:ss|ß)e|str\.?)(?=\s|\d|$)")
    address_lines = [street.sub("str", line.casefold()) for line in address]
    if address_lines and fold_header(address_lines[-1]) in {
        "deutschland",
        "germany",
        "de",
        "d",
        "brd",
        "bundesrepublikdeutschland",
    }:
        address_lines.pop()
    folded = " ".join(w for w in name_words if w) + "|" + fold_header(" ".join(address_lines))
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


_KEY_PIECES = st.sampled_from(
    [
        *("Müller", "MUELLER", "Jürgen", "王小明", "e\u0301", "ß", "İ", "-", ",", " ", "\n", "_"),
        *("Hauptstraße", "Hauptstrasse", "Hauptstr.", "str", "Str", "STRASSE", "5", "12345"),
        *("Deutschland", "DE", "d", "BRD", "Germany", "Bundesrepublik Deutschland"),
    ]
)
_KEY_TEXT = st.one_of(st.lists(_KEY_PIECES, max_size=6).map(" ".join), st.text(max_size=30))


@settings(max_examples=500)
@given(st.lists(_KEY_TEXT, max_size=3), st.lists(_KEY_TEXT, max_size=4))
def test_identity_key_is_computed_as_first_written(
    name_parts: list[str], address: list[str]
) -> None:
    assert identity_key(name_parts, address) == _identity_key_as_written(name_parts, address)
