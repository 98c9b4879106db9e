import math

from hypothesis import given, settings
from hypothesis import strategies as st

from merge.lists.accounting import account_rows
from merge.lists.paginate import ROWS_PER_LIST, paginate
from merge.lists.signer import Signer
from merge.read.headers import Field
from merge.read.rows import SourceRow


def signer(n: int) -> Signer:
    return Signer(origin=f"f:S:{n}", name=f"Testperson-{n}", address=("Weg 1",), key=str(n))


def test_paginate_makes_lists_of_five_in_order() -> None:
    pages = list(paginate([signer(n) for n in range(1, 11)]))
    assert [page.number for page in pages] == [1, 2]
    assert [s.origin for s in pages[1].signers] == [f"f:S:{n}" for n in range(6, 11)]


def test_paginate_pads_last_page_with_blank_rows() -> None:
    pages = list(paginate([signer(n) for n in range(1, 8)]))
    assert len(pages) == 2
    assert pages[1].slots[2:] == (None, None, None)
    assert len(pages[1].slots) == ROWS_PER_LIST


def test_paginate_appends_blank_lists_numbered_after_the_filled_ones() -> None:
    pages = list(paginate([signer(1)], blank_lists=2))
    assert [page.number for page in pages] == [1, 2, 3]
    assert pages[2].slots == (None,) * ROWS_PER_LIST


def test_paginate_with_no_signers_makes_no_list() -> None:
    assert list(paginate([])) == []


# Small alphabets so that duplicates, blanks and rejects all happen often.
cell = st.one_of(
    st.none(), st.sampled_from(["", " ", "Ä", "ae", "B", "b.", "Weg 1", "\x07", 1067.0])
)
raw_row = st.fixed_dictionaries(
    {Field.LAST: cell, Field.FIRST: cell, Field.ADDRESS: cell, Field.CITY: cell}
)


@settings(max_examples=300, deadline=None)
@given(st.lists(raw_row, max_size=60))
def test_every_row_is_accounted_for_and_every_signer_printed_once_in_order(
    rows: list[dict[Field, object]],
) -> None:
    source = [
        SourceRow(
            origin=f"f:S:{n}",
            cells=cells,
            empty=all(v is None or (isinstance(v, str) and not v.strip()) for v in cells.values()),
        )
        for n, cells in enumerate(rows, start=2)
    ]
    result = account_rows(source)
    buckets = result.blank + len(result.signers) + len(result.duplicates) + len(result.rejected)
    assert buckets == result.rows == len(rows)

    pages = list(paginate(result.signers))
    assert len(pages) == math.ceil(len(result.signers) / ROWS_PER_LIST)
    printed = [slot for page in pages for slot in page.slots if slot is not None]
    assert printed == list(result.signers)
    assert len({s.origin for s in printed}) == len(printed)
    assert len({s.key for s in printed}) == len(printed)
    order = [int(s.origin.rsplit(":", 1)[1]) for s in printed]
    assert order == sorted(order)
