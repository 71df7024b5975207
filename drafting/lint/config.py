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

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path

from drafting.errors import LintError
from drafting.lint import schema
from drafting.lint.schema import Invalid
from drafting.lint.types import Severity


@dataclass(frozen=True, kw_only=True)
class LintConfig:
    """Which rules run, at what severity, and which words name people or products.

    Rule ids are upper case; built from the pyproject table by :func:`config_from_mapping`.
    """

    enable: tuple[str, ...] = ()
    disable: tuple[str, ...] = ()
    severity: dict[str, Severity] = field(default_factory=dict)
    accept_names: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    include_quoted: bool = False
    fail_on: Severity = Severity.ERROR

    def cache_key(self) -> tuple[object, ...]:
        """A hashable summary used to cache the compiled rule set for this configuration."""
        return (
            self.enable,
            self.disable,
            tuple(sorted(self.severity.items())),
            self.accept_names,
            self.names,
        )


_KEYS = tuple(f.name for f in fields(LintConfig))


def find_pyproject(start_dir: str | Path | None = None) -> Path | None:
    """The nearest ``pyproject.toml`` in ``start_dir`` (default: the current directory) or above."""
    here = Path(start_dir or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def config_from_mapping(data: Mapping[str, object], source: str = "configuration") -> LintConfig:
    """Check a ``[tool.postmortem.lint]`` table and build the configuration.

    Raises:
        LintError: an unknown key or an invalid value, named in one sentence.
    """
    try:
        return _config(data)
    except Invalid as err:
        raise LintError(
            f"Lint configuration in {source} is invalid at {err.where or 'table'}: {err.problem}."
        ) from None


def _config(raw: Mapping[str, object]) -> LintConfig:
    data = schema.table(raw, "")
    schema.keys(data, _KEYS, (), "")
    get = data.get
    return LintConfig(
        enable=_ids(get("enable", ()), "enable"),
        disable=_ids(get("disable", ()), "disable"),
        severity=_by_id(get("severity", {})),
        accept_names=schema.texts(get("accept_names", ()), "accept_names"),
        names=schema.texts(get("names", ()), "names"),
        include_quoted=schema.flag(get("include_quoted", False), "include_quoted"),
        fail_on=schema.severity(get("fail_on", Severity.ERROR), "fail_on"),
    )


def _ids(value: object, where: str) -> tuple[str, ...]:
    return tuple(rule_id.upper() for rule_id in schema.texts(value, where))


def _by_id(value: object) -> dict[str, Severity]:
    return {rule_id.upper(): s for rule_id, s in schema.severities(value, "severity").items()}


def load_config(start_dir: str | Path | None = None) -> LintConfig:
    """Read ``[tool.postmortem.lint]`` from the nearest pyproject.toml; defaults when absent.

    Raises:
        LintError: the file is not valid TOML or the table is invalid.
    """
    path = find_pyproject(start_dir)
    if path is None:
        return LintConfig()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise LintError(f"{path} could not be read as TOML: {err}.") from None
    if "postmortem" not in text:
        return LintConfig()  # no such table: skip importing tomllib (~5 ms of each run)
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise LintError(f"{path} could not be read as TOML: {err}.") from None
    table = data.get("tool", {}).get("postmortem", {}).get("lint", {})
    if not isinstance(table, dict):
        raise LintError(f"[tool.postmortem.lint] in {path} must be a table.")
    return config_from_mapping(table, str(path))
