"""Campaign file (TOML) -> Campaign: addressee, letter, table headings, deadline, sender.

A campaign is data, not code, so a coordinator can copy ``templates/xuar.toml``, edit the text
and run a new campaign without touching Python. Every mistake in the file is reported as one
line naming the file, the key and how to fix it.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import merge
from merge.errors import CampaignError
from merge.i18n import _
from merge.i18n.conventions import date_of, example_date, format_date
from merge.lists.country import GERMANY, find_country
from merge.settings import KeyReader, found
from merge.toml_file import read_toml

DEFAULT_CAMPAIGN = "xuar"
DEFAULT_TEMPLATE = "petition-list.docx"
_DATE_FORMAT_HINT = "{deadline:%d.%m.%Y}"


@dataclass(frozen=True)
class Headings:
    """The column headings of the table of signers."""

    name: str
    address: str
    signature: str


@dataclass(frozen=True)
class Sender:
    """The sender block printed in the footer of every list."""

    organisation: str
    organisation_suffix: str
    lines: tuple[str, ...]
    account: tuple[str, ...]


@dataclass(frozen=True)
class Campaign:
    """Everything printed on a petition list that is not a signer."""

    name: str  # the file's name without .toml, as messages name the campaign
    source: Path
    template: Path
    addressee: tuple[str, ...]
    title: str
    salutation: str
    paragraphs: tuple[str, ...]
    closing: str
    headings: Headings
    privacy_note: str
    deadline: date
    deadline_text: str
    sender: Sender
    # For labels and envelopes: the addressee in its own script (printed above the Latin
    # block on request) and the return address; both optional.
    addressee_local: tuple[str, ...] = ()
    return_address: tuple[str, ...] = ()
    sender_line: str = ""  # one short line for printed envelopes; empty: none
    # What the ledger knows the campaign by: its file's key 'id', else its name. A person
    # signs each campaign once; renaming the file without an 'id' starts a new campaign.
    id: str = ""
    # The addressee's country (ISO 3166 code): a letter within Germany goes as a national
    # product, any other as Brief International. The key 'country', else the addressee's
    # last line (see addressee_country).
    country: str = ""
    # Said on every run when the country was read from a "PLZ Ort" last line, which a French
    # "75008 Paris" without its country line would look like too.
    country_note: str = ""

    def __post_init__(self) -> None:
        if not self.id:
            object.__setattr__(self, "id", self.name)

    @property
    def deadline_note(self) -> str:
        """Return the deadline sentence with the date filled in."""
        return self.deadline_text.format(deadline=self.deadline)


def bundled_template_dirs() -> tuple[Path, ...]:
    """Return the folders that hold the campaigns and templates shipped with petition-merge.

    A wheel puts them into ``merge/templates``; an editable checkout has them beside ``merge/``.
    """
    package = Path(merge.__file__).resolve().parent
    return (package / "templates", package.parent / "templates")


def load_campaign(spec: str | None, cwd: Path) -> Campaign:
    """Load a campaign by NAME (``templates/NAME.toml``) or by PATH to a ``.toml`` file.

    Without one: the working folder's own campaign if its templates/ holds exactly one,
    else the shipped default; never the shipped one while the folder has several of its own.
    """
    spec = spec or _folder_campaign(cwd) or DEFAULT_CAMPAIGN
    path = _find_campaign(spec, cwd)
    shown = _shown(path, cwd)
    return _parse(read_toml(path, shown, CampaignError), path, shown)


def letter_source() -> Path:
    """Return the shipped default campaign's file: its letter is what every template's page
    must hold (the text of a real form, word for word)."""
    for folder in bundled_template_dirs():
        path = folder / f"{DEFAULT_CAMPAIGN}.toml"
        if path.is_file():
            return path
    raise CampaignError(
        _("{file}: the shipped campaign is missing - reinstall petition-merge").format(
            file=f"{DEFAULT_CAMPAIGN}.toml"
        )
    )


def shipped_campaign() -> Campaign:
    """Return the shipped default campaign, as shipped (never a working folder's copy)."""
    path = letter_source()
    return load_campaign(str(path), path.parent)


def deadline_warning(campaign: Campaign, today: date, cwd: Path | None = None) -> str | None:
    """Return a warning sentence if the campaign's deadline has passed, else None.

    The file is named relative to ``cwd`` where it lies inside it (templates/xuar.toml).
    """
    if campaign.deadline >= today:
        return None
    return _(
        "The deadline of campaign '{campaign}' ({deadline}) has passed; the lists still ask "
        "to send them by then. Update 'deadline' in {file} if the campaign goes on."
    ).format(
        campaign=campaign.name,
        deadline=format_date(campaign.deadline),
        file=campaign.source if cwd is None else _shown(campaign.source, cwd),
    )


def available_campaigns(cwd: Path) -> list[str]:
    """Return the names of the campaigns found in ``cwd/templates`` and the bundled folders."""
    names = {
        path.stem
        for folder in (cwd / "templates", *bundled_template_dirs())
        if folder.is_dir()
        for path in folder.glob("*.toml")
    }
    return sorted(names)


def default_campaign(cwd: Path) -> str | None:
    """Return the campaign a run takes without --campaign: the working folder's one, else the
    shipped default; None when the folder holds several of its own (then one must be chosen)."""
    try:
        return _folder_campaign(cwd) or DEFAULT_CAMPAIGN
    except CampaignError:
        return None


def _folder_campaign(cwd: Path) -> str | None:
    """Return the name of the working folder's one campaign; refuse to guess among several."""
    folder = cwd / "templates"
    own = sorted(path.stem for path in folder.glob("*.toml")) if folder.is_dir() else []
    if len(own) > 1:
        raise CampaignError(
            _(
                "{folder}: holds {count} campaigns ({names}) - choose one with --campaign NAME"
            ).format(folder=folder, count=len(own), names=", ".join(own))
        )
    return own[0] if own else None


def _find_campaign(spec: str, cwd: Path) -> Path:
    if spec.endswith(".toml") or "/" in spec or "\\" in spec:
        path = cwd / spec
        if path.is_file():
            return path
        raise CampaignError(
            _(
                "{spec}: campaign file not found - give the path to a .toml file or one of the "
                "campaign names: {names}"
            ).format(spec=spec, names=_names(cwd))
        )
    for folder in (cwd / "templates", *bundled_template_dirs()):
        path = folder / f"{spec}.toml"
        if path.is_file():
            return path
    raise CampaignError(
        _(
            "campaign '{spec}' not found in templates/ - choose one of: {names}, or give the "
            "path to a .toml file"
        ).format(spec=spec, names=_names(cwd))
    )


def _names(cwd: Path) -> str:
    return ", ".join(available_campaigns(cwd)) or _("(none)")


def _shown(path: Path, cwd: Path) -> str:
    try:
        return str(path.resolve().relative_to(cwd.resolve()))
    except ValueError:
        return str(path)


class _Reader(KeyReader):
    """Take typed values out of one TOML table, reporting problems with file and key."""

    error = CampaignError

    def lines(self, key: str) -> tuple[str, ...]:
        value = self.raw(key, _('a list of texts like ["first", "second"]'))
        if not isinstance(value, list) or not value:
            raise self.fail(
                key,
                _(
                    "{file}: key '{key}' must be a list of texts like "
                    '["first", "second"] (found {found})'
                ),
                found=found(value),
            )
        for index, item in enumerate(value, start=1):
            if not isinstance(item, str) or not item.strip():
                raise self.fail(
                    key,
                    _("{file}: key '{key}' entry {index} must be a non-empty text (found {found})"),
                    index=index,
                    found=found(item),
                )
        return tuple(value)

    def optional_text(self, key: str) -> str:
        """Return a text that may be left out or empty."""
        if key not in self.data or self.data[key] == "":
            self.used.add(key)
            return ""
        return self.text(key)

    def optional_lines(self, key: str) -> tuple[str, ...]:
        """Return a list of texts that may be left out or empty."""
        if key not in self.data or self.data[key] == []:
            self.used.add(key)
            return ()
        return self.lines(key)

    def table(self, key: str) -> _Reader:
        value = self.raw(key, _("a [{section}] section").format(section=key))
        if not isinstance(value, dict):
            raise self.fail(
                key,
                _("{file}: key '{key}' must be a [{section}] section (found {found})"),
                section=key,
                found=found(value),
            )
        return self.child(value, key)

    def deadline(self, key: str) -> date:
        """Return a date: a TOML date, or a text such as "31.12.2026" or "2026-12-31"."""
        example = example_date()
        value = self.raw(key, _("a date like {example}").format(example=example))
        if (day := date_of(value)) is not None:
            return day
        raise self.fail(
            key,
            _("{file}: key '{key}' must be a date like {example} (found {found})"),
            example=example,
            found=found(value),
        )

    def check_unknown(self) -> None:
        unknown = sorted(set(self.data) - self.used)
        if unknown:
            raise self.fail(
                unknown[0],
                _("{file}: key '{key}' is unknown - check its spelling; known keys here: {known}"),
                known=", ".join(sorted(self.used)),
            )


def _parse(data: dict[str, Any], path: Path, shown: str) -> Campaign:
    top = _Reader(data, shown)
    top.used.add("template")
    template = _resolve_template(top, data.get("template", DEFAULT_TEMPLATE), path)
    headings = top.table("headings")
    sender = top.table("sender")
    campaign = Campaign(
        name=path.stem,
        source=path,
        template=template,
        addressee=top.lines("addressee"),
        title=top.text("title"),
        salutation=top.text("salutation"),
        paragraphs=top.lines("paragraphs"),
        closing=top.text("closing"),
        headings=Headings(
            name=headings.text("name"),
            address=headings.text("address"),
            signature=headings.text("signature"),
        ),
        privacy_note=top.text("privacy_note"),
        deadline=top.deadline("deadline"),
        deadline_text=_deadline_text(top),
        sender=Sender(
            organisation=sender.text("organisation"),
            organisation_suffix=sender.text("organisation_suffix"),
            lines=sender.lines("lines"),
            account=sender.lines("account"),
        ),
        addressee_local=top.optional_lines("addressee_local"),
        return_address=top.optional_lines("return_address"),
        sender_line=top.optional_text("sender_line"),
        id=_campaign_id(top),
        country=_country(top),
        country_note=_country_note(top),
    )
    for reader in (top, headings, sender):
        reader.check_unknown()
    return campaign


def addressee_country(addressee: tuple[str, ...]) -> str | None:
    """Return the country the addressee's last line names, by ISO code, else None.

    A letter abroad ends with the country in capitals ("CHINA"); a letter within Germany
    ends with its "PLZ Ort" line ("10117 Berlin") and names no country, so that means DE.
    """
    last = addressee[-1].strip()
    country = find_country(last)
    if country is not None:
        return country.code
    assert GERMANY.in_line is not None
    if GERMANY.in_line.match(last) and last[5:].strip():
        return GERMANY.code
    return None


def _country(top: _Reader) -> str:
    """Return the optional key 'country' as an ISO code, else the addressee's country."""
    value = top.optional_text("country")
    if value:
        country = find_country(value)
        if country is None:
            raise top.fail(
                "country",
                _(
                    "{file}: key '{key}' names no country petition-merge knows (\"{value}\") - "
                    'write its code, e.g. "DE" for Germany or "CN" for China'
                ),
                value=value,
            )
        return country.code
    code = addressee_country(top.lines("addressee"))
    if code is None:
        last = top.lines("addressee")[-1]
        if last.isupper():
            raise top.fail(
                "addressee",
                _(
                    "{file}: key '{key}' ends with \"{last}\", a country name petition-merge "
                    'does not know - write its short name in capitals (e.g. "CHINA"), or add '
                    'its code, e.g. country = "CN"'
                ),
                last=last,
            )
        raise top.fail(
            "addressee",
            _(
                "{file}: key '{key}' ends with \"{last}\", which names no country and is no "
                'German "PLZ Ort" line - end it with the country in capitals (e.g. "CHINA"), '
                'or add country = "DE" if the letter stays within Germany'
            ),
            last=last,
        )
    return code


def _country_note(top: _Reader) -> str:
    """Say how the country was read when a "PLZ Ort" line, not a country, decided it."""
    last = top.lines("addressee")[-1].strip()
    if top.optional_text("country") or find_country(last) is not None:
        return ""
    return _(
        'the addressee\'s last line "{last}" is read as a German postcode and town, so the '
        "letters go as national post - if the addressee is abroad, end the addressee with "
        'the country in capitals (e.g. "FRANCE"), or add its code, e.g. country = "FR"'
    ).format(last=last)


def _campaign_id(top: _Reader) -> str:
    """Return the optional key 'id': one line of printable characters, at most 100."""
    value = top.optional_text("id")
    if value and (not value.isprintable() or len(value) > 100 or value != value.strip()):
        raise top.fail(
            "id",
            _(
                "{file}: key '{key}' must be one short line of letters, digits and "
                'punctuation, e.g. "xuar-2026"'
            ),
        )
    return value


def _resolve_template(top: _Reader, name: Any, path: Path) -> Path:
    """Find the Word template next to the campaign file, else the bundled one of that name."""
    if not isinstance(name, str) or not name.strip():
        raise top.fail(
            "template",
            _("{file}: key '{key}' must be a file name in \"quotes\" (found {found})"),
            found=found(name),
        )
    candidates = [path.parent / name, *(folder / name for folder in bundled_template_dirs())]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise top.fail(
        "template",
        _(
            "{file}: key '{key}' names \"{name}\", which is neither next to the campaign file "
            "nor bundled - copy the .docx there or fix the name"
        ),
        name=name,
    )


def _deadline_text(top: _Reader) -> str:
    text = top.text("deadline_text")
    try:
        fields = [part[1] for part in string.Formatter().parse(text) if part[1] is not None]
        if fields != ["deadline"]:
            raise ValueError(fields)
        text.format(deadline=date(2000, 1, 1))
    except (ValueError, KeyError, IndexError) as err:
        raise top.fail(
            "deadline_text",
            _(
                "{file}: key '{key}' must contain the date exactly once as {hint} (printed as "
                "{example}) and no other {{...}} - write {{{{ or }}}} for a literal brace"
            ),
            hint=_DATE_FORMAT_HINT,
            example="31.12.2026",
        ) from err
    return text
