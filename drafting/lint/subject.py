"""Who does the action: the human-subject, negation and quotation checks behind the lint's
precision. Pure functions over a block of text; no I/O beyond reading the packaged word lists."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import Enum
from functools import lru_cache

from drafting.lint.loader import PACKAGE_DIR, load_yaml


class Who(Enum):
    """The kind of grammatical subject found for a matched phrase."""

    PERSON = "person"  # someone other than the writer: blame lands on them
    SELF = "self"  # I / we: a self-report
    OTHER = "other"  # a system, a change, a thing
    NONE = "none"  # no subject in the clause (terse notes: "Forgot to renew the cert.")


@dataclass(frozen=True)
class Lexicon:
    """Word lists used to recognise people; see ``data/lexicon.yml``."""

    role_nouns: frozenset[str]
    pronouns: frozenset[str]
    first_person: frozenset[str]
    skip_words: frozenset[str]
    first_names: frozenset[str]
    accept_names: frozenset[str]

    def extended(self, names: list[str], accept_names: list[str]) -> Lexicon:
        """A copy with extra people names and extra product names (from configuration)."""
        return replace(
            self,
            first_names=self.first_names | {n.lower() for n in names},
            accept_names=self.accept_names | {n.lower() for n in accept_names},
        )


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """The packaged lexicon (read once)."""
    raw = load_yaml((PACKAGE_DIR / "data" / "lexicon.yml").read_text(encoding="utf-8"))
    return Lexicon(**{key: frozenset(str(w).lower() for w in raw[key]) for key in raw})


_EDGE = "*_\"'“”‘’()[]{},.:;!?`"
_POSSESSIVE = re.compile(r"['’]s?$")


def classify(token: str, lex: Lexicon) -> Who:
    """Classify one word as a person, the writer, or something else."""
    word = _POSSESSIVE.sub("", token.strip(_EDGE))
    if not word:
        return Who.NONE
    if word.startswith("@") and len(word) > 1:
        return Who.PERSON
    low = word.lower()
    if low in lex.first_person:
        return Who.SELF
    if low in lex.pronouns or low in lex.role_nouns:
        return Who.PERSON
    if low.endswith("s") and low[:-1] in lex.role_nouns:
        return Who.PERSON
    if word[0].isupper() and low in lex.first_names and low not in lex.accept_names:
        return Who.PERSON
    return Who.OTHER


def classify_phrase(phrase: str, lex: Lexicon) -> Who:
    """Classify a short noun phrase by its last word ("the on-call engineer" -> person)."""
    words = phrase.split()
    return classify(words[-1], lex) if words else Who.NONE


_WORD = re.compile(r"@?[\w][\w'’.@-]*")
# A clause ends at sentence punctuation, table cell bars, brackets and dashes.
_HARD_BOUNDARY = re.compile(r"[.!?;:|()\[\]—–]\s|[|;—–]|\s-\s|,\s")
_CONJUNCTIONS = frozenset(
    {"and", "but", "or", "so", "because", "when", "while", "after", "before", "until", "since"}
    | {"although", "though", "once", "as"}
)
_WINDOW = 200


def _clause_start(text: str, start: int) -> int:
    lo = max(0, start - _WINDOW)
    cut = lo
    for m in _HARD_BOUNDARY.finditer(text, lo, start):
        cut = m.end()
    return cut


def _clause_before(text: str, start: int) -> str:
    return text[_clause_start(text, start) : start]


def subject_before(text: str, start: int, lex: Lexicon) -> Who:
    """The subject of the verb phrase that begins at ``start``.

    Walks back over auxiliaries and adverbs to the nearest word. When the clause is a second
    verb phrase sharing an earlier subject ("restarted the pod and failed to ..."), the subject
    is sought among the first words of the clause; a relative clause after a comma ("the
    engineer, who never ...") takes the noun before the comma.
    """
    cut = _clause_start(text, start)
    words = _WORD.findall(text[cut:start])
    for index in range(len(words) - 1, -1, -1):
        low = words[index].lower()
        if low in lex.skip_words:
            continue
        if low in _CONJUNCTIONS:
            return _leading_subject(words[:index], lex)
        return classify(words[index], lex)
    # "the engineer, who never ..." points back at a person; "..., which caused ..." points
    # at a whole clause, so only "who" is followed back past the comma.
    if words and words[0].lower() == "who" and cut > 2 and text[cut - 2] == ",":
        return subject_before(text, cut - 2, lex)
    return Who.NONE


def _leading_subject(words: list[str], lex: Lexicon) -> Who:
    for word in words[:4]:
        who = classify(word, lex)
        if who in (Who.PERSON, Who.SELF):
            return who
    return Who.OTHER if words else Who.NONE


_DETERMINERS = frozenset({"the", "a", "an", "our", "their", "this", "that", "one", "another"})


def person_after(text: str, end: int, lex: Lexicon) -> Who:
    """A person (or the writer) among the first words after ``end``, within the clause.

    Possessives count here: "due to the engineer's change" names a person as the cause.
    """
    window = text[end : end + 120]
    stop = _HARD_BOUNDARY.search(window)
    words = _WORD.findall(window[: stop.start() if stop else len(window)])
    content = [w for w in words if w.lower() not in _DETERMINERS][:3]
    for word in content:
        who = classify(word, lex)
        if who in (Who.PERSON, Who.SELF):
            return who
    return Who.OTHER if words else Who.NONE


def person_in_clause(text: str, start: int, lex: Lexicon) -> Who:
    """The first person (or writer) named anywhere earlier in the clause, else OTHER/NONE."""
    words = _WORD.findall(_clause_before(text, start))
    for word in words:
        who = classify(word, lex)
        if who in (Who.PERSON, Who.SELF):
            return who
    return Who.OTHER if words else Who.NONE


# How far a sentence is looked for on each side: bounds the work per finding on text with no
# sentence punctuation (a pasted log, a run-on paragraph).
_SENTENCE_REACH = 400
_SENTENCE_END = re.compile(r"[.!?](?=[\s*_\"'”’)]|$)|\|")


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Start and end offsets of the sentence (or table cell) holding ``text[start:end]``."""
    lo = max(0, start - _SENTENCE_REACH)
    s = lo
    for m in _SENTENCE_END.finditer(text, lo, start):
        s = m.end()
    m2 = _SENTENCE_END.search(text, end, end + _SENTENCE_REACH)
    return s, (m2.end() if m2 else min(len(text), end + _SENTENCE_REACH))


_NEGATION_BEFORE = re.compile(
    r"\b(?:not|no|never|nor|without|rather\s+than|instead\s+of|avoid(?:ing|s)?|don'?t|do\s+not|"
    r"doesn'?t|isn'?t|wasn'?t|aren'?t|beyond|stop|blam(?:e|ing)|calling\s+it|call\s+it|label(?:ling)?)"
    r"\b\W+(?:[\w'’-]+\W+){0,4}$",
    re.IGNORECASE,
)
_META_AFTER = re.compile(
    r"^[\W_]{0,3}\s*(?:is|was|are|were|isn'?t|wasn'?t)\s+(?:never|not|rarely|seldom|no|"
    r"a\s+(?:symptom|label|starting\s+point|myth)|where\b)",
    re.IGNORECASE,
)
_META_SENTENCE = re.compile(
    r"\b(?:blameless|blame-free|anti-?pattern|bad\s+apple\s+theory|words\s+like|phrases\s+like|"
    r"language\s+like|terms\s+like|avoid\s+(?:saying|writing|words|phrases))\b",
    re.IGNORECASE,
)
_OPEN_QUOTES = "\"“‘'"
_CLOSE_QUOTES = "\"”’'"


def is_quoted(text: str, start: int, end: int) -> bool:
    """True when the match is quoted: wrapped in quotes, or inside a double-quoted span of its
    line (an example of what not to write, a quote of guidance): a mention, not a use."""
    before = text[:start].rstrip(" *_")
    after = text[end:].lstrip(" *_")
    if before and before[-1] in _OPEN_QUOTES and after and after[0] in _CLOSE_QUOTES:
        return True
    line = text[max(text.rfind("\n", 0, start) + 1, start - _SENTENCE_REACH) : start]
    return line.count('"') % 2 == 1 or line.count("“") > line.count("”")


def is_negated_or_meta(text: str, start: int, end: int, sentence: tuple[int, int]) -> bool:
    """True for negated or meta uses: "not human error", "human error is never a root cause"."""
    s, e = sentence
    if _NEGATION_BEFORE.search(text, s, start):
        return True
    if _META_AFTER.search(text[end : min(e, end + 60)]):
        return True
    return bool(_META_SENTENCE.search(text, s, e))
