"""Model access: the one module that talks to a model endpoint (and imports openai and tenacity).

:class:`ModelClient` sends chat messages with a pydantic model as the JSON schema and returns a
validated instance. Every outgoing text passes the egress guard first; every request body can be
appended to an audit file. Transport retries (429, 5xx, timeouts) are the SDK's ``max_retries``;
a reply that fails validation is re-asked with the validation error, a bounded number of times.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, Literal, TypedDict, TypeVar

import openai
from openai import OpenAI
from openai.types.chat import ChatCompletion
from pydantic import BaseModel, ConfigDict, ValidationError
from tenacity import Retrying, retry_if_exception_type, stop_after_attempt, wait_none
from tenacity.wait import wait_base

from drafting.anonymise.egress import make_guard
from drafting.anonymise.redact import RedactOptions
from drafting.anonymise.roster import Roster
from drafting.errors import LLMError, OutputInvalidError
from drafting.model.dialect import Dialect, response_format

T = TypeVar("T", bound=BaseModel)

# Fixed sampling so that the same prompt gives the same request body and, on servers that honour
# it, the same answer: cassettes match on the body, and reruns are comparable.
TEMPERATURE = 0.0
SEED = 20240601
MAX_ERRORS_SHOWN = 5

OnWait = Callable[[int], None]
"""Told the 1-based place in the model's queue while a request waits for its turn."""
SlotFactory = Callable[[OnWait | None], AbstractContextManager[object]]


class ChatMessage(TypedDict):
    """One chat message as the OpenAI API takes it."""

    role: Literal["system", "user", "assistant"]
    content: str


class Usage(BaseModel):
    """Tokens and seconds spent by one or more model calls."""

    model_config = ConfigDict(frozen=True)

    prompt_tokens: int = 0
    completion_tokens: int = 0
    seconds: float = 0.0
    calls: int = 0

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
            seconds=self.seconds + other.seconds,
            calls=self.calls + other.calls,
        )


@dataclass(frozen=True)
class Reply(Generic[T]):
    """A validated answer, what it cost, and the raw text it was parsed from."""

    value: T
    usage: Usage
    raw: str


class _InvalidReply(Exception):
    """A reply that did not validate; carries what to tell the model when re-asking."""

    def __init__(self, reply: str, problem: str) -> None:
        super().__init__(problem)
        self.reply = reply
        self.problem = problem


def _problem(err: ValidationError) -> str:
    """A short, model-readable account of what failed validation."""
    parts = []
    for item in err.errors()[:MAX_ERRORS_SHOWN]:
        where = ".".join(str(p) for p in item["loc"]) or "the answer"
        parts.append(f"{where}: {item['msg']}")
    return "; ".join(parts)


class ModelClient:
    """A chat endpoint that answers with validated pydantic objects."""

    def __init__(
        self,
        client: OpenAI,
        model: str,
        *,
        backend: str,
        dialect: Dialect = "json_schema",
        strict: bool = False,
        roster: Roster,
        redact: RedactOptions | None = None,
        audit_path: Path | None = None,
        max_reasks: int = 2,
        wait: wait_base | None = None,
        reconnect: Callable[[], str] | None = None,
        slot: SlotFactory | None = None,
    ) -> None:
        """Wrap ``client``.

        Args:
            client: the OpenAI SDK client (its ``max_retries`` and ``timeout`` apply).
            model: model name sent with each request.
            backend: how to name the endpoint in messages, e.g. "OpenAI (gpt-4o-mini)".
            dialect: structured-output dialect, see :func:`response_format`.
            strict: use OpenAI's strict json_schema mode.
            roster: the people whose names must never leave: every outgoing text is checked
                against it (and for secrets and contact details) before sending, and a leak
                stops the send. Required, so that no client can send unguarded.
            redact: the extra redaction the text was prepared with (IPs, hostnames).
            audit_path: when set, each request body is appended to it as one JSON line.
            max_reasks: how many times a reply that fails validation is re-asked.
            wait: tenacity wait between re-asks (none by default; tests keep it instant).
            reconnect: when the endpoint cannot be reached, called once to (re)start it; returns
                the base URL to resend to (the embedded model's server).
            slot: makes the context manager :meth:`slot` returns (the embedded model's queue,
                :func:`drafting.model.queue.draft_slot`); None for endpoints that serve several
                requests at once.
        """
        self._client = client
        self.model = model
        self._backend = backend
        self._dialect: Dialect = dialect
        self._strict = strict
        self._guard = make_guard(roster, redact)
        self._audit_path = audit_path
        self._max_reasks = max_reasks
        self._wait = wait or wait_none()
        self._reconnect = reconnect
        self._slot = slot

    def describe(self) -> str:
        """The backend as shown to a user."""
        return self._backend

    def slot(self, on_wait: OnWait | None = None) -> AbstractContextManager[object]:
        """Hold the model for a run of requests (a whole draft), after those queued earlier.

        ``on_wait`` is told the place in the queue while waiting. Entered at once where the
        endpoint has no queue.
        """
        return self._slot(on_wait) if self._slot is not None else nullcontext()

    def complete(
        self,
        stage: str,
        messages: list[ChatMessage],
        schema: type[T],
        *,
        max_tokens: int | None = None,
    ) -> Reply[T]:
        """Ask for one ``schema`` object; re-ask with the validation error when a reply is invalid.

        Returns:
            the validated object, the usage of every attempt, and the raw text of the valid reply
            (drafting replays it verbatim so the server's prefix cache matches what it generated).

        Raises:
            LeakError: the guard found a name or secret in an outgoing text (nothing was sent).
            OutputInvalidError: no valid reply after the bounded re-asks.
            LLMError: the endpoint failed, timed out or refused.
        """
        conversation = list(messages)
        total = Usage()
        retrying = Retrying(
            stop=stop_after_attempt(self._max_reasks + 1),
            wait=self._wait,
            retry=retry_if_exception_type(_InvalidReply),
            reraise=True,
        )
        try:
            for attempt in retrying:
                with attempt:
                    completion, usage = self._send(conversation, schema, max_tokens, stage)
                    total += usage
                    try:
                        value, raw = self._parse(stage, completion, schema)
                        return Reply(value, total, raw)
                    except _InvalidReply as err:
                        conversation.extend(_reask(err))
                        raise
        except _InvalidReply as err:
            raise OutputInvalidError(
                f"The {stage} stage got no valid answer from {self._backend} after "
                f"{self._max_reasks + 1} attempts ({err.problem})."
            ) from None
        raise AssertionError("unreachable: tenacity either returns or raises")

    def prime(self, messages: list[ChatMessage]) -> Usage:
        """Send ``messages`` for a one-token plain reply, so that a server with a prefix cache has
        read them before the requests that start with them. Guarded and audited like any request.

        Raises:
            LeakError: the guard stopped a text.
            LLMError: the endpoint failed.
        """
        return self._send(messages, None, 1, "prime")[1]

    def _send(
        self,
        conversation: list[ChatMessage],
        schema: type[BaseModel] | None,
        max_tokens: int | None,
        stage: str,
    ) -> tuple[ChatCompletion, Usage]:
        """Guard, audit and send one request (a plain reply when ``schema`` is None)."""
        for message in conversation:
            self._guard(message["content"])
        body: dict[str, Any] = {
            "model": self.model,
            "messages": list(conversation),
            "temperature": TEMPERATURE,
            "seed": SEED,
        }
        if schema is not None:
            body["response_format"] = response_format(schema, self._dialect, strict=self._strict)
        if max_tokens is not None:
            body["max_tokens"] = max_tokens
        self._audit(body)
        started = time.perf_counter()
        completion = self._create(stage, body)
        return completion, _usage(completion, time.perf_counter() - started)

    def _create(self, stage: str, body: dict[str, Any]) -> ChatCompletion:
        try:
            try:
                return self._client.chat.completions.create(**body)
            except openai.APIConnectionError as err:
                # The embedded server may have been stopped since this client was made (model
                # stop, another session's cleanup): start it again once, then resend.
                if self._reconnect is None or isinstance(err, openai.APITimeoutError):
                    raise
                self._client = self._client.with_options(base_url=self._reconnect())
                return self._client.chat.completions.create(**body)
        except (openai.OpenAIError, ValueError) as err:
            raise LLMError(_transport_message(err, stage, self._backend)) from None

    def _parse(self, stage: str, completion: ChatCompletion, schema: type[T]) -> tuple[T, str]:
        """The validated object in ``completion`` and its raw text; refusals are errors, bad JSON
        is re-asked."""
        if not completion.choices:
            raise LLMError(f"The {stage} stage got an empty response from {self._backend}.")
        choice = completion.choices[0]
        if choice.message.refusal:
            refusal = " ".join(choice.message.refusal.split())[:200]
            raise LLMError(f"The {stage} stage was refused by {self._backend}: {refusal}")
        if choice.finish_reason == "content_filter":
            raise LLMError(f"The {stage} stage was blocked by {self._backend}'s content filter.")
        content = choice.message.content or ""
        if choice.finish_reason == "length":
            raise _InvalidReply(content, "the answer was cut off at the length limit; be briefer")
        try:
            parsed = schema.model_validate_json(content)
        except ValidationError as err:
            raise _InvalidReply(content, _problem(err)) from None
        return parsed, content

    def _audit(self, body: dict[str, Any]) -> None:
        if self._audit_path is None:
            return
        with self._audit_path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(body, ensure_ascii=False, sort_keys=True) + "\n")


def _reask(err: _InvalidReply) -> list[ChatMessage]:
    """The two messages that feed a validation failure back to the model."""
    return [
        {"role": "assistant", "content": err.reply},
        {
            "role": "user",
            "content": f"That answer is not valid: {err.problem}. Reply again with only a JSON "
            "object that matches the schema.",
        },
    ]


def _usage(completion: ChatCompletion, seconds: float) -> Usage:
    tokens = completion.usage
    return Usage(
        prompt_tokens=tokens.prompt_tokens if tokens else 0,
        completion_tokens=tokens.completion_tokens if tokens else 0,
        seconds=seconds,
        calls=1,
    )


def _transport_message(err: Exception, stage: str, backend: str) -> str:
    """One sentence naming the stage and the backend for an SDK or transport failure."""
    if isinstance(err, openai.APITimeoutError):
        return f"The {stage} stage timed out waiting for {backend}; raise POSTMORTEM_TIMEOUT."
    if isinstance(err, openai.APIConnectionError):
        return f"The {stage} stage could not connect to {backend}; is it running?"
    if isinstance(err, openai.RateLimitError):
        return f"The {stage} stage was rate-limited by {backend} (HTTP 429); try again later."
    if isinstance(err, openai.APIStatusError):
        detail = " ".join(str(err.message).split())[:160]
        return f"The {stage} stage failed: {backend} answered HTTP {err.status_code} ({detail})."
    return f"The {stage} stage got an unreadable response from {backend} ({type(err).__name__})."
