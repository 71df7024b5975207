"""Opsgenie alert JSON: the alert's notes and activity log as messages.

The input is what Opsgenie's REST API returns, saved together as ``{"alert": GET /v2/alerts/{id},
"notes": GET .../notes, "logs": GET .../logs}``; one of those replies alone (``{"data": [...]}``)
or a bare list of entries works too. Every note (``note``) and every activity-log entry (``log``:
created, routed, notified, acknowledged, closed...) is one message, oldest first by ``createdAt``.
The alert body (message, description, responders, report) is context, not a message.

The speaker is the entry's ``owner`` as written (usually an email address); Opsgenie's own entries
(owner ``System``) are spoken by ``Opsgenie``, a bot. The JSON is untrusted: every field is
type-checked before use.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from drafting.errors import TranscriptError
from drafting.ingest.kinds import speaker_kind
from drafting.ingest.raw import Raw, load_json
from drafting.ingest.types import MessageKind

FORMAT = "opsgenie-json"

# The speaker of the entries Opsgenie made itself (owner "System").
OPSGENIE = "Opsgenie"

_JSON_START = re.compile(r"\s*[\[{]")
_ALERT_KEY = re.compile(r'"tinyId"\s*:')
_ENTRY_KEY = re.compile(r'"(?:note|log)"\s*:\s*"')
_OWNER_KEY = re.compile(r'"owner"\s*:\s*"')
_SNIFF_CHARS = 64_000
_SYSTEM_OWNERS = frozenset({"", "system"})
_NO_ENTRIES = (
    "The JSON is not an Opsgenie alert export: expected its notes or logs, entries with "
    "'note' or 'log', 'owner' and 'createdAt'."
)


def sniff(text: str) -> bool:
    """Whether ``text`` is JSON with an Opsgenie alert (``tinyId``) or its note/log entries."""
    head = text[:_SNIFF_CHARS].lstrip("\ufeff")
    if _JSON_START.match(head) is None:
        return False
    return bool(_ALERT_KEY.search(head) or (_ENTRY_KEY.search(head) and _OWNER_KEY.search(head)))


def _s(value: object) -> str:
    """A JSON value as a string, or '' when it is not one (untrusted input)."""
    return value if isinstance(value, str) else ""


def _items(value: object) -> list[Any]:
    """The entries of an API reply (``{"data": [...]}``) or of a bare list."""
    if isinstance(value, dict):
        value = value.get("data")
    return value if isinstance(value, list) else []


def _entries(data: object) -> list[Mapping[str, Any]]:
    """The note and log entries, notes first.

    Raises:
        TranscriptError: there is none.
    """
    if isinstance(data, dict) and ("notes" in data or "logs" in data):
        items = _items(data.get("notes")) + _items(data.get("logs"))
    else:
        items = _items(data)
    entries: list[Mapping[str, Any]] = [
        e for e in items if isinstance(e, dict) and (_s(e.get("note")) or _s(e.get("log")))
    ]
    if not entries:
        raise TranscriptError(_NO_ENTRIES)
    return entries


def _timestamp(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value.strip())
    except ValueError:
        return None


def _raw(entry: Mapping[str, Any]) -> Raw:
    text = _s(entry.get("note")) or _s(entry.get("log"))
    owner = _s(entry.get("owner")).strip()
    if owner.lower() in _SYSTEM_OWNERS:
        speaker, kind = OPSGENIE, MessageKind.BOT
    else:
        speaker, kind = owner, speaker_kind(owner)
    return Raw(speaker, text.split("\n"), _timestamp(_s(entry.get("createdAt"))), kind)


def _oldest_first(raws: list[Raw]) -> list[Raw]:
    """Notes and log entries merged by time; as given when some are undated or mixed."""
    dated = [(r.when, r) for r in raws if isinstance(r.when, datetime)]
    if len(dated) != len(raws) or len({when.tzinfo is None for when, _ in dated}) > 1:
        return raws
    return [raw for _, raw in sorted(dated, key=lambda pair: pair[0])]


def parse(text: str) -> list[Raw]:
    """The notes and activity-log entries of an Opsgenie alert, oldest first.

    Raises:
        TranscriptError: the text is not valid JSON, or holds no note or log entry.
    """
    data = load_json(text.lstrip("\ufeff"), "Opsgenie alert file")
    return _oldest_first([_raw(entry) for entry in _entries(data)])
