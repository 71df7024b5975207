"""Drafting stages: one small schema per stage, sent to the model as its JSON schema.

Small schemas suit small models: each stage asks for one section with bounded list lengths, so
the answer cannot sprawl. Strings carry no ``maxLength``: llama.cpp turns it into deeply nested
grammar rules that slowed generation about 20-fold when measured; each stage's ``max_tokens``
and its prompt ("one short sentence") keep texts short instead. The field descriptions are
instructions the model reads; they are written for it.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from drafting.report import Phase, Priority, Section, stage_of

MessageIds = list[str]
WHY_PREFIX = "Why did this happen: "  # each derived 5 Whys question, before the step it asks about
_IDS = 'ids of the transcript messages this rests on, e.g. ["m4", "m7"]'


class _Stage(BaseModel):
    model_config = ConfigDict(extra="ignore")


class TimelineItem(BaseModel):
    """One key moment of the incident: a message and its phase.

    The event text is the cited message's own (see ``assemble``): the model only picks and
    classifies, so an entry can never misquote its message, and the answer stays short.
    """

    message_id: str
    phase: Phase


def _phase(description: str, most: int) -> Any:
    return Field(max_length=most, description=f'{description}: message ids, e.g. ["m4"]')


class TimelineStage(_Stage):
    """The key messages of each incident phase.

    Asking per phase (rather than for a list of moments) makes a small model look for each one
    (it otherwise lists the first messages in order), and gives the metrics their phases.
    """

    trigger: MessageIds = _phase("the first sign of trouble", 2)
    detection: MessageIds = _phase("the alert, page or report that got it noticed", 2)
    escalation: MessageIds = _phase("more responders or teams called in", 2)
    diagnosis: MessageIds = _phase("the cause found or narrowed down", 3)
    mitigation: MessageIds = _phase("steps that limited or stopped the impact", 3)
    resolution: MessageIds = _phase("the service confirmed healthy again", 2)
    follow_up: MessageIds = _phase("later clean-up or communication", 2)

    @property
    def entries(self) -> list[TimelineItem]:
        """Each cited message once, with the first phase that cites it."""
        seen: dict[str, TimelineItem] = {}
        for phase in Phase:
            for mid in getattr(self, phase.name.lower()):
                seen.setdefault(mid, TimelineItem(message_id=mid, phase=phase))
        return list(seen.values())

    @classmethod
    def from_items(cls, items: list[TimelineItem]) -> TimelineStage:
        """The answer that lists ``items`` (no length limits: merged or human-edited)."""
        by_phase: dict[str, list[str]] = {p.name.lower(): [] for p in Phase}
        for item in items:
            by_phase[item.phase.name.lower()].append(item.message_id)
        return cls.model_construct(None, **by_phase)


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
    effect: str = Field(description="how they were affected, at most 15 words, as the data states")
    duration: str = Field(description='how long, only if the data states it, else ""')
    evidence: MessageIds = Field(max_length=4, description=_IDS)


class WhyStep(BaseModel):
    """One step of the 5 Whys chain: why the step before happened."""

    answer: str = Field(description="why the step before happened: a system or process cause")
    evidence: MessageIds = Field(max_length=2, description=_IDS)


class WhysStage(_Stage):
    """The problem, then five causes, each the reason for the one before.

    The questions are not asked of the model ("Why did <the step before> happen?" restates it):
    ``questions`` derives them, which saves about a third of this stage's tokens.
    """

    problem: str = Field(description="the user-visible symptom, one short sentence")
    whys: list[WhyStep] = Field(
        min_length=5, max_length=5, description="5 causes, each of the one before; last = root"
    )

    def questions(self) -> list[str]:
        """The five questions: each asks why the previous step (the problem first) happened."""
        steps = [self.problem, *(w.answer for w in self.whys[:-1])]
        return [f"{WHY_PREFIX}{_clause(s)}?" for s in steps]


def _clause(text: str) -> str:
    text = " ".join(text.split()).rstrip(" .?!")
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


class FactorsStage(_Stage):
    """Contributing factors."""

    factors: list[str] = Field(
        min_length=1,
        max_length=3,
        description="conditions in systems or processes that made it possible, worse or longer; "
        "at most 12 words each",
    )


class ReflectionStage(_Stage):
    """What went well, what went wrong, where the team was lucky, lessons learned."""

    went_well: list[str] = Field(
        max_length=2, description="what helped the response, at most 10 words each"
    )
    went_wrong: list[str] = Field(
        max_length=2, description="what hindered or prolonged it, at most 10 words each"
    )
    lucky: list[str] = Field(
        max_length=2, description="where luck limited the damage, at most 10 words each"
    )
    lessons: list[str] = Field(
        max_length=2, description="lessons for next time, at most 10 words each"
    )


class ActionProposal(BaseModel):
    """One follow-up action."""

    action: str = Field(description="a concrete change to a system or process, at most 12 words")
    owner_role: str = Field(description="the owning role (1-3 words), never a person's name")
    priority: Priority = Field(description="P0 now, P1 soon, P2 at planning")


class ActionsStage(_Stage):
    """Action items that address the root cause and the contributing factors."""

    items: list[ActionProposal] = Field(min_length=1, max_length=3, description="action items")


class SummaryStage(_Stage):
    """Title and executive summary, written last: three sentences, one per field.

    One sentence per field bounds the summary where a word limit does not (the model ignores
    those, and a grammar ``maxLength`` slows decoding); ``assemble`` joins them.
    """

    title: str = Field(description="a neutral incident title, at most 10 words")
    what_happened: str = Field(description="one sentence: what failed and why")
    impact: str = Field(description="one sentence: who or what was affected, and for how long")
    resolution: str = Field(description="one sentence: how it was resolved")

    @property
    def summary(self) -> str:
        """The three sentences as one paragraph, each begun with a capital and ended with a
        full stop (a small model often writes them as fragments, which would run together)."""
        parts = (self.what_happened, self.impact, self.resolution)
        return " ".join(as_sentence(p) for p in parts if p.strip())


def as_sentence(text: str) -> str:
    """``text`` stripped, begun with a capital letter and ended with sentence punctuation."""
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."


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
    StageSpec(name="timeline", schema=TimelineStage, max_tokens=300),
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


def stage_for(section: str) -> str:
    """The stage that writes ``section`` (a Section value); a stage name maps to itself.

    Raises:
        KeyError: neither a drafted section nor a stage.
    """
    if section in STAGE_NAMES:
        return section
    try:
        stage = stage_of(Section(section))
    except ValueError:
        raise KeyError(section) from None
    if stage is None:
        raise KeyError(section)
    return stage
