"""Guessing a transcript's format: per block of lines, so a chat inside a markdown document, or
two formats pasted one after the other, each go to their own parser."""

from __future__ import annotations

import re
from collections.abc import Callable

from drafting.ingest import (
    chatlog,
    discord,
    fallback,
    google_chat,
    irc,
    matrix,
    mattermost,
    meet,
    notes,
    opsgenie,
    pagerduty,
    rocketchat,
    slack_paste,
    teams,
    telegram,
    whatsapp,
    zoom,
    zulip,
)
from drafting.ingest.raw import Raw, in_code

SLACK_EXPORT = "slack-export"
FALLBACK = "fallback"

Parser = Callable[[str], list[Raw]]
# Chat formats read line by line, most specific first: a format wins over a later one when it
# scores at least half as well (Slack headers also look like Teams ones; IRC join lines, Zoom
# and Meet time lines also look like notes; Google Chat headers look like Teams ones).
_LINE_FORMATS: tuple[tuple[str, Callable[[str], bool], Parser], ...] = (
    (irc.FORMAT, irc.looks_like, irc.parse),
    (matrix.FORMAT, matrix.looks_like, matrix.parse),
    (whatsapp.FORMAT, whatsapp.looks_like, whatsapp.parse),
    (zoom.FORMAT, zoom.looks_like, zoom.parse),
    (meet.FORMAT, meet.looks_like, meet.parse),
    (telegram.FORMAT, telegram.looks_like, telegram.parse),
    (discord.FORMAT, discord.looks_like, discord.parse),
    (rocketchat.FORMAT, rocketchat.looks_like, rocketchat.parse),
    (slack_paste.FORMAT, slack_paste.looks_like, slack_paste.parse),
    (google_chat.FORMAT, google_chat.looks_like, google_chat.parse),
    (teams.FORMAT, teams.looks_like, teams.parse),
    (mattermost.FORMAT, mattermost.looks_like, mattermost.parse),
    (zulip.FORMAT, zulip.looks_like, zulip.parse),
    (chatlog.FORMAT, chatlog.looks_like, chatlog.parse),
    (notes.FORMAT, notes.looks_like, notes.parse),
)
# Exports read as a whole (JSON, CSV), each recognised by its own sniff; the Slack export, the
# JSON nobody else claims, comes after them.
_WHOLE_FORMATS: tuple[tuple[str, Callable[[str], bool], Parser], ...] = (
    (telegram.FORMAT_JSON, telegram.sniff, telegram.parse_json),
    (opsgenie.FORMAT, opsgenie.sniff, opsgenie.parse),
    (pagerduty.FORMAT, pagerduty.sniff, pagerduty.parse),
)
PARSERS: dict[str, Parser] = {name: parse for name, _, parse in _LINE_FORMATS + _WHOLE_FORMATS}
PARSERS[FALLBACK] = fallback.parse
FORMATS: tuple[str, ...] = (*PARSERS, SLACK_EXPORT)

# JSON starts with an object, or a list of objects; "[21:02] <nick>" (IRC) does not.
_JSON_START = re.compile(r"\s*(?:\{|\[\s*(?:\{|\]|$))")
_LINE_TESTS: tuple[tuple[str, Callable[[str], bool]], ...] = tuple(
    (name, test) for name, test, _ in _LINE_FORMATS
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
    whole = _whole_format(text)
    if whole is not None:
        return whole
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


# A block switches format only when the new format's headers keep coming and the old one's stop:
# in the next few header lines, at least two are the new format's and none the old one's. A log
# pasted inside a Slack message looks like notes for three lines, then Slack resumes: no switch.
_SWITCH_HEADERS = 2
_LOOKAHEAD_HEADERS = 5


_FENCE_LINE = re.compile(r"^\s*```[\w-]*\s*$")


def _whole_format(text: str) -> str | None:
    """The export format ``text`` is as a whole (JSON, CSV), or None for a chat paste."""
    for name, sniff, _ in _WHOLE_FORMATS:
        if sniff(text):
            return name
    return SLACK_EXPORT if _JSON_START.match(text) else None


def _label(line: str) -> str | None:
    """The format whose header this line is (the most specific one), or None."""
    for name, test in _LINE_TESTS:
        if test(line):
            return name
    return None


def _headers(lines: list[str]) -> list[tuple[int, str]]:
    """(line index, format) of every header line, skipping fenced code (pasted output)."""
    out: list[tuple[int, str]] = []
    fenced = False
    for i, line in enumerate(lines):
        code, fenced = in_code(line, fenced)
        if not code and (label := _label(line.rstrip())):
            out.append((i, label))
    return out


# A fence holding at least this many chat headers is a chat pasted inside a code fence (a
# markdown document), not pasted output.
_CHAT_FENCE_HEADERS = 2


def _chat_fence(lines: list[str]) -> tuple[int, int] | None:
    """(opening, closing) line index of the first code fence that holds a chat: the chat of a
    markdown document is often fenced, while the commit, log or kubectl output beside it is not
    chat and stays fenced."""
    fences = [i for i, line in enumerate(lines) if _FENCE_LINE.match(line)]
    for start, end in zip(fences[::2], fences[1::2], strict=False):
        labels = [_label(line.rstrip()) for line in lines[start + 1 : end]]
        chat = [lb for lb in labels if lb is not None and lb != notes.FORMAT]
        if len(chat) >= _CHAT_FENCE_HEADERS:
            return start, end
    return None


def detect_blocks(text: str) -> list[tuple[str, str]]:
    """``text`` cut into ``(format, block)`` pieces, in order; one piece when one format fits.

    Lines before the first header belong to the first block (its parser keeps them as context),
    and lines after a block's last header stay with it. A JSON export is one block.
    """
    whole = _whole_format(text)
    if whole is not None:
        return [(whole, text)]
    lines = text.split("\n")
    fence = _chat_fence(lines)
    if fence is not None:
        # The text before the fenced chat, the chat, and the text after it are read apart: the
        # document's timeline and its Root cause section are no part of the last chat message.
        start, end = fence
        parts = [
            "\n".join(lines[:start]),
            "\n".join(lines[start + 1 : end]),
            "\n".join(lines[end + 1 :]),
        ]
        return [block for part in parts if part.strip() for block in detect_blocks(part)]
    headers = _headers(lines)
    if not headers:
        return [(detect_format(text), text)]
    starts: list[tuple[int, str]] = []
    for k, (i, label) in enumerate(headers):
        if starts and label == starts[-1][1]:
            continue
        ahead = [lb for _, lb in headers[k : k + _LOOKAHEAD_HEADERS]]
        if not starts:
            starts.append((0, label))
        elif ahead.count(label) >= _SWITCH_HEADERS and starts[-1][1] not in ahead:
            starts.append((i, label))
    if len(starts) == 1:
        return [(detect_format(text), text)]
    bounds = [i for i, _ in starts[1:]] + [len(lines)]
    return [
        (label, "\n".join(lines[start:end]))
        for (start, label), end in zip(starts, bounds, strict=True)
    ]
