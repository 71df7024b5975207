"""IRC-style logs: irssi, HexChat, WeeChat, ZNC and plain ``[HH:MM] <nick> text`` logs.

A line is a timestamp (``[21:02]``, ``21:02:11``, ``[2024-03-05 21:02:11]``, or none in logs
saved without them), then ``<nick> text``, an action ``* nick text``, or an event (``-!-``,
``***``, ``-->``, ``<--``) such as a join or a topic change. ``--- Day changed Tue Mar 05 2024``
and ``--- Log opened ...`` lines set the date.
Host masks in join/part lines (``[~jdiaz@10.0.0.7]``) are dropped: they hold user names and IPs.
"""

from __future__ import annotations

import re
from datetime import date

from drafting.ingest.clock import Clock, clock_from_parts, iso_date
from drafting.ingest.kinds import speaker_kind
from drafting.ingest.raw import UNKNOWN_SPEAKER, Raw
from drafting.ingest.types import MessageKind

FORMAT = "irc"

LINE = re.compile(
    r"^\[?(?:(?P<date>\d{4}-\d{2}-\d{2})[ T])?(?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2}))?\]?"
    r"(?:\s+|\t)(?P<rest>.*)$"
)
_SAY = re.compile(r"^<\s*[@+%~&]?(?P<nick>[^>\s]+)\s*>\s?(?P<text>.*)$")
_EVENT = re.compile(r"^(?:-!-|\*\*\*|-->|<--|--|\*)\s+(?P<text>.*)$")
_EVENT_WORDS = re.compile(
    r"\b(?:has (?:joined|quit|left)|is now known as|changed the topic|sets mode|mode/|"
    r"has changed (?:the )?topic|was kicked|Topic (?:for|is|set))",
    re.IGNORECASE,
)
# ZNC's "*** Joins: nick (host)" style, rewritten as the sentence other clients write.
_ZNC_EVENT = re.compile(r"^(?P<what>Joins|Parts|Quits):\s+(?P<nick>\S+)")
_ZNC_VERB = {"Joins": "has joined", "Parts": "has left", "Quits": "has quit"}
_NOT_NICKS = frozenset({"Topic", "Netsplit", "Netsplit:", "ServerMode", "Irssi:"})
_HOSTMASK = re.compile(r"\s*[\[(]~?[^\s\[\]()]*@[^\s\[\]()]*[\])]")
_DAY_LINE = re.compile(
    r"^---\s+(?:Day changed|Log opened|Log closed|Date changed)\s+"
    r"(?:\w{3}\s+)?(?P<mon>\w{3})\s+(?P<day>\d{1,2})(?:\s+[\d:]+)?\s+(?P<year>\d{4})"
)
_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTHS = {m: i + 1 for i, m in enumerate(_MONTH_NAMES)}


def _when(match: re.Match[str], day: date | None) -> Clock | None:
    stated = match["date"]
    if stated:
        # An impossible date ("2024-02-31") keeps the time, dated from context.
        day = iso_date(stated) or day
    return clock_from_parts(match["h"], match["m"], match["s"], day=day)


def _message(rest: str) -> tuple[str, str, MessageKind | None] | None:
    """Speaker, text and (for events) kind of the part after the timestamp."""
    if "\t" in rest:  # WeeChat: prefix<TAB>text
        prefix, _, text = rest.partition("\t")
        prefix = prefix.strip()
        if prefix in ("-->", "<--", "--", "-!-", "*", "***"):
            rest = f"{prefix} {text}"
        else:
            return prefix.lstrip("@+%~&"), text, None
    said = _SAY.match(rest)
    if said is not None:
        return said["nick"], said["text"], None
    event = _EVENT.match(rest)
    if event is None:
        return None
    text = _ZNC_EVENT.sub(lambda m: f"{m['nick']} {_ZNC_VERB[m['what']]}", event["text"])
    nick = text.split(" ", 1)[0]
    if rest.startswith("* ") and not _EVENT_WORDS.search(text):
        return nick, text.split(" ", 1)[1] if " " in text else "", None  # a /me action
    if nick in _NOT_NICKS or nick.endswith(":") or nick.startswith("mode/"):
        nick = UNKNOWN_SPEAKER  # "Topic for #chan: ...", "Irssi: ...": no one said it
    return nick, _HOSTMASK.sub("", text), MessageKind.SYSTEM


def _day_line(line: str) -> date | None:
    match = _DAY_LINE.match(line)
    month = _MONTHS.get(match["mon"]) if match else None
    if match is None or month is None:
        return None
    try:
        return date(int(match["year"]), month, int(match["day"]))
    except ValueError:
        return None


def parse(text: str) -> list[Raw]:
    """Split an IRC-style log into raw messages; unmatched lines continue the previous one."""
    raws: list[Raw] = []
    day: date | None = None
    for line in text.split("\n"):
        match = LINE.match(line) if line[:1] in "[0123456789" else None
        parsed = _message(match["rest"]) if match is not None else None
        if match is not None and parsed is not None:
            speaker, said, kind = parsed
            # IRC marks its events itself: what people say is never a channel event.
            raws.append(Raw(speaker, [said], _when(match, day), kind or speaker_kind(speaker)))
            continue
        untimed = _message(line) if match is None and line[:1] in "<*" else None
        if untimed is not None:
            # A log saved without timestamps: still messages, just undated.
            nick, words, event = untimed
            raws.append(Raw(nick, [words], None, event or speaker_kind(nick)))
            continue
        if line.startswith("---"):
            day = _day_line(line) or day
            continue
        if raws and line.strip():
            raws[-1].lines.append(line)
        elif line.strip():
            raws.append(Raw(UNKNOWN_SPEAKER, [line]))
    return raws


def looks_like(line: str) -> bool:
    """Whether one line is an IRC log line (used by format detection)."""
    if line[:1] == "<":
        return _SAY.match(line) is not None
    match = LINE.match(line)
    return match is not None and _message(match["rest"]) is not None
