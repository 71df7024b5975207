"""Chat logs of one line per message with a time and a sender, in the shapes people type or tools
write when no product's own format applies: ``[14:02] Dániel Kovács: text`` (Element and many
bridges and loggers), ``[2026-03-14 14:02] Name: text``, and ``Kofi (09:12): text`` or
``Kofi [09:12]: text`` (a log tidied by hand and e-mailed around).

What follows the time is read as Matrix reads it: ``Name: text``, an emote ``* Name waves``, or a
room event ("Noa Ben-David joined the room"), which becomes a system message. Lines without a
time continue the message above; text before the first message (an e-mail's headers, a room
topic) is kept as context without a sender.
"""

from __future__ import annotations

import re

from drafting.ingest.clock import CLOCK, clock_from_parts, iso_date
from drafting.ingest.matrix import event
from drafting.ingest.raw import UNKNOWN_SPEAKER, Raw

FORMAT = "chat-log"

_TIME = CLOCK
# "[14:02] rest": not IRC's "<nick>", "-!-" or "***" lines, which IRC reads.
BRACKETED = re.compile(
    rf"^\[(?:(?P<date>\d{{4}}-\d{{2}}-\d{{2}})[ T])?{_TIME}\]\s+(?P<rest>(?![<*-]{{1,3}}\S)\S.*)$"
)
# "Kofi (09:12): text" and "Kofi [09:12]: text".
_NAME = r"(?P<name>[^\W\d_][\w'’.-]*(?: [^\W\d_][\w'’.-]*){0,4})"
NAMED = re.compile(rf"^{_NAME} [(\[]{_TIME}[)\]]\s*:\s+(?P<text>\S.*)$")
# For detection: a sender of one to five words, then ": " (not "[10:02] restarted pods").
_SAID = re.compile(r"^[^\W\d_][^:\n]{0,60}?: \S")


def _line(line: str) -> tuple[str, re.Match[str]] | None:
    """(what follows the time, the match) for a message line, else None."""
    first = line[:1]
    if first == "[":
        match = BRACKETED.match(line)
        return (match["rest"], match) if match is not None else None
    if first.isalpha() and ":" in line:
        named = NAMED.match(line)
        return (f"{named['name']}: {named['text']}", named) if named is not None else None
    return None


def parse(text: str) -> list[Raw]:
    """Split a timed chat log into raw messages."""
    raws: list[Raw] = []
    speakers: dict[str, None] = {}
    for line in text.split("\n"):
        found = _line(line.rstrip())
        if found is None:
            if raws:
                raws[-1].lines.append(line)
            elif line.strip():
                raws.append(Raw(UNKNOWN_SPEAKER, [line]))
            continue
        rest, match = found
        day = iso_date(match["date"]) if "date" in match.groupdict() and match["date"] else None
        when = clock_from_parts(match["h"], match["m"], match["s"], match["ampm"], day=day)
        raw, _quote = event(rest, when, speakers)
        if raw.speaker:
            speakers.setdefault(raw.speaker, None)
        raws.append(raw)
    return raws


def looks_like(line: str) -> bool:
    """Whether one line is a timed chat-log message (used by format detection)."""
    found = _line(line)
    return found is not None and _SAID.match(found[0]) is not None
