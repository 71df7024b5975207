"""Lint benchmark: the blamelessness lint against proselint over the same corpus, in one run.

Lints every report in ``tests/fixtures/lint/corpus`` with the full rule set, then runs proselint
(the baseline, default checks, no cap on findings) over the same texts, and prints MB/s for both
and the ratio. Targets: at least 2 MB/s and at least 10x proselint's throughput.

    .venv/bin/python bench/lint.py [--repeat N] [--min-seconds S]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path

from proselint.checks import __register__
from proselint.config import DEFAULT, Config
from proselint.registry import CheckRegistry
from proselint.tools import LintFile

from drafting.lint import lint_text

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "lint" / "corpus"
TARGET_MB_S = 2.0
TARGET_RATIO = 10.0


def load_corpus() -> list[tuple[str, str]]:
    """(name, text) for every report in the corpus."""
    return [
        (p.name, p.read_text()) for p in sorted(CORPUS.iterdir()) if p.suffix in (".md", ".txt")
    ]


def measure(run: Callable[[], int], size: int, min_seconds: float) -> tuple[float, float, int]:
    """Throughput of ``run`` over ``size`` bytes, repeated for at least ``min_seconds``.

    Returns MB/s by wall clock, MB/s by this process's CPU time (steadier when other work
    shares the machine), and the number of findings of one pass.
    """
    run()  # warm-up: compiles and caches regexes on both sides
    rounds, findings = 0, 0
    wall, cpu = time.perf_counter(), time.process_time()
    while True:
        findings = run()
        rounds += 1
        elapsed = time.perf_counter() - wall
        if elapsed >= min_seconds:
            used = time.process_time() - cpu
            return size * rounds / elapsed / 1e6, size * rounds / used / 1e6, findings


def ours(texts: list[tuple[str, str]]) -> Callable[[], int]:
    """One pass of the blamelessness lint over every text."""
    return lambda: sum(len(lint_text(text, path=name)) for name, text in texts)


def proselint(texts: list[tuple[str, str]]) -> Callable[[], int]:
    """One pass of proselint's default checks over every text, with no cap on results."""
    CheckRegistry().register_many(__register__)
    config = Config(max_errors=10**9, checks=DEFAULT["checks"])
    return lambda: sum(len(LintFile(name, text).lint(config)) for name, text in texts)


def main() -> None:
    """Run both linters and print throughput and the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="concatenate the corpus N times")
    parser.add_argument("--min-seconds", type=float, default=3.0)
    args = parser.parse_args()
    texts = load_corpus() * args.repeat
    size = sum(len(t.encode()) for _, t in texts)
    print(f"corpus: {len(texts)} reports, {size / 1e3:.1f} kB")
    base_wall, base_cpu, base_findings = measure(proselint(texts), size, args.min_seconds)
    wall, cpu, findings = measure(ours(texts), size, args.min_seconds)
    print(f"{'':22}{'wall MB/s':>10}{'CPU MB/s':>10}  findings")
    print(f"{'proselint (baseline)':22}{base_wall:10.3f}{base_cpu:10.3f}  {base_findings}")
    print(f"{'blameless-lint':22}{wall:10.3f}{cpu:10.3f}  {findings}")
    ratio_wall, ratio_cpu = wall / base_wall, cpu / base_cpu
    print(f"ratio vs proselint: {ratio_wall:.1f}x (wall), {ratio_cpu:.1f}x (CPU)")
    ok = cpu >= TARGET_MB_S and ratio_cpu >= TARGET_RATIO
    verdict = "met" if ok else "NOT met"
    print(f"targets (>= {TARGET_MB_S} MB/s, >= {TARGET_RATIO:.0f}x, by CPU time): {verdict}")


if __name__ == "__main__":
    main()
