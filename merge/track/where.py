"""Where the ledger is: a file (SQLite, the default) or a PostgreSQL server shared by groups.

``--ledger`` takes a path or a ``postgresql://`` URL. The URL carries no password: it stays
in ~/.pgpass (or the file PGPASSFILE names), in PGPASSWORD or in a service (PGSERVICE), so
that it is never on a command line, in a shell's history or in a file petition-merge writes.
Every message names a server as ``postgresql://user@host:port/database``, never with the
rest of the URL, and a URL that cannot be read is refused without repeating it: libpq's own
complaint about a URL quotes parts of it, the password too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Union

from merge.errors import UsageError
from merge.i18n import _

DEFAULT_LEDGER = Path("outputs") / "ledger.sqlite"
SCHEMES = ("postgresql", "postgres")
_URL = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*)://")
# libpq's other way to name a server, "host=db port=5432 dbname=petition password=...": a
# word of its keys before an "=", at the start or after a space. Taken as a path it would
# become an SQLite file of that name, and a message naming the path would show the password.
_KEY_VALUE = re.compile(
    r"(?:^|\s)(?:host|hostaddr|port|dbname|user|password|passfile|service|sslmode|"
    r"connect_timeout|options|application_name|target_session_attrs)\s*=",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class LedgerLocation:
    """A ledger's file, or its server's URL (without a password), and how messages name it."""

    shown: str  # the path, or the URL masked: postgresql://user@host:port/database
    path: Path | None = None
    url: str | None = None

    def __str__(self) -> str:
        return self.shown

    @classmethod
    def file(cls, path: Path) -> LedgerLocation:
        return cls(str(path), path=path)

    @property
    def shared(self) -> bool:
        """True for a server's ledger, which several groups (and machines) use at once."""
        return self.url is not None

    def exists(self) -> bool:
        """Return whether the ledger's file exists; a server's ledger is asked when opened."""
        return self.path.exists() if self.path is not None else True


# --ledger as given: a path (relative to the working folder), a checked URL, or nothing.
LedgerOption = Union[Path, LedgerLocation, None]  # noqa: UP007 (a runtime alias for 3.11)


def parse_ledger(text: str) -> Path | LedgerLocation:
    """Read ``--ledger``: a path, or a ``postgresql://`` URL without a password.

    A libpq connection string (``host=... dbname=...``) is refused without repeating it.
    """
    match = _URL.match(text)
    if match is None and _KEY_VALUE.search(text):
        raise UsageError(
            _(
                "this is a PostgreSQL connection string (key=value), which petition-merge does "
                "not take - write postgresql://user@host:port/database, and keep the password "
                "in ~/.pgpass"
            )
        )
    if match is None:
        return Path(text)
    scheme = match.group(1)
    if scheme.casefold() not in SCHEMES:
        raise UsageError(
            _(
                "'{scheme}://' is not a ledger petition-merge can use - give a file path or a "
                "postgresql:// URL"
            ).format(scheme=scheme)
        )
    try:
        from psycopg import ProgrammingError
        from psycopg.conninfo import conninfo_to_dict
    except ImportError:
        raise UsageError(
            _(
                "a postgresql:// ledger needs psycopg, which is not installed - install it with "
                "pip install 'petition-merge[postgres]' (scripts/setup does)"
            )
        ) from None
    try:
        params = conninfo_to_dict(text)
    except ProgrammingError:
        raise UsageError(
            _(
                "this is not a URL PostgreSQL can read - write it as "
                "postgresql://user@host:port/database (special characters percent-encoded)"
            )
        ) from None
    if "password" in params:
        raise UsageError(
            _(
                "the URL holds a password - remove it, and keep the password in ~/.pgpass (or "
                "the file PGPASSFILE names), in PGPASSWORD or in a service (PGSERVICE)"
            )
        )
    return LedgerLocation(masked(params), url=text)


def masked(params: Mapping[str, object]) -> str:
    """Name a server as ``postgresql://user@host:port/database`` (and its service, if any)."""
    user = f"{params['user']}@" if params.get("user") else ""
    host = str(params.get("host") or "")
    port = f":{params['port']}" if params.get("port") else ""
    database = f"/{params['dbname']}" if params.get("dbname") else ""
    service = f"?service={params['service']}" if params.get("service") else ""
    return f"postgresql://{user}{host}{port}{database}{service}"


def ledger_location(given: str | LedgerOption, cwd: Path) -> LedgerLocation:
    """Return where the ledger is: ``--ledger`` as given, else outputs/ledger.sqlite in ``cwd``."""
    if isinstance(given, LedgerLocation):
        return given
    found = parse_ledger(given) if isinstance(given, str) else given or DEFAULT_LEDGER
    if isinstance(found, LedgerLocation):
        return found
    return LedgerLocation.file(found if found.is_absolute() else cwd / found)
