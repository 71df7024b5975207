"""Matrix: Element's "Export chat" plain text, and pastes in the same shape.

Every event is one line ``3/4/2025, 1:02:14 PM - Sender: text`` (the date and time as the
exporting browser's locale writes them: ``04/03/2025, 13:02:14``, ``4.3.2025, 13:02:14``,
``2025-03-04 13:02:14``); lines without a timestamp continue the event above. A line with no
``Sender:`` is a room event (joins, invites, topic changes...) and becomes a system message.
Replies start with a quote of their parent, ``<@user:server "quoted text..."> reply`` (Element)
or an ``In reply to: Sender: quoted text`` line; the quote is dropped and links the parent.
An emote ``* Sender waves`` is a message by its sender.
A room header before the first event (room name, ``Topic:``, ``Exported by ...``) is dropped.
"""

from __future__ import annotations

import re
from datetime import date

from drafting.ingest.clock import Clock, clock_from_parts
from drafting.ingest.raw import UNKNOWN_SPEAKER, Raw
from drafting.ingest.types import MessageKind

FORMAT = "matrix"

# Seconds are always there (toLocaleString): WhatsApp's "3/4/25, 1:02 PM - Name: text" has none.
LINE = re.compile(
    r"^(?:(?P<a>\d{1,2})(?P<sep>[/.-])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4})\.?|"
    r"(?P<Y>\d{4})[/.-](?P<M>\d{1,2})[/.-](?P<D>\d{1,2})),?\s+"
    r"(?P<h>\d{1,2}):(?P<m>\d{2}):(?P<s>\d{2})(?:\s?(?P<ampm>[AaPp])\.?[Mm]\.?)?"
    r" - (?P<rest>\S.*)$"
)
# A Matrix ID contains a colon ("@kiri:kereru.example"): it is the sender as a whole.
_SAID = re.compile(r"^(?P<sender>@[^:\s]+:[^\s:]+|[^:]+?): (?P<text>.*)$")
# Room events Element writes as a sentence after the sender's name; their text may hold ": ".
_EVENT = re.compile(
    r"^(?P<sender>@[^:\s]+:[^\s:]+|[^:]+?) (?:created (?:and configured )?the room|invited |"
    r"joined the room|left the room|rejected the invitation|was (?:invited|removed|banned)|"
    r"removed |banned |unbanned |kicked |changed the (?:topic|room name|room avatar|power level)|"
    r"changed their (?:display name|profile picture)|set (?:a profile picture|the room name|"
    r"their display name)|removed the (?:topic|room name)|made (?:the room|future room history)|"
    r"enabled end-to-end encryption|upgraded this room|changed the (?:join rule|history "
    r"visibility)|allowed guests|has prevented guests|(?:pinned|unpinned) a message|"
    r"withdrew .+ invitation|accepted the invitation)"
)
_ELEMENT_REPLY = re.compile(r'^<(?P<who>@?[^<>"]+?)(?: "(?P<quote>[^"]*)")?> ?(?P<text>.*)$')
_IN_REPLY_TO = "In reply to: "
_EMOTE_SENDER = re.compile(r"\S+(?: [A-ZÀ-Þ][\w'’.-]*){0,2}")
_HEADER_LINE = re.compile(r"^(?:Topic: |Exported by |Exported on |Room: |Export of )")
_QUOTE_KEY = 30
_REPLY_LOOKBACK = 500


def _day(match: re.Match[str]) -> date | None:
    """The event's date; slashed dates are month first after a US (AM/PM) clock, else day first."""
    try:
        if match["Y"]:
            return date(int(match["Y"]), int(match["M"]), int(match["D"]))
        a, b, year = int(match["a"]), int(match["b"]), int(match["y"])
        month_first = match["sep"] == "/" and match["ampm"] is not None
        month, day = (a, b) if month_first else (b, a)
        if month > 12:
            month, day = day, month
        return date(year, month, day)
    except ValueError:
        return None


def _emote(rest: str, speakers: dict[str, None]) -> Raw:
    """``* Sender waves``: the sender is a known name it starts with."""
    action = rest[2:]
    known = [name for name in speakers if action.startswith(f"{name} ")]
    # Else the capitalised words it starts with ("Yosef Mizrahi is pulling"), or its first word.
    guess = _EMOTE_SENDER.match(action)
    sender = max(known, key=len) if known else guess[0] if guess else UNKNOWN_SPEAKER
    return Raw(sender, [action[len(sender) :].strip()])


def _event(match: re.Match[str], speakers: dict[str, None]) -> tuple[Raw, str]:
    """The raw message one timestamped line starts, and its quoted parent text ("" if none)."""
    when = clock_from_parts(match["h"], match["m"], match["s"], match["ampm"], day=_day(match))
    return event(match["rest"], when, speakers)


def event(rest: str, when: Clock | None, speakers: dict[str, None]) -> tuple[Raw, str]:
    """What follows a line's time: ``Sender: text`` (a reply's quote split off, returned as the
    second value), ``* Sender waves`` (an emote), or a room event ("Noa joined the room")."""
    if rest.startswith("* "):
        emote = _emote(rest, speakers)
        emote.when = when
        return emote, ""
    event = _EVENT.match(rest)
    said = _SAID.match(rest) if event is None else None
    if said is None:
        sender = event["sender"] if event is not None else UNKNOWN_SPEAKER
        return Raw(sender, [rest], when, MessageKind.SYSTEM), ""
    sender, text = said["sender"], said["text"]
    reply = _ELEMENT_REPLY.match(text) if text.startswith("<") else None
    if reply is not None:
        return Raw(sender, [reply["text"]], when), reply["quote"] or ""
    return Raw(sender, [text], when), ""


def _preamble(lines: list[str]) -> list[Raw]:
    """Text before the first event: an export's room header is dropped, anything else kept."""
    if not any(line.strip() for line in lines) or any(_HEADER_LINE.match(x) for x in lines):
        return []
    return [Raw(UNKNOWN_SPEAKER, lines)]


def _split_in_reply_to(raws: list[Raw], quotes: dict[int, str]) -> None:
    """Move a leading ``In reply to: Sender: quote`` line out of the text, into ``quotes``."""
    for index, raw in enumerate(raws):
        if raw.kind is None and raw.lines and raw.lines[0].startswith(_IN_REPLY_TO):
            quoted = raw.lines.pop(0)[len(_IN_REPLY_TO) :]
            quotes[index] = quoted


def _link_replies(raws: list[Raw], quotes: dict[int, str]) -> None:
    """Point each reply at the latest earlier message its quote starts (sender optional)."""
    for index, quote in quotes.items():
        for candidate in range(index - 1, max(-1, index - 1 - _REPLY_LOOKBACK), -1):
            raw = raws[candidate]
            said = quote.removeprefix(f"{raw.speaker}: ") if raw.speaker else quote
            key = said.rstrip("…. ").strip()[:_QUOTE_KEY]
            if key and raw.kind is None and raw.text().startswith(key):
                raws[index].parent = candidate
                break


def parse(text: str) -> list[Raw]:
    """Split an Element plain-text export into raw messages."""
    raws: list[Raw] = []
    preamble: list[str] | None = []
    quotes: dict[int, str] = {}
    speakers: dict[str, None] = {}
    for line in text.split("\n"):
        line = line.rstrip("\r")
        match = LINE.match(line) if line[:1].isdigit() else None
        if match is None and preamble is not None:
            preamble.append(line)
            continue
        if match is None:
            raws[-1].lines.append(line)
            continue
        if preamble is not None:
            raws, preamble = _preamble(preamble), None
        raw, quote = _event(match, speakers)
        speakers.setdefault(raw.speaker, None)
        if quote:
            quotes[len(raws)] = quote
        raws.append(raw)
    if preamble is not None:  # no event line at all
        return _preamble(preamble)
    _split_in_reply_to(raws, quotes)
    _link_replies(raws, quotes)
    return raws


def looks_like(line: str) -> bool:
    """Whether one line is an Element export event line (used by format detection)."""
    return line[:1].isdigit() and LINE.match(line) is not None
