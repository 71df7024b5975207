"""Output formats for lint findings: ``text``, ``json`` and SARIF 2.1.0. Pure: findings in, str out.

Severity vocabulary everywhere: ``error``, ``warning``, ``info`` (``info`` is the suggestion
level). SARIF has no ``info`` level, so it is written as SARIF's ``note``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import fields

from drafting import __version__
from drafting.lint.documents import source_kind
from drafting.lint.library import LibrarySummary
from drafting.lint.types import Finding, Rule

FORMATS = ("text", "json", "sarif")
TOOL_NAME = "blameless-lint"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
JSON_KEYS = (
    "path", "line", "column", "end_column", "rule", "severity", "message", "match", "suggestion",
)  # fmt: skip
# The other fields of a Finding follow the contract keys, in the order the class declares them.
EXTRA_KEYS = tuple(f.name for f in fields(Finding) if f.name not in JSON_KEYS)


def where(f: Finding) -> str:
    """The heading path and paragraph in words: "Root Cause > Why it spread, paragraph 2"."""
    path = " > ".join(f.heading_path) or "(before any heading)"
    return path if f.paragraph is None else f"{path}, paragraph {f.paragraph}"


def to_text(findings: Iterable[Finding]) -> str:
    """``path:line:col: severity rule message``, each followed by an indented suggestion line.

    For HTML and ``.docx`` reports, whose lines are not what a reader sees, an indented
    ``in:`` line with the heading path and paragraph comes first.
    """
    lines = []
    for f in findings:
        lines.append(f"{f.path}:{f.line}:{f.column}: {f.severity.value} {f.rule} {f.message}")
        if source_kind(f.path) != "text":
            lines.append(f"    in: {where(f)}")
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


def _region(f: Finding) -> dict[str, object] | None:
    """Lines and columns for text, lines only for HTML (columns count the paragraph's text, not
    the file's), none for a ``.docx`` (it has no lines: the logical location says where)."""
    kind = source_kind(f.path)
    if kind == "docx":
        return None
    region: dict[str, object] = {"startLine": f.line}
    if kind == "text":
        region["startColumn"] = f.column
    region["endLine"] = f.end_line
    if kind == "text":
        region["endColumn"] = f.end_column
    region["snippet"] = {"text": f.match}
    return region


def _logical(f: Finding) -> list[dict[str, object]]:
    """The heading path and paragraph as a SARIF logical location, when the report has headings
    or paragraphs to name."""
    if not f.heading_path and f.paragraph is None:
        return []
    name = f"paragraph {f.paragraph}" if f.paragraph is not None else f.heading_path[-1]
    parts = [*f.heading_path, name] if f.paragraph is not None else list(f.heading_path)
    return [{"name": name, "fullyQualifiedName": " > ".join(parts), "kind": "element"}]


def _location(f: Finding) -> dict[str, object]:
    physical: dict[str, object] = {"artifactLocation": {"uri": _uri(f.path)}}
    region = _region(f)
    if region is not None:
        physical["region"] = region
    location: dict[str, object] = {"physicalLocation": physical}
    logical = _logical(f)
    if logical:
        location["logicalLocations"] = logical
    return location


def _sarif_result(f: Finding, index: dict[str, int]) -> dict[str, object]:
    result: dict[str, object] = {
        "ruleId": f.rule,
        "level": f.severity.sarif_level,
        "message": {"text": f"{f.message} Suggestion: {f.suggestion}"},
        "locations": [_location(f)],
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


def summary_dict(summary: LibrarySummary) -> dict[str, object]:
    """The JSON object of ``postmortem lint --summary --format json`` (shape in docs/lint.md)."""
    return {
        "reports": summary.reports,
        "findings": summary.findings,
        "severities": summary.severities,
        "categories": summary.categories,
        "rules": summary.rules,
        "top_reports": [{"path": p, "findings": n} for p, n in summary.top_reports],
        "ends_at_person": {
            "count": len(summary.ends_at_person),
            "paths": list(summary.ends_at_person),
        },
    }


def summary_json(summary: LibrarySummary) -> str:
    """``{"summary": {...}}``, indented, newline-terminated."""
    return json.dumps({"summary": summary_dict(summary)}, indent=2) + "\n"


def _counts(title: str, counts: dict[str, int]) -> list[str]:
    if not counts:
        return []
    width = max(len(k) for k in counts)
    return [f"{title}:", *(f"  {k:<{width}}  {n:>5}" for k, n in counts.items()), ""]


def summary_text(summary: LibrarySummary) -> str:
    """The library summary for people: totals, counts per category and rule, the reports with
    the most findings, and the reports whose 5 Whys or root cause ends at a person."""
    severities = ", ".join(f"{n} {s}" for s, n in summary.severities.items() if n)
    lines = [
        f"{summary.reports} report(s), {summary.findings} finding(s)"
        + (f": {severities}" if severities else ""),
        "",
        *_counts("Findings per category", summary.categories),
        *_counts("Findings per rule", summary.rules),
    ]
    if summary.top_reports:
        lines.append(f"Reports with the most findings (top {len(summary.top_reports)}):")
        lines.extend(f"  {n:>5}  {p}" for p, n in summary.top_reports)
        lines.append("")
    people = summary.ends_at_person
    lines.append(
        f"Reports whose 5 Whys or root cause ends at a person: {len(people)} of {summary.reports}"
    )
    lines.extend(f"  {p}" for p in people)
    return "\n".join(lines) + "\n"
