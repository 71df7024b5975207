"""Configuration from the environment (pydantic-settings).

``OPENAI_API_KEY`` and ``OPENAI_BASE_URL`` are read under the names the OpenAI SDK uses, so a
shell already set up for the SDK works unchanged. Everything of our own starts with
``POSTMORTEM_``. With neither OpenAI variable set, the embedded local model serves.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from drafting.errors import ConfigError

Backend = Literal["openai", "compatible", "embedded"]
EmbeddedSize = Literal["1.5b", "0.5b"]
Dialect = Literal["auto", "json_schema", "json_object"]

DEFAULT_OPENAI_MODEL = "gpt-4o-mini"


def _xdg_dir(variable: str, fallback: str) -> Path:
    """The XDG base directory named by ``variable``, or ``~/<fallback>`` when unset or empty."""
    value = os.environ.get(variable)
    return Path(value) if value else Path.home() / fallback


def default_db_path() -> Path:
    """Per-user SQLite path: ``$XDG_DATA_HOME/postmortem/postmortem.sqlite3``."""
    return _xdg_dir("XDG_DATA_HOME", ".local/share") / "postmortem" / "postmortem.sqlite3"


def default_model_cache() -> Path:
    """Per-user cache for the assembled embedded model: ``$XDG_CACHE_HOME/postmortem/models``."""
    return _xdg_dir("XDG_CACHE_HOME", ".cache") / "postmortem" / "models"


class Settings(BaseSettings):
    """Every setting the service reads; field names are the environment variable names."""

    # Empty variables count as unset: `OPENAI_BASE_URL= make run` must not select a blank server.
    model_config = SettingsConfigDict(case_sensitive=False, env_ignore_empty=True, extra="ignore")

    openai_api_key: SecretStr | None = Field(
        default=None, description="OpenAI API key; selects OpenAI when no base URL is set."
    )
    openai_base_url: str | None = Field(
        default=None, description="Any OpenAI-compatible server (vLLM, Ollama, LM Studio)."
    )
    postmortem_model: str | None = Field(
        default=None, description="Model name; defaults per backend."
    )
    postmortem_db: Path = Field(default_factory=default_db_path)
    postmortem_embedded_size: EmbeddedSize = "1.5b"
    postmortem_timeout: float = Field(default=600.0, gt=0, description="Seconds per model call.")
    postmortem_max_retries: int = Field(default=2, ge=0, description="SDK transport retries.")
    postmortem_max_reasks: int = Field(default=2, ge=0, description="Re-asks after bad output.")
    postmortem_threads: int | None = Field(
        default=None,
        ge=1,
        description="CPU threads for the embedded model (default: cores - 1 to generate, "
        "all cores to read a prompt).",
    )
    postmortem_model_cache: Path = Field(default_factory=default_model_cache)
    postmortem_server_max_rss_mb: int = Field(
        default=6144,
        ge=0,
        description="Restart the embedded model server between drafts once its resident memory "
        "exceeds this many MB (0: never).",
    )
    postmortem_schema_dialect: Dialect = Field(
        default="auto",
        description="How the JSON schema is sent: json_schema (OpenAI, vLLM, Ollama) or "
        "json_object (llama.cpp's server); auto picks json_object only for the embedded model.",
    )

    @property
    def backend(self) -> Backend:
        """Which kind of endpoint these settings select."""
        if self.openai_base_url:
            return "compatible"
        if self.openai_api_key is not None and self.openai_api_key.get_secret_value():
            return "openai"
        return "embedded"

    @property
    def dialect(self) -> Literal["json_schema", "json_object"]:
        """The structured-output dialect for the selected backend."""
        if self.postmortem_schema_dialect != "auto":
            return self.postmortem_schema_dialect
        return "json_object" if self.backend == "embedded" else "json_schema"


def load_settings() -> Settings:
    """Read :class:`Settings` from the environment.

    Raises:
        ConfigError: a variable holds a value of the wrong shape (one sentence naming it).
    """
    try:
        return Settings()
    except ValidationError as err:
        first = err.errors()[0]
        name = str(first["loc"][0]).upper() if first["loc"] else "a setting"
        raise ConfigError(f"The environment variable {name} is invalid: {first['msg']}.") from err
