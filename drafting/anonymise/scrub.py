"""Anonymisation on the machine: roster, pseudonyms and roles, redaction, rendering.

Pure: no I/O. :func:`build_roster` finds everyone (speakers, @mentions, users.json, optionally
names detected in prose), :func:`anonymise` replaces every name variant by the person's label and
redacts contact details and secrets, :func:`render_lines` prints ``[HH:MM] Role: text`` lines.
The real-name mapping lives only in the returned :class:`Roster`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Collection, Mapping, Sequence

from drafting.anonymise.people import People, PersonNames, add_mentions, add_person
from drafting.anonymise.redact import (
    RedactOptions,
    known_secrets_redactor,
    known_values,
    redact,
)
from drafting.anonymise.roster import (
    NameHit,
    NameMatcher,
    Roster,
    RosterEntry,
    name_variants,
    nickname_variants,
    pseudonym,
)
from drafting.anonymise.untrusted import withhold
from drafting.errors import ConfigError
from drafting.ingest.clock import zone
from drafting.ingest.types import Message, MessageKind, Person, Transcript

# A name detector takes message texts and the words already known, and returns person names.
Detector = Callable[[Sequence[str], Collection[str]], list[str]]


def build_roster(
    transcript: Transcript,
    *,
    roles: dict[str, str] | None = None,
    detect_names: bool = False,
    detector: Detector | None = None,
    extra_names: Sequence[str] = (),
) -> Roster:
    """Everyone in the transcript, each with one stable pseudonym in order of first appearance.

    Args:
        transcript: The parsed transcript (real names).
        roles: Real name, handle or pseudonym -> role ("On-call SRE").
        detect_names: Also find people who never speak ("thanks Dana") with the NER model.
        detector: The name detector to use (default: :func:`drafting.anonymise.names.detect`).
        extra_names: Names a person marked as people (the preview's one-click decisions).

    Raises:
        NameDetectionUnavailableError: ``detect_names`` is set and the ``ner`` extra is missing.
    """
    bots = {p.lower() for p in _bot_names(transcript)}
    people = People(bots)
    for person in transcript.people:
        if not person.is_bot:
            add_person(people, person)
    speaker_of: dict[str, PersonNames] = {}
    for m in transcript.messages:
        if m.kind == MessageKind.HUMAN and m.speaker not in speaker_of:
            found = people.add(m.speaker, "speaker")
            if found is not None:
                speaker_of[m.speaker] = found
    for m in transcript.messages:
        # "Eilidh MacLeod joined the room": a person's name, though the line is no message.
        if m.kind == MessageKind.SYSTEM and m.speaker and m.speaker not in speaker_of:
            people.add(m.speaker, "speaker")
    _link_renames(people, transcript.messages)
    add_mentions(people, transcript.messages)
    if detect_names or detector is not None:
        _add_detected(people, transcript.messages, detector)
    for name in extra_names:
        people.add(name, "confirmed")
    roster = _ordered_roster(people.people, speaker_of, transcript.messages)
    return roster.with_roles(roles) if roles else roster


# IRC and Matrix say when someone changes their nick: the new nick is the same person.
_RENAME = re.compile(r"^(\S+) is now known as (\S+)$")


def _link_renames(people: People, messages: Sequence[Message]) -> None:
    for m in messages:
        match = _RENAME.match(m.text.strip()) if m.kind == MessageKind.SYSTEM else None
        if match is None:
            continue
        old, new = match.groups()
        person = people.find(old) or people.find(new)
        if person is None:
            person = people.add(old, "speaker")
        if person is not None:
            for nick in (old, new):
                if nick not in person.names:
                    person.names.append(nick)


def _bot_names(transcript: Transcript) -> list[str]:
    names = [m.speaker for m in transcript.messages if m.kind == MessageKind.BOT]
    for p in transcript.people:
        if p.is_bot:
            names.extend(p.names())
    return names


def _add_detected(people: People, messages: Sequence[Message], detector: Detector | None) -> None:
    if detector is None:
        from drafting.anonymise.names import detect  # the NER stack is optional and slow to import

        detector = detect
    known = {v.lower() for p in people.people for v in name_variants(p.names)} | people.bots
    texts = [redact(m.text) for m in messages]
    # Full names first, so "Harriet" joins "Harriet Lowe" instead of becoming a second person.
    for name in sorted(detector(texts, known), key=lambda n: -len(n.split())):
        people.add(name, "detected")


def _ordered_roster(
    found: list[PersonNames], speaker_of: dict[str, PersonNames], messages: Sequence[Message]
) -> Roster:
    """Pseudonyms in order of first appearance: a speaker when they first speak, anyone else
    when they are first named."""
    variants = [name_variants(p.names) + p.identifiers for p in found]
    # A nickname is one person's only if it is nobody else's name ("Bill" for Robert is not
    # Bill Jones).
    taken = {v.lower() for vs in variants for v in vs}
    nicks = [[n for n in nickname_variants(p.names) if n.lower() not in taken] for p in found]
    matcher = NameMatcher(variants, nicks)
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
            nicknames=nicks[i],
            message_count=counts[i],
            source=found[i].source,
        )
        for rank, i in enumerate(order)
    ]
    return Roster(entries=entries)


def scrubber(
    roster: Roster, options: RedactOptions | None = None, known: frozenset[str] = frozenset()
) -> Callable[[str], str]:
    """A function that redacts secrets and contact details, replaces every name by its label,
    and withholds lines that address the model (see :mod:`drafting.anonymise.untrusted`).
    ``known`` holds secret values found elsewhere in the transcript, redacted wherever they
    recur (collected by :func:`~drafting.anonymise.redact.redact`).

    Build it once per roster: it holds the compiled matcher and the labels.
    """
    finish = _finisher(roster, known)
    return lambda text: finish(redact(text, options))


def _finisher(roster: Roster, known: frozenset[str]) -> Callable[[str], str]:
    """What follows redaction: lines addressing the model withheld, secret values known from
    elsewhere redacted where they recur, every name of ``roster`` replaced by its label."""
    again = known_secrets_redactor(known)
    labels = [e.label for e in roster.entries]
    matcher = roster.matcher()

    def label(hit: NameHit) -> str:
        names = list(dict.fromkeys(labels[i] for i in hit.entries))
        return " or ".join(names) if names else "[NAME]"

    return lambda redacted: matcher.sub(again(withhold(redacted)), label)


def scrub(
    text: str,
    roster: Roster,
    options: RedactOptions | None = None,
    known: frozenset[str] = frozenset(),
) -> str:
    """One text (notes, a pasted log) scrubbed of names, contact details and secrets."""
    return scrubber(roster, options, known)(text)


def anonymise(
    transcript: Transcript, roster: Roster, options: RedactOptions | None = None
) -> Transcript:
    """The transcript with speakers labelled and every text scrubbed of names and secrets.

    Ids, timestamps, kinds and threads are kept, so drafts can cite the original message ids.
    Bots keep their names: they are not people.
    """
    # Redact every message once, collecting the secret values it finds, then redact those
    # values where they recur without their label.
    found: set[str] = set()
    redacted = [redact(m.text, options, found=found) for m in transcript.messages]
    finish = _finisher(roster, known_values(found))
    speakers = {
        s: roster.label(s)
        for s in {m.speaker for m in transcript.messages if m.kind != MessageKind.BOT}
    }
    messages = [
        m.model_copy(update={"speaker": speakers.get(m.speaker, m.speaker), "text": finish(text)})
        for m, text in zip(transcript.messages, redacted, strict=True)
    ]
    people = [Person(display_name=e.label) for e in roster.entries]
    return transcript.model_copy(update={"messages": messages, "people": people})


def render_lines(transcript: Transcript) -> str:
    """One ``[HH:MM] Speaker: text`` line per message, times in the transcript's time zone.

    Multi-line messages are joined with `` / ``; a message without a time shows ``[--:--]``.
    """
    where = zone(transcript.timezone)  # '+02:00' as well as IANA names
    lines = []
    for m in transcript.messages:
        clock = m.ts.astimezone(where).strftime("%H:%M") if m.ts else "--:--"
        text = " / ".join(part.strip() for part in m.text.splitlines() if part.strip())
        # Notes name no speaker: the line is just the time and the text.
        lines.append(f"[{clock}] {m.speaker}: {text}" if m.speaker else f"[{clock}] {text}")
    return "\n".join(lines) + ("\n" if lines else "")


def relabel(text: str, roster: Roster) -> str:
    """Replace pseudonyms by confirmed roles (for drafts written before roles were known)."""
    return replace_labels(text, {e.pseudonym: e.role for e in roster.entries if e.role})


def replace_labels(text: str, labels: Mapping[str, str]) -> str:
    """Replace each whole-word label (a pseudonym or a role) by its new label, in one pass.

    One pass, longest label first, so swapped labels ("SRE" <-> "IC") do not chain and
    "Responder AB" is never read as "Responder A" followed by "B".
    """
    if not labels:
        return text
    alternation = "|".join(re.escape(p) for p in sorted(labels, key=len, reverse=True))
    pattern = re.compile(rf"(?<!\w)(?:{alternation})(?!\w)")
    return pattern.sub(lambda m: labels[m.group()], text)


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
