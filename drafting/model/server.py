"""The embedded local model server: llama.cpp's OpenAI-compatible server on 127.0.0.1.

Started on demand, detached from the caller (its own session) so that Streamlit reruns and later
CLI calls reuse it; a state file per model size in the cache directory records pid and port.
Weights are prepared by :mod:`drafting.model.weights` (re-exported here as :func:`prepare`).
"""

from __future__ import annotations

import fcntl
import importlib.util
import logging
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from drafting.errors import LLMError, ModelNotInstalledError
from drafting.model.process import (
    CHILDREN,
    POLL_S,
    alive,
    free_port,
    healthy,
    rss_mb,
    server_command,
    terminate,
)
from drafting.model.weights import MODELS, ModelSpec, cache_dir, is_prepared, model_path, prepare
from drafting.model.weights import spec_for as spec_for
from drafting.settings import load_settings

__all__ = [
    "MODELS",
    "ServerHandle",
    "ensure_server",
    "prepare",
    "recycle",
    "status",
    "stop",
    "stop_server",
]

# Modules `python -m llama_cpp.server` imports; any one missing means the runtime is unusable.
RUNTIME_MODULES = ("llama_cpp", "uvicorn", "fastapi", "sse_starlette", "starlette_context")
log = logging.getLogger(__name__)

START_TIMEOUT_S = 180.0
REUSE_CHECK_S = 30.0


class ServerHandle(BaseModel):
    """A running embedded server: where to reach it and which model it serves."""

    model_config = ConfigDict(frozen=True)

    base_url: str
    model: str
    pid: int
    port: int
    size: str
    model_path: str


def runtime_installed() -> bool:
    """True when ``llama-cpp-python[server]`` is importable."""
    return all(importlib.util.find_spec(name) is not None for name in RUNTIME_MODULES)


def _size(size: str | None) -> str:
    return size or load_settings().postmortem_embedded_size


def _state_path(spec: ModelSpec, directory: Path | None) -> Path:
    return cache_dir(directory) / f"server-{spec.size}.json"


def _log_path(spec: ModelSpec, directory: Path | None) -> Path:
    return cache_dir(directory) / f"server-{spec.size}.log"


def ensure_server(
    size: str | None = None, *, directory: Path | None = None, wait_s: float = START_TIMEOUT_S
) -> ServerHandle:
    """Return the running embedded server for ``size``, starting it if needed.

    Raises:
        ModelNotInstalledError: the runtime or the weights are missing (names the make target).
        LLMError: the server failed to start or did not become healthy within ``wait_s``.
    """
    spec = spec_for(_size(size))
    if not runtime_installed():
        raise ModelNotInstalledError(
            "The embedded model runtime (llama-cpp-python[server]) is not installed; "
            f"run `{spec.make_target}`, or set OPENAI_BASE_URL or OPENAI_API_KEY."
        )
    if not is_prepared(spec, directory):
        raise ModelNotInstalledError(
            f"The embedded {spec.size} model is not prepared; run `{spec.make_target}` "
            f"(or `postmortem model prepare --size {spec.size}`)."
        )
    with _lock(spec, directory):
        return running_server(spec.size, directory=directory) or _start(spec, directory, wait_s)


def running_server(
    size: str | None = None, *, directory: Path | None = None
) -> ServerHandle | None:
    """The healthy server recorded for ``size``, or None (a stale state file is removed)."""
    spec = spec_for(_size(size))
    state = _state_path(spec, directory)
    handle = _read_state(state)
    if handle is None:
        return None
    if not alive(handle.pid, handle.port):
        state.unlink(missing_ok=True)
        return None
    if healthy(handle.base_url, "/openapi.json", timeout_s=REUSE_CHECK_S):
        return handle
    # Alive but wedged: stop it rather than leave a second server competing for the CPU.
    terminate(handle.pid, handle.port)
    state.unlink(missing_ok=True)
    return None


def _read_state(state: Path) -> ServerHandle | None:
    try:
        return ServerHandle.model_validate_json(state.read_text())
    except (OSError, ValidationError):
        return None


@contextmanager
def _lock(spec: ModelSpec, directory: Path | None) -> Iterator[None]:
    """Serialise start-up across processes (two app sessions must not start two servers)."""
    lock_file = cache_dir(directory) / f"server-{spec.size}.lock"
    with lock_file.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def recycle(
    size: str | None = None, *, directory: Path | None = None, max_rss_mb: int
) -> ServerHandle | None:
    """Restart the running server for ``size`` if its resident memory exceeds ``max_rss_mb``.

    For a caller that holds the draft slot (:func:`drafting.model.queue.draft_slot`), so that
    no request is in flight. The new server listens on the same port: clients made earlier
    reach it unchanged, only its prefix cache starts empty. Returns the new server, or None
    when nothing was restarted.

    Raises:
        LLMError: the new server did not start.
    """
    spec = spec_for(_size(size))
    with _lock(spec, directory):
        handle = _read_state(_state_path(spec, directory))
        if handle is None or not alive(handle.pid, handle.port):
            return None
        rss = rss_mb(handle.pid)
        if rss is None or rss <= max_rss_mb:
            return None
        log.warning("Restarting the embedded %s server: %d MB resident, limit %d MB",
                    spec.size, rss, max_rss_mb)  # fmt: skip
        terminate(handle.pid, handle.port)
        _state_path(spec, directory).unlink(missing_ok=True)
        return _start(spec, directory, START_TIMEOUT_S, port=handle.port)


def _start(
    spec: ModelSpec, directory: Path | None, wait_s: float, *, port: int | None = None
) -> ServerHandle:
    port = port or free_port()
    path = model_path(spec, directory)
    log_path = _log_path(spec, directory)
    with log_path.open("ab") as log:
        proc = subprocess.Popen(
            server_command(spec, path, port),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # survives the CLI call or app rerun that started it
        )
    CHILDREN[proc.pid] = proc
    handle = ServerHandle(
        base_url=f"http://127.0.0.1:{port}/v1",
        model=spec.alias,
        pid=proc.pid,
        port=port,
        size=spec.size,
        model_path=str(path),
    )
    _wait_healthy(handle, proc, log_path, wait_s)
    _state_path(spec, directory).write_text(handle.model_dump_json())
    return handle


def _wait_healthy(
    handle: ServerHandle, proc: subprocess.Popen[bytes], log_path: Path, wait_s: float
) -> None:
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise LLMError(
                f"The embedded model server exited during start-up (exit {proc.returncode}); "
                f"see {log_path}."
            )
        if healthy(handle.base_url):
            return
        time.sleep(POLL_S)  # polling a child process; no event to wait on
    terminate(handle.pid, handle.port)
    raise LLMError(
        f"The embedded model server was not ready within {wait_s:.0f} s; see {log_path}."
    )


def stop_server(size: str | None = None, *, directory: Path | None = None) -> list[ServerHandle]:
    """Stop the embedded server for ``size`` (every size when None); return what was stopped."""
    stopped = []
    for spec in [spec_for(size)] if size else list(MODELS.values()):
        state = _state_path(spec, directory)
        handle = _read_state(state)
        if handle is not None and alive(handle.pid, handle.port):
            terminate(handle.pid, handle.port)
            stopped.append(handle)
        state.unlink(missing_ok=True)
    return stopped


def stop(handle: ServerHandle, *, directory: Path | None = None) -> bool:
    """Stop exactly the server ``handle`` names (if still running); True if it was stopped.

    The state file is removed only if it still names this server, so whoever started a server
    stops that one and never another process's.
    """
    state = _state_path(spec_for(handle.size), directory)
    if _read_state(state) == handle:
        state.unlink(missing_ok=True)
    if not alive(handle.pid, handle.port):
        return False
    terminate(handle.pid, handle.port)
    return True


def status(size: str | None = None, *, directory: Path | None = None) -> str:
    """Human-readable lines: runtime installed?, and per size: prepared?, server running?"""
    lines = [f"runtime: llama-cpp-python {'installed' if runtime_installed() else 'NOT installed'}"]
    for spec in [spec_for(size)] if size else list(MODELS.values()):
        path = model_path(spec, directory)
        if is_prepared(spec, directory):
            prepared = f"prepared at {path} ({spec.total_bytes / 1e6:.0f} MB)"
        else:
            prepared = f"not prepared (run `{spec.make_target}`)"
        # Only a liveness check: status must never stop a server that is busy generating.
        handle = _read_state(_state_path(spec, directory))
        if handle is not None and alive(handle.pid, handle.port):
            server = f"running at {handle.base_url} (pid {handle.pid})"
        else:
            server = "not running"
        lines.append(f"{spec.size} {spec.alias}: {prepared}; server {server}")
    return "\n".join(lines)
