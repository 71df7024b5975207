"""Warm-up: only the embedded model, prepared, is started and primed ahead of the first draft."""

from __future__ import annotations

from pathlib import Path

from stage_server import running

from drafting.draft.conversation import system_prompt
from drafting.model import warmup
from drafting.settings import Settings


def test_only_a_prepared_embedded_model_is_warmed(tmp_path: Path) -> None:
    assert not warmup.wanted(Settings(openai_base_url="http://127.0.0.1:9/v1"))
    assert not warmup.wanted(Settings(openai_api_key="sk-test"))
    assert not warmup.wanted(Settings(postmortem_model_cache=tmp_path))  # nothing prepared here
    assert warmup.start(Settings(postmortem_model_cache=tmp_path)) is None


def test_warm_sends_the_system_prompt_once_and_a_failure_is_only_logged() -> None:
    with running() as server:
        settings = Settings(openai_base_url=server.base_url, postmortem_model="m",
                            postmortem_max_retries=0)  # fmt: skip
        assert warmup.warm(settings)
        assert server.requests[0]["messages"] == [{"role": "system", "content": system_prompt()}]
    down = Settings(openai_base_url="http://127.0.0.1:9/v1", postmortem_model="m",
                    postmortem_max_retries=0)  # fmt: skip
    assert not warmup.warm(down)
