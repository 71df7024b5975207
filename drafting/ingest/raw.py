"""What every format parser produces, and how it becomes a :class:`Transcript`.

Parsers only split text into :class:`Raw` messages; ids, kinds, UTC timestamps and thread
references are settled here once, the same way for every format.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from drafting.errors import TranscriptError
from drafting.ingest.clock import Clock, Roller
from drafting.ingest.kinds import classify
from drafting.ingest.types import MessageKind, Person, Transcript

# The speaker of text whose author the source does not state (notes, fallback paragraphs).
UNKNOWN_SPEAKER = ""


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
    """

    speaker: str
    lines: list[str] = field(default_factory=list)
    when: Clock | datetime | None = None
    kind: MessageKind | None = None
    edited: bool = False
    parent: int | None = None

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
