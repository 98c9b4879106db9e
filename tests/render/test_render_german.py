"""The documents and findings of render/ in German: the post-office sheet, the label-test
page, block refusals, the template check and the sandbox's limits.

The post-office sheet is read back with python-docx in both languages; German is asserted
word for word (today's German sheet), English as --lang en writes it.
"""

from __future__ import annotations

import contextvars
import dataclasses
import datetime as dt
import re
from pathlib import Path

import pytest
from conftest import (
    KOMPAKT,
    STANDARD,
    TEMPLATE,
    edited_template,
    invoke,
    letter,
    make_batch,
    make_page,
    make_signer,
)
from docx import Document

from merge import i18n
from merge.batch.model import Batch
from merge.errors import InputError, TemplateError
from merge.post.plan import Letter
from merge.render.envelopes import render_envelopes
from merge.render.label_products import check_offset, check_start, label_product
from merge.render.labels import render_labels, render_outline_sheet
from merge.render.post_office import write_post_office
from merge.render.template_check import LETTER, check_template, ensure_template_ok
from merge.render.template_tags import TemplateProblem

ADDRESSEE = ("President", "Xi Jinping", "Zhongnanhai", "Beijing Shi 100017", "CHINA")
TALL = ("北京市西城区", "西长安街174号 中南海", "习近平 主席", *ADDRESSEE, "Xichengqu", "Extra")


@pytest.fixture
def german() -> None:
    i18n.activate("de")


def counter_sheet(tmp_path: Path, batch: Batch) -> tuple[list[list[str]], list[str]]:
    """Write the post-office sheet; return its table rows and its paragraphs."""
    out = tmp_path / "post-office.docx"
    write_post_office(out, batch)
    doc = Document(str(out))
    [table] = doc.tables
    return [[c.text for c in row.cells] for row in table.rows], [p.text for p in doc.paragraphs]


def three_letters() -> Batch:
    letters: list[Letter] = [letter(1, [1], STANDARD), letter(2, [2], KOMPAKT)]
    letters.append(letter(3, [3], STANDARD))
    pages = [make_page(n, [make_signer(f"inputs/l.csv:l:{n}")]) for n in range(1, 4)]
    return make_batch(
        pages,
        name="2026-11-27-1",
        prepared_on=dt.date(2026, 11, 27),
        letters=letters,
        deadline=dt.date(2026, 12, 31),
        transit_days=21,
    )


# --- the post-office sheet --------------------------------------------------------------------


def test_the_post_office_sheet_is_german_as_it_always_was(tmp_path: Path, german: None) -> None:
    rows, paragraphs = counter_sheet(tmp_path, three_letters())
    assert rows == [
        ["Sendung", "Anzahl", "Porto je Brief", "Betrag"],
        ["Kompaktbrief International", "1", "1,80 €", "1,80 €"],
        ["Standardbrief International", "2", "1,25 €", "2,50 €"],
        ["Summe", "3", "", "4,30 €"],
    ]
    assert paragraphs[:2] == [
        "Für die Post: Versand 2026-11-27-1",
        "Kampagne xuar · vorbereitet am 27.11.2026 · spätestens versenden am 10.12.2026",
    ]
    assert "Briefmarken: 1 × 1,80 €, 2 × 1,25 €." in paragraphs
    assert paragraphs[-1] == (
        "Umschläge DL, Preise 2026 (Deutsche Post, Brief International). Die Gewichte sind "
        "geschätzt: Bitte wiegen Sie einen gefüllten Umschlag, bevor Sie Briefmarken kaufen."
    )


def test_the_post_office_sheet_is_english_under_lang_en(tmp_path: Path) -> None:
    rows, paragraphs = counter_sheet(tmp_path, three_letters())
    assert rows[0] == ["Item", "Number", "Postage each", "Amount"]
    assert rows[-1] == ["Total", "3", "", "€4.30"]
    assert paragraphs[:2] == [
        "Posting batch 2026-11-27-1",
        "Campaign xuar · prepared on 2026-11-27 · mail by 2026-12-10",
    ]
    assert "Stamps: 1 × €1.80, 2 × €1.25." in paragraphs
    assert not any(word in " ".join(paragraphs) for word in ("Briefmarken", "Umschläge"))


def test_the_cheaper_format_is_said_in_german_with_the_plural(tmp_path: Path, german: None) -> None:
    pages = [make_page(n, [make_signer(f"inputs/l.csv:l:{n}")]) for n in range(1, 24)]
    batch = make_batch(pages, prepared_on=dt.date(2026, 11, 20))
    assert batch.plan.cheaper is not None and batch.plan.cheaper.envelopes == 1
    _rows, paragraphs = counter_sheet(tmp_path, batch)
    [advice] = [p for p in paragraphs if p.startswith("Günstiger")]
    assert re.fullmatch(
        r"Günstiger: Dieselben Listen würden in C5-Umschlägen \d+,\d\d € statt \d+,\d\d € "
        r"kosten \(1 Brief statt 3; beim nächsten Mal: petition-merge run --envelope C5\)\.",
        advice,
    ), advice
    two = dataclasses.replace(batch.plan.cheaper, envelopes=2)
    batch = dataclasses.replace(batch, plan=dataclasses.replace(batch.plan, cheaper=two))
    _rows, paragraphs = counter_sheet(tmp_path, batch)
    assert any("(2 Briefe statt 3;" in p for p in paragraphs)


def test_a_guessed_price_is_a_german_caveat_with_a_german_date(
    tmp_path: Path, german: None
) -> None:
    batch = three_letters()
    table = dataclasses.replace(
        batch.plan.table, valid_from=dt.date(2025, 1, 1), valid_to=dt.date(2025, 6, 30)
    )
    batch = dataclasses.replace(batch, plan=dataclasses.replace(batch.plan, table=table))
    _rows, paragraphs = counter_sheet(tmp_path, batch)
    assert (
        "Achtung: Für den 27.11.2026 sind keine Portopreise bekannt; zugrunde gelegt sind "
        "die Preise 01.01.2025 bis 30.06.2025. Bitte prüfen Sie sie am Schalter."
    ) in paragraphs
    unverified = dataclasses.replace(batch.plan.table, **_year_2026(), status="unverified")
    batch = dataclasses.replace(batch, plan=dataclasses.replace(batch.plan, table=unverified))
    _rows, paragraphs = counter_sheet(tmp_path, batch)
    assert (
        "Achtung: Die Preise 2026 sind nicht geprüft. Bitte prüfen Sie sie am Schalter."
        in paragraphs
    )


def _year_2026() -> dict[str, dt.date]:
    return {"valid_from": dt.date(2026, 1, 1), "valid_to": dt.date(2026, 12, 31)}


def test_the_cheapest_format_is_named_in_german(tmp_path: Path, german: None) -> None:
    batch = three_letters()
    batch = dataclasses.replace(batch, plan=dataclasses.replace(batch.plan, auto=True))
    _rows, paragraphs = counter_sheet(tmp_path, batch)
    assert paragraphs[-1].startswith("Umschläge DL (das günstigste Format), Preise 2026 (")


# --- the label-test page and the block refusals ----------------------------------------------


def test_the_label_test_page_writes_the_offset_with_a_decimal_comma(
    tmp_path: Path, german: None
) -> None:
    out = tmp_path / "label-test.docx"
    render_outline_sheet(out, label_product("3422"), (1.5, -0.5))
    texts = {p.text for p in Document(str(out)).paragraphs} | {
        p.text for t in Document(str(out)).tables for c in t._cells for p in c.paragraphs
    }
    assert "3422  +1,5 / -0,5 mm" in texts


def test_the_label_test_page_in_english_keeps_the_point(tmp_path: Path) -> None:
    out = tmp_path / "label-test.docx"
    render_outline_sheet(out, label_product("3422"), (1.5, -0.5))
    cells = {p.text for t in Document(str(out)).tables for c in t._cells for p in c.paragraphs}
    assert "3422  +1.5 / -0.5 mm" in cells


def test_an_address_too_tall_for_the_label_is_refused_in_german(
    tmp_path: Path, german: None
) -> None:
    with pytest.raises(InputError) as info:
        render_labels(tmp_path / "l.docx", TALL, 1, label_product("3422"))
    message = str(info.value)
    assert message.startswith(
        "Der Adressblock (10 Zeilen) passt nicht auf Etikett 3422 (70 x 35 mm), selbst bei "
        "8 pt zu hoch - er passt auf diese Etiketten: "
    )
    assert "\n" not in message


def test_envelope_refusals_are_german(tmp_path: Path, german: None) -> None:
    out = tmp_path / "e.docx"
    with pytest.raises(InputError) as info:
        render_envelopes(out, TALL, 1, window=True)
    assert str(info.value) == (
        "Der Adressblock (10 Zeilen) passt nicht in die Anschriftzone nach DIN 5008 "
        "(80 x 27,3 mm), selbst bei 8 pt zu hoch - nehmen Sie Etiketten oder Umschläge ohne "
        "Fenster"
    )
    with pytest.raises(InputError) as info:
        render_envelopes(out, ADDRESSEE, 1, sender_line="x " * 300)
    assert str(info.value).startswith(
        "Die Absenderzeile (1 Zeile) passt nicht auf Umschlag DL links neben die Briefmarke ("
    )
    assert str(info.value).endswith("- kürzen Sie sie")
    with pytest.raises(InputError) as info:
        render_envelopes(out, ADDRESSEE, 0)
    assert str(info.value) == "Nichts zu drucken: 0 Umschläge - geben Sie mindestens 1 an"


def test_label_options_are_refused_in_german(german: None) -> None:
    with pytest.raises(Exception) as info:
        check_start(label_product("3422"), 25)
    assert str(info.value) == (
        "Etikett 25 gibt es auf dem Bogen 3422 nicht (3 x 8 = 24 Etiketten) - beginnen Sie bei "
        "einem Etikett von 1 bis 24"
    )
    with pytest.raises(Exception) as info:
        check_offset((12.5, 0))
    assert str(info.value) == (
        "Der Druckerversatz 12,5 / 0 mm ist zu groß - möglich sind -10 bis 10 mm (drucken Sie "
        "mit petition-merge label-test einen Testbogen, um ihn zu messen)"
    )


# --- the template check -----------------------------------------------------------------------


def test_template_findings_name_the_place_in_german(tmp_path: Path, german: None) -> None:
    broken = edited_template(
        tmp_path, lambda xml: xml.replace("{{ campaign.title }}", "{{ campaign.titel }}")
    )
    [problem] = check_template(broken)
    assert problem.where == "Absatz 4"
    assert problem.problem.startswith(
        "Unbekannter Platzhalter 'campaign.titel' - bekannt sind hier: addressee, closing"
    )
    with pytest.raises(TemplateError) as info:
        ensure_template_ok(broken)
    assert str(info.value).startswith(f"{broken}: Absatz 4: Unbekannter Platzhalter")
    assert str(info.value).endswith(f"- `petition-merge check-template {broken}` zeigt alle")

    def on_the_page() -> str:
        i18n.speak_for_page()
        with pytest.raises(TemplateError) as info:
            ensure_template_ok(broken)
        return str(info.value)

    said = contextvars.copy_context().run(on_the_page)  # the page has no check-template
    assert said.startswith(f"{broken}: Absatz 4: Unbekannter Platzhalter")
    assert said.endswith("- korrigieren Sie die Vorlage in Word oder LibreOffice, oder wählen Sie "
                         "auf der ersten Seite eine andere Kampagne")  # fmt: skip


def test_a_missing_loop_is_a_german_finding_of_the_template(tmp_path: Path, german: None) -> None:
    broken = edited_template(
        tmp_path, lambda xml: xml.replace("{%tr for row in list.rows %}", "{%tr for r in []%}")
    )
    problems = check_template(broken)
    assert any(
        p.where == "Vorlage"
        and p.kind == "template"
        and p.problem.startswith(
            "Die Schleife über die Tabellenzeilen '{%tr for row in list.rows %}' fehlt - "
            "siehe templates/petition-list.docx"
        )
        for p in problems
    ), problems


def test_the_kind_of_a_place_stays_english_while_it_shows_in_german(german: None) -> None:
    problem = TemplateProblem(LETTER, "x")
    assert (problem.where, problem.kind, str(problem)) == ("Kampagne", LETTER, "Kampagne: x")
    assert TemplateProblem("Absatz 3", "x").kind == ""


def test_a_template_that_loops_too_often_is_refused_in_german(project: Path) -> None:
    hostile = edited_template(
        project,
        lambda xml: xml.replace(
            "{{ campaign.title }}", "{% for x in range(100000000) %}x{% endfor %}", 1
        ),
    )
    result = invoke("check-template", "--lang", "de", str(hostile))
    assert result.exit_code == 4, result.output
    assert (
        "Die Schleifen der Vorlage laufen zu oft: range(100000000) hat mehr als 10000 Einträge - "
        "entfernen oder vereinfachen Sie das in der Word-Vorlage"
    ) in result.output


def test_the_bundled_template_passes_the_check_in_german(german: None) -> None:
    assert check_template(TEMPLATE) == []


def test_the_post_office_table_keeps_its_column_widths_in_the_grid(tmp_path: Path) -> None:
    out = tmp_path / "post-office.docx"
    write_post_office(out, three_letters())
    [table] = Document(str(out)).tables
    assert [round(column.width.mm) for column in table.columns] == [80, 25, 35, 30]


def test_a_letter_too_long_is_the_campaigns_fault_in_german_too(project: Path) -> None:
    """check-template exits 5 (the campaign file), not 4, whatever language says where."""
    xuar = (project / "templates" / "xuar.toml").read_text(encoding="utf-8")
    longer = xuar.replace(
        'closing = "Yours sincerely,"', 'closing = "Yours sincerely, ' + "and more " * 120 + '"'
    )
    (project / "templates" / "xuar.toml").write_text(longer, encoding="utf-8")
    result = invoke("check-template", "--lang", "de", "--campaign", "xuar")
    assert result.exit_code == 5, result.output
    assert re.search(
        r"petition-list\.docx: Kampagne: Der Brief ist zu lang, um mit fünf Unterzeichnenden in "
        r"petition-list\.docx auf eine Seite zu passen \(etwa \d+ Zeilen zu viel\) - kürzen Sie "
        r"die Absätze, die Anschrift oder die Hinweise",
        " ".join(result.output.split()),
    ), result.output
