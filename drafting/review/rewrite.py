"""A model rewrite of one sentence the blamelessness lint flagged.

The sentence goes to the model as fenced, untrusted data through the normal client (so the egress
guard checks it first); the answer is offered to the human only if it passes the lint itself.
Nothing is applied automatically.
"""

from __future__ import annotations

from drafting.draft.prompts import fence, load
from drafting.errors import OutputInvalidError
from drafting.lint.rewrite import SentenceRewrite, rewrite_problems
from drafting.model.client import ChatMessage, ModelClient

STAGE = "rewrite"
MAX_TOKENS = 160


def rewrite_sentence(client: ModelClient, sentence: str) -> str:
    """Ask the model for a blameless rewrite of ``sentence``.

    Raises:
        LeakError: the sentence still holds a name or secret (nothing was sent).
        LLMError: the model endpoint failed.
        OutputInvalidError: the rewrite is empty or was itself flagged by the lint.
    """
    messages: list[ChatMessage] = [
        {"role": "system", "content": load("rewrite").render()},
        {"role": "user", "content": fence(sentence)},
    ]
    answer = client.complete(STAGE, messages, SentenceRewrite, max_tokens=MAX_TOKENS).value
    text = " ".join(answer.rewrite.split())
    problems = rewrite_problems(text)
    if not text or problems:
        rule = f" ({problems[0].rule})" if problems else ""
        raise OutputInvalidError(
            f"The model's rewrite was itself flagged by the lint{rule}; edit the sentence by hand."
        )
    return text
