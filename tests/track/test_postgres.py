"""The PostgreSQL ledger: keyed keys, its lock across connections, lost connections, claims."""

import datetime as dt
import hmac
import threading
from pathlib import Path

import pytest
from conftest import TEST_SECRET, batch_record, ledger_sql, listed_keys, record_batches

from merge.errors import LedgerError
from merge.track import postgres
from merge.track.keys import SECRET_VARIABLE
from merge.track.ledger import Ledger, open_ledger
from merge.track.where import LedgerLocation, ledger_location

pytestmark = pytest.mark.postgres
psycopg = pytest.importorskip("psycopg")
TODAY = dt.date(2026, 12, 31)


def opened(where: LedgerLocation) -> Ledger:
    ledger = open_ledger(where)
    assert ledger is not None
    return ledger


def test_keys_are_stored_keyed_with_the_secret_never_as_made(
    postgres_ledger: LedgerLocation, tmp_path: Path
) -> None:
    record_batches(postgres_ledger, batch_record("b", tmp_path, 5, [1]))
    stored = {row[0] for row in ledger_sql(postgres_ledger, "SELECT key FROM signers")}
    expected = {
        hmac.digest(TEST_SECRET.encode(), f"identity|k{n}".encode(), "sha256").hex()
        for n in range(1, 6)
    }
    assert stored == expected
    ledger = opened(postgres_ledger)
    try:
        assert listed_keys(ledger, ["k1", "k5", "k6"]) == {"k1": "b", "k5": "b"}
    finally:
        ledger.close()


def test_another_secret_is_refused_instead_of_printing_everyone_again(
    postgres_ledger: LedgerLocation, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    record_batches(postgres_ledger, batch_record("b", tmp_path, 5, [1]))
    monkeypatch.setenv(SECRET_VARIABLE, "f" * 64)
    with pytest.raises(LedgerError) as info:
        open_ledger(postgres_ledger)
    assert str(info.value).startswith(
        f"{postgres_ledger}: the ledger secret is not the one this ledger's keys were made with"
    )


def test_a_key_is_claimed_once_per_campaign_unless_discarded_or_reprinted(
    postgres_ledger: LedgerLocation, tmp_path: Path
) -> None:
    record_batches(postgres_ledger, batch_record("b-1", tmp_path, 10, [1, 2]))
    ledger = opened(postgres_ledger)
    try:
        with pytest.raises(LedgerError) as info, ledger.exclusive():
            ledger.record_batch(*batch_record("b-2", tmp_path, 5, [1]))
        assert str(info.value) == (
            f"{postgres_ledger}: nothing was recorded (a signer of this batch is already on a "
            "list of the campaign) - run again: the next run leaves them out"
        )
        assert [b.name for b in ledger.batches()] == ["b-1"]
        with ledger.exclusive():  # a reprint claims nothing that is claimed
            ledger.record_batch(*batch_record("b-3", tmp_path, 5, [1], reprint=True))
        with ledger.exclusive():  # a discarded envelope gives its claims up
            ledger.set_envelope_state("b-1", 1, "discarded", changed_on=TODAY)
            ledger.set_envelope_state("b-1", 2, "discarded", changed_on=TODAY)
            ledger.record_batch(*batch_record("b-4", tmp_path, 10, [1, 2]))
    finally:
        ledger.close()
    claims = "SELECT batch, COUNT(*) FROM signers WHERE claimed_in = 'xuar' GROUP BY batch"
    assert ledger_sql(postgres_ledger, claims) == [("b-4", 10)]


def test_the_lock_is_held_across_connections_and_the_wait_announced(
    postgres_ledger: LedgerLocation, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger = opened(postgres_ledger)
    assert postgres_ledger.url is not None
    holder = psycopg.connect(postgres_ledger.url)  # another run, on another machine
    waits: list[str] = []
    try:
        holder.execute("SELECT pg_advisory_xact_lock(%s)", (postgres.LOCK_KEY,))
        monkeypatch.setattr(postgres, "WAIT_SECONDS", 0)
        with pytest.raises(LedgerError) as info, ledger.exclusive(lambda: waits.append("w")):
            pass
        assert waits == ["w"]
        assert str(info.value) == (
            f"{postgres_ledger}: another petition-merge run has held the ledger for over "
            "0 minutes - wait for it to finish and run again"
        )
        monkeypatch.setattr(postgres, "WAIT_SECONDS", 30)
        released = threading.Timer(0.5, holder.rollback)
        released.start()
        with ledger.exclusive(lambda: waits.append("w")):
            pass  # granted once the other run is done
        released.join()
        assert waits == ["w", "w"]
    finally:
        holder.close()
        ledger.close()


def test_a_connection_lost_mid_batch_records_nothing_in_one_line(
    postgres_ledger: LedgerLocation, postgres_admin: str, tmp_path: Path
) -> None:
    ledger = opened(postgres_ledger)
    try:
        with pytest.raises(LedgerError) as info, ledger.exclusive():
            ledger.record_batch(*batch_record("b", tmp_path, 10, [1, 2]))
            with psycopg.connect(postgres_admin, autocommit=True) as admin:
                admin.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE application_name = 'petition-merge'"
                )
            ledger.has_batch("b")  # the next statement finds the connection gone
        message = str(info.value)
        assert message == (
            f"{postgres_ledger}: nothing was recorded (the connection to the server was lost) "
            "- run again once the server is reachable"
        )
    finally:
        ledger.close()
    again = opened(postgres_ledger)
    try:
        assert again.batches() == []
    finally:
        again.close()


def test_a_server_that_cannot_be_reached_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SECRET_VARIABLE, TEST_SECRET)
    where = ledger_location("postgresql://anna@127.0.0.1:1/petition", Path.cwd())
    with pytest.raises(LedgerError) as info:
        open_ledger(where)
    assert str(info.value) == (
        "postgresql://anna@127.0.0.1:1/petition: cannot connect to the ledger's server "
        "(Connection refused) - check the URL, that the server runs and that it lets this "
        "user in"
    )


def test_a_database_that_does_not_exist_says_how_to_make_it(
    postgres_admin: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(SECRET_VARIABLE, TEST_SECRET)
    where = ledger_location(postgres_admin.rsplit("/", 1)[0] + "/keine", Path.cwd())
    with pytest.raises(LedgerError) as info:
        open_ledger(where)
    assert str(info.value).endswith(
        '(database "keine" does not exist) - create the database (createdb NAME) or correct the URL'
    )
