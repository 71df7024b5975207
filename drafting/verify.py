"""Check a draft against its source instead of trusting the model.

Every problem becomes a :class:`~drafting.report.ReviewFlag` shown on the draft as "needs review";
nothing is silently deleted. Checks: cited message ids exist and their times match, numbers occur
in the source, the 5 Whys do not end at a person or at "human error" (the lint's detector), and
every required section is filled. Blameful wording is not copied in here: review shows the live
lint findings for each section (``drafting.review.findings``), so each finding appears once.
Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from drafting import reasoning
from drafting.ingest.types import Transcript
from drafting.lint import ends_at_person
from drafting.report import FlagSeverity, Postmortem, ReviewFlag, Section, empty_required

_NUMBER = re.compile(r"(?<![A-Za-z0-9_.\-])\d+(?:[.,:]\d+)*")
_CITATION = re.compile(r"\bm\d+\b")


def source_numbers(texts: Iterable[str]) -> set[str]:
    """Every number in the source texts, normalised (see :func:`normalise_number`)."""
    found: set[str] = set()
    for text in texts:
        found.update(normalise_number(n) for n in _NUMBER.findall(text))
    return found


def normalise_number(raw: str) -> str:
    """``1,200`` -> ``1200``, ``09:05`` -> ``9:05``, ``3.50`` -> ``3.5`` so equal values match."""
    if ":" in raw:
        head, _, rest = raw.partition(":")
        return f"{int(head)}:{rest}" if head.isdigit() else raw  # 09:05, not 127.0.0.1:8080
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+", raw):
        raw = raw.replace(",", "")
    raw = raw.replace(",", ".")
    if "." in raw:
        raw = raw.rstrip("0").rstrip(".") or "0"
    return raw.lstrip("0") or "0"


def ungrounded_numbers(text: str, known: set[str]) -> list[str]:
    """Numbers in ``text`` (citations like ``m12`` excluded) that never occur in the source."""
    text = _CITATION.sub(" ", text)
    out: list[str] = []
    for raw in _NUMBER.findall(text):
        raw = raw.rstrip(".,:")
        if raw and normalise_number(raw) not in known and raw not in out:
            out.append(raw)
    return out


def verify(
    pm: Postmortem,
    transcript: Transcript,
    *,
    labels: Iterable[str] = (),
    notes: str | None = None,
) -> list[ReviewFlag]:
    """Every review flag for ``pm``, checked against the (anonymised) transcript and notes.

    Args:
        pm: the draft.
        transcript: the anonymised transcript the draft was written from.
        labels: pseudonyms and roles, to tell when a 5 Whys answer ends at a person.
        notes: the anonymised notes, also a source of facts and numbers.
    """
    known = source_numbers(
        [m.text for m in transcript.messages]
        + [m.ts.strftime("%H:%M") for m in transcript.messages if m.ts]
        + ([notes] if notes else [])
    )
    return [
        *completeness(pm),
        *citations(pm, transcript),
        *numbers(pm, known),
        *whys_chain(pm, labels),
        *reasoning.check(pm, transcript),
    ]


def completeness(pm: Postmortem) -> list[ReviewFlag]:
    """A flag for every required section that is empty."""
    return [
        _flag(section, "This section is empty; fill it in or confirm there is nothing to say.")
        for section in empty_required(pm)
    ]


def citations(pm: Postmortem, transcript: Transcript) -> list[ReviewFlag]:
    """Flags for cited ids that do not exist, and timeline times that differ from the message."""
    by_id = transcript.by_id()
    flags: list[ReviewFlag] = []
    for section, evidence in _cited(pm):
        for mid in evidence:
            if mid not in by_id:
                flags.append(_flag(section, f"Cites {mid}, which is not in the transcript.", True))
    for entry in pm.timeline:
        times = {t for m in entry.evidence if m in by_id and (t := by_id[m].ts) is not None}
        if entry.time is not None and times and entry.time not in times:
            when = entry.time.strftime("%H:%M")
            flags.append(_flag(Section.TIMELINE, f"The {when} entry's time differs from the "
                               f"cited message ({', '.join(entry.evidence)}).", True))  # fmt: skip
        said = " ".join(by_id[m].text for m in entry.evidence if m in by_id)
        flags += _stated_times(entry.event, {t.strftime("%H:%M") for t in times}, said)
    return flags


def numbers(pm: Postmortem, known: set[str]) -> list[ReviewFlag]:
    """A flag per section listing the numbers that never occur in the source."""
    flags: list[ReviewFlag] = []
    for section, texts in prose_by_section(pm).items():
        missing: list[str] = []
        for text in texts:
            missing += [n for n in ungrounded_numbers(text, known) if n not in missing]
        if missing:
            flags.append(_flag(section, "Numbers not found in the transcript or notes: "
                               f"{', '.join(missing)}; check them.", True))  # fmt: skip
    return flags


def whys_chain(pm: Postmortem, labels: Iterable[str]) -> list[ReviewFlag]:
    """A flag when the 5 Whys chain ends at a person or at "human error"."""
    if pm.root_cause is None or not pm.root_cause.whys:
        return []
    last = pm.root_cause.whys[-1].answer
    if not ends_at_person(last, labels):
        return []
    return [_flag(Section.ROOT_CAUSE, "The 5 Whys end at a person or at human error; ask once "
                  "more why the system allowed it.", True)]  # fmt: skip


def _stated_times(event: str, cited: set[str], said: str) -> list[ReviewFlag]:
    """A flag when an event names a clock time its cited message neither was sent at nor says."""
    if not cited:
        return []
    want = {normalise_number(c) for c in cited | set(_CLOCK.findall(said))}
    return [
        _flag(Section.TIMELINE, f"The entry \"{_short(event)}\" says {clock} but cites a "
              f"message from {', '.join(sorted(cited))}.")
        for clock in _CLOCK.findall(event)
        if normalise_number(clock) not in want
    ]  # fmt: skip


_CLOCK = re.compile(r"\b\d{1,2}:\d{2}\b")


def _short(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _flag(section: Section, message: str, warn: bool = False) -> ReviewFlag:
    severity = FlagSeverity.WARNING if warn else FlagSeverity.INFO
    return ReviewFlag(section=section, message=message, severity=severity)


def _cited(pm: Postmortem) -> list[tuple[Section, list[str]]]:
    out = [(Section.IMPACT, pm.impact.evidence)]
    out += [(Section.TIMELINE, e.evidence) for e in pm.timeline]
    out += [(Section.ROOT_CAUSE, w.evidence) for w in (pm.root_cause.whys if pm.root_cause else [])]
    out += [(Section.CONTRIBUTING_FACTORS, f.evidence) for f in pm.contributing_factors]
    out += [(Section.ACTION_ITEMS, a.evidence) for a in pm.action_items]
    return out


def prose_by_section(pm: Postmortem) -> dict[Section, list[str]]:
    """Model-written text by section (what numbers and the lint are checked in)."""
    i = pm.impact
    whys = pm.root_cause.whys if pm.root_cause else []
    return {
        Section.HEADER: [pm.title],
        Section.SUMMARY: [pm.summary],
        Section.IMPACT: [x for x in (i.users, i.duration, i.technical, i.business) if x],
        Section.TIMELINE: [e.event for e in pm.timeline],
        Section.ROOT_CAUSE: [t for w in whys for t in (w.question, w.answer)],
        Section.CONTRIBUTING_FACTORS: [
            f"{f.title} {f.description}" for f in pm.contributing_factors
        ],
        Section.WENT_WELL: pm.went_well,
        Section.WENT_WRONG: pm.went_wrong,
        Section.LUCKY: pm.lucky,
        Section.ACTION_ITEMS: [a.action for a in pm.action_items],
        Section.LESSONS: [x.text for x in pm.lessons],
    }
