"""Sections of a :class:`~drafting.report.Postmortem` as editable text or table rows, and back.

The review screen edits prose sections in text areas and the timeline and action items in tables.
This module converts each section to that form and folds an edit back into a new report, marking
the section human-edited. (Roles confirmed after drafting are applied by
:mod:`drafting.review.roles`.) Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from enum import StrEnum
from typing import Any

from pydantic import ValidationError

from drafting.errors import InputError
from drafting.report import (
    SPECS,
    TITLES,
    ActionItem,
    ContributingFactor,
    Impact,
    Lesson,
    Origin,
    Postmortem,
    RootCause,
    Section,
    Status,
    TimelineEntry,
    Why,
)

_LIST_FIELDS = {
    Section.WENT_WELL: "went_well",
    Section.WENT_WRONG: "went_wrong",
    Section.LUCKY: "lucky",
    Section.FOLLOW_UP: "follow_up",
    Section.OPEN_QUESTIONS: "open_questions",
}
_IMPACT_LABELS = {
    "users": "Users",
    "duration": "Duration",
    "services": "Services",
    "sla": "SLA",
    "data_loss": "Data loss",
    "revenue": "Revenue",
    "business": "Business",
    "technical": "Technical",
}


def keep_human_edits(old: Postmortem, new: Postmortem, target: Section) -> Postmortem:
    """``new`` (a regeneration of ``target``) with every other human-edited section of ``old``.

    One model stage can write several sections (went well, went wrong, lucky and lessons come
    together); regenerating one of them must not undo a human's edits to the others.
    """
    update: dict[str, Any] = {}
    origins = dict(new.origins)
    for section, origin in old.origins.items():
        if section is not target and origin is Origin.HUMAN:
            update.update({f: getattr(old, f) for f in SPECS[section].fields})
            origins[section] = Origin.HUMAN
    return new.model_copy(update={**update, "origins": origins})


def section_text(pm: Postmortem, section: Section) -> str:
    """The section as the text the user edits."""
    if section in _LIST_FIELDS:
        return _bullets(getattr(pm, _LIST_FIELDS[section]))
    readers: dict[Section, Callable[[Postmortem], str]] = {
        Section.SUMMARY: lambda p: p.summary,
        Section.DETECTION: lambda p: p.how_detected,
        Section.IMPACT: _impact_text,
        Section.ROOT_CAUSE: _root_cause_text,
        Section.CONTRIBUTING_FACTORS: lambda p: _bullets(
            f"{f.title}: {f.description}" if f.description else f.title
            for f in p.contributing_factors
        ),
        Section.LESSONS: lambda p: _bullets(lesson.text for lesson in p.lessons),
    }
    if section not in readers:
        raise InputError(f"The {section.value} section is not edited as text.")
    return readers[section](pm)


def with_section_text(pm: Postmortem, section: Section, text: str) -> Postmortem:
    """A copy of ``pm`` with ``section`` replaced by ``text`` and marked human-edited.

    Raises:
        InputError: the text does not fit the section (one sentence saying why).
    """
    if section in _LIST_FIELDS:
        update: dict[str, Any] = {_LIST_FIELDS[section]: _unbullet(text)}
    elif section is Section.SUMMARY:
        update = {"summary": text.strip()}
    elif section is Section.DETECTION:
        update = {"how_detected": text.strip()}
    elif section is Section.IMPACT:
        update = {"impact": _parse_impact(text, pm.impact)}
    elif section is Section.ROOT_CAUSE:
        update = {"root_cause": _parse_root_cause(text, pm.root_cause)}
    elif section is Section.CONTRIBUTING_FACTORS:
        update = {"contributing_factors": [_factor(line) for line in _unbullet(text)]}
    elif section is Section.LESSONS:
        update = {"lessons": [Lesson(text=line) for line in _unbullet(text)]}
    else:
        raise InputError(f"The {section.value} section is not edited as text.")
    return _mark_human(pm, section, update)


_TABLES: dict[Section, tuple[type[TimelineEntry] | type[ActionItem], str]] = {
    Section.TIMELINE: (TimelineEntry, "timeline"),
    Section.ACTION_ITEMS: (ActionItem, "action_items"),
}


def _table(section: Section) -> tuple[type[TimelineEntry] | type[ActionItem], str]:
    """The row model and report field of a table section.

    Raises:
        InputError: the section is not edited as a table.
    """
    if section not in _TABLES:
        raise InputError(f"The {section.value} section is not edited as a table.")
    return _TABLES[section]


def section_rows(pm: Postmortem, section: Section) -> list[dict[str, Any]]:
    """The timeline or action items as table rows (plain JSON values)."""
    _, field = _table(section)
    items: list[Any] = getattr(pm, field)
    rows = [item.model_dump(mode="json") for item in items]
    for row in rows:
        row["evidence"] = ", ".join(row.get("evidence") or [])
    return rows


def section_choices(section: Section) -> dict[str, list[str]]:
    """The columns of a table section that take one of fixed values, with those values: the
    review table offers them as a drop-down, so a wrong phase is corrected in one click (the
    metrics are recomputed from the phases)."""
    model, _ = _table(section)
    choices: dict[str, list[str]] = {}
    for name, info in model.model_fields.items():
        kind = info.annotation
        if isinstance(kind, type) and issubclass(kind, StrEnum):
            choices[name] = [str(member.value) for member in kind]
    return choices


def with_section_rows(pm: Postmortem, section: Section, rows: list[dict[str, Any]]) -> Postmortem:
    """A copy of ``pm`` with the table section replaced by ``rows`` and marked human-edited.

    Raises:
        InputError: a row is invalid (names the row and the field).
    """
    model, field = _table(section)
    parsed: list[TimelineEntry | ActionItem] = []
    for number, row in enumerate(rows, start=1):
        if not any(v not in (None, "") for v in row.values()):
            continue  # st.data_editor adds blank rows; they are not content
        clean = {k: v for k, v in row.items() if v not in (None, "")}
        evidence = clean.get("evidence", "")
        if isinstance(evidence, str):
            clean["evidence"] = [e.strip() for e in evidence.split(",") if e.strip()]
        try:
            parsed.append(model.model_validate(clean))
        except ValidationError as err:
            where = ".".join(str(p) for p in err.errors()[0]["loc"]) or "a field"
            raise InputError(
                f"Row {number}: {where} is invalid ({err.errors()[0]['msg']})."
            ) from err
    return _mark_human(pm, section, {field: parsed})


def _mark_human(pm: Postmortem, section: Section, update: dict[str, Any]) -> Postmortem:
    origins = {**pm.origins, section: Origin.HUMAN}
    # An edit after approval is a new, unapproved version: the reviewer approved the old text.
    reset: dict[str, Any] = {"origins": origins, "approval": None, "status": Status.DRAFT}
    # Review flags on this section were about the model's text, which the human just replaced;
    # the live lint on the new text takes their place.
    reset["flags"] = [f for f in pm.flags if f.section is not section]
    try:
        return Postmortem.model_validate({**pm.model_dump(), **update, **reset})
    except ValidationError as err:
        raise InputError(
            f"The {TITLES.get(section, section.value)} edit is invalid: {err.errors()[0]['msg']}."
        ) from err


def _bullets(lines: Any) -> str:
    return "\n".join(f"- {line}" for line in lines)


def _unbullet(text: str) -> list[str]:
    out = []
    for raw in text.split("\n"):  # not splitlines(): it also splits on \x1c-\x1e, \x85...
        line = raw.strip()
        if line[:1] in ("-", "*") and (len(line) == 1 or line[1].isspace()):
            line = line[1:].strip()
        if line:
            out.append(line)
    return out


def _factor(line: str) -> ContributingFactor:
    title, sep, description = line.partition(": ")
    return ContributingFactor(title=title.strip(), description=description.strip() if sep else "")


def _impact_text(pm: Postmortem) -> str:
    lines = []
    for key, label in _IMPACT_LABELS.items():
        value = getattr(pm.impact, key)
        if key == "services":
            value = ", ".join(value) if value else None
        if value:
            lines.append(f"{label}: {value}")
    return "\n".join(lines)


def _parse_impact(text: str, old: Impact) -> Impact:
    by_label = {label.lower(): key for key, label in _IMPACT_LABELS.items()}
    values: dict[str, Any] = {}
    for line in _unbullet(text):
        label, sep, value = line.partition(":")
        key = by_label.get(label.strip().lower()) if sep else None
        if key is None:  # free text goes to the business impact rather than being lost
            values["business"] = f"{values.get('business', '')} {line}".strip()
        elif key == "services":
            values[key] = [s.strip() for s in value.split(",") if s.strip()]
        else:
            values[key] = value.strip() or None
    return Impact(**values, evidence=old.evidence)


def _root_cause_text(pm: Postmortem) -> str:
    rc = pm.root_cause
    if rc is None:
        return ""
    lines = [f"{n}. {w.question} -> {w.answer}" for n, w in enumerate(rc.whys, start=1)]
    lines.append(f"Systemic cause: {rc.systemic_cause}")
    if rc.why_not_caught:
        lines.append(f"Why not caught: {rc.why_not_caught}")
    return "\n".join(lines)


def _parse_root_cause(text: str, old: RootCause | None) -> RootCause:
    whys: list[Why] = []
    systemic, not_caught = "", ""
    for line in _unbullet(text):
        if line.lower().startswith("systemic cause:"):
            systemic = line.split(":", 1)[1].strip()
        elif line.lower().startswith("why not caught:"):
            not_caught = line.split(":", 1)[1].strip()
        else:
            number, _, rest = line.partition(". ")
            question, sep, answer = (rest if number.isdigit() else line).partition(" -> ")
            if not sep:
                raise InputError(f"Each why needs the form 'N. Question -> answer': {line!r}.")
            old_why = old.whys[len(whys)] if old and len(whys) < len(old.whys) else None
            evidence = old_why.evidence if old_why else []
            whys.append(Why(question=question.strip(), answer=answer.strip(), evidence=evidence))
    if len(whys) != 5:
        raise InputError(f"The root cause needs exactly five whys; the edit has {len(whys)}.")
    if not systemic:
        raise InputError("The root cause needs a line 'Systemic cause: ...'.")
    return RootCause(whys=whys, systemic_cause=systemic, why_not_caught=not_caught)


_MESSAGE_ID = re.compile(r"\bm\d+\b")


def cited_messages(pm: Postmortem, section: Section) -> list[str]:
    """The message ids a reviewer checks a section against: those its review flags name
    first, then the section's own evidence, each once."""
    flags = [f.message for f in pm.flags if f.section is section]
    named = [mid for message in flags for mid in _MESSAGE_ID.findall(message)]
    return list(dict.fromkeys([*named, *_section_evidence(pm, section)]))


def _section_evidence(pm: Postmortem, section: Section) -> list[str]:
    if section is Section.IMPACT:
        return list(pm.impact.evidence)
    if section is Section.TIMELINE:
        return [mid for e in pm.timeline for mid in e.evidence]
    if section is Section.ROOT_CAUSE and pm.root_cause is not None:
        return [mid for w in pm.root_cause.whys for mid in w.evidence]
    if section is Section.CONTRIBUTING_FACTORS:
        return [mid for f in pm.contributing_factors for mid in f.evidence]
    if section is Section.ACTION_ITEMS:
        return [mid for a in pm.action_items for mid in a.evidence]
    return []
