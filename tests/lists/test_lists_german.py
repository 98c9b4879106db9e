"""Where every row went, in German: the reasons of rejected, duplicate, held and warned rows
are German under PETITION_MERGE_LANG=de, their codes the same English words in every
language, and manifest.json carries both. Invented names and addresses.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import (
    CORPUS,
    HEADER,
    ROOT,
    invoke,
    manifests,
    name_at_limit,
    signer_rows,
    write_csv,
)
from unmarked import unmarked_words, words_of

from merge import i18n
from merge.errors import MergeError
from merge.lists import fit, metrics
from merge.lists.accounting import Accounting, Listed, account_rows
from merge.lists.country import find_country
from merge.lists.fit import RowFit
from merge.lists.geometry import ListGeometry, TextBox
from merge.read.rows import read_rows

ROWS = [
    HEADER,
    ["Beispiel", "Anna", "Lindenweg 1", "12345", "Musterstadt"],
    ["Probe", "Ben", "Lindenweg 2", "", ""],  # no postcode, no town
    ["Muster", "Eva", "Lindenweg 3", "1234", "Musterstadt"],  # four digits
    ["", "Ida", "Lindenweg 4", "12345", "Musterstadt"],  # no last name
    ["Beispiel", "Anna", "Lindenweg 1", "12345", "Musterstadt"],  # the first row again
    ["Kontroll\x07e", "Jan", "Lindenweg 5", "12345", "Musterstadt"],  # a control character
    ["Fern", "Lea", "Lindenweg 6", "12345", "Musterstadt", "Atlantis"],  # no such country
]


@pytest.fixture
def german(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("PETITION_MERGE_LANG", "de")
    i18n.activate("de")
    yield
    i18n.activate("en")


def accounted(path: Path, language: str, check: RowFit | None = None) -> Accounting:
    """Account for the rows of a file in a language (the one before is active again after)."""
    before = i18n.language()
    i18n.activate(language)
    try:
        return account_rows(read_rows(path, lambda report: None, display="inputs/l.csv"), check)
    finally:
        i18n.activate(before)


def signers_file(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "l.csv", [[*HEADER, "Land"], *ROWS[1:]], delimiter=";")


def test_rejected_rows_have_german_reasons_and_english_codes(tmp_path: Path) -> None:
    acc = accounted(signers_file(tmp_path), "de")
    assert [(note.origin, note.code, note.reason) for note in acc.rejected] == [
        ("inputs/l.csv:l:3", "no-postcode-or-town",
         "Postleitzahl oder Ort fehlt - tragen Sie PLZ und Ort ein"),
        ("inputs/l.csv:l:4", "postcode-not-five-digits",
         "die Postleitzahl hat nicht fünf Ziffern - korrigieren Sie die PLZ"),
        ("inputs/l.csv:l:5", "no-last-name",
         "kein Nachname - tragen Sie den Nachnamen in die Spalte Name/Nachname ein"),
        ("inputs/l.csv:l:8", "country-not-recognised",
         "Land nicht erkannt - schreiben Sie in die Spalte Land einen Namen wie Österreich oder "
         "Frankreich oder ein Kürzel wie AT"),
    ]  # fmt: skip
    assert [(note.code, note.reason) for note in acc.warnings] == [
        ("control-characters-removed", "Steuerzeichen entfernt")
    ]
    [duplicate] = acc.duplicates
    assert duplicate.code == "duplicate"
    assert duplicate.reason == "same person as inputs/l.csv:l:2"  # said when it is shown
    i18n.activate("de")
    assert duplicate.reason == "dieselbe Person wie inputs/l.csv:l:2"


def test_the_codes_are_the_same_in_german_and_english(tmp_path: Path) -> None:
    path = signers_file(tmp_path)
    german, english = accounted(path, "de"), accounted(path, "en")

    def codes(acc: Accounting) -> list[tuple[str, str]]:
        return [(note.origin, note.code) for note in (*acc.rejected, *acc.warnings)]

    assert codes(german) == codes(english)
    assert all(note.code for note in (*german.rejected, *german.warnings))
    assert [note.reason for note in english.rejected][:2] == [
        "no postcode or town - fill in PLZ and Ort",
        "the postcode is not five digits - correct the PLZ",
    ]
    assert {note.reason for note in german.rejected}.isdisjoint(
        note.reason for note in english.rejected
    )


def test_a_postcode_of_another_country_is_explained_in_german(tmp_path: Path, german: None) -> None:
    path = write_csv(
        tmp_path / "l.csv",
        [[*HEADER, "Land"], ["Beispiel", "Anna", "Lindenweg 1", "123456", "Wien", "Österreich"]],
    )
    [note] = accounted(path, "de").rejected
    assert note.code == "postcode-not-of-country"
    assert note.reason == (
        "die Postleitzahl passt nicht zu Österreich (zum Beispiel 1010) - korrigieren Sie PLZ "
        "oder Land"
    )


def test_a_row_changed_since_an_earlier_list_is_held_back_with_a_german_reason(
    tmp_path: Path, german: None
) -> None:
    acc = accounted(signers_file(tmp_path), "de")
    first = acc.signers[0]
    listed = Listed(by_identity={}, by_name={first.name_key: "2026-11-20-1"}, by_sound={})
    [held] = acc.without_listed(listed).held
    assert held.code == "changed-since-batch"
    assert held.reason == "seit Versand 2026-11-20-1 geändert (gleicher Name, andere Anschrift)"
    i18n.activate("en")
    assert held.reason == "changed since batch 2026-11-20-1 (same name, another address)"


def test_a_name_too_long_for_its_cell_is_rejected_in_german(
    tmp_path: Path, shipped_fit: RowFit, german: None
) -> None:
    longest = name_at_limit(shipped_fit, 1)
    last, _comma, first = (longest + " Überlänge-Überlänge-Überlänge").partition(",")
    path = write_csv(tmp_path / "l.csv", [HEADER, [last, first.strip(), "Weg 1", "12345", "Ort"]])
    [note] = accounted(path, "de", shipped_fit).rejected
    assert note.code == "name-too-long"
    assert re.fullmatch(
        r"Name zu lang zum Drucken: höchstens \d+ Zeilen in der Spalte „Name, Vorname“ "
        r"\(je etwa \d+ Zeichen\) - kürzen Sie den Namen in der Tabelle",
        note.reason,
    ), note.reason


def box(lines: float, **changes: object) -> TextBox:
    """A cell 220 pt wide that holds ``lines`` lines of 8 pt Arial."""
    line = 8 * metrics.LATIN_LINE_EM
    made = TextBox(
        where="table 1, row 3, cell 3",
        column_width_pt=225.7,
        width_pt=220.0,
        height_pt=lines * line,
        row_height_pt=lines * line + 5,
        size_pt=8.0,
        complex_size_pt=8.0,
        bold=False,
        caps=False,
        scale=1.0,
        font_name="Arial",
    )
    return replace(made, **changes)  # type: ignore[arg-type]


def test_a_template_too_small_for_the_longest_address_is_explained_in_german(
    german: None,
) -> None:
    name = box(6.5, width_pt=125.0, where="table 1, row 3, cell 2")
    [(where, message)] = fit.template_problems(ListGeometry(name, box(2.0, size_pt=12.0)))
    assert where == "table 1, row 3, cell 3"
    assert re.fullmatch(
        r"die Zeile für Unterzeichnende ist \d+,\d mm hoch und die Spalte 80 mm breit: bei 12 pt "
        r"braucht eine Anschrift aus drei Zeilen mit je 50 Zeichen \d+,\d mm - machen Sie in der "
        r"Word-Vorlage die Zeile höher, die Spalte breiter oder die Schrift kleiner",
        message,
    ), message
    wide = box(2.0, size_pt=8.5, font_name="Calibri")
    [(_where, message)] = fit.template_problems(ListGeometry(name, wide))
    assert "bei 8,5 pt in Calibri (geschätzt als breite Schrift)" in message
    assert message.endswith(", oder setzen Sie die Tabelle in Arial")


def test_the_manifest_keeps_english_keys_and_codes_beside_german_reasons(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PETITION_MERGE_LANG", "de")
    path = project / "inputs" / "liste.csv"
    write_csv(path, [HEADER, *signer_rows(3), ["Probe", "Ben", "Lindenweg 2", "", ""]])
    assert invoke("run", "--no-pdf", "--out", "outputs/b1").exit_code == 0
    rows = signer_rows(3)
    rows[0][2] = "Beispielweg 99"  # the first signer moved: same name, another address
    write_csv(path, [HEADER, *rows, ["Kontroll\x07e", "Jan", "Weg 5", "12345", "Ort"]])
    result = invoke("run", "--no-pdf", "--out", "outputs/b2")
    assert result.exit_code == 0, result.output
    first, second = manifests(project)
    assert first["rejected"] == [
        {
            "origin": "inputs/liste.csv:liste:5",
            "code": "no-postcode-or-town",
            "reason": "Postleitzahl oder Ort fehlt - tragen Sie PLZ und Ort ein",
        }
    ]
    assert second["held"] == [
        {
            "origin": "inputs/liste.csv:liste:2",
            "batch": "b1",
            "change": "same name, another address",
            "code": "changed-since-batch",
            "reason": "seit Versand b1 geändert (gleicher Name, andere Anschrift)",
        }
    ]
    assert second["warnings"] == [
        {
            "origin": "inputs/liste.csv:liste:5",
            "code": "control-characters-removed",
            "warning": "Steuerzeichen entfernt",
        }
    ]


# --- nothing the accounting says is outside the catalog (the pseudo language) --------------------

EXAMPLES = [
    *sorted((ROOT / "inputs").iterdir()),
    *sorted(path for path in CORPUS.iterdir() if path.is_file() and path.suffix != ".py"),
    *sorted((CORPUS / "office").iterdir()),
]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.name)
def test_every_reason_of_the_accounting_is_marked(path: Path, shipped_fit: RowFit) -> None:
    i18n.activate(i18n.PSEUDO)
    try:
        acc = account_rows(read_rows(path, lambda report: None), shipped_fit)
        reasons = [note.reason for note in (*acc.rejected, *acc.warnings)]
        reasons += [row.reason for row in acc.duplicates]
        reasons += [row.reason for row in acc.without_listed(_everyone_listed(acc)).held]
    except MergeError as err:
        reasons = [str(err)]
    finally:
        i18n.activate("en")
    data = words_of(path)  # the file's sheet names, headers and cells
    # and the countries it names, as CLDR writes them in the run's language (Austria)
    data += [country.name for word in data if (country := find_country(word)) is not None]
    for reason in reasons:
        assert reason.startswith(i18n.PSEUDO_OPEN) and not unmarked_words(reason, data), reason


def _everyone_listed(acc: Accounting) -> Listed:
    """An earlier batch with every signer's name at another address: all are held back."""
    return Listed({}, {signer.name_key: "b1" for signer in acc.signers}, {})


def test_template_problems_are_marked() -> None:
    name = box(6.5, width_pt=125.0, where="table 1, row 3, cell 2")
    i18n.activate(i18n.PSEUDO)
    try:
        problems = fit.template_problems(ListGeometry(name, box(2.0, font_name="Calibri")))
    finally:
        i18n.activate("en")
    assert problems
    for _where, message in problems:
        # The template's font is data: its name is the same in every language.
        assert message.startswith(i18n.PSEUDO_OPEN), message
        assert not unmarked_words(message, ["Calibri"]), message
