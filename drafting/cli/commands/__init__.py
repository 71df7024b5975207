"""CLI subcommands. Each module exposes ``register(subparsers)``; cli.py wires them together.

A command's ``run(args) -> int`` returns the exit code. Raising :class:`DraftingError` is fine:
cli.py turns it into one line on stderr and exit 2.
"""
