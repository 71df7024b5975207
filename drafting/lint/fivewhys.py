"""The 5 Whys check: a chain under a Root Cause / 5 Whys heading whose last answer is a person."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from drafting.lint.scope import Block
from drafting.lint.subject import Lexicon, Who, classify

_ITEM = re.compile(r"^\s*(?:[-*+]\s+|\d{1,2}[.)]\s+)?(?:why\b|\d{1,2}[.)]\s)", re.IGNORECASE)
_PREFIX = re.compile(
    r"^\s*(?:[-*+]\s+|\d{1,2}[.)]\s+)?(?:why\s*\d*\s*[:.)-]\s*)?(?:answer\s*:\s*)?"
    r"(?:because|since|as)?\s*(?:of\s+)?",
    re.IGNORECASE,
)
_LABEL_ERROR = re.compile(
    r"\b(?:human|operator|user|engineer|manual)\s+(?:error|mistake)s?\b", re.I
)
_WORD = re.compile(r"@?[\w][\w'.@-]*")
MIN_CHAIN = 3


@dataclass(frozen=True)
class ChainEnd:
    """The last answer of a 5 Whys chain, as an offset range inside its block."""

    block: Block
    start: int
    end: int


def _is_item(block: Block) -> bool:
    return block.kind == "list" or (block.kind == "paragraph" and bool(_ITEM.match(block.text)))


def _chains(blocks: Iterable[Block]) -> Iterator[list[Block]]:
    run: list[Block] = []
    for block in blocks:
        if (
            block.section_key == "root-cause"
            and _is_item(block)
            and (not run or run[-1].section == block.section)
        ):
            run.append(block)
            continue
        if len(run) >= MIN_CHAIN:
            yield run
        run = [block] if block.section_key == "root-cause" and _is_item(block) else []
    if len(run) >= MIN_CHAIN:
        yield run


def _answer_span(text: str) -> tuple[int, int]:
    """Offsets of the answer in a why item: after the last question mark, else after the marker."""
    stripped = text.rstrip()
    question = stripped.rfind("?")
    start = question + 1 if 0 <= question < len(stripped) - 1 else 0
    rest = text[start:]
    skip = _PREFIX.match(rest)
    start += skip.end() if skip else 0
    while start < len(stripped) and stripped[start].isspace():
        start += 1
    return start, len(stripped)


def ends_at_person(answer: str, lex: Lexicon) -> bool:
    """True when an answer blames a person: a label like 'human error', or a person as subject."""
    if _LABEL_ERROR.search(answer):
        return True
    for word in _WORD.findall(answer)[:5]:
        if word.endswith(("'s", "s'")):
            continue
        # "We had no monitoring" is the organisation speaking, not blame: only others count.
        if classify(word, lex) is Who.PERSON:
            return True
    return False


def chain_ends_at_person(blocks: Iterable[Block], lex: Lexicon) -> list[ChainEnd]:
    """Every 5 Whys chain (three or more why items) whose final answer ends at a person."""
    found = []
    for chain in _chains(blocks):
        last = chain[-1]
        start, end = _answer_span(last.text)
        if start < end and ends_at_person(last.text[start:end], lex):
            found.append(ChainEnd(last, start, end))
    return found
