"""Slack export JSON: a channel's day files (lists of messages) and the workspace ``users.json``.

Mentions (``<@U123>``) resolve to ``@Display Name`` through the users; links keep their label;
``bot_message`` subtypes and ``bot_id`` mark integrations; joins and topic changes are system
messages; ``thread_ts`` links replies to their parent. The JSON is untrusted: every field is
type-checked before use.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from drafting.errors import TranscriptError
from drafting.ingest.kinds import speaker_kind
from drafting.ingest.raw import Raw, load_json
from drafting.ingest.types import MessageKind, Person

FORMAT = "slack-export"

SYSTEM_SUBTYPES = frozenset(
    {
        "channel_join",
        "channel_leave",
        "channel_topic",
        "channel_purpose",
        "channel_name",
        "channel_archive",
        "channel_unarchive",
        "group_join",
        "group_leave",
        "group_topic",
        "group_purpose",
        "pinned_item",
        "unpinned_item",
        "bot_add",
        "bot_remove",
    }
)
_ANGLE = re.compile(r"<([^<>\n]{1,500})>")
_NOT_EXPORT = "The JSON is not a Slack channel export: expected a list of messages with 'ts'."


def _s(value: object) -> str:
    """A JSON value as a string, or '' when it is not one (untrusted input)."""
    return value if isinstance(value, str) else ""


def _obj(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def parse_users(text: str) -> list[Person]:
    """The people in a Slack ``users.json`` (a list, or an object with ``members``).

    Raises:
        TranscriptError: the text is not JSON or not a list of users.
    """
    data = load_json(text, "users file")
    members = data.get("members") if isinstance(data, dict) else data
    if not isinstance(members, list):
        raise TranscriptError("The users file is not a Slack users.json: expected a list of users.")
    return [_person(m) for m in members if isinstance(m, dict) and _s(m.get("id"))]


def _person(member: Mapping[str, Any]) -> Person:
    profile = _obj(member.get("profile"))
    return Person(
        user_id=_s(member.get("id")) or None,
        handle=_s(member.get("name")) or None,
        real_name=_s(member.get("real_name")) or _s(profile.get("real_name")) or None,
        display_name=_s(profile.get("display_name")) or None,
        is_bot=member.get("is_bot") is True or member.get("id") == "USLACKBOT",
        email=_s(profile.get("email")) or None,
        phone=_s(profile.get("phone")) or None,
    )


def message_list(text: str) -> list[Mapping[str, Any]]:
    """The message objects of one export file (a list, or an API reply with ``messages``).

    Raises:
        TranscriptError: the text is not JSON, or not a list of Slack messages.
    """
    data = load_json(text, "Slack export")
    items = data.get("messages") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise TranscriptError(_NOT_EXPORT)
    messages: list[Mapping[str, Any]] = [
        m for m in items if isinstance(m, dict) and isinstance(m.get("ts"), str)
    ]
    if items and not messages:
        raise TranscriptError(_NOT_EXPORT)
    return messages


def _stamp(ts: str) -> tuple[float, datetime | None]:
    try:
        seconds = float(ts)
        # The fraction is Slack's per-channel sequence number, not sub-second time.
        return seconds, datetime.fromtimestamp(int(seconds), UTC)
    except (ValueError, OverflowError, OSError):
        return float("inf"), None


class _Directory:
    """Who is who: users.json people, completed by the profiles embedded in messages."""

    def __init__(self, users: Iterable[Person]) -> None:
        self.people: dict[str, Person] = {p.user_id: p for p in users if p.user_id}
        self.learned: list[Person] = []

    def learn(self, message: Mapping[str, Any]) -> None:
        uid, profile = _s(message.get("user")), _obj(message.get("user_profile"))
        if uid and profile and uid not in self.people:
            person = Person(
                user_id=uid,
                handle=_s(profile.get("name")) or None,
                real_name=_s(profile.get("real_name")) or None,
                display_name=_s(profile.get("display_name")) or None,
            )
            self.people[uid] = person
            self.learned.append(person)

    def name(self, uid: str) -> str:
        person = self.people.get(uid)
        if person is None:
            return uid
        return person.display_name or person.real_name or person.handle or uid

    def is_bot(self, uid: str) -> bool:
        person = self.people.get(uid)
        return person is not None and person.is_bot


def render_text(text: str, directory: _Directory) -> str:
    """Slack markup to plain text: mentions to ``@Name``, links to their label, entities decoded."""

    def one(match: re.Match[str]) -> str:
        body = match.group(1)
        target, _, label = body.partition("|")
        if target.startswith("@"):
            return "@" + (label.lstrip("@") or directory.name(target[1:]))
        if target.startswith("#"):
            return "#" + (label or target[1:])
        if target.startswith("!"):
            special = target[1:].split("^", 1)[0]
            return label or ("@" + special if special in ("here", "channel", "everyone") else "")
        return label or target

    plain = _ANGLE.sub(one, text) if "<" in text else text
    return plain.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _extra_lines(message: Mapping[str, Any], directory: _Directory) -> list[str]:
    """Text carried by attachments (alerts), blocks and shared files."""
    lines: list[str] = []
    for item in _list(message.get("attachments")):
        a = _obj(item)
        parts = [_s(a.get(k)) for k in ("pretext", "title", "text")]
        fallback = _s(a.get("fallback"))
        if not (parts[0] or parts[1]) and fallback not in parts[2]:
            parts.insert(0, fallback)  # alerts often put their headline only in the fallback
        lines += [render_text(p, directory) for p in parts if p]
        for f in _list(a.get("fields")):
            field = _obj(f)
            if _s(field.get("title")) or _s(field.get("value")):
                value = render_text(_s(field.get("value")), directory)
                lines.append(f"{_s(field.get('title'))}: {value}")
    for item in _list(message.get("files")):
        name = _s(_obj(item).get("title")) or _s(_obj(item).get("name"))
        if name:
            lines.append(f"[file: {name}]")
    return lines


def _speaker(message: Mapping[str, Any], directory: _Directory) -> tuple[str, bool]:
    """The speaker's name and whether they are a bot."""
    uid = _s(message.get("user"))
    bot = message.get("subtype") == "bot_message" or bool(_s(message.get("bot_id")))
    if uid and uid in directory.people:
        return directory.name(uid), bot or directory.is_bot(uid)
    name = _s(message.get("username")) or _s(_obj(message.get("bot_profile")).get("name"))
    return name or uid or "unknown", bot


def _raw(message: Mapping[str, Any], directory: _Directory) -> Raw:
    speaker, bot = _speaker(message, directory)
    text = render_text(_s(message.get("text")), directory)
    lines = [text] if text else []
    lines += _extra_lines(message, directory)
    subtype = _s(message.get("subtype"))
    # Slack marks events with subtypes, so text is never guessed at here.
    if subtype in SYSTEM_SUBTYPES:
        kind = MessageKind.SYSTEM
    else:
        kind = MessageKind.BOT if bot else speaker_kind(speaker)
    return Raw(speaker, lines, _stamp(_s(message.get("ts")))[1], kind, "edited" in message)


def parse(
    messages: Sequence[Mapping[str, Any]], users: Iterable[Person] = ()
) -> tuple[list[Raw], list[Person]]:
    """Raw messages in time order, and every person known (users plus embedded profiles)."""
    directory = _Directory(users)
    ordered = sorted(messages, key=lambda m: _stamp(_s(m.get("ts")))[0])
    for message in ordered:
        directory.learn(message)
    raws: list[Raw] = []
    position: dict[str, int] = {}
    for message in ordered:
        raw = _raw(message, directory)
        ts, parent_ts = _s(message.get("ts")), _s(message.get("thread_ts"))
        if parent_ts and parent_ts != ts and parent_ts in position:
            raw.parent = position[parent_ts]
        position.setdefault(ts, len(raws))
        raws.append(raw)
    return raws, [*directory.people.values()]
