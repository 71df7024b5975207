"""PagerDuty incident log entries exported as CSV.

One message per data row (the timeline entry): the speaker is the agent, a person or an
integration (``Prometheus Alertmanager``), or PagerDuty itself when the row names no agent (its
notifications); the text is the row's note for annotations, else its summary (or its type, when
the summary is empty) followed by any note; the time is the row's timestamp. Columns are found by
name, so their order and extra columns do not matter. Rows come out oldest first, whichever way
the export was sorted.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from datetime import datetime

from drafting.errors import TranscriptError
from drafting.ingest.kinds import is_bot_name
from drafting.ingest.raw import Raw
from drafting.ingest.types import MessageKind

FORMAT = "pagerduty-csv"

# The speaker of entries PagerDuty made itself (notifications, timeouts).
PAGERDUTY = "PagerDuty"

# Each field and the header names it goes by (lower case, "_" read as " ").
_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "when": ("created at", "created on", "created", "timestamp", "time", "date"),
    "type": ("type", "log entry type", "entry type"),
    "summary": ("summary", "description"),
    "agent": ("agent", "agent name", "user", "by"),
    "email": ("agent email", "email"),
    "agent_type": ("agent type",),
    "channel": ("channel", "channel type"),
    "note": ("note", "notes", "note content", "content"),
}
_REQUIRED = ("when", "type", "summary")
_AGENT_HINTS = ("agent", "channel", "incident", "note")
# Channels through which no person acts: an integration or PagerDuty itself.
_MACHINE_CHANNELS = frozenset({"api", "auto", "integration", "timeout", "nagios", "email"})
_ANNOTATE = "annotate"
_MAX_HEADER = 2_000


def _key(name: str) -> str:
    return " ".join(name.strip().strip('"').lower().replace("_", " ").split())


def _columns(header: Sequence[str]) -> dict[str, int]:
    """Field name -> column index, for the fields the header has."""
    keys = [_key(h) for h in header]
    found: dict[str, int] = {}
    for field, names in _COLUMNS.items():
        index = next((keys.index(n) for n in names if n in keys), None)
        if index is not None:
            found[field] = index
    return found


def sniff(text: str) -> bool:
    """Whether ``text`` starts with a CSV header of PagerDuty's log-entry columns."""
    first = text.lstrip("\ufeff \t\r\n")[:_MAX_HEADER].split("\n", 1)[0]
    if first.count(",") < 2:
        return False
    keys = {_key(k) for k in first.split(",")}
    columns = _columns(list(keys))
    if not all(field in columns for field in _REQUIRED):
        return False
    return any(any(hint in k for hint in _AGENT_HINTS) for k in keys)


def _timestamp(value: str) -> datetime | None:
    """An ISO 8601 timestamp (``2025-03-04T02:47:13Z``, ``2025-03-04 02:47:13 UTC``) or None."""
    value = value.strip()
    if value.upper().endswith(" UTC"):
        value = value[:-4] + "+00:00"
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


class _Row:
    """One data row read through the header's columns."""

    def __init__(self, cells: Sequence[str], columns: Mapping[str, int]) -> None:
        self.cells, self.columns = cells, columns

    def get(self, field: str) -> str:
        index = self.columns.get(field)
        return self.cells[index].strip() if index is not None and index < len(self.cells) else ""


def _kind(row: _Row, agent: str) -> MessageKind:
    """HUMAN for a person, BOT for an integration or PagerDuty itself."""
    agent_type = row.get("agent_type").lower()
    if agent_type:
        return MessageKind.HUMAN if "user" in agent_type else MessageKind.BOT
    if not agent or is_bot_name(agent):
        return MessageKind.BOT
    if row.get("email"):
        return MessageKind.HUMAN
    if "email" in row.columns or row.get("channel").lower() in _MACHINE_CHANNELS:
        return MessageKind.BOT  # an agent without an address is a service or integration
    return MessageKind.HUMAN


def _lines(row: _Row) -> list[str]:
    entry = row.get("type").lower().removesuffix("_log_entry").replace("_", " ")
    note = row.get("note")
    if entry == _ANNOTATE and note:
        return note.split("\n")
    head = row.get("summary") or entry.capitalize() or "Log entry"
    return [head, *note.split("\n")] if note else [head]


def _raw(row: _Row) -> Raw:
    agent = row.get("agent")
    kind = _kind(row, agent)
    return Raw(agent or PAGERDUTY, _lines(row), _timestamp(row.get("when")), kind)


def _oldest_first(raws: list[Raw]) -> list[Raw]:
    """Chronological order; ties keep the export's order (read oldest first)."""
    dated = [(r.when, r) for r in raws if isinstance(r.when, datetime)]
    if len(dated) != len(raws) or len({when.tzinfo is None for when, _ in dated}) > 1:
        return raws  # undated or mixed rows: the export's order is all there is
    if dated and dated[0][0] > dated[-1][0]:
        dated.reverse()  # the UI's newest-first order
    return [raw for _, raw in sorted(dated, key=lambda pair: pair[0])]


def parse(text: str) -> list[Raw]:
    """The log entries of a PagerDuty CSV export, one raw message per data row.

    Raises:
        TranscriptError: the CSV is malformed or lacks the timestamp, type or summary column.
    """
    try:
        rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")))
    except csv.Error as err:
        raise TranscriptError(f"The PagerDuty CSV is malformed: {err}.") from err
    columns = _columns(rows[0]) if rows else {}
    if not all(field in columns for field in _REQUIRED):
        raise TranscriptError(
            "The CSV is not a PagerDuty log-entries export: it needs 'Created At', 'Type' and "
            "'Summary' columns."
        )
    raws = [_raw(_Row(cells, columns)) for cells in rows[1:] if any(c.strip() for c in cells)]
    return _oldest_first(raws)
