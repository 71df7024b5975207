"""The launcher's prefix cache: it drops the unused score rows and counts every byte it keeps."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("llama_cpp")

from llama_cpp.llama import LlamaState

from drafting.model.llama_server import BoundedRAMCache, state_bytes

VOCAB = 1000
BATCH = 512
CONTEXT = 8192


def state(tokens: list[int], kv_bytes: int) -> LlamaState:
    """A saved state as ``Llama.save_state`` makes one with ``logits_all`` off."""
    ids = np.zeros(CONTEXT, dtype=np.intc)
    ids[: len(tokens)] = tokens
    return LlamaState(
        input_ids=ids, scores=np.zeros((BATCH, VOCAB), dtype=np.single), n_tokens=len(tokens),
        llama_state=b"\0" * kv_bytes, llama_state_size=kv_bytes, seed=1,
    )  # fmt: skip


def test_a_cached_state_keeps_one_score_row_and_is_counted_whole() -> None:
    cache = BoundedRAMCache(capacity_bytes=10**9)
    cache[[1, 2, 3]] = state([1, 2, 3], 5000)
    kept = cache[[1, 2, 3, 4]]
    assert kept.scores.shape == (1, VOCAB)
    assert cache.cache_size == state_bytes(kept) == 5000 + VOCAB * 4 + CONTEXT * 4


def test_the_limit_evicts_the_least_recently_used_states_by_their_real_size() -> None:
    one = state_bytes(state([1], 5000)) - (BATCH - 1) * VOCAB * 4  # after the score rows go
    cache = BoundedRAMCache(capacity_bytes=2 * one)
    for first in (1, 2, 3):
        cache[[first, 9]] = state([first, 9], 5000)
    assert len(cache.cache_state) == 2
    assert [1, 9] not in cache and [3, 9] in cache
    assert cache.cache_size <= 2 * one


def test_a_kept_row_loads_back_into_the_models_score_array() -> None:
    scores = np.ones((BATCH, VOCAB), dtype=np.single)
    kept = BoundedRAMCache()
    kept[[1]] = state(list(range(600)), 10)
    restored = kept[[1]]
    # Llama.load_state assigns the saved scores into the first n_tokens rows: one row broadcasts.
    scores[: restored.n_tokens, :] = restored.scores.copy()
    assert not scores.any()
