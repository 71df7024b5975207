"""Who is in a transcript: linking every name one person goes by into one :class:`PersonNames`.

Pure: no I/O. Used by :func:`drafting.anonymise.build_roster`. A speaker "aferreira", a mention
"@Ana Ferreira" and a users.json entry "Ferreira, Ana" are one person; "@here" and
"@slack-inc-orders" are nobody.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from drafting.anonymise.roster import name_forms
from drafting.anonymise.wordlists import AMBIGUOUS_NAMES, NOT_NAMES
from drafting.ingest.types import Message, Person

_MENTION = re.compile(r"(?<![\w.@])@([^\W\d_][\w.'-]*\w)(?:\s+([A-Z][a-z]+(?:-[A-Z][a-z]+)?))?")
_GROUP_MENTIONS = {"here", "channel", "everyone", "all", "oncall", "on-call"}
_GROUP_WORDS = ("team", "oncall", "on-call", "squad", "group", "crew")


@dataclass
class PersonNames:
    """One person while the roster is being built: every name they go by, and where found."""

    names: list[str]
    source: str
    # Exact identifiers from users.json (user id, email, phone): matched, never shown.
    identifiers: list[str] = field(default_factory=list)

    def key_set(self) -> set[str]:
        """Normalised shapes of every name, for linking a new name to this person."""
        return {shape for n in self.names for shape in _shapes(n)}

    def first_names(self) -> set[str]:
        """Lower-case first names of the full names ("Chen, Olivia" counts as Olivia)."""
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


class People:
    """People found so far, linking each new name to someone already known when it fits."""

    def __init__(self, bots: set[str]) -> None:
        self.people: list[PersonNames] = []
        self.bots = bots

    def find(self, name: str) -> PersonNames | None:
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

    def add(self, name: str, source: str) -> PersonNames | None:
        name = name.strip().lstrip("@")
        if len(name) < 2 or name.lower() in self.bots:
            return None
        person = self.find(name)
        if person is None:
            person = PersonNames([name], source)
            self.people.append(person)
        elif name not in person.names:
            person.names.append(name)
        return person


def add_person(people: People, person: Person) -> None:
    """Add a users.json person: all their names, and their id, email and phone as identifiers."""
    found: PersonNames | None = None
    for name in person.names():
        found = people.add(name, "users") if found is None else found
        if found is not None and name not in found.names:
            found.names.append(name)
    if found is not None:
        extra = (person.user_id, getattr(person, "email", None), getattr(person, "phone", None))
        found.identifiers.extend(x for x in extra if x and len(x) >= 4)


def add_mentions(people: People, messages: Sequence[Message]) -> None:
    """Add everyone @-mentioned ("@mike_j", "@Dana Scully"), skipping group mentions."""
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
