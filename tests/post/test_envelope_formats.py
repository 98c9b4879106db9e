"""Envelope formats: one data file and one model for the postage plan and the envelope print."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner, Result
from conftest import ROOT
from docx import Document

from merge.batch.model import PostOptions
from merge.cli import cli
from merge.cli.data_options import envelope_option, labels_option
from merge.data import LABELS, bundled
from merge.errors import DataError, UsageError
from merge.post import data as postage_data
from merge.post import envelope_formats
from merge.post.envelope_formats import (
    BUNDLED,
    Box,
    EnvelopeFormat,
    bundled_envelope_data,
    default_envelope_code,
    load_envelope_data,
)
from merge.post.plan import plan_envelopes
from merge.render.envelopes import render_envelopes

ADDRESSEE = ("President", "Zhongnanhai", "Beijing Shi 100017", "CHINA")
TWIPS_PER_MM = 1440 / 25.4
DATA = bundled_envelope_data()


def raw_data() -> Any:
    return json.loads(BUNDLED.read_text(encoding="utf-8"))


def write(tmp_path: Path, raw: Any) -> Path:
    path = tmp_path / "envelopes.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    return path


def broken(tmp_path: Path, change: Callable[[Any], None]) -> str:
    """Load the bundled file after ``change(raw)``; return the one-line DataError message."""
    raw = raw_data()
    change(raw)
    path = write(tmp_path, raw)
    with pytest.raises(DataError) as info:
        load_envelope_data(path)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: key '")
    return message.removeprefix(f"{path}: ")


@pytest.fixture
def use_bundled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[Any], None]]:
    """Let a test put its own bundled envelopes.json in place, read afresh (caches cleared)."""

    def use(raw: Any) -> None:
        path = tmp_path / "bundled" / "envelopes.json"
        path.parent.mkdir(exist_ok=True)
        path.write_text(json.dumps(raw), encoding="utf-8")
        monkeypatch.setattr(envelope_formats, "BUNDLED", path)
        bundled_envelope_data.cache_clear()
        postage_data.bundled_postage.cache_clear()

    yield use
    bundled_envelope_data.cache_clear()  # monkeypatch puts the real file back after this
    postage_data.bundled_postage.cache_clear()


# --- the data file --------------------------------------------------------------------------


def test_bundled_formats_hold_the_reference_numbers() -> None:
    dl, c5, c4 = DATA.formats
    assert dl == EnvelopeFormat(
        code="DL",
        name="DL (DIN lang), 220 x 110 mm",
        length_mm=220,
        width_mm=110,
        grams=5.0,
        layers_per_sheet=3,
        max_sheets=8,
        address_area=Box(110, 40, 95, 55),
        franking_w_mm=74,
        franking_h_mm=40,
        sender_x_mm=10,
        sender_y_mm=10,
    )

    def facts(f: EnvelopeFormat) -> tuple[Any, ...]:
        return f.length_mm, f.width_mm, f.grams, f.layers_per_sheet, f.max_sheets, f.address_area

    assert facts(c5) == (229, 162, 8.0, 2, 80, Box(114.5, 40, 99.5, 107))
    assert facts(c4) == (324, 229, 18.0, 1, 90, Box(162, 40, 147, 174))
    zones = {(f.franking_w_mm, f.franking_h_mm, f.sender_x_mm, f.sender_y_mm) for f in DATA.formats}
    assert zones == {(74, 40, 10, 10)}
    window = DATA.window
    assert (window.page_w_mm, window.page_h_mm, window.field) == (210, 297, Box(20, 45, 85, 45))
    assert (window.text_x_mm, window.address_top_mm, window.address_h_mm) == (25, 62.7, 27.3)
    assert DATA.source == "merge/data/envelopes.json"


def test_every_format_prints_inside_its_size_and_clear_of_the_stamp() -> None:
    for fmt in DATA.formats:
        area = fmt.address_area
        assert area.x >= 0 and area.right <= fmt.length_mm, fmt.code
        assert area.y >= 0 and area.bottom <= fmt.width_mm, fmt.code
        # Deutsche Post: at least 15 mm from left, right and bottom, 40 mm from the top
        assert area.x >= 15 and area.right <= fmt.length_mm - 15, fmt.code
        assert area.y >= 40 and area.bottom <= fmt.width_mm - 15, fmt.code
        # the franking zone (top right) and the address area do not overlap
        assert area.y >= fmt.franking_h_mm or area.right <= fmt.length_mm - fmt.franking_w_mm
        assert fmt.sender_x_mm + fmt.franking_w_mm < fmt.length_mm - fmt.sender_x_mm
        assert fmt.sender_y_mm < fmt.franking_h_mm
    window = DATA.window
    assert window.field.right <= window.page_w_mm and window.field.bottom <= window.page_h_mm
    assert window.field.x <= window.text_x_mm < window.field.right
    bottom = window.address_top_mm + window.address_h_mm
    assert window.field.y <= window.address_top_mm and bottom == pytest.approx(window.field.bottom)


def test_postage_json_and_labels_json_no_longer_hold_envelopes() -> None:
    postage = json.loads(bundled("postage.json").read_text(encoding="utf-8"))
    labels = json.loads(LABELS.read_text(encoding="utf-8"))
    assert "envelope_formats" not in postage
    assert not {"envelopes", "envelope_zones", "window_address_field"} & set(labels)
    assert {"_comment", "default", "formats", "envelope_zones", "window_address_field"} == set(
        raw_data()
    )


def test_lookup_by_code_takes_any_case_and_the_default_from_the_data() -> None:
    assert DATA.codes == ("DL", "C5", "C4")
    assert DATA.by_code(" c5 ") is DATA.formats[1]
    assert DATA.by_code() is DATA.default is DATA.formats[0]
    assert raw_data()["default"] == "DL" == default_envelope_code() == PostOptions().envelope
    with pytest.raises(UsageError) as info:
        DATA.by_code("B4")
    assert str(info.value) == (
        "unknown envelope format 'B4' - use one of DL, C5, C4 (or add it to "
        "merge/data/envelopes.json)"
    )


def test_an_edited_default_is_what_plan_print_and_post_options_use(
    tmp_path: Path, use_bundled: Callable[[Any], None]
) -> None:
    raw = raw_data()
    raw["default"] = "c5"
    use_bundled(raw)
    assert default_envelope_code() == "C5"  # the format's own spelling
    assert PostOptions().envelope == "C5"
    assert plan_envelopes([1], mail_date=date(2025, 6, 1)).envelope_format.code == "C5"
    out = tmp_path / "e.docx"
    render_envelopes(out, ADDRESSEE, 1)
    section = Document(str(out)).sections[0]
    assert (section.page_width.mm, section.page_height.mm) == pytest.approx((229, 162), abs=0.05)


def test_reading_the_defaults_loads_no_document_library() -> None:
    # The CLI reads them before it parses the command line, for --help.
    code = (
        "import sys, merge.data, merge.post.envelope_formats as e\n"
        "e.default_envelope_code(), e.bundled_envelope_data(), merge.data.default_label_code()\n"
        "heavy = {'docx', 'docxtpl', 'lxml', 'pypdf', 'jinja2', 'python_calamine', 'xlsxwriter'}\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"


# --- one model for plan and print -----------------------------------------------------------


def test_the_plan_packs_into_the_format_objects_of_the_envelope_data() -> None:
    envelopes = bundled_envelope_data()
    assert postage_data.load_postage().envelopes is envelopes
    plan = plan_envelopes([1, 2], mail_date=date(2025, 6, 1), envelope="C4")
    assert plan.envelope_format is envelopes.by_code("C4")


def test_plan_and_print_read_the_same_edited_file(
    tmp_path: Path, use_bundled: Callable[[Any], None]
) -> None:
    raw = raw_data()
    dl = raw["formats"][0]
    dl["grams"] = 6.5
    dl["address_area_mm"] = {"x": 120.0, "y": 45.0, "w": 80.0, "h": 50.0}
    dl["sender_line_mm"] = {"x": 12.0, "y": 9.0}
    use_bundled(raw)

    plan = plan_envelopes([1, 2, 3], mail_date=date(2025, 6, 1))
    assert "(DL envelope 6.5 g, 5 g per sheet)" in plan.warnings[-1]
    assert plan.envelopes[0].grams == 21.5  # 6.5 + 3 * 5

    for envelope in (None, "DL", plan.envelope_format):
        out = tmp_path / "e.docx"
        render_envelopes(out, ADDRESSEE, 1, envelope=envelope)
        section = Document(str(out)).sections[0]
        assert section.page_width.twips == round(220 * TWIPS_PER_MM)
        assert section.left_margin.twips == round(12 * TWIPS_PER_MM)  # the sender line's x
        assert section.right_margin.twips == round(220 * TWIPS_PER_MM) - round(
            200 * TWIPS_PER_MM
        )  # the address area ends at 120 + 80 mm
        assert section.bottom_margin.twips == round(110 * TWIPS_PER_MM) - round(95 * TWIPS_PER_MM)


# --- damaged data ---------------------------------------------------------------------------


def first(raw: Any) -> Any:
    return raw["formats"][0]


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        (lambda raw: first(raw).pop("grams"), "'formats[0].grams' is missing"),
        (
            lambda raw: first(raw).update(max_sheets=0),
            "'formats[0].max_sheets' must be a whole number of at least 1 (found 0)",
        ),
        (
            lambda raw: first(raw).update(width_mm=300),
            "'formats[0].width_mm' must not exceed length_mm",
        ),
        (lambda raw: first(raw).update(weight=5), "'formats[0].weight' is unknown"),
        (lambda raw: raw["formats"][2].update(code="dl"), "'formats[2].code' repeats 'dl'"),
        (
            lambda raw: first(raw)["address_area_mm"].update(w=120.0),
            "'formats[0].address_area_mm' reaches 230 x 95 mm, beyond envelope DL (220 x 110 mm)",
        ),
        (
            lambda raw: first(raw)["address_area_mm"].update(h="55"),
            "'formats[0].address_area_mm.h' must be a positive number (found \"55\")",
        ),
        (
            lambda raw: first(raw)["address_area_mm"].update(y=30.0),
            "'formats[0].address_area_mm' reaches into the franking zone (74 x 40 mm",
        ),
        (
            lambda raw: first(raw)["franking_zone_mm"].update(h=120.0),
            "'formats[0].franking_zone_mm' is larger than envelope DL",
        ),
        (
            lambda raw: first(raw)["sender_line_mm"].update(x=80.0),
            "'formats[0].sender_line_mm' leaves no room for the sender line",
        ),
        (
            lambda raw: raw.update(default="B4"),
            "'default' must be the code of one of the formats, DL, C5, C4 (found \"B4\")",
        ),
        (lambda raw: raw.update(formats=[]), "'formats' must be a non-empty list"),
        (
            lambda raw: raw["window_address_field"].update(page_mm=[210.0]),
            "'window_address_field.page_mm' must be two lengths [width, height]",
        ),
        (
            lambda raw: raw["window_address_field"]["field_mm"].update(x=150.0),
            "'window_address_field.field_mm' reaches 235 x 90 mm, beyond the page (210 x 297 mm)",
        ),
        (
            lambda raw: raw["window_address_field"].update(text_x_mm=10.0),
            "'window_address_field.text_x_mm' must lie in the field, 20 to 105 mm (found 10)",
        ),
        (
            lambda raw: raw["window_address_field"]["address_zone_mm"].update(h=40.0),
            "'window_address_field.address_zone_mm' must lie in the field, 45 to 90 mm",
        ),
        (lambda raw: raw.pop("window_address_field"), "'window_address_field' is missing"),
    ],
)
def test_a_damaged_file_is_one_data_error_line_naming_the_key(
    tmp_path: Path, change: Callable[[Any], None], fragment: str
) -> None:
    assert broken(tmp_path, change).startswith(f"key {fragment}")


def test_notes_and_comments_are_for_people(tmp_path: Path) -> None:
    raw = raw_data()
    first(raw)["_mine"] = "weighed ours: 5.2 g"
    first(raw)["notes"] = "my own notes"
    raw["_comment"].append("edited")
    assert load_envelope_data(write(tmp_path, raw)).formats[0].code == "DL"


def test_unreadable_file_is_one_data_error_line(tmp_path: Path) -> None:
    path = tmp_path / "envelopes.json"
    path.write_text('{"formats": [}', encoding="utf-8")
    with pytest.raises(DataError, match=r"envelopes\.json: not valid JSON at line 1, column"):
        load_envelope_data(path)
    with pytest.raises(DataError, match=r"nothing\.json: cannot read the envelope formats"):
        load_envelope_data(tmp_path / "nothing.json")
    path.write_text("[]", encoding="utf-8")
    with pytest.raises(DataError, match=r"key '\(top level\)' must be an object"):
        load_envelope_data(path)


def assert_data_error(result: Result, *fragments: str) -> None:
    assert result.exit_code == DataError.exit_code == 8, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 1, result.stderr
    for fragment in fragments:
        assert fragment in lines[0]


def test_a_damaged_bundled_file_stops_the_run_with_exit_8(
    project: Path, use_bundled: Callable[[Any], None]
) -> None:
    example = ROOT / "inputs" / "online-anmeldungen.csv"
    (project / "inputs" / example.name).write_bytes(example.read_bytes())
    raw = raw_data()
    first(raw)["layers_per_sheet"] = 0
    use_bundled(raw)
    result = CliRunner().invoke(cli, ["run", "--dry-run"])
    assert_data_error(
        result,
        "merge/data/envelopes.json: key 'formats[0].layers_per_sheet' must be a whole number",
    )


def test_options_built_from_a_damaged_file_refuse_when_the_command_runs(
    use_bundled: Callable[[Any], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A damaged file must not break importing the CLI: the option is built without a default
    # and the command that uses it stops with the DataError.
    raw = raw_data()
    raw.pop("default")
    use_bundled(raw)
    damaged_labels = DataError(f"{LABELS}: cannot read label data (Expecting value)")

    def unreadable() -> str:
        raise damaged_labels

    monkeypatch.setattr("merge.cli.data_options.default_label_code", unreadable)

    @click.command("probe-envelope")
    @envelope_option("Envelope size.")
    def probe_envelope(envelope: str | None) -> None:
        raise AssertionError("must not run")

    @click.command("probe-labels")
    @labels_option()
    def probe_labels(label_code: str | None) -> None:
        raise AssertionError("must not run")

    for command, fragment in (
        (probe_envelope, "merge/data/envelopes.json: key 'default' is missing"),
        (probe_labels, "labels.json: cannot read label data"),
    ):
        assert command.name is not None
        cli.add_command(command)
        try:
            shown = CliRunner().invoke(cli, [command.name, "--help"])
            result = CliRunner().invoke(cli, [command.name])
        finally:
            cli.commands.pop(command.name)
        assert shown.exit_code == 0 and "[default:" not in shown.output
        assert_data_error(result, fragment)
