"""What the egress preview shows besides the text: every replacement marked, and the words that
could still be names, for a person to decide on with one click. Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from drafting.anonymise.names import ordinary_word
from drafting.anonymise.redact import PLACEHOLDERS
from drafting.anonymise.untrusted import PLACEHOLDER
from drafting.anonymise.wordlists import AMBIGUOUS_NAMES, ENGLISH_FUNCTION_WORDS, NOT_NAMES

# A capitalised word of letters (Marek, Ngozi, Mei-Ling): not CamelCase, not inside a token.
_WORD = re.compile(
    r"(?<![\w@#/.:-])([A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]+(?:-[A-ZÀ-ÖØ-Þ]?[a-zß-öø-ÿ]+)?)(?![\w/@-]|\.\w)"
)


def replacements(labels: Iterable[str]) -> re.Pattern[str]:
    """A pattern for everything the anonymiser wrote: labels, roles and placeholders."""
    fixed = [*PLACEHOLDERS.values(), PLACEHOLDER, "[NAME]"]
    words = sorted({*labels, *fixed}, key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in words if w))


def marked(text: str, labels: Iterable[str]) -> list[tuple[str, bool]]:
    """``text`` cut into pieces, each flagged True when the anonymiser wrote it."""
    pieces: list[tuple[str, bool]] = []
    pos = 0
    for m in replacements(labels).finditer(text):
        if m.start() > pos:
            pieces.append((text[pos : m.start()], False))
        pieces.append((m.group(), True))
        pos = m.end()
    if pos < len(text):
        pieces.append((text[pos:], False))
    return pieces


def possible_names(texts: Sequence[str], known: Iterable[str] = (), limit: int = 30) -> list[str]:
    """Capitalised words left in the anonymised text that could be names: not an English word,
    not a label or a known system, most frequent first.

    Args:
        texts: the anonymised texts (what would be sent).
        known: words already decided (labels, dismissed names, system names).
        limit: at most this many.
    """
    skip = {k.lower() for k in known} | NOT_NAMES | AMBIGUOUS_NAMES | ENGLISH_FUNCTION_WORDS
    counts: dict[str, int] = {}
    for text in texts:
        for line in text.split("\n"):
            for match in _WORD.finditer(line):
                word = match.group(1)
                if len(word) < 3 or word.lower() in skip or ordinary_word(word):
                    continue
                if match.start() == len(line) - len(line.lstrip()):
                    continue  # the first word of a line is capitalised anyway
                counts[word] = counts.get(word, 0) + 1
    return sorted(counts, key=lambda w: (-counts[w], w))[:limit]
