"""Markdown scoping for the lint: which text is prose, which section it sits in, and which rules
are suppressed there. Pure: text in, blocks out.

A block is a paragraph, a list item, a table row or a heading. Fenced and indented code, block
quotes (pasted chat) and HTML comments are marked so the engine can skip them; inline code,
URLs and link targets are blanked with spaces so columns still line up with the input.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

ALL_RULES = "*"

_FENCE = re.compile(r"^\s{0,3}(?:[-*+]\s+|\d+[.)]\s+)?(`{3,}|~{3,})")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_BOLD_HEADING = re.compile(r"^\s{0,3}(?:\*\*|__)([^*_]{2,60}?)(?::)?(?:\*\*|__):?\s*$")
# "Follow-ups:" alone on a line: how terse notes start a section.
_COLON_HEADING = re.compile(r"^\s{0,3}([A-Za-z][A-Za-z0-9 /&'()-]{1,40}?)\s*:\s*$")
_LABEL = re.compile(
    r"^\s{0,3}(?:\*\*|__)?([A-Za-z0-9][A-Za-z0-9 /&'-]{1,40}?)(?:\*\*|__)?\s*:(?:\*\*|__)?\s+\S"
)
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
_DIRECTIVE = re.compile(
    r"<!--\s*blameless-lint\s+(ignore|disable|enable|off|on)\b([^>]*?)-->", re.IGNORECASE
)
_COMMENT = re.compile(r"<!--.*?-->")
_INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1")
_URL = re.compile(r"\]\([^)\s]*\)|<?https?://[^\s>)]+>?")
_EMPHASIS = re.compile(r"\*+|(?<!\w)_+|_+(?!\w)")

# Canonical section keys, checked in order: the first keyword found in a heading wins.
_SECTION_KEYS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("contributing", ("contributing",)),
    ("lucky", ("lucky", "luck")),
    (
        "action-items",
        (
            "action",
            "remediation",
            "follow-up",
            "follow up",
            "followup",
            "next steps",
            "corrective",
            "preventive",
            "preventative",
            "todo",
        ),
    ),
    ("timeline", ("timeline", "chronology", "sequence of events")),
    ("root-cause", ("root cause", "root-cause", "cause", "why", "whys")),
    ("lessons", ("lesson", "learning", "takeaway")),
    ("impact", ("impact",)),
    ("summary", ("summary", "overview", "tl;dr", "tldr")),
)


@lru_cache(maxsize=512)
def section_key(heading: str) -> str | None:
    """The canonical key of a heading ("5 Whys" -> "root-cause"), or None if not recognised."""
    low = heading.lower()
    for key, words in _SECTION_KEYS:
        if any(word in low for word in words):
            return key
    return None


@dataclass(eq=False)  # not frozen: blocks are built for every paragraph, and this is faster
class Block:
    """A run of lint-able text, lines joined by newlines so offsets map back to line and column.

    ``raw`` is the input with comments and quote markers blanked; ``text`` (computed on first
    use, since most blocks never need it) also blanks inline code, URLs and emphasis marks.
    """

    raw: str
    line: int  # 1-based line of the block's first character
    kind: str  # paragraph | list | table | heading | quote | code
    section: str | None
    section_key: str | None
    suppressed: frozenset[str] = field(default_factory=frozenset)

    @cached_property
    def text(self) -> str:
        """The block with inline code, URLs, link targets and emphasis blanked (same length)."""
        return "\n".join(clean_inline(line) for line in self.raw.split("\n"))

    @cached_property
    def _line_starts(self) -> list[int]:
        return [0] + [i + 1 for i, ch in enumerate(self.raw) if ch == "\n"]

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of an offset into ``text``."""
        index = bisect_right(self._line_starts, offset) - 1
        return self.line + index, offset - self._line_starts[index] + 1


@dataclass
class _State:
    section: str | None = None
    key: str | None = None
    disabled: set[str] = field(default_factory=set)
    pending_ignore: set[str] = field(default_factory=set)
    fence: str | None = None
    in_comment: bool = False


def _rule_ids(raw: str) -> set[str]:
    ids = {token.upper() for token in re.findall(r"BL-[A-Za-z]\d{2}", raw)}
    return ids or {ALL_RULES}


def _apply_directives(line: str, state: _State) -> None:
    for m in _DIRECTIVE.finditer(line):
        verb, ids = m.group(1).lower(), _rule_ids(m.group(2))
        if verb == "ignore":
            state.pending_ignore |= ids
        elif verb in ("disable", "off"):
            state.disabled |= ids if verb == "disable" else {ALL_RULES}
        elif ALL_RULES in ids or verb == "on":
            state.disabled.clear()
        else:
            state.disabled -= ids


def _blank(match: re.Match[str]) -> str:
    return re.sub(r"[^\n]", " ", match.group(0))


def clean_inline(line: str) -> str:
    """Blank inline code, URLs, link targets, comments and emphasis marks (same length)."""
    if "`" in line:
        line = _INLINE_CODE.sub(_blank, line)
    if "://" in line or "](" in line:
        line = _URL.sub(_blank, line)
    if "*" in line or "_" in line:
        line = _EMPHASIS.sub(_blank, line)
    # One apostrophe for the rules to match ("didn’t" and "didn't" alike); same length.
    return line.replace("’", "'")


def _strip_comment(line: str, state: _State) -> str:
    """Blank HTML comments, including ones spanning lines; returns the visible text."""
    if state.in_comment:
        close = line.find("-->")
        if close < 0:
            return " " * len(line)
        state.in_comment = False
        line = " " * (close + 3) + line[close + 3 :]
    line = _COMMENT.sub(_blank, line)
    open_at = line.find("<!--")
    if open_at >= 0:
        state.in_comment = True
        line = line[:open_at] + " " * (len(line) - open_at)
    return line


def _heading_text(line: str, first: str) -> str | None:
    # Cheap character tests first: most lines are not headings.
    m = None
    if first == "#":
        m = _HEADING.match(line)
    elif first in "*_":
        m = _BOLD_HEADING.match(line)
    if m is None and line.rstrip().endswith(":"):
        m = _COLON_HEADING.match(line)
    if m is not None:
        return m.group(1).strip()
    colon = line.find(":")
    if 0 < colon < 48:
        m = _LABEL.match(line)
        if m and section_key(m.group(1)):
            return m.group(1).strip()
    return None


_NO_RULES: frozenset[str] = frozenset()


def _fence_state(state: _State, raw: str) -> bool:
    """Track fenced code; True when ``raw`` is part of a fence (including its markers)."""
    if state.fence is None and "``" not in raw and "~~" not in raw:
        return False
    m = _FENCE.match(raw)
    if state.fence is None:
        if not m:
            return False
        state.fence = m.group(1)[0] * 3
    elif m and m.group(1).startswith(state.fence):
        state.fence = None
    return True


def _quote_line(line: str, stripped: str) -> str:
    depth = len(stripped) - len(stripped.lstrip("> "))
    return " " * (len(line) - len(stripped) + depth) + stripped[depth:]


class _Splitter:
    """Accumulates lines into blocks while tracking section, fence, comment and suppression
    state. Cheap character tests come first: this runs on every line of every report."""

    def __init__(self) -> None:
        self.st = _State()
        self.out: list[Block] = []
        self.cur: list[str] = []
        self.first, self.kind, self.supp = 0, "", _NO_RULES

    def flush(self) -> None:
        if self.cur:
            st = self.st
            self.out.append(
                Block("\n".join(self.cur), self.first, self.kind, st.section, st.key, self.supp)
            )
            self.cur = []

    def begin(self, number: int, kind: str, line: str) -> None:
        """Start a new block of ``kind`` with ``line``, fixing its suppressions."""
        self.flush()
        st = self.st
        self.first, self.kind, self.supp = number, kind, _NO_RULES
        if st.disabled or st.pending_ignore:
            self.supp = frozenset(st.disabled | st.pending_ignore)
            st.pending_ignore = set()
        self.cur.append(line)

    def feed(self, number: int, raw: str) -> None:
        """Take one input line."""
        st = self.st
        if _fence_state(st, raw):
            if self.kind == "code" and self.cur:
                self.cur.append(raw)
            else:
                self.begin(number, "code", raw)
            return
        line = raw
        if st.in_comment or "<!--" in raw:
            _apply_directives(raw, st)
            line = _strip_comment(raw, st)
        stripped = line.lstrip()
        if not stripped:
            self.flush()
            return
        heading = _heading_text(line, stripped[0])
        if heading is not None:
            st.section, st.key = heading, section_key(heading)
            self.flush()
            if not _LABEL.match(line):
                self.begin(number, "heading", line)
                self.flush()
                return
        self.prose(number, line, stripped)

    def prose(self, number: int, line: str, stripped: str) -> None:
        """A line that is neither code, comment, blank nor heading."""
        c, kind = stripped[0], self.kind
        if c == ">":
            quoted = _quote_line(line, stripped)
            if kind == "quote" and self.cur:
                self.cur.append(quoted)
            else:
                self.begin(number, "quote", quoted)
        elif c == "|":
            self.flush()
            if not _TABLE_RULE.match(line):
                self.begin(number, "table", line)
                self.flush()
        elif (c in "-*+" or c.isdigit()) and _LIST_ITEM.match(line):
            self.begin(number, "list", line)
        elif self.cur and (kind in _CONTINUED or (kind == "code" and line[:4] == "    ")):
            self.cur.append(line)
        else:
            after_list = bool(self.out) and self.out[-1].kind == "list"
            indented = line.startswith(("    ", "\t")) and not after_list
            self.begin(number, "code" if indented else "paragraph", line)


# Kinds a following plain line continues. For quotes this is CommonMark's lazy continuation:
# chat pasted as "> name [time]" followed by unmarked lines is still one quoted paragraph.
_CONTINUED = frozenset({"paragraph", "list", "quote"})


def iter_blocks(text: str) -> list[Block]:
    """Split Markdown (or plain text) into blocks, in order, with sections and suppressions."""
    splitter = _Splitter()
    for number, raw in enumerate(text.split("\n"), start=1):
        splitter.feed(number, raw)
    splitter.flush()
    return splitter.out
