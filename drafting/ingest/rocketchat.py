"""Rocket.Chat web copy-paste.

A header line per message, ``Full Name @username 8:01 AM`` (real names shown) or, for an
integration, ``rocket.cat Bot 7:58 AM``; role tags (``Admin``, ``Owner``, ``Moderator``...) may
sit before the time. The message lines follow. A header needs the ``@username``, or a tag after a
one-token name (the username, shown alone when real names are off): a bare ``name 8:01 AM`` is too
like a line of text (or a classic Teams header) to be trusted.

Rocket.Chat's own event lines (``Started a call``, ``Message pinned``, ``User x added by y``...)
become system messages; date dividers (``March 4, 2025``, ``Today``) date the times after them;
a ``#channel`` line before the first message is the room name, not a message.
"""

from __future__ import annotations

import re
from datetime import date

from drafting.ingest.clock import clock_from_parts
from drafting.ingest.kinds import speaker_kind
from drafting.ingest.raw import UNKNOWN_SPEAKER, Raw, in_code
from drafting.ingest.types import MessageKind

FORMAT = "rocketchat"

_TAG = r"(?:Bot|App|Admin|Owner|Moderator|Leader|Guest)"
HEADER = re.compile(
    r"^(?P<name>[^\s@#:][^@:\t]{0,79}?)"
    r"(?P<user> @[\w.-]{1,60})?(?P<tags>(?: " + _TAG + r")*)"
    r" (?P<h>\d{1,2}):(?P<m>\d{2})(?: ?(?P<ampm>[AaPp][Mm]))?\s*$"
)
_BOT_TAGS = frozenset({"Bot", "App"})
_MAX_NAME_WORDS = 6
EVENT = re.compile(
    r"^(?:Started a call|Call (?:started|ended)|Joined the call|"
    r"Message (?:pinned|unpinned|removed|deleted)|Pinned a message:?.*|"
    r"(?:Has )?(?:joined|left) the (?:channel|room|conversation|team)\.?|"
    r"User \S+ (?:added|removed) by \S+\.?|(?:Added|Removed) user \S+\.?|"
    r"Room (?:name|topic|description|announcement|avatar) changed(?: to)?:? .*|"
    r"Changed (?:the )?room (?:name|topic|description|announcement) to:? .*|"
    r"Discussion started|This room has been archived|Room (?:archived|unarchived))$",
    re.IGNORECASE,
)
_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTHS = {m: i + 1 for i, m in enumerate(_MONTH_NAMES)}
DIVIDER = re.compile(
    r"^(?:(?P<rel>Today|Yesterday)|(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,? )?"
    r"(?P<mon>[A-Z][a-z]{2})[a-z]*\.? (?P<day>\d{1,2}),? (?P<year>\d{4}))\s*$"
)
_ROOM = re.compile(r"^#[\w.-]{1,100}\s*$")


def _header(line: str) -> re.Match[str] | None:
    match = HEADER.match(line)
    if match is None or clock_from_parts(match["h"], match["m"], None, match["ampm"]) is None:
        return None
    words = len(match["name"].split())
    # Without "@username" the name shown is the username itself: one token ("rocket.cat").
    if (match["user"] and words <= _MAX_NAME_WORDS) or (match["tags"] and words == 1):
        return match
    return None


def _divider(line: str) -> tuple[date | None] | None:
    """The date a divider line sets (``(None,)`` for Today/Yesterday), or None if not one."""
    match = DIVIDER.match(line)
    if match is None:
        return None
    if match["rel"]:
        return (None,)
    try:
        return (date(int(match["year"]), _MONTHS[match["mon"]], int(match["day"])),)
    except (KeyError, ValueError):
        return None


class _Parser:
    """Line-by-line state: the message being built and the date context."""

    def __init__(self) -> None:
        self.raws: list[Raw] = []
        self.current: Raw | None = None
        self.day: date | None = None
        self.new_day = False
        self.in_fence = False

    def feed(self, line: str) -> None:
        code, self.in_fence = in_code(line, self.in_fence)
        if code:
            self._add(line)
            return
        match = _header(line) if line.rstrip()[-1:] in "0123456789Mm" else None
        if match is not None:
            self._start(match)
        elif EVENT.match(line.strip()):
            self.raws.append(Raw(UNKNOWN_SPEAKER, [line.strip()], kind=MessageKind.SYSTEM))
            self.current = None
        elif (divider := _divider(line)) is not None:
            (self.day,) = divider
            self.new_day = bool(self.raws) and self.day is None
        elif not (self.current is None and _ROOM.match(line)):
            self._add(line)

    def _start(self, match: re.Match[str]) -> None:
        name = match["name"].strip()
        clock = clock_from_parts(
            match["h"], match["m"], None, match["ampm"], day=self.day, new_day=self.new_day
        )
        self.new_day = False
        bot = bool(_BOT_TAGS & set(match["tags"].split()))
        # Rocket.Chat marks its events itself: what a named sender posts is never one.
        kind = MessageKind.BOT if bot else speaker_kind(name)
        self.current = Raw(name, when=clock, kind=kind)
        self.raws.append(self.current)

    def _add(self, line: str) -> None:
        if self.current is None:
            if not line.strip():
                return
            self.current = Raw(UNKNOWN_SPEAKER)
            self.raws.append(self.current)
        if self.current.lines or line.strip():
            self.current.lines.append(line)


def parse(text: str) -> list[Raw]:
    """Split a Rocket.Chat copy-paste into raw messages."""
    parser = _Parser()
    for line in text.split("\n"):
        parser.feed(line.rstrip("\r"))
    return parser.raws


def looks_like(line: str) -> bool:
    """Whether one line is a Rocket.Chat message header (used by format detection)."""
    return line.rstrip()[-1:] in "0123456789Mm" and _header(line) is not None
