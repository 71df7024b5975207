"""The transcript input options `anonymise` and `draft` share, and the one way both prepare it."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import TYPE_CHECKING, Any

from drafting.errors import InputError

if TYPE_CHECKING:
    from drafting.anonymise.prepare import Prepared


def add_input_options(parser: Any, *, format_alias: bool = False) -> None:
    """Add FILE and every option that changes how the transcript is read and anonymised.

    Args:
        parser: the subcommand's parser.
        format_alias: also accept ``--format`` for the input format (``anonymise`` has no
            output format, and ``--format`` was its name for this option).
    """
    parser.add_argument(
        "file",
        metavar="FILE",
        help="transcript file, a Slack export (zip or folder), or - for standard input",
    )
    parser.add_argument("--channel", help="the channel to read from a Slack export")
    parser.add_argument("--users", metavar="USERS.json", help="Slack users.json for real names")
    parser.add_argument(
        "--roles",
        metavar="ROLES.json",
        help='JSON object of name or pseudonym -> role, e.g. {"Responder A": "On-call SRE"}',
    )
    parser.add_argument("--date", metavar="YYYY-MM-DD", help="incident date for clock-only times")
    parser.add_argument("--tz", default="UTC", help="time zone of the transcript (default UTC)")
    flags = ("--input-format", "--format") if format_alias else ("--input-format",)
    parser.add_argument(*flags, dest="input_format", metavar="FORMAT",
                        help="force the transcript format instead of detecting it")  # fmt: skip
    parser.add_argument(
        "--detect-names",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="find names of people who never speak with the offline NER model "
        "(default: on when the 'ner' extra is installed)",
    )
    parser.add_argument("--redact-ips", action="store_true", help="also redact IP addresses")
    parser.add_argument("--redact-hosts", action="store_true", help="also redact hostnames")


def prepare_from_args(args: argparse.Namespace, *, notes: str | None = None) -> Prepared:
    """Read the files the options name and prepare the transcript (see ``anonymise.prepare``).

    Raises:
        DraftingError: a file cannot be read or parsed, or an option value is invalid.
    """
    from drafting.anonymise import parse_roles
    from drafting.anonymise.prepare import Inputs, prepare
    from drafting.anonymise.redact import RedactOptions
    from drafting.textinput import read_text

    transcript, export_users = _transcript(args.file, args.channel)
    inputs = Inputs(
        transcript=transcript,
        users_json=read_text(args.users) if args.users else export_users,
        notes=read_text(notes) if notes else None,
        incident_date=_date(args.date),
        timezone=args.tz,
        fmt=args.input_format,
    )
    prepared = prepare(
        inputs,
        roles=parse_roles(read_text(args.roles)) if args.roles else None,
        detect_names=_detect(args.detect_names),
        options=RedactOptions(ips=args.redact_ips, hostnames=args.redact_hosts),
    )
    if args.detect_names is False:  # said once the input is known to be good
        print(
            "postmortem: note: weaker anonymisation: --no-detect-names leaves names in message "
            "text unsearched; a person mentioned but never speaking may reach the model.",
            file=sys.stderr,
        )
    return prepared


def _transcript(path: str, channel: str | None) -> tuple[str, str | None]:
    """The transcript text, and the users.json that came with it (a Slack export's)."""
    from drafting.ingest.slack_archive import read_channel
    from drafting.textinput import is_archive, read_archive, read_text

    if not is_archive(path):
        if channel:
            raise InputError("--channel only applies to a Slack export (a zip or a folder).")
        return read_text(path), None
    chosen = read_channel(read_archive(path), channel)
    return chosen.messages_json, chosen.users_json


def _date(raw: str | None) -> dt.date | None:
    if raw is None:
        return None
    try:
        return dt.date.fromisoformat(raw.strip())
    except ValueError as err:
        raise InputError(f"--date {raw!r} is not a date like 2026-03-01.") from err


def _detect(requested: bool | None) -> bool:
    """Explicit --detect-names needs the extra; by default detection is used when installed."""
    from drafting.anonymise import names

    if requested is not None:
        return requested
    if names.available():
        return True
    print(
        "postmortem: note: name detection is off (the optional 'ner' extra is not installed); "
        "only speakers, @mentions and users.json names are replaced.",
        file=sys.stderr,
    )
    return False
