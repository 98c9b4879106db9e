"""ledger migrate: copy a group's ledger (its SQLite file) into the shared one, idempotently.

Every batch is copied whole (its envelopes with their states and history, lists, signer keys
and origins) in one transaction of the shared ledger: either all of them are there after,
or none. A batch the shared ledger has already, with the same content, is left as it is, so
migrating twice gives the same ledger; a batch name it has with other content (groups number
their batches by day alike: 2026-12-02-1 is in most groups' ledgers) is refused in one line
before anything is copied, or, asked to rename, copied as NAME-GROUP (and found there again
under that name by the next migrate). Keys are keyed for the shared ledger as it keys its own
(:mod:`merge.track.keys`); a key another group's lists claim already stays unclaimed, as a
reprint's does: the person is on both groups' lists, which the copy reports.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from merge.batch import MAX_NAME, batch_order
from merge.errors import LedgerError
from merge.i18n import _
from merge.track.keys import KeyedKeys
from merge.track.ledger import open_ledger
from merge.track.machine import this_machine
from merge.track.sql_ledger import SIGNER_COLUMNS, SQLLedger, day
from merge.track.where import LedgerLocation

_HISTORY = (
    "batch",
    "envelope",
    "changed_on",
    "old_state",
    "old_mailed_on",
    "old_mailed_by",
    "new_state",
    "new_mailed_on",
    "new_mailed_by",
)
_HISTORY_DAYS = {2, 4, 7}  # the columns of _HISTORY that hold days


@dataclass(frozen=True)
class Copied:
    """What became of one batch of the group's ledger."""

    batch: str
    signers: int
    copied: bool  # False: the shared ledger had it already
    on_other_lists: int = 0  # its signers that another batch of the campaign has claimed
    renamed: str | None = None  # the name it has in the shared ledger, if not its own


def migrate_ledger(
    source: LedgerLocation, target: LedgerLocation, group: str, rename: bool = False
) -> list[Copied]:
    """Copy every batch of ``source`` into ``target``; batches without a group get ``group``,
    those without a computer this one's (migrate on the laptop their folders are on).

    With ``rename``, a batch whose name the shared ledger has with other content (another
    group numbered its batches of that day alike) is copied as ``NAME-GROUP`` instead of
    refused; run again, it is found there under that name.
    """
    if source == target:
        raise LedgerError(
            _("{path}: a ledger cannot be copied into itself - give the shared one as TO").format(
                path=source
            )
        )
    old = open_ledger(source, create=False)
    if old is None:
        raise LedgerError(
            _("{path}: no ledger there - give the group's ledger as FROM").format(path=source)
        )
    try:
        new = open_ledger(target)
        assert new is not None
        try:
            assert isinstance(old, SQLLedger) and isinstance(new, SQLLedger)
            return _copy(old, new, group, rename)
        finally:
            new.close()
    finally:
        old.close()


def _copy(old: SQLLedger, new: SQLLedger, group: str, rename: bool) -> list[Copied]:
    keyed = isinstance(old.keys, KeyedKeys)
    if keyed and old.keys.check != new.keys.check:
        raise LedgerError(
            _(
                "{path}: its keys are keyed with a secret, and cannot be copied into a ledger "
                "with another one (or into a file's ledger)"
            ).format(path=old.location)
        )
    batches = sorted(
        old._rows(
            "SELECT name, campaign, prepared_on, deadline, transit_days, folder, staging, state, "
            "purged_on, group_name, machine FROM batches"
        ),
        key=lambda row: (day(row[2]), batch_order(row[0])),
    )
    taken = {row[0] for row in batches}  # a new name must not be one of the group's own
    done: list[Copied] = []
    with new.exclusive():
        plan: list[tuple[tuple[Any, ...], list[tuple[Any, ...]], str]] = []
        for row in batches:
            name = row[0]
            signers = [
                _keyed(new, signer, keyed)
                for signer in old._rows(
                    "SELECT batch, list, slot, key, origin, name_key, sound_key FROM signers "
                    "WHERE batch = ? ORDER BY list, slot",
                    (name,),
                )
            ]
            if not new.has_batch(name):
                plan.append((row, signers, name))
                continue
            if _same(new, name, row, signers):
                done.append(Copied(name, len(signers), copied=False))
                continue
            if not rename:
                raise LedgerError(
                    _(
                        "{path}: batch {batch} is there already with other content (another "
                        "group's batch of that name?) - nothing was copied; run again with "
                        "--rename to copy it as {batch}-GROUP"
                    ).format(path=new.location, batch=name)
                )
            for candidate in _new_names(name, row[9] or group):
                if candidate in taken:
                    continue
                if not new.has_batch(candidate):
                    taken.add(candidate)
                    plan.append((row, signers, candidate))
                    break
                if _same(new, candidate, row, signers):  # renamed by an earlier migrate
                    done.append(Copied(name, len(signers), copied=False, renamed=candidate))
                    break
        for row, signers, as_name in plan:
            done.append(_insert(old, new, row, signers, group, as_name))
    order = {row[0]: n for n, row in enumerate(batches)}
    return sorted(done, key=lambda c: order[c.batch])


def _new_names(name: str, group: str) -> Iterator[str]:
    """Names for a batch whose own is taken: NAME-GROUP, then NAME-GROUP-2, -3, ...

    The group's name is written as a batch name may be typed on a command line: letters,
    digits, '-' and '_' (other characters become '-'), and short enough for a batch name.
    """
    word = re.sub(r"[^\w-]+", "-", group).strip("-") or "migrated"
    base = f"{name}-{word}"[: MAX_NAME - 4]
    yield base
    for number in itertools.count(2):
        yield f"{base}-{number}"


def _keyed(new: SQLLedger, signer: tuple[Any, ...], keyed: bool) -> tuple[Any, ...]:
    """Return a signer row with its keys as the shared ledger stores them."""
    batch, number, slot, key, origin, name_key, sound_key = signer
    if not keyed:
        key = new.keys.identity(key)
        name_key = new.keys.short(b"name", name_key or 0)
        sound_key = new.keys.short(b"sound", sound_key or 0)
    return (batch, number, slot, key, origin, name_key, sound_key)


def _same(
    new: SQLLedger, name: str, row: tuple[Any, ...], signers: Sequence[tuple[Any, ...]]
) -> bool:
    """True if the shared ledger's batch ``name`` is this one: the same campaign and day, and
    the same signers on the same lists (not another group's batch of that name)."""
    [(campaign, prepared_on)] = new._rows(
        "SELECT campaign, prepared_on FROM batches WHERE name = ?", (name,)
    )
    theirs = new._rows(
        "SELECT list, slot, key FROM signers WHERE batch = ? ORDER BY list, slot", (name,)
    )
    ours = [(number, slot, key) for _b, number, slot, key, *_rest in signers]
    same_batch = (campaign, day(prepared_on)) == (row[1], day(row[2]))
    return same_batch and [tuple(r) for r in theirs] == ours


def _insert(
    old: SQLLedger,
    new: SQLLedger,
    row: tuple[Any, ...],
    signers: Sequence[tuple[Any, ...]],
    group: str,
    as_name: str,
) -> Copied:
    """Insert the batch of ``row`` (named ``as_name`` in the shared ledger) with its
    envelopes, lists, signers and history; its folder stays where it is."""
    name, campaign, prepared_on, deadline, transit_days, folder, staging, state, purged = row[:9]
    mine, machine = row[9:]
    new._run(
        "INSERT INTO batches (name, campaign, prepared_on, deadline, transit_days, folder, "
        "staging, state, purged_on, group_name, machine) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            as_name,
            campaign,
            new._day(day(prepared_on)),
            new._day(day(deadline)),
            transit_days,
            folder,
            staging,
            state,
            new._day(day(purged)),
            mine or group,
            machine or this_machine(),  # its folder is on the computer that migrates it
        ),
    )
    envelopes = old._rows(
        "SELECT batch, number, product, price_cents, grams, state, mailed_on, mailed_by "
        "FROM envelopes WHERE batch = ? ORDER BY number",
        (name,),
    )
    new._insert(
        "envelopes",
        ("batch", "number", "product", "price_cents", "grams", "state", "mailed_on", "mailed_by"),
        [(as_name, *e[1:6], new._day(day(e[6])), e[7]) for e in envelopes],
    )
    new._insert(
        "lists",
        ("batch", "number", "envelope", "signers"),
        [
            (as_name, *found)
            for found in old._rows(
                "SELECT number, envelope, signers FROM lists WHERE batch = ?", (name,)
            )
        ],
    )
    new._insert("signers", SIGNER_COLUMNS, [(as_name, *s[1:], None) for s in signers])
    # Claim what nobody claims (a discarded envelope's signers claim nothing), as a reprint.
    new._run(
        "UPDATE signers SET claimed_in = ? WHERE batch = ? AND NOT EXISTS ("
        "SELECT 1 FROM signers c WHERE c.claimed_in = ? AND c.key = signers.key) AND list IN ("
        "SELECT l.number FROM lists l JOIN envelopes e ON e.batch = l.batch AND "
        "e.number = l.envelope WHERE l.batch = ? AND e.state IN ('prepared', 'mailed'))",
        (campaign, as_name, campaign, as_name),
    )
    history = old._rows(
        f"SELECT {', '.join(_HISTORY)} FROM mail_history WHERE batch = ? "
        f"ORDER BY envelope, {old.dialect.history_order}",
        (name,),
    )
    new._insert(
        "mail_history",
        _HISTORY,
        [
            (as_name, *(_history_value(new, n, v) for n, v in enumerate(h) if n > 0))
            for h in history
        ],
    )
    [(unclaimed,)] = new._rows(
        "SELECT COUNT(*) FROM signers s JOIN lists l ON l.batch = s.batch AND l.number = s.list "
        "JOIN envelopes e ON e.batch = l.batch AND e.number = l.envelope "
        "WHERE s.batch = ? AND s.claimed_in IS NULL AND e.state IN ('prepared', 'mailed')",
        (as_name,),
    )
    renamed = as_name if as_name != name else None
    return Copied(name, len(signers), copied=True, on_other_lists=unclaimed, renamed=renamed)


def _history_value(new: SQLLedger, column: int, value: Any) -> Any:
    """Return a value of a mail_history row (by column of _HISTORY) as the shared ledger
    takes it: days as its back end keeps them."""
    return new._day(day(value)) if column in _HISTORY_DAYS else value
