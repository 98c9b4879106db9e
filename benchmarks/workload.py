"""What the cases work on: invented signers in an .xlsx and the stage inputs made from them.

The signers are invented ("Testperson-123, Erika", "Beispielweg 123", "12345 Musterstadt";
about half with an umlaut or ß; never real people). The workbook is written by the test
corpus's writer (``tests/corpus/make_corpus.py``), so the reader gets shared strings as from a
spreadsheet program. From it, one helper process computes what ``run`` has computed by the time
it writes (accounting, lists, postage plan) and pickles it for the single stages.
"""

from __future__ import annotations

import datetime as dt
import functools
import pickle
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from merge.campaign import Campaign, load_campaign
from merge.lists import accounting, fit
from merge.lists.paginate import Page, paginate
from merge.post import plan as postage
from merge.post.plan import PostagePlan
from merge.read import rows as sources
from merge.render import petitions

REPOSITORY = Path(__file__).resolve().parent.parent
TODAY = dt.date(2025, 6, 2)  # fixed: the same postage prices and batch name on every run
BATCH = f"{TODAY.isoformat()}-1"  # the name run gives the first batch of the day
HEADER = ("Name", "Vorname", "Straße", "PLZ", "Ort")  # as in tests/conftest.py

_FIRST_NAMES = ("Erika", "Max", "Jürgen", "Anna", "Lukas", "Zoë", "Sophie", "Paul")
_STREETS = ("Beispielweg", "Musterstraße", "Am Probehof", "Übungsgasse")
_TOWNS = ("Musterstadt", "Beispielstadt", "Teststadt", "Übungshausen")


def signer_row(n: int) -> tuple[str, ...]:
    """Return invented signer number ``n``: last name, first name, street, postcode, town."""
    return (
        f"Testperson-{n}",
        _FIRST_NAMES[n % len(_FIRST_NAMES)],
        f"{_STREETS[n % len(_STREETS)]} {n}",
        f"{10000 + n % 90000:05d}",
        _TOWNS[(n // 2) % len(_TOWNS)],
    )


def write_signers_xlsx(path: Path, count: int, first: int = 1) -> None:
    """Write a header and ``count`` invented signers (numbers from ``first`` on) as an .xlsx,
    with the corpus's writer."""
    sys.path.insert(0, str(REPOSITORY / "tests"))
    from corpus.make_corpus import xlsx_bytes  # tests/ is not a package; openpyxl only here

    rows = [HEADER, *(signer_row(n) for n in range(first, first + count))]
    path.write_bytes(xlsx_bytes({"Unterschriften": rows}))


@dataclass(frozen=True)
class Prepared:
    """What ``run`` has computed by the time it writes, pickled once per size for the stages."""

    accounting: accounting.Accounting
    pages: tuple[Page, ...]
    plan: PostagePlan


def prepare(data: Path, size: int) -> None:
    """Write the signers of one size, and pickle the stages' inputs as ``run`` makes them."""
    data.mkdir(parents=True)
    xlsx = data / "signers.xlsx"
    write_signers_xlsx(xlsx, size)
    accounted = accounting.account_rows(sources.read_rows(xlsx, ignore), shipped_fit())
    if len(accounted.signers) != size:
        raise RuntimeError(f"{xlsx}: {len(accounted.signers)} signers read, {size} written")
    pages = tuple(paginate(accounted.signers))
    plan = postage.plan_envelopes([page.number for page in pages], mail_date=TODAY)
    with (data / "prepared.pickle").open("wb") as stream:
        pickle.dump(Prepared(accounted, pages, plan), stream, pickle.HIGHEST_PROTOCOL)


@functools.cache
def shipped_fit() -> fit.RowFit:
    """Return the fit check of the bundled template, as ``run`` derives it from the file."""
    from merge.render.template_check import ensure_template_ok

    campaign = load_campaign(None, Path(__file__).resolve().parent.parent)
    return fit.RowFit(ensure_template_ok(campaign.template, campaign))


def ignore(*_: object) -> None:
    """Take notes and progress reports and drop them: nobody reads them while timing."""


class Given:
    """A measurement's inputs; the pickled stage inputs are loaded only if a case asks."""

    def __init__(self, size: int, data: Path, out: Path) -> None:
        self.size = size
        self.xlsx = data / "signers.xlsx"
        self.pickle = data / "prepared.pickle"
        self.out = out

    @functools.cached_property
    def campaign(self) -> Campaign:
        return load_campaign(None, self.out)

    @functools.cached_property
    def prepared(self) -> Prepared:
        with self.pickle.open("rb") as stream:
            prepared: Prepared = pickle.load(stream)
        return prepared

    def render_lists(self, pages: Sequence[Page], out: Path, **options: Any) -> None:
        campaign = self.campaign
        petitions.render_petitions(campaign.template, campaign, pages, BATCH, out, **options)


@dataclass
class Outcome:
    """What a timed call produced; checked after the clock has stopped."""

    document: Path | None = None  # a lists .docx whose signer names are compared
    pdfs: tuple[Path, ...] = ()
    notes: tuple[str, ...] = ()


Call = Callable[[], Outcome]  # the call to time, made by a case's untimed setup
