"""The library summary: counts, the top ten reports, root causes that end at a person."""

from __future__ import annotations

import pytest

from drafting.lint.documents import Report
from drafting.lint.fivewhys import root_cause_ends_at_person
from drafting.lint.library import lint_library, summarise
from drafting.lint.scope import iter_blocks
from drafting.lint.subject import load_lexicon

CHAIN = "## 5 Whys\n\n1. Why? Because the site was down.\n2. Why? Because the cert expired.\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("## Root Cause\n\nThe on-call engineer forgot to renew.\n", True),
        ("Root cause: the engineer ran the wrong command.\n", True),
        ("## Root Cause\n\nHuman error.\n", True),
        ("## Root Cause\n\nThe renewal job had no alert.\n", False),
        ("## Root Cause\n\n> [10:02] bob: he forgot\n\nThe job had no alert.\n", False),
        (CHAIN + "3. Why? Because Bob forgot to renew it.\n", True),
        (CHAIN + "3. Why? Because renewal was a manual step.\n", False),
        ("## Summary\n\nThe engineer forgot to renew.\n", False),
    ],
)
def test_root_cause_ends_at_person(text: str, expected: bool) -> None:
    assert root_cause_ends_at_person(iter_blocks(text), load_lexicon()) is expected


def test_summary_ranks_the_ten_reports_with_most_findings_ties_by_path() -> None:
    reports = [Report(f"r{i:02}.md", "Bob was careless.\n" * i) for i in range(13)]
    summary = summarise(lint_library(reports))
    assert summary.reports == 13 and summary.findings == sum(range(13))
    assert [p for p, _ in summary.top_reports] == [f"r{i:02}.md" for i in range(12, 2, -1)]
    assert summary.rules == {"BL-E01": 78} and summary.categories == {"judgement": 78}
    assert summary.severities == {"error": 78, "warning": 0, "info": 0}
    assert summary.ends_at_person == ()


def test_summary_of_clean_reports_is_all_zero() -> None:
    summary = summarise(lint_library([Report("a.md", "The cache was stale.\n")]))
    assert (summary.findings, summary.rules, summary.top_reports) == (0, {}, ())
