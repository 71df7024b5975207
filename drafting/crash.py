"""Crash reports: an unexpected error becomes one sentence for the user and a local file.

The file says where the code failed (exception types and code locations) and nothing about the
input: no exception messages, no values, so no transcript text, name or secret can end up in it.
It is written under ``$XDG_STATE_HOME/postmortem/crash/`` (``POSTMORTEM_CRASH_DIR`` overrides)
with owner-only permissions, and is never printed to the terminal.
"""

from __future__ import annotations

import os
import platform
import traceback
from datetime import UTC, datetime
from pathlib import Path

from drafting import __version__

CRASH_DIR_ENV = "POSTMORTEM_CRASH_DIR"


def crash_dir() -> Path:
    """Where crash reports go."""
    configured = os.environ.get(CRASH_DIR_ENV)
    if configured:
        return Path(configured)
    state = os.environ.get("XDG_STATE_HOME")
    base = Path(state) if state else Path.home() / ".local" / "state"
    return base / "postmortem" / "crash"


def describe(err: BaseException, where: str) -> str:
    """The report's text: versions, where it happened, each exception's type and code path."""
    lines = [
        f"postmortem {__version__}, Python {platform.python_version()}, {platform.platform()}",
        f"during: {where}",
        f"at: {datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC",
        "(exception messages and values are left out: they can hold transcript text)",
    ]
    for exc in _chain(err):
        lines.append(f"\n{type(exc).__module__}.{type(exc).__qualname__}")
        for frame in traceback.extract_tb(exc.__traceback__):
            lines.append(f"  {frame.filename}:{frame.lineno} in {frame.name}")
    return "\n".join(lines) + "\n"


def write_report(err: BaseException, where: str) -> Path | None:
    """Write a crash report for ``err``; its path, or None when it could not be written."""
    directory = crash_dir()
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    path = directory / f"crash-{stamp}-{os.getpid()}.txt"
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(describe(err, where))
    except OSError:
        return None
    return path


def sentence(err: BaseException, path: Path | None) -> str:
    """What the user is told: one sentence, naming the error type and the report."""
    kind = type(err).__name__
    where = (
        f"a crash report without transcript text is in {path}"
        if path
        else ("no crash report could be written")
    )
    return f"An unexpected error ({kind}) stopped this; what was saved is kept, and {where}."


def _chain(err: BaseException) -> list[BaseException]:
    """The exception and its causes, outermost first (cycles cut)."""
    seen: list[BaseException] = []
    current: BaseException | None = err
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen
