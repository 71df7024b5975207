"""Slack copy-paste, current and older forms.

Current form: a header line ``Display Name  2:32 PM`` (two spaces; ``APP`` after integrations),
then the message lines; a bare ``2:33 PM`` line starts another message by the same person.
Older quoted form: ``> name [4:06 PM]`` or ``>name [8:27 AM]`` with ``>``-prefixed continuation
lines. Slack's furniture (reaction counts, "3 replies", "View thread", unfurl captions, date
dividers) is dropped; "(edited)" and "replied to a thread:" become message attributes.
"""

from __future__ import annotations

import re
from datetime import date

from drafting.ingest.clock import CLOCK, Clock, clock_from_parts
from drafting.ingest.raw import UNKNOWN_SPEAKER, Raw, in_code
from drafting.ingest.types import MessageKind

FORMAT = "slack-paste"

_TIME = CLOCK
# Search results and permalinks say when: "Today at 2:32 PM", "Mar 4th at 2:32 PM".
_ON_DAY = r"(?:(?:Today|Yesterday|[A-Z][a-z]{2,8} \d{1,2}(?:st|nd|rd|th)?(?:, \d{4})?) at )?"
# The name never holds two spaces in a row: columns of pasted command output do.
# A status may sit between the name and the time: "Haruka Sato  :flag-jp:  9:14 AM",
# "Sanjay Gupta  :speech_balloon: In a meeting  9:21 AM".
_STATUS = r"(?:\s{2,}:[\w+'-]+:(?: \S(?:\S| (?! )){0,40})?)?"
HEADER = re.compile(
    rf"^(?P<q>>\s?)?(?P<name>[^\s>\[](?:\S| (?! ))*?)(?:\s*(?<=[a-z\s)])(?P<app>APP))?{_STATUS}"
    rf"(?:\s{{2,}}|\s+(?=\[)|(?<=APP)\s)\[?{_ON_DAY}{_TIME}\]?\s*$"
)
BARE_TIME = re.compile(rf"^(?P<q>>\s?)?\[?{_TIME}\]?\s*$")
_NOISE = re.compile(
    r"^(?:\d+ repl(?:y|ies)|Last reply .*|View thread|View (?:newer|older) replies|"
    r"Also sent to the channel|Thread|New|New messages|Show (?:more|less)|Added by .+|"
    r"(?::[\w+'-]+:\s*\d+\s*)+|(?P<twice>[A-Z][\w .-]{1,30}?)(?P=twice))$"
)
_WEEKDAY = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
DIVIDER = re.compile(
    rf"^(?:Today|Yesterday|{_WEEKDAY}(?:,\s+(?P<month>[A-Z][a-z]+)\s+(?P<day>\d{{1,2}})"
    r"(?:st|nd|rd|th)?(?:,\s+(?P<year>\d{4}))?)?)\s*$"
)
_MAX_HEADER = 160
_THREAD_LOOKBACK = 500
_DIVIDER_STARTS = frozenset("TYMWFS")
_EMOJI = re.compile(r":[\w+'-]+:")
_EDITED = " (edited)"
_REPLIED = "replied to a thread:"
_MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_MONTHS = {name: i + 1 for i, name in enumerate(_MONTH_NAMES)}


class _Parser:
    """Line-by-line state: the message being built and the fence/divider context."""

    def __init__(self) -> None:
        self.raws: list[Raw] = []
        self.previews: dict[int, str] = {}
        self.current: Raw | None = None
        self.quoted = False
        self.in_fence = False
        self.new_day = False
        self.day: date | None = None

    def feed(self, line: str) -> None:
        code, self.in_fence = in_code(line, self.in_fence)
        if code:
            self._add(line)
            return
        # Headers are short: a long line is text, whatever it ends with.
        if line and len(line) < _MAX_HEADER and line[-1] in "0123456789Mm]." and self._header(line):
            return
        # Dividers and furniture are short and never start lower-case: skip the regexes otherwise.
        if len(line) < 48 and not line[:1].islower() and (self._marker(line) or _NOISE.match(line)):
            return
        self._add(line)

    def _header(self, line: str) -> bool:
        bare = BARE_TIME.match(line)
        if bare and self.current is not None:
            self._start(self.current.speaker, bare, bool(bare.group("q")), self.current.kind)
            return True
        match = HEADER.match(line)
        if match is None or (match.group("q") and not line.endswith("]")):
            return False
        name = _EMOJI.sub("", match.group("name")).strip()
        kind = MessageKind.BOT if match.group("app") else None
        if name == "APP":  # the integration's name sat alone on the line before
            name, kind = self._take_last_line(), MessageKind.BOT
        self._start(name, match, bool(match.group("q")), kind)
        return True

    def _start(
        self, speaker: str, match: re.Match[str], quoted: bool, kind: MessageKind | None
    ) -> None:
        clock = clock_from_parts(
            match["h"], match["m"], match["s"], match["ampm"], day=self.day, new_day=self.new_day
        )
        if clock is not None and match.re is BARE_TIME and not match["ampm"] and clock.hour <= 12:
            # A bare "2:33" has no AM/PM: the roller picks the half of the day that fits.
            clock = Clock(clock.hour, clock.minute, clock.second, self.day, True, self.new_day)
        self.new_day = False
        self.current = Raw(speaker=speaker or UNKNOWN_SPEAKER, when=clock, kind=kind)
        self.quoted = quoted
        self.raws.append(self.current)

    def _marker(self, line: str) -> bool:
        """Date dividers and lone "(edited)" marks: context, not text."""
        if line.strip() == "(edited)" and self.current is not None:
            self.current.edited = True
            return True
        divider = DIVIDER.match(line) if line[:1] in _DIVIDER_STARTS else None
        if divider is None:
            return False
        self.day = _divider_date(divider)
        self.new_day = bool(self.raws) and self.day is None
        return True

    def _add(self, line: str) -> None:
        if self.current is None:
            if not line.strip():
                return
            self.current = Raw(speaker=UNKNOWN_SPEAKER)
            self.raws.append(self.current)
        if self.quoted and line.startswith(">"):
            line = line[2:] if line.startswith("> ") else line[1:]
        if line.endswith(_EDITED):
            line = line[: -len(_EDITED)]
            self.current.edited = True
        if not self.current.lines and line.startswith(_REPLIED):
            self.previews[len(self.raws) - 1] = line[len(_REPLIED) :].strip()
            return
        if self.current.lines or line.strip():
            self.current.lines.append(line)

    def _take_last_line(self) -> str:
        if self.current is None or not self.current.lines:
            return UNKNOWN_SPEAKER
        name = self.current.lines.pop().strip()
        if not self.current.lines and self.current.when is None:
            self.raws.pop()  # the preamble held nothing but the name
        return name


def _divider_date(match: re.Match[str]) -> date | None:
    month = _MONTHS.get(match["month"] or "")
    if not (month and match["year"]):
        return None
    try:
        return date(int(match["year"]), month, int(match["day"]))
    except ValueError:
        return None


def _link_threads(raws: list[Raw], previews: dict[int, str]) -> None:
    """Point "replied to a thread: <parent preview>" messages at the parent they quote."""
    for index, preview in previews.items():
        key = preview.rstrip("…. ").strip()[:40]
        if not key:
            continue
        # Threads are answered within the hour, not thousands of messages later: bound the search.
        for candidate in range(index - 1, max(-1, index - 1 - _THREAD_LOOKBACK), -1):
            if raws[candidate].text().startswith(key):
                raws[index].parent = candidate
                break


def parse(text: str) -> list[Raw]:
    """Split a Slack copy-paste into raw messages (see the module docstring for the forms)."""
    parser = _Parser()
    for line in text.split("\n"):
        parser.feed(line.rstrip("\r"))
    _link_threads(parser.raws, parser.previews)
    return parser.raws


def looks_like(line: str) -> bool:
    """Whether one line is a Slack paste message header (used by format detection)."""
    return HEADER.match(line) is not None and not line.startswith(("[", "<"))
