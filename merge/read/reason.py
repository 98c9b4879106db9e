"""Why a row is refused or noted: the text in the run's language, with a stable code.

A :class:`Reason` is the translated sentence itself (a ``str``: it is printed, written to
the checklist and compared as text) and carries ``code``, a short English word such as
``"no-postcode-or-town"`` that stays the same in every language, for manifest.json and the
scripts that read it.
"""

from __future__ import annotations


class Reason(str):
    """A reason as the user reads it, with its stable English ``code`` for scripts."""

    code: str

    def __new__(cls, code: str, text: str) -> Reason:
        reason = super().__new__(cls, text)
        reason.code = code
        return reason

    def __getnewargs__(self) -> tuple[str, str]:  # type: ignore[override]
        return self.code, str(self)


def code_of(text: str, default: str) -> str:
    """Return the code of a reason; ``default`` for a text made without one."""
    return text.code if isinstance(text, Reason) else default
