"""Recognising signer columns by their header text, German or English."""

from merge.read.headers import Field, accepted_headers, map_columns


def test_map_columns_reads_german_split_address() -> None:
    columns = map_columns(["Name", "Vorname", "Straße", "Hausnummer", "PLZ", "Ort", "E-Mail"])
    assert dict(columns.columns) == {
        Field.LAST: 0,
        Field.FIRST: 1,
        Field.STREET: 2,
        Field.HOUSE_NUMBER: 3,
        Field.POSTCODE: 4,
        Field.CITY: 5,
    }
    assert columns.ignored == ("E-Mail",)
    assert columns.is_usable


def test_map_columns_reads_english_headers() -> None:
    columns = map_columns(["Surname", "Given name", "Address", "Country"])
    assert dict(columns.columns) == {
        Field.LAST: 0,
        Field.FIRST: 1,
        Field.ADDRESS: 2,
        Field.COUNTRY: 3,
    }


def test_lone_name_column_is_a_full_name() -> None:
    columns = map_columns(["Name", "Anschrift"])
    assert dict(columns.columns) == {Field.FULL: 0, Field.ADDRESS: 1}


def test_combined_name_column_is_recognised() -> None:
    columns = map_columns(["Name, Vorname", "Anschrift", "Unterschrift"])
    assert dict(columns.columns) == {Field.COMBINED: 0, Field.ADDRESS: 1}
    assert columns.ignored == ("Unterschrift",)


def test_a_name_without_address_column_is_not_usable() -> None:
    assert not map_columns(["Name", "Vorname", "E-Mail"]).is_usable
    assert not map_columns(["Vorname", "Anschrift"]).is_usable


def test_second_column_of_the_same_kind_is_ignored_not_merged() -> None:
    columns = map_columns(["Name", "Vorname", "Ort", "Stadt"])
    assert dict(columns.columns)[Field.CITY] == 2
    assert columns.ignored == ("Stadt",)


def test_accepted_headers_lists_german_and_english_names() -> None:
    text = accepted_headers()
    for name in ("Name", "Vorname", "Anschrift", "Straße", "PLZ", "Ort", "Last name"):
        assert name in text
