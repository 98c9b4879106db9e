"""The signer keys a ledger stores: as made (a file's ledger), or keyed with a secret (a server's).

A signer's keys are hashes of the normalised name and address (:mod:`merge.lists.duplicates`):
anyone who holds them and guesses a name and an address can check the guess. That is
acceptable in a file on the group's own laptop, not in a database a whole organisation
reaches. A shared ledger therefore stores HMAC-SHA256 of each key under an organisation
secret that is kept outside the database (an environment variable, or a file it names):
without the secret, the database's keys cannot be checked against any guess.

The secret is made once by the coordinator and given to every group:

    python -c "import secrets; print(secrets.token_hex(32))"

The ledger keeps a check value of the secret (an HMAC of a fixed text, which tells nothing
about it), so that a group with a wrong secret is refused instead of printing everyone again.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import stat
from pathlib import Path
from typing import Any

from merge.errors import LedgerError, os_reason
from merge.i18n import _

SECRET_VARIABLE = "PETITION_MERGE_LEDGER_SECRET"
SECRET_FILE_VARIABLE = "PETITION_MERGE_LEDGER_SECRET_FILE"
MIN_SECRET = 32  # characters; token_hex(32) makes 64
MAKE_SECRET = 'python -c "import secrets; print(secrets.token_hex(32))"'
_CHECK_TEXT = b"petition-merge ledger secret check"
_signed = int.from_bytes
_BLOCK = 64  # SHA-256's block size, as HMAC pads the key to it


class LedgerKeys:
    """The keys of a file's ledger: stored as the signer has them."""

    check: str | None = None  # what the ledger keeps to recognise the secret

    def identity(self, key: str) -> str:
        return key

    def short(self, kind: bytes, key: int) -> int | None:
        """Return a name or sound key as stored: 0 (unknown) as None (NULL)."""
        return key or None

    def stored(self, key: str, name_key: int, sound_key: int) -> tuple[str, Any, Any]:
        """Return a signer's three keys as stored (one call per signer of a batch)."""
        return key, name_key or None, sound_key or None


class KeyedKeys(LedgerKeys):
    """The keys of a shared ledger: HMAC-SHA256 under the organisation's secret."""

    def __init__(self, secret: bytes) -> None:
        # HMAC (RFC 2104) from the two SHA-256 states keyed once: copying them per signer is
        # twice as fast as hmac.digest(), which keys both again (a batch of 100 000 signers
        # makes 300 000). The tests compare with hmac.digest().
        key = hashlib.sha256(secret).digest() if len(secret) > _BLOCK else secret
        key = key.ljust(_BLOCK, b"\0")
        self._inner = hashlib.sha256(bytes(b ^ 0x36 for b in key))
        self._outer = hashlib.sha256(bytes(b ^ 0x5C for b in key))
        self.check = self._digest(_CHECK_TEXT).hex()
        assert self.check == hmac.digest(secret, _CHECK_TEXT, "sha256").hex()

    def _digest(self, message: bytes) -> bytes:
        inner = self._inner.copy()
        inner.update(message)
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.digest()

    def identity(self, key: str) -> str:
        return self._digest(b"identity|" + key.encode("utf-8")).hex()

    def short(self, kind: bytes, key: int) -> int | None:
        """Return a 64-bit key keyed (kind: b"name" or b"sound"), as a signed integer."""
        if not key:
            return None
        digest = self._digest(kind + b"|" + key.to_bytes(8, "big", signed=True))
        return int.from_bytes(digest[:8], "big", signed=True)

    def stored(self, key: str, name_key: int, sound_key: int) -> tuple[str, Any, Any]:
        """Return a signer's three keys as stored, keyed (the loop of :meth:`short` inlined:
        a batch of 100 000 signers calls this 100 000 times)."""
        inner, outer, signed = self._inner, self._outer, _signed
        found: list[Any] = []
        for message in (
            b"identity|" + key.encode("utf-8"),
            b"name|" + name_key.to_bytes(8, "big", signed=True) if name_key else None,
            b"sound|" + sound_key.to_bytes(8, "big", signed=True) if sound_key else None,
        ):
            if message is None:
                found.append(None)
                continue
            first = inner.copy()
            first.update(message)
            second = outer.copy()
            second.update(first.digest())
            found.append(second.digest())
        digest, name, sound = found
        return (
            digest.hex(),
            signed(name[:8], "big", signed=True) if name else None,
            signed(sound[:8], "big", signed=True) if sound else None,
        )


def _check_private(where: str, file: Path, mode: int) -> None:
    """Refuse a secret file that others may read or change (on POSIX), as ssh refuses a key:
    whoever reads the secret can check guessed names against the shared ledger's keys."""
    if os.name == "posix" and mode & 0o077:
        raise LedgerError(
            _(
                "{where}: the ledger secret file {file} is open to other users (mode {mode}) - "
                "make it readable by you only: chmod 600 {file}"
            ).format(where=where, file=file, mode=format(stat.S_IMODE(mode), "03o"))
        )


def organisation_secret(where: str) -> bytes:
    """Read the organisation's secret from the environment (or the file it names, which
    must be readable by its owner only).

    ``where`` names the ledger in the one-line refusal when there is none, or a weak one.
    """
    secret = os.environ.get(SECRET_VARIABLE, "").strip()
    shown = SECRET_VARIABLE
    if not secret and os.environ.get(SECRET_FILE_VARIABLE):
        file = Path(os.environ[SECRET_FILE_VARIABLE]).expanduser()
        shown = str(file)
        try:
            with file.open("rb") as handle:
                mode = os.fstat(handle.fileno()).st_mode
                data = handle.read()
            _check_private(where, file, mode)
            secret = data.decode("utf-8").strip()
        except (OSError, UnicodeDecodeError) as err:
            reason = os_reason(err) if isinstance(err, OSError) else _("not a text file")
            raise LedgerError(
                _(
                    "{where}: cannot read the ledger secret from {file} ({reason}) - "
                    "{variable} names the file that holds it"
                ).format(where=where, file=file, reason=reason, variable=SECRET_FILE_VARIABLE)
            ) from err
    if not secret:
        raise LedgerError(
            _(
                "{where}: a shared ledger needs the organisation's secret - set {variable} "
                "(or {file_variable} to a file holding it); the coordinator makes it once with "
                "{command} and gives it to every group"
            ).format(
                where=where,
                variable=SECRET_VARIABLE,
                file_variable=SECRET_FILE_VARIABLE,
                command=MAKE_SECRET,
            )
        )
    if len(secret) < MIN_SECRET:
        raise LedgerError(
            _(
                "{where}: the ledger secret in {source} is too short ({n} characters, at least "
                "{least}) - make one with {command}"
            ).format(
                where=where, source=shown, n=len(secret), least=MIN_SECRET, command=MAKE_SECRET
            )
        )
    return secret.encode("utf-8")
