"""Support for model rewrites of a flagged sentence: the sentence to send, the structured output
shape, and the check that the rewrite itself passes the lint. Pure: the model call lives in
``drafting.review.rewrite``, through a client guarded by the incident's roster.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from drafting.lint.config import LintConfig
from drafting.lint.engine import lint_text
from drafting.lint.subject import sentence_bounds
from drafting.lint.types import Finding, Severity


class SentenceRewrite(BaseModel):
    """The structured output asked of the model for one flagged sentence."""

    rewrite: str = Field(
        min_length=1,
        description=(
            "The sentence rewritten in blameless language: describe what happened and the "
            "conditions that made it possible, with a system, tool or process as the subject. "
            "Keep every fact, time and number; add none; name no person."
        ),
    )


def _offset(text: str, line: int, column: int) -> int:
    lines = text.split("\n")
    return sum(len(x) + 1 for x in lines[: line - 1]) + column - 1


def flagged_sentence(text: str, finding: Finding) -> str:
    """The whole sentence (or table cell) of ``text`` that holds ``finding``, trimmed."""
    start = _offset(text, finding.line, finding.column)
    end = _offset(text, finding.end_line, finding.end_column)
    lo, hi = sentence_bounds(text, start, end)
    return " ".join(text[lo:hi].split()).strip("| ")


def rewrite_problems(
    rewrite: str, *, config: LintConfig | None = None, at: Severity = Severity.WARNING
) -> list[Finding]:
    """Findings at or above ``at`` in a proposed rewrite; empty means it may be offered."""
    return [f for f in lint_text(rewrite, config=config) if f.severity.rank >= at.rank]
