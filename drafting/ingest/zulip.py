"""Zulip copy-paste: a recipient bar, then one ``Sender Name: text`` line per message.

Zulip's copy prefixes the first line of every message with the sender's *full* name and a colon;
lines without the prefix (code blocks, further paragraphs) continue the message. A recipient bar
(``stream > topic    Mar 4``, or ``You and Name`` for direct messages) opens the paste and each
change of topic; it is context, not a message. There are no per-message timestamps.

Chat text is full of ``Note: ...`` and ``Zaid: can you...`` lines, so a ``Name: text`` line is a
header only when:

- the name is a display name: one to four words, each starting with a capital (or caseless) letter,
  lower-case particles (``de``, ``van``...) allowed inside, no digits;
- a one-word name is not a label word (``Note``, ``Update``, ``Cause``...) and not the first name
  of a multi-word sender of the same paste (Zulip always writes the full name, so ``Zaid:`` is
  someone addressing Zaid Haddad);
- when the paste separates messages with blank lines (the browser's copy of Zulip's paragraphs:
  most headers follow a blank line), it follows a blank line or the recipient bar;
- it is not inside a code fence.
"""

from __future__ import annotations

import re

from drafting.ingest.kinds import speaker_kind
from drafting.ingest.raw import UNKNOWN_SPEAKER, Raw

FORMAT = "zulip"

_WORD = r"[^\W\d_](?:[\w'’-]*|\.)"  # a word, or an initial ("J.")
HEADER = re.compile(rf"^(?P<name>{_WORD}(?: {_WORD}){{0,3}}): \S")
_DATE = r"(?:Today|Yesterday|[A-Z][a-z]{2,8} \d{1,2}(?:, \d{4})?)"
BAR = re.compile(
    rf"^(?:(?P<stream>[^\W_][^:>]{{0,59}}?) > (?P<topic>\S[^\t]{{0,99}}?)|You and \S.{{0,99}}?)"
    rf"(?P<date>(?:\s{{2,}}|\t){_DATE})?\s*$"
)
_PARTICLES = frozenset(
    {"de", "del", "der", "den", "van", "von", "da", "di", "do", "dos", "du", "la", "le", "al"}
    | {"bin", "ibn", "ter", "ten", "y", "e"}
)
# One-word "names" that are labels at the start of a chat line, not senders.
_LABELS = frozenset(
    {"note", "notes", "nb", "ps", "update", "edit", "edited", "status", "summary", "error"}
    | {"errors", "warning", "warn", "info", "debug", "example", "output", "result", "results"}
    | {"cause", "impact", "fix", "action", "actions", "question", "answer", "reason", "todo"}
    | {"eta", "re", "subject", "from", "to", "cc", "sent", "date", "time", "timeline"}
    | {"resolution", "workaround", "context", "plan", "topic", "owner", "source", "severity"}
    | {"priority", "first", "then", "also", "tip", "hint", "important", "caution", "detail"}
    | {"details", "why", "what", "where", "when", "how", "who", "host", "server", "service"}
    | {"step", "steps", "root", "log", "logs", "stream", "channel", "link", "links", "fyi", "btw"}
    | {"updates", "problem", "issue", "ticket", "pr", "mr", "commit", "cmd", "command", "response"}
    | {"request", "reply", "expected", "actual", "symptom", "symptoms", "trigger"}
    | {"alert", "alerts"}
)
_MIN_NAME_WORDS_FOR_LOOKS = 2


def _display_name(name: str) -> bool:
    """A sender's full name: capitalised words, lower-case particles only inside."""
    words = name.split(" ")
    if not words[0][0].isalpha() or words[0][0].islower() or words[-1][0].islower():
        return False
    return all(not w[0].islower() or w in _PARTICLES for w in words)


def _candidate(line: str) -> str | None:
    """The name of a ``Name: text`` line shaped like a header, else None."""
    if not line[:1].isalpha():
        return None
    match = HEADER.match(line)
    if match is None or not _display_name(match["name"]):
        return None
    name = match["name"]
    if " " not in name and name.lower() in _LABELS:
        return None
    return name


def _candidates(lines: list[str]) -> dict[int, str]:
    """Header-shaped lines outside code fences, by line index."""
    found: dict[int, str] = {}
    in_fence = False
    for index, line in enumerate(lines):
        name = None if in_fence else _candidate(line)
        if name is not None:
            found[index] = name
        if line.count("```") % 2 == 1:
            in_fence = not in_fence
    return found


def _headers(lines: list[str]) -> dict[int, str]:
    """The lines that start a message (see the module docstring for the rule)."""
    found = _candidates(lines)
    full = {name.split(" ")[0] for name in found.values() if " " in name}
    found = {i: n for i, n in found.items() if " " in n or n not in full}

    def after_gap(index: int) -> bool:
        before = lines[index - 1].strip() if index else ""
        return not before or BAR.match(before) is not None

    gapped = sum(1 for i in found if after_gap(i))
    if gapped * 2 > len(found):
        found = {i: n for i, n in found.items() if after_gap(i)}
    return found


def _bars(lines: list[str], headers: dict[int, str]) -> set[int]:
    """Recipient bars: a bar-shaped line whose next non-blank line is a header.

    Mid-paste, only a dated bar counts: ``load > 80% on db-1`` is text.
    """
    bars: set[int] = set()
    started = False
    for index, line in enumerate(lines):
        if index in headers:
            started = True
            continue
        match = BAR.match(line) if " > " in line or line.startswith("You and ") else None
        if match is None or (started and match["date"] is None):
            continue
        after = next((i for i in range(index + 1, len(lines)) if lines[i].strip()), None)
        if after in headers:
            bars.add(index)
    return bars


def parse(text: str) -> list[Raw]:
    """Split a Zulip copy-paste into raw messages (undated: Zulip's copy has no times)."""
    lines = text.split("\n")
    headers = _headers(lines)
    bars = _bars(lines, headers)
    raws: list[Raw] = []
    current: Raw | None = None
    for index, line in enumerate(lines):
        name = headers.get(index)
        if name is not None:
            current = Raw(name, [line[len(name) + 2 :]], kind=speaker_kind(name))
            raws.append(current)
        elif index in bars:
            current = None
        elif current is not None:
            current.lines.append(line)
        elif line.strip():
            current = Raw(UNKNOWN_SPEAKER, [line])
            raws.append(current)
    return raws


def looks_like(line: str) -> bool:
    """Whether one line is a Zulip message header or recipient bar (used by format detection).

    Stricter than :func:`parse`, which sees the whole paste: only names of two or more words count
    (``Note: ...``, ``Zabbix: PROBLEM`` and ``Assigned to: ...`` do not), and a recipient bar only
    with its date (``platform > kafka lag    Mar 4``).
    """
    name = _candidate(line)
    if name is not None:
        return name.count(" ") + 1 >= _MIN_NAME_WORDS_FOR_LOOKS
    if " > " not in line:
        return False
    match = BAR.match(line)
    return match is not None and match["date"] is not None
