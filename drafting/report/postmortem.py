"""The postmortem report: the full, reviewed document the app edits and the exporters render.

This is not a model-facing schema. The drafting stages send small per-stage schemas (see
``drafting.draft.stages``) and assemble their answers into a :class:`Postmortem`. Detection and
response metrics are never written by anyone: :attr:`Postmortem.metrics` is computed from the
timeline's timestamps on every access, and any ``metrics`` key in input is dropped.

The report holds roles ("Incident commander"), never real names; the pipeline guarantees that.
"""

from __future__ import annotations

import datetime as dt
from datetime import datetime
from typing import Any

from pydantic import Field, computed_field, model_validator

from drafting.report.parts import (
    ActionItem,
    Approval,
    ContributingFactor,
    GlossaryEntry,
    Impact,
    Lesson,
    Metrics,
    Origin,
    Participant,
    ReportPart,
    ReviewFlag,
    RootCause,
    Severity,
    Status,
    TimelineEntry,
)
from drafting.report.sections import Section


class Postmortem(ReportPart):
    """A complete blameless postmortem report."""

    title: str = Field(min_length=1)
    incident_id: str | None = None
    # ``dt.date``: a bare ``date`` annotation would resolve to this very field.
    date: dt.date | None = None
    severity: Severity | None = None
    status: Status = Status.DRAFT
    authors: list[str] = Field(default_factory=list, description="roles")
    summary: str = Field(default="", description="3-5 plain sentences")
    impact: Impact = Field(default_factory=Impact)
    timeline: list[TimelineEntry] = Field(default_factory=list)
    how_detected: str = ""
    root_cause: RootCause | None = None
    contributing_factors: list[ContributingFactor] = Field(default_factory=list)
    went_well: list[str] = Field(default_factory=list)
    went_wrong: list[str] = Field(default_factory=list)
    lucky: list[str] = Field(default_factory=list)
    action_items: list[ActionItem] = Field(default_factory=list)
    lessons: list[Lesson] = Field(default_factory=list)
    follow_up: list[str] = Field(default_factory=list)
    open_questions: list[str] = Field(default_factory=list)
    participants: list[Participant] = Field(default_factory=list)
    glossary: list[GlossaryEntry] = Field(default_factory=list)
    links: list[str] = Field(default_factory=list)
    flags: list[ReviewFlag] = Field(default_factory=list)
    origins: dict[Section, Origin] = Field(default_factory=dict)
    approval: Approval | None = None

    @model_validator(mode="before")
    @classmethod
    def _drop_computed(cls, data: Any) -> Any:
        # ``metrics`` is serialised for readers but is never input: it is recomputed from the
        # timeline, so a JSON round trip (or a model writing it) cannot set it.
        if isinstance(data, dict) and "metrics" in data:
            return {k: v for k, v in data.items() if k != "metrics"}
        return data

    @model_validator(mode="after")
    def _approved_needs_approval(self) -> Postmortem:
        if self.status is Status.APPROVED and self.approval is None:
            raise ValueError("an approved postmortem needs an approval by a named reviewer")
        return self

    @computed_field  # type: ignore[prop-decorator]
    @property
    def metrics(self) -> Metrics:
        """Detection and response metrics, computed from the timeline on every access."""
        from drafting.metrics import compute  # local import: drafting.metrics imports this module

        return compute(self.timeline)

    def approve(self, reviewer: str, at: datetime) -> Postmortem:
        """Return a copy approved by ``reviewer`` at ``at`` (the caller supplies the clock)."""
        approval = Approval(reviewer=reviewer, approved_at=at)
        return self.model_copy(update={"approval": approval, "status": Status.APPROVED})

    def evidence_ids(self) -> list[str]:
        """Every cited message id, in order of first citation."""
        cited: dict[str, None] = {}
        groups: list[list[str]] = [self.impact.evidence]
        groups += [e.evidence for e in self.timeline]
        groups += [w.evidence for w in (self.root_cause.whys if self.root_cause else [])]
        groups += [f.evidence for f in self.contributing_factors]
        groups += [a.evidence for a in self.action_items]
        for group in groups:
            cited.update(dict.fromkeys(group))
        return list(cited)
