"""The parsed transcript: the shape every later stage (anonymise, condense, draft) consumes."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class MessageKind(StrEnum):
    """Who produced a message."""

    HUMAN = "human"
    BOT = "bot"  # alerting, monitors, deploy bots, integrations
    SYSTEM = "system"  # joins, leaves, topic changes, channel events


class Message(BaseModel):
    """One message of an incident channel.

    ``id`` is stable for the same input (``m1``, ``m2``... in input order), so drafts can cite it.
    """

    model_config = ConfigDict(frozen=True)

    id: str
    ts: datetime | None = Field(default=None, description="UTC timestamp, or None if unknown")
    speaker: str = Field(description="Name as written in the source (before anonymisation)")
    text: str
    kind: MessageKind = MessageKind.HUMAN
    thread: str | None = Field(default=None, description="id of the thread parent message")
    edited: bool = False


class Person(BaseModel):
    """A known participant, e.g. from a Slack ``users.json``: every name they go by."""

    model_config = ConfigDict(frozen=True)

    user_id: str | None = None
    handle: str | None = None
    real_name: str | None = None
    display_name: str | None = None
    is_bot: bool = False
    email: str | None = None
    phone: str | None = None

    def names(self) -> list[str]:
        """Every non-empty name this person is known by."""
        seen: list[str] = []
        for n in (self.real_name, self.display_name, self.handle):
            if n and n.strip() and n.strip() not in seen:
                seen.append(n.strip())
        return seen


class Transcript(BaseModel):
    """A parsed transcript: messages in order, the detected format, and known people."""

    model_config = ConfigDict(frozen=True)

    format: str = Field(description="detected or forced format name, e.g. 'slack-paste', 'irc'")
    messages: list[Message]
    people: list[Person] = Field(default_factory=list)
    timezone: str = "UTC"
    date_known: bool = Field(
        default=True,
        description="False when no date was given or found: timestamps then sit on 1970-01-01",
    )

    def speakers(self) -> list[str]:
        """Distinct speakers in order of first appearance."""
        out: dict[str, None] = {}
        for m in self.messages:
            out.setdefault(m.speaker, None)
        return list(out)

    def by_id(self) -> dict[str, Message]:
        """Messages keyed by id."""
        return {m.id: m for m in self.messages}
