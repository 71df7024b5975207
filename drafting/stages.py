"""Drafting stages: one small schema per stage, sent to the model as its JSON schema.

Small schemas suit small models: each stage asks for one section with bounded list lengths, so
the answer cannot sprawl. Strings carry no ``maxLength``: llama.cpp turns it into deeply nested
grammar rules that slowed generation about 20-fold when measured; each stage's ``max_tokens``
and its prompt ("one short sentence") keep texts short instead. The field descriptions are
instructions the model reads; they are written for it.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from drafting.report import Phase, Priority, Section

MessageIds = list[str]
_IDS = 'ids of the transcript messages this rests on, e.g. ["m4", "m7"]'


class _Stage(BaseModel):
    model_config = ConfigDict(extra="ignore")


class TimelineItem(BaseModel):
    """One key moment of the incident."""

    message_id: str = Field(description='id of the message this moment comes from, e.g. "m4"')
    phase: Phase = Field(description="which phase of the incident this moment belongs to")
    event: str = Field(description="what happened, at most 12 words")


class TimelineStage(_Stage):
    """The key moments in time order."""

    entries: list[TimelineItem] = Field(
        min_length=1, max_length=10, description="key moments in time order"
    )


class RoleGuess(BaseModel):
    """A role proposed for one pseudonymous participant."""

    participant: str = Field(description="the participant's label exactly as in the transcript")
    role: str = Field(description="job role shown by their actions, 1-3 words, e.g. On-call SRE")


class RolesStage(_Stage):
    """Roles for the participants; a human confirms them."""

    roles: list[RoleGuess] = Field(max_length=12, description="one entry per participant")


class ImpactStage(_Stage):
    """Who and what was affected, only as the data states."""

    users: str = Field(description='who was affected, at most 10 words; "" if unstated')
    services: list[str] = Field(
        max_length=5, description="affected services or systems, names only"
    )
    effect: str = Field(description="how they were affected, at most 20 words, as the data states")
    duration: str = Field(description='how long, only if the data states it, else ""')
    evidence: MessageIds = Field(max_length=6, description=_IDS)


class WhyStep(BaseModel):
    """One step of the 5 Whys chain."""

    question: str = Field(description="Why did <the previous answer> happen? At most 12 words")
    answer: str = Field(description="the cause, a system or process, at most 15 words")
    evidence: MessageIds = Field(max_length=4, description=_IDS)


class WhysStage(_Stage):
    """Exactly five whys, from the symptom down to a system or process cause."""

    whys: list[WhyStep] = Field(
        min_length=5, max_length=5, description="exactly 5 steps, symptom first, root cause last"
    )


class FactorsStage(_Stage):
    """Contributing factors."""

    factors: list[str] = Field(
        min_length=1,
        max_length=5,
        description="conditions in systems or processes that made it possible, worse or longer; "
        "at most 15 words each",
    )


class ReflectionStage(_Stage):
    """What went well, what went wrong, where the team was lucky, lessons learned."""

    went_well: list[str] = Field(
        max_length=4, description="what helped the response, at most 12 words each"
    )
    went_wrong: list[str] = Field(
        max_length=4, description="what hindered or prolonged it, at most 12 words each"
    )
    lucky: list[str] = Field(
        max_length=3, description="where luck limited the damage, at most 12 words each"
    )
    lessons: list[str] = Field(
        max_length=3, description="lessons for next time, at most 12 words each"
    )


class ActionProposal(BaseModel):
    """One follow-up action."""

    action: str = Field(description="a concrete change to a system or process, at most 15 words")
    owner_role: str = Field(description="the owning role (1-3 words), never a person's name")
    priority: Priority = Field(description="P0 now, P1 soon, P2 at planning")


class ActionsStage(_Stage):
    """Action items that address the root cause and the contributing factors."""

    items: list[ActionProposal] = Field(min_length=1, max_length=6, description="action items")


class SummaryStage(_Stage):
    """Title and executive summary, written last."""

    title: str = Field(description="a neutral incident title, at most 10 words")
    summary: str = Field(
        description="what happened, the impact and how it was resolved; at most 50 words"
    )


class StageSpec(BaseModel):
    """How to run one stage: its prompt, schema, trusted prompt values and output cap."""

    model_config = ConfigDict(frozen=True)

    name: str
    schema_: type[_Stage] = Field(alias="schema")
    max_tokens: int
    values: dict[str, int] = Field(default_factory=dict)


# max_tokens caps generation (about 10 tokens/s on the embedded model); the schema's length limits
# keep a valid answer well under each cap.
STAGES: tuple[StageSpec, ...] = (
    StageSpec(name="timeline", schema=TimelineStage, max_tokens=700, values={"max_entries": 6}),
    StageSpec(name="roles", schema=RolesStage, max_tokens=250),
    StageSpec(name="impact", schema=ImpactStage, max_tokens=300),
    StageSpec(name="five_whys", schema=WhysStage, max_tokens=650),
    StageSpec(name="factors", schema=FactorsStage, max_tokens=300, values={"max_items": 3}),
    StageSpec(name="reflection", schema=ReflectionStage, max_tokens=500, values={"max_items": 2}),
    StageSpec(name="actions", schema=ActionsStage, max_tokens=450, values={"max_items": 3}),
    StageSpec(name="summary", schema=SummaryStage, max_tokens=250),
)
STAGE_NAMES: tuple[str, ...] = tuple(s.name for s in STAGES)


def spec(name: str) -> StageSpec:
    """The stage called ``name``.

    Raises:
        KeyError: no such stage.
    """
    for stage in STAGES:
        if stage.name == name:
            return stage
    raise KeyError(name)


_STAGE_OF_SECTION = {
    Section.TIMELINE: "timeline",
    Section.IMPACT: "impact",
    Section.ROOT_CAUSE: "five_whys",
    Section.CONTRIBUTING_FACTORS: "factors",
    Section.WENT_WELL: "reflection",
    Section.WENT_WRONG: "reflection",
    Section.LUCKY: "reflection",
    Section.LESSONS: "reflection",
    Section.ACTION_ITEMS: "actions",
    Section.SUMMARY: "summary",
    Section.HEADER: "summary",
}


def stage_for(section: str) -> str:
    """The stage that writes ``section`` (a Section value); a stage name maps to itself.

    Raises:
        KeyError: neither a drafted section nor a stage.
    """
    if section in STAGE_NAMES:
        return section
    try:
        return _STAGE_OF_SECTION[Section(section)]
    except ValueError:
        raise KeyError(section) from None
