"""``python -m drafting.model.llama_server``: llama.cpp's server with a bounded prefix cache.

llama-cpp-python's ``LlamaRAMCache`` keeps one saved state per answered request and evicts the
oldest once ``cache_size`` bytes are exceeded, but it counts only the KV part of each state.
Every state also holds a copy of the model's score array, ``n_batch`` x ``n_vocab`` float32
(512 x 151,936 x 4 = 311 MB for Qwen2.5), which it never counts; measured on the 0.5B, a
1,639-token transcript prefix is 20 MB of KV state plus those 311 MB. So the default 2 GiB limit
let about a hundred states (30 GB) pile up, and the server grew to 14 GB after nine drafts.

With ``--logits_all false`` that array is never written (sampling happens inside llama.cpp; the
array only serves logprobs, which need ``logits_all``), so the copy is of nothing. This launcher
swaps in a cache that keeps one row of it instead (``load_state`` broadcasts it back) and counts
every array a state holds, so ``--cache_size`` is a real byte limit. Everything else is the stock
server: same arguments, same API.
"""

from __future__ import annotations

from collections.abc import Sequence

import llama_cpp
import numpy as np
from llama_cpp.llama import LlamaState


class BoundedRAMCache(llama_cpp.LlamaRAMCache):
    """``LlamaRAMCache`` that drops the unused score copy and counts every byte it keeps."""

    def __setitem__(self, key: Sequence[int], value: LlamaState) -> None:
        """Keep ``value`` without its score rows (all but one; see the module docstring)."""
        if value.scores.ndim == 2 and value.scores.shape[0] > 1:
            value.scores = np.zeros((1, value.scores.shape[1]), dtype=value.scores.dtype)
        super().__setitem__(key, value)

    @property
    def cache_size(self) -> int:
        """Bytes held: KV state, score row and token ids of every cached state."""
        return sum(state_bytes(s) for s in self.cache_state.values())


def state_bytes(state: LlamaState) -> int:
    """Bytes one cached state holds."""
    return int(state.llama_state_size + state.scores.nbytes + state.input_ids.nbytes)


def main() -> None:
    """Run ``llama_cpp.server`` with :class:`BoundedRAMCache` as its RAM cache."""
    # The server builds its cache as `llama_cpp.LlamaRAMCache(capacity_bytes=...)`, looked up
    # when the model loads, so replacing the attribute here is enough.
    llama_cpp.LlamaRAMCache = BoundedRAMCache  # type: ignore[misc]
    from llama_cpp.server.__main__ import main as serve

    serve()


if __name__ == "__main__":
    main()
