"""The command line in German (the default) and in English: what merge/cli itself prints.

German text is asserted only on lines the CLI makes (summaries, tables, headings, prompts,
click's words, --help); reasons and notes from the reader or the ledger are other modules'.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result
from conftest import HEADER, batch_dirs, signer_rows, write_csv
from unmarked import postal_names, unmarked_words

from merge import i18n
from merge.campaign import available_campaigns
from merge.cli import cli
from merge.cli.app import parse_offset
from merge.cli.columns import FIELD_NAMES
from merge.cli.language import Argument, Option
from merge.errors import UsageError
from merge.i18n.choice import LOCALE_VARIABLES


def invoke(*args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), input=stdin, prog_name="petition-merge")


@pytest.fixture
def german(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run the CLI as a German user's shell would: nothing says English."""
    monkeypatch.setenv(i18n.ENV_VARIABLE, "de")


def one_error_line(result: Result, code: int = 2) -> str:
    assert result.exit_code == code, result.output
    [line] = result.stderr.splitlines()
    assert "Traceback" not in result.output
    return line


# --- one run, in each language -------------------------------------------------------------------


def test_a_run_in_german(example: Path, german: None) -> None:
    result = invoke("run", "--no-pdf", "--mail-date", "1.12.2026")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("Übersicht\n")
    assert "│   Unterzeichnende (gedruckt)        │ 40 │" in out
    assert "│   nicht verwendbar                  │  3 │" in out
    assert "│ Unterschriftenlisten                │  8 │" in out
    assert "Umschläge (DL, Brief International)" in out
    assert "┃ Nr. ┃ Listen ┃ Blätter ┃ Gramm ┃ Produkt" in out
    assert "1 Umschlag; Briefmarken: 1 x 1,80 €; Porto 1,80 € (Preise 2026)" in out
    assert "\nNicht verwendbar (3):\n" in out and "\nDoppelt (2):\n" in out
    assert ": dieselbe Person wie inputs/infostand-und-gottesdienst.xlsx:Infostand Markt:4" in out
    [batch] = batch_dirs(example)
    assert f"Gespeichert in {batch}: petition-lists.docx, labels.docx" in out
    manifest = json.loads((batch / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["dispatch"]["mail_date"] == "2026-12-01"  # the German date, read

    again = invoke("run", "--no-pdf")
    assert again.exit_code == 0, again.output
    assert (
        "Nichts Neues für Kampagne xuar: alle 40 Unterzeichnenden stehen schon auf früheren "
        f"Listen (Versände: {batch.name}); nichts geschrieben. Mit --reprint drucken Sie alle "
        "noch einmal."
    ) in again.stdout
    left_out = "Weggelassen, schon auf Listen der Kampagne xuar in früheren Versänden"
    assert f"{left_out}: {batch.name} (40)" in again.stdout

    dry = invoke("run", "--dry-run", "--reprint")
    assert dry.stdout.rstrip().endswith("Probelauf: nichts geschrieben.")


def test_the_same_run_in_english(example: Path) -> None:
    result = invoke("run", "--no-pdf", "--mail-date", "2026-12-01", "--lang", "en")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Accounting\n")
    assert "signers (printed)" in result.stdout
    assert "1 envelope; stamps: 1 x €1.80; postage €1.80 (prices 2026)" in result.stdout
    assert "Wrote " in result.stdout and "Umschlag" not in result.stdout


def test_status_speaks_and_writes_dates_in_the_run_language(project: Path, german: None) -> None:
    write_csv(project / "inputs" / "a.csv", [HEADER, *signer_rows(7)])
    assert invoke("run", "--no-pdf").exit_code == 0
    [batch] = batch_dirs(project)
    today = dt.date.today()
    de = invoke("status")
    assert de.exit_code == 0, de.output
    assert de.stdout.startswith("Versände\n")
    assert f"│ {batch.name} │ xuar     │  {today:%d.%m.%Y} │" in de.stdout
    assert "v/o/w: verschickt/offen/verworfen" in de.stdout
    assert "Unterzeichnende insgesamt: 0 verschickt, 7 offen in 1 Umschlag." in de.stdout
    # The shipped campaign's deadline has passed: the warning is in German too.
    assert de.stderr.startswith(
        f"Warnung: Versand {batch.name}: 1 Umschlag ist noch nicht verschickt"
    )

    en = invoke("status", "--lang", "en")
    assert en.stdout.startswith("Batches\n") and f"│ {today.isoformat()} │" in en.stdout
    assert "Total signers: 0 mailed, 7 pending in 1 envelope." in en.stdout
    assert en.stderr.startswith(f"warning: batch {batch.name}: 1 envelope is not mailed")


def test_columns_in_german(project: Path, german: None) -> None:
    write_csv(project / "inputs" / "a.csv", [HEADER, *signer_rows(2)])
    write_csv(project / "inputs" / "u.csv", [["Wer unterschreibt?", "Wo?"], ["Test", "Weg 1"]])
    first = invoke("columns")
    assert first.exit_code == 0, first.output
    assert "inputs/a.csv:a: Kopfzeile in Zeile 1, 2 Zeilen darunter\n" in first.stdout
    assert "    A  Name                                      Nachname (" in first.stdout
    assert "; 2 gefüllt\n" in first.stdout
    assert (
        "inputs/u.csv:u: keine Kopfzeile mit einer Spalte für den Namen und einer für die "
        "Anschrift - die Zeilen werden abgelehnt (Zeile 1 als Kopfzeile genommen; 1 Zeile "
        "darunter)"
    ) in first.stdout
    assert first.stdout.endswith(
        "1 Abschnitt in inputs/spalten.toml geschrieben - tragen Sie dort bei jeder "
        'Spaltenüberschrift, hinter der "" steht, ein Feld ein und starten Sie dann erneut\n'
    )
    again = invoke("columns")
    assert again.stdout.endswith(
        "1 Tabellenblatt ist noch nicht lesbar: tragen Sie in inputs/spalten.toml bei jeder "
        'Spaltenüberschrift, hinter der "" steht, ein Feld ein und starten Sie dann erneut\n'
    )
    assert "Jedes Tabellenblatt ist lesbar" not in again.stdout


# --- one error and --help, in each language ------------------------------------------------------


def test_an_error_in_german_and_in_english(project: Path, german: None) -> None:
    assert one_error_line(invoke("run", "--blank", "viele")) == (
        "Fehler: --blank: 'viele' ist keine ganze Zahl - siehe petition-merge run --help"
    )
    assert one_error_line(invoke("run", "--blank", "viele", "--lang", "en")) == (
        "error: --blank: 'viele' is not a whole number - see petition-merge run --help"
    )
    assert one_error_line(invoke("discard")) == (
        "Fehler: petition-merge discard: es fehlt das Argument 'VERSAND[:UMSCHLÄGE]' - siehe "
        "petition-merge discard --help"
    )
    assert one_error_line(invoke("run", "--dry-rn")) == (
        "Fehler: --dry-rn: diese Option gibt es nicht - meinten Sie '--dry-run'? Siehe "
        "petition-merge run --help"
    )
    assert one_error_line(invoke("mark-mailed", "--checklist", "fehlt.xlsx")) == (
        "Fehler: --checklist: Datei 'fehlt.xlsx' gibt es nicht - siehe petition-merge "
        "mark-mailed --help"
    )
    assert one_error_line(invoke("run", "--labels")) == (
        "Fehler: --labels: braucht einen Wert - siehe petition-merge run --help"
    )
    assert one_error_line(invoke("run", "--sheet-grams", "0")) == (
        "Fehler: --sheet-grams: 0,0 liegt nicht im Bereich x>=0,1 - siehe petition-merge run --help"
    )


def test_help_in_german(german: None) -> None:
    result = invoke("--help")
    assert result.exit_code == 0
    text = result.stdout
    assert text.startswith("Aufruf: petition-merge [OPTIONEN] BEFEHL [ARGUMENTE]...\n")
    assert "\nOptionen:\n" in text and "\nBefehle:\n" in text
    assert "-h, --help      Diese Hilfe anzeigen und beenden." in text
    assert "--version       Die Version anzeigen und beenden." in text
    assert "purge           Namen und Anschriften verschickter Versände löschen." in text
    assert "  Rückgabewerte:\n      0  Erfolg\n" in text

    run = invoke("run", "--help").stdout
    assert run.startswith("Aufruf: petition-merge run [OPTIONEN] [DATEI]...\n")
    assert "Ohne DATEI wird jede Tabelle in ./inputs/ gelesen" in run
    assert "  Beispiele:\n    petition-merge run inputs/infostand.xlsx" in run
    for piece in (
        "--out ORDNER",
        "--blank ANZAHL",
        "--mail-date DATUM",
        "--sheet-grams GRAMM",
        "--ledger DATEI",
        "[Standard: 0;0]",
        "[x>=0,1]",
        "z.\u00a0B.",  # never broken at the line's end
    ):
        assert piece in run, piece
    assert "z.\n" not in run
    for english in ("Usage", "Options", "[default", "PATH", "INTEGER", "Show this message"):
        assert english not in run, english
    assert "Aufruf: petition-merge discard [OPTIONEN] VERSAND[:UMSCHLÄGE]\n" in (
        invoke("discard", "--help").stdout
    )


def test_help_in_english() -> None:
    text = invoke("--help").stdout
    assert text.startswith("Usage: petition-merge [OPTIONS] COMMAND [ARGS]...\n")
    assert "\nOptions:\n" in text and "\nCommands:\n" in text
    assert "Show this message and exit." in text and "  Exit codes:\n" in text
    run = invoke("run", "--help").stdout
    assert "--out FOLDER" in run and "[default: 0;0]" in run and "x>=0.1" in run
    assert "Aufruf" not in run and "Diese Hilfe" not in run


def test_the_version_in_each_language(german: None) -> None:
    assert invoke("--version").stdout.startswith("petition-merge, Version ")
    assert invoke("--version", "--lang", "en").stdout.startswith("petition-merge, version ")


def test_every_parameter_shows_its_metavar_through_the_catalog() -> None:
    def commands(group: click.Group) -> list[click.Command]:
        return [group, *group.commands.values()]

    catalog = i18n.translations("de")
    for command in commands(cli):
        for param in command.params:
            assert isinstance(param, Option | Argument), (command.name, param.name)
            if param.metavar is not None and not param.metavar.startswith("X;"):
                assert catalog.gettext(param.metavar) != param.metavar or param.metavar in (
                    "CODE",
                    "NAME",
                    "MB",
                ), (command.name, param.metavar)


def test_every_field_name_is_in_the_catalog() -> None:
    from merge.read.headers import Field

    assert {field.value for field in Field} == set(FIELD_NAMES)


# --- the language choice at the command line -----------------------------------------------------


@pytest.fixture
def no_language(monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing in the environment names a language."""
    for name in (i18n.ENV_VARIABLE, *LOCALE_VARIABLES):
        monkeypatch.delenv(name, raising=False)


def usage_line(*args: str) -> str:
    return invoke(*args).stdout.splitlines()[0]


def test_nothing_in_the_environment_means_german(no_language: None) -> None:
    assert usage_line("--help").startswith("Aufruf:")


def test_the_locale_alone_decides(no_language: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    assert usage_line("--help").startswith("Aufruf:")
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    assert usage_line("--help").startswith("Usage:")
    monkeypatch.setenv("LC_ALL", "C")  # "C" says nothing: LANG still decides
    assert usage_line("--help").startswith("Usage:")


def test_the_variable_beats_the_locale(no_language: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    monkeypatch.setenv(i18n.ENV_VARIABLE, "en")
    assert usage_line("--help").startswith("Usage:")
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    monkeypatch.setenv(i18n.ENV_VARIABLE, "de")
    assert usage_line("--help").startswith("Aufruf:")


def test_lang_beats_the_variable_before_or_after_the_command(
    no_language: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    monkeypatch.setenv(i18n.ENV_VARIABLE, "de")
    assert usage_line("--lang", "en", "status", "--help").startswith("Usage:")
    assert usage_line("status", "--help", "--lang", "en").startswith("Usage:")
    assert usage_line("status", "--lang=en", "--help").startswith("Usage:")
    monkeypatch.setenv(i18n.ENV_VARIABLE, "en")
    assert usage_line("--lang", "de", "status", "--help").startswith("Aufruf:")
    assert usage_line("status", "--help", "--lang", "de").startswith("Aufruf:")


def test_an_error_about_the_command_line_is_already_in_the_chosen_language(
    project: Path, german: None
) -> None:
    # The option that is wrong comes before --lang: the language is chosen first anyway.
    assert one_error_line(invoke("run", "--gibts-nicht", "--lang", "en")) == (
        "error: --gibts-nicht: no such option - see petition-merge run --help"
    )
    assert one_error_line(invoke("--lang", "de", "stauts")) == (
        "Fehler: stauts: diesen Befehl gibt es nicht - meinten Sie 'status'? Siehe "
        "petition-merge --help"
    )
    # An unknown language is refused in the environment's language.
    assert one_error_line(invoke("--lang", "fr", "status")) == (
        "Fehler: --lang: 'fr' ist keiner der Werte 'de', 'en' - siehe petition-merge --help"
    )


# --- numbers and dates as a German types them ----------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "offset"),
    [
        ("1,5;2", (1.5, 2.0)),
        ("1,5;-0,5", (1.5, -0.5)),
        ("1.5;-0.5", (1.5, -0.5)),
        (" 1,5 ; \u22120,5 ", (1.5, -0.5)),  # spaces, and the minus sign of a word processor
        ("1.5,-0.5", (1.5, -0.5)),  # X,Y with decimal points, as before
        ("1,-5", (1.0, -5.0)),  # a comma before a minus sign is no decimal comma
        ("2,0.5", (2.0, 0.5)),
        ("20,0", (20.0, 0.0)),  # both readings are the same offset
        ("0,0", (0.0, 0.0)),
        ("0;0", (0.0, 0.0)),
    ],
)
def test_label_offsets_a_german_types(typed: str, offset: tuple[float, float]) -> None:
    assert parse_offset(typed) == offset


@pytest.mark.parametrize("typed", ["x", "1,5,2", "1,5,-0,5", "1;2;3", "1", ";", "1,5;"])
def test_what_is_not_x_y_is_refused(typed: str) -> None:
    with pytest.raises(click.BadParameter, match=r"is not X;Y in mm"):
        parse_offset(typed)


def test_an_offset_that_reads_two_ways_is_refused_naming_both(project: Path, german: None) -> None:
    assert one_error_line(invoke("run", "--label-offset", "1,5")) == (
        "Fehler: --label-offset: '1,5' lässt sich zweifach lesen - schreiben Sie \"1,5;0\" für "
        '1,5 mm nach rechts oder "1;5" für 1 mm nach rechts und 5 mm nach unten'
    )
    assert one_error_line(invoke("label-test", "--label-offset", "0,5", "--lang", "en")) == (
        "error: --label-offset: '0,5' can be read two ways - write \"0.5;0\" for 0.5 mm right, "
        'or "0;5" for 0 mm right and 5 mm down'
    )
    with pytest.raises(UsageError):
        parse_offset("-1,25")
    assert not (project / "outputs").exists()


def test_decimal_commas_in_the_run_options(example: Path, german: None) -> None:
    result = invoke(
        "run", "--no-pdf", "--label-offset", "1,5;-0,5", "--sheet-grams", "4,5",
        "--envelope-grams", "12,5", "--mail-date", "2026-12-01",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    [batch] = batch_dirs(example)
    manifest = json.loads((batch / "manifest.json").read_text(encoding="utf-8"))
    [envelope] = manifest["envelopes"]
    assert envelope["grams"] == pytest.approx(12.5 + envelope["sheets"] * 4.5)
    refused = invoke("run", "--sheet-grams", "4,5,1")
    assert one_error_line(refused) == (
        "Fehler: --sheet-grams: '4,5,1' ist kein Gewicht in Gramm - siehe petition-merge run --help"
    )


def test_dates_in_options_german_or_iso_and_errors_show_a_date(project: Path, german: None) -> None:
    assert one_error_line(invoke("run", "--mail-date", "31.02.2026")) == (
        "Fehler: --mail-date: '31.02.2026' gibt es im Kalender nicht - schreiben Sie das Datum "
        "so: 31.12.2026"
    )
    english = one_error_line(invoke("run", "--mail-date", "morgen", "--lang", "en"))
    assert english == "error: --mail-date: 'morgen' is not a date - write it like 2026-12-31"
    wrong = one_error_line(invoke("mark-mailed", "--date", "gestern"))
    assert wrong.startswith("Fehler: --date: ") and "28.11.2026" in wrong and "%" not in wrong
    write_csv(project / "inputs" / "a.csv", [HEADER, *signer_rows(3)])
    for typed in ("1.12.2026", "01.12.2026", "2026-12-01"):
        result = invoke("run", "--dry-run", "--mail-date", typed, "--envelope", "auto")
        assert result.exit_code == 0, result.output


def test_mail_date_takes_a_two_digit_year_as_20yy(project: Path, german: None) -> None:
    write_csv(project / "inputs" / "a.csv", [HEADER, *signer_rows(3)])
    result = invoke("run", "--no-pdf", "--mail-date", "3.12.26")
    assert result.exit_code == 0, result.output
    [batch] = batch_dirs(project)
    manifest = json.loads((batch / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["dispatch"]["mail_date"] == "2026-12-03"
    assert one_error_line(invoke("run", "--mail-date", "31.02.26")) == (
        "Fehler: --mail-date: '31.02.26' gibt es im Kalender nicht - schreiben Sie das Datum "
        "so: 31.12.2026"
    )


# --- the question of purge -----------------------------------------------------------------------


def mailed_batch(project: Path) -> Path:
    write_csv(project / "inputs" / "a.csv", [HEADER, *signer_rows(3)])
    assert invoke("run", "--no-pdf").exit_code == 0
    [batch] = batch_dirs(project)
    assert invoke("mark-mailed", batch.name).exit_code == 0
    return batch


@pytest.mark.parametrize("answer", ["j", "JA", "y", "yes"])
def test_purge_asks_in_german_and_takes_j(project: Path, german: None, answer: str) -> None:
    batch = mailed_batch(project)
    result = invoke("purge", stdin=f"vielleicht\n{answer}\n")
    assert result.exit_code == 0, result.output
    question = f"Namen und Anschriften des Versands {batch.name} löschen? [j/N] "
    assert result.stdout.count(question) == 2
    assert "Bitte antworten Sie mit j (ja) oder n (nein)." in result.stderr
    assert result.stdout.endswith(
        f"{batch.name}: Namen und Anschriften gelöscht, 2 Dateien entfernt.\n"
    )
    assert not (batch / "petition-lists.docx").exists()


@pytest.mark.parametrize("answer", ["n", "nein", "no", ""])
def test_purge_takes_n_in_german(project: Path, german: None, answer: str) -> None:
    batch = mailed_batch(project)
    result = invoke("purge", stdin=f"{answer}\n")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1].endswith("Nichts gelöscht.")
    assert (batch / "petition-lists.docx").exists()


def test_purge_in_english_shows_y_n_and_takes_j_too(project: Path) -> None:
    batch = mailed_batch(project)
    result = invoke("purge", stdin="j\n")
    assert result.exit_code == 0, result.output
    assert f"Delete the personal data of batch {batch.name}? [y/N] " in result.stdout
    assert f"Purged {batch.name}: removed 2 files." in result.stdout


def test_no_answer_at_the_end_of_input_stops_with_130(project: Path, german: None) -> None:
    batch = mailed_batch(project)
    result = invoke("purge", stdin="")
    assert result.exit_code == 130
    assert result.stderr.splitlines()[-1] == "Abgebrochen: nichts wurde geändert"
    assert (batch / "petition-lists.docx").exists()


# --- nothing the CLI prints escapes the catalog (the pseudo language) ----------------------------


@pytest.fixture
def pseudo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(i18n.ENV_VARIABLE, i18n.PSEUDO)


@pytest.mark.parametrize("command", ["", *sorted(cli.commands)])
def test_every_help_is_marked(pseudo: None, command: str) -> None:
    result = invoke(*filter(None, [command]), "--help")
    assert result.exit_code == 0, result.output
    # The list of commands shows the first sentence of each one's help: its closing mark
    # is cut off with the rest.
    text, _sep, commands = result.stdout.partition(f"{i18n.PSEUDO_OPEN}Commands")
    listed, _sep, rest = commands.partition("\n\n")
    listed = listed.replace("\n", f"{i18n.PSEUDO_CLOSE}\n") + i18n.PSEUDO_CLOSE
    subcommands = [sub for c in cli.commands.values() for sub in getattr(c, "commands", {})]
    names = ["petition-merge", *cli.commands, *subcommands, *postal_names()]  # DL: data
    assert unmarked_words(text + listed + "\n\n" + rest, names) == []


def test_the_run_summary_and_status_are_marked(project: Path, pseudo: None) -> None:
    write_csv(project / "inputs" / "a.csv", [HEADER, *signer_rows(23)])
    # Data: Deutsche Post's names, the envelope formats and the campaign's id (xuar).
    data = [*postal_names(), *available_campaigns(project)]
    for args in (
        ["run", "--no-pdf", "--envelope", "auto", "--mail-date", "1.12.2026"],
        ["run", "--no-pdf"],
        ["run", "--dry-run", "--reprint"],
    ):
        result = invoke(*args)
        assert result.exit_code == 0, result.output
        assert unmarked_words(result.stdout, data) == [], args
    status = invoke("status")
    assert unmarked_words(status.stdout, data) == []
    purge = invoke("purge")
    assert purge.exit_code == 0 and unmarked_words(purge.stdout) == []
