"""The Batch: one frozen model of everything a batch folder shows, taken by every writer.

After planning, a batch is the campaign, the accounting of every input row (with origins),
the lists, the postage plan and the print options. The documents, the dispatch checklist,
the post-office page, the manifest and the ledger record are all made from it, so they
cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import TYPE_CHECKING

from merge.campaign import Campaign
from merge.data import default_label_code
from merge.lists.accounting import Accounting
from merge.lists.paginate import Page
from merge.post.envelope_formats import default_envelope_code
from merge.post.plan import Letter, PostagePlan

if TYPE_CHECKING:
    from merge.render.label_products import LabelProduct


@dataclass(frozen=True)
class PostOptions:
    """How the lists are packed, franked and addressed; the defaults come from the data files."""

    labels: str = field(default_factory=default_label_code)  # label product code
    start_label: int = 1  # first free label on the first sheet
    label_offset_mm: tuple[float, float] = (0.0, 0.0)  # printer calibration, right/down
    return_labels: bool = False
    local_address: bool = False  # add the campaign's addressee_local lines above the Latin ones
    envelope: str = field(default_factory=default_envelope_code)  # a format's code, or "auto"
    window: bool = False  # window envelopes: print address sheets instead of envelopes
    per_envelope: int | None = None
    mail_date: dt.date | None = None  # None: the day of the run
    sheet_grams: float | None = None
    envelope_grams: float | None = None


@dataclass(frozen=True)
class Batch:
    """One batch of petition lists, as planned: what every file of its folder is made from."""

    name: str  # also the folder's name, e.g. "2026-11-27-1"
    prepared_on: dt.date
    campaign: Campaign
    inputs: tuple[str, ...]  # the files read, as messages name them
    accounting: Accounting  # where every input row went, by origin
    pages: tuple[Page, ...]
    plan: PostagePlan
    post: PostOptions
    label: LabelProduct  # the product of post.labels
    addressee: tuple[str, ...]  # the block on labels and envelopes
    transit_days: int
    names: bool = False  # signers' names in the dispatch checklist
    pdf: bool = True
    group: str = ""  # the local group that prepared it (a shared ledger shows it)
    reprint: bool = False  # signers printed again although an earlier batch has them

    @property
    def latest_safe_mailing(self) -> dt.date:
        """Return the campaign deadline minus the transit time."""
        return self.campaign.deadline - dt.timedelta(days=self.transit_days)

    @cached_property
    def envelope_of(self) -> MappingProxyType[int, int]:
        """Map each list number to the number of the letter it goes in (read-only)."""
        return MappingProxyType(
            {number: letter.number for letter in self.plan.envelopes for number in letter.lists}
        )

    def signers_in(self, letter: Letter) -> int:
        """Return how many signers the lists of one letter hold."""
        return sum(len(self._page(number).signers) for number in letter.lists)

    def _page(self, number: int) -> Page:
        return self.pages[number - 1]  # pages are numbered 1, 2, ... in order

    def counts(self) -> dict[str, int]:
        """Return how many rows went where, and how many lists were made."""
        return {**self.accounting.counts(), "lists": len(self.pages)}
