"""The llama.cpp server's command line: loopback only, context, cache and threads."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from drafting.cli.commands.model import SIZES
from drafting.model.process import server_command
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
