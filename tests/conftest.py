"""Shared test helpers: real spreadsheet files from rows, signers, pages, the bundled template.

Invented names and addresses only.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import itertools
import json
import os
import shutil
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import urlsplit, urlunsplit

import pytest
from click.testing import CliRunner, Result
from corpus.make_corpus import xlsx_bytes
from docx import Document

from merge.batch.model import Batch, PostOptions
from merge.campaign import Campaign, load_campaign
from merge.cli import cli
from merge.lists.accounting import Accounting, DuplicateRow, ListedRow, RowNote
from merge.lists.fit import RowFit
from merge.lists.geometry import ListGeometry
from merge.lists.paginate import ROWS_PER_LIST, Page
from merge.lists.signer import Signer
from merge.post.data import PriceTable
from merge.post.envelope_formats import bundled_envelope_data
from merge.post.plan import Letter, PostagePlan, plan_envelopes
from merge.read.headers import Field
from merge.read.rows import SourceRow, read_rows
from merge.render.label_products import label_product
from merge.reporter import Kind, Report
from merge.track.keys import SECRET_VARIABLE
from merge.track.ledger import Ledger, open_ledger
from merge.track.where import LedgerLocation, ledger_location

ROOT = Path(__file__).parent.parent  # the repository
FIXTURES = Path(__file__).parent / "fixtures"
CORPUS = Path(__file__).parent / "corpus"
HEADER = ["Name", "Vorname", "Straße", "PLZ", "Ort"]


def write_xlsx(path: Path, sheets: dict[str, Sequence[Sequence[Any]]]) -> Path:
    """Write a workbook with one sheet per entry, rows as given (None = empty cell)."""
    path.write_bytes(xlsx_bytes(sheets))
    return path


def write_csv(
    path: Path,
    rows: Sequence[Sequence[Any]],
    delimiter: str = ",",
    encoding: str = "utf-8",
    newline: str = "\r\n",
) -> Path:
    """Write rows as a CSV file in the given encoding, quoting as Excel does."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator=newline).writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def read(path: Path, **kwargs: object) -> tuple[list[SourceRow], list[str]]:
    """Read every row of one signer file; return the rows and the notes the reader made."""
    reports: list[Report] = []
    rows = list(read_rows(path, reports.append, **kwargs))  # type: ignore[arg-type]
    assert {report.kind for report in reports} <= {Kind.NOTE}  # the reader only notes
    return rows, [report.text for report in reports]


def source_row(n: int, empty: bool = False, **cells: Any) -> SourceRow:
    """A row as the reader yields it, from row ``n`` of l.xlsx: ``source_row(2, last="B")``."""
    fields = {Field[name.upper()]: value for name, value in cells.items()}
    return SourceRow(origin=f"l.xlsx:S:{n}", cells=fields, empty=empty)


def signer_rows(count: int, start: int = 1) -> list[list[Any]]:
    """Invented signers with distinct names: Testperson-1, Testperson-2, ..."""
    return [
        [f"Testperson-{n}", "Erika", f"Beispielweg {n}", "12345", "Musterstadt"]
        for n in range(start, start + count)
    ]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder like a fresh checkout: templates/ and an empty inputs/."""
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    (tmp_path / "inputs").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


# --- petition lists: the bundled template, a campaign, signers on pages ---------------------------

TEMPLATE = ROOT / "templates" / "petition-list.docx"
BATCH = "2026-11-27-1"
TRICKY_NAMES = [
    "Smith & Söhne <GmbH>, \"Ann\" 'Lee'",
    "{{ 7*7 }}, {% if x %}Ja{% endif %}",
    "王, 小明",
    "الحربي, فاطمة",
    "Brace {_{ odd }_}, Tab\tand\fbreak",
]


@pytest.fixture(scope="module")
def campaign() -> Campaign:
    """The bundled default campaign (xuar)."""
    return load_campaign(None, ROOT)


@pytest.fixture(scope="session")
def shipped_geometry() -> ListGeometry:
    """Where the bundled template prints a signer's name and address, read from its file."""
    from merge.render.template_check import ensure_template_ok

    return ensure_template_ok(TEMPLATE)


@pytest.fixture(scope="session")
def shipped_fit(shipped_geometry: ListGeometry) -> RowFit:
    """The fit check of the bundled template."""
    return RowFit(shipped_geometry)


def petition_signer(
    n: int, name: str, address: tuple[str, ...] = ("Beispielweg 1", "12345 Musterstadt")
) -> Signer:
    """A signer of inputs/test.xlsx row n + 1, as the lists print them."""
    return Signer(f"inputs/test.xlsx:Sheet1:{n + 1}", name, address, f"key-{n}")


def pages_of(*slots: tuple[Signer | None, ...]) -> list[Page]:
    """Number the given slots as lists 1, 2, ..."""
    return [Page(number, page) for number, page in enumerate(slots, 1)]


def table_rows(path: Path) -> list[list[list[str]]]:
    """Return the cell texts of the signer rows of every list, heading row left out."""
    doc = Document(str(path))
    return [[[cell.text for cell in row.cells] for row in table.rows[1:]] for table in doc.tables]


def body_text(path: Path) -> list[str]:
    """Return the text of every body paragraph of a .docx."""
    return [p.text for p in Document(str(path)).paragraphs]


def edited_template(
    tmp_path: Path,
    edit: Callable[[str], str],
    part: str = "word/document.xml",
    source: Path = TEMPLATE,
    name: str = "edited.docx",
) -> Path:
    """Copy the bundled template (or ``source``), changing one XML part as Word or a
    volunteer might."""
    out = tmp_path / name
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == part:
                text = data.decode("utf-8")
                changed = edit(text)
                assert changed != text, "the edit did not apply"
                data = changed.encode("utf-8")
            dst.writestr(item, data)
    return out


def name_at_limit(check: RowFit, seed: int) -> str:
    """Grow a name word by word until one more word would be rejected."""
    words = itertools.cycle(["Schwarzenberger", "Müller-Lüdenscheidt", "Wohlgemuth", "Ämilie"])
    name, word = f"Grenzfall{seed},", next(words)
    while check(f"{name} {word}", ("x",)) is None:
        name, word = f"{name} {word}", next(words)
    return name


def address_at_limit(check: RowFit, seed: int) -> tuple[str, ...]:
    """Return as many full-width address lines as the cell holds."""
    line = f"Lindenallee {seed}, Gartenhaus, Aufgang B, Erdgeschoss rechts"
    lines: tuple[str, ...] = ()
    while check("A, B", (*lines, line)) is None:
        lines = (*lines, line)
    return lines


def resave_with_libreoffice(docx: Path, folder: Path) -> Path:
    """Open ``docx`` in LibreOffice and save it as .docx again, as a volunteer would."""
    import subprocess

    folder.mkdir(parents=True, exist_ok=True)
    profile = (folder / "lo-profile").resolve().as_uri()
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to",
         "docx:MS Word 2007 XML", "--outdir", str(folder), str(docx)],
        capture_output=True, check=True, timeout=180,
    )  # fmt: skip
    return folder / docx.name


def pdf_page_texts(pdf: Path) -> list[str]:
    """Return the text of every page of a PDF, in order."""
    import subprocess

    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True)
    return text.stdout.split("\f")[:-1]


# --- tracking: the CLI on a project folder, its batches and status --------------------------------


def invoke(*args: str) -> Result:
    """Run the CLI in the current folder."""
    return CliRunner().invoke(cli, list(args))


def manifests(project: Path) -> list[dict[str, Any]]:
    """Return the manifest of every batch folder in outputs/, oldest first."""
    return [
        json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        for folder in sorted((project / "outputs").iterdir())
        if folder.is_dir()
    ]


def assert_adds_up(manifest: dict[str, Any]) -> None:
    c = manifest["counts"]
    assert c["rows"] == (
        c["blank"]
        + c["signers"]
        + c["duplicates"]
        + c["rejected"]
        + c["previously_listed"]
        + c.get("held", 0)
    )


def status_json() -> dict[str, Any]:
    """Return what `status --json` reports."""
    result = invoke("status", "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


@pytest.fixture
def signers_csv(project: Path) -> Path:
    """inputs/liste.csv with 23 invented signers."""
    return write_csv(project / "inputs" / "liste.csv", [HEADER, *signer_rows(23)])


# --- postage: a plan written out by hand ----------------------------------------------------------

KOMPAKT = ("KOMPAKT", "Kompaktbrief International", Decimal("1.80"))
STANDARD = ("STANDARD", "Standardbrief International", Decimal("1.25"))


def letter(
    number: int, lists: Sequence[int], product: tuple[str, str, Decimal] = STANDARD
) -> Letter:
    """A planned letter of these lists, one sheet each, 15 g."""
    code, name, price = product
    return Letter(number, tuple(lists), len(lists), 15.0, code, name, price, 1.0)


def postage_plan(
    letters: Sequence[Letter], stamps: Sequence[tuple[str, int]] | None = None
) -> PostagePlan:
    """The plan of these letters in DL envelopes at the 2026 prices, as the planner returns it.

    Without ``stamps``, one stamp of its price per letter.
    """
    if stamps is None:
        counted = Counter(str(item.price_eur) for item in letters)
        stamps = sorted(counted.items(), key=lambda item: Decimal(item[0]), reverse=True)
    return PostagePlan(
        envelopes=tuple(letters),
        table=PriceTable(dt.date(2026, 1, 1), dt.date(2026, 12, 31), "verified", "Preisliste", {}),
        envelope_format=bundled_envelope_data().by_code("DL"),
        total_eur=sum((item.price_eur for item in letters), Decimal("0.00")),
        stamps=tuple((Decimal(value), count) for value, count in stamps),
        warnings=(),
    )


# --- batches: the Batch model every writer takes, built without a run ---------------------------


def make_signer(origin: str, name: str = "Testperson, Erika", key: str | None = None) -> Signer:
    """An invented signer; the key is made from the origin unless given."""
    return Signer(origin, name, ("Beispielweg 1", "12345 Musterstadt"), key or f"key:{origin}")


def make_page(number: int, signers: Sequence[Signer]) -> Page:
    """A petition list of these signers, the remaining rows blank."""
    return Page(number, (*signers, *(None,) * (ROWS_PER_LIST - len(signers))))


def make_batch(
    pages: Sequence[Page],
    *,
    name: str = "2026-11-20-1",
    prepared_on: dt.date = dt.date(2026, 11, 20),
    rejected: Sequence[RowNote] = (),
    duplicates: Sequence[DuplicateRow] = (),
    previously_listed: Sequence[ListedRow] = (),
    warnings: Sequence[RowNote] = (),
    blank: int = 0,
    letters: Sequence[Letter] | None = None,
    names: bool = False,
    campaign_name: str | None = None,
    deadline: dt.date = dt.date(2026, 12, 20),
    transit_days: int = 14,
) -> Batch:
    """A batch of these lists, accounted for, packed by the real postage plan unless
    ``letters`` are given (then at the 2026 prices, a stamp per letter)."""
    signers = tuple(s for p in pages for s in p.signers)
    if letters is None:
        plan = plan_envelopes([p.number for p in pages], mail_date=prepared_on)
    else:
        plan = postage_plan(letters)
    campaign = load_campaign("xuar", ROOT)
    campaign = dataclasses.replace(campaign, name=campaign_name or campaign.name, deadline=deadline)
    accounting = Accounting(
        rows=len(signers) + len(rejected) + len(duplicates) + len(previously_listed) + blank,
        blank=blank,
        signers=signers,
        duplicates=tuple(duplicates),
        rejected=tuple(rejected),
        warnings=tuple(warnings),
        previously_listed=tuple(previously_listed),
    )
    return Batch(
        name=name,
        prepared_on=prepared_on,
        campaign=campaign,
        inputs=("inputs/test.xlsx",),
        accounting=accounting,
        pages=tuple(pages),
        plan=plan,
        post=PostOptions(),
        label=label_product("3422"),
        addressee=campaign.addressee,
        transit_days=transit_days,
        names=names,
    )


class Recorded(NamedTuple):
    """A batch as a run records it: where it goes, and where it is built until then."""

    batch: Batch
    folder: Path
    staging: Path


def batch_record(
    name: str,
    folder: Path,
    signers: int,
    envelope_of: Sequence[int],
    prepared_on: str = "2026-11-27",
    *,
    keys: str = "k",
    reprint: bool = False,
) -> Recorded:
    """A batch of ``signers`` keys k1, k2, ... (``keys`` names them otherwise) on lists of
    five; list n goes into envelope ``envelope_of[n - 1]``. Deadline 2026-12-31, 21 days in
    transit: mail by 2026-12-10. Two batches with the same keys need ``reprint`` on the
    second: a key is on one active list of a campaign, except for a reprint."""
    numbered = [(n, f"{keys}{n}") for n in range(1, signers + 1)]
    chunks = [numbered[i : i + 5] for i in range(0, len(numbered), 5)]
    pages = [
        make_page(number, [make_signer(f"inputs/l.csv:l:{n + 1}", key=k) for n, k in chunk])
        for number, chunk in enumerate(chunks, 1)
    ]
    lists_of: dict[int, list[int]] = {}
    for number, envelope in enumerate(envelope_of, 1):
        lists_of.setdefault(envelope, []).append(number)
    letters = [
        Letter(number, tuple(lists_of.get(number, ())), 1, 10.0, "standard",
               "Standardbrief International", Decimal("1.25"), 0.3)
        for number in sorted(set(envelope_of))
    ]  # fmt: skip
    batch = make_batch(
        pages,
        name=name,
        prepared_on=dt.date.fromisoformat(prepared_on),
        letters=letters,
        deadline=dt.date(2026, 12, 31),
        transit_days=21,
    )
    batch = dataclasses.replace(batch, reprint=reprint)
    return Recorded(batch, folder / name, folder / f".{name}.pid1.x.partial")


def listed_keys(ledger: Ledger, keys: Sequence[str], campaign: str = "xuar") -> dict[str, str]:
    """Return which of these identity keys the campaign's lists already have (key -> batch)."""
    signers = [make_signer(f"x:S:{n}", key=key) for n, key in enumerate(keys)]
    return dict(ledger.listed(campaign, signers).by_identity)


def record_batches(path: Path | LedgerLocation, *batches: Recorded) -> None:
    """Make the ledger at ``path`` (if need be) and record these batches in it."""
    ledger = open_ledger(path)
    assert ledger is not None
    try:
        with ledger.exclusive():
            for recorded in batches:
                ledger.record_batch(*recorded)
    finally:
        ledger.close()


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Skip LibreOffice tests where it is missing, but fail them where CI requires it."""
    if item.get_closest_marker("soffice") is None:
        return
    missing = [tool for tool in ("soffice", "pdftotext", "pdfinfo") if not shutil.which(tool)]
    if not missing:
        return
    message = f"needs {', '.join(missing)} (install LibreOffice and poppler-utils: scripts/setup)"
    if os.environ.get("PETITION_MERGE_REQUIRE_SOFFICE"):
        pytest.fail(message)
    pytest.skip(message)


def batch_dirs(project: Path) -> list[Path]:
    """The batch folders in the project's outputs/, by name."""
    outputs = project / "outputs"
    return sorted(p for p in outputs.iterdir() if p.is_dir()) if outputs.exists() else []


@pytest.fixture
def example(project: Path) -> Path:
    """The project with the invented example of inputs/ in its inputs folder."""
    shutil.rmtree(project / "inputs")
    shutil.copytree(ROOT / "inputs", project / "inputs")
    return project


@pytest.fixture(autouse=True)
def _english_unless_a_test_says_otherwise(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run every test in English (its assertions are English) unless it sets the language.

    German is the default for users; the tests of German set PETITION_MERGE_LANG or --lang.
    """
    from merge import i18n

    monkeypatch.setenv("PETITION_MERGE_LANG", "en")
    i18n.activate("en")


@pytest.fixture(scope="session", autouse=True)
def _settings_of_the_tests(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Keep this computer's id (merge.track.machine) in a folder of the tests, not in the
    settings of the user who runs them; processes the tests start inherit it."""
    before = os.environ.get("XDG_CONFIG_HOME")
    os.environ["XDG_CONFIG_HOME"] = str(tmp_path_factory.mktemp("settings"))
    yield
    if before is None:
        os.environ.pop("XDG_CONFIG_HOME", None)
    else:
        os.environ["XDG_CONFIG_HOME"] = before


def another_computer(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """Act as another computer from now on: its own settings folder, so its own id."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(folder))


# --- the ledger on both back ends: an SQLite file, and a PostgreSQL database ------------------

# An invented organisation secret (merge.track.keys), the same for every test.
TEST_SECRET = "0123456789abcdef" * 4


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[Any]:
    """A PostgreSQL server for the session (tests/postgres_server.py): the one
    PETITION_MERGE_TEST_POSTGRES names (``restart_immediately`` None), else a throwaway one.

    Skipped where PostgreSQL is not installed, except where CI requires it
    (PETITION_MERGE_REQUIRE_POSTGRES=1): there it fails.
    """
    from postgres_server import REQUIRE_VARIABLE, URL_VARIABLE, Given, binaries, throwaway_server

    try:
        import psycopg  # noqa: F401
    except ImportError:
        message = "needs psycopg (pip install -e '.[postgres]': scripts/setup)"
        if os.environ.get(REQUIRE_VARIABLE):
            pytest.fail(message)
        pytest.skip(message)
    given = os.environ.get(URL_VARIABLE)
    if given:
        yield Given(given)
        return
    bin_dir = binaries()
    if bin_dir is None:
        message = "needs PostgreSQL's initdb and pg_ctl (apt-get install postgresql: scripts/setup)"
        if os.environ.get(REQUIRE_VARIABLE):
            pytest.fail(message)
        pytest.skip(message)
    with throwaway_server(bin_dir) as server:
        yield server


@pytest.fixture(scope="session")
def postgres_admin(postgres_server: Any) -> str:
    """The admin URL of the session's PostgreSQL server (its user may create databases)."""
    url: str = postgres_server.url
    return url


_databases = itertools.count(1)


@pytest.fixture
def postgres_ledger(
    postgres_admin: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[LedgerLocation]:
    """A fresh database on the test server as --ledger names it, the organisation secret set."""
    import psycopg

    name = f"ledger_{os.getpid()}_{next(_databases)}"
    with psycopg.connect(postgres_admin, autocommit=True) as db:
        db.execute(f'CREATE DATABASE "{name}"')
    monkeypatch.setenv(SECRET_VARIABLE, TEST_SECRET)
    parts = urlsplit(postgres_admin)
    yield ledger_location(urlunsplit(parts._replace(path=f"/{name}")), Path.cwd())
    with psycopg.connect(postgres_admin, autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def ledger_at(request: pytest.FixtureRequest, tmp_path: Path) -> LedgerLocation:
    """Where a test's ledger is: an SQLite file in tmp_path, then a PostgreSQL database."""
    if request.param == "sqlite":
        return LedgerLocation.file(tmp_path / "ledger.sqlite")
    location: LedgerLocation = request.getfixturevalue("postgres_ledger")
    return location


# A PostgreSQL database's tables (none: a database without a ledger); an SQLite ledger is a file.
TABLES = "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"


def ledger_sql(where: LedgerLocation, sql: str, args: Sequence[Any] = ()) -> list[Any]:
    """Run one statement on a ledger's database as another program would; return its rows."""
    if where.path is not None:
        import sqlite3
        from contextlib import closing

        with closing(sqlite3.connect(where.path)) as db, db:
            return db.execute(sql, args).fetchall()
    import psycopg

    assert where.url is not None
    with psycopg.connect(where.url, autocommit=True) as db:
        cursor = db.execute(sql.replace("?", "%s"), args)
        return cursor.fetchall() if cursor.description else []
