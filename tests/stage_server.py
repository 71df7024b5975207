"""A scripted OpenAI-compatible server for drafting tests: the HTTP edge, nothing else faked.

It answers each chat completion by the stage schema's title (``TimelineStage``...), from a table
the test controls, and records every request body. Drafting runs through the real
:class:`~drafting.model.client.ModelClient` and the real OpenAI SDK.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from local_http import JsonHandler, local_server, serving
from openai import OpenAI

from drafting.anonymise.roster import Roster
from drafting.model.client import ModelClient

DNS_SAMPLE = Path(__file__).resolve().parent / "fixtures" / "draft" / "dns-irc.log"

# Answers for the DNS incident (dns-irc.log, anonymised: Responder A, Responder B, monitor).
ANSWERS: dict[str, Any] = {
    "TimelineStage": {"trigger": [], "detection": ["m1"], "escalation": [],
                      "diagnosis": ["m3"], "mitigation": ["m5"], "resolution": ["m7"],
                      "follow_up": []},
    "RolesStage": {"roles": [
        {"participant": "Responder A", "role": "On-call SRE"},
        {"participant": "Responder B", "role": "Platform engineer"},
    ]},
    "ImpactStage": {"users": "new clients", "services": ["api.example.net"],
                    "effect": "about 22 minutes of failed resolution", "duration": "22 minutes",
                    "evidence": ["m8"]},
    "WhysStage": {"problem": "The API stopped resolving.", "whys": [
        {"answer": "The zone lost its A records.", "evidence": ["m2"]},
        {"answer": "A terraform apply deleted them.", "evidence": ["m3"]},
        {"answer": "It targeted the prod zone.", "evidence": ["m4"]},
        {"answer": "The workspace variable was empty.", "evidence": ["m4"]},
        {"answer": "Pipeline runs are not checked for missing inputs before they delete.",
         "evidence": ["m4"]},
    ]},
    "FactorsStage": {"factors": ["No guard against an empty workspace variable"]},
    "ReflectionStage": {"went_well": ["A zone backup existed"], "went_wrong": ["14 deletes ran"],
                        "lucky": ["Cached clients were fine"], "lessons": ["Guard pipelines"]},
    "ActionsStage": {"items": [{"action": "Reject empty workspace variables",
                                "owner_role": "Platform team", "priority": "P0"}]},
    "SummaryStage": {"title": "DNS records deleted by cleanup pipeline",
                     "what_happened": "A cleanup pipeline deleted the API's DNS records. "
                     "Responder A restored them after about 22 minutes.",
                     "impact": "", "resolution": ""},
}  # fmt: skip


def completion(content: str, *, prompt_tokens: int = 100, completion_tokens: int = 20) -> bytes:
    """A chat.completion body as OpenAI-compatible servers send it."""
    body = {
        "id": "chatcmpl-test", "object": "chat.completion", "created": 0, "model": "test-model",
        "choices": [{"index": 0, "finish_reason": "stop",
                     "message": {"role": "assistant", "content": content}}],
        "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                  "total_tokens": prompt_tokens + completion_tokens},
    }  # fmt: skip
    return json.dumps(body).encode()


def schema_title(body: dict[str, Any]) -> str:
    """The stage schema's title in a request, in either structured-output dialect ("" for none)."""
    fmt = body.get("response_format")
    if fmt is None:
        return ""
    schema = fmt["schema"] if fmt["type"] == "json_object" else fmt["json_schema"]["schema"]
    return str(schema["title"])


class StageServer:
    """127.0.0.1 server answering by stage; ``fail`` holds titles that get HTTP 500."""

    def __init__(self) -> None:
        self.answers: dict[str, Any] = json.loads(json.dumps(ANSWERS))
        self.queued: dict[str, list[Any]] = {}
        self.fail: set[str] = set()
        self.indent: int | None = None  # pretty-print replies, as some models do
        self.requests: list[dict[str, Any]] = []
        self.httpd = local_server(self._handler())
        self.base_url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def stages(self) -> list[str]:
        """Schema title of every request received, in order."""
        return [schema_title(r) for r in self.requests]

    def _reply(self, body: dict[str, Any]) -> tuple[int, bytes]:
        title = schema_title(body)
        if not title:  # a plain completion: priming the prompt cache
            return 200, completion("ok", completion_tokens=1)
        if title in self.fail:
            return 500, b'{"error": {"message": "scripted failure"}}'
        queue = self.queued.get(title)
        answer = queue.pop(0) if queue else self.answers[title]
        return 200, completion(json.dumps(answer, indent=self.indent))

    def _handler(self) -> type[JsonHandler]:
        fake = self

        class Handler(JsonHandler):
            def do_POST(self) -> None:
                body = json.loads(self.read_body())
                fake.requests.append(body)
                self.send_json(*fake._reply(body))

        return Handler

    def client(self, roster: Roster, *, audit_path: Path | None = None) -> ModelClient:
        """A real ModelClient on this server, as the embedded backend configures it."""
        sdk = OpenAI(api_key="test", base_url=self.base_url, max_retries=0, timeout=10)
        return ModelClient(sdk, "test-model", backend="the test server", dialect="json_object",
                           roster=roster, audit_path=audit_path, max_reasks=0)  # fmt: skip


@contextmanager
def running() -> Iterator[StageServer]:
    """A started :class:`StageServer`, shut down afterwards."""
    fake = StageServer()
    with serving(fake.httpd):
        yield fake
