"""Mattermost web and desktop copy-paste.

A post is a name line (the username, or the full name or nickname the reader's display setting
shows), a ``BOT`` line under integrations, a time line (``2:19 PM`` or ``14:19``), then the text.
A time line with no name above it is a follow-up post by the same author: each time line is one
post. ``Commented on eero's message: <quote>`` opens a thread reply: the quote is dropped and
links the parent. Date separators (``Today``, ``Yesterday``, ``Tue, Mar 04, 2025``) date the
posts after them; ``(edited)`` marks an edit; reaction counts and the channel breadcrumb
(``Town Square > ~incident-42``) are dropped. ``(message deleted)`` stays: it was a post.
"""

from __future__ import annotations

import re
from datetime import date

from drafting.ingest.clock import clock_from_parts
from drafting.ingest.raw import UNKNOWN_SPEAKER, Raw, in_code
from drafting.ingest.types import MessageKind

FORMAT = "mattermost"

TIME_LINE = re.compile(
    r"^(?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2}))?(?:\s?(?P<ampm>[AaPp])\.?[Mm]\.?)?\s*$"
)
# Detection only trusts 12-hour time lines: Slack's bare 24-hour follow-ups ("9:57") are not posts.
_LOOKS = re.compile(r"^\d{1,2}:\d{2}\s?[AaPp]\.?[Mm]\.?\s*$")
# A username (letters, digits, "." "_" "-") or a display name of up to four words.
_NAME = re.compile(r"^(?:@?\w[\w.-]{0,63}|[^\W\d_][\w'’.-]*(?: [^\W\d_][\w'’.-]*){1,3})$")
# A display name over a username line: two to four capitalised words.
_DISPLAY = re.compile(r"^[^\W\d_a-z][\w'’.-]*(?: [^\W\d_a-z][\w'’.-]*){1,3}$")
_BOT_TAG = "BOT"
_COMMENTED = re.compile(r"^Commented on (?P<who>.+?)'s message: (?P<quote>.*)$")
_WEEKDAY = r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*"
DIVIDER = re.compile(
    rf"^(?:(?P<rel>Today|Yesterday)|(?:{_WEEKDAY}, )?(?P<month>[A-Z][a-z]{{2,8}}) "
    r"(?P<day>\d{1,2})(?:st|nd|rd|th)?(?:, (?P<year>\d{4}))?)\s*$"
)
_BREADCRUMB = re.compile(r"^(?:.+ > )?~[\w.-]+\s*$")
_EMOJI = r"[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\uFE0F\u200D]+|:[\w+-]+:"
_REACTIONS = re.compile(rf"^(?:(?:{_EMOJI})\s*\d+\s*)+$")
_EDITED = " (edited)"
_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_QUOTE_KEY = 40
_REPLY_LOOKBACK = 500


def _divider_date(match: re.Match[str]) -> date | None:
    month = match["month"]
    if not (month and match["year"]) or month[:3] not in _MONTH_NAMES:
        return None
    try:
        return date(int(match["year"]), _MONTH_NAMES.index(month[:3]) + 1, int(match["day"]))
    except ValueError:
        return None


class _Parser:
    """Line-by-line state: the post being built, the speakers seen and the date context."""

    def __init__(self) -> None:
        self.raws: list[Raw] = []
        self.current: Raw | None = None
        self.speakers: set[str] = set()
        self.quotes: dict[int, tuple[str, str]] = {}
        self.day: date | None = None
        self.new_day = False
        self.in_fence = False
        self.handle: str | None = None

    def feed(self, line: str) -> None:
        code, self.in_fence = in_code(line, self.in_fence)
        if code:
            self._add(line)
            return
        time = TIME_LINE.match(line) if line[:1].isdigit() else None
        if time is not None and self._start(time):
            return
        if self._furniture(line.strip()):
            return
        self._add(line)

    def _start(self, time: re.Match[str]) -> bool:
        author = self._take_name()
        if author is None:  # a follow-up post by the author above
            if self.current is None or not self.current.speaker:
                return False
            author = self.current.speaker, self.current.kind
        when = clock_from_parts(
            time["h"], time["m"], time["s"], time["ampm"], day=self.day, new_day=self.new_day
        )
        self.new_day = False
        self.current = Raw(author[0], when=when, kind=author[1], handle=self.handle)
        self.handle = None
        self.raws.append(self.current)
        self.speakers.add(author[0])
        return True

    def _take_name(self) -> tuple[str, MessageKind | None] | None:
        """Take the name line (and a ``BOT`` line) ending the current post, if they are there."""
        current = self.current
        if current is None:
            return None
        lines = current.lines
        while lines and not lines[-1].strip():
            lines.pop()
        bot = len(lines) >= 2 and lines[-1].strip() == _BOT_TAG
        at = len(lines) - 1 - bot
        name = lines[at].strip() if at >= 0 else ""
        if not name or len(name) > 64 or not _NAME.match(name):
            return None
        # The line above a follow-up is the last line of text: a name only leaves text behind.
        text_left = at > 0 or not current.speaker
        if not (bot or text_left or name in self.speakers):
            return None
        handle = None
        if name.startswith("@") and at > 0 and _DISPLAY.match(lines[at - 1].strip()):
            # "Aleksandr Volkov" over "@a.volkov" (Rocket.Chat's copy shows both): one person.
            at -= 1
            name, handle = lines[at].strip(), name
        del lines[at:]
        if not current.speaker and not any(line.strip() for line in lines):
            self.raws.pop()  # the preamble held only the name
        self.handle = handle
        return name, MessageKind.BOT if bot else None

    def _furniture(self, stripped: str) -> bool:
        """Date separators, edit marks, reaction counts, the breadcrumb, thread context."""
        if not stripped:
            return False
        current = self.current
        if current is not None and stripped in ("(edited)", "Edited"):
            current.edited = True
            return True
        if _REACTIONS.match(stripped) or (current is None and _BREADCRUMB.match(stripped)):
            return True
        if current is not None and current.speaker and not current.lines:
            commented = _COMMENTED.match(stripped)
            if commented is not None:
                self.quotes[len(self.raws) - 1] = (commented["who"], commented["quote"])
                return True
        divider = DIVIDER.match(stripped) if stripped[:1].isupper() else None
        if divider is None:
            return False
        self.day = _divider_date(divider)
        self.new_day = bool(self.raws) and self.day is None and divider["rel"] != "Yesterday"
        return True

    def _add(self, line: str) -> None:
        current = self.current
        if current is None:
            if not line.strip():
                return
            current = Raw(UNKNOWN_SPEAKER)
            self.current = current
            self.raws.append(current)
        if line.endswith(_EDITED):
            line = line[: -len(_EDITED)]
            current.edited = True
        if current.lines or line.strip():
            current.lines.append(line)

    def link_replies(self) -> None:
        """Point each thread reply at the latest earlier post by the named author it quotes."""
        for index, (who, quote) in self.quotes.items():
            key = quote.rstrip("…. ").strip()[:_QUOTE_KEY]
            stop = max(-1, index - 1 - _REPLY_LOOKBACK)
            for candidate in range(index - 1, stop, -1):
                raw = self.raws[candidate]
                if raw.speaker == who and key and raw.text().startswith(key):
                    self.raws[index].parent = candidate
                    break


def parse(text: str) -> list[Raw]:
    """Split a Mattermost copy-paste into raw messages."""
    parser = _Parser()
    for line in text.split("\n"):
        parser.feed(line.rstrip("\r"))
    parser.link_replies()
    return parser.raws


def looks_like(line: str) -> bool:
    """Whether one line is a Mattermost post's time line (used by format detection)."""
    return line[:1].isdigit() and _LOOKS.match(line) is not None
