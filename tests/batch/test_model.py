"""The Batch model: what every writer derives from it."""

import datetime as dt

from conftest import KOMPAKT, STANDARD, letter, make_batch, make_page, make_signer


def test_signers_envelopes_counts_and_the_latest_safe_day_come_from_one_batch() -> None:
    pages = [
        make_page(1, [make_signer(f"a.csv:a:{n}") for n in range(2, 7)]),
        make_page(2, [make_signer("a.csv:a:7"), make_signer("a.csv:a:8")]),
        make_page(3, []),  # a blank list for hand collection
    ]
    batch = make_batch(
        pages,
        letters=[letter(1, [1, 2], KOMPAKT), letter(2, [3], STANDARD)],
        blank=2,
        deadline=dt.date(2026, 12, 31),
        transit_days=21,
    )
    assert dict(batch.envelope_of) == {1: 1, 2: 1, 3: 2}
    assert [batch.signers_in(env) for env in batch.plan.envelopes] == [7, 0]
    assert batch.counts() == {
        "rows": 9,
        "blank": 2,
        "signers": 7,
        "duplicates": 0,
        "rejected": 0,
        "previously_listed": 0,
        "held": 0,
        "lists": 3,
    }
    assert batch.latest_safe_mailing == dt.date(2026, 12, 10)
