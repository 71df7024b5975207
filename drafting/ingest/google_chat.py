"""Google Chat copied from the browser.

A message is a header ``Nomvula Dube, 10:03 AM`` (24-hour clocks too; older days as
``Name, Yesterday 10:03 AM`` or ``Name, Mar 4, 2025, 10:03 AM``), then its lines, then a blank
line. Integrations carry an "App" badge (``Cloud Monitoring App, 10:01 AM``): the badge is taken
off the name and marks the message as a bot's. "You" is the person who copied. Furniture is
dropped: "Edited" (the message becomes edited), reaction counts ("👀 2"), "2 replies", and card
buttons in app messages ("View incident"). Lines before the first header (the space name,
"Space · 6 members") are dropped.

A header line must follow a blank line (or the start, or furniture) unless its name already
spoke: a message line such as "Done, 10:45" is then text, not a new message.
"""

from __future__ import annotations

import re
from datetime import date

from drafting.ingest.clock import clock_from_parts
from drafting.ingest.kinds import speaker_kind
from drafting.ingest.raw import Raw
from drafting.ingest.types import MessageKind

FORMAT = "google-chat"

_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTHS = {name: i + 1 for i, name in enumerate(_MONTH_NAMES)}
_DAY = (
    rf"(?:(?P<mon>{'|'.join(_MONTH_NAMES)})[a-z]* (?P<dd>\d{{1,2}})(?:, (?P<yy>\d{{4}}))?|"
    r"Today|Yesterday|(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*)"
)
_TIME = r"(?P<h>\d{1,2}):(?P<m>\d{2})(?:\s?(?P<ampm>[AaPp])\.?[Mm]\.?)?"
# A display name: one to five words, no sentence punctuation, digits or brackets.
_NAME = r"(?P<name>[^\W\d_][^\s,.:;!?()\[\]<>@#\d]*(?: [^\s,.:;!?()\[\]<>@#\d]+){0,4})"
HEADER = re.compile(rf"^{_NAME}, (?P<day>{_DAY},? )?{_TIME}\s*$")
_APP = " App"
_NOISE = re.compile(
    r"^(?:(?:View )?\d+ (?:more )?repl(?:y|ies)|(?:[^\w\s\x00-\x7f][^\w\s]* ?\d+ *)+)$"
)
_BUTTON = re.compile(r"^(?:View|Open|Acknowledge|Resolve) [\w ]{1,30}$")
_EDITED = "Edited"
# A time on a line of its own: the next message of the same sender ("10:06 AM"), or, under a
# name line ("Ama Owusu-Ansah" then "10:02 AM"), a message of that name.
_BARE_TIME = re.compile(rf"^{_TIME}$")
# A person's display name: two to four capitalised words (a lone "Done" is a word).
_PERSON = re.compile(r"^[^\W\d_][\w'’-]*(?: [^\W\d_][\w'’-]*){1,3}$")


class _Parser:
    """Line-by-line state: the message being built and who has spoken."""

    def __init__(self) -> None:
        self.raws: list[Raw] = []
        self.speakers: set[str] = set()
        self.after_break = True  # at the start, after a blank line or after furniture
        self.day_label: str | None = None

    def feed(self, line: str) -> None:
        match = HEADER.match(line) if line[-1:] in "0123456789Mm." else None
        if match is not None and self._header_here(match["name"]):
            self._start(match)
        elif self.raws and (bare := _BARE_TIME.match(line.strip())) is not None:
            self._restart(bare)
        elif self.raws and not self._furniture(line.strip()):
            self.raws[-1].lines.append(line)
            self.after_break = not line.strip()
            return
        self.after_break = not self.raws or match is None

    def _header_here(self, name: str) -> bool:
        """A header where one may stand: after a break, a name that already spoke, or a
        person's full name (copies without blank lines between messages)."""
        return self.after_break or name in self.speakers or _is_person(name)

    def _restart(self, bare: re.Match[str]) -> None:
        """A bare time line: a new message by the name line above it, or by the last sender."""
        current = self.raws[-1]
        above = current.lines[-1].strip() if current.lines else ""
        speaker, kind = current.speaker, current.kind
        if above and _is_person(above):
            current.lines.pop()
            speaker, kind = above, speaker_kind(above)
            self.speakers.add(above)
        when = clock_from_parts(bare["h"], bare["m"], None, bare["ampm"])
        self.raws.append(Raw(speaker, when=when, kind=kind))

    def _start(self, match: re.Match[str]) -> None:
        name = match["name"]
        bot = name.endswith(_APP) and len(name) > len(_APP)
        speaker = name[: -len(_APP)] if bot else name
        label = (match["day"] or "").rstrip(", ")
        new_day = bool(self.raws) and label != (self.day_label or "") and not match["yy"]
        self.day_label = label
        when = clock_from_parts(
            match["h"], match["m"], None, match["ampm"], day=_day(match), new_day=new_day
        )
        kind = MessageKind.BOT if bot else speaker_kind(speaker)
        self.raws.append(Raw(speaker, when=when, kind=kind))
        self.speakers.add(name)

    def _furniture(self, stripped: str) -> bool:
        """Drop "Edited", reaction counts, reply counts and app card buttons."""
        current = self.raws[-1]
        if stripped == _EDITED:
            current.edited = True
            return True
        if _NOISE.match(stripped):
            return True
        return current.kind is MessageKind.BOT and _BUTTON.match(stripped) is not None


def _is_person(line: str) -> bool:
    """Two to four capitalised words: a display name ("Ama Owusu-Ansah"), not "Done"."""
    return _PERSON.match(line) is not None and all(w[:1].isupper() for w in line.split())


def _day(match: re.Match[str]) -> date | None:
    if not match["yy"]:
        return None
    try:
        return date(int(match["yy"]), _MONTHS[match["mon"]], int(match["dd"]))
    except ValueError:
        return None


def parse(text: str) -> list[Raw]:
    """Split a Google Chat copy into raw messages (see the module docstring)."""
    parser = _Parser()
    for line in text.split("\n"):
        parser.feed(line.rstrip())
    return parser.raws


def looks_like(line: str) -> bool:
    """Whether one line is a Google Chat message header (used by format detection)."""
    return HEADER.match(line) is not None
