"""Totals only for a labelled batch, so a held-out batch can be measured without reading it.

    .venv/bin/python tests/lint/measure_batch.py tests/fixtures/lint/fresh-2026-12c.yml

Prints recall and false positives at warning level (a finding at warning or error) and counting
any finding (info too), with the count of ``test_corpus.flagged``; never a sentence.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).parent))

from test_corpus import flagged  # a helper of the test module (tests/lint is not a package)

from drafting.lint import Severity


def main(path: str) -> None:
    """Print the totals for the batch at ``path``."""
    batch = yaml.safe_load(Path(path).read_text())
    bad, good = batch["blameful"], batch["blameless"]
    for name, level in (("warning level", Severity.WARNING), ("any finding", Severity.INFO)):
        hits, noise = len(flagged(bad, level)), len(flagged(good, level))
        print(
            f"{name}: recall {hits}/{len(bad)} = {hits / len(bad):.3f}; "
            f"false positives {noise}/{len(good)} = {noise / len(good):.3f}"
        )


if __name__ == "__main__":
    main(sys.argv[1])
