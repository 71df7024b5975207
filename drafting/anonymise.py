"""Anonymisation on the machine: roster, pseudonyms and roles, redaction, rendering.

Pure: no I/O. :func:`build_roster` finds everyone (speakers, @mentions, users.json, optionally
names detected in prose), :func:`anonymise` replaces every name variant by the person's label and
redacts contact details and secrets, :func:`render_lines` prints ``[HH:MM] Role: text`` lines.
The real-name mapping lives only in the returned :class:`Roster`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import UTC, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from drafting.errors import ConfigError
from drafting.lexicon import AMBIGUOUS_NAMES, NOT_NAMES
from drafting.redact import RedactOptions, redact
from drafting.roster import (
    NameHit,
    NameMatcher,
    Roster,
    RosterEntry,
    name_forms,
    name_variants,
    pseudonym,
)
from drafting.transcript.model import Message, MessageKind, Person, Transcript

__all__ = [
    "Detector",
    "Roster",
    "RosterEntry",
    "anonymise",
    "build_roster",
    "relabel",
    "render_lines",
]

# A name detector takes message texts and the words already known, and returns person names.
Detector = Callable[[Sequence[str], Collection[str]], list[str]]

_MENTION = re.compile(r"(?<![\w.@])@([^\W\d_][\w.'-]*\w)(?:\s+([A-Z][a-z]+(?:-[A-Z][a-z]+)?))?")
_GROUP_MENTIONS = {"here", "channel", "everyone", "all", "oncall", "on-call"}
_GROUP_WORDS = ("team", "oncall", "on-call", "squad", "group", "crew")


@dataclass
class _Person:
    names: list[str]
    source: str
    # Exact identifiers from users.json (user id, email, phone): matched, never shown.
    identifiers: list[str] = field(default_factory=list)

    def key_set(self) -> set[str]:
        return {shape for n in self.names for shape in _shapes(n)}

    def first_names(self) -> set[str]:
        natural = [name_forms(n)[-1] for n in self.names if name_forms(n)]
        return {n.split()[0].lower() for n in natural if " " in n}


def _norm_key(name: str) -> str:
    return " ".join(re.split(r"[\s._-]+", name.strip().lstrip("@").lower())).strip()


def _shapes(name: str) -> set[str]:
    """Keys that identify one person: "Ana Ferreira", "ana.ferreira", "anaferreira", "aferreira"."""
    shapes: set[str] = set()
    for form in name_forms(name):
        key = _norm_key(form.replace(",", " "))
        words = key.split()
        shapes |= {key, "".join(words)}
        if len(words) >= 2 and len(words[-1]) >= 3:
            shapes.add(words[0][0] + words[-1])
    return shapes


class _People:
    """People found so far, linking each new name to someone already known when it fits."""

    def __init__(self, bots: set[str]) -> None:
        self.people: list[_Person] = []
        self.bots = bots

    def find(self, name: str) -> _Person | None:
        key = _norm_key(name)
        shapes = _shapes(name)
        for p in self.people:
            if shapes & p.key_set():
                return p
        if " " not in key:
            by_first = [p for p in self.people if key in p.first_names()]
            if len(by_first) == 1:
                return by_first[0]
        return None

    def add(self, name: str, source: str) -> _Person | None:
        name = name.strip().lstrip("@")
        if len(name) < 2 or name.lower() in self.bots:
            return None
        person = self.find(name)
        if person is None:
            person = _Person([name], source)
            self.people.append(person)
        elif name not in person.names:
            person.names.append(name)
        return person


def build_roster(
    transcript: Transcript,
    *,
    roles: dict[str, str] | None = None,
    detect_names: bool = False,
    detector: Detector | None = None,
) -> Roster:
    """Everyone in the transcript, each with one stable pseudonym in order of first appearance.

    Args:
        transcript: The parsed transcript (real names).
        roles: Real name, handle or pseudonym -> role ("On-call SRE").
        detect_names: Also find people who never speak ("thanks Dana") with the NER model.
        detector: The name detector to use (default: :func:`drafting.names.detect`).

    Raises:
        NameDetectionUnavailableError: ``detect_names`` is set and the ``ner`` extra is missing.
    """
    bots = {p.lower() for p in _bot_names(transcript)}
    people = _People(bots)
    for person in transcript.people:
        if not person.is_bot:
            _add_person(people, person)
    speaker_of: dict[str, _Person] = {}
    for m in transcript.messages:
        if m.kind == MessageKind.HUMAN and m.speaker not in speaker_of:
            found = people.add(m.speaker, "speaker")
            if found is not None:
                speaker_of[m.speaker] = found
    _add_mentions(people, transcript.messages)
    if detect_names or detector is not None:
        _add_detected(people, transcript.messages, detector)
    roster = _ordered_roster(people.people, speaker_of, transcript.messages)
    return roster.with_roles(roles) if roles else roster


def _bot_names(transcript: Transcript) -> list[str]:
    names = [m.speaker for m in transcript.messages if m.kind == MessageKind.BOT]
    for p in transcript.people:
        if p.is_bot:
            names.extend(p.names())
    return names


def _add_person(people: _People, person: Person) -> None:
    found: _Person | None = None
    for name in person.names():
        found = people.add(name, "users") if found is None else found
        if found is not None and name not in found.names:
            found.names.append(name)
    if found is not None:
        extra = (person.user_id, getattr(person, "email", None), getattr(person, "phone", None))
        found.identifiers.extend(x for x in extra if x and len(x) >= 4)


def _add_mentions(people: _People, messages: Sequence[Message]) -> None:
    seen: set[tuple[str, str | None]] = set()
    for m in messages:
        if "@" not in m.text:
            continue
        # Emails never match: the mention pattern needs a non-word character before the "@".
        for match in _MENTION.finditer(m.text):
            handle, surname = match.group(1), match.group(2)
            if (handle, surname) in seen or _is_group_mention(handle):
                continue
            seen.add((handle, surname))
            if surname and handle[:1].isupper() and _could_be_surname(surname):
                full = f"{handle} {surname}"
                if people.find(full) is not None or people.find(handle) is None:
                    people.add(full, "mention")
                    continue
            people.add(handle, "mention")


def _is_group_mention(handle: str) -> bool:
    low = handle.lower()
    # People's handles have at most one hyphen; @slack-inc-orders or @db-oncall-eu is a group.
    return low in _GROUP_MENTIONS or any(w in low for w in _GROUP_WORDS) or low.count("-") >= 2


def _could_be_surname(word: str) -> bool:
    low = word.lower()
    return low not in NOT_NAMES and low not in AMBIGUOUS_NAMES


def _add_detected(people: _People, messages: Sequence[Message], detector: Detector | None) -> None:
    if detector is None:
        from drafting.names import detect  # the NER stack is optional and slow to import

        detector = detect
    known = {v.lower() for p in people.people for v in name_variants(p.names)} | people.bots
    texts = [redact(m.text) for m in messages]
    for name in detector(texts, known):
        people.add(name, "detected")


def _ordered_roster(
    found: list[_Person], speaker_of: dict[str, _Person], messages: Sequence[Message]
) -> Roster:
    """Pseudonyms in order of first appearance: a speaker when they first speak, anyone else
    when they are first named."""
    variants = [name_variants(p.names) + p.identifiers for p in found]
    matcher = NameMatcher(variants)
    index = {id(p): i for i, p in enumerate(found)}
    order: dict[int, None] = {}
    counts = [0] * len(found)
    for m in messages:
        speaker = speaker_of.get(m.speaker) if m.kind == MessageKind.HUMAN else None
        if speaker is not None:
            counts[index[id(speaker)]] += 1
            order.setdefault(index[id(speaker)], None)
        if len(order) < len(found):  # once everyone has appeared, only counts remain
            for hit in matcher.hits(m.text):
                order.update(dict.fromkeys(hit.entries))
    order.update(dict.fromkeys(range(len(found))))
    entries = [
        RosterEntry(
            pseudonym=pseudonym(rank),
            names=list(found[i].names),
            variants=variants[i],
            message_count=counts[i],
            source=found[i].source,
        )
        for rank, i in enumerate(order)
    ]
    return Roster(entries=entries)


def scrubber(roster: Roster, options: RedactOptions | None = None) -> Callable[[str], str]:
    """A function that redacts secrets and contact details and replaces every name by its label.

    Build it once per roster: it holds the compiled matcher and the labels.
    """
    labels = [e.label for e in roster.entries]
    matcher = roster.matcher()

    def label(hit: NameHit) -> str:
        names = list(dict.fromkeys(labels[i] for i in hit.entries))
        return " or ".join(names) if names else "[NAME]"

    def scrub_one(text: str) -> str:
        return matcher.sub(redact(text, options), label)

    return scrub_one


def scrub(text: str, roster: Roster, options: RedactOptions | None = None) -> str:
    """One text (notes, a pasted log) scrubbed of names, contact details and secrets."""
    return scrubber(roster, options)(text)


def anonymise(
    transcript: Transcript, roster: Roster, options: RedactOptions | None = None
) -> Transcript:
    """The transcript with speakers labelled and every text scrubbed of names and secrets.

    Ids, timestamps, kinds and threads are kept, so drafts can cite the original message ids.
    Bots keep their names: they are not people.
    """
    scrub_one = scrubber(roster, options)
    speakers = {
        s: roster.label(s)
        for s in {m.speaker for m in transcript.messages if m.kind != MessageKind.BOT}
    }
    messages = [
        m.model_copy(
            update={"speaker": speakers.get(m.speaker, m.speaker), "text": scrub_one(m.text)}
        )
        for m in transcript.messages
    ]
    people = [Person(display_name=e.label) for e in roster.entries]
    return transcript.model_copy(update={"messages": messages, "people": people})


def _zone(name: str) -> tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def render_lines(transcript: Transcript) -> str:
    """One ``[HH:MM] Speaker: text`` line per message, times in the transcript's time zone.

    Multi-line messages are joined with `` / ``; a message without a time shows ``[--:--]``.
    """
    zone = _zone(transcript.timezone)
    lines = []
    for m in transcript.messages:
        clock = m.ts.astimezone(zone).strftime("%H:%M") if m.ts else "--:--"
        text = " / ".join(part.strip() for part in m.text.splitlines() if part.strip())
        # Notes name no speaker: the line is just the time and the text.
        lines.append(f"[{clock}] {m.speaker}: {text}" if m.speaker else f"[{clock}] {text}")
    return "\n".join(lines) + ("\n" if lines else "")


def relabel(text: str, roster: Roster) -> str:
    """Replace pseudonyms by confirmed roles (for drafts written before roles were known)."""
    roles = {e.pseudonym: e.role for e in roster.entries if e.role}
    if not roles:
        return text
    alternation = "|".join(re.escape(p) for p in sorted(roles, key=len, reverse=True))
    pattern = re.compile(rf"(?<!\w)(?:{alternation})(?!\w)")
    return pattern.sub(lambda m: roles[m.group()], text)


def parse_roles(text: str) -> dict[str, str]:
    """A roles file: a JSON object mapping a real name, handle or pseudonym to a role.

    Raises:
        ConfigError: the text is not such a JSON object.
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise ConfigError(f"The roles file is not valid JSON (line {err.lineno}).") from err
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in data.items()
    ):
        raise ConfigError(
            "The roles file must be a JSON object mapping a name or pseudonym to a role, "
            'e.g. {"Responder A": "On-call SRE"}.'
        )
    return data
