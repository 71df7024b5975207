"""The parts a postmortem is made of: its enums and the small models the report holds.

Every part forbids unknown keys and validates assignments, so an edit that does not fit is an
error where it is made.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from drafting.report.sections import Section


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


DEFAULT_SEVERITY_SCALE = "SEV-1 (critical) to SEV-4 (minor)"

Evidence = Annotated[
    list[str], Field(description="Transcript message ids this rests on, e.g. ['m3']")
]


class ReportPart(BaseModel):
    """Base for every report part: unknown keys are an error, edits are validated."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Severity(ReportPart):
    """A severity level together with the scale it belongs to, e.g. SEV-2 on SEV-1..SEV-4."""

    level: str = Field(min_length=1, description="e.g. 'SEV-2' or 'P1'")
    scale: str = Field(default=DEFAULT_SEVERITY_SCALE, description="the scale the level is on")

    def label(self) -> str:
        """``SEV-2 (scale: SEV-1 (critical) to SEV-4 (minor))``."""
        return f"{self.level} (scale: {self.scale})" if self.scale else self.level


class Impact(ReportPart):
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


class TimelineEntry(ReportPart):
    """One event of the incident."""

    time: datetime | None = Field(default=None, description="UTC time, None when unknown")
    phase: Phase
    event: str = Field(min_length=1)
    evidence: Evidence = Field(default_factory=list)


class Why(ReportPart):
    """One link of the 5 Whys chain."""

    question: str = Field(min_length=1)
    answer: str = Field(min_length=1)
    evidence: Evidence = Field(default_factory=list)


# Exactly five: minItems/maxItems in the JSON schema is what makes a small model produce five.
FiveWhys = Annotated[list[Why], Field(min_length=5, max_length=5)]


class RootCause(ReportPart):
    """The 5 Whys chain and the systemic cause it ends at."""

    whys: FiveWhys
    systemic_cause: str = Field(min_length=1, description="a system or process, never a person")
    why_not_caught: str = Field(default="", description="why existing safeguards missed it")


class ContributingFactor(ReportPart):
    """A condition that made the incident more likely or worse."""

    title: str = Field(min_length=1)
    description: str = ""
    evidence: Evidence = Field(default_factory=list)


class ActionItem(ReportPart):
    """A follow-up owned by a role, never a person."""

    action: str = Field(min_length=1)
    owner_role: str = Field(min_length=1)
    due_date: date | None = None
    priority: Priority = Priority.P1
    type: ActionType = ActionType.CORRECTIVE
    status: ActionStatus = ActionStatus.OPEN
    description: str = ""
    evidence: Evidence = Field(default_factory=list)


class Lesson(ReportPart):
    """A lesson learned, optionally grouped."""

    text: str = Field(min_length=1)
    category: LessonCategory | None = None


class GlossaryEntry(ReportPart):
    """A term a reader outside the team may not know."""

    term: str = Field(min_length=1)
    definition: str = ""


class Participant(ReportPart):
    """A role that took part, with how many messages it sent."""

    role: str = Field(min_length=1)
    messages: int = Field(default=0, ge=0)


class ReviewFlag(ReportPart):
    """Something a reviewer must look at before approving (from verify or the lint)."""

    section: Section
    message: str = Field(min_length=1)
    severity: FlagSeverity = FlagSeverity.WARNING


class Approval(ReportPart):
    """The explicit sign-off that allows export."""

    reviewer: str = Field(min_length=1)
    approved_at: datetime


class Metrics(ReportPart):
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
