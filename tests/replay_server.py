"""A tiny OpenAI-compatible HTTP server on 127.0.0.1 that replays recorded model responses.

The app under test (AppTest in-process, or a real ``streamlit run`` subprocess driven by a
browser) talks to it through ``OPENAI_BASE_URL`` like to any compatible server. Answers come
from the vcrpy cassettes in ``cassettes/``, recorded from the real embedded model:

- a request whose JSON body equals a recorded one gets that recording's response;
- otherwise the recorded response for the same stage (the JSON schema's title, e.g.
  ``TimelineStage``) is used, so small prompt differences do not break the browser test;
- ``mode="record"`` forwards to ``upstream`` (the real embedded server) and writes what it
  saw to ``record_to`` as a vcrpy cassette, so recording drives the exact requests the app sends;
- ``mode="invalid"`` answers every request with JSON that fails the stage's schema, and
  ``mode="error"`` with HTTP 500, to drive the app's error paths.

Run standalone: ``python tests/replay_server.py --port 8765 cassettes/*.yaml``.
"""

from __future__ import annotations

import argparse
import json
import urllib.error
import urllib.request
from collections.abc import Iterable
from contextlib import ExitStack
from pathlib import Path
from typing import Any, Literal

import yaml
from local_http import JsonHandler, local_server, serving

Mode = Literal["replay", "invalid", "error", "record"]
Recorded = tuple[int, bytes]


def _canonical(body: str | bytes | None) -> str | None:
    if body is None:
        return None
    try:
        return json.dumps(json.loads(body), sort_keys=True)
    except (ValueError, TypeError):
        return None


def stage_of(body: dict[str, Any]) -> str | None:
    """The stage a chat request belongs to: its response schema's title."""
    fmt = body.get("response_format") or {}
    schema = fmt.get("schema") or (fmt.get("json_schema") or {}).get("schema") or {}
    title = schema.get("title") or (fmt.get("json_schema") or {}).get("name")
    return str(title) if title else None


class Recordings:
    """Every chat-completion interaction found in some cassettes."""

    def __init__(self, cassettes: Iterable[Path]) -> None:
        self.exact: dict[str, Recorded] = {}
        self.by_stage: dict[str, Recorded] = {}
        for path in cassettes:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            for item in data.get("interactions", []):
                self._add(item)

    def _add(self, item: dict[str, Any]) -> None:
        request, response = item.get("request", {}), item.get("response", {})
        if not str(request.get("uri", "")).endswith("/chat/completions"):
            return
        body = (response.get("body") or {}).get("string", "")
        recorded = (
            int(response["status"]["code"]),
            body.encode() if isinstance(body, str) else body,
        )
        key = _canonical(request.get("body"))
        if key is None:
            return
        self.exact.setdefault(key, recorded)
        stage = stage_of(json.loads(key))
        ok = recorded[0] == 200 and _parses(recorded[1], json.loads(key))
        if stage and ok:
            self.by_stage.setdefault(stage, recorded)

    def answer(self, raw: bytes) -> Recorded:
        """The recorded response for a request body, or a 404 naming the stage."""
        key = _canonical(raw)
        if key is not None and key in self.exact:
            return self.exact[key]
        stage = stage_of(json.loads(raw)) if key else None
        if stage in self.by_stage:
            return self.by_stage[stage]
        return 404, json.dumps({"error": {"message": f"no recording for stage {stage}"}}).encode()


def _parses(body: bytes, request: dict[str, Any]) -> bool:
    """True when a recorded completion carries JSON content (usable as a stage's answer)."""
    try:
        content = json.loads(body)["choices"][0]["message"]["content"]
        json.loads(content)
    except (ValueError, KeyError, IndexError, TypeError):
        return False
    return True


def completion(content: str, model: str = "replay") -> bytes:
    """A minimal chat-completion response body carrying ``content``."""
    return json.dumps(
        {
            "id": "chatcmpl-replay",
            "object": "chat.completion",
            "created": 0,
            "model": model,
            "choices": [
                {"index": 0, "finish_reason": "stop",
                 "message": {"role": "assistant", "content": content}}
            ],
            "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
        }
    ).encode()  # fmt: skip


class ReplayServer:
    """The server, run on a background thread: ``with ReplayServer(paths) as url: ...``."""

    def __init__(
        self,
        cassettes: Iterable[Path],
        *,
        mode: Mode = "replay",
        port: int = 0,
        upstream: str | None = None,
        record_to: Path | None = None,
    ) -> None:
        self.recordings = Recordings(cassettes)
        self.mode: Mode = mode
        self.requests: list[dict[str, Any]] = []
        self.upstream = upstream
        self.record_to = record_to
        self.recorded: list[dict[str, Any]] = []
        self._httpd = local_server(self._handler(), port)
        self._running = ExitStack()

    @property
    def base_url(self) -> str:
        """The ``OPENAI_BASE_URL`` to give the app."""
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    def __enter__(self) -> str:
        self._running.enter_context(serving(self._httpd))
        return self.base_url

    def __exit__(self, *exc: object) -> None:
        self._running.close()
        if self.record_to is not None and self.recorded:
            cassette = {"interactions": self.recorded, "version": 1}
            self.record_to.write_text(yaml.safe_dump(cassette, sort_keys=False), encoding="utf-8")

    def _forward(self, raw: bytes) -> Recorded:
        assert self.upstream is not None
        request = urllib.request.Request(
            f"{self.upstream}/chat/completions", data=raw,
            headers={"content-type": "application/json"}, method="POST",
        )  # fmt: skip
        try:
            with urllib.request.urlopen(request, timeout=900) as reply:
                status, body = reply.status, reply.read()
        except urllib.error.HTTPError as err:
            status, body = err.code, err.read()
        self.recorded.append(
            {
                "request": {"method": "POST", "uri": f"{self.upstream}/chat/completions",
                            "body": raw.decode(), "headers": {}},
                "response": {"status": {"code": status, "message": ""},
                             "headers": {"content-type": ["application/json"]},
                             "body": {"string": body.decode()}},
            }
        )  # fmt: skip
        return status, body

    def respond(self, raw: bytes) -> Recorded:
        """The status and body for one request body, by mode."""
        body = json.loads(raw)
        self.requests.append(body)
        if self.mode == "error":
            return 500, b'{"error": {"message": "replay server told to fail"}}'
        if self.mode == "record":
            return self._forward(raw)
        if self.mode == "invalid":
            return 200, completion('{"unexpected": "shape"}')
        return self.recordings.answer(raw)

    def _handler(self) -> type[JsonHandler]:
        server = self

        class Handler(JsonHandler):
            def do_GET(self) -> None:  # health checks and model listing
                body = json.dumps({"object": "list", "data": [{"id": "replay"}]}).encode()
                self.send_json(200, body)

            def do_POST(self) -> None:
                self.send_json(*server.respond(self.read_body()))

        return Handler


def main() -> None:
    """Serve cassettes on a port until interrupted."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--mode", choices=["replay", "invalid", "error"], default="replay")
    parser.add_argument("cassettes", nargs="+", type=Path)
    args = parser.parse_args()
    server = ReplayServer(args.cassettes, mode=args.mode, port=args.port)
    print(f"replaying {len(server.recordings.exact)} recordings at {server.base_url}", flush=True)
    server._httpd.serve_forever()


if __name__ == "__main__":
    main()
