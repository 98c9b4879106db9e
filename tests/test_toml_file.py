"""TOML typed by German volunteers: dates and decimal commas understood, mistakes in one line.

Real files in tmp_path, read as the run reads them: a campaign file (CampaignError, exit 5),
porto.toml and spalten.toml (InputError, exit 3). German text is asserted word for word
where the German is what a volunteer reads; English is as the tests' language gives it.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT

from merge import i18n
from merge.campaign import load_campaign
from merge.cli import cli
from merge.errors import CampaignError, InputError, MergeError
from merge.post.prices import folder_postage
from merge.read.mapping import ColumnMappings
from merge.toml_file import loads_toml, read_toml

XUAR = (ROOT / "templates" / "xuar.toml").read_text(encoding="utf-8")


@pytest.fixture
def german() -> None:
    i18n.activate("de")


def refusal(text: str, error: type[MergeError] = CampaignError) -> str:
    """Return the one line a file with this text is refused with."""
    with pytest.raises(error) as info:
        loads_toml(text, "x.toml", error)
    message = str(info.value)
    assert "\n" not in message and "Traceback" not in message
    return message


def campaign_file(folder: Path, text: str) -> Path:
    (folder / "templates").mkdir(exist_ok=True)
    path = folder / "templates" / "x.toml"
    path.write_text(text, encoding="utf-8")
    return path


def xuar_with(old: str, new: str) -> str:
    assert old in XUAR
    return XUAR.replace(old, new)


def line_of(text: str, part: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if part in line)


# --- German dates and numbers are understood ---------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("31.12.2026", dt.date(2026, 12, 31)),
        ("1.2.2026", dt.date(2026, 2, 1)),
        ("01.02.2026 # Einsendeschluss", dt.date(2026, 2, 1)),
        ("2026-1-5", dt.date(2026, 1, 5)),
        ("2026-12-31", dt.date(2026, 12, 31)),
    ],
)
def test_an_unquoted_german_date_is_the_date(typed: str, day: dt.date) -> None:
    assert loads_toml(f"deadline = {typed}\n", "x.toml", CampaignError) == {"deadline": day}


@pytest.mark.parametrize(
    ("typed", "number"),
    [("1,80", Decimal("1.80")), ("-1,5", Decimal("-1.5")), ("1.234,50", Decimal("1234.50"))],
)
def test_a_decimal_comma_is_the_number(typed: str, number: Decimal) -> None:
    text = f"kompakt = {typed}\n"
    assert loads_toml(text, "p.toml", InputError, parse_float=Decimal) == {"kompakt": number}


def test_only_the_line_toml_stops_at_is_read_again() -> None:
    text = 'a = "31.12.2026"\nb = 1,5\nc = """\nd = 31.12.2026\n"""\n'
    assert loads_toml(text, "x.toml", CampaignError) == {
        "a": "31.12.2026",
        "b": 1.5,
        "c": "d = 31.12.2026\n",
    }


def test_the_campaign_file_takes_an_unquoted_german_deadline(tmp_path: Path) -> None:
    campaign_file(tmp_path, xuar_with("deadline = 2023-12-31", "deadline = 31.12.2026"))
    assert load_campaign("x", tmp_path).deadline == dt.date(2026, 12, 31)


def test_the_campaign_file_takes_a_quoted_german_deadline(tmp_path: Path) -> None:
    campaign_file(tmp_path, xuar_with("deadline = 2023-12-31", 'deadline = "1.2.2027"'))
    assert load_campaign("x", tmp_path).deadline == dt.date(2027, 2, 1)


def test_porto_toml_takes_german_dates_and_decimal_commas(tmp_path: Path) -> None:
    (tmp_path / "porto.toml").write_text(
        "[[preise]]\n"
        'versand = "international"\n'
        "gueltig_ab = 1.1.2027\n"
        'gueltig_bis = "31.12.2027"\n'
        "standard = 1,40\nkompakt = 2,05\ngross = 3,60\nmaxi = 7\nmaxi2000 = 18\n",
        encoding="utf-8",
    )
    intl = next(s for s in folder_postage(tmp_path).services if s.code == "international")
    [table] = intl.own_tables
    assert (table.valid_from, table.valid_to) == (dt.date(2027, 1, 1), dt.date(2027, 12, 31))
    assert table.prices["kompakt"] == Decimal("2.05")


# --- what cannot be read certainly is refused with the fix --------------------------------------


def test_a_comma_that_could_mean_thousands_is_refused_in_german(german: None) -> None:
    assert refusal("kompakt = 1,500\n") == (
        "x.toml: Zeile 1: 1,500 kann 1,5 oder 1500 bedeuten - schreiben Sie kompakt = 1,5 oder "
        "kompakt = 1500"
    )


def test_a_comma_that_could_mean_thousands_is_refused_in_english() -> None:
    assert refusal("kompakt = 1,500\n") == (
        "x.toml: line 1: 1,500 could mean 1.5 or 1500 - write it like kompakt = 1.5 or "
        "kompakt = 1500"
    )


def test_a_day_not_in_the_calendar_shows_an_example_date(german: None) -> None:
    assert refusal("deadline = 31.02.2026\n") == (
        "x.toml: Zeile 1: 31.02.2026 ist kein Tag im Kalender - schreiben Sie das Datum so: "
        "deadline = 31.12.2026"
    )


def test_a_date_in_another_spelling_shows_an_example_date_never_a_format_code() -> None:
    message = refusal("deadline = 31/12/2026\n")
    assert message == (
        "x.toml: line 1: 31/12/2026 is not a date - write it like deadline = 2026-12-31"
    )
    assert "%" not in message


# --- TOML's syntax errors as one line: "line N: what - write it like" -------------------------

CASES = [
    # (the line, German, English)
    (
        "name = Xinjiang",
        'Ein Text braucht Anführungszeichen: Xinjiang - schreiben Sie es so: name = "Xinjiang"',
        'the text Xinjiang needs quotes - write it like name = "Xinjiang"',
    ),
    (
        'name = "Xinjiang',
        'Das schließende Anführungszeichen fehlt - schreiben Sie es so: name = "Xinjiang"',
        'the closing quote is missing - write it like name = "Xinjiang"',
    ),
    (
        'name = Xinjiang"',
        'Das öffnende Anführungszeichen fehlt - schreiben Sie es so: name = "Xinjiang"',
        'the opening quote is missing - write it like name = "Xinjiang"',
    ),
    (
        'title = "Die "Aktion" 2026"',
        "Ein Anführungszeichen im Text beendet ihn zu früh - schreiben Sie es so: "
        "title = 'Die \"Aktion\" 2026'",
        "a quote inside the text ends it too early - write it like title = 'Die \"Aktion\" 2026'",
    ),
    (
        "title = „Petition“",
        'Text muss zwischen geraden Anführungszeichen " stehen - schreiben Sie es so: '
        'title = "Petition"',
        'text must be in straight quotes " - write it like title = "Petition"',
    ),
    (
        "title Petition",
        'Das = zwischen Name und Wert fehlt - schreiben Sie es so: title = "Petition"',
        'the = between name and value is missing - write it like title = "Petition"',
    ),
    (
        'Straße = "strasse"',
        "Ein Name mit Leerzeichen oder Buchstaben wie ä braucht Anführungszeichen - schreiben "
        'Sie es so: "Straße" = "strasse"',
        'a name with spaces or letters like ä needs quotes - write it like "Straße" = "strasse"',
    ),
    (
        "[sender",
        "Ein Abschnittsname steht in eckigen Klammern - schreiben Sie es so: [sender]",
        "a section name is written in brackets - write it like [sender]",
    ),
    (
        "verwenden = nein",
        "Ja und Nein werden hier als true und false geschrieben, ein Text in Anführungszeichen - "
        'schreiben Sie es so: verwenden = false oder verwenden = "nein"',
        "yes and no are written true and false, a text in quotes - write it like "
        'verwenden = false or verwenden = "nein"',
    ),
    (
        "title =",
        'Der Wert nach dem = fehlt - schreiben Sie es so: title = "..."',
        'the value after = is missing - write it like title = "..."',
    ),
]


@pytest.mark.parametrize(("line", "german_fix", "english_fix"), CASES)
def test_a_syntax_error_is_one_german_line_with_the_fix(
    german: None, line: str, german_fix: str, english_fix: str
) -> None:
    text = f'# Kampagne\ntitle_x = "ok"\n{line}\nz = 1\n'
    assert refusal(text) == f"x.toml: Zeile 3: {german_fix}"


@pytest.mark.parametrize(("line", "german_fix", "english_fix"), CASES)
def test_a_syntax_error_is_one_english_line_with_the_fix(
    line: str, german_fix: str, english_fix: str
) -> None:
    text = f'# campaign\ntitle_x = "ok"\n{line}\nz = 1\n'
    assert refusal(text) == f"x.toml: line 3: {english_fix}"


def test_a_list_never_closed_is_blamed_on_the_line_that_opens_it(german: None) -> None:
    text = 'a = 1\naddressee = [\n  "Erste Zeile",\n  "Zweite Zeile"\n\nb = 2\n'
    assert refusal(text) == (
        "x.toml: Zeile 2: Die Liste wird nicht mit ] geschlossen - schreiben Sie es so: "
        'addressee = ["erste Zeile", "zweite Zeile"]'
    )


def test_an_unquoted_entry_of_a_list_keeps_its_comma_in_the_example() -> None:
    text = 'addressee = [\n  "Erste Zeile",\n  Zweite Zeile,\n]\n'
    assert refusal(text) == (
        'x.toml: line 3: the text Zweite Zeile needs quotes - write it like "Zweite Zeile",'
    )


def test_a_key_given_twice_names_the_second_line(german: None) -> None:
    assert refusal('title = "a"\nx = 1\ntitle = "b"\n') == (
        "x.toml: Zeile 3: title steht zweimal in der Datei - löschen Sie eine der beiden Zeilen"
    )


def test_a_section_given_twice(german: None) -> None:
    assert refusal("[sender]\na = 1\n[sender]\nb = 2\n") == (
        "x.toml: Zeile 3: Den Abschnitt [sender] gibt es zweimal - schreiben Sie alle seine "
        "Zeilen unter ein einziges [sender]"
    )


def test_a_file_that_is_not_utf8_is_one_line(tmp_path: Path, german: None) -> None:
    path = tmp_path / "porto.toml"
    path.write_bytes('quelle = "Aushang März"\n'.encode("cp1252"))
    with pytest.raises(InputError) as info:
        read_toml(path, "porto.toml", InputError)
    assert str(info.value).startswith("porto.toml: Die Datei lässt sich nicht lesen (")
    assert str(info.value).endswith(") - speichern Sie sie als UTF-8-Text")


# --- the three files, through their readers and the command line ------------------------------


def test_a_campaign_file_syntax_error_in_german(tmp_path: Path, german: None) -> None:
    text = xuar_with('salutation = "Dear President Xi:"', "salutation = Dear President Xi:")
    campaign_file(tmp_path, text)
    with pytest.raises(CampaignError) as info:
        load_campaign("x", tmp_path)
    assert str(info.value) == (
        f"templates/x.toml: Zeile {line_of(text, 'salutation')}: Ein Text braucht "
        "Anführungszeichen: Dear President Xi: - schreiben Sie es so: "
        'salutation = "Dear President Xi:"'
    )
    assert info.value.exit_code == 5


def test_porto_toml_syntax_error_in_german(tmp_path: Path, german: None) -> None:
    (tmp_path / "porto.toml").write_text(
        '[[preise]]\nversand = "international"\ngueltig_ab = 1.13.2027\n', encoding="utf-8"
    )
    with pytest.raises(InputError) as info:
        folder_postage(tmp_path)
    assert str(info.value) == (
        "porto.toml: Zeile 3: 1.13.2027 ist kein Tag im Kalender - schreiben Sie das Datum "
        "so: gueltig_ab = 31.12.2026"
    )
    assert info.value.exit_code == 3


def test_spalten_toml_syntax_error_in_german(tmp_path: Path, german: None) -> None:
    path = tmp_path / "spalten.toml"
    path.write_text('["liste.csv"]\n"Wohnort" = ort\n', encoding="utf-8")
    with pytest.raises(InputError) as info:
        ColumnMappings(path, "inputs/spalten.toml")
    assert str(info.value) == (
        "inputs/spalten.toml: Zeile 2: Ein Text braucht Anführungszeichen: ort - schreiben Sie "
        'es so: "Wohnort" = "ort"'
    )


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("de", r"templates/x\.toml: Zeile \d+: Das schließende Anführungszeichen fehlt"),
        ("en", r"templates/x\.toml: line \d+: the closing quote is missing"),
    ],
)
def test_the_command_line_prints_one_line_and_exits_5_never_a_traceback(
    project: Path, lang: str, expected: str
) -> None:
    campaign_file(project, xuar_with('title = "CLOSE', 'title = "CLOSE THE CAMPS\nx = "'))
    result = CliRunner().invoke(cli, ["check-template", "--lang", lang, "--campaign", "x"])
    assert result.exit_code == 5, result.output
    assert "Traceback" not in result.output
    assert re.search(expected, result.output), result.output
