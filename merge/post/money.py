"""Amounts of money as the run's language writes them: 1,25 € in German, €1.25 in English."""

from __future__ import annotations

from decimal import Decimal

from merge.i18n import language


def format_eur(amount: Decimal) -> str:
    """Return an amount in euros to the cent: "1,25 €" (German), "€1.25" (English)."""
    if language() == "de":
        return f"{amount:.2f} €".replace(".", ",")
    return f"€{amount:.2f}"
