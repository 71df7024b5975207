"""`postmortem draft FILE`: anonymise, draft stage by stage, verify, and write the postmortem.

Progress goes to stderr, one line per stage (``[3/8] five_whys  612+240 tokens  14.2s``); the
draft goes to stdout or ``-o OUT``. When a stage fails, the finished stages are saved next to the
output (``*.partial.json``) and ``--resume`` continues from them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from drafting.cli.commands.inputs import add_input_options, prepare_from_args
from drafting.errors import InputError
from drafting.export import TEMPLATE_DESCRIPTIONS

if TYPE_CHECKING:
    from drafting.draft.pipeline import DraftResult, StageEvent

# The drafting modules (the model SDK among them) are imported when the command runs, not when
# the CLI starts: `postmortem lint` must not pay for them.

PARTIAL_SUFFIX = ".partial.json"


def register(subparsers: Any) -> None:
    """Add the ``draft`` command."""
    parser = subparsers.add_parser(
        "draft",
        help="draft a blameless postmortem from a transcript",
        description="Anonymise the transcript on this machine, draft each section with the "
        "configured model (the embedded one by default), verify citations and numbers, and "
        "write the draft. Progress goes to stderr.",
    )
    add_input_options(parser)
    parser.add_argument("--notes", metavar="F", help="responder notes to draft from as well")
    parser.add_argument("-o", "--output", metavar="OUT", help="write the draft here, not stdout")
    parser.add_argument("--format", choices=("md", "json"), default="md", help="output format")
    parser.add_argument(
        "--template",
        default="comprehensive",
        help=f"Markdown template: {', '.join(TEMPLATE_DESCRIPTIONS)}",
    )
    parser.add_argument("--audit", metavar="F", help="write every request body sent to the model")
    parser.add_argument("--resume", metavar="F", help=f"continue from a saved *{PARTIAL_SUFFIX}")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Read, anonymise, draft, render; keep partial results when a stage fails."""
    from drafting.draft.pipeline import DraftIncompleteError, draft
    from drafting.model.connect import client_from_settings

    if args.template not in TEMPLATE_DESCRIPTIONS:
        raise InputError(f"Unknown template '{args.template}'; choose one of: "
                         f"{', '.join(TEMPLATE_DESCRIPTIONS)}.")  # fmt: skip
    prepared = prepare_from_args(args, notes=args.notes)
    resume = _load_partial(Path(args.resume)) if args.resume else None
    audit = _fresh_audit(Path(args.audit)) if args.audit else None
    client = client_from_settings(prepared.roster, redact=prepared.options, audit_path=audit)
    print(f"postmortem: drafting with {client.describe()}", file=sys.stderr)
    try:
        result = draft(prepared.anonymised, notes=prepared.notes, client=client,
                       roster=prepared.roster, on_progress=_progress, resume=resume,
                       on_wait=_waiting)  # fmt: skip
    except DraftIncompleteError as err:
        saved = _save_partial(err.partial, args.output)
        raise DraftIncompleteError(f"{err} Resume with --resume {saved}.", err.partial) from err
    _write(_render(result, args.format, args.template), args.output)
    _report(result)
    return 0


def _progress(event: StageEvent) -> None:
    if event.status != "start":
        print(event.line(), file=sys.stderr, flush=True)


def _waiting(place: int) -> None:
    from drafting.model.queue import waiting_message

    print(f"postmortem: {waiting_message(place)}", file=sys.stderr, flush=True)


def _render(result: DraftResult, fmt: str, template: str) -> str:
    from drafting.export import data as export
    from drafting.export import markdown

    if fmt == "json":
        return export.to_json(result.postmortem)
    return markdown.render(result.postmortem, template)


def _report(result: DraftResult) -> None:
    from drafting.report import TITLES, FlagSeverity
    from drafting.review.findings import draft_findings

    u = result.usage
    review = [f for f in result.flags if f.severity != FlagSeverity.INFO]
    # Blameful wording is the lint's to report (verify does not copy it into the flags).
    blame = [f for f in draft_findings(result.postmortem) if f.finding.severity != "info"]
    print(
        f"postmortem: {u.prompt_tokens}+{u.completion_tokens} tokens in {u.seconds:.1f}s; "
        f"{len(review)} note(s) and {len(blame)} blamelessness finding(s) need review.",
        file=sys.stderr,
    )
    for item in blame:
        f = item.finding
        print(f'  {TITLES[item.section]}: {f.rule} "{f.match}": {f.message}', file=sys.stderr)


def _write(text: str, output: str | None) -> None:
    if not output or output == "-":
        sys.stdout.write(text)
        return
    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as err:
        raise InputError(f"Could not write {output}: {err.strerror or err}.") from err


def _fresh_audit(path: Path) -> Path:
    """Start the audit file empty, so it holds exactly this run's requests."""
    try:
        path.write_text("", encoding="utf-8")
    except OSError as err:
        raise InputError(f"Could not write the audit file {path}: {err.strerror or err}.") from err
    return path


def _save_partial(partial: DraftResult, output: str | None) -> Path:
    base = output if output and output != "-" else "postmortem"
    path = Path(base).with_suffix(PARTIAL_SUFFIX) if output else Path(base + PARTIAL_SUFFIX)
    path.write_text(partial.model_dump_json(indent=2), encoding="utf-8")
    return path


def _load_partial(path: Path) -> DraftResult:
    from drafting.draft.pipeline import DraftResult
    from drafting.textinput import read_text

    try:
        return DraftResult.model_validate_json(read_text(path))
    except ValueError as err:
        raise InputError(f"{path} is not a saved partial draft.") from err
