import datetime as dt
import os
import stat
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import (
    TABLES,
    batch_record,
    ledger_sql,
    listed_keys,
    make_batch,
    make_page,
    make_signer,
    record_batches,
)

from merge.batch.model import Batch
from merge.errors import LedgerError
from merge.post.plan import Letter
from merge.track.ledger import Ledger, open_ledger, parse_envelope_spec
from merge.track.where import LedgerLocation

TODAY = dt.date(2026, 12, 31)  # the day the tracking commands run


def record(name: str, keys: list[str]) -> Batch:
    """A batch of these signer keys, five to a list; lists 1-2 in letter 1, the rest in 2."""
    chunks = [keys[i : i + 5] for i in range(0, len(keys), 5)]
    pages = [
        make_page(n, [make_signer(f"f:S:{i}", key=k) for i, k in enumerate(chunk)])
        for n, chunk in enumerate(chunks, start=1)
    ]
    letters = [
        Letter(1, tuple(range(1, min(2, len(pages)) + 1)), 2, 15.0, "kompakt",
               "Kompaktbrief International", Decimal("1.80"), 0.6),
        Letter(2, tuple(range(3, len(pages) + 1)), 1, 10.0, "standard",
               "Standardbrief International", Decimal("1.25"), 0.3),
    ]  # fmt: skip
    return make_batch(
        pages, name=name, letters=letters, deadline=dt.date(2026, 12, 31), transit_days=21
    )


def record_batch(ledger: Ledger, name: str, keys: list[str], tmp_path: Path) -> None:
    ledger.record_batch(record(name, keys), tmp_path / name, tmp_path / f".{name}.partial")


def test_new_ledger_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    ledger = open_ledger(tmp_path / "sub" / "ledger.sqlite")
    assert ledger is not None
    ledger.close()
    if os.name == "posix":
        assert stat.S_IMODE((tmp_path / "sub" / "ledger.sqlite").stat().st_mode) == 0o600


def test_missing_ledger_is_not_created_without_create(ledger_at: LedgerLocation) -> None:
    assert open_ledger(ledger_at, create=False) is None
    assert not ledger_at.exists() or not ledger_sql(ledger_at, TABLES)


def test_recorded_signers_are_listed_until_their_envelope_is_discarded(
    ledger_at: LedgerLocation, tmp_path: Path
) -> None:
    ledger = open_ledger(ledger_at)
    assert ledger is not None
    keys = [f"k{n}" for n in range(12)]
    with ledger.exclusive():
        record_batch(ledger, "2026-11-27-1", keys, tmp_path)
    assert listed_keys(ledger, ["k0", "k11", "other"]) == {
        "k0": "2026-11-27-1",
        "k11": "2026-11-27-1",
    }
    with ledger.exclusive():
        ledger.set_envelope_state("2026-11-27-1", 2, "discarded", changed_on=TODAY)
    assert listed_keys(ledger, keys) == {k: "2026-11-27-1" for k in keys[:10]}  # lists 1-2 stay
    with ledger.exclusive():
        ledger.set_envelope_state(
            "2026-11-27-1", 1, "mailed", dt.date(2026, 11, 28), "Anna", changed_on=TODAY
        )
    summary = ledger.batch("2026-11-27-1")
    assert (summary.count("mailed"), summary.count("discarded")) == (1, 1)
    assert (summary.count("mailed", "signers"), summary.count("discarded", "lists")) == (10, 1)
    assert summary.latest_safe_mailing == dt.date(2026, 12, 10)
    ledger.close()


def test_an_exception_inside_exclusive_leaves_the_ledger_as_it_was(
    ledger_at: LedgerLocation, tmp_path: Path
) -> None:
    ledger = open_ledger(ledger_at)
    assert ledger is not None
    with pytest.raises(RuntimeError), ledger.exclusive():
        record_batch(ledger, "b", ["k1"], tmp_path)
        raise RuntimeError("power cut")
    assert ledger.batches() == []
    assert listed_keys(ledger, ["k1"]) == {}
    ledger.close()


def test_unknown_batch_names_the_known_ones(ledger_at: LedgerLocation, tmp_path: Path) -> None:
    ledger = open_ledger(ledger_at)
    assert ledger is not None
    with ledger.exclusive():
        record_batch(ledger, "2026-11-27-1", ["k"], tmp_path)
    with pytest.raises(LedgerError, match=r"no batch '2026-11-28-1'.*known batches: 2026-11-27-1"):
        ledger.batch("2026-11-28-1")
    ledger.close()


def test_parse_envelope_spec() -> None:
    assert parse_envelope_spec("2026-11-27-1") == ("2026-11-27-1", None)
    assert parse_envelope_spec("2026-11-27-1:3") == ("2026-11-27-1", ((3, 3),))
    assert parse_envelope_spec("2026-11-27-1:1-3,5") == ("2026-11-27-1", ((1, 3), (5, 5)))
    with pytest.raises(LedgerError, match="the range '3-1' runs backwards - write it as 1-3"):
        parse_envelope_spec("b:3-1")
    with pytest.raises(LedgerError, match="'drei' is not an envelope number"):
        parse_envelope_spec("2026-11-27-1:drei")


def test_a_file_that_is_not_a_ledger_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite"
    path.write_text("this is not a database " * 100)
    with pytest.raises(LedgerError, match="the ledger cannot be used"):
        open_ledger(path)


def test_a_ledger_from_a_newer_version_is_refused(ledger_at: LedgerLocation) -> None:
    ledger = open_ledger(ledger_at)
    assert ledger is not None
    ledger.close()
    ledger_sql(ledger_at, "UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(LedgerError) as info:
        open_ledger(ledger_at)
    assert str(info.value) == (
        f"{ledger_at}: was written by a newer petition-merge (ledger version 99) - "
        "update petition-merge"
    )


def _opened(where: LedgerLocation) -> Ledger:
    ledger = open_ledger(where)
    assert ledger is not None
    return ledger


def test_listed_names_the_earliest_batch_and_forgets_discarded_envelopes(
    ledger_at: LedgerLocation, tmp_path: Path
) -> None:
    path = ledger_at
    record_batches(
        path,
        batch_record("2026-11-28-1", tmp_path, 10, [1, 2], prepared_on="2026-11-28"),
        batch_record("2026-11-27-1", tmp_path, 5, [1], reprint=True),
    )
    ledger = _opened(path)
    try:
        assert listed_keys(ledger, ["k1", "k6", "k99"]) == {
            "k1": "2026-11-27-1",
            "k6": "2026-11-28-1",
        }
        with ledger.exclusive():
            ledger.set_envelope_state("2026-11-27-1", 1, "discarded", changed_on=TODAY)
            ledger.set_envelope_state(
                "2026-11-28-1", 2, "mailed", dt.date(2026, 11, 30), "Anna", changed_on=TODAY
            )
        assert listed_keys(ledger, ["k1", "k6"]) == {"k1": "2026-11-28-1", "k6": "2026-11-28-1"}
        assert [b.name for b in ledger.batches()] == ["2026-11-27-1", "2026-11-28-1"]  # by date
        mailed = ledger.batch("2026-11-28-1").envelopes[1]
        assert (mailed.state, mailed.mailed_on, mailed.mailed_by) == (
            "mailed",
            dt.date(2026, 11, 30),
            "Anna",
        )
        assert (mailed.lists, mailed.signers) == (1, 5)
    finally:
        ledger.close()


def test_forget_origins_keeps_keys_and_counts_only(
    ledger_at: LedgerLocation, tmp_path: Path
) -> None:
    path = ledger_at
    record_batches(path, batch_record("b", tmp_path, 5, [1]))
    ledger = _opened(path)
    try:
        with ledger.exclusive():
            ledger.set_envelope_state(
                "b", 1, "mailed", dt.date(2026, 11, 30), "Anna", changed_on=TODAY
            )
            ledger.forget_origins("b", dt.date(2027, 1, 15))
        summary = ledger.batch("b")
        assert summary.purged_on == dt.date(2027, 1, 15)
        assert (summary.envelopes[0].mailed_by, summary.count("mailed", "signers")) == (None, 5)
        assert listed_keys(ledger, ["k1"]) == {"k1": "b"}  # still nobody twice
    finally:
        ledger.close()
    assert ledger_sql(path, "SELECT DISTINCT origin FROM signers") == [(None,)]


def test_unfinished_renames_are_batches_whose_staging_waits_for_its_folder(
    ledger_at: LedgerLocation, tmp_path: Path
) -> None:
    path = ledger_at
    waiting, done, lost = (batch_record(n, tmp_path, 5, [1], keys=n) for n in ("b-1", "b-2", "b-3"))
    waiting.staging.mkdir()
    done.staging.mkdir()
    done.folder.mkdir()  # renamed already (a staging left beside it is stale)
    record_batches(path, waiting, done, lost)  # lost: neither folder nor staging
    ledger = _opened(path)
    try:
        assert ledger.unfinished_renames() == [("b-1", waiting.staging, waiting.folder)]
    finally:
        ledger.close()
