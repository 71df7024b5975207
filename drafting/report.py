"""The postmortem report: the full, reviewed document the app edits and the exporters render.

This is not a model-facing schema. The drafting stages send small per-stage schemas (see
``drafting.draft``) and assemble their answers into a :class:`Postmortem`. Detection and response
metrics are never written by anyone: :attr:`Postmortem.metrics` is computed from the timeline's
timestamps on every access, and any ``metrics`` key in input is dropped.

The report holds roles ("Incident commander"), never real names; the pipeline guarantees that.
"""

from __future__ import annotations

import datetime as dt
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, computed_field, model_validator


class Phase(StrEnum):
    """Where in the incident's life a timeline entry falls."""

    TRIGGER = "trigger"
    DETECTION = "detection"
    ESCALATION = "escalation"
    DIAGNOSIS = "diagnosis"
    MITIGATION = "mitigation"
    RESOLUTION = "resolution"
    FOLLOW_UP = "follow-up"


class Status(StrEnum):
    """Review state of the report."""

    DRAFT = "draft"
    IN_REVIEW = "in review"
    APPROVED = "approved"


class Priority(StrEnum):
    """Action item priority: P0 must happen now, P2 can wait for planning."""

    P0 = "P0"
    P1 = "P1"
    P2 = "P2"


class ActionType(StrEnum):
    """What an action item does about the failure."""

    PREVENTIVE = "preventive"
    DETECTIVE = "detective"
    CORRECTIVE = "corrective"
    PROCESS = "process"


class ActionStatus(StrEnum):
    """Progress of an action item."""

    OPEN = "open"
    IN_PROGRESS = "in progress"
    DONE = "done"


class Origin(StrEnum):
    """Who last wrote a section."""

    MODEL = "model"
    HUMAN = "human"


class FlagSeverity(StrEnum):
    """How much a review flag matters."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


class LessonCategory(StrEnum):
    """Grouping for lessons learned, as the common templates split them."""

    TECHNICAL = "technical"
    PROCESS = "process"
    COMMUNICATION = "communication"


class Section(StrEnum):
    """Editable sections; keys of :attr:`Postmortem.origins` and :attr:`ReviewFlag.section`."""

    HEADER = "header"
    SUMMARY = "summary"
    IMPACT = "impact"
    TIMELINE = "timeline"
    DETECTION = "detection"
    ROOT_CAUSE = "root_cause"
    CONTRIBUTING_FACTORS = "contributing_factors"
    WENT_WELL = "went_well"
    WENT_WRONG = "went_wrong"
    LUCKY = "lucky"
    ACTION_ITEMS = "action_items"
    LESSONS = "lessons"
    FOLLOW_UP = "follow_up"
    OPEN_QUESTIONS = "open_questions"
    APPENDIX = "appendix"


DEFAULT_SEVERITY_SCALE = "SEV-1 (critical) to SEV-4 (minor)"

Evidence = Annotated[
    list[str], Field(description="Transcript message ids this rests on, e.g. ['m3']")
]


class _Part(BaseModel):
    """Base for every report part: unknown keys are an error, edits are validated."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Severity(_Part):
    """A severity level together with the scale it belongs to, e.g. SEV-2 on SEV-1..SEV-4."""

    level: str = Field(min_length=1, description="e.g. 'SEV-2' or 'P1'")
    scale: str = Field(default=DEFAULT_SEVERITY_SCALE, description="the scale the level is on")

    def label(self) -> str:
        """``SEV-2 (scale: SEV-1 (critical) to SEV-4 (minor))``."""
        return f"{self.level} (scale: {self.scale})" if self.scale else self.level


class Impact(_Part):
    """Blast radius. ``None`` means the transcript does not say; never a guess."""

    users: str | None = Field(default=None, description="users affected, as stated")
    duration: str | None = Field(default=None, description="impact duration, as stated")
    revenue: str | None = None
    sla: str | None = Field(default=None, description="SLA / SLO consequence")
    data_loss: str | None = None
    services: list[str] = Field(default_factory=list, description="services affected")
    business: str | None = Field(default=None, description="other business impact")
    technical: str | None = Field(default=None, description="downstream technical effects")
    evidence: Evidence = Field(default_factory=list)

    def is_empty(self) -> bool:
        """True when nothing about the impact is known."""
        values = self.model_dump(exclude={"evidence", "services"}).values()
        return not self.services and all(v is None or not str(v).strip() for v in values)


class TimelineEntry(_Part):
    """One event of the incident."""

    time: datetime | None = Field(default=None, description="UTC time, None when unknown")
    phase: Phase
    event: str = Field(min_length=1)
    evidence: Evidence = Field(default_factory=list)


class Why(_Part):
    """One link of the 5 Whys chain."""

    question: str = Field(min_length=1)
    answer: str = Field(min_length=1)
    evidence: Evidence = Field(default_factory=list)


# Exactly five: minItems/maxItems in the JSON schema is what makes a small model produce five.
FiveWhys = Annotated[list[Why], Field(min_length=5, max_length=5)]


class RootCause(_Part):
    """The 5 Whys chain and the systemic cause it ends at."""

    whys: FiveWhys
    systemic_cause: str = Field(min_length=1, description="a system or process, never a person")
    why_not_caught: str = Field(default="", description="why existing safeguards missed it")


class ContributingFactor(_Part):
    """A condition that made the incident more likely or worse."""

    title: str = Field(min_length=1)
    description: str = ""
    evidence: Evidence = Field(default_factory=list)


class ActionItem(_Part):
    """A follow-up owned by a role, never a person."""

    action: str = Field(min_length=1)
    owner_role: str = Field(min_length=1)
    due_date: date | None = None
    priority: Priority = Priority.P1
    type: ActionType = ActionType.CORRECTIVE
    status: ActionStatus = ActionStatus.OPEN
    description: str = ""
    evidence: Evidence = Field(default_factory=list)


class Lesson(_Part):
    """A lesson learned, optionally grouped."""

    text: str = Field(min_length=1)
    category: LessonCategory | None = None


class GlossaryEntry(_Part):
    """A term a reader outside the team may not know."""

    term: str = Field(min_length=1)
    definition: str = ""


class Participant(_Part):
    """A role that took part, with how many messages it sent."""

    role: str = Field(min_length=1)
    messages: int = Field(default=0, ge=0)


class ReviewFlag(_Part):
    """Something a reviewer must look at before approving (from verify or the lint)."""

    section: Section
    message: str = Field(min_length=1)
    severity: FlagSeverity = FlagSeverity.WARNING


class Approval(_Part):
    """The explicit sign-off that allows export."""

    reviewer: str = Field(min_length=1)
    approved_at: datetime


class Metrics(_Part):
    """Detection and response metrics computed from timeline timestamps (see drafting.metrics)."""

    started_at: datetime | None = None
    detected_at: datetime | None = None
    acknowledged_at: datetime | None = None
    mitigated_at: datetime | None = None
    resolved_at: datetime | None = None
    time_to_detect: timedelta | None = None
    time_to_acknowledge: timedelta | None = None
    time_to_mitigate: timedelta | None = None
    time_to_resolve: timedelta | None = None
    total_duration: timedelta | None = None


class Postmortem(_Part):
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
