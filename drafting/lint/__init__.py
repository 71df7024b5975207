"""The blamelessness lint: finds blameful wording in postmortems and suggests rewrites.

Severities are ``error``, ``warning`` and ``info`` (``info`` is the suggestion level; SARIF
calls it ``note``). Rules are data in ``drafting/lint/rules/*.yml``.
"""

from drafting.lint.config import LintConfig, load_config
from drafting.lint.engine import lint_text
from drafting.lint.fivewhys import ends_at_person
from drafting.lint.loader import load_rules
from drafting.lint.types import Finding, Rule, Severity

__all__ = [
    "Finding",
    "LintConfig",
    "Rule",
    "Severity",
    "ends_at_person",
    "lint_text",
    "load_config",
    "load_rules",
]
