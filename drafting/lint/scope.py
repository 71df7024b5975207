"""Markdown scoping for the lint: which text is prose, which section it sits in, and which rules
are suppressed there. Pure: text in, blocks out.

A block is a paragraph, a list item, a table row or a heading. Fenced and indented code, block
quotes (pasted chat) and HTML comments are marked so the engine can skip them; inline code,
URLs and link targets are blanked with spaces so columns still line up with the input.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

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


def section_key(heading: str) -> str | None:
    """The canonical key of a heading ("5 Whys" -> "root-cause"), or None if not recognised."""
    low = heading.lower()
    for key, words in _SECTION_KEYS:
        if any(word in low for word in words):
            return key
    return None


@dataclass(frozen=True)
class Block:
    """A run of lint-able text. ``text`` keeps the input's characters (with code, URLs and
    comments blanked), lines joined by newlines, so offsets map back to line and column."""

    text: str
    line: int  # 1-based line of the block's first character
    kind: str  # paragraph | list | table | heading | quote | code
    section: str | None
    section_key: str | None
    suppressed: frozenset[str] = field(default_factory=frozenset)

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of an offset into ``text``."""
        before = self.text[:offset]
        newline = before.rfind("\n")
        return self.line + before.count("\n"), offset - newline


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
    for pattern in (_COMMENT, _INLINE_CODE, _URL, _EMPHASIS):
        line = pattern.sub(_blank, line)
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


def _heading_text(line: str) -> str | None:
    for pattern in (_HEADING, _BOLD_HEADING, _COLON_HEADING):
        m = pattern.match(line)
        if m:
            return m.group(1).strip()
    m = _LABEL.match(line)
    if m and section_key(m.group(1)):
        return m.group(1).strip()
    return None


class _Builder:
    """Accumulates lines into blocks while tracking section and suppression state."""

    def __init__(self) -> None:
        self.state = _State()
        self.blocks: list[Block] = []
        self.lines: list[str] = []
        self.first_line = 0
        self.kind = ""
        self.suppressed: frozenset[str] = frozenset()

    def start(self, number: int, kind: str) -> None:
        self.flush()
        self.first_line, self.kind = number, kind
        self.suppressed = frozenset(self.state.disabled | self.state.pending_ignore)
        self.state.pending_ignore = set()

    def add(self, number: int, line: str, kind: str) -> None:
        same = self.kind == kind or (self.kind == "list" and kind == "paragraph")
        if not (self.lines and same):
            self.start(number, kind)
        self.lines.append(line)

    def flush(self) -> None:
        if self.lines:
            s = self.state
            self.blocks.append(
                Block(
                    "\n".join(self.lines),
                    self.first_line,
                    self.kind,
                    s.section,
                    s.key,
                    self.suppressed,
                )
            )
        self.lines = []

    def set_section(self, heading: str) -> None:
        self.state.section, self.state.key = heading, section_key(heading)


def _code_line(b: _Builder, number: int, raw: str) -> bool:
    """Handle fenced code; True when the line belonged to a fence."""
    st = b.state
    m = _FENCE.match(raw)
    if st.fence is None and m:
        st.fence = m.group(1)[0] * 3
        b.flush()
    elif st.fence is None:
        return False
    elif m and m.group(1).startswith(st.fence):
        st.fence = None
    b.add(number, raw, "code")
    return True


def _prose_line(b: _Builder, number: int, line: str) -> None:
    stripped = line.lstrip()
    heading = _heading_text(line)
    if heading is not None and not _LABEL.match(line):
        b.set_section(heading)
        b.flush()
        b.add(number, clean_inline(line), "heading")
        b.flush()
    elif stripped.startswith(">"):
        depth = len(stripped) - len(stripped.lstrip("> "))
        indent = len(line) - len(stripped)
        b.add(number, " " * (indent + depth) + clean_inline(stripped[depth:]), "quote")
    elif stripped.startswith("|"):
        b.flush()
        if not _TABLE_RULE.match(line):
            b.add(number, clean_inline(line), "table")
            b.flush()
    elif _LIST_ITEM.match(line):
        if heading is not None:
            b.set_section(heading)
        b.flush()
        b.add(number, clean_inline(line), "list")
    else:
        if heading is not None:
            b.set_section(heading)
            b.flush()
        indented = (
            line.startswith(("    ", "\t"))
            and not b.lines
            and (not b.blocks or b.blocks[-1].kind != "list")
        )
        b.add(number, clean_inline(line), "code" if indented else "paragraph")


def iter_blocks(text: str) -> Iterator[Block]:
    """Split Markdown (or plain text) into blocks, in order, with sections and suppressions."""
    b = _Builder()
    for number, raw in enumerate(text.split("\n"), start=1):
        if _code_line(b, number, raw):
            continue
        _apply_directives(raw, b.state)
        line = _strip_comment(raw, b.state)
        if not line.strip():
            b.flush()
            continue
        _prose_line(b, number, line)
    b.flush()
    yield from b.blocks
