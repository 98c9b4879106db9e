"""Every text on the page is a message of the catalog: each page in the pseudo language, where
every translated message stands between ⟦ and ⟧, shows no word outside the marks but data."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

from click.testing import CliRunner
from conftest import HEADER, ROOT, batch_dirs, signer_rows, write_csv
from starlette.testclient import TestClient
from unmarked import unmarked_words, words_of
from web_client import BASE, client_of, make_batch, new_draft, signed_in

from merge.cli import cli
from merge.read.rows import SPREADSHEET_SUFFIXES
from merge.render.label_products import load_label_products

# Data that stands outside the marks: the program, campaign, files, sheets and columns of the
# example, product and format names, and the label products' and envelopes' names.
DATA = [
    "petition-merge",
    "xuar",
    "auto",  # the value of --envelope auto
    "DL",
    "DIN",
    "mm",  # units, the same in every language
    "kB",
    *(suffix.lstrip(".") for suffix in SPREADSHEET_SUFFIXES),  # files ending in .xlsx, ...
    "exe",  # the refused upload's name
    "lang",
    "Infostand",
    "Markt",
    "Gottesdienst",
    "Formular",
    "Kirchentag",
    "Datum",
    "Unterschrift",
    "Zeitstempel",
    "E-Mail",
    "E-Mail-Adresse",
    "Ort",
    "Wie",
    "ist",
    "dein",
    "deine",
    "lautet",
    "Vorname",
    "Nachname",
    "Anschrift",
    "In",
    "welchem",
    "Land",
    "wohnst",
    "du",
    *(
        product["name"]
        for service in json.loads((ROOT / "merge/data/postage.json").read_text("utf-8"))["services"]
        for product in service["products"]
    ),
]


class _Text(HTMLParser):
    """The text a reader (or a screen reader) meets: text nodes and aria-labels (not the
    style sheet a refusal carries)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.hidden = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.parts += [value for name, value in attrs if name == "aria-label" and value]
        self.hidden = tag in ("style", "script")

    def handle_endtag(self, tag: str) -> None:
        self.hidden = False

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def words_outside_marks(page: str) -> list[str]:
    parser = _Text()
    parser.feed(re.sub(r"<wbr>|</?span\b[^>]*>", "", page))  # inline: one text to a reader
    names = [p.name for p in load_label_products().values()]
    return unmarked_words("\n".join(parser.parts), [*DATA, *names])


def assert_marked(page: str, what: str) -> None:
    words = words_outside_marks(page)
    assert words == [], f"{what}: unmarked words {words[:20]}"


def test_every_page_of_a_whole_batch_is_marked(example: Path) -> None:
    with signed_in(example, language="pseudo") as client:
        assert_marked(client.get("/").text, "new batch")
        check = new_draft(client)
        assert_marked(client.get(check).text, "check")
        assert_marked(client.get(check.replace("check", "options")).text, "options")
        refused = client.post(check.replace("check", "batch"), data={"start_label": "x"})
        assert_marked(refused.text, "options refused")
        done = make_batch(client, check)
        assert_marked(client.get(done["page"]).text, "job")
        (batch,) = (p.name for p in (example / "outputs").iterdir() if p.is_dir())
        assert_marked(client.get(f"/batches/{batch}").text, "downloads")
        assert_marked(client.get("/batches").text, "status")
        assert_marked(client.get("/nowhere").text, "not found")
        upload = client.post("/drafts", data={"campaign": "xuar"}, files={"upload": ("a.exe", b"")})
        assert_marked(upload.text, "refused upload")
        assert_marked(client.get("/", headers={"host": "evil.example"}).text, "foreign host")
        assert_marked(
            client.post("/drafts", headers={"Origin": "http://evil.example"}).text, "origin"
        )


def test_the_refusals_before_the_cookie_are_marked(project: Path) -> None:
    with client_of(project, language="pseudo", max_body=10) as client:
        assert_marked(client.get("/").text, "no cookie")
        client.get("/start?t=test-secret-Zq7")
        assert_marked(client.post("/drafts", content=b"x" * 20).text, "too large")
    assert isinstance(client, TestClient) and BASE


def test_the_marks_find_an_unmarked_word() -> None:
    assert words_outside_marks("<p>⟦Neuer Versand⟧ Unmarked</p>") == ["Unmarked"]


def test_the_dispatch_pages_are_marked(project: Path) -> None:
    write_csv(project / "inputs" / "liste.csv", [HEADER, *signer_rows(12)])
    result = CliRunner().invoke(cli, ["run", "--no-pdf"])
    assert result.exit_code == 0, result.output
    (batch,) = (p.name for p in batch_dirs(project))
    with signed_in(project, language="pseudo") as client:
        assert_marked(client.get(f"/batches/{batch}/dispatch").text, "dispatch")
        assert_marked(client.post(f"/batches/{batch}/mailed", data={}).text, "nothing ticked")
        assert_marked(client.post(f"/batches/{batch}/purge").text, "purge refused")
        asked = client.post(f"/batches/{batch}/discard", data={"envelope": "1"})
        assert_marked(asked.text, "discard asked")
        whole = client.post(f"/batches/{batch}/discard", data={"whole": "1"})
        assert_marked(whole.text, "discard whole asked")
        marked = client.post(f"/batches/{batch}/mailed", data={"envelope": "1"})
        assert_marked(marked.text, "marked")
        again = client.post(f"/batches/{batch}/mailed", data={"envelope": "1", "day": "x"})
        assert_marked(again.text, "wrong date")
        assert_marked(client.post(f"/batches/{batch}/purge").text, "purge asked")
        done = client.post(f"/batches/{batch}/purge", data={"confirm": "1"})
        assert_marked(done.text, "purged")


def test_the_match_fields_forms_are_marked(project: Path) -> None:
    unknown = project / "inputs" / "a.csv"
    write_csv(unknown, [["Wer unterschreibt", "Wo wohnt die Person", "Bemerkung"],
                        ["Testperson-1", "Beispielweg 1, 12345 Musterstadt", ""]])  # fmt: skip
    guessed = project / "inputs" / "b.csv"
    write_csv(guessed, [["Nachname der Person", "Wohnort komplett"], *signer_rows(1)])
    by_letter = project / "inputs" / "c.csv"
    write_csv(by_letter, signer_rows(2))
    data = [*words_of(unknown), *words_of(guessed)]  # the headers; c.csv's row is never shown

    def marked(page: str, what: str) -> None:
        parser = _Text()
        parser.feed(page)
        names = [p.name for p in load_label_products().values()]
        words = unmarked_words("\n".join(parser.parts), [*DATA, *names, *data])
        assert words == [], f"{what}: unmarked words {words[:20]}"

    with signed_in(project, language="pseudo") as client:
        check = new_draft(client, ["a.csv", "b.csv", "c.csv"])
        page = client.get(check).text
        assert page.count(f'action="{check.replace("check", "columns")}"') == 3
        marked(page, "check with forms")
        target = check.replace("check", "columns")
        form = {"sheet": "a.csv", "key-A": "Wer unterschreibt", "key-B": "Wo wohnt die Person",
                "key-C": "Bemerkung", "field-A": "x", "field-B": "plz",
                "field-C": "plz"}  # fmt: skip
        for what, sent in [("refused fields", form), ("changed sheet", {**form, "key-C": "Neu"}),
                           ("no such sheet", {**form, "sheet": "z.csv"})]:  # fmt: skip
            refused = client.post(target, data=sent)
            assert refused.status_code == 400
            marked(refused.text, what)
        form |= {"field-A": "nachname", "field-B": "anschrift", "field-C": "nicht_verwenden"}
        saved = client.post(target, data=form)
        assert saved.url.query == b"saved=1"
        marked(saved.text, "saved, with a mapped sheet")
