"""Who does the action: the human-subject, negation and quotation checks behind the lint's
precision. Pure functions over a block of text; no I/O beyond reading the packaged word lists."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import Enum
from functools import lru_cache

from drafting.lint.names import is_person_name
from drafting.lint.packaged import packaged_data


class Who(Enum):
    """The kind of grammatical subject found for a matched phrase."""

    PERSON = "person"  # someone other than the writer: blame lands on them
    SELF = "self"  # I / we: a self-report
    OTHER = "other"  # a system, a change, a thing
    NONE = "none"  # no subject in the clause (terse notes: "Forgot to renew the cert.")
    NAME = "name"  # a capitalised word no list knows: a person or a product ("Ikaika", "Vitess")


@dataclass(frozen=True)
class Lexicon:
    """Word lists used to recognise people; see ``data/lexicon.yml``."""

    role_nouns: frozenset[str]
    pronouns: frozenset[str]
    first_person: frozenset[str]
    skip_words: frozenset[str]
    first_names: frozenset[str]
    accept_names: frozenset[str]
    role_phrases: frozenset[str]
    sentence_words: frozenset[str]

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
    raw = packaged_data()["lexicon"]
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
    if word[0].isupper() and low not in lex.accept_names:
        return _capitalised(word, low, lex)
    return Who.OTHER


# Endings of ordinary nouns and verb forms, never of the unknown names counted as Who.NAME.
_NOT_NAME_END = re.compile(r"(?:ing|ion|ment|ness|ity|ics|ware|ance|ence|ship|ism|able|ible|ed)$")
_NAME_SHAPE = re.compile(r"[^\W\d_][^\W\d_A-Z]+(?:-[^\W\d_][^\W\d_A-Z]+)?")


# Chinese given names in pinyin often end like a gerund ("Xiaoming", "Zhiqiang", "Jianping").
# A word made only of pinyin syllables (i-finals only after the initials that take them, so
# "Singing" and "Hanging" are not) with one trait English words lack (x, q or zh; ao, ei, ui,
# uo, ie, iu, ian, iao, ong) is not taken for an "-ing" word.
_I_FINALS = r"(?:iang|iong|iao|ian|ing|ie|iu|in|ia|i)"
_OTHER_FINALS = r"(?:uang|ueng|ang|eng|ong|uai|uan|ai|ei|ao|ou|an|en|un|ua|uo|ui|er|a|o|e|u)"
_PINYIN_SYLLABLE = (
    rf"(?:[bpmdtnljqxy]{_I_FINALS}|(?:zh|ch|sh|[bpmfdtnlgkhrzcswy]){_OTHER_FINALS}"
    r"|(?:zh|ch|sh|[rzcs])i|(?:ang|eng|ai|ei|ao|ou|an|en|er|a|o|e))"
)
_PINYIN = re.compile(rf"(?:{_PINYIN_SYLLABLE}){{2,4}}")
_PINYIN_TRAIT = re.compile(r"[xq]|zh|ao|ei|ui|uo|ie|iu|ian|iao|ong")


def _pinyin_name(low: str) -> bool:
    return bool(_PINYIN.fullmatch(low) and _PINYIN_TRAIT.search(low))


def _capitalised(word: str, low: str, lex: Lexicon) -> Who:
    """A capitalised word that is not a product: a known first name (the curated list, then
    the dataset), a word shaped like a name that no list knows, or something else."""
    if low in lex.first_names or is_person_name(low):
        return Who.PERSON
    if (
        _NAME_SHAPE.fullmatch(word)
        and (not _NOT_NAME_END.search(low) or _pinyin_name(low))
        and low not in lex.skip_words
        and low not in lex.sentence_words
        and low not in _DETERMINERS
        and low not in _CONJUNCTIONS
    ):
        return Who.NAME
    return Who.OTHER


def classify_phrase(phrase: str, lex: Lexicon) -> Who:
    """Classify a short noun phrase by its last word ("the on-call engineer" -> person), or by
    a person among its words ("the developer involved", "the platform team's")."""
    words = phrase.split()
    if not words:
        return Who.NONE
    last = classify(words[-1], lex)
    return last if last is not Who.OTHER else _most_personal(words, lex)


_RANK = {Who.PERSON: 3, Who.SELF: 3, Who.NAME: 2, Who.OTHER: 1, Who.NONE: 0}


def _most_personal(words: list[str], lex: Lexicon) -> Who:
    """The first person or writer among ``words``, else a NAME, else OTHER (NONE if empty)."""
    best = Who.NONE
    for index in range(len(words)):
        who = _classify_at(words, index, lex)
        if who in (Who.PERSON, Who.SELF):
            return who
        best = who if _RANK[who] > _RANK[best] else best
    return best


def _classify_at(words: list[str], index: int, lex: Lexicon) -> Who:
    """Classify ``words[index]`` with the word before it: "support agent" and "Team Falcon"
    name people though "agent" and "Falcon" alone do not."""
    who = classify(words[index], lex)
    if who in (Who.PERSON, Who.SELF) or index == 0:
        return who
    before = words[index - 1].lower()
    pair = f"{before} {_POSSESSIVE.sub('', words[index].strip(_EDGE)).lower()}"
    if pair in lex.role_phrases or (before in _TEAM_WORDS and words[index][:1].isupper()):
        return Who.PERSON
    return who


_TEAM_WORDS = frozenset({"team", "squad", "crew"})


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
    is sought among the first words of the clause; a subject with a relative clause ("the
    contractor who ran the migration was let go") is the noun before "who"; a relative clause
    after a comma ("the engineer, who never ...") takes the noun before the comma, and a
    participle after a comma (", taking down uploads") the subject of the clause before it.
    """
    cut = _clause_start(text, start)
    words = _WORD.findall(text[cut:start])
    head = _relative_head(words, lex)
    if head is not None:
        return head
    for index in range(len(words) - 1, -1, -1):
        low = words[index].lower()
        if low in lex.skip_words:
            continue
        if low in _CONJUNCTIONS:
            return _leading_subject(words[:index], lex)
        return _head_before_modifier(words, index, lex)
    if cut > 2 and text[cut - 2] == ",":
        # "the engineer, who never ..." points back at a person; "..., which caused ..." points
        # at a whole clause, so only "who" and a participle are followed back past the comma.
        if words and words[0].lower() == "who":
            return subject_before(text, cut - 2, lex)
        if not words and _PARTICIPLE.match(text, start):
            before = _WORD.findall(_clause_before(text, cut - 2))
            return _leading_subject(before, lex)
    return Who.NONE


_PARTICIPLE = re.compile(r"\w+ing\b")
# Prepositions that open a modifier after a subject's head noun: "the SRE on shift", "the
# operator of the night shift", "anyone with basic knowledge of DNS".
_PREPOSITIONS = frozenset({"of", "on", "with", "from", "in", "at", "for"})


def _head_before_modifier(words: list[str], index: int, lex: Lexicon) -> Who:
    """Classify the word before the verb, or, when it ends a prepositional modifier of the
    clause's first noun phrase, that phrase's head (the word before the first preposition)."""
    who = _classify_at(words, index, lex)
    if who in (Who.PERSON, Who.SELF):
        return who
    lows = [w.lower() for w in words[:index]]
    first = next((i for i, w in enumerate(lows) if w in _PREPOSITIONS), None)
    if first is None or not 0 < first <= 3 or any(w in _CONJUNCTIONS for w in lows):
        return who
    head = _classify_at(words, first - 1, lex)
    return head if head is Who.PERSON else who


def _relative_head(words: list[str], lex: Lexicon) -> Who | None:
    """The person a clause opens with when a "who" clause follows it ("The contractor who ran
    the migration ..."), or None (no such clause, or a "that"/"which" clause inside it)."""
    lows = [w.lower() for w in words]
    if "who" not in lows[1:5]:
        return None
    at = lows.index("who")
    if any(w in ("that", "which") for w in lows[at:]):
        return None
    who = _most_personal(words[:at], lex)
    return who if who in (Who.PERSON, Who.SELF, Who.NAME) else None


def _leading_subject(words: list[str], lex: Lexicon) -> Who:
    who = _most_personal(words[:4], lex)
    return Who.OTHER if who is Who.NONE and words else who


_DETERMINERS = frozenset({"the", "a", "an", "our", "their", "this", "that", "one", "another"})


def person_after(text: str, end: int, lex: Lexicon) -> Who:
    """A person (or the writer) among the first words after ``end``, within the clause.

    Possessives count here: "due to the engineer's change" names a person as the cause.
    """
    window = text[end : end + 120]
    stop = _HARD_BOUNDARY.search(window)
    words = _WORD.findall(window[: stop.start() if stop else len(window)])
    content = [w for w in words if w.lower() not in _DETERMINERS][:3]
    who = _most_personal(content, lex)
    if who not in (Who.PERSON, Who.SELF):
        author = _AUTHORED_BY.search(window, 0, stop.start() if stop else len(window))
        if author is not None:
            by = classify_phrase(author.group(1), lex)
            who = by if by in (Who.PERSON, Who.SELF, Who.NAME) else who
    return Who.OTHER if who is Who.NONE and words else who


def sentence_subject(text: str, start: int, lex: Lexicon) -> Who:
    """The subject that opens the sentence holding ``start`` (its first few words)."""
    s, _ = sentence_bounds(text, start, start)
    return _leading_subject(_WORD.findall(text[s:start]), lex)


def person_in_clause(text: str, start: int, lex: Lexicon) -> Who:
    """The first person (or writer) named anywhere earlier in the clause, else NAME/OTHER/NONE."""
    words = _WORD.findall(_clause_before(text, start))
    who = _most_personal(words, lex)
    return Who.OTHER if who is Who.NONE and words else who


_PASSIVE_AUX = re.compile(r"\b(?:was|were|been|being|is|are|got|get|gets)\s+(?:\w+ly\s+)?$", re.I)
_AUX_INSIDE = re.compile(r"\b(?:was|were|been|got)\s+(?:\w+ly\s+)?\w+ed$", re.I)
_AGENT = re.compile(r"\s+by\s+((?:the\s+|an?\s+|our\s+)?(?:[\w@.'’-]+\s+){0,2}?[\w@.'’-]+)")


def passive_agent(text: str, start: int, end: int, lex: Lexicon) -> Who | None:
    """In a passive ("the deploy was botched by Olusegun"), who the ``by`` phrase names; None
    when the match at ``start:end`` is not a passive with an agent."""
    if not (
        _PASSIVE_AUX.search(text, max(0, start - 30), start) or _AUX_INSIDE.search(text, start, end)
    ):
        return None
    m = _AGENT.match(text, end)
    return classify_phrase(m.group(1), lex) if m else None


# Participles of making and doing: "the change pushed by Ines" names Ines as its author.
_AUTHORED_BY = re.compile(
    r"\b(?:made|pushed|written|run|deployed|merged|shipped|authored|applied|committed|"
    r"introduced|entered|typed|done|approved|triggered|started|executed|issued)\s+by\s+"
    r"((?:the\s+|an?\s+|our\s+)?(?:[\w@.'’-]+\s+){0,2}?[\w@.'’-]+)",
    re.IGNORECASE,
)


# Third-person pronouns of people: with one in the sentence, an unknown capitalised subject is
# a person ("Kwabena's permissions were suspended until he ..."); products are "it".
_PERSONAL_PRONOUN = re.compile(r"\b(?:he|she|him|his|her|hers|himself|herself)\b", re.IGNORECASE)
# A possessive before something only people have or do ("Xiaoming's typo", "Yerlan's decision").
_HUMAN_POSSESSION = re.compile(
    r"[^\W\d_]['’]s\s+(?:[\w-]+\s+)?(?:typo|mistake|blunder|slip|oversight|negligence|"
    r"carelessness|decision|hotfix|screw-?up|fat-finger)s?\b",
    re.IGNORECASE,
)


# Constructions only people fit: a "who" clause after a capitalised word ("Olusegun, who
# skipped ..."), an artefact someone authored ("the script Chidi wrote"), and states of mind or
# purposes ("assumed", "to save time") that programs do not have.
_PEOPLE_ONLY = re.compile(
    r"(?-i:\b[A-Z][^\W\d_]+),?\s+who\b"
    r"|\b(?:script|change|config|commit|migration|query|command|patch|PR|code|fix|hotfix)\s+"
    r"(?-i:[A-Z][^\W\d_]+)\s+(?:wrote|ran|pushed|merged|typed|authored|made|applied)\b"
    r"|\b(?:thought|assumed|believed|knew|intended|realised|realized|was\s+sure|was\s+tired|"
    r"to\s+save\s+time|in\s+a\s+(?:hurry|rush))\b",
    re.IGNORECASE,
)


def name_is_person(sentence: str) -> bool:
    """True when a sentence says its unknown capitalised subject is a person: a personal
    pronoun, a possessive of a human act, or a construction only people fit."""
    return bool(
        _PERSONAL_PRONOUN.search(sentence)
        or _HUMAN_POSSESSION.search(sentence)
        or _PEOPLE_ONLY.search(sentence)
    )


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
