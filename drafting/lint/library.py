"""A view across a whole library of reports: what kinds of blame, where, and how often. Pure.

How a team sees whether its writing culture is improving: counts per rule, category and
severity over every report, the reports with the most findings, and how many reports end their
5 Whys or root cause at a person (the 5 Whys check's own detector, ``fivewhys``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from drafting.lint.config import LintConfig
from drafting.lint.documents import Report, lint_report
from drafting.lint.engine import ruleset_for
from drafting.lint.fivewhys import root_cause_ends_at_person
from drafting.lint.scope import iter_blocks
from drafting.lint.types import Finding, Severity

TOP_REPORTS = 10
_BY_RANK = sorted(Severity, key=lambda s: -s.rank)  # error, warning, info


@dataclass(frozen=True)
class ReportResult:
    """One report's findings, and whether its 5 Whys or root cause ends at a person."""

    path: str
    findings: tuple[Finding, ...]
    ends_at_person: bool


@dataclass(frozen=True)
class LibrarySummary:
    """Counts over a library. Mappings are ordered most frequent first, then by name."""

    reports: int
    findings: int
    severities: dict[str, int]
    rules: dict[str, int]
    categories: dict[str, int]
    top_reports: tuple[tuple[str, int], ...]
    ends_at_person: tuple[str, ...]


def lint_library(reports: Iterable[Report], config: LintConfig | None = None) -> list[ReportResult]:
    """Lint each report and check where its root cause ends."""
    lex = ruleset_for(config or LintConfig()).lexicon
    return [
        ReportResult(
            r.path,
            tuple(lint_report(r, config)),
            root_cause_ends_at_person(iter_blocks(r.markdown), lex),
        )
        for r in reports
    ]


def _ranked(counts: Counter[str]) -> dict[str, int]:
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def summarise(results: Sequence[ReportResult]) -> LibrarySummary:
    """The library's counts; ``top_reports`` holds up to ten reports that have findings."""
    every = [f for r in results for f in r.findings]
    by_report = sorted(
        ((r.path, len(r.findings)) for r in results if r.findings), key=lambda pc: (-pc[1], pc[0])
    )
    return LibrarySummary(
        reports=len(results),
        findings=len(every),
        severities={s.value: sum(f.severity is s for f in every) for s in _BY_RANK},
        rules=_ranked(Counter(f.rule for f in every)),
        categories=_ranked(Counter(f.category for f in every)),
        top_reports=tuple(by_report[:TOP_REPORTS]),
        ends_at_person=tuple(r.path for r in results if r.ends_at_person),
    )
