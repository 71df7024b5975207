"""The prompt layout every drafting request follows, and the replay of earlier answers.

Every stage sends the same first two messages (the system prompt, the fenced transcript), then
the earlier stages' cues and answers, then its own cue. The system prompt holds every stage's
task and fields, so it is identical for every draft and the server's prefix cache reads it once
per server (see :func:`prime`); earlier answers are replayed exactly as the model wrote them, so
the cache still matches the tokens it generated. Pure apart from :func:`prime`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from functools import cache

from pydantic import BaseModel

from drafting.anonymise.roster import Roster
from drafting.draft import prompts
from drafting.draft.stages import STAGE_NAMES, STAGES, StageSpec, spec
from drafting.ingest.types import MessageKind, Transcript
from drafting.model.client import ChatMessage, ModelClient, Usage


@cache
def system_prompt() -> str:
    """The rules and every section's task and fields: the same for every draft and stage."""
    guides = []
    for stage in STAGES:
        task = prompts.load(stage.name).render(**stage.values)
        guides.append(f"## {stage.name}: {task}\n{prompts.field_guide(stage.schema_)}")
    return prompts.load("system").render(sections="\n".join(guides))


def prime(client: ModelClient) -> Usage:
    """Have the server read the system prompt now (a one-token reply), ahead of the first draft.

    Worth it only where the server keeps a prefix cache (the embedded one): the app calls it in
    the background when the model server starts, while the user still pastes and anonymises.
    """
    return client.prime([{"role": "system", "content": system_prompt()}])


def pending_pseudonyms(transcript: Transcript, roster: Roster) -> list[str]:
    """Human speakers still known only by pseudonym: the ones a role is proposed for."""
    speakers = {m.speaker for m in transcript.messages if m.kind == MessageKind.HUMAN}
    return [e.pseudonym for e in roster.entries if e.role is None and e.pseudonym in speakers]


def instruction(stage: StageSpec, pseudonyms: Sequence[str]) -> str:
    """The stage's cue: the section's name (its task and fields are in the system prompt)."""
    text = prompts.load("next").render(section=stage.name)
    if stage.name == "roles":
        names = ", ".join(pseudonyms) or "(none)"
        text += "\n" + prompts.load("participants").render(participants=names)
    return text


def as_reply(answers: Mapping[str, BaseModel], raw: Mapping[str, str], name: str) -> str:
    """An earlier answer as the model wrote it, so the server's prefix cache still matches it.

    Answers that were merged, resumed or edited are serialised instead (with json.dumps'
    separators, which the models tend to emit too).
    """
    return raw.get(name) or json.dumps(answers[name].model_dump(mode="json"), ensure_ascii=False)


def conversation(
    stage: StageSpec,
    data: str,
    answers: Mapping[str, BaseModel],
    raw: Mapping[str, str],
    pseudonyms: Sequence[str],
) -> list[ChatMessage]:
    """System, transcript, earlier stages' cues and answers, then this stage's cue."""
    msgs: list[ChatMessage] = [
        {"role": "system", "content": system_prompt()},
        {"role": "user", "content": data},
    ]
    for name in STAGE_NAMES:
        if name != stage.name and name in answers:
            msgs.append({"role": "user", "content": instruction(spec(name), pseudonyms)})
            msgs.append({"role": "assistant", "content": as_reply(answers, raw, name)})
    msgs.append({"role": "user", "content": instruction(stage, pseudonyms)})
    return msgs
