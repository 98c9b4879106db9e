"""Match fields on the check: sheets whose columns could not be placed get a form that writes
their table of inputs/spalten.toml, as `petition-merge columns` starts it; the run reads it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import invoke, write_csv, write_xlsx
from starlette.testclient import TestClient
from web_client import BASE, ORIGIN, PORT, SECRET, new_draft, signed_in, text_of

from merge.errors import InputError
from merge.read.headers import Field
from merge.read.mapping import mappings_for, with_table
from merge.web.app import make_app

UNKNOWN = ["Wer unterschreibt", "Wo wohnt die Person", "Bemerkung"]
GUESSED = ["Nachname der Person", "Wohnort komplett", "Bemerkung"]
ROWS = [
    ["Testperson-1", "Beispielweg 1, 12345 Musterstadt", "am Stand"],
    ["Testperson-2", "Beispielweg 2, 12345 Musterstadt", ""],
]
MAPPING = "inputs/spalten.toml"


@pytest.fixture
def german(project: Path) -> Iterator[TestClient]:
    """The page as serve starts it: in its default language."""
    with TestClient(make_app(project, PORT, SECRET), base_url=BASE, headers=ORIGIN) as client:
        assert client.get(f"/start?t={SECRET}").status_code == 200
        yield client


@pytest.fixture
def client(project: Path) -> Iterator[TestClient]:
    with signed_in(project) as client:
        yield client


def form_of(page: str) -> dict[str, str]:
    """The first Match fields form of a page, as the browser would send it unchanged."""
    found = re.search(r'<form method="post" action="[^"]*/columns".*?</form>', page, re.S)
    assert found, "no Match fields form"
    form = found[0]
    values = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))
    for name, options in re.findall(r'<select [^>]*name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        (values[name],) = re.findall(r'<option value="([^"]+)" selected>', options)
    return values


def signers(text: str) -> int:
    found = re.search(r"(?:signers \(printed\)|Unterzeichnende \(gedruckt\)) (\d+)", text)
    return int(found[1]) if found else 0


def test_a_sheet_nobody_could_read_gets_the_form_in_german(
    german: TestClient, project: Path
) -> None:
    write_csv(project / "inputs" / "a.csv", [UNKNOWN, *ROWS])
    check = new_draft(german, ["a.csv"])
    page = german.get(check).text
    text = text_of(page)
    assert "Spalten zuordnen" in text and "inputs/a.csv:a" in text
    assert "Spalte nicht verwenden" in text and "Vor- und Nachname" in text
    assert "Speichern in inputs/spalten.toml" in text
    assert "Dieses Blatt ist keine Unterschriftenliste" in text
    assert "Wer unterschreibt 2" in text and "Bemerkung 1" in text  # header, filled cells
    assert f'action="{check.replace("check", "columns")}"' in page
    assert "Testperson" not in page and "Beispielweg" not in page and "am Stand" not in page
    assert form_of(page) == {
        "sheet": "a.csv",
        **{f"key-{c}": header for c, header in zip("ABC", UNKNOWN, strict=True)},
        **{f"field-{c}": "nicht_verwenden" for c in "ABC"},
    }
    assert not (project / MAPPING).exists()  # the check writes nothing


def test_the_chosen_fields_are_written_and_every_run_reads_them(
    german: TestClient, project: Path
) -> None:
    write_csv(project / "inputs" / "a.csv", [UNKNOWN, *ROWS])
    check = new_draft(german, ["a.csv"])
    form = form_of(german.get(check).text) | {"field-A": "vor_und_nachname", "field-B": "anschrift"}
    response = german.post(check.replace("check", "columns"), data=form, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"{check}?saved=1"
    text = text_of(german.get(response.headers["location"]).text)
    assert "Gespeichert in inputs/spalten.toml" in text
    assert signers(text) == 2
    assert "Spalten zuordnen" in text  # now to change, folded away
    assert "Lesen der Spalten von inputs/a.csv:a ändern" in text
    assert "Gespeichert" not in text_of(german.get(check).text)

    written = (project / MAPPING).read_text(encoding="utf-8")
    assert written.startswith("# Spalten zuordnen - begonnen von der Seite 'petition-merge serve'")
    assert '["a.csv"]\n"Wer unterschreibt" = "vor_und_nachname"  # 2 gefüllt\n' in written
    mapping = mappings_for(project / "inputs", "inputs").for_sheet("a.csv", "a")
    assert mapping is not None and mapping.undecided == ()
    assert dict(mapping.decided) == {
        "werunterschreibt": Field.FULL,
        "wowohntdieperson": Field.ADDRESS,
        "bemerkung": None,
    }
    run = invoke("run", "--dry-run")
    assert run.exit_code == 0, run.output
    assert re.search(r"signers \(printed\) +│ 2 │", run.stdout), run.stdout
    assert "Every sheet can be read; nothing to write." in invoke("columns").stdout


def test_guessed_columns_are_marked_and_can_be_changed(client: TestClient, project: Path) -> None:
    write_csv(project / "inputs" / "a.csv", [GUESSED, *ROWS])
    check = new_draft(client, ["a.csv"])
    page = client.get(check).text
    text = text_of(page)
    assert signers(text) == 0  # "Wohnort komplett" read as the town: no street
    assert text.count("guessed from a word of its header") == 2
    assert "confirm or change them" in text
    form = form_of(page)
    assert (form["field-A"], form["field-B"], form["field-C"]) == (
        "nachname",
        "ort",
        "nicht_verwenden",
    )
    form["field-B"] = "anschrift"
    response = client.post(check.replace("check", "columns"), data=form)
    assert response.status_code == 200  # the check again, after the redirect
    text = text_of(response.text)
    assert "Saved in inputs/spalten.toml" in text and signers(text) == 2
    assert "guessed from a word" not in text


def test_a_confirmed_guess_is_pinned(client: TestClient, project: Path) -> None:
    write_csv(project / "inputs" / "a.csv", [["Nachname der Person", "Anschrift"], *ROWS])
    check = new_draft(client, ["a.csv"])
    form = form_of(client.get(check).text)
    assert form["field-A"] == "nachname"
    client.post(check.replace("check", "columns"), data=form)
    written = (project / MAPPING).read_text(encoding="utf-8")
    assert '"Nachname der Person" = "nachname"' in written
    assert "guessed from a word" not in text_of(client.get(check).text)


def test_other_tables_and_comments_stay_as_they_were(client: TestClient, project: Path) -> None:
    write_csv(project / "inputs" / "a.csv", [UNKNOWN, *ROWS])
    write_csv(project / "inputs" / "b.csv", [["Was", "Wann"], ["x", "y"]])
    mine = (
        "# meine Notiz: bitte nicht löschen\n"
        '["A.csv"]  # so, wie petition-merge columns es anfing\n'
        '"Wer unterschreibt" = ""  # 2 gefüllt\n'
        '"Wo wohnt die Person" = ""  # 2 gefüllt\n'
        "\n# zum Formular:\n"
        '["b.csv"]\n"Was" = "nicht_verwenden"\n'
    )
    (project / MAPPING).write_text(mine, encoding="utf-8")
    check = new_draft(client, ["a.csv", "b.csv"])
    page = client.get(check).text
    form = form_of(page) | {"field-A": "nachname", "field-B": "anschrift"}
    assert client.post(check.replace("check", "columns"), data=form).status_code == 200
    written = (project / MAPPING).read_text(encoding="utf-8")
    assert written.startswith("# meine Notiz: bitte nicht löschen\n")
    assert written.endswith('\n# zum Formular:\n["b.csv"]\n"Was" = "nicht_verwenden"\n')
    assert written.lower().count('["a.csv"]') == 1
    assert '"Wer unterschreibt" = "nachname"' in written and '""' not in written
    assert invoke("run", "--dry-run", "inputs/a.csv").exit_code == 0


def test_a_sheet_of_a_workbook_gets_its_own_table(client: TestClient, project: Path) -> None:
    sheets = {"Liste": [["Titel der Liste"], UNKNOWN, *ROWS],
              "Anleitung": [["Bitte leserlich schreiben"]]}  # fmt: skip
    write_xlsx(project / "inputs" / "l.xlsx", sheets)
    check = new_draft(client, ["l.xlsx"])
    page = client.get(check).text
    assert page.count(f'action="{check.replace("check", "columns")}"') == 2
    form = form_of(page)
    assert form["sheet"] == "l.xlsx:Liste"
    # the first row with text is taken as the header, as petition-merge columns does: the
    # title row here, so the volunteer leaves this sheet and marks the other no list
    other = {"sheet": "l.xlsx:Anleitung", "key-A": "Bitte leserlich schreiben", "not_a_list": "1",
             "field-A": "nicht_verwenden"}  # fmt: skip
    text = text_of(client.post(check.replace("check", "columns"), data=other).text)
    assert "Saved in inputs/spalten.toml" in text
    assert 'not read, as inputs/spalten.toml ["l.xlsx:Anleitung"] says' in text
    written = (project / MAPPING).read_text(encoding="utf-8")
    assert '["l.xlsx:Anleitung"]\nverwenden = false\n' in written
    assert text_of(client.get(check).text).count("inputs/l.xlsx:Anleitung") == 1  # the note only


def test_a_sheet_whose_first_row_is_a_person_is_read_by_letter(
    client: TestClient, project: Path
) -> None:
    rows = [["Testperson-1", "Beispielweg 1", "12345", "Musterstadt"],
            ["Testperson-2", "Beispielweg 2", "12345", "Musterstadt"]]  # fmt: skip
    write_csv(project / "inputs" / "a.csv", rows)
    check = new_draft(client, ["a.csv"])
    page = client.get(check).text
    assert "Testperson" not in page and "Beispielweg" not in page and "Musterstadt" not in page
    assert text_of(page).count("(no header row)") == 4
    form = form_of(page)
    assert [form[f"key-{c}"] for c in "ABCD"] == ["Spalte A", "Spalte B", "Spalte C", "Spalte D"]
    form |= {
        "field-A": "vor_und_nachname",
        "field-B": "strasse",
        "field-C": "plz",
        "field-D": "ort",
    }
    text = text_of(client.post(check.replace("check", "columns"), data=form).text)
    assert signers(text) == 2  # the first row too: there is no header
    written = (project / MAPPING).read_text(encoding="utf-8")
    assert "kopfzeile = 0" in written and '"Spalte A" = "vor_und_nachname"' in written


def test_two_columns_with_one_header_are_named_by_letter(client: TestClient, project: Path) -> None:
    write_csv(project / "inputs" / "a.csv", [["Angabe", "Angabe", "Wo"], *ROWS])
    check = new_draft(client, ["a.csv"])
    form = form_of(client.get(check).text)
    assert (form["key-A"], form["key-B"], form["key-C"]) == ("Spalte A", "Spalte B", "Wo")
    form |= {"field-A": "vor_und_nachname", "field-B": "anschrift"}
    text = text_of(client.post(check.replace("check", "columns"), data=form).text)
    assert signers(text) == 2


def post_sheet(client: TestClient, project: Path, **changes: str) -> tuple[str, str]:
    """Send the form of a.csv with ``changes``; return the check and the answer's text."""
    write_csv(project / "inputs" / "a.csv", [UNKNOWN, *ROWS])
    check = new_draft(client, ["a.csv"])
    form = form_of(client.get(check).text) | {"field-A": "nachname", "field-B": "anschrift"}
    form.update(changes)
    response = client.post(check.replace("check", "columns"), data=form)
    assert response.status_code == 400, text_of(response.text)
    assert not (project / MAPPING).exists()
    return check, response.text


@pytest.mark.parametrize(
    ("changes", "said"),
    [
        ({"field-C": "telefon"}, "C Bemerkung 1 last name first name"),
        ({"field-C": "telefon"}, "choose a field from the list"),
        ({"field-C": "nachname"}, "last name is chosen for column A already - choose it once"),
        ({"field-A": "vorname"}, "Choose the column with the name"),
        ({"field-B": "hausnummer"}, "Choose the column with the address"),
        ({"key-B": "Wo wohnst du?"}, "The sheet has changed since the page was shown"),
        ({"key-D": "Neu"}, "The sheet has changed since the page was shown"),
        ({"sheet": "b.csv"}, "This sheet is not among the chosen files (any more)"),
        ({"sheet": "../a.csv"}, "This sheet is not among the chosen files (any more)"),
    ],
)
def test_a_form_that_cannot_be_taken_is_refused_with_one_line_and_the_form(
    client: TestClient, project: Path, changes: dict[str, str], said: str
) -> None:
    check, page = post_sheet(client, project, **changes)
    text = text_of(page)
    assert said in text
    assert "Nothing was saved" in text or "not among the chosen files" in text
    assert f'href="{check}"' in page
    if "field-C" in changes:
        assert page.count('class="error" id="field-1-C-error"') == 1
        assert 'aria-invalid="true" aria-describedby="field-1-C-error"' in page
        assert 'id="field-1-A-error"' not in page


def test_a_refused_form_keeps_what_was_chosen(client: TestClient, project: Path) -> None:
    _check, page = post_sheet(client, project, **{"field-C": "nachname"})
    form = form_of(page)
    assert (form["field-A"], form["field-B"], form["field-C"]) == (
        "nachname",
        "anschrift",
        "nachname",
    )


def test_a_file_gone_since_the_check_is_refused(client: TestClient, project: Path) -> None:
    write_csv(project / "inputs" / "a.csv", [UNKNOWN, *ROWS])
    check = new_draft(client, ["a.csv"])
    form = form_of(client.get(check).text)
    (project / "inputs" / "a.csv").unlink()
    response = client.post(check.replace("check", "columns"), data=form)
    assert response.status_code == 400
    assert "not among the chosen files (any more)" in text_of(response.text)
    assert client.post("/drafts/99999999/columns", data=form).status_code == 404
    assert not (project / MAPPING).exists()


def test_the_form_is_refused_from_another_page_or_without_the_cookie(
    client: TestClient, project: Path
) -> None:
    write_csv(project / "inputs" / "a.csv", [UNKNOWN, *ROWS])
    check = new_draft(client, ["a.csv"])
    form = form_of(client.get(check).text) | {"field-A": "nachname", "field-B": "anschrift"}
    target = check.replace("check", "columns")
    assert (
        client.post(target, data=form, headers={"Origin": "http://evil.example"}).status_code == 403
    )
    assert (
        client.post(target, data=form, headers={"Sec-Fetch-Site": "cross-site"}).status_code == 403
    )
    client.cookies.clear()
    assert client.post(target, data=form).status_code == 403
    assert not (project / MAPPING).exists()


def test_a_broken_mapping_file_is_left_as_it_is(client: TestClient, project: Path) -> None:
    write_csv(project / "inputs" / "a.csv", [UNKNOWN, *ROWS])
    check = new_draft(client, ["a.csv"])
    form = form_of(client.get(check).text) | {"field-A": "nachname", "field-B": "anschrift"}
    (project / MAPPING).write_text('["a.csv"]\n"Wer" = \n', encoding="utf-8")
    response = client.post(check.replace("check", "columns"), data=form)
    assert response.status_code == 400
    assert "error: inputs/spalten.toml: line 2" in text_of(response.text)
    assert (project / MAPPING).read_text(encoding="utf-8") == '["a.csv"]\n"Wer" = \n'


def test_a_table_is_replaced_only_where_the_file_reads_the_same_after() -> None:
    text = '["z.csv"]\nnotiz = """\n["a.csv"]\n"""\n'
    with pytest.raises(InputError, match=r"cannot be changed safely here"):
        with_table(text, "a.csv", '["a.csv"]\nverwenden = false\n', MAPPING)
    assert with_table(text, "b.csv", '["b.csv"]\n', MAPPING) == text + '\n["b.csv"]\n'


# --- the reasons point to the form on the page, to the command in the terminal ---------------

GOOD = ["Beispiel", "Anna", "Lindenweg 1", "12345", "Musterstadt"]


def german_cli_dry_run(monkeypatch: pytest.MonkeyPatch, *files: str) -> str:
    monkeypatch.setenv("PETITION_MERGE_LANG", "de")
    result = invoke("run", "--dry-run", *files)
    return result.output + result.stderr


def test_reasons_on_the_page_point_to_the_form_and_in_the_terminal_to_the_command(
    german: TestClient, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_xlsx(
        project / "inputs" / "w.xlsx",
        {"Liste": [["Name", "Vorname", "Straße", "PLZ", "Ort", "Straße 2"],
                   GOOD, ["Probe", "Eva", "Weg 3", "12345", "Musterstadt", "Hinterhaus"]],
         "Nachtrag": [UNKNOWN, *ROWS]},
    )  # fmt: skip
    text = text_of(german.get(new_draft(german, ["w.xlsx"])).text)
    assert (
        "inputs/w.xlsx:Liste:3 Spalte F 'Straße 2' sieht nach einem Teil der Anschrift aus, wird "
        'aber nicht verwendet - wählen Sie hier auf der Seite unter "Spalten zuordnen", welches '
        "Feld sie enthält"
    ) in text
    assert (
        "inputs/w.xlsx:Nachtrag:2 Tabellenblatt nicht erkannt (keine Kopfzeile mit einer Namens- "
        'und einer Anschriftenspalte) - wählen Sie hier auf der Seite unter "Spalten zuordnen", '
        "was jede Spalte enthält, oder fügen Sie Spaltenüberschriften hinzu"
    ) in text
    assert 'Zeilen dieses Blatts werden abgelehnt - wählen Sie hier auf der Seite unter "Spalten ' \
        'zuordnen"' in text  # the note on the sheet without a header  # fmt: skip
    assert "petition-merge columns" not in text and "spalten.toml an, welch" not in text

    said = german_cli_dry_run(monkeypatch, "inputs/w.xlsx")
    assert "geben Sie in inputs/spalten.toml an, welches Feld sie enthält (petition-merge " \
        "columns)" in said  # fmt: skip
    assert "geben Sie in inputs/spalten.toml an, welche Spalte was enthält (petition-merge " \
        "columns), oder" in said  # fmt: skip
    assert "Spalten zuordnen" not in said


def test_a_file_nobody_could_read_is_one_line_pointing_to_the_form(
    german: TestClient, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_csv(project / "inputs" / "a.csv", [UNKNOWN, *ROWS])
    write_csv(project / "inputs" / "b.csv", [["Name", "Vorname", "Telefon"], ["Probe", "Eva", ""]])
    text = text_of(german.get(new_draft(german, ["a.csv"])).text)
    assert (
        "inputs/a.csv: kein Tabellenblatt hat erkennbare Spalten (gefundene Spaltenüberschriften: "
        "'Wer unterschreibt', 'Wo wohnt die Person', 'Bemerkung') - wählen Sie hier auf der "
        'Seite unter "Spalten zuordnen", was jede Spalte enthält'
    ) in text
    assert "Hier auf der Seite: Wählen Sie unten" not in text  # the error says it: not twice
    text = text_of(german.get(new_draft(german, ["b.csv"])).text)
    assert 'oder wählen Sie hier auf der Seite unter "Spalten zuordnen" die Spalte, die sie ' \
        "enthält" in text  # fmt: skip
    assert "petition-merge columns" not in text
    assert "spalten.toml an" not in text

    said = german_cli_dry_run(monkeypatch, "inputs/a.csv")
    assert "führen Sie 'petition-merge columns inputs/a.csv' aus" in said
    said = german_cli_dry_run(monkeypatch, "inputs/b.csv")
    assert "geben Sie in inputs/spalten.toml an, welche Spalte sie enthält" in said
