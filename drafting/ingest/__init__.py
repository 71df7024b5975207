"""Ingest: detect the format of what people paste or upload and parse it into a Transcript.

Public API: :func:`parse`, :func:`parse_export`, :func:`parse_users`, :func:`detect_format`,
:data:`FORMATS`, and the model types :class:`Transcript`, :class:`Message`, :class:`MessageKind`,
:class:`Person`. Pure: no I/O; callers read files with ``drafting.textinput`` and pass text.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Sequence

from drafting.errors import TranscriptError
from drafting.ingest import fallback, slack_export, slack_paste
from drafting.ingest.detect import FORMATS, PARSERS, SLACK_EXPORT, detect_blocks, detect_format
from drafting.ingest.raw import UNKNOWN_SPEAKER, Raw, assemble
from drafting.ingest.slack_export import parse_users
from drafting.ingest.types import Message, MessageKind, Person, Transcript

__all__ = [
    "FORMATS",
    "UNKNOWN_SPEAKER",
    "Message",
    "MessageKind",
    "Person",
    "Transcript",
    "detect_format",
    "parse",
    "parse_export",
    "parse_users",
]

_ALIASES = {"slack": slack_paste.FORMAT, "slack-json": SLACK_EXPORT, "text": fallback.FORMAT}


def _format_name(fmt: str | None, text: str) -> str:
    if fmt is None:
        return detect_format(text)
    name = _ALIASES.get(fmt.strip().lower(), fmt.strip().lower())
    if name not in FORMATS:
        known = ", ".join(FORMATS)
        raise TranscriptError(f"Unknown transcript format {fmt!r}: use one of {known}.")
    return name


def parse(
    text: str,
    *,
    fmt: str | None = None,
    users: Sequence[Person] | None = None,
    date: dt.date | None = None,
    tz: str = "UTC",
) -> Transcript:
    """Parse a transcript, detecting its format unless ``fmt`` names one of :data:`FORMATS`.

    Args:
        text: the transcript as pasted or read (already decoded).
        fmt: force a format instead of detecting it.
        users: known people (Slack ``users.json``); resolves export mentions.
        date: the incident's (first) date in ``tz``; times without a date are placed on it.
        tz: the zone the transcript's clock times are in (IANA name or ``+02:00``); all
            timestamps come out in UTC.

    Raises:
        TranscriptError: empty text, an unknown format or zone, or JSON that is not a Slack export.
    """
    # Composed letters (NFC): a paste from macOS may write "ú" as "u" and an accent.
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise TranscriptError("The transcript is empty.")
    people: Sequence[Person] = users or ()
    blocks = [(_format_name(fmt, text), text)] if fmt else detect_blocks(text)
    raws: list[Raw] = []
    for name, block in blocks:
        if name == SLACK_EXPORT:
            parsed, people = slack_export.parse(slack_export.message_list(block), people)
        else:
            parsed = PARSERS[name](block)
        raws += _offset_parents(parsed, len(raws))
    names = list(dict.fromkeys(name for name, _ in blocks))
    return assemble(raws, "+".join(names), people=people, start=date, tz=tz)


def _offset_parents(raws: list[Raw], offset: int) -> list[Raw]:
    """A block's messages with their thread parents renumbered for their place in the whole."""
    for raw in raws:
        if raw.parent is not None:
            raw.parent += offset
    return raws


def parse_export(
    days: Sequence[str], *, users: Sequence[Person] | None = None, tz: str = "UTC"
) -> Transcript:
    """Parse a Slack channel export given as several day files (``2024-03-04.json``...).

    Raises:
        TranscriptError: a file is not JSON or not a list of Slack messages.
    """
    messages = [m for day in days for m in slack_export.message_list(day)]
    raws, people = slack_export.parse(messages, users or ())
    return assemble(raws, SLACK_EXPORT, people=people, tz=tz)
