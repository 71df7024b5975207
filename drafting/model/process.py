"""The llama.cpp server process: its command line and threads, health, and stopping it.

Process-level helpers for :mod:`drafting.model.server`, which decides when to start, reuse and
stop a server and records it in a state file.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import suppress
from pathlib import Path

from drafting.model.weights import ModelSpec
from drafting.settings import load_settings

CONTEXT_TOKENS = 8192
# The prefix cache holds this many full contexts' worth of saved states (any number of shorter
# ones in the same bytes): a whole draft of a short transcript, so a section regenerated after
# another draft still finds its transcript read. 0.5B: 806 MB, 1.5B: 1.9 GB (see cache_bytes).
CACHE_CONTEXTS = 8
# The launcher (a bounded cache), and the stock module that servers started before it ran.
SERVER_MODULES = (b"drafting.model.llama_server", b"llama_cpp.server")
STOP_TIMEOUT_S = 15.0
POLL_S = 0.25

# Popen objects of servers this process started, kept so they are reaped (no zombies).
CHILDREN: dict[int, subprocess.Popen[bytes]] = {}


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
        "drafting.model.llama_server",
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
        # A real byte limit (the launcher counts every byte a state holds): without it the
        # server grew to 14 GB after nine drafts on the 1.5B (see llama_server.py).
        "--cache_size",
        str(cache_bytes(spec)),
        # No logits for every prompt token (the server's default keeps them for logprobs, which
        # we never ask for): measured on 1.5B, prompt reading 26 -> 33 tokens/s, and each cached
        # state no longer copies a 600 KB logits row per token.
        "--logits_all",
        "false",
    ]


def cache_bytes(spec: ModelSpec) -> int:
    """The prefix cache's byte limit: :data:`CACHE_CONTEXTS` full contexts of saved state."""
    return CACHE_CONTEXTS * CONTEXT_TOKENS * spec.state_bytes_per_token


def rss_mb(pid: int) -> int | None:
    """Resident memory of ``pid`` in MB (``VmRSS`` in ``/proc/<pid>/status``); None if gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) // 1024
    return None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def healthy(base_url: str, path: str = "/models", *, timeout_s: float = 2.0) -> bool:
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


def alive(pid: int, port: int) -> bool:
    """True if ``pid`` is our llama.cpp server on ``port`` (not a reused pid of something else)."""
    child = CHILDREN.get(pid)
    if child is not None and child.poll() is not None:
        return False
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    args = cmdline.split(b"\0")
    return any(m in args for m in SERVER_MODULES) and str(port).encode() in args


def terminate(pid: int, port: int) -> None:
    """SIGTERM the server's process group, then SIGKILL if it lingers."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        with suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, sig)
        deadline = time.monotonic() + STOP_TIMEOUT_S
        while time.monotonic() < deadline:
            if not alive(pid, port):
                CHILDREN.pop(pid, None)
                return
            time.sleep(POLL_S)  # waiting for a process to exit; no event to wait on
