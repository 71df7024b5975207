"""Google Meet chat saved with a recording (``.sbv`` captions file).

Each message is a cue: a line ``0:02:11.000,0:02:11.000`` (start and end), then ``Name: text``
and any further lines of the message, then a blank line. The cue times are offsets from the
start of the recording, not times of day, so messages get no timestamp (``when`` is None):
presenting an offset as a wall-clock time would put the incident at midnight. A cue whose first
line has no ``Name:`` keeps its text with no speaker.
"""

from __future__ import annotations

import re

from drafting.ingest.kinds import speaker_kind
from drafting.ingest.raw import UNKNOWN_SPEAKER, Raw

FORMAT = "google-meet"

_OFFSET = r"\d{1,2}:\d{2}:\d{2}[.,]\d{1,3}"
CUE = re.compile(rf"^{_OFFSET},{_OFFSET}\s*$")
_SAID = re.compile(r"^(?P<name>[^:\s][^:]{0,80}?):(?:\s(?P<text>.*))?$")


def _first_line(raw: Raw, line: str) -> None:
    """Fill a new cue's message from its first text line: ``Name: text``."""
    said = _SAID.match(line)
    if said is None:
        raw.lines.append(line)
        return
    raw.speaker = said["name"].strip()
    raw.kind = speaker_kind(raw.speaker)
    raw.lines.append(said["text"] or "")


def parse(text: str) -> list[Raw]:
    """Split a Meet ``.sbv`` chat into raw messages, one per cue."""
    raws: list[Raw] = []
    current: Raw | None = None
    for line in text.split("\n"):
        if line[:1].isdigit() and CUE.match(line):
            current = Raw(UNKNOWN_SPEAKER)
            raws.append(current)
        elif current is None:
            continue
        elif not current.lines and not current.speaker:
            if line.strip():
                _first_line(current, line)
        else:
            current.lines.append(line)
    return [raw for raw in raws if raw.lines]


def looks_like(line: str) -> bool:
    """Whether one line is a Meet chat cue line (used by format detection)."""
    return CUE.match(line) is not None
