"""Preparing a transcript for drafting: parse, roster, anonymise, notes. One sequence for all.

The CLI's ``anonymise`` and ``draft`` and the app's intake all call :func:`prepare`, so the
same inputs give the same anonymised text everywhere. The app passes its per-session cache
(anything with ``get(name, key, compute)``) so a rerun does not parse or detect names again;
the CLI passes none. Pure apart from the cache: no I/O.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import Protocol, TypeVar

from pydantic import BaseModel, ConfigDict

from drafting.anonymise.redact import RedactOptions
from drafting.anonymise.roster import CONFIRMED, Roster, without_dismissed
from drafting.anonymise.scrub import anonymise, build_roster, scrub
from drafting.ingest import Transcript, parse, parse_users

T = TypeVar("T")


class Inputs(BaseModel):
    """What the user pasted or uploaded for one incident (real names: stays on this machine)."""

    model_config = ConfigDict(frozen=True)

    transcript: str
    users_json: str | None = None
    notes: str | None = None
    incident_date: dt.date | None = None
    timezone: str = "UTC"
    fmt: str | None = None  # a forced transcript format; detected when None

    def key(self) -> str:
        """A short digest of everything that changes the parse."""
        return digest(self.transcript, self.users_json, str(self.incident_date), self.timezone,
                      self.fmt)  # fmt: skip


class Cache(Protocol):
    """A cache of named computations (the app's per-session Memo)."""

    def get(self, name: str, key: Hashable, compute: Callable[[], T]) -> T: ...


class _NoCache:
    def get(self, name: str, key: Hashable, compute: Callable[[], T]) -> T:
        return compute()


@dataclass(frozen=True)
class Prepared:
    """An incident ready to draft.

    Attributes:
        inputs: what the user gave.
        transcript: the parsed transcript, real names (local only).
        found: everyone the roster found, before roles and dismissals (for the participants
            table and the saved mapping).
        roster: the roster that guards and labels: roles applied, dismissed names left out.
        anonymised: the transcript with every person labelled and secrets redacted.
        notes: the responder notes, scrubbed the same way, or None.
        options: the redaction options used (the egress check needs the same ones).
    """

    inputs: Inputs
    transcript: Transcript
    found: Roster
    roster: Roster
    anonymised: Transcript
    notes: str | None
    options: RedactOptions | None = None


def prepare(
    inputs: Inputs,
    *,
    roles: Mapping[str, str] | None = None,
    decisions: Mapping[str, str] | None = None,
    detect_names: bool = False,
    options: RedactOptions | None = None,
    cache: Cache | None = None,
) -> Prepared:
    """Parse the transcript, find everyone, apply roles and decisions, anonymise it and the notes.

    Args:
        inputs: the transcript text and what goes with it (users.json, notes, date, zone).
        roles: real name, handle or pseudonym -> role.
        decisions: detected name -> ``confirmed`` or ``dismissed`` (see ``roster.DISMISSED``).
        detect_names: also find people who never speak, with the offline name detector.
        options: extra redaction (IPs, hostnames).
        cache: where to keep the slow steps between calls; nothing is kept when None.

    Raises:
        TranscriptError: the transcript or users.json cannot be parsed.
        NameDetectionUnavailableError: ``detect_names`` without the ``ner`` extra.
    """
    memo = cache or _NoCache()
    source = inputs.key()
    transcript = parse_inputs(inputs, memo)
    roles = dict(roles or {})
    decisions = dict(decisions or {})
    # Words the reviewer marked as people in the preview: names no detector had found.
    extra = tuple(sorted(n for n, d in decisions.items() if d == CONFIRMED))
    found = memo.get(
        "roster",
        (source, detect_names, extra),
        lambda: build_roster(transcript, detect_names=detect_names, extra_names=extra),
    )
    roster = without_dismissed(found, decisions).with_roles(roles)
    people = digest(repr(sorted(roles.items())), repr(sorted(decisions.items())), repr(options))
    anonymised = memo.get(
        "anonymise", (source, detect_names, people), lambda: anonymise(transcript, roster, options)
    )
    notes = scrub(inputs.notes, roster, options) if inputs.notes else None
    return Prepared(inputs, transcript, found, roster, anonymised, notes, options)


def parse_inputs(inputs: Inputs, cache: Cache | None = None) -> Transcript:
    """The parsed transcript (the first step of :func:`prepare`, also shown on its own in the app).

    Raises:
        TranscriptError: the transcript or users.json cannot be parsed.
    """

    def run() -> Transcript:
        users = parse_users(inputs.users_json) if inputs.users_json else None
        return parse(inputs.transcript, fmt=inputs.fmt, users=users, date=inputs.incident_date,
                     tz=inputs.timezone)  # fmt: skip

    return (cache or _NoCache()).get("parse", inputs.key(), run)


def digest(*parts: str | None) -> str:
    """A short content key for caching computations on large inputs."""
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update((part or "").encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.hexdigest()
