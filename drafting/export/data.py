"""Machine-readable exports: the report as JSON, and its action items as CSV for Jira or Linear.

Pure: these functions return text; writing files is the caller's job.
"""

from __future__ import annotations

import csv
import io

from pydantic import ValidationError

from drafting.errors import InputError
from drafting.report import ActionItem, Postmortem, Priority

# Column names an issue-tracker CSV import maps without renaming: Jira needs "Summary"; Linear
# reads Title/Summary, Description, Priority, Labels, Due Date. "Owner Role" is not Assignee on
# purpose: a role is not a tracker user, so it is mapped by hand (or to a custom field).
CSV_COLUMNS: tuple[str, ...] = (
    "Summary",
    "Description",
    "Issue Type",
    "Priority",
    "Owner Role",
    "Due Date",
    "Labels",
    "Action Type",
    "Status",
)
# Jira's default priority names; the P-level also travels in the labels.
TRACKER_PRIORITY = {Priority.P0: "Highest", Priority.P1: "High", Priority.P2: "Medium"}
# A cell starting with one of these is run as a formula by spreadsheets (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def to_json(pm: Postmortem) -> str:
    """The report as indented JSON, including the computed metrics (ignored when read back)."""
    return pm.model_dump_json(indent=2) + "\n"


def from_json(text: str) -> Postmortem:
    """Read a report written by :func:`to_json`.

    Raises:
        InputError: The text is not JSON or not a valid postmortem.
    """
    try:
        return Postmortem.model_validate_json(text)
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "the document"
        raise InputError(f"This is not a valid postmortem JSON ({where}: {first['msg']}).") from err


def action_items_csv(pm: Postmortem) -> str:
    """The action items as CSV with a header row, one item per row (RFC 4180, CRLF)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for item in pm.action_items:
        writer.writerow([_safe(value) for value in _row(pm, item)])
    return buffer.getvalue()


def _row(pm: Postmortem, item: ActionItem) -> list[str]:
    source = f"From postmortem {pm.incident_id}: {pm.title}" if pm.incident_id else pm.title
    description = "\n\n".join(
        part
        for part in (
            item.description,
            f"Owner role: {item.owner_role}. Priority: {item.priority.value}.",
            f"Evidence: {', '.join(item.evidence)}." if item.evidence else "",
            source,
        )
        if part
    )
    labels = ["postmortem", item.type.value, item.priority.value]
    return [
        item.action,
        description,
        "Task",
        TRACKER_PRIORITY[item.priority],
        item.owner_role,
        item.due_date.isoformat() if item.due_date else "",
        " ".join(labels),
        item.type.value,
        item.status.value,
    ]


def _safe(value: str) -> str:
    # Action text comes from a model that read an untrusted transcript; a leading quote keeps a
    # spreadsheet from evaluating "=HYPERLINK(...)" and the like.
    return "'" + value if value.startswith(_FORMULA_START) else value
