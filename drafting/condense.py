"""Condense an (anonymised) transcript into citable lines that fit the model's context.

Each kept message becomes one line ``m12 09:30 Responder A: text`` so the model can cite it by id.
Noise is dropped (channel events, reactions, +1s), alert floods are collapsed to their first
message, long pasted output is trimmed, and a transcript over the token budget is split into
chunks that each fit (the drafter merges their results), so nothing is truncated away.

Lines that address the model were already replaced when the transcript was anonymised (see
:mod:`drafting.anonymise.untrusted`); a message left with nothing else is dropped, and every
message that had such a line is listed in :attr:`Condensed.withheld`. Pure: no I/O.
"""

from __future__ import annotations

import math
import re

from pydantic import BaseModel, Field

from drafting.anonymise.untrusted import has_withheld, only_withheld
from drafting.ingest.types import Message, MessageKind, Transcript

# Rough but conservative for chat and code with BPE tokenizers (Qwen, GPT): ~3.5 chars/token.
CHARS_PER_TOKEN = 3.5
MAX_PASTE_LINES = 6
MAX_LINE_CHARS = 400
_KEEP_HEAD_LINES = 3

_EMOJI_ONLY = re.compile(r"^(?:\s|:[\w+\-]+:|[\U0001F000-\U0001FAFF\u2600-\u27BF\uFE0F\u200D])*$")
_PLUS_ONE = re.compile(r"^\s*(?:\+1|\+\+|same|same here|me too|this)\s*[.!]*\s*$", re.IGNORECASE)
_DIGITS = re.compile(r"\d+")
WITHHELD = "addresses the model"


class Condensed(BaseModel):
    """The condensed transcript.

    Attributes:
        text: every kept line, joined by newlines (what fits one context when ``chunks`` has one).
        chunks: ``text`` split into pieces that each fit the budget, in order.
        kept_ids: ids of the messages that made it into ``text``, in order.
        dropped: id of each dropped message -> why (``noise``, ``system``, ``repeat of m3``,
            ``addresses the model``).
        withheld: ids of the messages that had a line addressed to the model withheld.
    """

    text: str
    chunks: list[str]
    kept_ids: list[str]
    dropped: dict[str, str] = Field(default_factory=dict)

    withheld: list[str] = Field(default_factory=list)

    @property
    def tokens(self) -> int:
        """Estimated tokens of :attr:`text`."""
        return estimate_tokens(self.text)


def estimate_tokens(text: str) -> int:
    """A conservative token estimate for budgeting (no tokenizer is available offline)."""
    return math.ceil(len(text) / CHARS_PER_TOKEN)


def condense(transcript: Transcript, *, budget_tokens: int) -> Condensed:
    """Drop noise, collapse alert floods, trim pastes, and chunk to ``budget_tokens``.

    Args:
        transcript: the (already anonymised) transcript.
        budget_tokens: tokens one chunk may use; the drafter sizes it from the context window.

    Returns:
        The condensed lines, chunked so that each chunk fits the budget.
    """
    dropped: dict[str, str] = {}
    kept: list[tuple[str, str]] = []
    repeats: dict[str, list[Message]] = {}
    last_bot: tuple[str, Message] | None = None
    for msg in transcript.messages:
        reason = _noise_reason(msg)
        if reason:
            dropped[msg.id] = reason
            continue
        if msg.kind == MessageKind.BOT:
            sig = _signature(msg.text)
            if last_bot and last_bot[0] == sig:
                first = last_bot[1]
                dropped[msg.id] = f"repeat of {first.id}"
                repeats.setdefault(first.id, []).append(msg)
                continue
            last_bot = (sig, msg)
        kept.append((msg.id, _render(msg)))
    lines = [_with_repeats(line, repeats.get(mid, [])) for mid, line in kept]
    return Condensed(
        text="\n".join(lines),
        chunks=_chunk(lines, budget_tokens),
        kept_ids=[mid for mid, _ in kept],
        dropped=dropped,
        withheld=[m.id for m in transcript.messages if has_withheld(m.text)],
    )


def _noise_reason(msg: Message) -> str | None:
    """Why a message is not sent to the model, or None when it is."""
    if msg.kind == MessageKind.SYSTEM:
        return "system"
    if only_withheld(msg.text):
        return WITHHELD
    text = msg.text.strip()
    if not text or _EMOJI_ONLY.match(text) or _PLUS_ONE.match(text):
        return "noise"
    return None


def _signature(text: str) -> str:
    """Alert identity: the text with numbers blanked, so `5 errors` and `7 errors` collapse."""
    return _DIGITS.sub("#", text.strip().lower())


def _hhmm(msg: Message) -> str:
    return msg.ts.strftime("%H:%M") if msg.ts else "--:--"


def _render(msg: Message) -> str:
    """One citable line: id, time, speaker, text (newlines folded, long pastes trimmed)."""
    return f"{msg.id} {_hhmm(msg)} {msg.speaker}: {_trim(msg.text)}"


def _trim(text: str) -> str:
    """Fold a message onto one line, keeping the head and tail of long pasted output."""
    lines = [ln.rstrip() for ln in text.strip().splitlines() if ln.strip() and ln.strip() != "```"]
    if len(lines) > MAX_PASTE_LINES:
        cut = len(lines) - _KEEP_HEAD_LINES - 1
        lines = [*lines[:_KEEP_HEAD_LINES], f"[{cut} lines of pasted output trimmed]", lines[-1]]
    folded = " / ".join(ln.strip() for ln in lines)
    if len(folded) > MAX_LINE_CHARS:
        half = MAX_LINE_CHARS // 2
        cut = len(folded) - 2 * half
        folded = f"{folded[:half]} [{cut} chars trimmed] {folded[-half:]}"
    return folded


def _with_repeats(line: str, repeats: list[Message]) -> str:
    if not repeats:
        return line
    return f"{line} [repeated {len(repeats)} more times until {_hhmm(repeats[-1])}]"


def _chunk(lines: list[str], budget_tokens: int) -> list[str]:
    """Greedy split into chunks under the budget; a single oversized line is its own chunk."""
    chunks: list[str] = []
    current: list[str] = []
    used = 0
    for line in lines:
        cost = estimate_tokens(line + "\n")
        if current and used + cost > budget_tokens:
            chunks.append("\n".join(current))
            current, used = [], 0
        current.append(line)
        used += cost
    if current:
        chunks.append("\n".join(current))
    return chunks
