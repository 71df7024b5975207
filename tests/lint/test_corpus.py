"""Measured precision and recall of the lint: a labelled sentence set and a corpus of full reports.

Sentences: ``tests/fixtures/lint/labelled.yml``. Reports: ``tests/fixtures/lint/corpus/``, where
each sentence written to be blameful ends with ``<!-- expect-blame -->`` (an HTML comment, so the
lint itself never sees the marker).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from drafting.lint import Severity, lint_text

FIXTURES = Path(__file__).parents[1] / "fixtures" / "lint"
LABELLED = yaml.safe_load((FIXTURES / "labelled.yml").read_text())
CORPUS = sorted(p for p in (FIXTURES / "corpus").iterdir() if p.suffix in (".md", ".txt"))
MARKER = "<!-- expect-blame -->"

# A regression guard at the level measured, not a goal: since 2026-12-02 the set holds
# fresh-2026-12c, merged after its held-out measurement with its misses untuned (recall of any
# finding on the whole set 366/417 = 0.878; it was 0.978 before that merge). The target
# (0.95 at warning level on a fresh batch) is measured on fresh batches, see docs/lint.md.
MIN_RECALL = 0.87
MAX_FALSE_POSITIVE_RATE = 0.05


def test_the_labelled_set_is_large_enough():
    assert len(LABELLED["blameful"]) + len(LABELLED["blameless"]) >= 150
    assert len(LABELLED["blameful"]) >= 60 and len(LABELLED["blameless"]) >= 60


def flagged(sentences: list[str], at_least: Severity = Severity.INFO) -> list[str]:
    """The sentences with at least one finding at ``at_least`` or above.

    The one count behind every recall and false-positive figure in docs/lint.md: the labelled
    set here, and the fresh held-out batches through ``tests/lint/measure_batch.py``.
    """
    return [s for s in sentences if any(f.severity.rank >= at_least.rank for f in lint_text(s))]


def test_recall_on_blameful_sentences():
    found = flagged(LABELLED["blameful"])
    recall = len(found) / len(LABELLED["blameful"])
    assert recall >= MIN_RECALL, [s for s in LABELLED["blameful"] if s not in found]


def test_false_positive_rate_on_blameless_sentences():
    # Any finding counts, even a suggestion: the bar for "keeps it switched on".
    noisy = flagged(LABELLED["blameless"])
    rate = len(noisy) / len(LABELLED["blameless"])
    assert rate <= MAX_FALSE_POSITIVE_RATE, noisy


@pytest.mark.parametrize("sentence", LABELLED["self"])
def test_first_person_self_reports_get_at_most_a_suggestion(sentence):
    assert all(f.severity is Severity.INFO for f in lint_text(sentence))


def test_the_corpus_has_thirty_reports_in_varied_styles():
    texts = [p.read_text() for p in CORPUS]
    assert len(texts) >= 30
    assert sum("\n> " in t for t in texts) >= 4  # chat appendices in block quotes
    assert sum("```" in t for t in texts) >= 4  # code blocks
    assert sum("\n|" in t for t in texts) >= 10  # tables
    assert any(p.suffix == ".txt" for p in CORPUS)


def _findings_by_line(path: Path) -> dict[int, list[Severity]]:
    out: dict[int, list[Severity]] = {}
    for f in lint_text(path.read_text(), path=path.name):
        out.setdefault(f.line, []).append(f.severity)
    return out


# The marker ends a sentence that may have wrapped over the lines just above it.
WRAP = 2


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_corpus_findings_are_exactly_the_marked_blameful_sentences(path):
    lines = path.read_text().split("\n")
    marked = {n for n, line in enumerate(lines, 1) if MARKER in line}
    found = _findings_by_line(path)
    missed = sorted(m for m in marked if not any(m - WRAP <= n <= m for n in found))
    assert not missed, f"marked blameful lines without a finding: {missed}"
    noisy = sorted(
        n
        for n, severities in found.items()
        if max(s.rank for s in severities) > Severity.INFO.rank
        and not any(n <= m <= n + WRAP for m in marked)
    )
    assert not noisy, f"warnings or errors on lines not marked blameful: {noisy}"


def test_corpus_findings_stay_few():
    total = sum(len(lint_text(p.read_text())) for p in CORPUS)
    marked = sum(p.read_text().count(MARKER) for p in CORPUS)
    assert total <= marked + len(CORPUS) // 3
