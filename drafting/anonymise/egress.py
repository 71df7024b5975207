"""The leak check every text passes before it leaves the process.

If any roster variant (a real name, handle, first or last name) or any redaction pattern (email,
phone number, secret) survives in a text, sending is refused with :class:`LeakError`. The error
says what kind leaked, never the value, so the refusal itself cannot leak it. Every
``drafting.model.client.ModelClient`` builds its guard from the roster it is given and runs it
on every outgoing message; it is one pass of two compiled regexes.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from drafting.anonymise.redact import RedactOptions, find_kinds
from drafting.anonymise.roster import Roster
from drafting.errors import LeakError


def leaks(text: str, roster: Roster, options: RedactOptions | None = None) -> list[str]:
    """The kinds of sensitive data still in ``text`` (empty when it is safe to send).

    Args:
        text: The exact text about to leave the process.
        roster: The roster whose names must not appear.
        options: Extra redaction kinds (IPs, hostnames) that must not appear either.
    """
    if "\\" in text:
        # A JSON-encoded body hides "\nTom" or "Ren\u00e9e" from word matching: look at both.
        text = f"{text}\n{_unescaped(text)}"
    kinds = []
    if roster.matcher().hits(text):
        kinds.append("a person's name")
    kinds.extend(find_kinds(text, options))
    return kinds


_ESCAPE = re.compile(r"\\(?:u([0-9a-fA-F]{4})|([ntr\"\\/]))")
_SIMPLE = {"n": "\n", "t": "\t", "r": "\n", '"': '"', "\\": "\\", "/": "/"}


def _unescaped(text: str) -> str:
    def one(m: re.Match[str]) -> str:
        return chr(int(m.group(1), 16)) if m.group(1) else _SIMPLE[m.group(2)]

    return _ESCAPE.sub(one, text)


def check(text: str, roster: Roster, options: RedactOptions | None = None) -> None:
    """Refuse to send ``text`` if a name, contact detail or secret survives in it.

    Raises:
        LeakError: naming the kinds found (not the values).
    """
    kinds = leaks(text, roster, options)
    if kinds:
        raise LeakError(
            f"Refusing to send: the text still contains {_join(kinds)}; "
            "anonymise it before it leaves this machine."
        )


def make_guard(roster: Roster, options: RedactOptions | None = None) -> Callable[[str], None]:
    """A ``guard(text)`` callable for the model client: raises LeakError on any leak."""
    roster.matcher()  # compile now, not on the first outgoing request

    def guard(text: str) -> None:
        check(text, roster, options)

    return guard


def _join(kinds: list[str]) -> str:
    with_article = [k if k.startswith("a ") else f"{_article(k)} {k}" for k in kinds]
    if len(with_article) == 1:
        return with_article[0]
    return ", ".join(with_article[:-1]) + " and " + with_article[-1]


def _article(kind: str) -> str:
    if kind == "secret":
        return "a"
    return "an" if kind[:1] in "aeiouIAEOU" else "a"
