"""Timestamped notes: what an on-call writes while working an incident.

Entries start with a time, optionally bulleted, bold or bracketed, optionally with a date and a
zone marker: ``- 06:12 text``, ``14:32 UTC text``, ``**14:32** - text``,
``2024-03-04 14:32Z: text``, ``| 14:32 | text |`` (Markdown table rows). Bullets and headings
without a time are messages without a timestamp; other lines continue the entry above them until
a blank line. A line holding only a date (``## 2024-03-05``) dates the entry after it.
Notes name no speakers.
"""

from __future__ import annotations

import re
from datetime import date

from drafting.ingest.clock import Clock, clock_from_parts, iso_date
from drafting.ingest.raw import UNKNOWN_SPEAKER, Raw

FORMAT = "notes"

ENTRY = re.compile(
    r"^\s*(?:[-*•+]\s+|\d+[.)]\s+|\|\s*)?(?:\*\*|__)?\[?"
    r"(?:(?P<date>\d{4}-\d{2}-\d{2})[ T,]\s*)?"
    # Not a machine log's "09:41:07.1180312Z": fractions of a second mark pasted output.
    r"(?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2}))?(?![.,]\d|:\d)(?:\s?(?P<ampm>[AaPp])\.?[Mm]\.?)?"
    r"\s?(?P<zone>UTC|GMT|Z)?\]?(?:\*\*|__)?"
    r"(?:\s*[-–—:|]\s*|\s+)(?!<|\*\s)(?P<text>\S.*)$"
)
_BULLET = re.compile(r"^\s*(?:[-*•+]|\d+[.)])\s+|^#{1,6}\s+")
# A heading (Markdown, bold, or a short line of its own) and the sections whose times are not
# events: "09:10–09:31: ~14% of uploads failed" under Impact is a range, not a 09:10 entry.
_HEADING = re.compile(
    r"^\s*(?:#{1,6}\s*|\*\*)?(?P<title>[A-Za-z][\w ()/&'-]{0,48}?)(?:\*\*)?:?\s*$"
)
_MD_HEADING = re.compile(r"^\s*#{1,6}\s+(?P<title>\S.{0,80})$")
_UNTIMED = re.compile(
    r"(?i)^(?:customer\s+|user\s+|business\s+)?impact\b|^follow[- ]?ups?\b|^action\s+items?\b"
    r"|^root\s+causes?\b|^lessons?\b|^summary\b|^next\s+steps\b|^contributing\b"
    r"|^what\s+went\b|^where\s+we\s+got\s+lucky\b"
)
_DATE_ONLY = re.compile(r"^\s*(?:#{1,6}\s*|\*\*)?(?P<date>\d{4}-\d{2}-\d{2})(?:\*\*)?\s*:?\s*$")


def _clock(match: re.Match[str], day: date | None) -> Clock | None:
    stated = (iso_date(match["date"]) or day) if match["date"] else day
    utc = match["zone"] is not None
    return clock_from_parts(match["h"], match["m"], match["s"], match["ampm"], day=stated, utc=utc)


def _date_line(line: str) -> date | None:
    match = _DATE_ONLY.match(line)
    if match is None:
        return None
    try:
        return date.fromisoformat(match["date"])
    except ValueError:
        return None


def _entry_text(match: re.Match[str]) -> str:
    text = match["text"].rstrip()
    # A Markdown table row keeps its other cells, minus the closing pipe.
    return text[:-1].rstrip() if text.endswith("|") else text


def parse(text: str) -> list[Raw]:
    """Split timestamped notes into raw messages."""
    raws: list[Raw] = []
    current: Raw | None = None
    day: date | None = None
    untimed = False
    for line in text.split("\n"):
        if not line.strip():
            current = None
            continue
        heading = _HEADING.match(line) or _MD_HEADING.match(line)
        if heading is not None and ENTRY.match(line) is None:
            untimed = _UNTIMED.match(heading["title"].strip()) is not None
        match = ENTRY.match(line) if ":" in line[:32] and not untimed else None
        clock = _clock(match, day) if match is not None else None
        if match is not None and clock is not None:
            current = Raw(UNKNOWN_SPEAKER, [_entry_text(match)], clock)
            day = None  # a date heading dates the first entry under it; later ones roll on
        elif (stated := _date_line(line)) is not None:
            day, current = stated, None
            continue
        elif line.lstrip().startswith("|"):
            current = None  # a table's header or separator row: layout, not an event
            continue
        elif current is None or _BULLET.match(line):
            current = Raw(UNKNOWN_SPEAKER, [_BULLET.sub("", line, count=1).rstrip()])
        else:
            current.lines.append(line.strip())
            continue
        raws.append(current)
    return raws


def looks_like(line: str) -> bool:
    """Whether one line is a timestamped note entry (used by format detection)."""
    return ":" in line[:32] and ENTRY.match(line) is not None
