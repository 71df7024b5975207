"""The review workflow's rules, apart from any UI: lint on a draft, the approval gate, exports.

The app asks this module what the user may do next and why not; it never decides itself. Rules:

- Lint runs per section so each finding is shown beside its section and can be fixed in place.
- Approval needs a reviewer name, every required section filled, and every error-level lint
  finding fixed or acknowledged with a reason.
- Export needs an approval of the current version (an edit after approval withdraws it).

Pure: no I/O (the lint is pure too).
"""

from __future__ import annotations

import html

from pydantic import BaseModel, ConfigDict

from drafting.errors import InputError
from drafting.lint import Finding, lint_text
from drafting.lint.rewrite import flagged_sentence
from drafting.report import (
    TABLE_SECTIONS,
    TEXT_SECTIONS,
    TITLES,
    Postmortem,
    Section,
    Status,
    empty_required,
)
from drafting.review.sections import (
    section_rows,
    section_text,
    with_section_rows,
    with_section_text,
)

_DROP_IN_WORDS = 6
_TABLE_TEXT_FIELD = {Section.TIMELINE: "event", Section.ACTION_ITEMS: "action"}


class SectionFinding(BaseModel):
    """A lint finding located in one section of a draft.

    ``key`` identifies the finding across edits elsewhere (section, rule and matched text, not
    line numbers), so an acknowledgement survives unrelated edits and lapses if the text changes.
    """

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    section: Section
    finding: Finding
    key: str


def finding_key(section: Section, finding: Finding) -> str:
    """A stable key for acknowledging ``finding`` in ``section``."""
    return f"{section.value}:{finding.rule}:{finding.match.strip().lower()}"


def lintable_text(pm: Postmortem, section: Section) -> str:
    """The text the lint reads for a section: the edited text, or one table row per line."""
    if section in TABLE_SECTIONS:
        field = _TABLE_TEXT_FIELD[section]
        return "\n".join(str(row.get(field, "")) for row in section_rows(pm, section))
    return section_text(pm, section)


def draft_findings(pm: Postmortem) -> list[SectionFinding]:
    """Lint every editable section of a draft."""
    found: list[SectionFinding] = []
    for section in (*TEXT_SECTIONS, *TABLE_SECTIONS):
        text = lintable_text(pm, section)
        if not text.strip():
            continue
        for finding in lint_text(text, path=section.value):
            found.append(
                SectionFinding(section=section, finding=finding, key=finding_key(section, finding))
            )
    return found


def is_drop_in(finding: Finding) -> bool:
    """True when the suggestion is replacement wording, not advice ("Describe what ...: '...'").

    Only a drop-in suggestion can be applied with one click; advice is shown for a human (or a
    model rewrite of the section) to act on.
    """
    text = finding.suggestion.strip()
    return bool(text) and len(text.split()) <= _DROP_IN_WORDS and not any(c in text for c in ":'\"")


def apply_suggestion(pm: Postmortem, item: SectionFinding) -> Postmortem:
    """Replace the finding's matched text with its suggestion, marking the section human-edited.

    Raises:
        InputError: the suggestion is advice rather than wording, or the text is no longer there.
    """
    finding = item.finding
    if not is_drop_in(finding):
        raise InputError(f"The {finding.rule} suggestion is advice, not wording; edit the text.")
    return _replace_on_line(pm, item, finding.match, finding.suggestion)


def flagged_sentence_in(pm: Postmortem, item: SectionFinding) -> str:
    """The whole sentence of the section that holds the finding (what a model rewrite replaces)."""
    return flagged_sentence(lintable_text(pm, item.section), item.finding)


def apply_rewrite(pm: Postmortem, item: SectionFinding, sentence: str, rewrite: str) -> Postmortem:
    """Replace the flagged ``sentence`` with an accepted ``rewrite``, marking it human-edited.

    Raises:
        InputError: the sentence is no longer on the finding's line.
    """
    return _replace_on_line(pm, item, sentence, rewrite)


def _replace_on_line(pm: Postmortem, item: SectionFinding, old: str, new: str) -> Postmortem:
    lines = lintable_text(pm, item.section).split("\n")
    index = item.finding.line - 1
    if not 0 <= index < len(lines) or old not in lines[index]:
        raise InputError("That finding's text has changed since the lint ran; lint again.")
    fixed = lines[index].replace(old, new, 1)
    if item.section in TABLE_SECTIONS:
        rows = section_rows(pm, item.section)
        rows[index][_TABLE_TEXT_FIELD[item.section]] = fixed
        return with_section_rows(pm, item.section, rows)
    lines[index] = fixed
    return with_section_text(pm, item.section, "\n".join(lines))


def approval_blockers(
    pm: Postmortem, findings: list[SectionFinding], acks: dict[str, str], reviewer: str
) -> list[str]:
    """Why the draft cannot be approved yet, one sentence each; empty when it can.

    Args:
        pm: the current draft.
        findings: the lint findings on the current draft (fixed ones are simply absent).
        acks: acknowledged finding keys and their reasons.
        reviewer: the reviewer's name as typed.
    """
    reasons: list[str] = []
    if not reviewer.strip():
        reasons.append("Enter the reviewer's name.")
    for section in empty_required(pm):
        reasons.append(f"The {TITLES[section]} section is empty.")
    for item in findings:
        if item.finding.severity == "error" and not acks.get(item.key, "").strip():
            reasons.append(
                f"Fix or acknowledge with a reason the lint error in {TITLES[item.section]}: "
                f"{item.finding.message}"
            )
    return reasons


def can_export(pm: Postmortem) -> bool:
    """Export is possible only for an approved draft."""
    return pm.status is Status.APPROVED and pm.approval is not None


def highlight(text: str, findings: list[Finding]) -> str:
    """HTML of ``text`` with each finding's match marked (escaped; safe to render)."""
    by_line: dict[int, list[Finding]] = {}
    for f in findings:
        by_line.setdefault(f.line, []).append(f)
    out: list[str] = []
    for number, line in enumerate(text.split("\n"), start=1):
        marks = sorted(by_line.get(number, []), key=lambda f: f.column)
        pos, parts = 0, []
        for f in marks:
            start = max(f.column - 1, pos)
            end = f.end_column - 1 if f.end_line == f.line else len(line)
            if end <= start:
                continue
            title = html.escape(f"{f.rule} ({f.severity}): {f.message}", quote=True)
            parts += [html.escape(line[pos:start]), f'<mark title="{title}">',
                      html.escape(line[start:end]), "</mark>"]  # fmt: skip
            pos = end
        parts.append(html.escape(line[pos:]))
        out.append("".join(parts))
    return "<pre style='white-space: pre-wrap'>" + "\n".join(out) + "</pre>"
