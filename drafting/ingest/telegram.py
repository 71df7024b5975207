"""Telegram: the Telegram Desktop copy of messages, and the "Export chat history" JSON.

Desktop copy: a header ``Olga Petrenko, [04.03.2025 21:14]`` (the date is left out for some
copies: ``Name, [21:14]``), then the message lines. "[In reply to X]" and "[Forwarded from X]"
lines are part of the message under the header. Dotted dates are day-first; slashed ones
month-first unless the first number is above 12.

JSON export (``result.json``): ``{"name", "type", "messages": [...]}``; entries of type
``message`` are posts, ``service`` entries (group created, members added...) system messages.
``text`` is a string or a list of strings and entity objects (mentions, code, links). Times are
taken from ``date_unixtime`` (absolute) when present, else ``date`` (the exporter's local time).
The JSON is untrusted: every field is type-checked before use.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from drafting.errors import TranscriptError
from drafting.ingest.clock import CLOCK, clock_from_parts
from drafting.ingest.kinds import speaker_kind
from drafting.ingest.raw import UNKNOWN_SPEAKER, Raw, load_json
from drafting.ingest.types import MessageKind

FORMAT = "telegram"
FORMAT_JSON = "telegram-json"

_DAY = r"(?:(?P<a>\d{1,2})(?P<sep>[./])(?P<b>\d{1,2})[./](?P<y>\d{2,4})|(?P<iso>\d{4}-\d{2}-\d{2}))"
_TIME = CLOCK
HEADER = re.compile(rf"^(?P<name>[^\s\[\]].{{0,80}}?), \[(?:{_DAY},? )?{_TIME}\]\s*$")

# A cheap look at the head of a file: an object with a "messages" list whose entries carry
# Telegram's "type" and ISO "date" (Slack's API replies have "messages" too, with "ts").
_OBJECT = re.compile(r"\s*\{")
_MESSAGES = re.compile(r'"messages"\s*:\s*\[\s*\{')
_TYPE = re.compile(r'"type"\s*:\s*"(?:message|service)"')
_DATE = re.compile(r'"date"\s*:\s*"\d{4}-\d{2}-\d{2}T')
_SNIFF_CHARS = 8_000
_NOT_EXPORT = (
    "The JSON is not a Telegram chat export: expected an object with a 'messages' list "
    "of messages with a 'type' and a 'date'."
)
# Service actions, as the sentence Telegram's apps show.
_ACTIONS = {
    "create_group": "created group",
    "create_channel": "created channel",
    "migrate_to_supergroup": "upgraded the group to a supergroup",
    "invite_members": "added",
    "remove_members": "removed",
    "join_group_by_link": "joined the group via invite link",
    "join_group_by_request": "joined the group",
    "edit_group_title": "changed the group name to",
    "edit_group_photo": "changed the group photo",
    "delete_group_photo": "removed the group photo",
    "pin_message": "pinned a message",
    "clear_history": "cleared the history",
}
_TITLED = frozenset({"create_group", "create_channel", "edit_group_title"})


def _day(match: re.Match[str]) -> date | None:
    try:
        if match["iso"]:
            return date.fromisoformat(match["iso"])
        if match["a"] is None:
            return None
        a, b, year = int(match["a"]), int(match["b"]), int(match["y"])
        day_first = match["sep"] == "." or a > 12
        day, month = (a, b) if day_first else (b, a)
        return date(year + (2000 if year < 100 else 0), month, day)
    except ValueError:
        return None


def parse(text: str) -> list[Raw]:
    """Split a Telegram Desktop copy into raw messages (lines before the first header dropped)."""
    raws: list[Raw] = []
    for line in text.split("\n"):
        match = HEADER.match(line) if line[-1:] == "]" else None
        if match is not None:
            name = match["name"].strip()
            when = clock_from_parts(
                match["h"], match["m"], match["s"], match["ampm"], day=_day(match)
            )
            raws.append(Raw(name, when=when, kind=speaker_kind(name)))
        elif raws and (raws[-1].lines or line.strip()):
            raws[-1].lines.append(line)
    return raws


def looks_like(line: str) -> bool:
    """Whether one line is a Telegram Desktop copy header (used by format detection)."""
    return HEADER.match(line) is not None


# --- JSON export -------------------------------------------------------------------------------


def sniff(text: str) -> bool:
    """Whether ``text`` looks like a Telegram JSON export (a cheap look at its head only)."""
    head = text[:_SNIFF_CHARS]
    messages = _MESSAGES.search(head) if _OBJECT.match(head) else None
    if messages is None:
        return False
    start = messages.end()
    return _TYPE.search(head, start) is not None and _DATE.search(head, start) is not None


def _s(value: object) -> str:
    """A JSON value as a string, or '' when it is not one (untrusted input)."""
    return value if isinstance(value, str) else ""


def _entity(part: object) -> str:
    """One piece of a ``text`` list: a plain string, or an entity object with its own text."""
    if isinstance(part, str):
        return part
    if not isinstance(part, dict):
        return ""
    text, kind = _s(part.get("text")), _s(part.get("type"))
    if kind == "pre":
        return f"```\n{text}\n```"
    if kind == "code":
        return f"`{text}`"
    return text


def _text(message: Mapping[str, Any]) -> str:
    value = message.get("text")
    if isinstance(value, list):
        return "".join(_entity(part) for part in value)
    return _s(value)


def _attachments(message: Mapping[str, Any]) -> list[str]:
    """What a post carries besides text: a photo, a file or a sticker."""
    lines = ["[photo]"] if "photo" in message else []
    if _s(message.get("sticker_emoji")):
        lines.append(_s(message.get("sticker_emoji")))
    elif _s(message.get("file")) or _s(message.get("media_type")):
        name = _s(message.get("file_name")) or _s(message.get("media_type"))
        lines.append(f"[file: {name}]" if name else "[file]")
    return lines


def _when(message: Mapping[str, Any]) -> datetime | None:
    unix = _s(message.get("date_unixtime"))
    try:
        if unix.isdigit():
            return datetime.fromtimestamp(int(unix), UTC)
        return datetime.fromisoformat(_s(message.get("date")))
    except (ValueError, OverflowError, OSError):
        return None


def _service(message: Mapping[str, Any]) -> Raw:
    """A service entry as a system message: "<actor> <action> [title] [members]"."""
    action = _s(message.get("action"))
    words = [_s(message.get("actor")), _ACTIONS.get(action, action.replace("_", " "))]
    title = _s(message.get("title"))
    if title and action in _TITLED:
        words.append(f"\u201c{title}\u201d")
    members = message.get("members")
    names = [_s(m) for m in members if _s(m)] if isinstance(members, list) else []
    if names:
        words.append(("with " if action in _TITLED else "") + ", ".join(names))
    line = " ".join(w for w in words if w)
    return Raw(UNKNOWN_SPEAKER, [line] if line else [], _when(message), MessageKind.SYSTEM)


def _post(message: Mapping[str, Any]) -> Raw:
    speaker = _s(message.get("from")) or UNKNOWN_SPEAKER
    forwarded = _s(message.get("forwarded_from"))
    text = _text(message)
    lines = [f"[Forwarded from {forwarded}]"] if forwarded else []
    lines += [text] if text else []
    lines += _attachments(message)
    kind = speaker_kind(speaker) if speaker else None
    return Raw(speaker, lines, _when(message), kind, "edited" in message)


def parse_json(text: str) -> list[Raw]:
    """The posts and service entries of a Telegram JSON export, in file order.

    Raises:
        TranscriptError: the text is not JSON, or not a Telegram chat export.
    """
    data = load_json(text, "Telegram export")
    items = data.get("messages") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise TranscriptError(_NOT_EXPORT)
    raws: list[Raw] = []
    position: dict[int, int] = {}
    for item in items:
        if not isinstance(item, dict) or item.get("type") not in ("message", "service"):
            continue
        raw = _service(item) if item["type"] == "service" else _post(item)
        reply_to = item.get("reply_to_message_id")
        if isinstance(reply_to, int) and reply_to in position:
            raw.parent = position[reply_to]
        if isinstance(item.get("id"), int):
            position[item["id"]] = len(raws)
        raws.append(raw)
    if items and not raws:
        raise TranscriptError(_NOT_EXPORT)
    return raws
