"""The ledger on a PostgreSQL server, one for all the groups of an organisation (psycopg 3).

Nobody twice across machines: a run's transaction takes the ledger's advisory lock
(``pg_advisory_xact_lock``) before it asks who is already listed, and holds it until its
batch is committed, so runs on different machines take turns as runs on one laptop do with
SQLite's write lock (the second says it waits, then leaves the first one's signers out).
The transaction is READ COMMITTED on purpose: each lookup made after the lock was granted
sees every batch committed before (a REPEATABLE READ snapshot would be taken before the wait).
The unique index on claimed keys (:mod:`merge.track.schema`, version 3) backs the lock up:
were two runs ever to list one signer at once, the second one's insert fails whole.

A lost connection (the network, a server restart) in the middle of a transaction leaves
nothing recorded: the server rolls back what was not committed, and the run's staging folder
is removed. A connection lost during the COMMIT itself leaves open whether the batch was
recorded: the staging folder is kept, and the next run moves it into place if the ledger has
the batch, or removes it if not (:mod:`merge.batch.staging`).

The password is never part of the URL (:mod:`merge.track.where`): libpq reads it from
~/.pgpass, PGPASSFILE, PGPASSWORD or a service. libpq's complaints name the server and the
user, never a password.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from merge.errors import LedgerError
from merge.i18n import N_, _, ngettext
from merge.lists.accounting import Listed
from merge.track.keys import KeyedKeys, organisation_secret
from merge.track.ledger import BatchSummary
from merge.track.schema import POSTGRES, SCHEMA_VERSION, bring_up_to_date, schema_version
from merge.track.sql_ledger import (
    ACTIVE,
    CANNOT_USE,
    CLAIMED_TWICE,
    NOT_RECORDED,
    RUN_AGAIN,
    Row,
    SQLLedger,
)
from merge.track.where import LedgerLocation

if TYPE_CHECKING:
    import psycopg

    from merge.lists.signer import Signer

WAIT_SECONDS = 600  # how long a run waits for another run that holds the ledger
CONNECT_SECONDS = 10  # unless the URL says otherwise (connect_timeout)
LOCK_KEY = int.from_bytes(b"petition", "big")  # the ledger's advisory lock, one per database
_SECRET_CHECK = "secret_check"  # meta's key of the secret's check value (merge.track.keys)


class PostgresLedger(SQLLedger):
    """The ledger in a PostgreSQL database; open it with :func:`merge.track.ledger.open_ledger`."""

    dialect = POSTGRES

    def __init__(
        self, connection: psycopg.Connection[Any], location: LedgerLocation, keys: KeyedKeys
    ) -> None:
        self._db = connection
        self.location = location
        self.keys = keys
        self._in_transaction = False  # errors go to exclusive(), which knows what was lost

    def close(self) -> None:
        import psycopg

        with suppress(psycopg.Error):
            self._db.close()

    # --- transactions -------------------------------------------------------------------

    @contextmanager
    def exclusive(self, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
        """Hold the ledger's lock for a block: commit at its end, roll back on any exception."""
        import psycopg

        self._begin(on_wait)
        self._in_transaction = True
        try:
            yield
        except BaseException as err:
            self._in_transaction = False
            self._roll_back()
            if isinstance(err, psycopg.Error):
                raise _error(self.location, err, NOT_RECORDED) from err
            raise
        self._in_transaction = False
        try:
            self._db.execute("COMMIT")
        except psycopg.Error as err:
            self._roll_back()
            if _connection_lost(err):
                raise LedgerError(
                    _(
                        "{path}: the connection to the server was lost while the batch was "
                        "being committed, so it may or may not be recorded - run `petition-merge "
                        "status` once the server is reachable: the next run moves a recorded "
                        "batch into place and removes one that was not"
                    ).format(path=self.location)
                ) from err
            raise _error(self.location, err, NOT_RECORDED) from err

    def _begin(self, on_wait: Callable[[], None] | None) -> None:
        import psycopg

        try:
            self._db.execute("BEGIN ISOLATION LEVEL READ COMMITTED")
            if not _value(self._db, "SELECT pg_try_advisory_xact_lock(%s)", (LOCK_KEY,)):
                if on_wait is not None:
                    on_wait()
                wait = max(1, WAIT_SECONDS * 1000)  # 0 would be no limit at all
                self._db.execute(f"SET LOCAL lock_timeout = {wait}")
                self._db.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_KEY,))
                self._db.execute("SET LOCAL lock_timeout = 0")
        except psycopg.errors.LockNotAvailable as err:
            self._roll_back()
            minutes = WAIT_SECONDS // 60
            raise LedgerError(
                ngettext(
                    "{path}: another petition-merge run has held the ledger for over "
                    "{n} minute - wait for it to finish and run again",
                    "{path}: another petition-merge run has held the ledger for over "
                    "{n} minutes - wait for it to finish and run again",
                    minutes,
                ).format(path=self.location, n=minutes)
            ) from err
        except psycopg.Error as err:
            self._roll_back()
            raise _error(self.location, err, NOT_RECORDED) from err

    def _roll_back(self) -> None:
        """Roll back what is still open; the error that led here is the one to report (after a
        lost connection there is nothing to roll back: the server has)."""
        import psycopg

        with suppress(psycopg.Error):
            if not self._db.closed:
                self._db.execute("ROLLBACK")

    @contextmanager
    def _snapshot(self) -> Iterator[None]:
        """Read several statements from one snapshot (status: a batch with its envelopes)."""
        import psycopg

        if self._in_transaction:
            yield
            return
        try:
            self._db.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            # Counting a batch of 100 000 signers per envelope sorts them: in memory, not on
            # disk as the default 4 MB would (three times slower).
            self._db.execute("SET LOCAL work_mem = '64MB'")
        except psycopg.Error as err:
            raise _error(self.location, err) from err
        self._in_transaction = True
        try:
            yield
        except psycopg.Error as err:
            raise _error(self.location, err) from err
        finally:
            self._in_transaction = False
            self._roll_back()  # it only read

    # --- runs ---------------------------------------------------------------------------

    def listed(self, campaign: str, signers: Iterable[Signer]) -> Listed:
        """Return who of ``signers`` the campaign's prepared or mailed lists already have.

        The server is asked for this run's keys only (a national ledger is not read whole),
        keyed as stored; the answer is mapped back to the signers' own keys.
        """
        identity, short = self.keys.identity, self.keys.short
        keys: dict[str, str] = {}
        names: dict[int, int] = {}
        sounds: dict[int, int] = {}
        for signer in signers:
            keys[identity(signer.key)] = signer.key
            if (name := short(b"name", signer.name_key)) is not None:
                names[name] = signer.name_key
            if (sound := short(b"sound", signer.sound_key)) is not None:
                sounds[sound] = signer.sound_key
        with self._snapshot():
            by_identity = self._found(campaign, "key", "text", keys)
            by_name = self._found(campaign, "name_key", "bigint", names)
            by_sound = self._found(campaign, "sound_key", "bigint", sounds)
        return Listed(by_identity, by_name, by_sound)

    def _found(self, campaign: str, column: str, kind: str, wanted: dict[Any, Any]) -> Any:
        """Map the signers' keys of ``wanted`` (stored -> own) found active to their batch."""
        found: dict[Any, str] = {}
        if not wanted:
            return found
        column_at = {"key": 0, "name_key": 1, "sound_key": 2}[column]
        for row in self._rows(
            ACTIVE + f" AND s.{column} = ANY(?::{kind}[]) ORDER BY s.batch",
            (campaign, list(wanted)),
        ):
            found.setdefault(wanted[row[column_at]], row[3])
        return found

    def _summaries(self, where: str, args: tuple[str, ...]) -> list[BatchSummary]:
        with self._snapshot():
            return super()._summaries(where, args)

    # --- what the shared statements need -----------------------------------------------

    def _day(self, value: Any) -> Any:
        return value  # a date: the server's DATE columns take it as it is

    def _rows(self, sql: str, args: Sequence[Any] = ()) -> list[Row]:
        import psycopg

        try:
            return self._db.execute(_pg(sql), args).fetchall()
        except psycopg.Error as err:
            if self._in_transaction:
                raise
            raise _error(self.location, err) from err

    def _run(self, sql: str, args: Sequence[Any] = ()) -> None:
        self._db.execute(_pg(sql), args)

    def _insert(self, table: str, columns: Sequence[str], rows: Iterable[Row]) -> None:
        """Insert many rows with COPY: a batch of 100 000 signers is one stream."""
        statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        with self._db.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)


@lru_cache(maxsize=128)
def _pg(sql: str) -> str:
    """Spell the shared statements' parameters as psycopg does (none of them holds a ``%``)."""
    return sql.replace("?", "%s")


def _value(connection: psycopg.Connection[Any], sql: str, args: Sequence[Any] = ()) -> Any:
    row = connection.execute(sql, args).fetchone()
    return row[0] if row else None


class _Target:
    """The connection as :mod:`merge.track.schema` migrates it."""

    def __init__(self, connection: psycopg.Connection[Any]) -> None:
        self._db = connection

    def run(self, sql: str, args: Sequence[Any] = ()) -> None:
        self._db.execute(_pg(sql), args)

    def first(self, sql: str, args: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        row: tuple[Any, ...] | None = self._db.execute(_pg(sql), args).fetchone()
        return row

    def has_table(self, name: str) -> bool:
        return _value(self._db, "SELECT to_regclass(%s) IS NOT NULL", (name,)) is True


def inspect_postgres(location: LedgerLocation) -> tuple[int | None, bool | None]:
    """Return the shared ledger's schema version (None: no tables yet) and whether the
    organisation's secret is the one its keys were made with (None: no keys yet), reading
    only: nothing is created, migrated or recorded (for ``doctor``)."""
    keys = KeyedKeys(organisation_secret(str(location)))
    with _connect(location, "petition-merge doctor") as connection:
        import psycopg  # there: _connect found it

        try:
            connection.read_only = True
            version = schema_version(_Target(connection))
            if version is None:
                return None, None
            found = _value(connection, "SELECT value FROM meta WHERE key = %s", (_SECRET_CHECK,))
            return version, None if found is None else found == keys.check
        except psycopg.Error as err:
            raise _cannot_connect(location, err) from err


def _connect(location: LedgerLocation, application: str) -> psycopg.Connection[Any]:
    """Connect to the ledger's server (autocommit), with the URL's connect_timeout or ours;
    a missing psycopg or a server that cannot be reached is one LedgerError line."""
    try:
        import psycopg
        from psycopg.conninfo import conninfo_to_dict, make_conninfo
    except ImportError:
        raise LedgerError(
            _(
                "{path}: a postgresql:// ledger needs psycopg, which is not installed - install "
                "it with pip install 'petition-merge[postgres]' (scripts/setup does)"
            ).format(path=location)
        ) from None
    assert location.url is not None
    extra: dict[str, Any] = {"application_name": application}
    if "connect_timeout" not in conninfo_to_dict(location.url):
        extra["connect_timeout"] = CONNECT_SECONDS
    try:
        return psycopg.connect(make_conninfo(location.url, **extra), autocommit=True)
    except psycopg.Error as err:
        raise _cannot_connect(location, err) from err


def open_postgres(location: LedgerLocation, create: bool = True) -> PostgresLedger | None:
    """Connect to the ledger's server (and with ``create`` make its tables).

    Without ``create`` a database without the ledger's tables gives None. The organisation's
    secret is needed before anything else: without it no key could be looked up.
    """
    keys = KeyedKeys(organisation_secret(str(location)))
    connection = _connect(location, "petition-merge")
    import psycopg  # there: _connect found it

    try:
        version = _migrate(connection, create)
        if version is None:
            connection.close()
            return None
        if version > SCHEMA_VERSION:
            raise LedgerError(
                _(
                    "{path}: was written by a newer petition-merge (ledger version {version}) - "
                    "update petition-merge"
                ).format(path=location, version=version)
            )
        _check_secret(connection, location, keys)
    except psycopg.Error as err:
        connection.close()
        raise _error(location, err) from err
    except BaseException:
        connection.close()
        raise
    return PostgresLedger(connection, location, keys)


def _migrate(connection: psycopg.Connection[Any], create: bool) -> int | None:
    """Create the tables, or bring an older ledger up to date, under the ledger's lock;
    return the schema version (None: no ledger there, and ``create`` not asked)."""
    target = _Target(connection)
    version = schema_version(target)
    if version is None and not create:
        return None
    if version is not None and version >= SCHEMA_VERSION:
        return version
    connection.execute("BEGIN")
    try:
        connection.execute(f"SET LOCAL lock_timeout = {max(1, WAIT_SECONDS * 1000)}")
        connection.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_KEY,))
        version = bring_up_to_date(target, POSTGRES)
    except BaseException:
        with suppress(Exception):
            connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")
    return version


def _check_secret(
    connection: psycopg.Connection[Any], location: LedgerLocation, keys: KeyedKeys
) -> None:
    """Refuse a secret other than the one the ledger's keys were made with (the first run
    that used the ledger keeps its check value)."""
    query = "SELECT value FROM meta WHERE key = %s"
    found = _value(connection, query, (_SECRET_CHECK,))
    if found is None:
        connection.execute(
            "INSERT INTO meta (key, value) VALUES (%s, %s) ON CONFLICT (key) DO NOTHING",
            (_SECRET_CHECK, keys.check),
        )
        found = _value(connection, query, (_SECRET_CHECK,))  # another run's, if it was first
    if found != keys.check:
        raise LedgerError(
            _(
                "{path}: the ledger secret is not the one this ledger's keys were made with - "
                "set the organisation's secret (ask the coordinator); with another one everybody "
                "would be printed again"
            ).format(path=location)
        )


def _cannot_connect(location: LedgerLocation, err: psycopg.Error) -> LedgerError:
    """Say why the server could not be reached, in libpq's words (they name no password)."""
    reason = _libpq_reason(str(err))
    if "password" in reason:
        fix = _(
            "keep the password in ~/.pgpass (or the file PGPASSFILE names), in PGPASSWORD or in "
            "a service (PGSERVICE)"
        )
    elif "database" in reason and "does not exist" in reason:
        fix = _("create the database (createdb NAME) or correct the URL")
    else:
        fix = _("check the URL, that the server runs and that it lets this user in")
    return LedgerError(
        _("{path}: cannot connect to the ledger's server ({reason}) - {fix}").format(
            path=location, reason=reason, fix=fix
        )
    )


def _libpq_reason(text: str) -> str:
    """Return the gist of libpq's message: 'role "x" does not exist', 'Connection refused'."""
    line = text.strip().splitlines()[0] if text.strip() else ""
    line = line.rpartition(" failed: ")[2] or line
    return re.sub(r"^(FATAL|ERROR):\s+", "", line).strip()


_LOST = N_("the connection to the server was lost")
_CHECK = N_(
    "check that the database holds a petition-merge ledger and that this user may write it; "
    "keep a backup before changing it"
)
# What went wrong, by SQLSTATE (or its class: the first two characters), and what to do.
_CAUSES = {
    "08": (_LOST, N_("run again once the server is reachable")),
    "57P": (_LOST, N_("run again once the server is reachable")),
    "23505": (CLAIMED_TWICE, RUN_AGAIN),
    "40001": (
        N_("another run changed the ledger at the same moment"),
        N_("run again"),
    ),
    "40P01": (
        N_("another run changed the ledger at the same moment"),
        N_("run again"),
    ),
    "42501": (
        N_("this user may not do that on the ledger's tables"),
        N_("ask the database's owner to grant the rights the README names"),
    ),
    "53": (
        N_("the server is out of disk space or memory"),
        N_("ask the server's administrator to free some, and run again"),
    ),
    "25006": (
        N_("the server only reads (a standby)"),
        N_("give --ledger the primary server"),
    ),
}


def _connection_lost(err: psycopg.Error) -> bool:
    import psycopg

    state = err.sqlstate or ""
    return (isinstance(err, psycopg.OperationalError) and not state) or state.startswith(
        ("08", "57P")
    )


def _error(location: LedgerLocation, err: psycopg.Error, what: str = CANNOT_USE) -> LedgerError:
    """Name the ledger, the real cause and what to do; the server's English text is not shown."""
    state = err.sqlstate or ""
    if _connection_lost(err):
        cause, fix = _CAUSES["08"]
    elif state == "23505" and getattr(err.diag, "constraint_name", None) != "signers_claimed":
        cause, fix = None, _CHECK  # a batch's name, taken under the lock: not a user's doing
    else:
        cause, fix = next(
            (found for code, found in _CAUSES.items() if state.startswith(code)),
            (None, _CHECK),
        )
    reason = _(cause) if cause else _("PostgreSQL error {code}").format(code=state or "?")
    return LedgerError(
        _("{path}: {problem} ({cause}) - {fix}").format(
            path=location, problem=_(what), cause=reason, fix=_(fix)
        )
    )
