from decimal import Decimal

import pytest

from merge import i18n
from merge.post.money import format_eur


@pytest.mark.parametrize(
    ("amount", "shown"),
    [("1.25", "1,25 €"), ("0", "0,00 €"), ("3.3", "3,30 €"), ("1234.5", "1234,50 €")],
)
def test_german_amounts_have_a_decimal_comma_and_the_euro_sign_after(
    amount: str, shown: str
) -> None:
    i18n.activate("de")
    assert format_eur(Decimal(amount)) == shown


@pytest.mark.parametrize(
    ("amount", "shown"),
    [("1.25", "€1.25"), ("0", "€0.00"), ("3.3", "€3.30"), ("1234.5", "€1234.50")],
)
def test_english_amounts_have_the_euro_sign_before(amount: str, shown: str) -> None:
    assert format_eur(Decimal(amount)) == shown
