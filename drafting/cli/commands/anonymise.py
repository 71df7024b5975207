"""`postmortem anonymise FILE`: print the transcript with names, contacts and secrets removed."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from drafting.cli.commands.inputs import add_input_options, prepare_from_args
from drafting.errors import InputError

if TYPE_CHECKING:
    from drafting.anonymise.roster import Roster


def register(subparsers: Any) -> None:
    """Add the ``anonymise`` command."""
    parser = subparsers.add_parser(
        "anonymise",
        help="print the transcript with names, contact details and secrets removed",
        description="Print the anonymised transcript, one message per line ([HH:MM] Role: text). "
        "Everything runs on this machine; the name mapping is written only with --mapping-out.",
    )
    add_input_options(parser, format_alias=True)
    parser.add_argument(
        "--mapping-out", metavar="F", help="write the name -> label mapping here (keep it local)"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Parse, anonymise, leak-check and print; write the mapping only if asked."""
    from drafting.anonymise import render_lines
    from drafting.anonymise.egress import check
    from drafting.anonymise.untrusted import has_withheld

    if args.mapping_out == "-":
        raise InputError("--mapping-out needs a file path: the mapping must not go to stdout.")
    prepared = prepare_from_args(args)
    out = render_lines(prepared.anonymised)
    check(out, prepared.roster, prepared.options)
    if args.mapping_out:
        write_mapping(Path(args.mapping_out), prepared.roster)
    sys.stdout.write(out)
    withheld = [m.id for m in prepared.anonymised.messages if has_withheld(m.text)]
    if withheld:
        print(f"postmortem: note: a line addressed to the model was withheld from "
              f"{', '.join(withheld)}.", file=sys.stderr)  # fmt: skip
    return 0


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
