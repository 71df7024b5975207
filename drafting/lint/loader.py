"""Loading the lint rules from ``drafting/lint/rules/*.yml``, checking them, and compiling
their regexes once, when first needed."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import MISSING, dataclass, fields
from functools import cached_property, lru_cache

from drafting.errors import LintError
from drafting.lint import schema
from drafting.lint.packaged import PACKAGE_DIR, load_yaml, packaged_data
from drafting.lint.schema import Invalid
from drafting.lint.types import (
    PROPER_NOUN_MODES,
    RULE_KINDS,
    SUBJECT_MODES,
    Examples,
    Rule,
    Severity,
)

FLAGS = re.IGNORECASE
RULE_ID = re.compile(r"^BL-[A-Z]\d{2}$")
_FIELDS = tuple(f.name for f in fields(Rule))
_REQUIRED = tuple(
    f.name for f in fields(Rule) if f.default is MISSING and f.default_factory is MISSING
)
__all__ = [
    "PACKAGE_DIR",
    "CompiledRule",
    "compile_rule",
    "load_rules",
    "load_yaml",
    "parse_rules",
]


@dataclass(frozen=True)
class CompiledRule:
    """A rule with its regular expressions, each compiled on first use (then kept).

    Compiling every rule costs more than a short report takes to lint, and the keyword prefilter
    means most runs need only a few rules, so a rule's regexes compile when it first could match.
    """

    rule: Rule

    @cached_property
    def regex(self) -> re.Pattern[str] | None:
        """The rule's pattern; None for a rule that is not a regex rule (the 5 Whys check).

        Raises:
            LintError: the pattern does not compile.
        """
        if self.rule.kind != "regex":
            return None
        return _compile(self.rule, self.rule.pattern, "pattern")

    @cached_property
    def unless(self) -> re.Pattern[str] | None:
        """The rule's ``unless`` expression, if any.

        Raises:
            LintError: the expression does not compile.
        """
        return _compile(self.rule, self.rule.unless, "unless") if self.rule.unless else None

    @cached_property
    def who_groups(self) -> tuple[str, ...]:
        """Named groups of the pattern that hold the person ("who", "who_inverted")."""
        names = self.regex.groupindex if self.regex else {}
        return tuple(name for name in names if name.startswith("who"))


def _compile(rule: Rule, text: str, what: str) -> re.Pattern[str]:
    try:
        return re.compile(text, FLAGS)
    except re.error as err:
        raise LintError(f"Lint rule {rule.id} has an invalid {what} regex: {err}.") from None


def compile_rule(rule: Rule, *, lazy: bool = False) -> CompiledRule:
    """Check a rule and wrap it for the engine, compiling its regexes now unless ``lazy``.

    Raises:
        LintError: a regex rule lacks a pattern or keywords, or (not ``lazy``) a regular
            expression does not compile.
    """
    if rule.kind == "regex" and not (rule.pattern and rule.keywords):
        raise LintError(f"Lint rule {rule.id} needs both a pattern and keywords.")
    compiled = CompiledRule(rule)
    if not lazy:
        _ = compiled.regex, compiled.unless
    return compiled


def parse_rules(text: str, source: str) -> list[Rule]:
    """Parse one YAML rule file (a list of rules).

    Raises:
        LintError: the YAML is malformed or a rule does not validate.
    """
    import yaml  # only for a rule file given as text: packaged rules come parsed

    try:
        raw = load_yaml(text)
    except yaml.YAMLError as err:
        raise LintError(f"Lint rule file {source} is not valid YAML: {err}.") from None
    return _rules_from(raw, source)


def _rules_from(raw: object, source: str) -> list[Rule]:
    if not isinstance(raw, list):
        raise LintError(f"Lint rule file {source} must hold a list of rules.")
    try:
        return [rule_from_mapping(item, f"rule {n}") for n, item in enumerate(raw, start=1)]
    except Invalid as err:
        raise LintError(
            f"Lint rule file {source} is invalid at {err.where}: {err.problem}."
        ) from None


def rule_from_mapping(raw: object, where: str) -> Rule:
    """Check one rule's YAML mapping and build the Rule; ``where`` names it until its id is known.

    Raises:
        Invalid: a key is unknown or missing, or a value has the wrong shape.
    """
    data = schema.table(raw, where)
    if isinstance(data.get("id"), str) and RULE_ID.match(str(data["id"])):
        where = str(data["id"])
    schema.keys(data, _FIELDS, _REQUIRED, where)
    get = data.get
    rule_id = schema.text(data["id"], f"{where}.id")
    if not RULE_ID.match(rule_id):
        raise Invalid(f"{where}.id", f"{rule_id!r} is not a rule id like BL-A01")
    return Rule(
        id=rule_id,
        category=schema.text(data["category"], f"{where}.category"),
        severity=schema.severity(data["severity"], f"{where}.severity"),
        kind=schema.choice(get("kind", "regex"), RULE_KINDS, f"{where}.kind"),
        pattern=schema.text(get("pattern", ""), f"{where}.pattern"),
        keywords=schema.texts(get("keywords", []), f"{where}.keywords"),
        subject=schema.choice(get("subject", "any"), SUBJECT_MODES, f"{where}.subject"),
        proper_nouns=schema.choice(
            get("proper_nouns", "corroborated"), PROPER_NOUN_MODES, f"{where}.proper_nouns"
        ),
        first_person=_optional_severity(data, "first_person", Severity.INFO, where),
        other_subject=_optional_severity(data, "other_subject", None, where),
        skip_negated=schema.flag(get("skip_negated", False), f"{where}.skip_negated"),
        unless=None if get("unless") is None else schema.text(data["unless"], f"{where}.unless"),
        sections=schema.severities(get("sections", {}), f"{where}.sections"),
        message=schema.text(data["message"], f"{where}.message"),
        suggestion=schema.text(data["suggestion"], f"{where}.suggestion"),
        anchor=schema.text(get("anchor", ""), f"{where}.anchor"),
        examples=_examples(data["examples"], f"{where}.examples"),
    )


def _optional_severity(
    data: Mapping[str, object], key: str, default: Severity | None, where: str
) -> Severity | None:
    value = data.get(key, default)
    return None if value is None else schema.severity(value, f"{where}.{key}")


def _examples(raw: object, where: str) -> Examples:
    data = schema.table(raw, where)
    schema.keys(data, ("bad", "good"), ("bad", "good"), where)
    return Examples(
        bad=schema.texts(data["bad"], f"{where}.bad", at_least=1),
        good=schema.texts(data["good"], f"{where}.good", at_least=1),
    )


@lru_cache(maxsize=1)
def load_rules() -> tuple[CompiledRule, ...]:
    """Every packaged rule, sorted by id, its regexes compiled on first use.

    Raises:
        LintError: a rule file is invalid or two rules share an id.
    """
    rules: list[Rule] = []
    for name, raw in sorted(packaged_data()["rules"].items()):
        # A file that is not valid YAML comes as its text, for parse_rules to report.
        rules.extend(parse_rules(raw, name) if isinstance(raw, str) else _rules_from(raw, name))
    ids = [r.id for r in rules]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise LintError(f"Lint rules share ids: {', '.join(duplicates)}.")
    return tuple(compile_rule(r, lazy=True) for r in sorted(rules, key=lambda r: r.id))
