"""`postmortem anonymise FILE`: print the transcript with names, contacts and secrets removed."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path
from typing import Any

from drafting import names
from drafting.anonymise import anonymise, build_roster, parse_roles, render_lines
from drafting.egress import check
from drafting.errors import InputError
from drafting.redact import RedactOptions
from drafting.roster import Roster
from drafting.textinput import read_text
from drafting.transcript import parse, parse_users


def register(subparsers: Any) -> None:
    """Add the ``anonymise`` command."""
    parser = subparsers.add_parser(
        "anonymise",
        help="print the transcript with names, contact details and secrets removed",
        description="Print the anonymised transcript, one message per line ([HH:MM] Role: text). "
        "Everything runs on this machine; the name mapping is written only with --mapping-out.",
    )
    parser.add_argument("file", metavar="FILE", help="transcript file, or - for standard input")
    parser.add_argument("--users", metavar="USERS.json", help="Slack users.json for real names")
    parser.add_argument(
        "--roles",
        metavar="ROLES.json",
        help='JSON object of name or pseudonym -> role, e.g. {"Responder A": "On-call SRE"}',
    )
    parser.add_argument(
        "--mapping-out", metavar="F", help="write the name -> label mapping here (keep it local)"
    )
    parser.add_argument("--date", metavar="YYYY-MM-DD", help="incident date for clock-only times")
    parser.add_argument("--tz", default="UTC", help="time zone of the transcript (default UTC)")
    parser.add_argument("--format", dest="fmt", metavar="FORMAT", help="force the input format")
    parser.add_argument(
        "--detect-names",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="find names of people who never speak with the offline NER model "
        "(default: on when the 'ner' extra is installed)",
    )
    parser.add_argument("--redact-ips", action="store_true", help="also redact IP addresses")
    parser.add_argument("--redact-hosts", action="store_true", help="also redact hostnames")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Parse, anonymise, leak-check and print; write the mapping only if asked."""
    if args.mapping_out == "-":
        raise InputError("--mapping-out needs a file path: the mapping must not go to stdout.")
    text = read_text(args.file)
    users = parse_users(read_text(args.users)) if args.users else None
    roles = parse_roles(read_text(args.roles)) if args.roles else None
    transcript = parse(text, fmt=args.fmt, users=users, date=_date(args.date), tz=args.tz)
    roster = build_roster(transcript, roles=roles, detect_names=_detect(args.detect_names))
    options = RedactOptions(ips=args.redact_ips, hostnames=args.redact_hosts)
    out = render_lines(anonymise(transcript, roster, options))
    check(out, roster, options)
    if args.mapping_out:
        write_mapping(Path(args.mapping_out), roster)
    sys.stdout.write(out)
    return 0


def _date(raw: str | None) -> dt.date | None:
    if raw is None:
        return None
    try:
        return dt.date.fromisoformat(raw.strip())
    except ValueError as err:
        raise InputError(f"--date {raw!r} is not a date like 2026-03-01.") from err


def _detect(requested: bool | None) -> bool:
    """Explicit --detect-names needs the extra; by default detection is used when installed."""
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


def write_mapping(path: Path, roster: Roster) -> None:
    """Write the real-name mapping as JSON, readable by the owner only."""
    data = {
        "warning": "Real names. Keep this file on this machine.",
        "people": [
            {"label": e.label, **e.model_dump(include={"pseudonym", "role", "names", "source"})}
            for e in roster.entries
        ],
    }
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, indent=2, ensure_ascii=False)
            fh.write("\n")
    except OSError as err:
        raise InputError(f"Could not write the mapping to {path}: {err.strerror or err}.") from err
