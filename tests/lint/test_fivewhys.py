"""The one "ends at a person" detector: the lint's 5 Whys rule, verify and the re-ask share it."""

from __future__ import annotations

import pytest

from drafting.lint import ends_at_person, lint_text, load_rules

LABELS = ["Responder B", "On-call SRE"]


@pytest.mark.parametrize(
    "answer",
    [
        "Human error during the deploy.",
        "Responder B forgot to set the variable.",
        "Because the engineer made a mistake.",
        "On-call SRE did not check the manifest.",
        "Operator error was the root cause.",
        "She skipped the checklist.",
        "@mike_j pushed the change without review.",
    ],
)
def test_an_answer_ending_at_a_person_or_human_error_is_detected(answer: str) -> None:
    assert ends_at_person(answer, LABELS)


@pytest.mark.parametrize(
    "answer",
    [
        "The pipeline has no config validation step.",
        "User error rates rose to 4% during the incident.",
        "This was not human error; the tool allowed it.",
        "The deploy tool accepts a production target without confirmation.",
    ],
)
def test_an_answer_ending_at_a_system_gap_passes(answer: str) -> None:
    assert not ends_at_person(answer, LABELS)


def test_the_detector_agrees_with_rule_bl_b01_on_its_own_examples() -> None:
    (rule,) = [c.rule for c in load_rules() if c.rule.id == "BL-B01"]
    for bad in rule.examples.bad:
        assert ends_at_person(bad), bad
    for good in rule.examples.good:
        assert not ends_at_person(good), good


def test_a_report_whose_whys_end_at_a_person_is_flagged_by_rule_bl_h02() -> None:
    report = (
        "## Root Cause\n\n1. Why did the job fail? The config was empty.\n"
        "2. Why was it empty? The variable was unset.\n"
        "3. Why was it unset? The engineer forgot to set it.\n"
    )
    assert [f.rule for f in lint_text(report) if f.rule == "BL-H02"] == ["BL-H02"]
    fixed = report.replace("The engineer forgot to set it.", "The pipeline has no check for it.")
    assert not [f for f in lint_text(fixed) if f.rule == "BL-H02"]
