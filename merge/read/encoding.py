"""The encoding of a text file that is not UTF-8, decided by what its text looks like.

Volunteers' CSVs that are not UTF-8 come from a few programs: Excel on Windows
("CSV (Trennzeichen-getrennt)", Windows-1252), Excel's "CSV (MS-DOS)" (cp850), Excel for Mac
("CSV (Macintosh)", Mac Roman), old Linux and LibreOffice exports (ISO-8859-15, or -1, which
reads as Windows-1252), and Eastern European members' Windows-1250 and ISO-8859-2. Every
candidate decodes every file, so the bytes cannot tell; the text can. Each distinct reading
is scored by how its non-ASCII characters sit in words: letters of European names count for
it, umlauts and ß most; symbols inside words ("M„ller"), box-drawing and control characters,
words in a case or a mix of letters no language writes ("MŸller", "Dvoøák"), and letters
where their languages never put them ("Hélčne", "Weiá") count against it. Windows-1252 is a
little ahead, as the common case; a lead under ``MARGIN`` is "not certain". UTF-16 without
a byte-order mark is told apart before, by its zero bytes.

benchmarks/encoding_accuracy.py measures it on invented signer lists in each encoding, with
names the rules were not written on: 99.7% of files of 3 to 50 rows and 98.8% of short files
with one or two non-ASCII characters read right, every misread one with a note (1.3% and 7.6%
are "not certain"). charset-normalizer, limited to the same candidates, reads 53% and 55%
right: its language models do not favour German, and it often takes Windows-1252 files for
Windows-1250. Both take under a millisecond a file on average.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

from merge.i18n import N_


@dataclass(frozen=True)
class Encoding:
    """A legacy encoding a signer file may be in, with the name a volunteer recognises."""

    codec: str
    label: str  # marked with N_: shown through _()
    prior: float  # how much more common than the others: added to the score


WINDOWS_1252 = Encoding("cp1252", "Windows-1252", 0.0)
# In order of preference when two read the same text.
CANDIDATES = (
    WINDOWS_1252,
    Encoding("iso-8859-15", N_("ISO-8859-15 (Latin-9)"), -0.5),
    Encoding("cp850", N_("DOS (cp850)"), -1.0),
    Encoding("mac_roman", N_("Mac (Mac Roman)"), -1.0),
    Encoding("cp1250", N_("Windows-1250 (Central European)"), -1.0),
    Encoding("iso-8859-2", N_("ISO-8859-2 (Latin-2)"), -1.5),
)

# Below this lead over the runner-up the reading is not certain.
MARGIN = 2.0


@dataclass(frozen=True)
class Reading:
    """A file's text in the encoding that reads best, and the runner-up if it is not certain."""

    text: str
    encoding: Encoding
    doubt: Encoding | None = None


def read_legacy(data: bytes) -> Reading:
    """Decode ``data`` in the candidate whose text looks most like names and addresses."""
    # Only the words with a byte above ASCII can read differently; each counts once, so a
    # town on every row is one piece of evidence, and a long file is scored in milliseconds.
    words = list(dict.fromkeys(word[:_LONGEST] for word in _BYTE_WORD.findall(data)))
    words = words[:_MAX_WORDS]
    readings: dict[tuple[str, ...], Encoding] = {}
    for encoding in CANDIDATES:
        decoded = tuple(word.decode(encoding.codec, errors=_C1) for word in words)
        readings.setdefault(decoded, encoding)  # the same text: the more common encoding
    scores: dict[str, float] = {}  # most words read the same in most candidates

    def score(word: str) -> float:
        if word not in scores:
            scores[word] = score_text(word)
        return scores[word]

    scored = sorted(
        (
            (sum(map(score, decoded)) + encoding.prior, encoding)
            for decoded, encoding in readings.items()
        ),
        key=lambda item: -item[0],
    )
    best, encoding = scored[0]
    text = data.decode(encoding.codec, errors=_C1)
    if len(scored) == 1 or best - scored[1][0] >= MARGIN:
        return Reading(text, encoding)
    return Reading(text, encoding, scored[1][1])


def read_utf16_without_bom(data: bytes) -> str | None:
    """Return the text of a UTF-16 file without byte-order mark, or None if it is not one.

    Text in Latin script has a zero byte in every other place: after each character in
    little-endian, before it in big-endian. No single-byte text file has zero bytes; a binary
    file that happens to decode has control characters, as the binary check counts them.
    """
    sample = data[:4096]
    half = len(sample) // 2
    if half < 2:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    for codec, zeros, others in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if zeros >= half * 0.6 and others <= half * 0.02:
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                return None
            controls = len(_CONTROL.findall(text[:32768]))
            return text if controls <= max(1, len(text[:32768]) // 100) else None
    return None


# Letters of European names, by how often they appear in a German signer list: only letters
# two readings disagree on count, so these weigh, say, "ü" against "ź" and "è" against "č".
_LETTER_WEIGHTS = {
    **dict.fromkeys("äöüß", 3.0),
    "é": 2.0,
    **dict.fromkeys("áíóúçèëåøñ", 1.5),  # French, Spanish, Portuguese, Nordic
    **dict.fromkeys("łąęśżźćńčřšžěů", 1.5),  # Polish, Czech
    **dict.fromkeys("àâêîïôûùæďťňőűãõìòý", 1.0),
    **dict.fromkeys("œÿľĺŕăşţđ", 0.5),
}
# The letters one word may mix: a word whose letters no language has together is misread.
_LANGUAGES = tuple(
    frozenset(letters)
    for letters in (
        "äöüß",  # German
        "àâæçéèêëîïôœùûüÿ",  # French
        "áéíñóúü",  # Spanish
        "áâãàçéêíóôõú",  # Portuguese
        "àèéìíîòóùú",  # Italian
        "àçèéíïòóúü",  # Catalan
        "åäöæøéü",  # Danish, Norwegian, Swedish
        "áðéíóúýþæö",  # Icelandic
        "äöõüšž",  # Estonian, Finnish
        "éëïèöüáóú",  # Dutch
        "ąćęłńóśźż",  # Polish
        "áčďéěíňóřšťúůýž",  # Czech
        "áäčďéíĺľňóôŕšťúýž",  # Slovak
        "áéíóöőúüű",  # Hungarian
        "čćđšž",  # Croatian, Slovene
        "ăâîşţ",  # Romanian
        "çöüâî",  # Turkish, as far as these encodings go
        "çë",  # Albanian
    )
)
_VOWELS = frozenset("aeiouyäöüáàâãéèêëíìîïóòôõúùûýąęůěåæøœ")
# Where letters stand in the words of their languages; a letter out of place is misread.
_LAST_ONLY = frozenset("àìòù")  # Italian, Catalan: "Niccolò"; not "Nìmec" for "Němec"
_NOT_FIRST = frozenset("èąęńů")  # "Šárka" is not "èárka"
_AFTER_VOWEL = frozenset("ïÿß")  # "Anaïs", "Weiß"; not "Ïurica" for "Ďurica"
_BEFORE_VOWEL = frozenset("ñœ")  # Spanish "Muñoz", French "Cœur"; not "Wiœniewski"
# Portuguese "João", French "François", Czech "Ďurica"; not "Szõke" for "Szőke", "Sçnchez"
# for "Sánchez", "Anaďs" for "Anaïs"
_BEFORE_VOWEL_OR_LAST = frozenset("ãõçďť")
# Polish soft consonants and nasals never stand before a vowel (Polish writes "ni", "si", "zi"),
# nor do, but rarely, the accented vowels of French, Portuguese, Danish, Hungarian, Romanian:
# "Kuèera" is "Kučera", "Ondøej" is "Ondřej", "Simőes" is "Simões".
_NOT_BEFORE_VOWEL = frozenset("ńśźąęèêâîôûøæïőűă")
# Polish nasal vowels follow a consonant or a softening "i": "Świątek"; not "Miloą".
_NASALS = frozenset("ąę")
# These consonants stand next to a vowel or, the Czech ones, after a syllabic r or l ("Smrčka",
# "Vlček"): "Hélčne" is "Hélène", "Bjřrn" is "Bjørn", "Osnabrźck" is "Osnabrück". (Polish ł, ś,
# ż do stand between consonants: "Elżbieta", "Mścisław".)
_CZECH_CONSONANTS = frozenset("čřňďť")
_CONSONANTS = _CZECH_CONSONANTS | frozenset("ćńź")
# Czech and Slovak write i, never y, after their soft consonants: "Řystein" is "Øystein".
_SOFT = frozenset("čřšžďťňľ")
_ACCENTED = frozenset("áéíóúàèìòùâêîôû")  # between two vowels: "Maâlle" is "Maëlle"
# German umlauts follow no other vowel: "Miloö" is "Miloš", "Woüniak" is "Woźniak".
_UMLAUTS = frozenset("äöü")

# Symbols a list may hold between words; quotes also touching one, apostrophes inside one.
_QUOTES = frozenset("„“”‚‘’«»…")
_TYPOGRAPHIC = _QUOTES | frozenset("–—€§°·•")
_APOSTROPHES = frozenset("’‘´")  # inside a word: "O’Neill", "Dell’Acqua", "Andrea’s"
_UNCOMMON = frozenset("²³×½¼¾©®™£¥¢¡¿ªº")

_MISPLACED = -3.0  # a letter where its languages never put it
_LOWER_FIRST = -1.0  # "úukasz" for "Łukasz": names start with a capital
_SYMBOL_INSIDE = -3.0  # a symbol between two letters: "M„ller"
_SYMBOL_TOUCHING = -2.0  # a symbol but a quote at one end of a word: "Niccol•"
_IMPOSSIBLE = -4.0  # control, box-drawing and private-use characters
_RARE_LETTER = -2.0  # ƒ, ð, µ, ı, ﬂ: letters a misreading makes more often than a name
_BAD_WORD = -4.0  # a case ("MŸller") or mix of letters ("Dvoøák") no language writes

# The same in the bytes, before decoding; a file's first so many distinct ones are enough.
_BYTE_WORD = re.compile(rb"(?<![A-Za-z\x80-\xff])[A-Za-z]*+[\x80-\xff][A-Za-z\x80-\xff]*+")
_MAX_WORDS = 5000
_LONGEST = 64  # no name is longer; a longer run of letters is scored by its start
# A word with at least one non-ASCII character; whitespace and ASCII punctuation end it. Each
# is matched from its start only, without backtracking: a long run of letters takes linear time.
_WORD = re.compile(
    r"(?<![A-Za-z]|[^\x00-\x7f\s])[A-Za-z]*+[^\x00-\x7f\s](?:[A-Za-z]|[^\x00-\x7f\s])*+"
)
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_C1 = "petition-merge-c1"


def _as_c1(err: UnicodeError) -> tuple[str, int]:
    # The bytes a code page leaves undefined read as the C1 controls Latin-1 puts there, so
    # one broken byte neither fails the file nor rules its encoding out: it scores as a control.
    assert isinstance(err, UnicodeDecodeError)
    return "".join(map(chr, err.object[err.start : err.end])), err.end


codecs.register_error(_C1, _as_c1)


def score_text(text: str) -> float:
    """Score how much ``text`` looks like European names and addresses: higher is likelier."""
    return sum(_score_word(match.group()) for match in _WORD.finditer(text))


def _score_word(word: str) -> float:
    score = 0.0
    letters: list[str] = []
    for place, char in enumerate(word):
        if char.isascii():
            letters.append(char)
            continue
        weight = _LETTER_WEIGHTS.get(char.lower())
        if weight is not None:
            score += weight + _placement(word, place)
            letters.append(char)
        elif char.isalpha() and char not in _UNCOMMON:
            score += _RARE_LETTER
            letters.append(char)
        else:
            score += _score_symbol(word, place)
    if letters and not _writes(letters):
        score += _BAD_WORD
    if word[0].islower() and not word[0].isascii() and len(word) > 2:
        score += _LOWER_FIRST
    return score


def _placement(word: str, place: int) -> float:
    """Score where a known letter stands in its word: 0 where its languages put it."""
    char = word[place].lower()
    before = word[place - 1].lower() if place > 0 else ""
    after = word[place + 1].lower() if place + 1 < len(word) else ""
    misplaced = (
        (char in _LAST_ONLY and after.isalpha())
        or (char in _NOT_FIRST and not before.isalpha())
        or (char in _AFTER_VOWEL and before not in _VOWELS)
        or (char in _BEFORE_VOWEL and after not in _VOWELS)
        or (char in _BEFORE_VOWEL_OR_LAST and after.isalpha() and after not in _VOWELS)
        or (char in _NOT_BEFORE_VOWEL and after in _VOWELS)
        or (char in _UMLAUTS and before in _VOWELS and before != char)
        or (char in _NASALS and before in _VOWELS and before != "i")
        or (char == "á" and before in _VOWELS and not _diphthong(before, after))
        or (char in _ACCENTED and before in _VOWELS and after in _VOWELS)
        or (char in _CONSONANTS and _between_consonants(word, place))
        or (char in _SOFT and after in ("y", "ý"))
        or (char == "ř" and not before.isalpha() and after.isalpha() and after not in _VOWELS)
    )
    return _MISPLACED if misplaced else 0.0


def _diphthong(before: str, after: str) -> bool:
    # Spanish "Sebastián", "Juárez"; not "Straáe", "Weiá", "Strauá": DOS's ß read as Windows'.
    return before in "iu" and after.isalpha() and after not in _VOWELS


def _between_consonants(word: str, place: int) -> bool:
    if place == 0 or place + 1 == len(word):
        return False
    before, after = word[place - 1].lower(), word[place + 1].lower()
    if not (before.isalpha() and after.isalpha()) or {before, after} & _VOWELS:
        return False
    syllabic = before in "rl" and place > 1 and word[place - 2].lower() not in _VOWELS
    return not (syllabic and word[place].lower() in _CZECH_CONSONANTS)


def _apostrophe(word: str, place: int) -> bool:
    """Tell whether the symbol at ``place`` is an apostrophe or the Catalan middle dot."""
    char, rest = word[place], word[place + 1 :]
    if char == "·":
        return word[place - 1 : place + 2].lower() == "l·l"
    return char in _APOSTROPHES and (rest[0].isupper() or rest.lower() in ("s", "t"))


def _score_symbol(word: str, place: int) -> float:
    char = word[place]
    if unicodedata.category(char) in ("Cc", "Co", "Cn") or "\u2500" <= char <= "\u259f":
        return _IMPOSSIBLE
    before = place > 0 and word[place - 1].isalpha()
    after = place + 1 < len(word) and word[place + 1].isalpha()
    if before and after:
        return 0.0 if _apostrophe(word, place) else _SYMBOL_INSIDE
    if (before or after) and char not in _QUOTES:
        return _SYMBOL_TOUCHING
    if char in _TYPOGRAPHIC:
        return 0.0
    return -1.0 if char in _UNCOMMON else -2.0


def _writes(letters: list[str]) -> bool:
    """Tell whether some language writes a word of these letters, in this case."""
    word = "".join(letters).replace("ß", "")  # ß has no capital in these encodings: STRAßE
    if not word:
        return True
    if not (word.islower() or word.isupper() or (word[0].isupper() and word[1:].islower())):
        return False
    foreign = {char for char in word.lower() if not char.isascii()}
    return not foreign or any(foreign <= language for language in _LANGUAGES)
