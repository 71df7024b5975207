"""Zoom meeting chat as saved from the meeting ("Save chat", ``meeting_saved_chat.txt``).

Current form: ``10:02:11 From Ana Ribeiro to Everyone:`` with the text on the following,
tab-indented lines. Older forms put the text on the header line: ``10:02:11 From Ana Ribeiro to
Everyone : text`` and the tab-separated ``10:02:11\\t From  Ana Ribeiro : text``. Direct messages
say ``to Name(Direct Message)`` or ``(privately)``; they are messages like the others.
Reactions ("Reacted to "..." with 👍", "Removed a 👍 reaction from "...") are not messages and are
dropped. Times are wall-clock readings without a date.
"""

from __future__ import annotations

import re

from drafting.ingest.clock import clock_from_parts
from drafting.ingest.kinds import speaker_kind
from drafting.ingest.raw import Raw

FORMAT = "zoom"

# The name stops at the first " to " or " :" (Zoom pads both with spaces in older exports).
HEADER = re.compile(
    r"^(?P<h>\d{1,2}):(?P<m>\d{2}):(?P<s>\d{2})\s+From\s+(?P<name>\S.{0,100}?)"
    r"(?:\s+to\s+(?P<to>\S.{0,100}?))?\s*:\s*(?P<text>.*)$",
    re.IGNORECASE,
)
_REACTION = re.compile(
    r"^(?:Reacted to .{1,200} with \S{1,12}|Removed an? .{1,12} reaction from .{1,200})$"
)


def _body(line: str) -> str:
    """A body line without the one tab Zoom indents it with."""
    return line[1:] if line.startswith("\t") else line


def parse(text: str) -> list[Raw]:
    """Split a Zoom chat export into raw messages; lines before the first header are dropped."""
    raws: list[Raw] = []
    for line in text.split("\n"):
        match = HEADER.match(line) if line[:1].isdigit() else None
        if match is not None:
            name = match["name"].strip()
            when = clock_from_parts(match["h"], match["m"], match["s"])
            said = match["text"]
            raws.append(Raw(name, [said] if said else [], when, speaker_kind(name)))
        elif raws and (raws[-1].lines or line.strip()):
            raws[-1].lines.append(_body(line))
    return [raw for raw in raws if _REACTION.match(raw.text()) is None]


def looks_like(line: str) -> bool:
    """Whether one line is a Zoom chat message header (used by format detection)."""
    return HEADER.match(line) is not None
