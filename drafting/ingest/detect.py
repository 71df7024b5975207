"""Guessing a transcript's format from a sample of its lines."""

from __future__ import annotations

import re
from collections.abc import Callable

from drafting.ingest import irc, notes, slack_paste, teams

SLACK_EXPORT = "slack-export"
FALLBACK = "fallback"
FORMATS: tuple[str, ...] = (
    slack_paste.FORMAT,
    SLACK_EXPORT,
    irc.FORMAT,
    teams.FORMAT,
    notes.FORMAT,
    FALLBACK,
)

# JSON starts with an object, or a list of objects; "[21:02] <nick>" (IRC) does not.
_JSON_START = re.compile(r"\s*(?:\{|\[\s*(?:\{|\]|$))")
# Most specific first: a format wins over a later one when it scores at least half as well
# (Slack headers also look like Teams ones; IRC join lines also look like notes).
_LINE_TESTS: tuple[tuple[str, Callable[[str], bool]], ...] = (
    (irc.FORMAT, irc.looks_like),
    (slack_paste.FORMAT, slack_paste.looks_like),
    (teams.FORMAT, teams.looks_like),
    (notes.FORMAT, notes.looks_like),
)
SAMPLE_LINES = 400
_SAMPLE_CHARS = 64_000


def _sample(text: str) -> list[str]:
    lines: list[str] = []
    for line in text[:_SAMPLE_CHARS].split("\n"):
        if line.strip():
            lines.append(line.rstrip())
            if len(lines) == SAMPLE_LINES:
                break
    return lines


def detect_format(text: str) -> str:
    """The most likely format of ``text``: one of :data:`FORMATS` (``fallback`` if none fits)."""
    if _JSON_START.match(text):
        return SLACK_EXPORT
    scores = {name: 0 for name, _ in _LINE_TESTS}
    for line in _sample(text):
        for name, test in _LINE_TESTS:
            if test(line):
                scores[name] += 1
    best = max(scores.values())
    if best == 0:
        return FALLBACK
    for name, _ in _LINE_TESTS:
        if scores[name] * 2 >= best:
            return name
    return FALLBACK
