"""The code fixes the German review of the catalog asked for (notes: german-review.md).

A volunteer is never sent to a command that does not exist or to a file meant for scripts,
a list of batches reads right, and the campaign file's mistakes get the right diagnosis.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from conftest import HEADER, ROOT, invoke, signer_rows, write_csv
from openpyxl import load_workbook

from merge import i18n
from merge.campaign import load_campaign
from merge.errors import CampaignError, InputError
from merge.toml_file import loads_toml
from merge.track.checklist_read import read_checklist

XUAR = (ROOT / "templates" / "xuar.toml").read_text(encoding="utf-8")


@pytest.fixture
def german(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("PETITION_MERGE_LANG", "de")
    i18n.activate("de")
    yield
    i18n.activate("en")


def refusal(text: str) -> str:
    with pytest.raises(CampaignError) as info:
        loads_toml(text, "x.toml", CampaignError)
    return str(info.value)


def campaign_refusal(tmp_path: Path, old: str, new: str) -> str:
    assert old in XUAR
    (tmp_path / "templates").mkdir(exist_ok=True)
    (tmp_path / "templates" / "x.toml").write_text(XUAR.replace(old, new), encoding="utf-8")
    with pytest.raises(CampaignError) as info:
        load_campaign("x", tmp_path)
    return str(info.value)


# --- the campaign file -----------------------------------------------------------------------


def test_a_missing_equals_before_a_quoted_text_is_not_quoted_twice(german: None) -> None:
    assert refusal('salutation "Dear President Xi:"\n') == (
        "x.toml: Zeile 1: Das = zwischen Name und Wert fehlt - schreiben Sie es so: "
        'salutation = "Dear President Xi:"'
    )


def test_ja_for_a_text_offers_the_quoted_text_too() -> None:
    assert refusal("salutation = ja\n") == (
        "x.toml: line 1: yes and no are written true and false, a text in quotes - write it "
        'like salutation = true or salutation = "ja"'
    )


def test_a_missing_comma_in_a_list_on_one_line_is_said_as_such(german: None) -> None:
    assert refusal('addressee = ["a" "b"]\n') == (
        "x.toml: Zeile 1: Zwischen den Einträgen einer Liste steht je ein Komma - schreiben Sie "
        'es so: addressee = ["erste Zeile", "zweite Zeile"]'
    )


def test_a_missing_comma_in_a_list_over_lines_names_the_entry_without_it() -> None:
    text = 'a = 1\naddressee = [\n  "Erste Zeile"\n  "Zweite Zeile",\n]\n'
    assert refusal(text) == (
        'x.toml: line 3: the entries of a list need commas between them - write it like "Erste '
        'Zeile",'
    )


def test_a_list_really_left_open_is_still_said_so() -> None:
    assert refusal('addressee = ["a", "b"\nb = 2\n').startswith(
        "x.toml: line 1: the list is not closed with ]"
    )


@pytest.mark.parametrize(
    ("written", "day"), [("31.12.26", date(2026, 12, 31)), ("1.2.27", date(2027, 2, 1))]
)
def test_a_two_digit_year_is_20yy_as_the_checklist_reads_it(
    tmp_path: Path, written: str, day: date
) -> None:
    (tmp_path / "x.toml").write_text(
        XUAR.replace("deadline = 2023-12-31", f"deadline = {written}"), "utf-8"
    )
    assert load_campaign("x.toml", tmp_path).deadline == day


def test_a_misspelt_key_is_named_unknown_with_the_known_one(tmp_path: Path, german: None) -> None:
    assert campaign_refusal(tmp_path, 'title = "CLOSE', 'titel = "CLOSE') == (
        "templates/x.toml: Eintrag 'titel' ist unbekannt - meinten Sie 'title'?"
    )


def test_a_misspelt_key_in_a_section_is_named_with_its_section(tmp_path: Path) -> None:
    message = campaign_refusal(tmp_path, "organisation =", "organisaton =")
    assert message == (
        "templates/x.toml: key 'sender.organisaton' is unknown - did you mean "
        "'sender.organisation'?"
    )


# --- the dispatch checklist ------------------------------------------------------------------


def checklist(project: Path) -> Path:
    write_csv(project / "inputs" / "liste.csv", [HEADER, *signer_rows(3)])
    result = invoke("run", "--no-pdf", "--mail-date", "2026-12-01", "--lang", "de")
    assert result.exit_code == 0, result.output
    [path] = (project / "outputs").glob("*/dispatch-checklist.xlsx")
    return path


def test_a_changed_checklist_points_to_mark_mailed_by_number(project: Path, german: None) -> None:
    path = checklist(project)
    workbook = load_workbook(path)
    workbook["Umschläge"]["G1"] = None
    workbook.save(path)
    with pytest.raises(InputError) as caught:
        read_checklist(path)
    message = str(caught.value)
    assert "neue Versand-Checkliste" not in message
    assert message.endswith(
        'in der Kopfzeile (Zeile 1) fehlt die Spalte "Verschickt am" - tragen Sie die '
        "Überschrift wieder ein, oder tragen Sie die Umschläge ohne Checkliste ein: "
        "petition-merge mark-mailed VERSAND:NUMMER"
    )


def test_a_checklist_with_the_former_german_names_still_reads(project: Path, german: None) -> None:
    """Checklists printed before "Verschickt am" and "Nicht verwendbar & doppelt"."""
    path = checklist(project)
    workbook = load_workbook(path)
    workbook["Nicht verwendbar & doppelt"].title = "Abgelehnt & Doppelt"
    workbook["Umschläge"]["G1"] = "Versandt am"
    workbook["Umschläge"]["H1"] = "Versandt von"
    workbook["Umschläge"]["G2"] = "01.12.2026"
    workbook["Umschläge"]["H2"] = "Anna"
    workbook.save(path)
    for language in ("de", "en"):
        i18n.activate(language)
        [mark] = read_checklist(path)[1]
        assert (mark.envelope, mark.mailed_on, mark.mailed_by) == (1, date(2026, 12, 1), "Anna")


# --- the run's console -----------------------------------------------------------------------


def test_more_rows_than_shown_point_to_the_checklist_not_manifest_json(project: Path) -> None:
    rows = [[f"Testperson-{n}", "Erika", f"Beispielweg {n}", "", ""] for n in range(1, 24)]
    write_csv(project / "inputs" / "liste.csv", [HEADER, *rows, *signer_rows(1, start=30)])
    result = invoke("run", "--no-pdf", "--mail-date", "2026-12-01", "--lang", "de")
    assert result.exit_code == 0, result.output
    assert "manifest.json)" not in result.stdout
    assert (
        "... und 3 weitere (alle stehen in der Versand-Checkliste, Blatt "
        "'Nicht verwendbar & doppelt')"
    ) in result.stdout


def test_nothing_new_names_several_batches_as_a_list(project: Path) -> None:
    write_csv(project / "inputs" / "liste.csv", [HEADER, *signer_rows(2)])
    assert invoke("run", "--no-pdf", "--mail-date", "2026-12-01").exit_code == 0
    write_csv(project / "inputs" / "liste.csv", [HEADER, *signer_rows(3)])
    assert invoke("run", "--no-pdf", "--mail-date", "2026-12-01").exit_code == 0
    again = invoke("run", "--no-pdf", "--mail-date", "2026-12-01", "--lang", "de")
    assert again.exit_code == 0, again.output
    assert re.search(
        r"Nichts Neues für Kampagne xuar: alle 3 Unterzeichnenden stehen schon auf früheren "
        r"Listen \(Versände: (\S+)-1, \1-2\); nichts geschrieben\.",
        " ".join(again.stdout.split()),
    ), again.stdout
