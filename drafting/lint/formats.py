"""Output formats for lint findings: ``text``, ``json`` and SARIF 2.1.0. Pure: findings in, str out.

Severity vocabulary everywhere: ``error``, ``warning``, ``info`` (``info`` is the suggestion
level). SARIF has no ``info`` level, so it is written as SARIF's ``note``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import fields

from drafting import __version__
from drafting.lint.types import Finding, Rule

FORMATS = ("text", "json", "sarif")
TOOL_NAME = "blameless-lint"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
JSON_KEYS = (
    "path", "line", "column", "end_column", "rule", "severity", "message", "match", "suggestion",
)  # fmt: skip
# The other fields of a Finding follow the contract keys, in the order the class declares them.
EXTRA_KEYS = tuple(f.name for f in fields(Finding) if f.name not in JSON_KEYS)


def to_text(findings: Iterable[Finding]) -> str:
    """``path:line:col: severity rule message``, each followed by an indented suggestion line."""
    lines = []
    for f in findings:
        lines.append(f"{f.path}:{f.line}:{f.column}: {f.severity.value} {f.rule} {f.message}")
        lines.append(f"    suggestion: {f.suggestion}")
    return "\n".join(lines) + ("\n" if lines else "")


def finding_dict(f: Finding) -> dict[str, object]:
    """The JSON object for one finding: the contract keys first, then extras."""
    data: dict[str, object] = {key: getattr(f, key) for key in (*JSON_KEYS, *EXTRA_KEYS)}
    data["severity"] = f.severity.value
    return data


def to_json(findings: Iterable[Finding]) -> str:
    """``{"findings": [...]}`` with 1-based lines and columns of the input."""
    return json.dumps({"findings": [finding_dict(f) for f in findings]}, indent=2) + "\n"


def _sarif_rule(rule: Rule) -> dict[str, object]:
    return {
        "id": rule.id,
        "name": rule.category.title().replace("-", ""),
        "shortDescription": {"text": rule.message.replace("'{match}'", "this wording")},
        "help": {"text": rule.suggestion},
        "defaultConfiguration": {"level": rule.severity.sarif_level},
        "properties": {"category": rule.category, "anchor": rule.anchor, "tags": ["blameless"]},
    }


def _sarif_result(f: Finding, index: dict[str, int]) -> dict[str, object]:
    region = {
        "startLine": f.line,
        "startColumn": f.column,
        "endLine": f.end_line,
        "endColumn": f.end_column,
        "snippet": {"text": f.match},
    }
    result: dict[str, object] = {
        "ruleId": f.rule,
        "level": f.severity.sarif_level,
        "message": {"text": f"{f.message} Suggestion: {f.suggestion}"},
        "locations": [
            {"physicalLocation": {"artifactLocation": {"uri": _uri(f.path)}, "region": region}}
        ],
        "partialFingerprints": {"blamelessLint/v1": f"{f.rule}:{f.match.lower()}"},
        "properties": {"section": f.section, "suggestion": f.suggestion, "category": f.category},
    }
    if f.rule in index:
        result["ruleIndex"] = index[f.rule]
    return result


def _uri(path: str) -> str:
    # SARIF wants a URI reference; standard input gets a stable placeholder name.
    return "stdin" if path == "-" else path.replace("\\", "/").replace(" ", "%20")


def to_sarif(findings: Sequence[Finding], rules: Sequence[Rule]) -> str:
    """A SARIF 2.1.0 log with one run, the rule catalogue and one result per finding."""
    index = {rule.id: i for i, rule in enumerate(rules)}
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": TOOL_NAME,
                        "version": __version__,
                        "rules": [_sarif_rule(r) for r in rules],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": [_sarif_result(f, index) for f in findings],
            }
        ],
    }
    return json.dumps(log, indent=2) + "\n"
