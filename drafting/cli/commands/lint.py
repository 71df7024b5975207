"""`postmortem lint FILE...|-`: the blamelessness lint on the command line (and in CI).

Exit codes: 0 nothing at or above ``--fail-on``; 1 findings at or above it; 2 usage or
unreadable input (printed as one line by cli.py).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

from drafting.errors import InputError
from drafting.lint import Finding, LintConfig, lint_text, load_config, load_rules
from drafting.lint.formats import FORMATS, to_json, to_sarif, to_text
from drafting.lint.types import Severity, parse_severity
from drafting.textinput import read_text

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
SUFFIXES = (".md", ".markdown", ".mdown", ".txt", ".rst")


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
        "--include-quoted",
        action="store_true",
        help="also lint block quotes (pasted chat) and code blocks, skipped by default",
    )
    p.set_defaults(run=run)


def expand_paths(paths: list[str]) -> list[str]:
    """Files as given; folders expanded to their Markdown and text files, sorted.

    Raises:
        InputError: a folder holds no Markdown or text files.
    """
    out: list[str] = []
    for raw in paths:
        path = Path(raw)
        if raw != "-" and path.is_dir():
            found = sorted(str(p) for p in path.rglob("*") if p.suffix.lower() in SUFFIXES)
            if not found:
                raise InputError(f"{raw} holds no Markdown or text files to lint.")
            out.extend(found)
        else:
            out.append(raw)
    return out


def lint_paths(paths: list[str], config: LintConfig) -> list[Finding]:
    """Read and lint every path; unreadable input raises before anything is printed."""
    texts = [(p, read_text(p)) for p in expand_paths(paths)]
    return [f for path, text in texts for f in lint_text(text, path=path, config=config)]


def render(findings: list[Finding], fmt: str) -> str:
    """Findings in the requested output format."""
    if fmt == "json":
        return to_json(findings)
    if fmt == "sarif":
        return to_sarif(findings, [c.rule for c in load_rules()])
    return to_text(findings)


def run(args: argparse.Namespace) -> int:
    """Lint the inputs, print findings, and return the exit code."""
    config = load_config()
    if args.include_quoted:
        config = replace(config, include_quoted=True)
    fail_on = parse_severity(args.fail_on) if args.fail_on else config.fail_on
    findings = lint_paths(args.paths, config)
    sys.stdout.write(render(findings, args.format))
    if args.format == "text" and findings:
        counts = {s: sum(f.severity is s for f in findings) for s in Severity}
        summary = ", ".join(f"{n} {s.value}" for s, n in counts.items() if n)
        print(f"{len(findings)} finding(s): {summary}", file=sys.stderr)
    failing = any(f.severity.rank >= fail_on.rank for f in findings)
    return EXIT_FINDINGS if failing else EXIT_CLEAN
