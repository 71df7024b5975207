"""Shapes of what the store returns (pydantic models at the module boundary)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class VersionKind(StrEnum):
    """What produced a draft version."""

    STAGE = "stage"  # a finished pipeline stage (partial draft), kept if a later stage fails
    GENERATION = "generation"  # a complete draft from the pipeline
    EDIT = "edit"  # a human edit of one section
    REGENERATION = "regeneration"  # the model rewrote one section
    LINT_FIX = "lint-fix"  # a lint suggestion was applied
    APPROVAL = "approval"  # the approved version (status and approval set)
    RELABEL = "relabel"  # roles changed after drafting were written into the text
    CONFLICT = "conflict"  # an edit saved against an older version: kept, never current


class IncidentSummary(BaseModel):
    """One row of the "resume a draft" list."""

    model_config = ConfigDict(frozen=True)

    id: int
    title: str
    updated_at: datetime
    approved: bool
    team: str | None = None
    author: str | None = None


class Incident(BaseModel):
    """An incident with its local-only inputs."""

    model_config = ConfigDict(frozen=True)

    id: int
    title: str
    created_at: datetime
    updated_at: datetime
    incident_date: date | None
    timezone: str
    template: str
    transcript: str
    users_json: str | None
    notes: str | None
    author: str | None = None  # the signed-in author's identity; None in single-user mode
    team: str | None = None  # the team that may see it; None in single-user mode


class RosterState(BaseModel):
    """The local name mapping, the confirmed roles and the decisions on detected names."""

    mapping: dict[str, str] = {}  # real name -> pseudonym
    roles: dict[str, str] = {}  # pseudonym -> role
    decisions: dict[str, str] = {}  # detected name -> "confirmed" | "dismissed"


class DraftVersion(BaseModel):
    """One stored version of a draft; ``postmortem_json`` is a serialised ``Postmortem``."""

    model_config = ConfigDict(frozen=True)

    id: int
    incident_id: int
    created_at: datetime
    kind: VersionKind
    section: str | None
    postmortem_json: str
    provenance: dict[str, str]  # section -> "model" | "human"
    roles: dict[str, str] | None = None  # pseudonym -> role the text uses; None: as before


class ApprovalRecord(BaseModel):
    """Who approved which version, and when."""

    model_config = ConfigDict(frozen=True)

    incident_id: int
    version_id: int
    reviewer: str
    approved_at: datetime
    reviewer_id: str | None = None  # a signed-in reviewer's identity (e-mail)
    verified: bool = False  # the reviewer is a signed-in identity, not a typed name
