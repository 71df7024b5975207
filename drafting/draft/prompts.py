"""Prompt templates: versioned files in ``prompts/``, pinned in one table, rendered exactly.

A template is trusted text written by us (``timeline.v1.md``); its ``$placeholders`` take only
trusted values (counts, pseudonyms). Untrusted text (the transcript, the notes) is never template
source: :func:`data_message` fences it, after a fixed label, in a message of its own.
Rendering holds no timestamps or random ids, so recorded cassettes can match on the request body.
"""

from __future__ import annotations

import re
from enum import Enum
from functools import cache
from pathlib import Path
from string import Template
from typing import get_args, get_origin

from pydantic import BaseModel, ConfigDict

from drafting.errors import ConfigError

PROMPTS_DIR = Path(__file__).resolve().parents[2] / "prompts"
_FILE = re.compile(r"^(?P<name>[a-z0-9_]+)\.v(?P<version>\d+)\.md$")
_BACKTICKS = re.compile(r"`{3,}")

# The one table of prompt versions in use. A draft records these refs, and the cassettes were
# recorded with exactly these texts: a new wording is a new file and a change here (then
# re-record). Every file in prompts/ is pinned here, and every pin has its file (tested).
PINNED: dict[str, int] = {
    "system": 3,
    "next": 1,
    "participants": 1,
    "notes": 2,
    "timeline": 3,
    "roles": 3,
    "impact": 3,
    "five_whys": 3,
    "reask": 1,
    "factors": 3,
    "reflection": 3,
    "actions": 3,
    "summary": 3,
    "rewrite": 1,
}


class Prompt(BaseModel):
    """One version of one prompt template."""

    model_config = ConfigDict(frozen=True)

    name: str
    version: int
    text: str

    @property
    def ref(self) -> str:
        """``name.vN``: recorded with a draft so its output can be traced to the prompt."""
        return f"{self.name}.v{self.version}"

    def render(self, **values: object) -> str:
        """Substitute ``$placeholders`` with trusted values.

        Raises:
            ConfigError: a placeholder has no value (a template and its caller disagree).
        """
        try:
            return Template(self.text).substitute({k: str(v) for k, v in values.items()}).strip()
        except (KeyError, ValueError) as err:
            raise ConfigError(f"Prompt {self.ref} needs a value for {err}.") from err


def available(directory: Path = PROMPTS_DIR) -> dict[str, list[int]]:
    """Every prompt name in ``directory`` with its versions, ascending."""
    found: dict[str, list[int]] = {}
    for path in sorted(directory.glob("*.md")):
        m = _FILE.match(path.name)
        if m:
            found.setdefault(m["name"], []).append(int(m["version"]))
    return {name: sorted(vs) for name, vs in sorted(found.items())}


@cache
def load(name: str, version: int | None = None, directory: Path = PROMPTS_DIR) -> Prompt:
    """Load ``name.vN.md``: the pinned version (see :data:`PINNED`) unless ``version`` is given.

    Raises:
        ConfigError: no such prompt or version, or no pinned version for ``name``.
    """
    versions = available(directory).get(name)
    if not versions:
        raise ConfigError(f"No prompt named {name!r} in {directory}.")
    chosen = PINNED.get(name) if version is None else version
    if chosen is None:
        raise ConfigError(f"Prompt {name!r} has no pinned version; add it to prompts.PINNED.")
    if chosen not in versions:
        raise ConfigError(f"Prompt {name!r} has no version {chosen}.")
    text = (directory / f"{name}.v{chosen}.md").read_text(encoding="utf-8")
    return Prompt(name=name, version=chosen, text=text)


def fence(text: str) -> str:
    """Fence untrusted text with a backtick run longer than any inside it, so it cannot escape."""
    longest = max((len(m.group()) for m in _BACKTICKS.finditer(text)), default=0)
    tick = "`" * max(3, longest + 1)
    return f"{tick}text\n{text.strip()}\n{tick}"


def data_message(transcript_text: str, notes: str | None = None) -> str:
    """The first user message: the fenced transcript (and labelled, fenced notes).

    Identical for every stage, so the server reads it once. What it is and how to treat it is
    said in the system prompt, which is the same for every draft (read once per server).
    """
    parts = [fence(transcript_text)]
    if notes and notes.strip():
        parts += [load("notes").text.strip(), fence(notes)]
    return "\n".join(parts)


def field_guide(schema: type[BaseModel]) -> str:
    """The answer's fields with their descriptions, for models that do not see the JSON schema.

    llama.cpp only turns the schema into a grammar, so the model never reads the descriptions;
    this short, deterministic list puts them in the prompt (compact: every token is read).
    """
    return "Fields:\n" + "\n".join(f"- {line}" for line in _field_parts(schema))


def _field_parts(schema: type[BaseModel]) -> list[str]:
    parts: list[str] = []
    for name, info in schema.model_fields.items():
        annotation = info.annotation
        inner = get_args(annotation)[0] if get_origin(annotation) is list else annotation
        text = info.description or ""
        if isinstance(inner, type) and issubclass(inner, Enum):
            text += f" ({'|'.join(str(m.value) for m in inner)})"
        if get_origin(annotation) is list:
            text += _list_bounds(info.metadata)
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            text += ", each {" + "; ".join(_field_parts(inner)) + "}"
        parts.append(f"{name}: {text.strip()}")
    return parts


def _list_bounds(metadata: list[object]) -> str:
    # Only an exact count is stated: upper bounds are the grammar's hard limit, and each stage's
    # task asks for fewer items ("up to 3") to keep answers short.
    low = next((m.min_length for m in metadata if hasattr(m, "min_length")), None)
    high = next((m.max_length for m in metadata if hasattr(m, "max_length")), None)
    return f" (exactly {low})" if low is not None and low == high else ""
