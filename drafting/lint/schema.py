"""Checking plain data (parsed rule YAML, the pyproject TOML table) against the lint's shapes.

The lint's types are stdlib dataclasses so that `postmortem lint` starts without importing
pydantic; these checks take pydantic's place at the two boundaries where data comes in. Each
failure is an :class:`Invalid` naming where the bad value is and what is wrong with it, for the
caller to turn into one sentence.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import TypeVar

from drafting.errors import LintError
from drafting.lint.types import Severity, parse_severity

T = TypeVar("T", bound=str)


class Invalid(Exception):
    """A value does not fit its shape: ``where`` is its dotted path, ``problem`` a clause."""

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}")
        self.where = where
        self.problem = problem


def table(value: object, where: str) -> Mapping[str, object]:
    """A mapping with string keys."""
    if not isinstance(value, Mapping) or not all(isinstance(k, str) for k in value):
        raise Invalid(where, "must be a table of names to values")
    return value


def keys(
    data: Mapping[str, object], known: Collection[str], required: Sequence[str], where: str
) -> None:
    """Every key is known and every required key is present (the first offender is named)."""
    unknown = sorted(set(data) - set(known))
    if unknown:
        raise Invalid(_at(where, unknown[0]), f"no such key (known: {', '.join(known)})")
    missing = [key for key in required if key not in data]
    if missing:
        raise Invalid(_at(where, missing[0]), "this required key is missing")


def text(value: object, where: str) -> str:
    """A string."""
    if not isinstance(value, str):
        raise Invalid(where, f"must be a string, not {_kind(value)}")
    return value


def texts(value: object, where: str, *, at_least: int = 0) -> tuple[str, ...]:
    """A list of strings, with at least ``at_least`` items."""
    if not isinstance(value, list | tuple):
        raise Invalid(where, f"must be a list of strings, not {_kind(value)}")
    items = tuple(text(item, f"{where}.{i}") for i, item in enumerate(value))
    if len(items) < at_least:
        raise Invalid(where, "must not be empty" if at_least == 1 else f"needs {at_least} items")
    return items


def flag(value: object, where: str) -> bool:
    """A boolean (true or false)."""
    if not isinstance(value, bool):
        raise Invalid(where, f"must be true or false, not {_kind(value)}")
    return value


def choice(value: object, options: tuple[T, ...], where: str) -> T:
    """One of ``options``."""
    for option in options:
        if value == option:
            return option
    raise Invalid(where, f"must be one of {', '.join(options)}, not {value!r}")


def severity(value: object, where: str) -> Severity:
    """A severity name: error, warning, info (or its alias suggestion)."""
    if not isinstance(value, str):
        raise Invalid(where, f"must be a severity name, not {_kind(value)}")
    try:
        return parse_severity(value)
    except LintError:
        problem = f"{value!r} is not a severity (use error, warning or info/suggestion)"
        raise Invalid(where, problem) from None


def severities(value: object, where: str) -> dict[str, Severity]:
    """A table of names to severities."""
    return {k: severity(v, _at(where, k)) for k, v in table(value, where).items()}


def _at(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def _kind(value: object) -> str:
    return "nothing" if value is None else type(value).__name__
