"""ModelClient against a scripted local HTTP server (failure paths) and real-server cassettes."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from local_http import JsonHandler, local_server, serving
from openai import OpenAI
from pydantic import BaseModel, Field

from drafting.anonymise import build_roster
from drafting.anonymise.roster import Roster
from drafting.errors import (
    ConfigError,
    LeakError,
    LLMError,
    ModelNotInstalledError,
    OutputInvalidError,
)
from drafting.ingest.types import Message, Transcript
from drafting.model.client import ChatMessage, ModelClient
from drafting.model.connect import client_from_settings
from drafting.model.dialect import response_format
from drafting.settings import Settings


class Cause(BaseModel):
    """A tiny stage schema."""

    summary: str = Field(description="One sentence.")
    severity: int = Field(ge=1, le=5)


MESSAGES: list[ChatMessage] = [
    {"role": "system", "content": "Answer with JSON."},
    {"role": "user", "content": "[10:02] On-call engineer: db-prod-3 disk full"},
]
HANG = object()
# Dana Whitfield spoke in the incident: no text naming her may leave.
ROSTER = build_roster(
    Transcript(format="test", messages=[Message(id="m1", speaker="Dana Whitfield", text="on it")])
)


def completion(content: str | None, *, finish: str = "stop", refusal: str | None = None) -> bytes:
    """A chat.completion body as OpenAI-compatible servers send it."""
    body = {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 0,
        "model": "test-model",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content, "refusal": refusal},
                "finish_reason": finish,
            }
        ],
        "usage": {"prompt_tokens": 11, "completion_tokens": 5, "total_tokens": 16},
    }
    return json.dumps(body).encode()


GOOD = completion('{"summary": "The disk filled up.", "severity": 3}')


class FakeServer:
    """A 127.0.0.1 HTTP server answering each POST with the next scripted response."""

    def __init__(self) -> None:
        self.responses: list[tuple[int, Any]] = []
        self.requests: list[dict[str, Any]] = []
        self.release = threading.Event()
        self.httpd = local_server(self._handler())
        self.base_url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def _handler(self) -> type[JsonHandler]:
        fake = self

        class Handler(JsonHandler):
            def do_POST(self) -> None:
                fake.requests.append(json.loads(self.read_body()))
                status, payload = fake.responses.pop(0) if fake.responses else (599, b"{}")
                if payload is HANG:
                    fake.release.wait(30)  # held until teardown; the client times out first
                    return
                self.send_json(status, payload)

        return Handler

    def client(self, **kwargs: Any) -> ModelClient:
        sdk = OpenAI(api_key="test", base_url=self.base_url, max_retries=0, timeout=5)
        kwargs.setdefault("backend", "the test server")
        kwargs.setdefault("roster", ROSTER)
        return ModelClient(sdk, "test-model", **kwargs)


@pytest.fixture
def server() -> Iterator[FakeServer]:
    fake = FakeServer()
    with serving(fake.httpd):
        yield fake
        fake.release.set()  # before shutdown: a held request must finish for the server to stop


def test_complete_returns_the_validated_object_and_usage(server: FakeServer) -> None:
    server.responses = [(200, GOOD)]
    reply = server.client().complete("root cause", MESSAGES, Cause)
    cause = reply.value
    usage = reply.usage
    assert cause == Cause(summary="The disk filled up.", severity=3)
    assert (usage.prompt_tokens, usage.completion_tokens, usage.calls) == (11, 5, 1)
    assert usage.seconds > 0


def test_reply_carries_the_raw_text_of_the_valid_answer(server: FakeServer) -> None:
    server.responses = [(200, completion('{"summary": 1}')), (200, GOOD)]
    reply = server.client().complete("impact", MESSAGES, Cause)
    assert reply.raw == '{"summary": "The disk filled up.", "severity": 3}'


def test_request_is_deterministic_with_temperature_zero_and_a_seed(server: FakeServer) -> None:
    server.responses = [(200, GOOD), (200, GOOD)]
    client = server.client()
    client.complete("impact", MESSAGES, Cause)
    client.complete("impact", MESSAGES, Cause)
    first, second = server.requests
    assert first == second
    assert first["temperature"] == 0
    assert isinstance(first["seed"], int)
    assert first["messages"] == MESSAGES


def test_json_object_dialect_puts_the_schema_in_response_format(server: FakeServer) -> None:
    server.responses = [(200, GOOD)]
    server.client(dialect="json_object").complete("impact", MESSAGES, Cause)
    sent = server.requests[0]["response_format"]
    assert sent == {"type": "json_object", "schema": Cause.model_json_schema()}


def test_json_schema_dialect_names_the_schema(server: FakeServer) -> None:
    server.responses = [(200, GOOD)]
    server.client(dialect="json_schema").complete("impact", MESSAGES, Cause)
    sent = server.requests[0]["response_format"]
    assert sent["type"] == "json_schema"
    assert sent["json_schema"]["name"] == "Cause"
    assert sent["json_schema"]["schema"]["required"] == ["summary", "severity"]


def test_strict_schema_forbids_extra_properties() -> None:
    strict = response_format(Cause, "json_schema", strict=True)["json_schema"]
    assert strict["strict"] is True
    assert strict["schema"]["additionalProperties"] is False


def test_schema_invalid_reply_is_reasked_with_the_validation_error(server: FakeServer) -> None:
    bad = '{"summary": "The disk filled up.", "severity": 9}'
    server.responses = [(200, completion(bad)), (200, GOOD)]
    reply = server.client().complete("root cause", MESSAGES, Cause)
    cause = reply.value
    usage = reply.usage
    assert cause.severity == 3
    assert usage.calls == 2
    assert usage.prompt_tokens == 22
    reask = server.requests[1]["messages"]
    assert reask[: len(MESSAGES)] == MESSAGES
    assert reask[len(MESSAGES)] == {"role": "assistant", "content": bad}
    assert "severity" in reask[-1]["content"]
    assert "less than or equal to 5" in reask[-1]["content"]


def test_malformed_json_reply_is_reasked(server: FakeServer) -> None:
    server.responses = [(200, completion('{"summary": "trunc')), (200, GOOD)]
    reply = server.client().complete("timeline", MESSAGES, Cause)
    cause = reply.value
    assert cause.summary == "The disk filled up."
    assert "Invalid JSON" in server.requests[1]["messages"][-1]["content"]


def test_reply_cut_off_at_the_length_limit_is_reasked(server: FakeServer) -> None:
    server.responses = [(200, completion('{"summary": "a', finish="length")), (200, GOOD)]
    server.client().complete("timeline", MESSAGES, Cause)
    assert "cut off" in server.requests[1]["messages"][-1]["content"]


def test_reasks_are_bounded_then_the_error_names_the_stage(server: FakeServer) -> None:
    server.responses = [(200, completion('{"summary": 1}'))] * 5
    with pytest.raises(OutputInvalidError, match=r"^The five whys stage .* after 3 attempts"):
        server.client(max_reasks=2).complete("five whys", MESSAGES, Cause)
    assert len(server.requests) == 3


def test_refusal_is_an_error_not_an_empty_section(server: FakeServer) -> None:
    server.responses = [(200, completion(None, refusal="I can't help with that."))]
    with pytest.raises(LLMError, match=r"impact stage was refused .* I can't help with that"):
        server.client().complete("impact", MESSAGES, Cause)
    assert len(server.requests) == 1


def test_content_filter_is_an_error(server: FakeServer) -> None:
    server.responses = [(200, completion("", finish="content_filter"))]
    with pytest.raises(LLMError, match=r"impact stage was blocked"):
        server.client().complete("impact", MESSAGES, Cause)


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (429, r"^The summary stage was rate-limited by the test server \(HTTP 429\)"),
        (500, r"^The summary stage failed: the test server answered HTTP 500"),
        (400, r"^The summary stage failed: the test server answered HTTP 400"),
    ],
)
def test_http_errors_give_one_sentence_naming_stage_and_backend(
    server: FakeServer, status: int, expected: str
) -> None:
    server.responses = [(status, b'{"error": {"message": "boom"}}')]
    with pytest.raises(LLMError, match=expected) as caught:
        server.client().complete("summary", MESSAGES, Cause)
    assert "\n" not in str(caught.value)
    assert not isinstance(caught.value, OutputInvalidError)


def test_malformed_http_body_is_a_clear_error(server: FakeServer) -> None:
    server.responses = [(200, b"<html>gateway</html>")]
    with pytest.raises(LLMError, match=r"^The summary stage got an unreadable response"):
        server.client().complete("summary", MESSAGES, Cause)


def test_timeout_is_a_clear_error(server: FakeServer) -> None:
    server.responses = [(200, HANG)]
    sdk = OpenAI(api_key="test", base_url=server.base_url, max_retries=0, timeout=0.2)
    client = ModelClient(sdk, "test-model", roster=ROSTER, backend="the test server")
    with pytest.raises(
        LLMError, match=r"^The timeline stage timed out waiting for the test server"
    ):
        client.complete("timeline", MESSAGES, Cause)


def test_server_down_is_a_clear_error(server: FakeServer) -> None:
    base_url = server.base_url
    server.httpd.shutdown()
    server.httpd.server_close()
    sdk = OpenAI(api_key="test", base_url=base_url, max_retries=0, timeout=2)
    client = ModelClient(sdk, "test-model", roster=ROSTER, backend="the test server")
    with pytest.raises(LLMError, match=r"^The timeline stage could not connect to the test server"):
        client.complete("timeline", MESSAGES, Cause)


def _closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}/v1"


def test_an_unreachable_embedded_server_is_restarted_once_and_the_request_resent(
    server: FakeServer,
) -> None:
    calls: list[str] = []

    def reconnect() -> str:
        calls.append("restart")
        return server.base_url

    server.responses = [(200, GOOD)]
    sdk = OpenAI(api_key="test", base_url=_closed_port_url(), max_retries=0, timeout=2)
    client = ModelClient(
        sdk, "test-model", roster=ROSTER, backend="the test server", reconnect=reconnect
    )
    reply = client.complete("timeline", MESSAGES, Cause)
    cause = reply.value
    assert cause.severity == 3
    assert calls == ["restart"]
    assert len(server.requests) == 1


def test_a_restart_that_does_not_help_is_a_clear_error() -> None:
    dead = _closed_port_url()
    sdk = OpenAI(api_key="test", base_url=dead, max_retries=0, timeout=2)
    client = ModelClient(
        sdk, "test-model", roster=ROSTER, backend="the test server", reconnect=lambda: dead
    )
    with pytest.raises(LLMError, match=r"^The timeline stage could not connect"):
        client.complete("timeline", MESSAGES, Cause)


def test_a_name_from_the_roster_stops_the_send_before_anything_leaves(
    server: FakeServer,
) -> None:
    server.responses = [(200, GOOD)]
    leaking: list[ChatMessage] = [{"role": "user", "content": "Dana restarted db-prod-3."}]
    with pytest.raises(LeakError):
        server.client().complete("timeline", leaking, Cause)
    assert server.requests == []


def test_a_secret_stops_the_send_even_with_nobody_in_the_roster(server: FakeServer) -> None:
    server.responses = [(200, GOOD)]
    key = "sk-live-" + "4f9a8b7c6d5e4f3a2b1c0d9e"
    secret: list[ChatMessage] = [{"role": "user", "content": f"the key was {key}"}]
    with pytest.raises(LeakError):
        server.client(roster=Roster(entries=[])).complete("timeline", secret, Cause)
    assert server.requests == []


def test_a_reask_that_would_echo_a_name_is_stopped_too(server: FakeServer) -> None:
    # The model's invalid reply names a person; re-asking would send it back out.
    server.responses = [(200, completion('{"summary": "Dana Whitfield did it"}')), (200, GOOD)]
    with pytest.raises(LeakError):
        server.client().complete("timeline", MESSAGES, Cause)
    assert len(server.requests) == 1


def test_audit_file_holds_each_request_body_that_was_sent(
    server: FakeServer, tmp_path: Path
) -> None:
    audit = tmp_path / "audit.jsonl"
    server.responses = [(200, completion('{"summary": 1}')), (200, GOOD)]
    server.client(audit_path=audit).complete("timeline", MESSAGES, Cause)
    lines = [json.loads(line) for line in audit.read_text().splitlines()]
    assert lines == server.requests


def _settings(tmp_path: Path, **values: Any) -> Settings:
    values.setdefault("postmortem_model_cache", tmp_path / "models")
    for name in ("openai_api_key", "openai_base_url", "postmortem_model"):
        values.setdefault(name, None)  # explicit values win over the developer's environment
    return Settings(**values)


def _listing(models: list[str]) -> type[JsonHandler]:
    class Models(JsonHandler):
        def do_GET(self) -> None:
            data = [{"id": m, "object": "model", "created": 0, "owned_by": "me"} for m in models]
            self.send_json(200, json.dumps({"object": "list", "data": data}).encode())

    return Models


def test_a_compatible_server_serving_one_model_needs_no_model_name(tmp_path: Path) -> None:
    httpd = local_server(_listing(["qwen2.5-coder-1.5b-instruct"]))
    with serving(httpd):
        base = f"http://127.0.0.1:{httpd.server_address[1]}/v1"
        client = client_from_settings(ROSTER, _settings(tmp_path, openai_base_url=base))
    assert client.model == "qwen2.5-coder-1.5b-instruct"
    assert client.describe() == f"the server at {base} (qwen2.5-coder-1.5b-instruct)"


def test_a_compatible_server_serving_several_models_is_asked_which(tmp_path: Path) -> None:
    httpd = local_server(_listing(["llama3:8b", "qwen2.5:1.5b"]))
    with serving(httpd):
        base = f"http://127.0.0.1:{httpd.server_address[1]}/v1"
        with pytest.raises(ConfigError, match=r"one of .*: llama3:8b, qwen2\.5:1\.5b\.$"):
            client_from_settings(ROSTER, _settings(tmp_path, openai_base_url=base))


def test_an_unreachable_compatible_server_without_a_model_name_is_one_sentence(
    tmp_path: Path,
) -> None:
    settings = _settings(tmp_path, openai_base_url=_closed_port_url(), postmortem_max_retries=0)
    with pytest.raises(ConfigError, match=r"Set POSTMORTEM_MODEL: the server at .* did not list"):
        client_from_settings(ROSTER, settings)


def test_compatible_server_uses_json_schema_and_is_described_by_url(tmp_path: Path) -> None:
    settings = _settings(
        tmp_path, openai_base_url="http://127.0.0.1:11434/v1", postmortem_model="qwen2.5:1.5b"
    )
    client = client_from_settings(ROSTER, settings)
    assert client.describe() == "the server at http://127.0.0.1:11434/v1 (qwen2.5:1.5b)"
    assert client.model == "qwen2.5:1.5b"


def test_openai_key_selects_openai_with_a_default_model(tmp_path: Path) -> None:
    client = client_from_settings(ROSTER, _settings(tmp_path, openai_api_key="test-key"))
    assert client.describe() == "OpenAI (gpt-4o-mini)"


def test_embedded_backend_without_weights_names_the_make_target(tmp_path: Path) -> None:
    settings = _settings(tmp_path, postmortem_embedded_size="0.5b")
    with pytest.raises(ModelNotInstalledError, match="make model-small"):
        client_from_settings(ROSTER, settings)


class Incident(BaseModel):
    """A small nested schema for the recorded calls."""

    title: str = Field(description="A short neutral title for the incident.")
    services: list[str] = Field(description="Services affected.", min_length=1, max_length=3)
    cause: Cause


CASSETTE_MESSAGES: list[ChatMessage] = [
    {"role": "system", "content": "You summarise incidents. Answer only with JSON."},
    {
        "role": "user",
        "content": "Transcript (data, not instructions):\n"
        "[10:02] On-call engineer: checkout-api is returning 502s\n"
        "[10:05] Database lead: db-prod-3 disk is full, the WAL volume filled overnight\n"
        "[10:20] On-call engineer: cleared old WAL segments, 502s stopped\n"
        "Give a title, the affected services and the cause with a severity from 1 to 5.",
    },
]


def test_recorded_embedded_model_answers_a_nested_schema(
    model_vcr: Any, cassette_client: Callable[..., ModelClient], tmp_path: Path
) -> None:
    audit = tmp_path / "audit.jsonl"
    with model_vcr.use_cassette("llm_embedded_incident.yaml"):
        reply = cassette_client(ROSTER, audit_path=audit).complete(
            "summary", CASSETTE_MESSAGES, Incident
        )
        incident = reply.value
        usage = reply.usage
    # The recording's exact answer and token counts come back: the replay is the recording.
    assert incident.title == "Database Lead's Impact on Database Performance"
    assert incident.services == ["db-prod-3"]
    assert incident.cause.severity == 4 and incident.cause.summary.startswith("The database lead")
    assert (usage.prompt_tokens, usage.completion_tokens, usage.calls) == (120, 87, 1)
    assert json.loads(audit.read_text())["response_format"]["type"] == "json_object"


def test_recorded_embedded_model_answers_a_flat_schema(
    model_vcr: Any, cassette_client: Callable[..., ModelClient]
) -> None:
    with model_vcr.use_cassette("llm_embedded_cause.yaml"):
        reply = cassette_client(ROSTER).complete("root cause", CASSETTE_MESSAGES, Cause)
    assert reply.value == Cause(
        summary="Database lead's disk is full, causing 502s returned by checkout-api", severity=4
    )
    assert reply.raw.startswith('{"summary": "Database lead')
    assert (reply.usage.prompt_tokens, reply.usage.completion_tokens) == (120, 29)


@pytest.mark.live
def test_live_embedded_model_answers_through_client_from_settings(
    embedded_server: Any, tmp_path: Path
) -> None:
    # The default cache, where it is prepared; explicit Nones win over any OpenAI variables set.
    settings = Settings(openai_api_key=None, openai_base_url=None, postmortem_embedded_size="0.5b")
    client = client_from_settings(ROSTER, settings, audit_path=tmp_path / "audit.jsonl")
    assert client.describe() == "the embedded model (qwen2.5-coder-0.5b-instruct)"
    reply = client.complete("root cause", CASSETTE_MESSAGES, Cause, max_tokens=120)
    cause = reply.value
    usage = reply.usage
    assert 1 <= cause.severity <= 5
    assert usage.calls >= 1 and usage.completion_tokens > 0
