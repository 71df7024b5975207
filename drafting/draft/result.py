"""What a drafting run gives back: the result, its progress events, and the partial on failure."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from drafting.draft.stages import STAGE_NAMES
from drafting.errors import DraftingError
from drafting.model.client import Usage
from drafting.report import Postmortem, ReviewFlag

Status = Literal["start", "done", "kept", "failed"]


@dataclass(frozen=True)
class StageEvent:
    """Progress of one stage, for the CLI's stderr lines and the app's progress bar."""

    index: int
    total: int
    stage: str
    status: Status
    usage: Usage | None = None
    detail: str = ""

    def line(self) -> str:
        """``[3/8] five_whys  612+240 tokens  14.2s`` (or the status when not done)."""
        head = f"[{self.index}/{self.total}] {self.stage}"
        if self.status == "done" and self.usage is not None:
            u = self.usage
            return f"{head}  {u.prompt_tokens}+{u.completion_tokens} tokens  {u.seconds:.1f}s"
        return f"{head}  {self.status}{': ' + self.detail if self.detail else ''}"


class DraftResult(BaseModel):
    """A draft and what it cost; partial when some stages did not finish."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    postmortem: Postmortem
    usage_by_stage: dict[str, Usage] = Field(default_factory=dict)
    flags: list[ReviewFlag] = Field(default_factory=list)
    answers: dict[str, dict[str, object]] = Field(
        default_factory=dict, description="each finished stage's answer (JSON), to resume from"
    )
    proposed_roles: dict[str, str] = Field(
        default_factory=dict, description="pseudonym -> role the model proposes; a human confirms"
    )
    prompt_refs: list[str] = Field(default_factory=list)
    condensed_tokens: int = 0

    @property
    def completed(self) -> list[str]:
        """Names of the finished stages, in pipeline order."""
        return [s for s in STAGE_NAMES if s in self.answers]

    @property
    def usage(self) -> Usage:
        """Total usage over all stages."""
        total = Usage()
        for u in self.usage_by_stage.values():
            total += u
        return total


class DraftIncompleteError(DraftingError):
    """A stage failed; :attr:`partial` holds every finished stage so the draft can resume."""

    def __init__(self, message: str, partial: DraftResult) -> None:
        super().__init__(message)
        self.partial = partial


Progress = Callable[[StageEvent], None]
