"""The embedded local model server: llama.cpp's OpenAI-compatible server on 127.0.0.1.

Started on demand, detached from the caller (its own session) so that Streamlit reruns and later
CLI calls reuse it; a state file per model size in the cache directory records pid and port.
Weights are prepared by :mod:`drafting.model.weights` (re-exported here as :func:`prepare`).
"""

from __future__ import annotations

import fcntl
import importlib.util
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from drafting.errors import LLMError, ModelNotInstalledError
from drafting.model.weights import MODELS, ModelSpec, cache_dir, is_prepared, model_path, prepare
from drafting.model.weights import spec_for as spec_for
from drafting.settings import load_settings

__all__ = [
    "MODELS",
    "ServerHandle",
    "ensure_server",
    "prepare",
    "status",
    "stop",
    "stop_server",
]

# Modules `python -m llama_cpp.server` imports; any one missing means the runtime is unusable.
RUNTIME_MODULES = ("llama_cpp", "uvicorn", "fastapi", "sse_starlette", "starlette_context")
CONTEXT_TOKENS = 8192
START_TIMEOUT_S = 180.0
STOP_TIMEOUT_S = 15.0
REUSE_CHECK_S = 30.0
POLL_S = 0.25

# Popen objects of servers this process started, kept so they are reaped (no zombies).
_CHILDREN: dict[int, subprocess.Popen[bytes]] = {}


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
    if not _alive(handle.pid, handle.port):
        state.unlink(missing_ok=True)
        return None
    if _healthy(handle.base_url, "/openapi.json", timeout_s=REUSE_CHECK_S):
        return handle
    # Alive but wedged: stop it rather than leave a second server competing for the CPU.
    _terminate(handle.pid, handle.port)
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


def default_threads() -> int:
    """Threads for llama.cpp: ``POSTMORTEM_THREADS``, else all cores but one.

    llama.cpp's worker threads spin while waiting for each other, so when they outnumber the
    free cores throughput collapses: on a busy 2-core machine, 2 threads generated 0.6 tokens/s
    and 1 thread 16 tokens/s. Leaving a core to the app and the OS avoids that cliff.
    """
    configured = load_settings().postmortem_threads
    return configured or max(1, (os.cpu_count() or 1) - 1)


def batch_threads() -> int:
    """Threads for reading a prompt: ``POSTMORTEM_THREADS``, else every core.

    Reading a prompt is a short burst while the app waits for it, so it can take every core:
    measured on 2 cores (1.5B), 33 tokens/s with 1 thread, 64 with 2.
    """
    return load_settings().postmortem_threads or (os.cpu_count() or 1)


def server_command(spec: ModelSpec, path: Path, port: int, threads: int | None = None) -> list[str]:
    """The command line that serves ``path`` on 127.0.0.1:``port``."""
    count = str(threads or default_threads())
    batch = str(threads or batch_threads())
    return [
        sys.executable,
        "-m",
        "llama_cpp.server",
        "--model",
        str(path),
        "--model_alias",
        spec.alias,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--n_ctx",
        str(CONTEXT_TOKENS),
        "--n_threads",
        count,
        "--n_threads_batch",
        batch,
        # Keep the model state of earlier prompts in RAM: a stage that returns to a transcript
        # after another one was read (two sessions, a regenerated section) skips re-reading it.
        # Measured on 0.5B, 2.9k-token prefix: 123 s without, 4.2 s with.
        "--cache",
        "true",
        # No logits for every prompt token (the server's default keeps them for logprobs, which
        # we never ask for): measured on 1.5B, prompt reading 26 -> 33 tokens/s, and each cached
        # state no longer copies a 600 KB logits row per token.
        "--logits_all",
        "false",
    ]


def _start(spec: ModelSpec, directory: Path | None, wait_s: float) -> ServerHandle:
    port = _free_port()
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
    _CHILDREN[proc.pid] = proc
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
        if _healthy(handle.base_url):
            return
        time.sleep(POLL_S)  # polling a child process; no event to wait on
    _terminate(handle.pid, handle.port)
    raise LLMError(
        f"The embedded model server was not ready within {wait_s:.0f} s; see {log_path}."
    )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _healthy(base_url: str, path: str = "/models", *, timeout_s: float = 2.0) -> bool:
    """True when ``path`` answers 200.

    ``/v1/models`` proves the model is loaded but waits for the server's model lock, so it hangs
    while another request is generating; a server already known to have started is checked with
    ``/openapi.json``, which is answered at once (the server only listens once the model loaded).
    """
    url = base_url + path if path == "/models" else base_url.removesuffix("/v1") + path
    # No proxy: the server is on loopback, and a corporate proxy must never see this traffic.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=timeout_s) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError, ValueError):
        return False


def _alive(pid: int, port: int) -> bool:
    """True if ``pid`` is our llama.cpp server on ``port`` (not a reused pid of something else)."""
    child = _CHILDREN.get(pid)
    if child is not None and child.poll() is not None:
        return False
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    args = cmdline.split(b"\0")
    return b"llama_cpp.server" in args and str(port).encode() in args


def _terminate(pid: int, port: int) -> None:
    """SIGTERM the server's process group, then SIGKILL if it lingers."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        with suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, sig)
        deadline = time.monotonic() + STOP_TIMEOUT_S
        while time.monotonic() < deadline:
            if not _alive(pid, port):
                _CHILDREN.pop(pid, None)
                return
            time.sleep(POLL_S)  # waiting for a process to exit; no event to wait on


def stop_server(size: str | None = None, *, directory: Path | None = None) -> list[ServerHandle]:
    """Stop the embedded server for ``size`` (every size when None); return what was stopped."""
    stopped = []
    for spec in [spec_for(size)] if size else list(MODELS.values()):
        state = _state_path(spec, directory)
        handle = _read_state(state)
        if handle is not None and _alive(handle.pid, handle.port):
            _terminate(handle.pid, handle.port)
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
    if not _alive(handle.pid, handle.port):
        return False
    _terminate(handle.pid, handle.port)
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
        if handle is not None and _alive(handle.pid, handle.port):
            server = f"running at {handle.base_url} (pid {handle.pid})"
        else:
            server = "not running"
        lines.append(f"{spec.size} {spec.alias}: {prepared}; server {server}")
    return "\n".join(lines)
