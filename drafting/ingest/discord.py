"""Discord: desktop copy-paste and DiscordChatExporter plain-text exports.

Copy-paste: a header ``Name — Today at 10:04 AM`` or ``Name — 03/04/2025 10:04 AM`` (em dash;
older clients wrote ``Name Today at 10:04 AM``), then the message lines; a bare ``[10:05 AM]``
line starts a grouped follow-up by the same author. Integrations carry an ``APP`` (formerly
``BOT``) tag glued to the name (``GitHub ActionsAPP``). A line ``@Name quoted text`` right above
a header is the preview of the message being replied to: it is dropped and links the reply to
its parent. `` (edited)`` marks an edit; reaction counts (``👍 3``) are dropped.

DiscordChatExporter: a ``====`` banner (guild, channel, topic), ``[04-Mar-25 07:12 PM] author``
headers, ``{Embed}`` and ``{Attachments}`` blocks kept as text, ``{Reactions}`` blocks dropped,
and an ``Exported N message(s)`` footer. Its system entries (``Joined the server.``) are system
messages; ``#0000`` authors are webhooks, so bots.
"""

from __future__ import annotations

import re
from datetime import date

from drafting.ingest.clock import CLOCK, clock_from_parts
from drafting.ingest.raw import UNKNOWN_SPEAKER, Raw, in_code
from drafting.ingest.types import MessageKind

FORMAT = "discord"

_TIME = CLOCK
_DATE = r"(?P<a>\d{1,2})(?P<sep>[/.])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{2,4})"
# The name never ends in a space: Slack's "Name  Today at 2:32 PM" (two spaces) is not Discord.
HEADER = re.compile(
    rf"^(?P<name>[^\s—](?:.{{0,46}}?[^\s—])?)(?:\s*(?P<dash>—)\s*| )"
    rf"(?:(?P<rel>Today|Yesterday) at |{_DATE},?\s+){_TIME}\s*$"
)
EXPORT_HEADER = re.compile(
    rf"^\[(?:(?P<dd>\d{{1,2}})-(?P<mon>[A-Z][a-z]{{2}})-(?P<yy>\d{{2,4}})|{_DATE}),?\s+{_TIME}\]"
    r"\s+(?P<name>\S.*?)\s*$"
)
FOLLOW_UP = re.compile(rf"^\[{_TIME}\](?:\s*$|(?P<text>[^\s\]].*)$)")  # "[08:48]also from..."
DASH_TIME = re.compile(rf"^\s*—\s*(?:(?P<rel>Today|Yesterday) at |{_DATE},?\s+){_TIME}\s*$")
# A bot or bridge's own one-line post: "[10:31 PM] PlayReviews: ⭐ 1/5 ...".
INLINE = re.compile(
    rf"^\[{_TIME}\]\s+(?P<name>[^\s:<*-][^:\s]*(?: [^:\s]+){{0,3}}):\s+(?P<text>\S.*)$"
)
_TAGS = ("APP", "BOT")
_BANNER = re.compile(r"^={20,}\s*$")
_FOOTER = re.compile(r"^Exported \d[\d,]* message\(s\)\s*$")
_BLOCK = re.compile(r"^\{(?P<what>Embed|Attachments|Stickers|Reactions)\}\s*$")
_EMOJI = r"[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\uFE0F\u200D]+|:[\w+-]+:"
_REACTIONS = re.compile(rf"^(?:(?:{_EMOJI})\s*\(?\d+\)?\s*)+$")
_EDITED = " (edited)"
# Discord's channel events as the client shows them: join greetings, pins, threads, calls.
_GREETING = re.compile(
    r"^(?:\S.{0,40}? (?:joined the party|just landed|just showed up!|hopped into the server|"
    r"just slid into the server|pinned a message to this channel|started a (?:thread|call))|"
    r"Welcome,? \S.{0,40}?\. (?:We hope you brought pizza|Say hi!)|A wild \S.{0,40}? appeared)"
    r"\b.{0,120}$"
)
# The same events as DiscordChatExporter writes them, as the whole text of a message.
_EXPORT_EVENT = re.compile(
    r"^(?:Joined the server|Pinned a message|Started a (?:thread|call)\b.*|Left the group|"
    r"Changed the channel (?:name|icon)\b.*|(?:Added|Removed) \S.{0,40}? (?:to|from) the group)"
    r"\.?$"
)
# What Discord shows at the top of a channel: its name and the welcome text, not content.
_CHANNEL_TOP = re.compile(r"^(?:#[\w-]+|Welcome to #.+|This is the start of the #.+)\s*$")
_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTHS = {m: i + 1 for i, m in enumerate(_MONTH_NAMES)}
_PREVIEW_KEY = 40
_REPLY_LOOKBACK = 500


def _day(match: re.Match[str]) -> date | None:
    """The date in a header: slashed dates month first unless that cannot be, dotted day first."""
    groups = match.groupdict()
    try:
        if groups.get("mon"):
            month = _MONTHS.get(groups["mon"])
            year, day = int(groups["yy"]), int(groups["dd"])
        elif match["a"]:
            a, b, year = int(match["a"]), int(match["b"]), int(match["y"])
            month, day = (b, a) if match["sep"] == "." or a > 12 else (a, b)
        else:
            return None
        return date(year + (2000 if year < 100 else 0), month, day) if month else None
    except ValueError:
        return None


def _tagged(name: str) -> tuple[str, MessageKind | None]:
    """Strip an ``APP``/``BOT`` tag (glued to the name or after a space): the source's bot mark."""
    for tag in _TAGS:
        rest = name.removesuffix(tag)
        # "JAPP" or "ROBOT" is a name; the tag follows a lower-case letter, digit or space.
        if rest != name and rest and not rest[-1].isupper():
            return rest.rstrip(), MessageKind.BOT
    return name, None


class _Parser:
    """Line-by-line state: the message being built, its group's date, and block context."""

    def __init__(self) -> None:
        self.raws: list[Raw] = []
        self.current: Raw | None = None
        self.day: date | None = None
        self.relative = ""
        self.in_fence = False
        self.in_banner = False
        self.in_reactions = False

    def feed(self, line: str) -> None:
        code, self.in_fence = in_code(line, self.in_fence)
        if code:
            self._add(line)
            return
        if self._export_furniture(line):
            return
        if line[:1] == "[" and self._bracketed(line):
            return
        if line and line[-1] in "0123456789Mm." and self._header(line):
            return
        if self._furniture(line):
            return
        self._add(line)

    def _export_furniture(self, line: str) -> bool:
        """The exporter's banner and footer, and the {Reactions} block inside a message."""
        if _BANNER.match(line):
            self.in_banner = not self.in_banner
            return True
        if self.in_banner or _FOOTER.match(line):
            return True
        if self.in_reactions:
            self.in_reactions = bool(line.strip())
            return True
        block = _BLOCK.match(line) if line[:1] == "{" else None
        if block is not None:
            self.in_reactions = block["what"] == "Reactions"
            return True
        return False

    def _bracketed(self, line: str) -> bool:
        """An exporter header, a bot's one-line post, or a grouped follow-up ``[10:05 AM]`` by
        the current author."""
        match = EXPORT_HEADER.match(line)
        if match is not None:
            name = match["name"]
            kind = MessageKind.BOT if name.endswith("#0000") else None
            self.day = _day(match)
            when = clock_from_parts(match["h"], match["m"], match["s"], match["ampm"], day=self.day)
            self._open(Raw(name, when=when, kind=kind))
            return True
        inline = INLINE.match(line)
        if inline is not None:
            when = clock_from_parts(
                inline["h"], inline["m"], inline["s"], inline["ampm"], day=self.day
            )
            self._open(Raw(inline["name"], [inline["text"]], when))
            return True
        match = FOLLOW_UP.match(line)
        author = self.current
        if (
            match is None
            or author is None
            or not author.speaker
            or author.kind == MessageKind.SYSTEM
        ):
            return False
        when = clock_from_parts(match["h"], match["m"], match["s"], match["ampm"], day=self.day)
        lines = [match["text"]] if match["text"] else []
        self._open(Raw(author.speaker, lines, when=when, kind=author.kind))
        return True

    def _header(self, line: str) -> bool:
        match = HEADER.match(line)
        if match is None:
            return self._split_header(line)
        if not (match["dash"] or match["rel"]):
            return False
        day = _day(match)
        rel = match["rel"] or ""
        new_day = rel == "Today" and self.relative == "Yesterday"
        self.relative = rel
        when = clock_from_parts(
            match["h"], match["m"], match["s"], match["ampm"], day=day, new_day=new_day
        )
        name, kind = _tagged(match["name"])
        if _GREETING.match(name):  # "BloodRaven joined the party. — Today at 7:40 PM"
            self._open(Raw(UNKNOWN_SPEAKER, [name], when, MessageKind.SYSTEM))
            self.current = None
            return True
        parent = self._take_preview()
        self._open(Raw(name, when=when, kind=kind, parent=parent))
        self.day = day
        return True

    def _split_header(self, line: str) -> bool:
        """A header copied over lines of its own: "Alertmanager", "APP", " — Today at 22:38"."""
        match = DASH_TIME.match(line)
        current = self.current
        if match is None or current is None:
            return False
        lines = current.lines
        while lines and not lines[-1].strip():
            lines.pop()
        kind = None
        if lines and lines[-1].strip() in _TAGS:
            lines.pop()
            kind = MessageKind.BOT
        if not lines or not 0 < len(lines[-1].strip()) <= 48:
            return False
        name = lines.pop().strip()
        if not current.speaker and not any(x.strip() for x in lines):
            self.raws.remove(current)  # the preamble held only the name
        when = clock_from_parts(
            match["h"], match["m"], match["s"], match["ampm"], day=_day(match) or self.day
        )
        self._open(Raw(name, when=when, kind=kind, parent=self._take_preview()))
        return True

    def _open(self, raw: Raw) -> None:
        self.in_reactions = False
        self.current = raw
        self.raws.append(raw)

    def _take_preview(self) -> int | None:
        """Drop the reply preview ending the message above; the index of the message it quotes."""
        lines = self.current.lines if self.current is not None else []
        while lines and not lines[-1].strip():
            lines.pop()
        if not lines or not lines[-1].startswith("@"):
            return None
        preview = lines.pop()
        parent = self._quoted(preview)
        if parent is None:
            lines.append(preview)  # a message that ends with a mention, not a preview
        return parent

    def _quoted(self, preview: str) -> int | None:
        stop = max(-1, len(self.raws) - 1 - _REPLY_LOOKBACK)
        for index in range(len(self.raws) - 1, stop, -1):
            raw = self.raws[index]
            prefix = f"@{raw.speaker} "
            if not raw.speaker or not preview.startswith(prefix):
                continue
            key = preview[len(prefix) :].rstrip("…. ").strip()[:_PREVIEW_KEY]
            if key and raw.text().startswith(key):
                return index
        return None

    def _furniture(self, line: str) -> bool:
        """Reaction counts, lone "(edited)" marks, channel events and the channel's top."""
        stripped = line.strip()
        if not stripped:
            return False
        if stripped == "(edited)" and self.current is not None:
            self.current.edited = True
            return True
        if _REACTIONS.match(stripped):
            return True
        if self.current is None and _CHANNEL_TOP.match(stripped):
            return True
        if _GREETING.match(stripped):
            self._open(Raw(UNKNOWN_SPEAKER, [stripped], kind=MessageKind.SYSTEM))
            self.current = None
            return True
        return False

    def _add(self, line: str) -> None:
        current = self.current
        if current is None:
            if not line.strip():
                return
            current = Raw(UNKNOWN_SPEAKER)
            self._open(current)
        if line.endswith(_EDITED):
            line = line[: -len(_EDITED)]
            current.edited = True
        if current.lines or line.strip():
            current.lines.append(line)


def _mark_exporter_events(raws: list[Raw]) -> None:
    """The exporter writes system entries as one-line messages ("Joined the server.")."""
    for raw in raws:
        if raw.kind is None and raw.speaker and _EXPORT_EVENT.match(raw.text()):
            raw.kind = MessageKind.SYSTEM


def parse(text: str) -> list[Raw]:
    """Split a Discord copy-paste or DiscordChatExporter text export into raw messages."""
    parser = _Parser()
    for line in text.split("\n"):
        parser.feed(line.rstrip("\r"))
    _mark_exporter_events(parser.raws)
    return parser.raws


def looks_like(line: str) -> bool:
    """Whether one line is a Discord message header (used by format detection)."""
    if line[:1] == "[":
        match = EXPORT_HEADER.match(line)
        return match is not None and match["mon"] is not None
    match = HEADER.match(line)
    return match is not None and bool(match["dash"] or match["rel"])
