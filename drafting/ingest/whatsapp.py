"""WhatsApp "Export chat" text files, iOS and Android.

iOS: ``[04/03/2025, 10:02:11] Name: text`` (always with seconds); Android:
``04/03/2025, 10:02 - Name: text`` (never with seconds), 24-hour or US 12-hour
(``3/4/25, 6:02 AM - Name: text``). Lines without a header continue the message before.
System lines (encryption notice, "created group", "added", "left"...) become system
messages: on Android they have no ``Name:``; on iOS they are attributed to the group and their
text starts with a U+200E mark. Placeholders ("<Media omitted>", "image omitted", "This message
was deleted", "null") are posts and stay messages. Invisible direction marks are removed.

Dates: ``a/b/y`` is day-first or month-first depending on the phone's locale. Across the file a
first number above 12 means day-first and a second number above 12 means month-first; when no
number decides, 12-hour (AM/PM) exports are read month-first (US) and 24-hour ones day-first.
Dotted dates (``04.03.25``) are always day-first, ``2025-03-04`` year-first.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from drafting.ingest.clock import clock_from_parts
from drafting.ingest.kinds import speaker_kind
from drafting.ingest.raw import UNKNOWN_SPEAKER, Raw
from drafting.ingest.types import MessageKind

FORMAT = "whatsapp"

# Left-to-right/right-to-left marks and the embedding/isolate characters WhatsApp puts around
# phone numbers and some placeholders: invisible, and they break name matching later.
_MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_DATE = r"(?P<a>\d{1,4})(?P<sep>[/.-])(?P<b>\d{1,2})[/.-](?P<c>\d{2,4})"
# iOS puts the stamp in brackets, always with seconds; Android follows it with " - " and never
# writes seconds. Both rules matter: "[3/4/2024 10:02 AM] Name" is Teams (no comma, no seconds)
# and "3/4/2025, 1:02:14 PM - Name: text" is an Element (Matrix) export.
_TIME = (
    r"(?P<h>\d{1,2})[:.](?P<m>\d{2})(?(open)[:.](?P<s>\d{2}))"
    r"(?:\s?(?P<ampm>[AaPp])\.?\s?[Mm]\.?)?"
)
HEADER = re.compile(rf"^(?P<open>\[)?{_DATE},\s{_TIME}(?(open)\]\s|\s[-–]\s)(?P<rest>.*)$")
_SAID = re.compile(r"^(?P<name>[^:]{1,80}?):(?:\s(?P<text>.*))?$")
_EVENT = (
    r"created (?:the )?group|created this group|added |removed |left$|joined using|"
    r"joined from the community|changed (?:the subject|the group|this group|their phone number|"
    r"to \+|the settings|the disappearing)|deleted this group's|turned (?:on|off) |"
    r"(?:is|are|'re) now an admin|pinned a message|reset this group's|was added|were added"
)
# Events are "<someone> <event>" where <someone> holds no colon, or one of the fixed notices.
_SYSTEM = re.compile(
    rf"^(?:(?:[^:]{{1,80}} )?(?:{_EVENT})|"
    r"Messages (?:and calls )?(?:to this (?:group|chat) )?(?:are|were) (?:now )?"
    r"(?:end-to-end encrypted|secured)|"
    r"Your security code with .{1,80} changed|"
    r"Missed (?:group )?(?:voice|video) call|"
    r"Disappearing messages|This (?:group|chat) (?:is|was)|You (?:created|joined|were))"
)
_EDITED = "<This message was edited>"


def _day_first(matches: Sequence[re.Match[str]]) -> bool:
    """Whether the file's slashed dates are day-first (see the module docstring)."""
    slashed = [m for m in matches if m["sep"] != "." and len(m["a"]) <= 2]
    if any(int(m["a"]) > 12 for m in slashed):
        return True
    if any(int(m["b"]) > 12 for m in slashed):
        return False
    return not any(m["ampm"] for m in matches)


def _day(match: re.Match[str], day_first: bool) -> date | None:
    a, b, c = int(match["a"]), int(match["b"]), int(match["c"])
    if len(match["a"]) == 4:
        year, month, day = a, b, c
    elif match["sep"] == "." or day_first:
        day, month, year = a, b, c
    else:
        month, day, year = a, b, c
    try:
        return date(year + (2000 if year < 100 else 0), month, day)
    except ValueError:
        return None


def _raw(match: re.Match[str], day_first: bool) -> Raw:
    """The message a header line starts: a post, or a system line."""
    when = clock_from_parts(
        match["h"], match["m"], match["s"], match["ampm"], day=_day(match, day_first)
    )
    rest = _MARKS.sub("", match["rest"]).rstrip()
    # iOS events ("Group: <U+200E>Emeka added ...") carry the mark; posts never start with one
    # unless they are placeholders ("<U+200E>image omitted"), which no event pattern matches.
    said = _SAID.match(rest) if _SYSTEM.match(rest) is None else None
    if said is None:
        return Raw(UNKNOWN_SPEAKER, [rest], when, MessageKind.SYSTEM)
    name, text = said["name"].strip(), said["text"] or ""
    marked = match["rest"].partition(":")[2].lstrip(" ")[:1] == "\u200e"
    if marked and _SYSTEM.match(text):
        return Raw(UNKNOWN_SPEAKER, [text], when, MessageKind.SYSTEM)
    return Raw(name, [text], when, speaker_kind(name))


def _finish(raw: Raw) -> None:
    """Drop trailing blank lines; turn WhatsApp's "<This message was edited>" into the flag."""
    while len(raw.lines) > 1 and not raw.lines[-1].strip():
        raw.lines.pop()
    last = raw.lines[-1].rstrip() if raw.lines else ""
    if last.endswith(_EDITED):
        raw.lines[-1] = last[: -len(_EDITED)].rstrip()
        raw.edited = True


def parse(text: str) -> list[Raw]:
    """Split a WhatsApp export into raw messages; lines before the first header are dropped."""
    lines = text.split("\n")
    matches = [HEADER.match(line.lstrip("\u200e\u200f")) for line in lines]
    day_first = _day_first([m for m in matches if m is not None])
    raws: list[Raw] = []
    for line, match in zip(lines, matches, strict=True):
        if match is not None:
            if raws:
                _finish(raws[-1])
            raws.append(_raw(match, day_first))
        elif raws:
            raws[-1].lines.append(_MARKS.sub("", line.rstrip("\r")))
    if raws:
        _finish(raws[-1])
    return raws


def looks_like(line: str) -> bool:
    """Whether one line is a WhatsApp message header (used by format detection)."""
    match = HEADER.match(line.lstrip("\u200e\u200f"))
    return match is not None and bool(match["rest"].strip())
