"""Campaign files: the default campaign word for word, lookup by name or path, one-line errors."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from merge.campaign import (
    Campaign,
    available_campaigns,
    bundled_template_dirs,
    deadline_warning,
    load_campaign,
)
from merge.errors import CampaignError

ROOT = Path(__file__).parent.parent
SEED = Path(__file__).parent / "fixtures" / "seed-petition-list-xuar.txt"
XUAR = (ROOT / "templates" / "xuar.toml").read_text(encoding="utf-8")


def _seed() -> dict[str, object]:
    """Pull the printed sentences out of the original form, as extracted from its PDF."""
    blocks = [
        [line.strip().replace("**", "") for line in block.splitlines()]
        for block in SEED.read_text(encoding="utf-8").strip().split("\n\n")
    ]
    texts = [" ".join(block) for block in blocks]
    closing = texts.index("Yours sincerely,")
    rows = [block for block in blocks if block[0].startswith("<b>1</b>")]
    sender_block = next(block for block in blocks if block[0].startswith("AMNESTY"))
    organisation, suffix = re.fullmatch(r"([A-Z ]+) (.+)", sender_block[0]).groups()  # type: ignore[union-attr]
    return {
        "addressee": tuple(blocks[0] + blocks[1]),
        "title": texts[2],
        "salutation": texts[3],
        "paragraphs": tuple(texts[4:closing]),
        "closing": texts[closing],
        "headings": tuple(rows[0][0].split("\t")[1:]),
        "privacy_note": texts[closing + 2],
        "deadline_note": texts[closing + 3],
        "organisation": organisation,
        "organisation_suffix": suffix,
        "sender_lines": tuple(sender_block[1:]),
        "account": tuple(next(b for b in blocks if b[0].startswith("SPENDENKONTO"))),
    }


def test_default_campaign_is_the_seed_word_for_word() -> None:
    seed = _seed()
    campaign = load_campaign(None, ROOT)
    assert campaign.name == "xuar"
    assert campaign.addressee == seed["addressee"]
    assert campaign.addressee == (
        "President",
        "Xi Jinping",
        "Zhongnanhai, Xichangan'jie",
        "Xichengqu, Beijing Shi 100017",
        "CHINA",
    )
    assert campaign.title == seed["title"]
    assert campaign.salutation == seed["salutation"] == "Dear President Xi:"
    assert campaign.paragraphs == seed["paragraphs"]
    assert len(campaign.paragraphs) == 4
    assert campaign.closing == seed["closing"] == "Yours sincerely,"
    headings = campaign.headings
    assert (headings.name, headings.address, headings.signature) == seed["headings"]
    assert campaign.privacy_note == seed["privacy_note"]
    assert campaign.deadline == date(2023, 12, 31)
    assert campaign.deadline_note == seed["deadline_note"]
    assert campaign.deadline_note == (
        "Bitte senden Sie diese Petitionsliste bis zum 31.12.2023 direkt an den Adressaten "
        "(siehe Adresse oben)."
    )
    assert campaign.sender.organisation == seed["organisation"] == "AMNESTY INTERNATIONAL"
    assert campaign.sender.organisation_suffix == seed["organisation_suffix"]
    assert campaign.sender.lines == seed["sender_lines"]
    assert campaign.sender.account == seed["account"]
    assert campaign.template == ROOT / "templates" / "petition-list.docx"


def test_default_campaign_loads_from_any_folder(tmp_path: Path) -> None:
    campaign = load_campaign("xuar", tmp_path)
    assert campaign.source.resolve() == (ROOT / "templates" / "xuar.toml").resolve()
    assert campaign.template.is_file()


def test_bundled_folders_cover_wheel_and_checkout() -> None:
    wheel, checkout = bundled_template_dirs()
    assert wheel.name == "templates" and wheel.parent.name == "merge"
    assert checkout == ROOT / "templates"


def _write(folder: Path, name: str, text: str) -> Path:
    (folder / "templates").mkdir(exist_ok=True)
    path = folder / "templates" / name
    path.write_text(text, encoding="utf-8")
    return path


def test_local_campaign_overrides_bundled_and_finds_bundled_template(tmp_path: Path) -> None:
    _write(tmp_path, "xuar.toml", XUAR.replace("Dear President Xi:", "Dear Sir:"))
    campaign = load_campaign(None, tmp_path)
    assert campaign.salutation == "Dear Sir:"
    assert campaign.template == ROOT / "templates" / "petition-list.docx"


def test_template_next_to_campaign_file_wins(tmp_path: Path) -> None:
    _write(tmp_path, "own.toml", XUAR.replace('"petition-list.docx"', '"own.docx"'))
    shutil.copy(ROOT / "templates" / "petition-list.docx", tmp_path / "templates" / "own.docx")
    assert load_campaign("own", tmp_path).template == tmp_path / "templates" / "own.docx"


def test_template_key_may_be_left_out(tmp_path: Path) -> None:
    _write(tmp_path, "own.toml", XUAR.replace('template = "petition-list.docx"', ""))
    assert load_campaign("own", tmp_path).template.name == "petition-list.docx"


def test_campaign_by_path(tmp_path: Path) -> None:
    path = tmp_path / "elsewhere.toml"
    path.write_text(XUAR, encoding="utf-8")
    campaign = load_campaign("elsewhere.toml", tmp_path)
    assert isinstance(campaign, Campaign)
    assert campaign.name == "elsewhere"


def _error(tmp_path: Path, text: str) -> str:
    _write(tmp_path, "x.toml", text)
    with pytest.raises(CampaignError) as info:
        load_campaign("x", tmp_path)
    message = str(info.value)
    assert "\n" not in message
    assert info.value.exit_code == 5
    return message


def test_deadline_that_is_not_a_date(tmp_path: Path) -> None:
    message = _error(tmp_path, XUAR.replace("deadline = 2023-12-31", 'deadline = "31.12."'))
    assert message == (
        "templates/x.toml: key 'deadline' must be a date like 2026-12-31 (found \"31.12.\")"
    )


def test_unknown_key_is_reported_as_typo(tmp_path: Path) -> None:
    message = _error(tmp_path, XUAR.replace("closing =", "closing_x = 1\nclosing ="))
    assert message.startswith("templates/x.toml: key 'closing_x' is unknown - check its spelling")


def test_misspelt_key_in_section(tmp_path: Path) -> None:
    message = _error(tmp_path, XUAR.replace('signature = "Unterschrift"', 'sig = "U"'))
    assert "key 'headings.signature' is missing" in message


def test_unknown_key_in_section(tmp_path: Path) -> None:
    extra = XUAR.replace("organisation_suffix =", 'organisaton = "x"\norganisation_suffix =')
    message = _error(tmp_path, extra)
    assert "key 'sender.organisaton' is unknown - check its spelling" in message


def test_missing_key(tmp_path: Path) -> None:
    message = _error(tmp_path, XUAR.replace('title = "CLOSE', 'headline = "CLOSE'))
    assert "key 'title' is missing - add it" in message


def test_wrong_type(tmp_path: Path) -> None:
    message = _error(tmp_path, XUAR.replace('salutation = "Dear President Xi:"', "salutation = 3"))
    assert "key 'salutation' must be a text" in message and "(found 3)" in message


def test_empty_list_entry(tmp_path: Path) -> None:
    message = _error(tmp_path, XUAR.replace('"CHINA",', '"",'))
    assert "key 'addressee' entry 5 must be a non-empty text" in message


def test_toml_syntax_error_names_the_line(tmp_path: Path) -> None:
    message = _error(tmp_path, XUAR.replace('salutation = "Dear', "salutation = Dear"))
    line = XUAR.splitlines().index(next(x for x in XUAR.splitlines() if "salutation" in x)) + 1
    assert message == (
        f"templates/x.toml: line {line}: the opening quote is missing - write it like "
        'salutation = "Dear President Xi:"'
    )


# --- the addressee's country: national or international post ---------------------------------

BERLIN = """addressee = [
  "Botschaft der Republik Beispielland",
  "Z. Hd. Frau Botschafterin",
  "Musterallee 12",
  "10117 Berlin",
]"""


def _with_addressee(addressee: str, extra: str = "") -> str:
    original = re.search(r"addressee = \[.*?\]", XUAR, re.DOTALL)
    assert original is not None
    return XUAR.replace(original.group(), f"{addressee}\n{extra}")


def test_the_default_campaign_goes_to_china() -> None:
    assert load_campaign(None, ROOT).country == "CN"


def test_an_addressee_in_germany_ends_with_its_postcode_and_is_national(tmp_path: Path) -> None:
    _write(tmp_path, "botschaft.toml", _with_addressee(BERLIN))
    campaign = load_campaign("botschaft", tmp_path)
    assert campaign.addressee[-1] == "10117 Berlin"
    assert campaign.country == "DE"


@pytest.mark.parametrize(
    ("last", "country"),
    [("CHINA", "CN"), ("ÖSTERREICH", "AT"), ("FRANCE", "FR"), ("GERMANY", "DE"), ("CN", "CN")],
)
def test_a_country_as_last_line_is_the_addressee_country(
    tmp_path: Path, last: str, country: str
) -> None:
    _write(tmp_path, "x.toml", _with_addressee(f'addressee = ["Amt", "Platz 1", "{last}"]'))
    assert load_campaign("x", tmp_path).country == country


def test_the_country_key_wins_over_the_last_line(tmp_path: Path) -> None:
    # A copy of the letter to the embassy, its address written the way the embassy gives it.
    abroad = _with_addressee('addressee = ["Botschaft", "Musterallee 12", "10117 BERLIN", "CHINA"]')
    _write(tmp_path, "x.toml", abroad.replace('title = "', 'country = "DE"\ntitle = "', 1))
    assert load_campaign("x", tmp_path).country == "DE"
    _write(tmp_path, "x.toml", XUAR.replace('title = "', 'country = "Deutschland"\ntitle = "', 1))
    assert load_campaign("x", tmp_path).country == "DE"


def test_a_country_key_nobody_knows_is_one_line(tmp_path: Path) -> None:
    message = _error(tmp_path, XUAR.replace('title = "', 'country = "Atlantis"\ntitle = "', 1))
    assert message == (
        "templates/x.toml: key 'country' names no country petition-merge knows (\"Atlantis\") - "
        'write its code, e.g. "DE" for Germany or "CN" for China'
    )


def test_an_addressee_whose_country_cannot_be_told_is_refused(tmp_path: Path) -> None:
    # Without "CHINA" last, the letter would go as a national one: refuse it rather than guess.
    message = _error(tmp_path, XUAR.replace('  "CHINA",\n', ""))
    assert message == (
        "templates/x.toml: key 'addressee' ends with \"Xichengqu, Beijing Shi 100017\", which "
        'names no country and is no German "PLZ Ort" line - end it with the country in '
        'capitals (e.g. "CHINA"), or add country = "DE" if the letter stays within Germany'
    )


@pytest.mark.parametrize(
    "text",
    [
        "bis zum {date}",
        "bis zum {deadline.__class__}",
        "bis zum {deadline:%d.%m.%Y} oder {deadline}",
        "ohne Datum",
        "bis zum {deadline",
    ],
)
def test_deadline_text_must_hold_the_date_once(tmp_path: Path, text: str) -> None:
    original = re.search(r'deadline_text = "[^"]*"', XUAR)
    assert original is not None
    message = _error(tmp_path, XUAR.replace(original.group(), f'deadline_text = "{text}"'))
    assert "key 'deadline_text' must contain the date exactly once" in message


def test_template_that_exists_nowhere(tmp_path: Path) -> None:
    message = _error(tmp_path, XUAR.replace('"petition-list.docx"', '"gone.docx"'))
    assert "key 'template' names \"gone.docx\"" in message


def test_missing_campaign_lists_the_existing_ones(tmp_path: Path) -> None:
    _write(tmp_path, "local.toml", XUAR)
    with pytest.raises(CampaignError) as info:
        load_campaign("nope", tmp_path)
    assert "campaign 'nope' not found" in str(info.value)
    assert "local, xuar" in str(info.value)
    assert available_campaigns(tmp_path) == ["local", "xuar"]


def test_missing_campaign_path(tmp_path: Path) -> None:
    with pytest.raises(CampaignError, match=r"^gone\.toml: campaign file not found"):
        load_campaign("gone.toml", tmp_path)


def test_deadline_warning_only_after_the_deadline() -> None:
    campaign = load_campaign(None, ROOT)
    assert deadline_warning(campaign, date(2023, 12, 31)) is None
    assert deadline_warning(campaign, date(2023, 1, 1)) is None
    warning = deadline_warning(campaign, date(2024, 1, 1))
    assert warning is not None and "2023-12-31" in warning and "\n" not in warning


def test_deadline_warning_names_the_file_as_the_folder_holds_it(tmp_path: Path) -> None:
    """The web page runs on an absolute working folder: the warning still says
    templates/xuar.toml, not the whole path."""
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    campaign = load_campaign(None, tmp_path.resolve())
    warning = deadline_warning(campaign, date(2024, 1, 1), tmp_path.resolve())
    assert warning is not None
    assert f"in {Path('templates', 'xuar.toml')} if" in warning
    assert str(tmp_path) not in warning


def test_letter_too_long_for_one_page_is_refused(tmp_path: Path) -> None:
    """Measured with the template the campaign uses: the shipped letter fits it, so the
    campaign's letter is what is too long (a campaign error, not a template error)."""
    from merge.render.template_check import ensure_template_ok

    longer = XUAR.replace(
        'closing = "Yours sincerely,"', 'closing = "Yours sincerely, ' + "and more " * 120 + '"'
    )
    _write(tmp_path, "x.toml", longer)
    campaign = load_campaign("x", tmp_path)
    with pytest.raises(CampaignError) as info:
        ensure_template_ok(campaign.template, campaign)
    message = str(info.value)
    assert "\n" not in message and info.value.exit_code == 5
    assert message.startswith(f"{campaign.source}: the letter is too long to print on one")
    assert "page with five signers in petition-list.docx (about " in message
    assert message.endswith("- shorten the paragraphs, the addressee or the notes")


def test_the_shipped_letter_fits_the_shipped_template_with_room_to_spare() -> None:
    from merge.render.template_layout import read_layout

    campaign = load_campaign(None, ROOT)
    layout = read_layout(campaign.template, campaign)
    assert layout.problems == []
    assert layout.list_pt < layout.room_pt - 20  # points
