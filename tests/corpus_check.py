"""The corpus of real and realistic transcripts (tests/corpus/) and how one file is checked.

Shared by the corpus test (exact message count, no name, secret or injected line left) and by
``bench/ingest.py``, which prints the figures. Each ``<name>.<ext>`` has a ``<name>.truth.json``
written by hand: see tests/corpus/README.md.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from drafting.anonymise import names, render_lines
from drafting.anonymise.prepare import Inputs, Prepared, prepare
from drafting.condense import condense
from drafting.draft.pipeline import transcript_budget
from drafting.draft.prompts import data_message
from drafting.errors import DraftingError
from drafting.ingest.types import MessageKind, Transcript
from drafting.textinput import read_text

CORPUS = Path(__file__).resolve().parent / "corpus"


@dataclass(frozen=True)
class Truth:
    """What a person counted and listed in one corpus file."""

    path: Path
    source: str
    format: str
    messages: int
    names: tuple[str, ...]
    secrets: tuple[str, ...]
    injection: tuple[str, ...]

    @property
    def name(self) -> str:
        return self.path.name


@dataclass
class Outcome:
    """What the product made of one file."""

    truth: Truth
    counted: int = 0
    fmt: str = ""
    leaked_names: list[str] = field(default_factory=list)
    leaked_secrets: list[str] = field(default_factory=list)
    leaked_injection: list[str] = field(default_factory=list)
    error: str = ""
    prepared: Prepared | None = None

    @property
    def count_ok(self) -> bool:
        return not self.error and self.counted == self.truth.messages

    @property
    def over_redacted(self) -> list[str]:
        """Names the detector added that are no listed name: words taken for people."""
        if self.prepared is None:
            return []
        listed = [n.lower() for n in self.truth.names]
        return [
            name
            for e in self.prepared.roster.entries
            if e.source == "detected"
            for name in e.names
            if not any(name.lower() in x or x in name.lower() for x in listed)
        ]

    @property
    def leaks(self) -> int:
        return len(self.leaked_names) + len(self.leaked_secrets) + len(self.leaked_injection)


def load_corpus(directory: Path = CORPUS) -> list[Truth]:
    """Every transcript with its truth in ``directory`` (the corpus, or a hold-out set written
    the same way), in name order."""
    out = []
    for truth_path in sorted(directory.glob("*.truth.json")):
        stem = truth_path.name.removesuffix(".truth.json")
        (path,) = [
            p for p in directory.iterdir() if p.name.startswith(stem + ".") and p != truth_path
        ]
        raw = json.loads(truth_path.read_text(encoding="utf-8"))
        out.append(
            Truth(
                path=path,
                source=str(raw["source"]),
                format=str(raw["format"]),
                messages=int(raw["messages"]),
                names=tuple(raw.get("names", [])),
                secrets=tuple(raw.get("secrets", [])),
                injection=tuple(raw.get("injection", [])),
            )
        )
    return out


def sent_text(prepared: Prepared) -> str:
    """What the model would be sent (the data message) plus every anonymised line."""
    condensed = condense(prepared.anonymised, budget_tokens=transcript_budget())
    return data_message(condensed.text, prepared.notes) + "\n" + render_lines(prepared.anonymised)


def found(needle: str, text: str) -> bool:
    """``needle`` occurs in ``text`` as a whole token (letters and digits do not continue it)."""
    return re.search(rf"(?<![^\W_]){re.escape(needle)}(?![^\W_])", text) is not None


def count_messages(transcript: Transcript) -> int:
    """Messages as a person counts them: not system lines (joins, topic changes), and not text
    that has neither an author nor a time (a channel name, a document's heading and prose, the
    Impact section of notes), which the product keeps as context."""
    return sum(
        1
        for m in transcript.messages
        if m.kind != MessageKind.SYSTEM and (m.speaker or m.ts is not None)
    )


def check(truth: Truth, *, detect_names: bool | None = None) -> Outcome:
    """Parse and anonymise one file as the CLI does, and compare with its truth."""
    outcome = Outcome(truth)
    detect = names.available() if detect_names is None else detect_names
    try:
        prepared = prepare(Inputs(transcript=read_text(truth.path)), detect_names=detect)
    except DraftingError as err:
        outcome.error = str(err)
        return outcome
    outcome.prepared = prepared
    outcome.fmt = prepared.transcript.format
    outcome.counted = count_messages(prepared.transcript)
    text = sent_text(prepared)
    outcome.leaked_names = [n for n in truth.names if found(n, text)]
    outcome.leaked_secrets = [s for s in truth.secrets if s in text]
    outcome.leaked_injection = [i for i in truth.injection if i.strip()[:40] in text]
    return outcome
