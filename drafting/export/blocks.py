"""The Markdown for each report section; :mod:`drafting.export.markdown` places them in a template.

Every function returns escaped Markdown (see :mod:`drafting.export.escape`) and never an empty
string: an empty section says ``_None recorded._``.
"""

from __future__ import annotations

from datetime import datetime

from drafting.export.escape import NONE_RECORDED, bullets, inline, table
from drafting.metrics import as_utc, format_duration
from drafting.report import (
    ActionItem,
    ContributingFactor,
    Impact,
    Lesson,
    LessonCategory,
    Origin,
    Participant,
    Postmortem,
    RootCause,
    Section,
    TimelineEntry,
)

_UNKNOWN = "unknown"


def header(pm: Postmortem) -> str:
    """The comprehensive header block: id, date, severity with its scale, status, approval."""
    fields = [
        ("Incident ID", pm.incident_id or _UNKNOWN),
        ("Date", pm.date.isoformat() if pm.date else _UNKNOWN),
        ("Severity", pm.severity.label() if pm.severity else _UNKNOWN),
        ("Status", pm.status.value),
        ("Duration", format_duration(pm.metrics.total_duration)),
        ("Authors", ", ".join(pm.authors) or _UNKNOWN),
        ("Approval", _approval(pm)),
    ]
    return "\n".join(f"- **{label}:** {inline(value)}" for label, value in fields)


def header_brief(pm: Postmortem) -> str:
    """A one-line header for the concise template."""
    parts = [
        ("Incident", pm.incident_id or _UNKNOWN),
        ("Severity", pm.severity.level if pm.severity else _UNKNOWN),
        ("Status", pm.status.value),
        ("Duration", format_duration(pm.metrics.total_duration)),
    ]
    return " · ".join(f"**{label}:** {inline(value)}" for label, value in parts)


def _approval(pm: Postmortem) -> str:
    if pm.approval is None:
        return "not yet approved"
    at = as_utc(pm.approval.approved_at).strftime("%Y-%m-%d %H:%M UTC")
    return f"approved by {pm.approval.reviewer} at {at}"


def _impact_groups(imp: Impact) -> list[tuple[str, list[tuple[str, str | None]]]]:
    services = ", ".join(imp.services) or None
    return [
        ("User impact", [("Users affected", imp.users), ("Duration", imp.duration)]),
        (
            "Business impact",
            [("Revenue", imp.revenue), ("SLA", imp.sla), ("Other", imp.business)],
        ),
        (
            "Technical impact",
            [
                ("Services affected", services),
                ("Data loss", imp.data_loss),
                ("Downstream effects", imp.technical),
            ],
        ),
    ]


def _labelled(pairs: list[tuple[str, str | None]]) -> list[str]:
    return [f"- **{label}:** {inline(value)}" for label, value in pairs if value and value.strip()]


def impact(imp: Impact) -> str:
    """Impact grouped into user, business and technical subsections (unknown fields omitted)."""
    parts = []
    for title, pairs in _impact_groups(imp):
        lines = _labelled(pairs)
        if lines:
            parts.append(f"### {title}\n\n" + "\n".join(lines))
    body = "\n\n".join(parts) if parts else NONE_RECORDED
    return body + _evidence_note(imp.evidence)


def impact_brief(imp: Impact) -> str:
    """Impact as one flat list."""
    lines = [line for _, pairs in _impact_groups(imp) for line in _labelled(pairs)]
    return ("\n".join(lines) if lines else NONE_RECORDED) + _evidence_note(imp.evidence)


def timeline(entries: list[TimelineEntry]) -> str:
    """The timeline as a table; the date is shown only when the incident spans several days."""
    if not entries:
        return NONE_RECORDED
    days = {as_utc(e.time).date() for e in entries if e.time is not None}
    rows = [
        [_time(e.time, len(days) > 1), e.phase.value, e.event, ", ".join(e.evidence)]
        for e in entries
    ]
    return "All times UTC.\n\n" + table(["Time", "Phase", "Event", "Evidence"], rows)


def detection(pm: Postmortem) -> str:
    """Milestones and durations computed from the timeline, and how the incident was found."""
    m = pm.metrics
    lines = [f"- **How it was detected:** {inline(pm.how_detected or _UNKNOWN)}"]
    lines += [
        f"- **{label}:** {format_duration(span)}"
        for label, span in (
            ("Time to detect", m.time_to_detect),
            ("Time to acknowledge", m.time_to_acknowledge),
            ("Time to mitigate", m.time_to_mitigate),
            ("Time to resolve", m.time_to_resolve),
            ("Total duration", m.total_duration),
        )
    ]
    note = "_Computed from the timeline's timestamps; unknown where a milestone has no time._"
    return "\n".join(lines) + "\n\n" + note


def root_cause(rc: RootCause | None) -> str:
    """The numbered 5 Whys, the systemic cause, and why safeguards did not catch it."""
    if rc is None:
        return NONE_RECORDED
    lines = [
        f"{n}. **{inline(w.question)}**\n   {inline(w.answer)}{_cites(w.evidence)}"
        for n, w in enumerate(rc.whys, start=1)
    ]
    text = "\n".join(lines) + f"\n\n**Systemic cause:** {inline(rc.systemic_cause)}"
    if rc.why_not_caught.strip():
        text += f"\n\n**Why it was not caught:** {inline(rc.why_not_caught)}"
    return text


def contributing_factors(factors: list[ContributingFactor]) -> str:
    """One bullet per factor: bold title, description, cited ids."""
    if not factors:
        return NONE_RECORDED
    lines = []
    for f in factors:
        text = f"**{inline(f.title)}**" + (f": {inline(f.description)}" if f.description else "")
        lines.append(f"- {text}{_cites(f.evidence)}")
    return "\n".join(lines)


def action_items(items: list[ActionItem]) -> str:
    """The action items table: owner role, due date, priority, type, status."""
    if not items:
        return NONE_RECORDED
    headers = ["#", "Action", "Owner role", "Due date", "Priority", "Type", "Status"]
    rows = [
        [
            str(n),
            a.action,
            a.owner_role,
            a.due_date.isoformat() if a.due_date else "not set",
            a.priority.value,
            a.type.value,
            a.status.value,
        ]
        for n, a in enumerate(items, start=1)
    ]
    return table(headers, rows)


def lessons(items: list[Lesson]) -> str:
    """Lessons grouped as technical / process / communication / general, when any is grouped."""
    if not items:
        return NONE_RECORDED
    if all(lesson.category is None for lesson in items):
        return lessons_brief(items)
    groups: list[tuple[str, LessonCategory | None]] = [
        (c.value.capitalize(), c) for c in LessonCategory
    ]
    parts = []
    for title, category in [*groups, ("General", None)]:
        texts = [lesson.text for lesson in items if lesson.category is category]
        if texts:
            parts.append(f"### {title}\n\n{bullets(texts)}")
    return "\n\n".join(parts)


def lessons_brief(items: list[Lesson]) -> str:
    """Lessons as one flat list."""
    return bullets([lesson.text for lesson in items])


def review_notes(pm: Postmortem) -> str:
    """Needs-review flags and, per section, whether a model or a human wrote it."""
    parts = []
    if pm.flags:
        parts.append(
            bullets([f"**{f.severity.value}** ({f.section.value}): {f.message}" for f in pm.flags])
        )
    if pm.origins:
        rows = [
            [s.value, "model-written" if pm.origins[s] is Origin.MODEL else "human-edited"]
            for s in Section
            if s in pm.origins
        ]
        parts.append(table(["Section", "Origin"], rows))
    return "\n\n".join(parts) if parts else NONE_RECORDED


def participants(people: list[Participant]) -> str:
    """Roles that took part, with message counts."""
    return bullets([f"{p.role} ({p.messages} messages)" for p in people])


def appendix(pm: Postmortem) -> str:
    """Glossary, links and every cited message id."""
    parts = []
    if pm.glossary:
        terms = [f"**{inline(g.term)}**: {inline(g.definition)}" for g in pm.glossary]
        parts.append("### Glossary\n\n" + "\n".join(f"- {t}" for t in terms))
    if pm.links:
        parts.append("### Links\n\n" + bullets(pm.links))
    ids = sorted(pm.evidence_ids(), key=_natural)
    if ids:
        parts.append("### Evidence\n\nCited transcript messages: " + inline(", ".join(ids)))
    return "\n\n".join(parts) if parts else NONE_RECORDED


def _time(moment: datetime | None, with_date: bool) -> str:
    if moment is None:
        return _UNKNOWN
    return as_utc(moment).strftime("%Y-%m-%d %H:%M" if with_date else "%H:%M")


def _natural(message_id: str) -> tuple[str, int]:
    # m2 before m10: ids are a prefix and a sequence number.
    digits = message_id.lstrip("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_-")
    prefix = message_id[: len(message_id) - len(digits)]
    return (prefix, int(digits)) if digits.isascii() and digits.isdigit() else (message_id, -1)


def _evidence_note(ids: list[str]) -> str:
    return f"\n\n_Evidence: {inline(', '.join(ids))}._" if ids else ""


def _cites(ids: list[str]) -> str:
    return f" _(evidence: {inline(', '.join(ids))})_" if ids else ""
