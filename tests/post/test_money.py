from decimal import Decimal

import pytest

from merge.post.money import format_eur


@pytest.mark.parametrize(
    ("amount", "shown"),
    [("1.25", "1,25 €"), ("0", "0,00 €"), ("3.3", "3,30 €"), ("1234.5", "1234,50 €")],
)
def test_amounts_are_shown_with_a_decimal_comma_and_the_euro_sign(amount: str, shown: str) -> None:
    assert format_eur(Decimal(amount)) == shown
