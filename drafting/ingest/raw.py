"""What every format parser produces, and how it becomes a :class:`Transcript`.

Parsers only split text into :class:`Raw` messages; ids, kinds, UTC timestamps and thread
references are settled here once, the same way for every format.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from drafting.errors import TranscriptError
from drafting.ingest.clock import Clock, Roller
from drafting.ingest.kinds import classify
from drafting.ingest.types import MessageKind, Person, Transcript

# The speaker of text whose author the source does not state (notes, fallback paragraphs).
UNKNOWN_SPEAKER = ""
FENCE = "```"


def in_code(line: str, fenced: bool) -> tuple[bool, bool]:
    """Whether ``line`` is pasted code (a fence line, or inside a fence), and whether a fence is
    open after it: an odd number of fences on a line opens or closes one. Every line parser
    keeps code as message text instead of reading headers in it."""
    if fenced or FENCE in line:
        return True, fenced != (line.count(FENCE) % 2 == 1)
    return False, fenced


def load_json(text: str, what: str) -> Any:
    """Parse a JSON export, turning a syntax error into one clear sentence naming ``what``.

    Raises:
        TranscriptError: the text is not valid JSON, or nested too deeply to read.
    """
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise TranscriptError(
            f"The {what} is not valid JSON (line {err.lineno}, column {err.colno})."
        ) from err
    except RecursionError as err:
        raise TranscriptError(f"The {what} is nested too deeply to read.") from err


@dataclass(slots=True)
class Raw:
    """One message as split out of the source, before ids and timestamps are settled.

    Attributes:
        speaker: the name as written.
        lines: the message's text lines.
        when: a wall-clock reading, an absolute datetime (naive = transcript zone) or None.
        kind: set when the source says so (Slack subtypes, IRC joins); else classified.
        edited: the source marked the message as edited.
        parent: index (in the parser's output) of the thread parent, if known.
        handle: the speaker's username where the source shows it beside the display name
            (Mattermost, Rocket.Chat): the same person, so the roster links the two.
    """

    speaker: str
    lines: list[str] = field(default_factory=list)
    when: Clock | datetime | None = None
    kind: MessageKind | None = None
    edited: bool = False
    parent: int | None = None
    handle: str | None = None

    def text(self) -> str:
        """The message text: lines joined, surrounding blank lines removed."""
        return "\n".join(self.lines).strip("\n").rstrip()


def assemble(
    raws: Sequence[Raw],
    fmt: str,
    *,
    people: Sequence[Person] = (),
    start: date | None = None,
    tz: str = "UTC",
) -> Transcript:
    """Number, classify and timestamp parsed messages into a :class:`Transcript`.

    Raises:
        TranscriptError: there is no message at all.
    """
    roller = Roller(start, tz)
    rows: list[dict[str, object]] = []
    for index, raw in enumerate(raws):
        lines, parent = raw.lines, raw.parent
        text = lines[0].rstrip() if len(lines) == 1 else raw.text()
        rows.append(
            {
                "id": f"m{index + 1}",
                "ts": roller.resolve(raw.when),
                "speaker": raw.speaker,
                "text": text,
                "kind": raw.kind or classify(raw.speaker, text),
                "thread": f"m{parent + 1}" if parent is not None and parent < index else None,
                "edited": raw.edited,
            }
        )
    if not rows:
        raise TranscriptError("The transcript holds no messages.")
    known = {name for p in people for name in p.names()}
    for raw in raws:
        if raw.handle and raw.speaker and raw.handle not in known:
            bot = raw.kind is MessageKind.BOT
            people = [*people, Person(display_name=raw.speaker, handle=raw.handle, is_bot=bot)]
            known.add(raw.handle)
    # One validation call for all rows: pydantic-core builds the Message models in Rust.
    return Transcript.model_validate(
        {
            "format": fmt,
            "messages": rows,
            "people": list(people),
            "timezone": tz,
            "date_known": roller.date_known,
        }
    )
