"""The llama.cpp server's command line: loopback only, context, cache and threads."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from drafting.cli.commands.model import SIZES
from drafting.model.process import cache_bytes, rss_mb, server_command
from drafting.model.weights import MODELS


def test_server_listens_on_loopback_only() -> None:
    command = server_command(MODELS["0.5b"], Path("m.gguf"), 8123)
    assert command[command.index("--host") + 1] == "127.0.0.1"
    assert command[command.index("--n_ctx") + 1] == "8192"
    assert command[command.index("--cache") + 1] == "true"
    assert command[command.index("--logits_all") + 1] == "false"


def test_generation_leaves_a_core_free_and_prompt_reading_uses_all_unless_configured(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("POSTMORTEM_THREADS", raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    command = server_command(MODELS["0.5b"], Path("m.gguf"), 8123)
    assert command[command.index("--n_threads") + 1] == "1"
    assert command[command.index("--n_threads_batch") + 1] == "2"
    monkeypatch.setenv("POSTMORTEM_THREADS", "3")
    command = server_command(MODELS["0.5b"], Path("m.gguf"), 8123)
    assert command[command.index("--n_threads_batch") + 1] == "3"


def test_the_cli_offers_exactly_the_model_sizes_there_are() -> None:
    assert tuple(MODELS) == SIZES


def test_the_prefix_cache_has_a_byte_limit_of_eight_full_contexts_of_state() -> None:
    for spec in MODELS.values():
        command = server_command(spec, Path("m.gguf"), 8123)
        assert command[command.index("-m") + 1] == "drafting.model.llama_server"
        limit = int(command[command.index("--cache_size") + 1])
        assert limit == cache_bytes(spec) == 8 * 8192 * spec.state_bytes_per_token
    assert cache_bytes(MODELS["1.5b"]) < 2 << 30  # below the stock default, now counted right


def test_resident_memory_is_read_from_proc() -> None:
    mine = rss_mb(os.getpid())
    assert mine is not None and mine > 0
    assert rss_mb(2**22 + 7) is None  # above pid_max: no such process
