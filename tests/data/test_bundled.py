"""Bundled data files: found inside the package, read as JSON objects, damage in one line."""

import json
from pathlib import Path

import pytest

import merge
from merge.data import bundled, label_section, read_json
from merge.errors import DataError


@pytest.mark.parametrize(
    ("name", "keys"),
    [
        ("postage.json", {"services", "paper", "transit"}),
        ("labels.json", {"labels", "default"}),
        ("envelopes.json", {"formats", "default", "window_address_field"}),
        ("fontwidths.json", {"units_per_em", "regular"}),
    ],
)
def test_every_data_file_ships_inside_the_package_and_reads(name: str, keys: set[str]) -> None:
    path = bundled(name)
    assert path == Path(merge.__file__).parent / "data" / name
    data = read_json(path, "test data")
    assert keys <= data.keys()


def test_font_widths_are_liberation_sans_units() -> None:
    data = read_json(bundled("fontwidths.json"), "font metrics")
    assert data["units_per_em"] == 2048
    widths = {chr(start + i): w for start, run in data["regular"] for i, w in enumerate(run)}
    assert (widths["a"], widths["W"], widths[" "]) == (1139, 1933, 569)


def test_a_missing_file_is_one_line_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "labels.json"
    with pytest.raises(DataError) as info:
        read_json(path, "label data")
    message = str(info.value)
    assert message.startswith(f"{path}: cannot read label data (")
    assert "No such file" in message and "\n" not in message


def test_invalid_json_is_one_line_with_where_it_broke(tmp_path: Path) -> None:
    path = tmp_path / "postage.json"
    path.write_text('{"products": [\n  {"code": "STD",}\n]}', encoding="utf-8")
    with pytest.raises(DataError) as info:
        read_json(path, "postage data")
    message = str(info.value)
    assert message.startswith(f"{path}: cannot read postage data (")
    assert "line 2" in message and "\n" not in message


def test_json_that_is_not_an_object_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "labels.json"
    path.write_text(json.dumps([{"labels": {}}]), encoding="utf-8")
    with pytest.raises(DataError) as info:
        read_json(path, "label data")
    assert str(info.value) == f"{path}: not a label data file - expected a JSON object"


def test_a_file_that_is_not_text_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "labels.json"
    path.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(DataError, match=r"cannot read label data \("):
        read_json(path, "label data")


def test_label_section_reads_the_bundled_file_or_a_copy(tmp_path: Path) -> None:
    assert {"3422", "L7173"} <= label_section(None, "labels").keys()
    copy = tmp_path / "labels.json"
    copy.write_text(json.dumps({"envelopes": {"DL": {"name": "DIN lang"}}}), encoding="utf-8")
    assert label_section(copy, "envelopes") == {"DL": {"name": "DIN lang"}}


@pytest.mark.parametrize("content", [{"about": "x"}, {"labels": {}}, {"labels": ["3422"]}])
def test_a_missing_or_empty_label_section_is_one_line(tmp_path: Path, content: object) -> None:
    copy = tmp_path / "labels.json"
    copy.write_text(json.dumps(content), encoding="utf-8")
    with pytest.raises(DataError) as info:
        label_section(copy, "labels")
    assert str(info.value) == f"{copy}: no 'labels' in it - restore the file"
