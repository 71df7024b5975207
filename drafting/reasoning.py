"""Checks of the draft's reasoning that code can see (issue: a draft a responder would keep).

Each failure is a "needs review" flag on its section, never a silent deletion:

- the 5 Whys take five distinct steps: no answer restates an earlier one or the problem;
- the chain does not contradict a change the transcript states ("pool size from 100 to 10":
  "the pool of 100 was too high" or "increase the pool to 10" reads it backwards);
- an action item is not the mitigation already done in the transcript ("restart the pool"),
  nor a copy of a message ("Responder A: looking. dig shows the zone lost its A records");
- owners are roles, never pseudonyms ("Responder D");
- the summary is 2-4 proper sentences that name the duration and a stated impact figure;
- the impact does not claim "all users" when the transcript never says so;
- each 5 Whys answer cites a message;
- "went well" items say how the response went, not a copied message of the transcript.

Pure: no I/O. Reads the draft and the anonymised transcript.
"""

from __future__ import annotations

import re

from drafting import skeleton
from drafting.ingest.types import Transcript
from drafting.report import FlagSeverity, Phase, Postmortem, ReviewFlag, Section

# Two texts with at least this share of content words in common say the same thing.
RESTATED = 0.7
_WORD = re.compile(r"[a-z0-9]+(?:[.'][a-z0-9]+)*")
_STOP = frozenset(
    re.findall(
        r"\w+",
        "the a an of to in on for and or but was were is are be been being it its this that "
        "these those with by at from as had has have did do does not no so because why happen "
        "happened there their they we our",
    )
)
_CHANGE = re.compile(r"\bfrom\s+(?P<a>\d+(?:\.\d+)?)\s+to\s+(?P<b>\d+(?:\.\d+)?)\b")
_PSEUDONYM = re.compile(r"^\s*Responder\s+[A-Z]{1,2}\s*$")
_LABELLED = re.compile(r"^\s*Responder\s+[A-Z]{1,2}\s*:")  # "Responder A: looking. dig shows"
QUOTED = 0.9  # share of an action item's words found in one message: a copy of it
_SENTENCE = re.compile(r"[^.!?]+[.!?]+(?=\s|$)")
_DONE_VERBS = re.compile(
    r"(?i)\b(?:restart\w*|roll\w*\s*back|revert\w*|rollback|redeploy\w*|reboot\w*|flush\w*"
    r"|scal\w* (?:up|down|out)|disabl\w*|re-?enabl\w*|kill\w*|drain\w*|fail\w* over|purg\w*)\b"
)


def check(pm: Postmortem, transcript: Transcript) -> list[ReviewFlag]:
    """Every reasoning flag for ``pm`` against the anonymised ``transcript``."""
    stated = skeleton.compute(transcript)
    return [
        *distinct_whys(pm),
        *uncited_whys(pm),
        *quoted_went_well(pm, transcript),
        *contradicted_changes(pm, transcript),
        *done_mitigations(pm, transcript, stated),
        *quoted_actions(pm, transcript),
        *pseudonym_owners(pm),
        *summary_form(pm, stated),
        *impact_claims(pm, transcript),
    ]


def distinct_whys(pm: Postmortem) -> list[ReviewFlag]:
    """A flag for each 5 Whys answer that restates the problem or an earlier answer."""
    if pm.root_cause is None:
        return []
    whys = pm.root_cause.whys
    problem = whys[0].question.split(":", 1)[-1] if whys else ""
    return [_flag(Section.ROOT_CAUSE, p) for p in restated_steps(problem, [w.answer for w in whys])]


def uncited_whys(pm: Postmortem) -> list[ReviewFlag]:
    """One flag naming the 5 Whys answers that cite no message."""
    whys = pm.root_cause.whys if pm.root_cause else []
    bare = [str(n) for n, w in enumerate(whys, 1) if not w.evidence]
    if not bare:
        return []
    return [_flag(Section.ROOT_CAUSE, f"Why {', '.join(bare)} cite(s) no message; cite the "
                  "message that shows each step.")]  # fmt: skip


def quoted_went_well(pm: Postmortem, transcript: Transcript) -> list[ReviewFlag]:
    """A flag for each "went well" item that copies a message instead of saying what in the
    response worked."""
    out = []
    for item in pm.went_well:
        copied = next((m.id for m in transcript.messages if _overlap(item, m.text) >= QUOTED), None)
        if copied is not None or _LABELLED.match(item):
            out.append(
                _flag(
                    Section.WENT_WELL,
                    f'"{_short(item)}" restates a message'
                    f"{f' ({copied})' if copied else ''}; say what in the response "
                    "worked.",
                )
            )
    return out


def restated_steps(problem: str, answers: list[str]) -> list[str]:
    """One sentence per answer that restates the problem or an earlier answer."""
    out: list[str] = []
    earlier: list[str] = [problem] if problem.strip() else []
    for n, answer in enumerate(answers, 1):
        if any(_same(answer, before) for before in earlier):
            out.append(f"Why {n} restates an earlier step; ask what caused it.")
        earlier.append(answer)
    return out


def stated_changes(transcript: Transcript) -> list[tuple[str, str]]:
    """Every change the transcript states as "from A to B" (numbers as written)."""
    return [
        (m["a"], m["b"])
        for msg in transcript.messages
        for m in _CHANGE.finditer(msg.text)
        if m["a"] != m["b"]
    ]


def backwards(text: str, changes: list[tuple[str, str]]) -> str | None:
    """A sentence saying how ``text`` reads one of ``changes`` backwards, or None."""
    for old, new in changes:
        if _backwards(text, float(old) > float(new), old, new):
            return (
                f'"{_short(text)}" reads the change from {old} to {new} backwards; '
                "check the direction."
            )
    return None


def contradicted_changes(pm: Postmortem, transcript: Transcript) -> list[ReviewFlag]:
    """A flag when a 5 Whys answer or an action item reads a stated change backwards."""
    changes = stated_changes(transcript)
    if not changes:
        return []
    texts = [(Section.ROOT_CAUSE, w.answer) for w in (pm.root_cause.whys if pm.root_cause else [])]
    texts += [(Section.ACTION_ITEMS, a.action) for a in pm.action_items]
    texts += [(Section.SUMMARY, pm.summary)]
    return [
        _flag(section, said)
        for section, text in texts
        if (said := backwards(text, changes)) is not None
    ]


def _backwards(text: str, cut: bool, old: str, new: str) -> bool:
    low = text.lower()
    too_much = r"too (?:high|large|big|many|much)"
    too_little = r"too (?:low|small|few|little)"
    if cut:  # 100 -> 10: "100 was too high" or "increase ... to 10" is backwards
        return bool(
            re.search(rf"\b{re.escape(old)}\b[^.]{{0,40}}{too_much}", low)
            or re.search(rf"\b(?:increas|rais)\w*\b[^.]{{0,40}}\bto {re.escape(new)}\b", low)
        )
    return bool(  # 10 -> 100: "10 was too low" or "reduce ... to 100" is backwards
        re.search(rf"\b{re.escape(old)}\b[^.]{{0,40}}{too_little}", low)
        or re.search(rf"\b(?:decreas|reduc|lower|cut)\w*\b[^.]{{0,40}}\bto {re.escape(new)}\b", low)
    )


def done_mitigations(
    pm: Postmortem, transcript: Transcript, stated: skeleton.Skeleton | None = None
) -> list[ReviewFlag]:
    """A flag for each action item that repeats a step already taken during the incident: a
    mitigation on the timeline or a rollback the transcript states (``stated``: its skeleton,
    computed here when not given)."""
    stated = stated or skeleton.compute(transcript)
    mitigations = {mid for e in pm.timeline if e.phase is Phase.MITIGATION for mid in e.evidence}
    mitigations |= {c.message_id for c in stated.candidates if c.cue is skeleton.Cue.ROLLBACK}
    done = [m for m in transcript.messages if m.id in mitigations and _DONE_VERBS.search(m.text)]
    out = []
    for item in pm.action_items:
        if not _DONE_VERBS.search(item.action):
            continue
        repeated = next((m.id for m in done if _overlap(item.action, m.text) >= 0.5), None)
        if repeated is not None:
            out.append(
                _flag(
                    Section.ACTION_ITEMS,
                    f'"{_short(item.action)}" was already done '
                    f"during the incident ({repeated}); a follow-up should prevent the "
                    "cause, not repeat the mitigation.",
                )
            )
    return out


def quoted_actions(pm: Postmortem, transcript: Transcript) -> list[ReviewFlag]:
    """A flag for each action item that copies a transcript message instead of naming work."""
    out = []
    for item in pm.action_items:
        copied = next(
            (m.id for m in transcript.messages if _overlap(item.action, m.text) >= QUOTED), None
        )
        if copied is not None or _LABELLED.match(item.action):
            where = f"a message of the transcript ({copied})" if copied else "a transcript line"
            out.append(
                _flag(
                    Section.ACTION_ITEMS,
                    f'"{_short(item.action)}" copies {where}; '
                    "an action item names the work that prevents a recurrence.",
                )
            )
    return out


def pseudonym_owners(pm: Postmortem) -> list[ReviewFlag]:
    """A flag for each action item owned by a pseudonym instead of a role."""
    return [
        _flag(Section.ACTION_ITEMS, f'"{_short(item.action)}" is owned by {item.owner_role}, '
              "a participant's label; give it the role that should own it.")
        for item in pm.action_items
        if _PSEUDONYM.match(item.owner_role)
    ]  # fmt: skip


def summary_form(pm: Postmortem, stated: skeleton.Skeleton) -> list[ReviewFlag]:
    """A flag when the summary is not 2-4 proper sentences naming the duration and the impact."""
    text = pm.summary.strip()
    if not text:
        return []  # completeness flags an empty summary
    problems: list[str] = []
    sentences = _SENTENCE.findall(text + ("" if text[-1:] in ".!?" else "."))
    if not 2 <= len(sentences) <= 4:
        problems.append(f"{len(sentences)} sentence(s), not 2-4")
    if any(s.strip()[:1].islower() for s in sentences):
        problems.append("a sentence starts in lower case")
    no_duration, no_figure = summary_gaps(text, pm, stated)
    if no_duration:
        problems.append("no duration")
    if no_figure:
        problems.append("none of the stated impact figures")
    if not problems:
        return []
    return [_flag(Section.SUMMARY, f"The summary has {'; '.join(problems)}.")]


def impact_claims(pm: Postmortem, transcript: Transcript) -> list[ReviewFlag]:
    """A flag when the impact says everyone was affected and the transcript never does."""
    said = " ".join(m.text.lower() for m in transcript.messages)
    claims = [x for x in (pm.impact.users, pm.impact.business) if x]
    everyone = re.compile(r"\b(?:all|every|100%)\s*(?:of\s+)?(?:the\s+)?(?:users|customers)\b")
    if any(everyone.search(c.lower()) for c in claims) and not everyone.search(said):
        return [_flag(Section.IMPACT, 'The impact says all users were affected; the transcript '
                      "does not. State only what it says.")]  # fmt: skip
    return []


def summary_gaps(text: str, pm: Postmortem, stated: skeleton.Skeleton) -> tuple[bool, bool]:
    """Whether ``text`` (a summary of ``pm``) leaves out the duration the timeline gives, and
    whether it leaves out every impact figure the transcript states."""
    duration = pm.metrics.total_duration or pm.metrics.time_to_resolve
    no_duration = duration is not None and not _SAYS_DURATION.search(text)
    numbers = {f.text for f in stated.figures if f.what != "duration"}
    no_figure = bool(numbers) and not any(_number_of(n) in text for n in numbers)
    return no_duration, no_figure


_SAYS_DURATION = re.compile(r"(?i)\d+\s*(?:h|hr|hour|min|minute)")


def _number_of(figure: str) -> str:
    match = re.search(r"\d[\d,.]*", figure)
    return match.group() if match else figure


def _content(text: str) -> set[str]:
    return {_stem(w) for w in _WORD.findall(text.lower()) if w not in _STOP}


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 2 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def _overlap(a: str, b: str) -> float:
    """Share of ``a``'s content words that ``b`` has too."""
    words = _content(a)
    return len(words & _content(b)) / len(words) if words else 0.0


def _same(a: str, b: str) -> bool:
    wa, wb = _content(a), _content(b)
    if not wa or not wb:
        return False
    return len(wa & wb) / min(len(wa), len(wb)) >= RESTATED


def _short(text: str, width: int = 50) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _flag(section: Section, message: str) -> ReviewFlag:
    return ReviewFlag(section=section, message=message, severity=FlagSeverity.WARNING)
