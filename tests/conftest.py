"""Shared fixtures: cassette replay of real model servers, and the live embedded model.

Cassettes in ``cassettes/`` are recorded against a real server (the embedded 0.5B model) with
``POSTMORTEM_RECORD=1`` and replayed otherwise; an unmatched request then fails the test instead
of reaching any network. Requests match on method, path and body, never on headers or host.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import vcr
from hypothesis import settings
from openai import OpenAI

from drafting.anonymise.roster import Roster
from drafting.model import server as local_model
from drafting.model.client import ModelClient
from drafting.model.weights import MODELS, is_prepared

# No per-example deadline anywhere: these machines are shared and noisy, and a property test
# fails on what it finds, never on how long an example took.
settings.register_profile("noisy-machines", deadline=None)
settings.load_profile("noisy-machines")

CASSETTES = Path(__file__).resolve().parent.parent / "cassettes"
RECORDING = os.environ.get("POSTMORTEM_RECORD") == "1"
LIVE_SIZE = "0.5b"
LIVE_MODEL = MODELS[LIVE_SIZE].alias
# Never contacted when replaying (vcr answers); a refused port if vcr somehow let a request by.
REPLAY_BASE_URL = "http://127.0.0.1:9/v1"
SCRUBBED_RESPONSE_HEADERS = ("set-cookie", "openai-organization", "openai-project", "x-request-id")


def _scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    """Drop response headers that identify an account or session."""
    headers = response.get("headers", {})
    for name in list(headers):
        if name.lower() in SCRUBBED_RESPONSE_HEADERS:
            del headers[name]
    return response


MODEL_VCR = vcr.VCR(
    cassette_library_dir=str(CASSETTES),
    serializer="yaml",
    record_mode="once" if RECORDING else "none",
    match_on=["method", "path", "body"],
    filter_headers=["authorization", "cookie", "api-key", "openai-organization", "openai-project"],
    before_record_response=_scrub_response,
    decode_compressed_response=True,
)


@pytest.fixture
def model_vcr() -> vcr.VCR:
    """The project's VCR: ``with model_vcr.use_cassette("name.yaml"): ...``."""
    return MODEL_VCR


@pytest.fixture(scope="session")
def embedded_server() -> Iterator[local_model.ServerHandle]:
    """The real embedded 0.5B server, started once per session (reused if already running).

    Skips, with the reason, when the runtime or the weights are not installed.
    """
    spec = MODELS[LIVE_SIZE]
    if not local_model.runtime_installed():
        pytest.skip("llama-cpp-python[server] is not installed (run `make install-test`)")
    if not is_prepared(spec):
        pytest.skip(f"the embedded {LIVE_SIZE} model is not prepared (run `{spec.make_target}`)")
    already_running = local_model.running_server(LIVE_SIZE)
    handle = local_model.ensure_server(LIVE_SIZE)
    yield handle
    if already_running is None:
        local_model.stop(handle)


@pytest.fixture
def cassette_base_url(request: pytest.FixtureRequest) -> str:
    """Where cassette-backed clients point: the live server when recording, else nowhere."""
    if not RECORDING:
        return REPLAY_BASE_URL
    handle: local_model.ServerHandle = request.getfixturevalue("embedded_server")
    return handle.base_url


@pytest.fixture
def cassette_client(cassette_base_url: str) -> Callable[..., ModelClient]:
    """Factory for a :class:`ModelClient` as the embedded backend builds it, fit for cassettes.

    The model name and dialect are fixed so request bodies are identical when recording and
    replaying; ``max_retries=0`` so a failure is never hidden by an SDK retry.
    """

    def make(roster: Roster, *, audit_path: Path | None = None) -> ModelClient:
        sdk = OpenAI(api_key="local", base_url=cassette_base_url, max_retries=0, timeout=600)
        return ModelClient(
            sdk,
            LIVE_MODEL,
            backend=f"the embedded model ({LIVE_MODEL})",
            dialect="json_object",
            roster=roster,
            audit_path=audit_path,
        )

    return make


@pytest.fixture(autouse=True)
def _crash_reports_in_tmp(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: Any) -> None:
    """Crash reports written during a test land in a temporary folder, not the user's."""
    monkeypatch.setenv("POSTMORTEM_CRASH_DIR", str(tmp_path_factory.mktemp("crash")))
