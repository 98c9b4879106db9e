"""petition-merge columns: how each column is read, and the mapping file round trip."""

from pathlib import Path

from conftest import invoke, write_csv

QUESTIONS = ["Zeitstempel", "Wer unterschreibt?", "Wo wohnst du?", "Deine Stadt"]
ROWS = [
    ["01.10.2026 10:00", "Erika Beispiel", "Lindenweg 4", "12345 Musterstadt"],
    ["01.10.2026 11:00", "Max Probe", "Am Markt 1", "12345 Musterstadt"],
    ["01.10.2026 12:00", "Anna Muster", "", ""],
]


def test_columns_writes_a_start_a_volunteer_fills_in_and_the_run_uses_it(project: Path) -> None:
    write_csv(project / "inputs" / "umfrage.csv", [QUESTIONS, *ROWS])
    before = invoke("run", "--dry-run")
    assert before.exit_code == 3 and "no sheet has recognisable columns" in before.stderr

    shown = invoke("columns")
    assert shown.exit_code == 0, shown.output
    assert "its rows are refused" in shown.stdout
    assert "Wer unterschreibt?" in shown.stdout and "3 filled" in shown.stdout
    for row in ROWS:  # counts, never a cell's value
        assert row[1] not in shown.output and (not row[2] or row[2] not in shown.output)
    written = (project / "inputs" / "spalten.toml").read_text(encoding="utf-8")
    assert '["umfrage.csv"]\n"Zeitstempel" = ""  # 3 gefüllt\n"Wer unterschreibt?" = ""' in written

    filled = (
        written.replace('"Zeitstempel" = ""', '"Zeitstempel" = "nicht_verwenden"')
        .replace('"Wer unterschreibt?" = ""', '"Wer unterschreibt?" = "vor_und_nachname"')
        .replace('"Wo wohnst du?" = ""', '"Wo wohnst du?" = "strasse"')
        .replace('"Deine Stadt" = ""', '"Deine Stadt" = "plz_ort"')
    )
    (project / "inputs" / "spalten.toml").write_text(filled, encoding="utf-8")
    after = invoke("run", "--dry-run")
    assert after.exit_code == 0, after.output
    assert 'columns read as inputs/spalten.toml ["umfrage.csv"] says' in after.stderr
    assert "inputs/umfrage.csv:umfrage:4" in after.stdout  # Anna: no street, refused

    again = invoke("columns")
    assert "Every sheet can be read; nothing to write." in again.stdout
    assert (project / "inputs" / "spalten.toml").read_text(encoding="utf-8") == filled


def test_columns_adds_tables_and_never_changes_what_is_there(project: Path) -> None:
    write_csv(project / "inputs" / "a.csv", [["Wer", "Wo"], ["Beispiel", "Weg 1, 12345 O"]])
    write_csv(project / "inputs" / "b.csv", [["Was", "Wann"], ["x", "y"]])
    mine = '# meine Notiz\n["a.csv"]\n"Wer" = "nachname"\n"Wo" = "anschrift"\n'
    (project / "inputs" / "spalten.toml").write_text(mine, encoding="utf-8")
    result = invoke("columns")
    assert result.exit_code == 0, result.output
    text = (project / "inputs" / "spalten.toml").read_text(encoding="utf-8")
    assert text.startswith(mine) and '["b.csv"]\n"Was" = ""' in text
    assert text.count('["a.csv"]') == 1


def test_no_write_only_shows(project: Path) -> None:
    write_csv(project / "inputs" / "b.csv", [["Was", "Wann"], ["x", "y"]])
    result = invoke("columns", "--no-write")
    assert result.exit_code == 0, result.output
    assert "not written: --no-write" in result.stdout
    assert not (project / "inputs" / "spalten.toml").exists()


def test_all_pins_every_sheet_as_it_is_read_and_the_run_reads_it_the_same(
    project: Path,
) -> None:
    header = ["Name", "Vorname", "Straße", "PLZ", "Ort", "E-Mail"]
    rows = [["Beispiel", "Erika", "Lindenweg 4", "12345", "Musterstadt", ""],
            ["Probe", "Max", "Am Markt 1", "1234", "Musterstadt", ""]]  # fmt: skip
    write_csv(project / "inputs" / "liste.csv", [header, *rows])
    before = invoke("run", "--dry-run")
    assert invoke("columns", "--all").exit_code == 0
    text = (project / "inputs" / "spalten.toml").read_text(encoding="utf-8")
    assert '"Name" = "nachname"  # 2 gefüllt' in text
    assert '"E-Mail" = "nicht_verwenden"  # 0 gefüllt' in text
    after = invoke("run", "--dry-run")
    assert after.exit_code == before.exit_code == 0
    assert after.stdout == before.stdout  # the same accounting, the same refusals
    assert "no field yet" not in after.stderr


def test_sheets_the_run_leaves_out_get_no_table(project: Path) -> None:
    from conftest import CORPUS

    numbers = CORPUS / "office" / "apple-numbers-export.xlsx"
    (project / "inputs" / numbers.name).write_bytes(numbers.read_bytes())
    result = invoke("columns")
    assert result.exit_code == 0, result.output
    assert "Export Summary: the summary Apple Numbers adds to every export" in result.stdout
    assert "Every sheet can be read; nothing to write." in result.stdout
