"""Structured-output dialects: how a pydantic schema is asked for in a chat request.

OpenAI, vLLM and Ollama take ``response_format={"type": "json_schema", ...}``; llama.cpp's
server rejects that (HTTP 500) but constrains decoding to ``{"type": "json_object", "schema":
...}``. The client picks one per backend.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel

Dialect = Literal["json_schema", "json_object"]


def response_format(schema: type[BaseModel], dialect: Dialect, *, strict: bool) -> dict[str, Any]:
    """The ``response_format`` request field for ``schema`` in the server's dialect.

    llama.cpp's server rejects ``json_schema`` (HTTP 500) but constrains decoding to a schema given
    as ``{"type": "json_object", "schema": ...}``; OpenAI, vLLM and Ollama take ``json_schema``.
    """
    if dialect == "json_object":
        return {"type": "json_object", "schema": schema.model_json_schema()}
    if strict:
        # OpenAI's strict mode needs every property required and no extra properties; the SDK's
        # own converter (what its parse() uses) does exactly that.
        from openai.lib._pydantic import to_strict_json_schema

        body = to_strict_json_schema(schema)
    else:
        body = schema.model_json_schema()
    return {
        "type": "json_schema",
        "json_schema": {"name": schema.__name__, "schema": body, "strict": strict},
    }
