"""Settings come from the environment under the names DESIGN.md fixes."""

from __future__ import annotations

from pathlib import Path

import pytest

from drafting.errors import ConfigError
from drafting.settings import load_settings

VARIABLES = (
    "OPENAI_API_KEY",
    "OPENAI_BASE_URL",
    "POSTMORTEM_MODEL",
    "POSTMORTEM_DB",
    "POSTMORTEM_EMBEDDED_SIZE",
    "POSTMORTEM_TIMEOUT",
    "POSTMORTEM_MODEL_CACHE",
    "POSTMORTEM_SCHEMA_DIALECT",
    "XDG_DATA_HOME",
    "XDG_CACHE_HOME",
)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))


def test_no_openai_variables_selects_the_embedded_model_with_json_object_dialect() -> None:
    settings = load_settings()
    assert settings.backend == "embedded"
    assert settings.dialect == "json_object"
    assert settings.postmortem_embedded_size == "1.5b"


def test_api_key_selects_openai_and_is_kept_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "test-key-123")
    settings = load_settings()
    assert settings.backend == "openai"
    assert settings.dialect == "json_schema"
    assert "test-key-123" not in repr(settings)


def test_base_url_selects_a_compatible_server_even_with_a_key(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "test-key-123")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:11434/v1")
    assert load_settings().backend == "compatible"


def test_empty_variables_count_as_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "")
    monkeypatch.setenv("OPENAI_BASE_URL", "")
    assert load_settings().backend == "embedded"


def test_default_paths_are_per_user(tmp_path: Path) -> None:
    settings = load_settings()
    assert settings.postmortem_db == tmp_path / ".local/share/postmortem/postmortem.sqlite3"
    assert settings.postmortem_model_cache == tmp_path / ".cache/postmortem/models"


def test_xdg_directories_are_honoured(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    settings = load_settings()
    assert settings.postmortem_db == tmp_path / "data/postmortem/postmortem.sqlite3"
    assert settings.postmortem_model_cache == tmp_path / "cache/postmortem/models"


def test_explicit_values_override_defaults(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("POSTMORTEM_DB", str(tmp_path / "x.sqlite3"))
    monkeypatch.setenv("POSTMORTEM_EMBEDDED_SIZE", "0.5b")
    monkeypatch.setenv("POSTMORTEM_TIMEOUT", "12.5")
    monkeypatch.setenv("POSTMORTEM_MODEL", "qwen2.5:1.5b")
    settings = load_settings()
    assert settings.postmortem_db == tmp_path / "x.sqlite3"
    assert settings.postmortem_embedded_size == "0.5b"
    assert settings.postmortem_timeout == 12.5
    assert settings.postmortem_model == "qwen2.5:1.5b"


def test_dialect_can_be_forced_for_a_llama_cpp_server_behind_a_base_url(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:8000/v1")
    monkeypatch.setenv("POSTMORTEM_SCHEMA_DIALECT", "json_object")
    assert load_settings().dialect == "json_object"


@pytest.mark.parametrize(
    ("name", "value"),
    [("POSTMORTEM_EMBEDDED_SIZE", "7b"), ("POSTMORTEM_TIMEOUT", "-1"), ("POSTMORTEM_TIMEOUT", "x")],
)
def test_invalid_value_is_a_config_error_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=name):
        load_settings()
