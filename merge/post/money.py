"""Amounts of money as people read them here: 1,25 € (German decimal comma, euro sign)."""

from __future__ import annotations

from decimal import Decimal


def format_eur(amount: Decimal) -> str:
    """Return an amount in euros to the cent, e.g. ``format_eur(Decimal("1.25"))`` is "1,25 €"."""
    return f"{amount:.2f} €".replace(".", ",")
