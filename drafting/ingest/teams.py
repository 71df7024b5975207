"""Microsoft Teams copy-paste.

Two header forms, each followed by the message lines: ``[10:32 AM] Tom Becker`` (new Teams,
optionally ``[3/4/2024 10:32 AM]``) and ``Tom Becker 10:32 AM`` (classic Teams, optionally with a
date or ``Yesterday`` before the time). "Edited" lines mark the message edited; event lines
("Li Na joined the meeting") become system messages of their own.
"""

from __future__ import annotations

import re
from datetime import date

from drafting.ingest.clock import CLOCK, clock_from_parts
from drafting.ingest.kinds import is_system_text
from drafting.ingest.raw import UNKNOWN_SPEAKER, Raw, in_code
from drafting.ingest.types import MessageKind

FORMAT = "teams"

_DAY = (
    r"(?:(?P<d1>\d{1,2})/(?P<d2>\d{1,2})/(?P<d3>\d{2,4})|(?P<iso>\d{4}-\d{2}-\d{2})|"
    r"(?P<e1>\d{1,2})\.(?P<e2>\d{1,2})\.(?P<e3>\d{2,4})|"
    r"Yesterday|Today|(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*)"
)
_TIME = CLOCK
BRACKET_HEADER = re.compile(rf"^\[(?:{_DAY},?\s+)?{_TIME}\]\s+(?P<name>\S.{{0,80}}?)\s*$")
NAME_HEADER = re.compile(
    rf"^(?P<name>[^\W\d_][^\s\[\]:]*(?:,? [^\s\[\]:]+){{0,5}}?)\s+(?:{_DAY},?\s+)?{_TIME}\s*$"
)
_HEADER_ENDS = frozenset("0123456789Mm].")
# New Teams copy puts the author and the time on lines of their own: "Mahmood, Tariq" then
# "7:42 AM". The author line is a directory name, "Last, First" (particles and "(External)"
# allowed) or two to four capitalised words.
_WORD = r"[A-ZÀ-Þ][\w'’.-]*"
_PERSON_LINE = re.compile(
    rf"^(?:(?:[a-z]{{1,3}} )*{_WORD}(?: {_WORD}){{0,2}}, {_WORD}(?: {_WORD})?"
    rf"|{_WORD}(?: (?:[a-z]{{1,3}} )?{_WORD}){{1,3}})(?: \((?:External|Guest)\))?$"
)
_LAST_FIRST = re.compile(rf"^(?:[a-z]{{1,3}} )*{_WORD}(?: {_WORD}){{0,2}}, {_WORD}")
_TIME_LINE = re.compile(rf"^(?:(?:{_DAY}),?\s+)?{_TIME}$")
# Date dividers share the "Word, Word" shape: "Tuesday, March 4th".
_CALENDAR = re.compile(
    r"^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
    r"|Today|Yesterday)",
    re.IGNORECASE,
)
_GUEST = re.compile(r"\s*\((?:External|Guest)\)\s*$")
_REPLY_QUOTE = re.compile(r"^Replying to .{1,80}?: ")
_EVENTS = re.compile(r"^(?:Meeting started|Meeting ended\b.*|Call started|Call ended\b.*)$")
_REACTION = re.compile(r"^\W{1,4}\s*\d{1,3}$")
_NOISE = re.compile(r"^(?:Edited|\d+ (?:Like|Heart|Laugh|Surprised|Sad|Angry)s?|Has context menu)$")


def _day(match: re.Match[str]) -> date | None:
    """The date in a header: slashed dates month-first unless that cannot be (``25/3/2024``)."""
    try:
        if match["iso"]:
            return date.fromisoformat(match["iso"])
        if match["d1"]:
            a, b, year = int(match["d1"]), int(match["d2"]), int(match["d3"])
            month, day = (b, a) if a > 12 else (a, b)
            return date(year + (2000 if year < 100 else 0), month, day)
        if match["e1"]:  # 14.03.2024: dotted dates are always day first
            day, month, year = int(match["e1"]), int(match["e2"]), int(match["e3"])
            return date(year + (2000 if year < 100 else 0), month, day)
    except ValueError:
        return None
    return None


def _header(line: str) -> re.Match[str] | None:
    match = BRACKET_HEADER.match(line) or NAME_HEADER.match(line)
    if match is None:
        return None
    # A sentence next to a time ("Deploy finished 10:32 AM", "[14:32] restarted pods") is not a
    # display name: those are a few words, the last one capitalised.
    name = _GUEST.sub("", match["name"])  # "Petrov, Nikolai (External)" is Petrov, Nikolai
    words = name.split()
    if not words or len(words) > 6 or not words[-1][:1].isupper() or any(c in name for c in "<>*:"):
        return None
    return match


def _start(match: re.Match[str]) -> Raw:
    clock = clock_from_parts(match["h"], match["m"], match["s"], match["ampm"], day=_day(match))
    return Raw(speaker=_GUEST.sub("", match["name"]).strip(), when=clock)


def _furniture(line: str, current: Raw | None, raws: list[Raw]) -> str:
    """Handle reaction counts and "Edited" ("noise") and event lines ("event"); "" for text."""
    first = line[:1]
    if not (first.isupper() or first.isdigit()):  # all of them start with a capital or a digit
        return ""
    stripped = line.strip()
    if current is not None and _NOISE.match(stripped):
        current.edited = current.edited or stripped == "Edited"
        return "noise"
    if is_system_text(stripped):
        raws.append(Raw(UNKNOWN_SPEAKER, [stripped], kind=MessageKind.SYSTEM))
        return "event"
    return ""


def parse(text: str) -> list[Raw]:
    """Split a Teams copy-paste into raw messages."""
    raws: list[Raw] = []
    current: Raw | None = None
    in_fence = False
    previous = ""
    bracketed = quote = False
    for line in text.split("\n"):
        code, in_fence = in_code(line, in_fence)
        if not code:
            match = _header(line) if line[-1:] in _HEADER_ENDS or line[:1] == "[" else None
            if match is not None and _quotes(match, current, bracketed):
                quote = True  # "Virtanen, Aino 9:20 AM" atop a reply: the quoted message
                continue
            if match is not None:
                current = _start(match)
                bracketed = match.re is BRACKET_HEADER
                raws.append(current)
                continue
            if quote and line.strip():
                quote = False
                continue  # the quoted message's (shortened) text
            author = _two_line_author(previous, line.strip(), current)
            if author is not None:
                if current is not None and not current.lines and raws and raws[-1] is current:
                    raws.pop()  # it held only the author line
                current = author
                raws.append(current)
                previous = ""
                continue
            if current is not None and _REPLY_QUOTE.match(line) and not current.lines:
                previous = line
                continue  # the quoted message, shown above a reply
            stripped = line.strip()
            if _EVENTS.match(stripped):
                raws.append(Raw(UNKNOWN_SPEAKER, [stripped], kind=MessageKind.SYSTEM))
                current, previous = None, ""
                continue
            if current is not None and _REACTION.match(stripped):
                continue
            found = _furniture(line, current, raws)
            if found:
                current = None if found == "event" else current  # text after an event is new
                continue
        previous = line
        if current is None:
            if not line.strip():
                continue
            current = Raw(UNKNOWN_SPEAKER)
            raws.append(current)
        current.lines.append(line)
    return raws


def _quotes(match: re.Match[str], current: Raw | None, bracketed: bool) -> bool:
    """Whether a "Name 9:20 AM" header is a quoted message at the top of a reply: new Teams
    copies a reply as "[9:21 AM] Author", then the quoted author and time, then its text."""
    return bracketed and current is not None and not current.lines and match.re is NAME_HEADER


def _two_line_author(previous: str, line: str, current: Raw | None) -> Raw | None:
    """A new message when ``line`` is a bare time under an author line (new Teams copy)."""
    time = _TIME_LINE.match(line)
    author = previous.strip()
    if time is None or not _PERSON_LINE.match(author):
        return None
    if current is not None and current.lines and current.lines[-1].strip() == author:
        current.lines.pop()  # the author line was read as the end of the message above
        while current.lines and not current.lines[-1].strip():
            current.lines.pop()
    clock = clock_from_parts(time["h"], time["m"], time["s"], time["ampm"], day=_day(time))
    return Raw(speaker=_GUEST.sub("", author), when=clock)


def looks_like(line: str) -> bool:
    """Whether one line is a Teams message header (used by format detection): a bracketed or
    inline time header, or a directory name "Last, First" on its own (new Teams copy)."""
    if _header(line) is not None:
        return True
    return len(line) < 60 and _LAST_FIRST.match(line) is not None and not _CALENDAR.match(line)
