"""`postmortem lint FILE...|-`: the blamelessness lint on the command line (and in CI).

Reads Markdown and text, HTML (Confluence, Notion) and ``.docx`` (Word, Google Docs); with
``--summary``, prints counts over the whole library instead of each finding.

Exit codes: 0 nothing at or above ``--fail-on``; 1 findings at or above it; 2 usage or
unreadable input (printed as one line by cli.py).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

from drafting.errors import InputError
from drafting.lint import Finding, LintConfig, load_config, load_rules
from drafting.lint.documents import SUFFIXES, Report, lint_report, parse_report, source_kind
from drafting.lint.formats import FORMATS, summary_json, summary_text, to_json, to_sarif, to_text
from drafting.lint.library import lint_library, summarise
from drafting.lint.types import Severity, parse_severity
from drafting.textinput import read_file_bytes, read_text

EXIT_CLEAN = 0
EXIT_FINDINGS = 1


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``lint`` subcommand."""
    p = subparsers.add_parser(
        "lint",
        help="check postmortems for blameful language",
        description="Check postmortems for blameful language and suggest rewrites. "
        "Severities: error, warning, info (info is the suggestion level).",
    )
    p.add_argument("paths", nargs="+", metavar="FILE", help="files or folders, or - for stdin")
    p.add_argument("--format", choices=FORMATS, default="text", help="output format")
    p.add_argument(
        "--fail-on",
        choices=[s.value for s in Severity],
        default=None,
        help="lowest severity that makes the exit code 1 (default: error, or fail_on in config)",
    )
    p.add_argument(
        "--summary",
        action="store_true",
        help="print counts over all reports (per rule and category, the reports with the most "
        "findings, 5 Whys ending at a person) instead of each finding; text or json",
    )
    p.add_argument(
        "--include-quoted",
        action="store_true",
        help="also lint block quotes (pasted chat) and code blocks, skipped by default",
    )
    p.set_defaults(run=run)


def expand_paths(paths: list[str]) -> list[str]:
    """Files as given; folders expanded to their Markdown, text, HTML and .docx files, sorted.

    Raises:
        InputError: a folder holds no report files.
    """
    out: list[str] = []
    for raw in paths:
        path = Path(raw)
        if raw != "-" and path.is_dir():
            found = sorted(
                str(p) for p in path.rglob("*") if p.suffix.lower() in SUFFIXES and p.is_file()
            )
            if not found:
                raise InputError(f"{raw} holds no Markdown, text, HTML or .docx files to lint.")
            out.extend(found)
        else:
            out.append(raw)
    return out


def read_report(path: str) -> Report:
    """Read one report in its format (by suffix; standard input is Markdown or text)."""
    if source_kind(path) == "docx":
        return parse_report(path, read_file_bytes(path))
    text = read_text(path)
    if source_kind(path) == "text":
        return Report(path, text)
    return parse_report(path, text.encode())


def read_reports(paths: list[str]) -> list[Report]:
    """Every report the paths name; unreadable input raises before anything is printed."""
    return [read_report(p) for p in expand_paths(paths)]


def lint_paths(paths: list[str], config: LintConfig) -> list[Finding]:
    """Read and lint every path; unreadable input raises before anything is printed."""
    return [f for report in read_reports(paths) for f in lint_report(report, config)]


def render(findings: list[Finding], fmt: str) -> str:
    """Findings in the requested output format."""
    if fmt == "json":
        return to_json(findings)
    if fmt == "sarif":
        return to_sarif(findings, [c.rule for c in load_rules()])
    return to_text(findings)


def _print_counts(findings: list[Finding]) -> None:
    if findings:
        counts = {s: sum(f.severity is s for f in findings) for s in Severity}
        summary = ", ".join(f"{n} {s.value}" for s, n in counts.items() if n)
        print(f"{len(findings)} finding(s): {summary}", file=sys.stderr)


def _summary(paths: list[str], config: LintConfig, fmt: str) -> list[Finding]:
    """Print the library summary; returns every finding (for the exit code)."""
    if fmt == "sarif":
        raise InputError("--summary prints text or json, not sarif.")
    results = lint_library(read_reports(paths), config)
    summary = summarise(results)
    sys.stdout.write(summary_json(summary) if fmt == "json" else summary_text(summary))
    return [f for r in results for f in r.findings]


def run(args: argparse.Namespace) -> int:
    """Lint the inputs, print findings (or the summary), and return the exit code."""
    config = load_config()
    if args.include_quoted:
        config = replace(config, include_quoted=True)
    fail_on = parse_severity(args.fail_on) if args.fail_on else config.fail_on
    if args.summary:
        findings = _summary(args.paths, config, args.format)
    else:
        findings = lint_paths(args.paths, config)
        sys.stdout.write(render(findings, args.format))
        if args.format == "text":
            _print_counts(findings)
    failing = any(f.severity.rank >= fail_on.rank for f in findings)
    return EXIT_FINDINGS if failing else EXIT_CLEAN
