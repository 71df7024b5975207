"""The `postmortem` command line: one clear sentence and a non-zero exit for bad input, never a
traceback."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from drafting import __version__
from drafting.cli.commands import anonymise, draft, lint, model
from drafting.errors import DraftingError

# Subcommand modules, each with register(subparsers), in the order --help lists them.
COMMANDS = (anonymise, draft, lint, model)

EXIT_USAGE = 2
EXIT_INTERNAL = 70  # sysexits EX_SOFTWARE: a bug, reported in a crash file


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand registered."""
    parser = argparse.ArgumentParser(
        prog="postmortem",
        description="Draft blameless postmortems from incident transcripts, on your machine.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS:
        command.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: parse arguments, run the subcommand, map errors to exit codes."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return int(args.run(args))
    except DraftingError as err:
        print(f"postmortem: {err}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("postmortem: interrupted.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as err:  # the last line of defence: one sentence, details to a local file
        from drafting import crash  # only on a crash: its imports cost every run ~6 ms

        path = crash.write_report(err, f"postmortem {args.command}")
        print(f"postmortem: {crash.sentence(err, path)}", file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":
    raise SystemExit(main())
