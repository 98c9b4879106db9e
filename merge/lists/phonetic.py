"""How a German name sounds: the Kölner Phonetik (Hans Joachim Postel, 1969).

Names spelled differently but spoken alike get the same code: "Meier", "Meyer" and "Maier"
are 67, "Schmidt" and "Schmitt" 862. Correction detection (:mod:`merge.lists.duplicates`)
uses it to tell a corrected spelling at the same address from a second person there.
"""

from __future__ import annotations

# Letters coded regardless of their neighbours; H is dropped; the rest depend on context.
_PLAIN = {
    **dict.fromkeys("aeijouy", "0"),
    "b": "1",
    **dict.fromkeys("fvw", "3"),
    **dict.fromkeys("gkq", "4"),
    "l": "5",
    **dict.fromkeys("mn", "6"),
    "r": "7",
    **dict.fromkeys("sz", "8"),
}
_C_HARD_FIRST = frozenset("ahkloqrux")  # C at the start before these sounds like K
_C_HARD = frozenset("ahkoqux")  # elsewhere before these, unless after S or Z
_UMLAUTS = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "s"})


def cologne_code(word: str) -> str:
    """Return the Kölner Phonetik code of one word ("" if it has no Latin letter)."""
    letters = [c for c in word.lower().translate(_UMLAUTS) if "a" <= c <= "z"]
    codes: list[str] = []
    for i, char in enumerate(letters):
        before = letters[i - 1] if i else ""
        after = letters[i + 1] if i + 1 < len(letters) else ""
        if char == "h":
            continue
        if char == "p":
            code = "3" if after == "h" else "1"
        elif char in "dt":
            code = "8" if after in ("c", "s", "z") and after else "2"
        elif char == "c":
            if i == 0:
                code = "4" if after in _C_HARD_FIRST else "8"
            else:
                code = "4" if after in _C_HARD and before not in ("s", "z") else "8"
        elif char == "x":
            code = "8" if before in ("c", "k", "q") and before else "48"
        else:
            code = _PLAIN[char]
        codes.append(code)
    digits = "".join(codes)
    collapsed = "".join(d for i, d in enumerate(digits) if i == 0 or d != digits[i - 1])
    return collapsed[:1] + collapsed[1:].replace("0", "")
