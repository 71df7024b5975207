"""Data shapes of the blamelessness lint: severities, rules (loaded from YAML) and findings.

Plain frozen dataclasses, not pydantic models, so that `postmortem lint` starts quickly; rule
files and configuration are checked where they are read (``loader.py``, ``config.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

from drafting.errors import LintError


class Severity(StrEnum):
    """How strongly a finding asks for a change. ``info`` is the suggestion level."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        """Ordering key: info < warning < error."""
        return _RANK[self]

    @property
    def sarif_level(self) -> str:
        """The SARIF 2.1.0 ``level`` for this severity (``info`` is SARIF's ``note``)."""
        return "note" if self is Severity.INFO else self.value


_RANK = {Severity.INFO: 1, Severity.WARNING: 2, Severity.ERROR: 3}

# "suggestion" is what the blameless guide calls the lowest level; accept it as an alias so rule
# authors and configuration can use either word.
_ALIASES = {"suggestion": Severity.INFO, "note": Severity.INFO}


def parse_severity(value: object) -> Severity:
    """Turn a severity name (``error``, ``warning``, ``info`` or ``suggestion``) into a Severity.

    Raises:
        LintError: the name is not a known severity.
    """
    name = str(value).strip().lower()
    if name in _ALIASES:
        return _ALIASES[name]
    try:
        return Severity(name)
    except ValueError:
        raise LintError(
            f"Unknown lint severity {value!r}: use error, warning or info (suggestion)."
        ) from None


@dataclass(frozen=True, kw_only=True)
class Examples:
    """Texts a rule must flag (``bad``) and must leave alone (``good``); run by the test suite."""

    bad: tuple[str, ...]
    good: tuple[str, ...]


RuleKind = Literal["regex", "five_whys"]
RULE_KINDS: tuple[RuleKind, ...] = ("regex", "five_whys")
SubjectMode = Literal["any", "human", "not_system", "clause_human", "following", "sentence"]
SUBJECT_MODES: tuple[SubjectMode, ...] = (
    "any",
    "human",
    "not_system",
    "clause_human",
    "following",
    "sentence",
)
ProperNouns = Literal["corroborated", "person"]
PROPER_NOUN_MODES: tuple[ProperNouns, ...] = ("corroborated", "person")


@dataclass(frozen=True, kw_only=True)
class Rule:
    """One lint rule as written in ``drafting/lint/rules/*.yml`` (checked by the loader).

    ``subject`` constrains who does the matched action: ``human`` needs a person (pronoun, role
    noun, first name or @handle) as the grammatical subject just before the match, or in the
    pattern's ``who`` group; ``not_system`` also accepts a clause with no subject (terse notes);
    ``clause_human`` accepts a person anywhere earlier in the clause; ``following`` needs a
    person among the first words after the match ("Root cause: the operator ..."); ``sentence``
    needs a person opening the sentence ("The contractor hardcoded ..., which is how ...").
    Every mode but ``following`` and ``sentence`` first takes the agent of a passive ("was
    botched by Olusegun").

    ``proper_nouns`` says what a capitalised subject that no list knows ("Ikaika", "Vitess")
    counts as: ``corroborated`` (the default) counts it as a person only when its sentence says
    so (a he/she pronoun, "Ikaika's typo"); ``person`` always, for acts only people do
    ("forgot to", "did not follow the runbook").
    """

    id: str
    category: str
    severity: Severity
    kind: RuleKind = "regex"
    pattern: str = ""
    keywords: tuple[str, ...] = ()
    subject: SubjectMode = "any"
    proper_nouns: ProperNouns = "corroborated"
    first_person: Severity | None = Severity.INFO
    other_subject: Severity | None = None
    skip_negated: bool = False
    unless: str | None = None
    sections: dict[str, Severity] = field(default_factory=dict)
    message: str
    suggestion: str
    anchor: str = ""
    examples: Examples


@dataclass(frozen=True, kw_only=True)
class Finding:
    """One place where a report's wording assigns blame, with a suggested rewrite.

    Lines and columns are 1-based; ``end_column`` is one past the last matched character on
    ``end_line`` (as in SARIF). ``section`` is the nearest heading above, if any.

    ``heading_path`` is every heading above the finding, outermost first (a finding in a
    heading ends the path with that heading); ``paragraph`` is the 1-based number of the
    paragraph (list item, table row, quote or code block) under the nearest heading, None for a
    heading itself. For HTML, ``line`` is the line of the paragraph's element in the file and
    columns count characters of the paragraph's text; a ``.docx`` has no lines, so ``line`` is
    the paragraph's number in the whole document (see ``documents``).
    """

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    rule: str
    category: str
    severity: Severity
    message: str
    match: str
    suggestion: str
    section: str | None = None
    heading_path: tuple[str, ...] = ()
    paragraph: int | None = None
