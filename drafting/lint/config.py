"""Lint configuration: ``[tool.postmortem.lint]`` in the nearest ``pyproject.toml``.

Keys (all optional)::

    [tool.postmortem.lint]
    disable = ["BL-F01"]               # rules switched off
    enable = []                        # when non-empty, only these rules run
    severity = { BL-D05 = "warning" }  # per-rule severity: error | warning | info (suggestion)
    accept_names = ["Ruby", "Hudson"]  # product names that look like people's names
    names = ["Priyanka"]               # extra first names to treat as people
    include_quoted = false             # also lint block quotes (pasted chat) and code
    fail_on = "error"                  # default for `postmortem lint --fail-on`
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from drafting.errors import LintError
from drafting.lint.types import Severity, parse_severity


class LintConfig(BaseModel):
    """Which rules run, at what severity, and which words name people or products."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    enable: tuple[str, ...] = ()
    disable: tuple[str, ...] = ()
    severity: dict[str, Severity] = Field(default_factory=dict)
    accept_names: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    include_quoted: bool = False
    fail_on: Severity = Severity.ERROR

    @field_validator("severity", mode="before")
    @classmethod
    def _severities(cls, value: object) -> object:
        if isinstance(value, dict):
            return {str(k).upper(): parse_severity(v) for k, v in value.items()}
        return value

    @field_validator("fail_on", mode="before")
    @classmethod
    def _fail_on(cls, value: object) -> object:
        return parse_severity(value)

    @field_validator("enable", "disable", mode="before")
    @classmethod
    def _upper_ids(cls, value: object) -> object:
        if isinstance(value, list | tuple):
            return tuple(str(v).upper() for v in value)
        return value

    def cache_key(self) -> tuple[object, ...]:
        """A hashable summary used to cache the compiled rule set for this configuration."""
        return (
            self.enable,
            self.disable,
            tuple(sorted(self.severity.items())),
            self.accept_names,
            self.names,
        )


def find_pyproject(start_dir: str | Path | None = None) -> Path | None:
    """The nearest ``pyproject.toml`` in ``start_dir`` (default: the current directory) or above."""
    here = Path(start_dir or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def config_from_mapping(data: dict[str, object], source: str = "configuration") -> LintConfig:
    """Validate a ``[tool.postmortem.lint]`` table.

    Raises:
        LintError: an unknown key or an invalid value, named in one sentence.
    """
    try:
        return LintConfig.model_validate(data)
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "table"
        raise LintError(
            f"Lint configuration in {source} is invalid at {where}: {first['msg']}."
        ) from None


def load_config(start_dir: str | Path | None = None) -> LintConfig:
    """Read ``[tool.postmortem.lint]`` from the nearest pyproject.toml; defaults when absent.

    Raises:
        LintError: the file is not valid TOML or the table is invalid.
    """
    path = find_pyproject(start_dir)
    if path is None:
        return LintConfig()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise LintError(f"{path} could not be read as TOML: {err}.") from None
    table = data.get("tool", {}).get("postmortem", {}).get("lint", {})
    if not isinstance(table, dict):
        raise LintError(f"[tool.postmortem.lint] in {path} must be a table.")
    return config_from_mapping(table, str(path))
