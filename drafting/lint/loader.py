"""Loading the lint rules from ``drafting/lint/rules/*.yml`` and compiling them once."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml
from pydantic import ValidationError

from drafting.errors import LintError
from drafting.lint.types import Rule

FLAGS = re.IGNORECASE
# libyaml's parser when PyYAML was built with it: the rule files load several times faster.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> Any:
    """Parse trusted packaged YAML (rules, word lists) with the fastest safe loader available."""
    return yaml.load(text, Loader=_LOADER)


@dataclass(frozen=True)
class CompiledRule:
    """A rule with its regular expressions compiled (once per process)."""

    rule: Rule
    regex: re.Pattern[str] | None
    unless: re.Pattern[str] | None
    who_groups: tuple[str, ...]  # named groups holding the person ("who", "who_inverted")


def _compile(rule: Rule, text: str, what: str) -> re.Pattern[str]:
    try:
        return re.compile(text, FLAGS)
    except re.error as err:
        raise LintError(f"Lint rule {rule.id} has an invalid {what} regex: {err}.") from None


def compile_rule(rule: Rule) -> CompiledRule:
    """Compile a rule's pattern and ``unless`` expressions.

    Raises:
        LintError: a regular expression does not compile, or a regex rule has no keywords.
    """
    if rule.kind == "five_whys":
        return CompiledRule(rule, None, None, ())
    if not rule.pattern or not rule.keywords:
        raise LintError(f"Lint rule {rule.id} needs both a pattern and keywords.")
    regex = _compile(rule, rule.pattern, "pattern")
    unless = _compile(rule, rule.unless, "unless") if rule.unless else None
    who = tuple(name for name in regex.groupindex if name.startswith("who"))
    return CompiledRule(rule, regex, unless, who)


def parse_rules(text: str, source: str) -> list[Rule]:
    """Parse one YAML rule file (a list of rules).

    Raises:
        LintError: the YAML is malformed or a rule does not validate.
    """
    try:
        raw = load_yaml(text)
    except yaml.YAMLError as err:
        raise LintError(f"Lint rule file {source} is not valid YAML: {err}.") from None
    if not isinstance(raw, list):
        raise LintError(f"Lint rule file {source} must hold a list of rules.")
    try:
        return [Rule.model_validate(item) for item in raw]
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise LintError(f"Lint rule file {source} is invalid at {where}: {first['msg']}.") from None


@lru_cache(maxsize=1)
def load_rules() -> tuple[CompiledRule, ...]:
    """Every packaged rule, compiled, sorted by id.

    Raises:
        LintError: a rule file is invalid or two rules share an id.
    """
    folder = resources.files("drafting.lint").joinpath("rules")
    rules: list[Rule] = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith((".yml", ".yaml")):
            rules.extend(parse_rules(entry.read_text(encoding="utf-8"), entry.name))
    ids = [r.id for r in rules]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise LintError(f"Lint rules share ids: {', '.join(duplicates)}.")
    return tuple(compile_rule(r) for r in sorted(rules, key=lambda r: r.id))
