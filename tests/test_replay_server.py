"""The replay server the app tests talk to: exact replay, replay by stage, and failure modes."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml
from replay_server import ReplayServer, completion, stage_of


def _body(stage: str, text: str) -> dict[str, object]:
    return {
        "model": "m",
        "messages": [{"role": "user", "content": text}],
        "response_format": {"type": "json_object", "schema": {"title": stage}},
    }


def _cassette(tmp_path: Path, stage: str, text: str, answer: str) -> Path:
    interaction = {
        "request": {"method": "POST", "uri": "http://x/v1/chat/completions",
                    "body": json.dumps(_body(stage, text))},
        "response": {"status": {"code": 200}, "body": {"string": completion(answer).decode()}},
    }  # fmt: skip
    path = tmp_path / "c.yaml"
    path.write_text(yaml.safe_dump({"interactions": [interaction], "version": 1}))
    return path


def _post(url: str, body: dict[str, object]) -> tuple[int, dict[str, object]]:
    request = urllib.request.Request(
        f"{url}/chat/completions", data=json.dumps(body).encode(), method="POST",
        headers={"content-type": "application/json"},
    )  # fmt: skip
    try:
        with urllib.request.urlopen(request, timeout=10) as reply:
            return reply.status, json.loads(reply.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


def _content(reply: dict[str, object]) -> str:
    return str(reply["choices"][0]["message"]["content"])  # type: ignore[index]


def test_stage_is_the_schema_title_in_either_dialect() -> None:
    assert stage_of(_body("WhysStage", "x")) == "WhysStage"
    schema = {"type": "json_schema", "json_schema": {"name": "n", "schema": {"title": "T"}}}
    assert stage_of({"response_format": schema}) == "T"
    assert stage_of({"messages": []}) is None


def test_an_identical_request_gets_the_recorded_answer(tmp_path: Path) -> None:
    with ReplayServer([_cassette(tmp_path, "WhysStage", "same", '{"whys": []}')]) as url:
        status, reply = _post(url, _body("WhysStage", "same"))
    assert status == 200 and _content(reply) == '{"whys": []}'


def test_a_different_request_for_a_recorded_stage_gets_that_stages_answer(tmp_path: Path) -> None:
    with ReplayServer([_cassette(tmp_path, "WhysStage", "old prompt", '{"a": 1}')]) as url:
        status, reply = _post(url, _body("WhysStage", "new prompt"))
        missing, _ = _post(url, _body("SummaryStage", "new prompt"))
    assert (status, _content(reply), missing) == (200, '{"a": 1}', 404)


@pytest.mark.parametrize(("mode", "status"), [("invalid", 200), ("error", 500)])
def test_failure_modes(tmp_path: Path, mode: str, status: int) -> None:
    server = ReplayServer([_cassette(tmp_path, "WhysStage", "x", "{}")], mode=mode)  # type: ignore[arg-type]
    with server as url:
        got, reply = _post(url, _body("WhysStage", "x"))
    assert got == status
    assert len(server.requests) == 1
    if mode == "invalid":
        assert json.loads(_content(reply)) == {"unexpected": "shape"}
