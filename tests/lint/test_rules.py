"""Every lint rule carries its own examples; this runs them all (a rule without examples fails)."""

from __future__ import annotations

from pathlib import Path

import pytest

from drafting.errors import LintError
from drafting.lint import LintConfig, lint_text, load_rules
from drafting.lint.loader import compile_rule, parse_rules

RULES = [c.rule for c in load_rules()]


def _rule_ids(text: str) -> set[str]:
    return {f.rule for f in lint_text(text)}


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_flags_every_bad_example(rule):
    for example in rule.examples.bad:
        assert rule.id in _rule_ids(example), f"{rule.id} missed: {example!r}"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_leaves_every_good_example_alone(rule):
    for example in rule.examples.good:
        assert rule.id not in _rule_ids(example), f"{rule.id} flagged: {example!r}"


def test_every_category_of_the_issue_has_rules():
    categories = {r.category for r in RULES}
    assert categories >= {
        "person-as-cause",
        "human-error",
        "counterfactual",
        "omission",
        "judgement",
        "hindsight",
        "punishment",
        "framing",
    }


def test_a_rule_without_examples_is_rejected():
    text = (
        "- {id: BL-Z01, category: x, severity: error, pattern: x, keywords: [x], message: m,"
        " suggestion: s}"
    )
    with pytest.raises(LintError, match=r"examples"):
        parse_rules(text, "bad.yml")


def test_a_rule_with_only_good_examples_is_rejected():
    text = (
        "- {id: BL-Z01, category: x, severity: error, pattern: x, keywords: [x], message: m,"
        " suggestion: s, examples: {bad: [], good: [fine]}}"
    )
    with pytest.raises(LintError, match=r"examples"):
        parse_rules(text, "bad.yml")


def test_an_invalid_regex_is_reported_with_the_rule_id():
    text = (
        "- {id: BL-Z01, category: x, severity: error, pattern: '(', keywords: [x], message: m,"
        " suggestion: s, examples: {bad: [x], good: [y]}}"
    )
    (rule,) = parse_rules(text, "bad.yml")
    with pytest.raises(LintError, match="BL-Z01"):
        compile_rule(rule)
    lazy = compile_rule(rule, lazy=True)  # how load_rules() prepares rules: compiled on first use
    with pytest.raises(LintError, match="BL-Z01 has an invalid pattern regex"):
        _ = lazy.regex


def test_every_packaged_rule_regex_compiles():
    # load_rules() compiles a rule's regexes only when its keywords occur; compile them all here.
    for compiled in load_rules():
        compile_rule(compiled.rule)


def test_every_rule_has_a_message_suggestion_and_anchor():
    for rule in RULES:
        assert rule.message and rule.suggestion and rule.anchor, rule.id


def test_bad_examples_still_fire_when_only_that_rule_is_enabled():
    # The keyword prefilter must never hide a rule's own examples.
    for rule in RULES:
        config = LintConfig(enable=(rule.id,))
        for example in rule.examples.bad:
            assert any(f.rule == rule.id for f in lint_text(example, config=config)), rule.id


def test_every_rule_is_documented():
    doc = (Path(__file__).parents[2] / "docs" / "lint.md").read_text()
    missing = [r.id for r in RULES if f"| {r.id} |" not in doc]
    assert not missing, f"add these rules to the table in docs/lint.md: {missing}"
