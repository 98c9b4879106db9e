"""A running-number column: the row numbers of a paper form, never a house number."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from merge.read.headers import ColumnMap, Field
from merge.read.workbook import is_empty

_PEEK_ROWS = 50  # rows looked at to tell a running number from house numbers
_ENDS_IN_NUMBER = re.compile(r"\d+\s*[a-zA-Z]?$")  # "Lindenweg 4", "Am Markt 12 b"


def without_running_number(
    columns: ColumnMap, body: Iterator[tuple[int, list[Any]]]
) -> tuple[ColumnMap, Iterator[tuple[int, list[Any]]], int | None]:
    """Drop a house-number column that only counts the rows beside streets with numbers.

    Paper forms number their rows, and "Nr." is also the house number's header: gluing the
    running number to a street that has its number already would print "Lindenweg 4 1".
    Returns the columns, the body (the rows looked at put back) and the column dropped.
    """
    by_field = dict(columns.columns)
    number_at, street_at = by_field.get(Field.HOUSE_NUMBER), by_field.get(Field.STREET)
    if number_at is None:
        return columns, body, None
    peeked = list(itertools.islice(body, _PEEK_ROWS))
    pairs = [
        (_cell(values, number_at), "" if street_at is None else _cell(values, street_at))
        for _number, values in peeked
        if not (is_empty(_cell(values, number_at)) and
                (street_at is None or is_empty(_cell(values, street_at))))
    ]  # fmt: skip
    numbers = [_whole_number(number) for number, _street in pairs]
    counting = (
        len(pairs) >= 3
        and None not in numbers
        and all(b == a + 1 for a, b in itertools.pairwise(numbers))  # type: ignore[operator]
        # beside streets that have their numbers, or with no street column at all
        and (street_at is None or all(isinstance(s, str) and _ENDS_IN_NUMBER.search(s.strip())
                                      for _number, s in pairs))
    )  # fmt: skip
    body = itertools.chain(peeked, body)
    if not counting:
        return columns, body, None
    kept = tuple((field, index) for field, index in columns.columns if index != number_at)
    return replace(columns, columns=kept), body, number_at


def _cell(values: list[Any], index: int) -> Any:
    return values[index] if index < len(values) else None


def _whole_number(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().rstrip(".").isdigit():
        return int(value.strip().rstrip("."))
    return None
