"""Campaign files in German: each mistake one German line naming the file and the entry, the
deadline in German spellings, and the warning about a passed deadline with a German date."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest

from merge import i18n
from merge.campaign import deadline_warning, load_campaign
from merge.errors import CampaignError

ROOT = Path(__file__).parent.parent
XUAR = (ROOT / "templates" / "xuar.toml").read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def german() -> None:
    i18n.activate("de")


def refused(tmp_path: Path, old: str, new: str) -> str:
    assert old in XUAR
    (tmp_path / "templates").mkdir(exist_ok=True)
    (tmp_path / "templates" / "x.toml").write_text(XUAR.replace(old, new), encoding="utf-8")
    with pytest.raises(CampaignError) as info:
        load_campaign("x", tmp_path)
    assert "\n" not in str(info.value) and info.value.exit_code == 5
    return str(info.value)


@pytest.mark.parametrize(
    ("deadline", "day"),
    [
        ("deadline = 31.12.2026", date(2026, 12, 31)),
        ('deadline = "31.12.2026"', date(2026, 12, 31)),
        ("deadline = 1.2.2027", date(2027, 2, 1)),
        ('deadline = "2027-02-01"', date(2027, 2, 1)),
        ("deadline = 31.12.26", date(2026, 12, 31)),  # two digits: 20yy, as the checklist
        ('deadline = "31.12.26"', date(2026, 12, 31)),
        ('deadline = "1.2.27"', date(2027, 2, 1)),
    ],
)
def test_the_deadline_in_german_spellings(tmp_path: Path, deadline: str, day: date) -> None:
    (tmp_path / "x.toml").write_text(XUAR.replace("deadline = 2023-12-31", deadline), "utf-8")
    assert load_campaign("x.toml", tmp_path).deadline == day


def test_a_deadline_that_is_no_date_shows_a_german_example(tmp_path: Path) -> None:
    assert refused(tmp_path, "deadline = 2023-12-31", 'deadline = "Ende Dezember"') == (
        "templates/x.toml: Eintrag 'deadline' muss ein Datum wie 31.12.2026 sein "
        '(gefunden: "Ende Dezember")'
    )


def test_a_missing_entry_is_german(tmp_path: Path) -> None:
    assert refused(tmp_path, 'title = "CLOSE', 'headline = "CLOSE').startswith(
        "templates/x.toml: Eintrag 'title' fehlt - ergänzen Sie ihn (ein Text in "
        '"Anführungszeichen")'
    )


def test_an_unknown_entry_is_german(tmp_path: Path) -> None:
    message = refused(tmp_path, "closing =", "closing_x = 1\nclosing =")
    assert message.startswith(
        "templates/x.toml: Eintrag 'closing_x' ist unbekannt - prüfen Sie die Schreibweise; "
        "bekannte Einträge hier: "
    )


def test_a_wrong_type_is_german(tmp_path: Path) -> None:
    assert refused(tmp_path, 'salutation = "Dear President Xi:"', "salutation = 3") == (
        "templates/x.toml: Eintrag 'salutation' muss ein Text in \"Anführungszeichen\" sein "
        "(gefunden: 3)"
    )
    assert refused(tmp_path, '"CHINA",', '"",') == (
        "templates/x.toml: Eintrag 'addressee': Nr. 5 muss ein nicht leerer Text sein "
        '(gefunden: "")'
    )


def test_an_unknown_country_is_german(tmp_path: Path) -> None:
    message = refused(tmp_path, '"CHINA",', '"ATLANTIS",')
    assert message.startswith(
        "templates/x.toml: Eintrag 'addressee' endet mit \"ATLANTIS\", einem Land, das "
        "petition-merge nicht kennt - schreiben Sie den kurzen Ländernamen in Großbuchstaben"
    )


def test_a_campaign_not_found_is_german(tmp_path: Path) -> None:
    with pytest.raises(CampaignError) as info:
        load_campaign("gibtsnicht", tmp_path)
    assert str(info.value).startswith(
        "Die Kampagne 'gibtsnicht' gibt es in templates/ nicht - wählen Sie eine von: "
    )


def test_a_passed_deadline_is_a_german_warning_with_a_german_date() -> None:
    campaign = dataclasses.replace(load_campaign(None, ROOT), deadline=date(2023, 12, 31))
    assert deadline_warning(campaign, date(2026, 1, 5)) == (
        "Der Einsendeschluss der Kampagne 'xuar' (31.12.2023) ist vorbei; auf den Listen steht "
        "aber noch, sie bis dahin einzusenden. Tragen Sie in "
        f"{campaign.source} bei 'deadline' ein neues Datum ein, wenn die Kampagne weiterläuft."
    )
    assert deadline_warning(campaign, date(2023, 12, 31)) is None


def test_the_passed_deadline_in_english_keeps_the_iso_date() -> None:
    i18n.activate("en")
    campaign = dataclasses.replace(load_campaign(None, ROOT), deadline=date(2023, 12, 31))
    warning = deadline_warning(campaign, date(2026, 1, 5))
    assert warning is not None and "(2023-12-31) has passed" in warning


def test_a_deadline_sentence_without_the_date_shows_how_it_prints(tmp_path: Path) -> None:
    message = refused(tmp_path, "{deadline:%d.%m.%Y} direkt", "bald direkt")
    assert message == (
        "templates/x.toml: Eintrag 'deadline_text' muss das Datum genau einmal als "
        "{deadline:%d.%m.%Y} enthalten (gedruckt als 31.12.2026) und kein anderes {...} - "
        "schreiben Sie {{ oder }} für eine geschweifte Klammer"
    )
