"""Every row in exactly one bucket: blank, signer, duplicate or rejected."""

from conftest import source_row as row

from merge.lists.accounting import account_rows


def test_control_characters_are_removed_and_counted_as_a_warning() -> None:
    result = account_rows([row(2, last="Bei\x00spiel", address="Weg\x0b1\n12345 Musterstadt")])
    assert result.signers[0].name == "Bei spiel"
    assert result.signers[0].address == ("Weg 1", "12345 Musterstadt")
    assert [(w.origin, w.reason) for w in result.warnings] == [
        ("l.xlsx:S:2", "control characters removed")
    ]


def test_duplicate_points_at_the_first_occurrence() -> None:
    result = account_rows(
        [
            row(2, last="Müller", first="Jo", address="Weg 1, 12345 Ort"),
            row(3, last="Meier", first="Jo", address="Weg 1, 12345 Ort"),
            row(4, combined="Mueller, Jo", address="weg 1, 12345 ort"),
        ]
    )
    assert [s.origin for s in result.signers] == ["l.xlsx:S:2", "l.xlsx:S:3"]
    assert [(d.origin, d.duplicate_of) for d in result.duplicates] == [("l.xlsx:S:4", "l.xlsx:S:2")]


def test_every_row_lands_in_exactly_one_bucket() -> None:
    result = account_rows(
        [
            row(2, last="A", address="W 1, 12345 O"),
            row(3, empty=True, last=None, address=None),
            row(4, last="A", address="W 1, 12345 O"),
            row(5, last=None, address="W 2, 12345 O"),
        ]
    )
    assert (result.rows, result.blank, len(result.signers)) == (4, 1, 1)
    assert (len(result.duplicates), len(result.rejected)) == (1, 1)


def test_fit_check_rejects_rows_that_cannot_be_printed() -> None:
    def too_long(name: str, address: tuple[str, ...]) -> str | None:
        return "name too long" if len(name) > 5 else None

    result = account_rows(
        [
            row(2, last="Kurz", address="W 1, 12345 O"),
            row(3, last="Sehr lang", address="W 1, 12345 O"),
        ],
        too_long,
    )
    assert [s.origin for s in result.signers] == ["l.xlsx:S:2"]
    assert [(r.origin, r.reason) for r in result.rejected] == [("l.xlsx:S:3", "name too long")]
