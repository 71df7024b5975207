"""Staged drafting: condensed transcript in, verified :class:`~drafting.report.Postmortem` out.

Every stage sends the same first two messages (system prompt, fenced transcript), then the
earlier stages' questions and answers, then its own instruction: the server's prefix cache reads
the transcript once, and later stages (actions, summary) see what earlier ones concluded.
A transcript too long for one context is chunked; the timeline runs per chunk, is merged by
message id, and the remaining stages read the merged key messages. A failed stage raises
:class:`DraftIncompleteError` carrying every finished stage, and ``resume`` continues from it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from pydantic import BaseModel, ValidationError

from drafting import skeleton
from drafting.anonymise import relabel
from drafting.anonymise.roster import Roster
from drafting.condense import WITHHELD, Condensed, condense
from drafting.draft import assemble, prompts
from drafting.draft.conversation import as_reply, conversation, pending_pseudonyms
from drafting.draft.result import DraftIncompleteError, DraftResult, Progress, StageEvent
from drafting.draft.stages import (
    STAGE_NAMES,
    STAGES,
    StageSpec,
    TimelineItem,
    TimelineStage,
    spec,
    stage_for,
)
from drafting.errors import DraftingError, InputError
from drafting.ingest.types import Transcript
from drafting.model.client import ChatMessage, ModelClient, OnWait, Usage
from drafting.report import FlagSeverity, Postmortem, ReviewFlag, Section
from drafting.verify import verify

# The embedded server runs with n_ctx 8192. Reserve room for the system prompt, eight stage
# instructions, the earlier answers replayed and the longest answer; the transcript gets the rest.
CONTEXT_TOKENS = 8192
RESERVED_TOKENS = 4200
MIN_BUDGET_TOKENS = 600


@dataclass
class _Run:
    """State of one drafting run."""

    client: ModelClient
    transcript: Transcript
    roster: Roster
    notes: str | None
    condensed: Condensed
    data: str
    on_progress: Progress
    answers: dict[str, BaseModel] = field(default_factory=dict)
    usage: dict[str, Usage] = field(default_factory=dict)
    raw: dict[str, str] = field(default_factory=dict)
    ran: set[str] = field(default_factory=set)  # stages the model answered in this run

    def relabel(self, text: str) -> str:
        return relabel(text, self.roster).strip()

    def labels(self) -> list[str]:
        return [x for e in self.roster.entries for x in (e.pseudonym, e.role or "")]


def transcript_budget(context_tokens: int = CONTEXT_TOKENS) -> int:
    """Tokens one transcript chunk may use in a context of ``context_tokens``."""
    return max(MIN_BUDGET_TOKENS, context_tokens - RESERVED_TOKENS)


def draft(
    transcript_anon: Transcript,
    *,
    notes: str | None = None,
    client: ModelClient,
    roster: Roster,
    on_progress: Progress | None = None,
    resume: DraftResult | Postmortem | None = None,
    context_tokens: int = CONTEXT_TOKENS,
    on_wait: OnWait | None = None,
) -> DraftResult:
    """Draft a postmortem from an anonymised transcript, stage by stage, then verify it.

    Args:
        transcript_anon: the anonymised transcript (labels, no names or secrets).
        notes: anonymised responder notes, or None.
        client: the model client (its guard checks every outgoing text).
        roster: the roster the transcript was anonymised with (for role relabelling).
        on_progress: called when each stage starts and ends.
        resume: an earlier partial result, or an edited report: finished stages are kept.
        context_tokens: the model's context window.
        on_wait: told the place in the model's queue while another draft holds the model.

    Raises:
        DraftIncompleteError: a stage failed; the error carries the partial result.
    """
    run = _start(transcript_anon, notes, client, roster, on_progress, context_tokens)
    run.answers.update(_resumed(resume))
    _use_digest(run)
    with client.slot(on_wait):  # the whole draft, so stages of two drafts never interleave
        _run_stages(run)
    return _result(run)


def _run_stages(run: _Run) -> None:
    for index, stage in enumerate(STAGES, 1):
        if stage.name in run.answers:
            run.on_progress(StageEvent(index, len(STAGES), stage.name, "kept"))
            continue
        run.on_progress(StageEvent(index, len(STAGES), stage.name, "start"))
        try:
            _run_stage(run, stage)
        except DraftingError as err:
            run.on_progress(StageEvent(index, len(STAGES), stage.name, "failed", detail=str(err)))
            partial = _result(run)
            raise DraftIncompleteError(
                f"The draft stopped at the {stage.name} stage ({len(partial.completed)} of "
                f"{len(STAGES)} stages done, kept for resuming): {err}",
                partial,
            ) from err
        run.on_progress(
            StageEvent(index, len(STAGES), stage.name, "done", run.usage.get(stage.name))
        )


def regenerate_section(
    current: DraftResult | Postmortem,
    section: str,
    *,
    transcript_anon: Transcript,
    client: ModelClient,
    roster: Roster,
    notes: str | None = None,
    context_tokens: int = CONTEXT_TOKENS,
    on_wait: OnWait | None = None,
) -> DraftResult:
    """Redo the stage behind one section, keeping every other section (human edits included).

    Args:
        current: the draft so far (a result, or a report as edited in the app).
        section: a stage name (``five_whys``) or a :class:`~drafting.report.Section` value.
        on_wait: told the place in the model's queue while a draft holds the model.
    """
    try:
        stage = spec(stage_for(section))
    except KeyError:
        raise InputError(
            f"The {section} section is not drafted by the model; edit it instead."
        ) from None
    run = _start(transcript_anon, notes, client, roster, None, context_tokens)
    run.answers.update(_resumed(current))
    run.answers.pop(stage.name, None)
    _use_digest(run)
    with client.slot(on_wait):
        _run_stage(run, stage)
    if isinstance(current, Postmortem):
        answer = run.answers[stage.name]
        pm = assemble.apply(current, stage.name, answer, run.transcript, run.relabel)
        flags = _flags(run, pm)
        return DraftResult(
            postmortem=pm.model_copy(update={"flags": flags}), usage_by_stage=run.usage,
            flags=flags, answers=_dump(run.answers), condensed_tokens=run.condensed.tokens,
        )  # fmt: skip
    return _result(run)


def _start(
    transcript: Transcript,
    notes: str | None,
    client: ModelClient,
    roster: Roster,
    on_progress: Progress | None,
    context_tokens: int,
) -> _Run:
    condensed = condense(transcript, budget_tokens=transcript_budget(context_tokens))
    # A message that only addressed the model is not there to be cited or quoted either.
    gone = {mid for mid, why in condensed.dropped.items() if why == WITHHELD}
    kept = [m for m in transcript.messages if m.id not in gone]
    transcript = transcript.model_copy(update={"messages": kept})
    return _Run(
        client=client, transcript=transcript, roster=roster, notes=notes, condensed=condensed,
        data=prompts.data_message(condensed.text, notes), on_progress=on_progress or _quiet,
    )  # fmt: skip


def _quiet(event: StageEvent) -> None:
    """The default progress callback: nothing."""


def _resumed(resume: DraftResult | Postmortem | None) -> dict[str, BaseModel]:
    if resume is None:
        return {}
    if isinstance(resume, Postmortem):
        return assemble.answers_from(resume)
    kept: dict[str, BaseModel] = {}
    for name, answer in resume.answers.items():
        try:
            kept[name] = spec(name).schema_.model_validate(answer)
        except (KeyError, ValidationError):
            continue  # saved by an older version with another schema: that stage runs again
    return kept


def _pseudonyms(run: _Run) -> list[str]:
    return pending_pseudonyms(run.transcript, run.roster)


def _conversation(run: _Run, stage: StageSpec, data: str | None = None) -> list[ChatMessage]:
    return conversation(stage, data or run.data, run.answers, run.raw, _pseudonyms(run))


def _call(run: _Run, stage: StageSpec, msgs: list[ChatMessage]) -> BaseModel:
    reply = run.client.complete(stage.name, msgs, stage.schema_, max_tokens=stage.max_tokens)
    run.usage[stage.name] = run.usage.get(stage.name, Usage()) + reply.usage
    run.raw[stage.name] = reply.raw
    return reply.value


def _run_stage(run: _Run, stage: StageSpec) -> None:
    run.ran.add(stage.name)
    if stage.name == "timeline" and len(run.condensed.chunks) > 1:
        _chunked_timeline(run, stage)
        return
    if stage.name == "roles" and not _pseudonyms(run):
        run.answers["roles"] = stage.schema_.model_validate({"roles": []})
        return
    msgs = _conversation(run, stage)
    run.answers[stage.name] = _call(run, stage, msgs)
    if stage.name not in REASKED:
        return
    problems = _problems(run, stage.name)
    if not problems:
        return
    # Re-ask once, naming each problem code can see; keep the answer with fewer problems. What
    # is left is flagged for the reviewer by verify (never silently dropped).
    first, first_raw = run.answers[stage.name], run.raw[stage.name]
    retry: list[ChatMessage] = [
        {"role": "assistant", "content": as_reply(run.answers, run.raw, stage.name)},
        {"role": "user", "content": prompts.load("reask").render(problems=_bullets(problems))},
    ]
    run.answers[stage.name] = _call(run, stage, msgs + retry)
    if len(_problems(run, stage.name)) > len(problems):
        run.answers[stage.name], run.raw[stage.name] = first, first_raw


# Stages whose answers code checks (verify and drafting.reasoning) and re-asks once on failure.
REASKED = frozenset({"impact", "five_whys", "reflection", "actions", "summary"})


def _problems(run: _Run, stage: str) -> list[str]:
    """The warnings verify raises on the sections ``stage`` writes, given the answers so far."""
    own = set(assemble.build({stage: run.answers[stage]}, run.transcript, run.relabel).origins)
    pm = assemble.build(run.answers, run.transcript, run.relabel)
    flags = verify(pm, run.transcript, labels=run.labels(), notes=run.notes)
    return [f.message for f in flags if f.section in own and f.severity is FlagSeverity.WARNING]


def _bullets(items: list[str]) -> str:
    return "\n".join(f"- {item}" for item in items)


def _chunked_timeline(run: _Run, stage: StageSpec) -> None:
    """Timeline per chunk, merged by message id; later stages then read the key messages."""
    seen: dict[str, TimelineItem] = {}
    for chunk in run.condensed.chunks:
        msgs = _conversation(run, stage, prompts.data_message(chunk, run.notes))
        answer = _call(run, stage, msgs)
        assert isinstance(answer, TimelineStage)
        for item in answer.entries:
            mid = assemble.resolve(item.message_id, run.transcript)
            if mid is not None:
                seen.setdefault(mid, item.model_copy(update={"message_id": mid}))
    order = {mid: i for i, mid in enumerate(run.condensed.kept_ids)}
    merged = sorted(seen.values(), key=lambda it: order.get(it.message_id, len(order)))
    run.answers["timeline"] = TimelineStage.from_items(merged)
    run.raw.pop("timeline", None)  # the merged answer is not what the model wrote
    _use_digest(run)


def _use_digest(run: _Run) -> None:
    """When the transcript is chunked, later stages read the timeline's key messages only."""
    timeline = run.answers.get("timeline")
    if len(run.condensed.chunks) <= 1 or not isinstance(timeline, TimelineStage):
        return
    cited = {item.message_id for item in timeline.entries}
    lines = {ln.split(" ", 1)[0]: ln for ln in run.condensed.text.splitlines()}
    digest = "\n".join(lines[mid] for mid in run.condensed.kept_ids if mid in cited)
    run.data = prompts.data_message(digest, run.notes)


def _result(run: _Run) -> DraftResult:
    pm = assemble.build(run.answers, run.transcript, run.relabel)
    completed = None
    if "summary" in run.ran:  # a summary kept from earlier, or a human's, stays as it is
        completed = assemble.completed_summary(pm, skeleton.compute(run.transcript))
    if completed is not None:
        pm = pm.model_copy(update={"summary": completed})
    flags = _flags(run, pm)
    if completed is not None:
        flags.append(ReviewFlag(section=Section.SUMMARY, severity=FlagSeverity.INFO,
                                message="The duration or stated figures were added to the "
                                "model's summary from the timeline and the transcript; check "
                                "them."))  # fmt: skip
    return DraftResult(
        postmortem=pm.model_copy(update={"flags": flags}),
        usage_by_stage=dict(run.usage),
        flags=flags,
        answers=_dump(run.answers),
        proposed_roles=_proposed_roles(run),
        prompt_refs=_prompt_refs(run),
        condensed_tokens=run.condensed.tokens,
    )


def _flags(run: _Run, pm: Postmortem) -> list[ReviewFlag]:
    flags = verify(pm, run.transcript, labels=run.labels(), notes=run.notes)
    flags += [
        ReviewFlag(
            section=Section.TIMELINE,
            message=f"Message {mid} had a line addressed to the model; that line was withheld "
            "from the model, so check by hand whether it says anything about the incident.",
            severity=FlagSeverity.WARNING,
        )
        for mid in run.condensed.withheld
    ]
    roles = _proposed_roles(run)
    if roles:
        shown = "; ".join(f"{p} -> {r}" for p, r in roles.items())
        flags.append(
            ReviewFlag(
                section=Section.HEADER,
                message=f"Proposed roles, to confirm: {shown}.",
                severity=FlagSeverity.INFO,
            )
        )
    return flags


def _proposed_roles(run: _Run) -> dict[str, str]:
    answer = run.answers.get("roles")
    wanted = set(_pseudonyms(run))
    guesses = getattr(answer, "roles", [])
    return {
        g.participant: g.role.strip() for g in guesses if g.participant in wanted and g.role.strip()
    }


def _prompt_refs(run: _Run) -> list[str]:
    names = ["system", "next", *(s for s in STAGE_NAMES if s in run.answers)]
    return [prompts.load(n).ref for n in names]


def _dump(answers: Mapping[str, BaseModel]) -> dict[str, dict[str, object]]:
    return {n: a.model_dump(mode="json") for n, a in answers.items()}
