"""ledger migrate: copy a group's ledger (its SQLite file) into the shared one, idempotently.

Every batch is copied whole (its envelopes with their states and history, lists, signer keys
and origins) in one transaction of the shared ledger: either all of them are there after,
or none. A batch the shared ledger has already, with the same content, is left as it is, so
migrating twice gives the same ledger; a batch name it has with other content is refused in
one line before anything is copied. Keys are keyed for the shared ledger as it keys its own
(:mod:`merge.track.keys`); a key another group's lists claim already stays unclaimed, as a
reprint's does: the person is on both groups' lists, which the copy reports.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from merge.batch import batch_order
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


def migrate_ledger(source: LedgerLocation, target: LedgerLocation, group: str) -> list[Copied]:
    """Copy every batch of ``source`` into ``target``; batches without a group get ``group``,
    those without a computer this one's (migrate on the laptop their folders are on)."""
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
            return _copy(old, new, group)
        finally:
            new.close()
    finally:
        old.close()


def _copy(old: SQLLedger, new: SQLLedger, group: str) -> list[Copied]:
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
    done: list[Copied] = []
    with new.exclusive():
        plan: list[tuple[tuple[Any, ...], list[tuple[Any, ...]]]] = []
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
            if new.has_batch(name):
                _check_same(old, new, row, signers)
                done.append(Copied(name, len(signers), copied=False))
                continue
            plan.append((row, signers))
        for row, signers in plan:
            done.append(_insert(old, new, row, signers, group))
    order = {row[0]: n for n, row in enumerate(batches)}
    return sorted(done, key=lambda c: order[c.batch])


def _keyed(new: SQLLedger, signer: tuple[Any, ...], keyed: bool) -> tuple[Any, ...]:
    """Return a signer row with its keys as the shared ledger stores them."""
    batch, number, slot, key, origin, name_key, sound_key = signer
    if not keyed:
        key = new.keys.identity(key)
        name_key = new.keys.short(b"name", name_key or 0)
        sound_key = new.keys.short(b"sound", sound_key or 0)
    return (batch, number, slot, key, origin, name_key, sound_key)


def _check_same(
    old: SQLLedger, new: SQLLedger, row: tuple[Any, ...], signers: Sequence[tuple[Any, ...]]
) -> None:
    """Refuse a batch name the shared ledger has with other content (another group's batch
    of that name, or another campaign or day)."""
    name = row[0]
    [(campaign, prepared_on)] = new._rows(
        "SELECT campaign, prepared_on FROM batches WHERE name = ?", (name,)
    )
    theirs = new._rows(
        "SELECT list, slot, key FROM signers WHERE batch = ? ORDER BY list, slot", (name,)
    )
    ours = [(number, slot, key) for _b, number, slot, key, *_rest in signers]
    if (campaign, day(prepared_on)) != (row[1], day(row[2])) or [tuple(r) for r in theirs] != ours:
        raise LedgerError(
            _(
                "{path}: batch {batch} is there already with other content (another group's "
                "batch of that name?) - nothing was copied; rename the folder and the batch in "
                "{source}, or leave it out"
            ).format(path=new.location, batch=name, source=old.location)
        )


def _insert(
    old: SQLLedger,
    new: SQLLedger,
    row: tuple[Any, ...],
    signers: Sequence[tuple[Any, ...]],
    group: str,
) -> Copied:
    name, campaign, prepared_on, deadline, transit_days, folder, staging, state, purged = row[:9]
    mine, machine = row[9:]
    new._run(
        "INSERT INTO batches (name, campaign, prepared_on, deadline, transit_days, folder, "
        "staging, state, purged_on, group_name, machine) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            name,
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
        [(*e[:6], new._day(day(e[6])), e[7]) for e in envelopes],
    )
    new._insert(
        "lists",
        ("batch", "number", "envelope", "signers"),
        old._rows("SELECT batch, number, envelope, signers FROM lists WHERE batch = ?", (name,)),
    )
    new._insert("signers", SIGNER_COLUMNS, [(*s, None) for s in signers])
    # Claim what nobody claims (a discarded envelope's signers claim nothing), as a reprint.
    new._run(
        "UPDATE signers SET claimed_in = ? WHERE batch = ? AND NOT EXISTS ("
        "SELECT 1 FROM signers c WHERE c.claimed_in = ? AND c.key = signers.key) AND list IN ("
        "SELECT l.number FROM lists l JOIN envelopes e ON e.batch = l.batch AND "
        "e.number = l.envelope WHERE l.batch = ? AND e.state IN ('prepared', 'mailed'))",
        (campaign, name, campaign, name),
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
            tuple(new._day(day(v)) if n in _HISTORY_DAYS else v for n, v in enumerate(h))
            for h in history
        ],
    )
    [(unclaimed,)] = new._rows(
        "SELECT COUNT(*) FROM signers s JOIN lists l ON l.batch = s.batch AND l.number = s.list "
        "JOIN envelopes e ON e.batch = l.batch AND e.number = l.envelope "
        "WHERE s.batch = ? AND s.claimed_in IS NULL AND e.state IN ('prepared', 'mailed')",
        (name,),
    )
    return Copied(name, len(signers), copied=True, on_other_lists=unclaimed)
