"""Behaviour of the blamelessness lint engine: precision checks, scoping, sections, suppression,
configuration and positions."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drafting.errors import LintError
from drafting.lint import Finding, LintConfig, Severity, lint_text, load_config
from drafting.lint.rewrite import SentenceRewrite, flagged_sentence, rewrite_problems
from drafting.lint.scope import iter_blocks


def _rules(text: str, config: LintConfig | None = None) -> list[str]:
    return [f.rule for f in lint_text(text, config=config)]


def _one(text: str, config: LintConfig | None = None) -> Finding:
    findings = lint_text(text, config=config)
    assert len(findings) == 1, findings
    return findings[0]


# --- precision: who is the subject, and is it a use or a mention -----------------------------


def test_a_person_failing_is_flagged_but_a_system_failing_is_not():
    assert _rules("The on-call engineer failed to escalate.") == ["BL-D01"]
    assert _rules("The job failed to upload logs.") == []


def test_names_handles_and_pronouns_count_as_people():
    for subject in ("Priya", "@mike_j", "She", "Nobody"):
        assert "BL-D01" in _rules(f"{subject} failed to page the database team."), subject


def test_product_names_on_the_accept_list_are_not_people():
    assert _rules("Jenkins failed to archive the artefacts.") == []
    assert _rules("Prow failed to merge the PR.") == []


def test_configured_names_and_accepted_products_change_who_counts_as_a_person():
    text = "Vexmora failed to rotate the keys."  # in no list of names
    assert _rules(text) == []
    assert _rules(text, LintConfig(names=("Vexmora",))) == ["BL-D01"]
    assert _rules("Alice failed to rotate the keys.", LintConfig(accept_names=("Alice",))) == []


def test_meta_and_negated_mentions_of_human_error_are_not_flagged():
    assert _rules("Human error is never a root cause.") == []
    assert _rules("This was not human error; the tool allowed it.") == []
    assert _rules("We avoid labels like 'human error' in these reviews.") == []
    assert _rules("This was human error.") == ["BL-B01"]


def test_quoted_examples_of_what_not_to_write_are_skipped():
    assert _rules('Avoid: "This happened because John pushed bad code." Prefer the system.') == []
    assert _rules("Avoid: “Tom forgot to renew it.”") == []
    assert _rules('The "quick" fix: John pushed bad code.') == ["BL-A02"]


def test_technical_senses_of_judgement_words_are_not_flagged():
    assert _rules("The lazy-loaded extension failed to initialise.") == []
    assert _rules("The edge nodes act as dumb pipes.") == []
    assert _rules("The on-call was lazy about the alerts.") == ["BL-E01"]


def test_clearly_about_a_dashboard_is_fine_but_about_a_person_is_not():
    assert _rules("The dashboard clearly showed the problem.") == []
    assert _rules("The engineer clearly did not understand the cache.") == ["BL-F07"]


def test_first_person_self_reports_are_at_most_a_suggestion():
    for text in (
        "I forgot to update the runbook.",
        "We failed to notice the alert.",
        "I made a mistake when editing the file.",
        "We should have checked the target cluster.",
    ):
        findings = lint_text(text)
        assert findings, text
        assert all(f.severity is Severity.INFO for f in findings), text


# --- scoping: quotes, code, comments ------------------------------------------------------------


REPORT_WITH_CHAT = """## Timeline

> [14:46] bob: clearly, we need CI for our CI
> [14:47] carol: he should have checked the cluster

```
# careless comment in code: someone forgot to set lazy=True
```

The fix used `forgot_to_flush()` and <!-- the engineer forgot to --> was deployed.
"""


def test_quoted_chat_code_inline_code_and_comments_are_skipped_by_default():
    assert lint_text(REPORT_WITH_CHAT) == []


def test_lazy_continuation_lines_of_a_quote_stay_quoted():
    text = (
        "> stevekuznetsov [4:54 PM]\nobviously he should have waited\n\n"
        "> fejta [5:21 PM]\nWe really ought not to have refactored every binary at once.\n"
    )
    assert lint_text(text) == []
    assert lint_text(text + "\nObviously he should have waited.\n") != []


def test_include_quoted_lints_chat_and_code_blocks():
    rules = _rules(REPORT_WITH_CHAT, LintConfig(include_quoted=True))
    assert "BL-C01" in rules  # "he should have checked" in the chat
    assert "BL-E01" in rules  # "careless" in the code block


# --- sections and severities --------------------------------------------------------------------


def test_section_escalates_a_person_as_cause_under_root_cause():
    text = "The responder failed to escalate."
    assert _one(text).severity is Severity.WARNING
    escalated = _one(f"# Incident\n\n## Root Cause\n\n{text}\n")
    assert escalated.severity is Severity.ERROR
    assert escalated.section == "Root Cause"


def test_terse_label_lines_set_the_section():
    findings = lint_text("Root cause: the responder failed to escalate in time.\n")
    assert {(f.rule, f.severity) for f in findings} == {
        ("BL-A10", Severity.ERROR),  # a person right after "Root cause:"
        ("BL-D01", Severity.ERROR),  # "failed to", escalated by the Root cause label
    }


def test_configured_severity_overrides_the_rule():
    config = LintConfig(severity={"BL-D01": Severity.INFO})
    assert _one("## Root Cause\n\nThe SRE failed to page.", config).severity is Severity.INFO


def test_disabled_rules_do_not_run_and_enable_selects_rules():
    text = "Obviously the engineer failed to escalate."
    assert set(_rules(text)) == {"BL-F01", "BL-D01"}
    assert _rules(text, LintConfig(disable=("BL-F01",))) == ["BL-D01"]
    assert _rules(text, LintConfig(enable=("BL-F01",))) == ["BL-F01"]


def test_unknown_rule_ids_in_configuration_are_an_error():
    with pytest.raises(LintError, match="BL-Q99"):
        lint_text("text", config=LintConfig(disable=("BL-Q99",)))


# --- suppression ---------------------------------------------------------------------------------


def test_ignore_comment_suppresses_only_the_next_block():
    text = (
        "<!-- blameless-lint ignore -->\nThe engineer failed to escalate.\n\n"
        "The operator failed to escalate.\n"
    )
    assert [f.line for f in lint_text(text)] == [4]


def test_ignore_comment_with_rule_ids_suppresses_only_those_rules():
    text = "<!-- blameless-lint ignore BL-F01 -->\nObviously the engineer failed to escalate.\n"
    assert _rules(text) == ["BL-D01"]


def test_disable_and_enable_regions():
    text = (
        "<!-- blameless-lint disable BL-D01 -->\n\nThe SRE failed to page.\n\n"
        "Obviously it broke.\n\n<!-- blameless-lint enable BL-D01 -->\n\nThe SRE failed to page.\n"
    )
    assert [(f.rule, f.line) for f in lint_text(text)] == [("BL-F01", 5), ("BL-D01", 9)]


def test_off_and_on_switch_every_rule():
    text = (
        "<!-- blameless-lint off -->\nHe forgot to renew it.\n<!-- blameless-lint on -->\n\n"
        "He forgot to renew it.\n"
    )
    assert [f.line for f in lint_text(text)] == [5]


# --- 5 Whys --------------------------------------------------------------------------------------

CHAIN = """## 5 Whys

1. Why did checkout fail? The database was read-only.
2. Why was it read-only? The disk filled up.
3. Why did the disk fill up? Logs were not rotated.
4. Why were logs not rotated? {last}
"""


def test_five_whys_ending_at_a_person_is_flagged_on_the_last_answer():
    text = CHAIN.format(last="Because the operator did not enable rotation.")
    (finding,) = [f for f in lint_text(text) if f.rule == "BL-H02"]
    assert finding.line == 6
    assert finding.match == "the operator did not enable rotation."


def test_five_whys_ending_at_the_system_is_not_flagged():
    text = CHAIN.format(last="The rotation job had no alert when it stopped.")
    assert lint_text(text) == []


def test_five_whys_ending_at_we_had_no_monitoring_is_not_blame():
    text = CHAIN.format(last="We had no alert on the rotation job.")
    assert "BL-H02" not in _rules(text)


def test_a_numbered_list_outside_root_cause_is_not_a_five_whys_chain():
    text = CHAIN.replace("## 5 Whys", "## Timeline").format(last="Alice paged the DBA.")
    assert "BL-H02" not in _rules(text)


# --- positions -----------------------------------------------------------------------------------


def test_positions_are_one_based_and_end_column_is_exclusive():
    text = "# Title\n\nIntro line.\nThen Bob forgot to renew the certificate.\n"
    finding = _one(text)
    line = text.split("\n")[finding.line - 1]
    assert (finding.line, finding.column) == (4, 10)
    assert line[finding.column - 1 : finding.end_column - 1] == "forgot to"
    assert finding.match == "forgot to"


def test_a_match_spanning_a_hard_wrapped_line_reports_its_end_line():
    finding = _one("The engineer did not follow the\nrunbook during the failover.\n")
    assert (finding.line, finding.end_line, finding.end_column) == (1, 2, 8)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "The SRE failed to page.",
                "Obviously",
                "human error",
                "> quoted",
                "```",
                "## Root Cause",
                "1. Why?",
                "`code`",
                "<!--",
                "-->",
                "\n",
                " ",
                "Alice",
                "forgot to",
                "|",
                "**",
                "é",
            ]
        )
        | st.text(max_size=20),
        max_size=30,
    ).map("".join)
)
def test_every_finding_points_at_its_own_text(text):
    lines = text.replace("’", "'").split("\n")
    for f in lint_text(text):
        assert 1 <= f.line <= f.end_line <= len(lines)
        if f.line == f.end_line:
            found = lines[f.line - 1][f.column - 1 : f.end_column - 1]
            assert " ".join(found.split()) == f.match
        assert f.suggestion


# --- configuration file --------------------------------------------------------------------------


def test_load_config_reads_the_nearest_pyproject(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[tool.postmortem.lint]\ndisable = ["bl-f01"]\nseverity = { BL-D01 = "suggestion" }\n'
        'accept_names = ["Mabel"]\nfail_on = "warning"\n'
    )
    nested = tmp_path / "docs" / "postmortems"
    nested.mkdir(parents=True)
    config = load_config(nested)
    assert config.disable == ("BL-F01",)
    assert config.severity == {"BL-D01": Severity.INFO}
    assert config.fail_on is Severity.WARNING
    assert "Mabel" in config.accept_names


def test_load_config_without_a_table_gives_defaults(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    assert load_config(tmp_path) == LintConfig()


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ("[tool.postmortem.lint]\nunknown = 1\n", "unknown"),
        ('[tool.postmortem.lint]\nseverity = { BL-D01 = "fatal" }\n', "fatal"),
        ("[tool.postmortem.lint\n", "TOML"),
    ],
)
def test_invalid_configuration_is_one_clear_error(tmp_path, body, fragment):
    (tmp_path / "pyproject.toml").write_text(body)
    with pytest.raises(LintError, match=fragment):
        load_config(tmp_path)


# --- model rewrites ------------------------------------------------------------------------------


def test_flagged_sentence_is_the_whole_wrapped_sentence():
    text = (
        "## Root Cause\n\nThe disk filled. The on-call engineer\nfailed to escalate in time. OK.\n"
    )
    finding = next(f for f in lint_text(text) if f.rule == "BL-D01")
    assert flagged_sentence(text, finding) == "The on-call engineer failed to escalate in time."


def test_a_rewrite_must_itself_pass_the_lint():
    schema = SentenceRewrite.model_json_schema()
    assert schema["required"] == ["rewrite"]
    assert rewrite_problems("Escalation happened 40 minutes after the first page.") == []
    assert [f.rule for f in rewrite_problems("The engineer forgot to escalate.")] == ["BL-D02"]
    assert rewrite_problems("I forgot to escalate.") == []  # a suggestion, below the bar


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "# H",
                "> q",
                "```",
                "~~~",
                "| a | b |",
                "|---|",
                "- item",
                "1. one",
                "    code",
                "<!-- c",
                "-->",
                "<!-- blameless-lint off -->",
                "text `x` **y**",
                "Root cause: z",
                "",
            ]
        )
        | st.text(alphabet=st.characters(blacklist_characters="\n"), max_size=15),
        max_size=25,
    )
)
def test_blocks_keep_every_line_aligned_with_the_input(lines):
    text = "\n".join(lines)
    previous_end = 0
    for block in iter_blocks(text):
        assert block.line > previous_end  # blocks are disjoint and in order
        pairs = zip(block.raw.split("\n"), block.text.split("\n"), strict=True)
        for offset, (raw, clean) in enumerate(pairs):
            original = lines[block.line - 1 + offset]
            assert len(raw) == len(original) == len(clean)  # columns map back one to one
        previous_end = block.line + block.raw.count("\n")
