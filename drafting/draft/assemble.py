"""Turn stage answers into a :class:`~drafting.report.Postmortem`, and a report back into answers.

Facts the parser knows are never taken from the model: a timeline entry's time is the cited
message's timestamp, participants and their message counts come from the transcript. Every text
the model wrote passes through ``relabel`` (pseudonym -> confirmed role) on the way in.
Pure: no I/O.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping
from difflib import SequenceMatcher
from typing import Any

from pydantic import BaseModel

from drafting import reasoning, skeleton
from drafting.anonymise.untrusted import PLACEHOLDER
from drafting.draft.stages import (
    WHY_PREFIX,
    ActionProposal,
    ActionsStage,
    FactorsStage,
    ImpactStage,
    ReflectionStage,
    RolesStage,
    SummaryStage,
    TimelineItem,
    TimelineStage,
    WhysStage,
    WhyStep,
    as_sentence,
)
from drafting.ingest.types import MessageKind, Transcript
from drafting.metrics import format_duration
from drafting.report import (
    ActionItem,
    ContributingFactor,
    Impact,
    Lesson,
    Origin,
    Participant,
    Phase,
    Postmortem,
    RootCause,
    Section,
    TimelineEntry,
    Why,
)

Relabel = Callable[[str], str]
UNTITLED = "Untitled incident (draft)"
EVENT_WORDS = 25
MAX_STATED_FIGURES = 12
_FENCED = re.compile(r"```.*?(?:```|$)", re.S)
QUOTE_MATCH = 0.75  # similarity above which a quote is taken to name a message


def build(answers: Mapping[str, BaseModel], transcript: Transcript, relabel: Relabel) -> Postmortem:
    """Assemble the report from whichever stage answers exist (partial drafts included)."""
    stated = skeleton.compute(transcript)  # the id and date as the transcript states them
    fields: dict[str, Any] = {
        "title": UNTITLED,
        "participants": participants(transcript),
        "incident_id": stated.incident_id,
        "date": stated.date,
    }
    origins: dict[Section, Origin] = {}
    for stage, answer in answers.items():
        part = _PARTS.get(stage)
        if part is not None:
            update, sections = part(answer, transcript, relabel)
            fields.update(update)
            origins.update(dict.fromkeys(sections, Origin.MODEL))
    roles = answers.get("roles")
    if isinstance(roles, RolesStage) and fields.get("action_items"):
        fields["action_items"] = _owned_by_roles(fields["action_items"], roles)
    return Postmortem(**fields, origins=origins)


def _owned_by_roles(items: list[ActionItem], roles: RolesStage) -> list[ActionItem]:
    """Owners that are a participant's label get the role proposed for that participant: an
    owner is a role, never a pseudonym (the proposed roles are flagged for confirmation)."""
    proposed = {g.participant.strip(): g.role.strip() for g in roles.roles if g.role.strip()}
    return [
        a.model_copy(update={"owner_role": proposed[a.owner_role.strip()]})
        if a.owner_role.strip() in proposed
        else a
        for a in items
    ]


def completed_summary(pm: Postmortem, stated: skeleton.Skeleton) -> str | None:
    """The summary with the facts code knows added when the model left them out: the total
    duration and up to two stated impact figures; None when nothing is missing."""
    text = pm.summary.strip()
    if not text:
        return None
    no_duration, no_figure = reasoning.summary_gaps(text, pm, stated)
    added = []  # one sentence at most, so three sentences from the model stay within four
    duration = pm.metrics.total_duration or pm.metrics.time_to_resolve
    if no_duration and duration is not None:
        added.append(f"it lasted {format_duration(duration)}")
    figures = [f.text for f in stated.impact(MAX_STATED_FIGURES) if f.what != "duration"]
    if no_figure and figures:
        added.append(f"the transcript states {' and '.join(figures[:2])}")
    return f"{text} {as_sentence('; '.join(added))}" if added else None


def apply(
    pm: Postmortem, stage: str, answer: BaseModel, transcript: Transcript, relabel: Relabel
) -> Postmortem:
    """``pm`` with the sections ``stage`` writes replaced by ``answer``, marked model-written."""
    part = _PARTS.get(stage)
    if part is None:
        return pm
    update, sections = part(answer, transcript, relabel)
    origins = {**pm.origins, **dict.fromkeys(sections, Origin.MODEL)}
    return pm.model_copy(update={**update, "origins": origins})


def participants(transcript: Transcript) -> list[Participant]:
    """Each human speaker (as labelled in the anonymised transcript) with their message count.

    Lines nobody is named on (notes, fallback paragraphs) have no speaker and are not counted.
    """
    counts = Counter(
        m.speaker for m in transcript.messages if m.kind == MessageKind.HUMAN and m.speaker.strip()
    )
    return [Participant(role=speaker, messages=n) for speaker, n in counts.items()]


def resolve(ref: str, t: Transcript) -> str | None:
    """The id of the message ``ref`` names: an id, or a quote of the message (small models often
    copy a message's words instead of its id); None when no message matches.
    """
    ref = ref.strip()
    if ref in t.by_id():
        return ref
    quote = _norm(ref)
    if len(quote) < 8:
        return None
    texts = [(m.id, _norm(m.text)) for m in t.messages]
    for mid, text in texts:
        if quote in text or (len(text) >= 8 and text in quote):
            return mid
    scores = [(SequenceMatcher(None, quote, text).ratio(), mid) for mid, text in texts]
    score, mid = max(scores, key=lambda p: p[0], default=(0.0, ""))
    return mid if score >= QUOTE_MATCH else None


def cited(refs: list[str], t: Transcript) -> list[str]:
    """``refs`` resolved to message ids (unresolved kept as written, for verify to flag)."""
    out = [resolve(r, t) or r.strip() for r in refs if r.strip()]
    return list(dict.fromkeys(out))


def _norm(text: str) -> str:
    return " ".join(text.lower().split()).strip(" .")


def _timeline(a: BaseModel, t: Transcript, rl: Relabel) -> tuple[dict[str, Any], list[Section]]:
    assert isinstance(a, TimelineStage)
    by_id = t.by_id()
    placed: dict[str, Phase] = {}
    for item in a.entries:
        mid = resolve(item.message_id, t)
        if mid is not None and mid not in placed:  # else names no message, or a repeat
            placed[mid] = item.phase
    for mid, phase in stated_events(t).items():
        # The transcript's own key events stay on the timeline: the model cannot drop the
        # deploy that triggered the incident, the first alert or the first "resolved". They
        # add to the model's choices and never re-phase them: on transcripts nobody tuned the
        # rules to, the computed events are right about half the time (docs/quality.md).
        if mid not in placed and not (
            phase is Phase.RESOLUTION and Phase.RESOLUTION in placed.values()
        ):
            placed[mid] = phase
    entries = []
    for mid, phase in placed.items():
        msg = by_id[mid]
        event = rl(event_text(msg.speaker, msg.text))
        entries.append(TimelineEntry(time=msg.ts, phase=phase, event=event, evidence=[mid]))
    entries.sort(key=lambda e: (e.time is None, e.time))
    return {"timeline": entries}, [Section.TIMELINE]


def stated_events(t: Transcript) -> dict[str, Phase]:
    """Key events the transcript states by itself (:func:`drafting.skeleton.key_events`), each
    message id with its phase."""
    key = skeleton.key_events(t)
    pairs = (
        (key.trigger, Phase.TRIGGER),
        (key.detection, Phase.DETECTION),
        (key.mitigation, Phase.MITIGATION),
        (key.resolution, Phase.RESOLUTION),
    )
    return {mid: phase for mid, phase in pairs if mid is not None}


def event_text(speaker: str, text: str, max_words: int = EVENT_WORDS) -> str:
    """A timeline event from its message: ``speaker: text``, cut at ``max_words`` words.

    Pasted blocks (fenced output, logs) are shown as ``[pasted output]``: the words around them
    say what happened, and the block stays in the transcript the entry cites. A withheld line
    (it addressed the model) is left out altogether.
    """
    text = text.replace(PLACEHOLDER, " ")
    text = _FENCED.sub(" [pasted output] ", text)
    words = " ".join(text.split()).split(" ")
    short = " ".join(words[:max_words]) + (" …" if len(words) > max_words else "")
    return f"{speaker}: {short}" if speaker else short


def _impact(a: BaseModel, t: Transcript, rl: Relabel) -> tuple[dict[str, Any], list[Section]]:
    assert isinstance(a, ImpactStage)
    impact = Impact(
        users=rl(a.users) or None,
        duration=rl(a.duration) or None,
        services=[rl(s) for s in a.services if s.strip()],
        technical=rl(a.effect) or None,
        evidence=cited(a.evidence, t),
    )
    written = " ".join(x for x in (impact.users, impact.duration, impact.technical) if x)
    stated = [f for f in skeleton.compute(t).impact(MAX_STATED_FIGURES) if f.text not in written]
    if stated:
        # The figures the transcript states stay in the report, cited, whatever the model kept.
        said = "; ".join(f"{f.text} ({f.message_id})" for f in stated)
        ids = list(dict.fromkeys([*impact.evidence, *(f.message_id for f in stated)]))
        impact = impact.model_copy(
            update={"business": f"Stated in the transcript: {said}.", "evidence": ids}
        )
    return {"impact": impact}, [Section.IMPACT]


def _whys(a: BaseModel, t: Transcript, rl: Relabel) -> tuple[dict[str, Any], list[Section]]:
    assert isinstance(a, WhysStage)
    whys = [
        Why(question=rl(q), answer=rl(w.answer) or "(no answer)", evidence=cited(w.evidence, t))
        for q, w in zip(a.questions(), a.whys, strict=True)
    ]
    return {"root_cause": RootCause(whys=whys, systemic_cause=whys[-1].answer)}, [
        Section.ROOT_CAUSE
    ]


def _factors(a: BaseModel, t: Transcript, rl: Relabel) -> tuple[dict[str, Any], list[Section]]:
    assert isinstance(a, FactorsStage)
    factors = [ContributingFactor(title=rl(f)) for f in a.factors if f.strip()]
    return {"contributing_factors": factors}, [Section.CONTRIBUTING_FACTORS]


def _reflection(a: BaseModel, t: Transcript, rl: Relabel) -> tuple[dict[str, Any], list[Section]]:
    assert isinstance(a, ReflectionStage)

    def clean(items: list[str]) -> list[str]:
        return [rl(i) for i in items if i.strip()]

    update = {
        "went_well": clean(a.went_well),
        "went_wrong": clean(a.went_wrong),
        "lucky": clean(a.lucky),
        "lessons": [Lesson(text=x) for x in clean(a.lessons)],
    }
    return update, [Section.WENT_WELL, Section.WENT_WRONG, Section.LUCKY, Section.LESSONS]


def _actions(a: BaseModel, t: Transcript, rl: Relabel) -> tuple[dict[str, Any], list[Section]]:
    assert isinstance(a, ActionsStage)
    items = [
        ActionItem(action=rl(i.action), owner_role=rl(i.owner_role) or "Unassigned",
                   priority=i.priority)
        for i in a.items if i.action.strip()
    ]  # fmt: skip
    return {"action_items": items}, [Section.ACTION_ITEMS]


def _summary(a: BaseModel, t: Transcript, rl: Relabel) -> tuple[dict[str, Any], list[Section]]:
    assert isinstance(a, SummaryStage)
    return {"title": rl(a.title) or UNTITLED, "summary": rl(a.summary)}, [
        Section.HEADER,
        Section.SUMMARY,
    ]


_PARTS = {
    "timeline": _timeline,
    "impact": _impact,
    "five_whys": _whys,
    "factors": _factors,
    "reflection": _reflection,
    "actions": _actions,
    "summary": _summary,
}


def answers_from(pm: Postmortem) -> dict[str, BaseModel]:
    """Stage answers equivalent to a (possibly human-edited) report, to resume or regenerate from.

    Built without validation: a human edit may exceed the model-facing length limits, and the
    answers only serve as conversation context.
    """
    out: dict[str, BaseModel] = {}
    if pm.timeline:
        items = [
            TimelineItem.model_construct(
                message_id=e.evidence[0] if e.evidence else "", phase=e.phase
            )
            for e in pm.timeline
        ]
        out["timeline"] = TimelineStage.from_items(items)
    if not pm.impact.is_empty():
        i = pm.impact
        out["impact"] = ImpactStage.model_construct(
            users=i.users or "", services=i.services, effect=i.technical or i.business or "",
            duration=i.duration or "", evidence=i.evidence,
        )  # fmt: skip
    if pm.root_cause:
        whys = pm.root_cause.whys
        steps = [WhyStep.model_construct(answer=w.answer, evidence=w.evidence) for w in whys]
        problem = whys[0].question.removeprefix(WHY_PREFIX).rstrip("?")
        out["five_whys"] = WhysStage.model_construct(problem=problem, whys=steps)
    if pm.contributing_factors:
        out["factors"] = FactorsStage.model_construct(
            factors=[f.title for f in pm.contributing_factors]
        )
    if pm.went_well or pm.went_wrong or pm.lucky or pm.lessons:
        out["reflection"] = ReflectionStage.model_construct(
            went_well=pm.went_well, went_wrong=pm.went_wrong, lucky=pm.lucky,
            lessons=[lesson.text for lesson in pm.lessons],
        )  # fmt: skip
    if pm.action_items:
        props = [
            ActionProposal.model_construct(
                action=a.action, owner_role=a.owner_role, priority=a.priority
            )
            for a in pm.action_items
        ]
        out["actions"] = ActionsStage.model_construct(items=props)
    if pm.summary.strip():
        out["summary"] = SummaryStage.model_construct(
            title=pm.title, what_happened=pm.summary, impact="", resolution=""
        )
    return out
