"""Build real Batch objects for writer and ledger tests, without reading spreadsheets.

Invented names and origins only.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from conftest import ROOT

from merge.batch.model import Batch, PostOptions
from merge.campaign import load_campaign
from merge.lists.accounting import Accounting, DuplicateRow, RowNote
from merge.lists.paginate import ROWS_PER_LIST, Page
from merge.lists.signer import Signer
from merge.post.plan import Letter, plan_envelopes
from merge.render.label_products import label_product

PREPARED = date(2026, 11, 20)


def signer(origin: str, name: str = "Testperson, Erika", key: str | None = None) -> Signer:
    """An invented signer; the key is made from the origin unless given."""
    return Signer(origin, name, ("Beispielweg 1", "12345 Musterstadt"), key or f"key:{origin}")


def page(number: int, signers: Sequence[Signer]) -> Page:
    """A petition list of these signers, the remaining rows blank."""
    slots = (*signers, *(None,) * (ROWS_PER_LIST - len(signers)))
    return Page(number, tuple(slots))


def batch(
    pages: Sequence[Page],
    *,
    name: str = "2026-11-20-1",
    rejected: Sequence[RowNote] = (),
    duplicates: Sequence[DuplicateRow] = (),
    blank: int = 0,
    letters: Sequence[Letter] | None = None,
    names: bool = False,
    campaign_name: str | None = None,
    deadline: date = date(2026, 12, 20),
    transit_days: int = 14,
) -> Batch:
    """A batch of these lists, accounted for, packed by the real postage plan unless
    ``letters`` are given."""
    signers = tuple(s for p in pages for s in p.signers)
    plan = plan_envelopes([p.number for p in pages], mail_date=PREPARED)
    if letters is not None:
        counts: dict[Decimal, int] = {}
        for letter in letters:
            counts[letter.price_eur] = counts.get(letter.price_eur, 0) + 1
        plan = dataclasses.replace(
            plan,
            envelopes=tuple(letters),
            total_eur=sum((letter.price_eur for letter in letters), Decimal("0.00")),
            stamps=tuple(sorted(counts.items(), reverse=True)),
        )
    campaign = load_campaign("xuar", ROOT)
    campaign = dataclasses.replace(campaign, name=campaign_name or campaign.name, deadline=deadline)
    accounting = Accounting(
        rows=len(signers) + len(rejected) + len(duplicates) + blank,
        blank=blank,
        signers=signers,
        duplicates=tuple(duplicates),
        rejected=tuple(rejected),
    )
    return Batch(
        name=name,
        prepared_on=PREPARED,
        campaign=campaign,
        inputs=("inputs/stand.xlsx",),
        accounting=accounting,
        pages=tuple(pages),
        plan=plan,
        post=PostOptions(),
        label=label_product("3422"),
        addressee=campaign.addressee,
        transit_days=transit_days,
        names=names,
    )
