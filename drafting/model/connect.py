"""Which model to talk to: settings in, a guarded :class:`ModelClient` out.

OpenAI-compatible server when ``OPENAI_BASE_URL`` is set, OpenAI when ``OPENAI_API_KEY`` is,
otherwise the embedded model, whose server is started (or reused) here.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import openai
from openai import OpenAI

from drafting.anonymise.redact import RedactOptions
from drafting.anonymise.roster import Roster
from drafting.errors import ConfigError
from drafting.model.client import ModelClient, OnWait, SlotFactory
from drafting.model.weights import MODELS
from drafting.settings import DEFAULT_OPENAI_MODEL, Settings, load_settings


def model_name(s: Settings) -> str:
    """The model the configuration asks for ("" for a compatible server without one)."""
    if s.postmortem_model:
        return s.postmortem_model
    if s.backend == "embedded":
        return MODELS[s.postmortem_embedded_size].alias
    return DEFAULT_OPENAI_MODEL if s.backend == "openai" else ""


def backend_label(s: Settings) -> str:
    """The backend the configuration selects, as shown to a user; starts nothing."""
    model = model_name(s) or "model not set"
    if s.backend == "embedded":
        return f"the embedded model ({model})"
    if s.backend == "compatible":
        return f"the server at {s.openai_base_url} ({model})"
    return f"OpenAI ({model})"


def client_from_settings(
    roster: Roster,
    settings: Settings | None = None,
    *,
    redact: RedactOptions | None = None,
    audit_path: Path | None = None,
) -> ModelClient:
    """The :class:`ModelClient` the configuration selects, guarding ``roster``'s names.

    Args:
        roster: the people of the incident; no text naming one of them is sent.
        settings: the configuration (read from the environment when None).
        redact: the extra redaction the text was prepared with.
        audit_path: append every request body here.

    Raises:
        ConfigError: a compatible server without ``POSTMORTEM_MODEL`` that does not serve
            exactly one model.
        ModelNotInstalledError: the embedded model is needed but not installed or prepared.
    """
    s = settings or load_settings()
    key = s.openai_api_key.get_secret_value() if s.openai_api_key else "unused"
    reconnect: Callable[[], str] | None = None
    slot: SlotFactory | None = None
    base_url: str | None
    if s.backend == "embedded":
        from drafting.model import queue, server  # only the embedded backend manages a process

        def slot(on_wait: OnWait | None) -> AbstractContextManager[object]:
            return queue.draft_slot(s, on_wait=on_wait)

        def reconnect() -> str:
            size, cache = s.postmortem_embedded_size, s.postmortem_model_cache
            return server.ensure_server(size, directory=cache).base_url

        base_url, key = reconnect(), "local"
    else:
        base_url = s.openai_base_url if s.backend == "compatible" else None
    sdk = OpenAI(
        api_key=key, base_url=base_url, timeout=s.postmortem_timeout,
        max_retries=s.postmortem_max_retries,
    )  # fmt: skip
    model = model_name(s)
    if s.backend == "compatible" and not model:
        model = served_model(sdk, str(base_url))
        s = s.model_copy(update={"postmortem_model": model})
    return ModelClient(
        sdk, model, backend=backend_label(s), dialect=s.dialect, strict=s.backend == "openai",
        roster=roster, redact=redact, audit_path=audit_path, max_reasks=s.postmortem_max_reasks,
        reconnect=reconnect, slot=slot,
    )  # fmt: skip


def served_model(sdk: OpenAI, base_url: str) -> str:
    """The one model an OpenAI-compatible server lists at ``/v1/models`` (llama.cpp, vLLM,
    Ollama and LM Studio all list theirs).

    Raises:
        ConfigError: the server cannot be asked, lists no model, or lists several (named).
    """
    try:
        names = sorted({m.id for m in sdk.models.list()})
    except (openai.OpenAIError, ValueError) as err:
        raise ConfigError(
            f"Set POSTMORTEM_MODEL: the server at {base_url} did not list its models "
            f"({type(err).__name__})."
        ) from None
    if len(names) == 1:
        return names[0]
    if not names:
        raise ConfigError(f"Set POSTMORTEM_MODEL: the server at {base_url} lists no models.")
    shown = ", ".join(names[:10]) + (" ..." if len(names) > 10 else "")
    raise ConfigError(
        f"Set POSTMORTEM_MODEL to one of the models the server at {base_url} offers: {shown}."
    )
