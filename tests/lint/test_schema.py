"""The checks that stand in for pydantic at the lint's data boundaries: each failure names where
the bad value is and what is wrong with it."""

from __future__ import annotations

import pytest

from drafting.errors import LintError
from drafting.lint import schema
from drafting.lint.config import config_from_mapping
from drafting.lint.loader import parse_rules
from drafting.lint.schema import Invalid
from drafting.lint.types import Severity

RULE = (
    "- {id: BL-Z01, category: x, severity: error, pattern: x, keywords: [x], message: m,"
    " suggestion: s, examples: {bad: [x], good: [y]}%s}"
)


def test_an_unknown_key_is_named_with_the_known_ones():
    with pytest.raises(Invalid) as err:
        schema.keys({"colour": 1}, ("enable", "disable"), (), "lint")
    assert err.value.where == "lint.colour"
    assert "enable, disable" in err.value.problem


def test_the_first_missing_key_in_declared_order_is_named():
    with pytest.raises(Invalid) as err:
        schema.keys({}, ("id", "category"), ("id", "category"), "rule 1")
    assert err.value.where == "rule 1.id"


def test_a_list_item_of_the_wrong_type_is_named_by_its_index():
    assert schema.texts(["a", "b"], "names") == ("a", "b")
    with pytest.raises(Invalid) as err:
        schema.texts(["a", 3], "names")
    assert err.value.where == "names.1" and "int" in err.value.problem


def test_severity_names_and_the_suggestion_alias_are_accepted():
    assert schema.severity("Suggestion", "x") is Severity.INFO
    assert schema.severities({"BL-D01": "warning"}, "s") == {"BL-D01": Severity.WARNING}
    with pytest.raises(Invalid, match="fatal"):
        schema.severity("fatal", "x")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (", colour: red", "bad.yml is invalid at BL-Z01.colour: no such key"),
        (", subject: someone", "invalid at BL-Z01.subject: must be one of any, human"),
        (", keywords: x", "invalid at BL-Z01.keywords: must be a list of strings, not str."),
        (", skip_negated: maybe", "invalid at BL-Z01.skip_negated: must be true or false"),
        (", sections: {root-cause: fatal}", "at BL-Z01.sections.root-cause: 'fatal' is not"),
    ],
)
def test_a_bad_rule_is_one_sentence_naming_the_rule_and_key(extra, message):
    with pytest.raises(LintError, match=message):
        parse_rules(RULE % extra, "bad.yml")


def test_a_rule_without_a_valid_id_is_named_by_its_position():
    with pytest.raises(LintError, match=r"at rule 2\.id: 'BL-1' is not a rule id"):
        parse_rules((RULE % "") + "\n" + (RULE % "").replace("BL-Z01", "BL-1"), "bad.yml")


def test_configuration_is_built_with_upper_case_ids_and_severities():
    config = config_from_mapping(
        {"enable": ["bl-f01"], "severity": {"bl-d01": "suggestion"}, "fail_on": "warning"}
    )
    assert config.enable == ("BL-F01",)
    assert config.severity == {"BL-D01": Severity.INFO}
    assert config.fail_on is Severity.WARNING


PREFIX = "Lint configuration in pyproject.toml is invalid "


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"enable": "BL-F01"}, "at enable: must be a list of strings"),
        ({"include_quoted": "yes"}, "at include_quoted: must be true or false"),
        ({"severity": ["BL-D01"]}, "at severity: must be a table"),
    ],
)
def test_bad_configuration_is_one_sentence_naming_the_key(table, message):
    with pytest.raises(LintError, match=f"^{PREFIX}{message}"):
        config_from_mapping(table, "pyproject.toml")
