"""The 5 Whys check: a chain under a Root Cause / 5 Whys heading whose last answer is a person."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from drafting.lint.loader import load_rules
from drafting.lint.scope import Block
from drafting.lint.subject import (
    Lexicon,
    Who,
    classify,
    is_negated_or_meta,
    load_lexicon,
    sentence_bounds,
)

_ITEM = re.compile(r"^\s*(?:[-*+]\s+|\d{1,2}[.)]\s+)?(?:why\b|\d{1,2}[.)]\s)", re.IGNORECASE)
_PREFIX = re.compile(
    r"^\s*(?:[-*+]\s+|\d{1,2}[.)]\s+)?(?:why\s*\d*\s*[:.)-]\s*)?(?:answer\s*:\s*)?"
    r"(?:because|since|as)?\s*(?:of\s+)?",
    re.IGNORECASE,
)
# The error-label rules: an answer that is 'human error' (BL-B01) or gives it as the root cause
# (BL-B02) ends at a person. Their patterns, hard negatives included ("user error rates"), are
# the rules' own, so the lint and the 5 Whys check cannot disagree on them.
LABEL_RULES = ("BL-B01", "BL-B02")
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


@lru_cache(maxsize=1)
def _label_patterns() -> tuple[re.Pattern[str], ...]:
    return tuple(c.regex for c in load_rules() if c.rule.id in LABEL_RULES and c.regex)


def _labels_error(answer: str) -> bool:
    for regex in _label_patterns():
        for m in regex.finditer(answer):
            sentence = sentence_bounds(answer, m.start(), m.end())
            if not is_negated_or_meta(answer, m.start(), m.end(), sentence):
                return True
    return False


def ends_at_person(answer: str, labels: Iterable[str] = (), lex: Lexicon | None = None) -> bool:
    """True when a 5 Whys answer ends at a person instead of a system cause.

    The one detector for this question: the lint's 5 Whys rule, the draft's verify step and its
    re-ask all call it. An answer ends at a person when it is an error label ("human error",
    "operator error was the root cause"; not "user error rates rose"), or when one of its first
    words is a person: a pronoun, a role noun ("the engineer"), a first name, an @handle, or one
    of ``labels`` (the draft's pseudonyms and roles, e.g. "Responder A").

    Args:
        answer: the answer text, with or without a "Why 5:" / "because" lead-in.
        labels: how people appear in the text besides the lexicon's words.
        lex: the lint's word lists; the packaged ones when None.
    """
    if _labels_error(answer):
        return True
    lex = lex or load_lexicon()
    skip = _PREFIX.match(answer)
    head = answer[skip.end() if skip else 0 :].strip().lower()
    head = re.sub(r"^(?:the|a|an)\s+", "", head)
    for label in labels:
        low = label.strip().lower()
        if low and (head == low or head.startswith((low + " ", low + "'"))):
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
        if start < end and ends_at_person(last.text[start:end], lex=lex):
            found.append(ChainEnd(last, start, end))
    return found


def _statement(block: Block) -> str:
    """A root-cause paragraph's text without a leading "Root cause:" label."""
    text = block.text.strip()
    label = (block.section or "").lower()
    if label and text.lower().startswith(label):
        text = text[len(label) :].lstrip(" *_:")
    return text


def root_cause_ends_at_person(blocks: Iterable[Block], lex: Lexicon) -> bool:
    """True when a report's 5 Whys, or without one its root cause statement, ends at a person.

    With a 5 Whys chain the chain decides (its last answer, as the 5 Whys rule sees it); without
    one, the first paragraph or list item under a root-cause heading (or after a "Root cause:"
    label) is the statement, judged by :func:`ends_at_person`. Quotes and code never count.
    """
    blocks = list(blocks)
    if chain_ends_at_person(blocks, lex):
        return True
    if any(True for _ in _chains(blocks)):
        return False
    statement = next(
        (b for b in blocks if b.section_key == "root-cause" and b.kind in ("paragraph", "list")),
        None,
    )
    return statement is not None and ends_at_person(_statement(statement), lex=lex)
