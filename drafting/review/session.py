"""The app's session: named state keys and the transitions that persist each step to the store.

Everything a user does that must survive a reload (the pasted transcript, confirmed roles, every
draft version, acknowledgements, the approval) goes through here into :class:`~drafting.store.Store`
at the moment it happens, so the app can be closed at any point and resumed from the sidebar.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from pydantic import BaseModel, ConfigDict

from drafting.anonymise.prepare import Inputs
from drafting.anonymise.roster import Roster
from drafting.report import Origin, Postmortem, Section
from drafting.review.roles import apply_roles, roster_with_roles
from drafting.store import RosterState, Store, VersionKind


class Resumed(BaseModel):
    """Everything needed to put a stored incident back on screen."""

    model_config = ConfigDict(frozen=True)

    incident_id: int
    inputs: Inputs
    roles: dict[str, str]
    decisions: dict[str, str]
    template: str
    draft: Postmortem | None
    version_id: int | None
    partial: Postmortem | None = None  # finished stages of a generation that failed


def title_for(inputs: Inputs) -> str:
    """A provisional title for the sidebar until the model writes one."""
    when = inputs.incident_date.isoformat() if inputs.incident_date else "undated"
    return f"Incident ({when})"


def start_incident(store: Store, inputs: Inputs) -> int:
    """Persist a new incident's inputs (before anything is sent anywhere); returns its id."""
    return store.create_incident(
        title_for(inputs),
        inputs.transcript,
        notes=inputs.notes,
        users_json=inputs.users_json,
        incident_date=inputs.incident_date,
        timezone=inputs.timezone,
    )


def save_roles(
    store: Store,
    incident_id: int,
    roles: dict[str, str],
    decisions: dict[str, str],
    mapping: dict[str, str],
) -> None:
    """Persist the confirmed roles, the name decisions and the local name mapping."""
    store.save_roster(incident_id, RosterState(mapping=mapping, roles=roles, decisions=decisions))


def save_version(
    store: Store,
    incident_id: int,
    pm: Postmortem,
    kind: VersionKind,
    section: Section | None = None,
    roles: dict[str, str] | None = None,
) -> int:
    """Persist a draft version and keep the sidebar title in step with the draft's title.

    ``roles`` are the roles the text is labelled with, when they change (a generation, a
    relabelling); other versions keep those of the version before them.
    """
    provenance = {s.value: o.value for s, o in pm.origins.items()}
    version_id = store.add_version(
        incident_id,
        kind,
        pm.model_dump_json(),
        provenance=provenance,
        section=section.value if section else None,
        roles=roles,
    )
    if kind in (VersionKind.GENERATION, VersionKind.STAGE) and pm.title:
        store.update_incident(incident_id, title=pm.title)
    return version_id


def apply_confirmed_roles(
    store: Store,
    incident_id: int,
    pm: Postmortem,
    version_id: int,
    roster: Roster,
    roles: dict[str, str],
) -> tuple[Postmortem, int]:
    """The draft relabelled to ``roles`` when its text uses other roles, saved as a new version.

    Args:
        store: The store holding the draft's versions.
        incident_id: The incident.
        pm: The draft shown (version ``version_id``).
        version_id: Its stored version.
        roster: The current roster (any roles; only pseudonyms and names are used).
        roles: The confirmed roles now (pseudonym -> role).

    Returns:
        The draft and its version id: unchanged when the text already uses ``roles`` (or the
        version predates the record of roles), else the relabelled draft, each section keeping
        its origin, stored as a :attr:`VersionKind.RELABEL` version.
    """
    labelled = store.labelled_roles(incident_id, version_id)
    if labelled is None or labelled == roles:
        return pm, version_id
    new = apply_roles(pm, roster_with_roles(roster, labelled), roster_with_roles(roster, roles))
    if new is pm:  # no one's label is in the text: nothing to store
        return pm, version_id
    return new, save_version(store, incident_id, new, VersionKind.RELABEL, roles=dict(roles))


def mark_model_written(pm: Postmortem, sections: list[Section]) -> Postmortem:
    """A copy with ``sections`` marked model-written (after a generation or a regeneration)."""
    origins = {**pm.origins, **dict.fromkeys(sections, Origin.MODEL)}
    return pm.model_copy(update={"origins": origins})


def approve(
    store: Store,
    incident_id: int,
    pm: Postmortem,
    reviewer: str,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> tuple[Postmortem, int]:
    """Approve the draft by ``reviewer``: stores the approved version and the approval record."""
    approved = pm.approve(reviewer.strip(), clock())
    version_id = save_version(store, incident_id, approved, VersionKind.APPROVAL)
    store.record_approval(incident_id, version_id, reviewer.strip())
    return approved, version_id


def resume(store: Store, incident_id: int) -> Resumed:
    """Load a stored incident with its latest draft version."""
    incident = store.get_incident(incident_id)
    roster = store.load_roster(incident_id)
    versions = store.versions(incident_id)
    complete = [v for v in versions if v.kind is not VersionKind.STAGE]
    latest = complete[-1] if complete else None
    draft = Postmortem.model_validate_json(latest.postmortem_json) if latest else None
    # A failed generation after the last complete draft left finished stages to resume from.
    stages = [
        v for v in versions if v.kind is VersionKind.STAGE and (latest is None or v.id > latest.id)
    ]
    partial = Postmortem.model_validate_json(stages[-1].postmortem_json) if stages else None
    return Resumed(
        incident_id=incident_id,
        inputs=Inputs(
            transcript=incident.transcript,
            users_json=incident.users_json,
            notes=incident.notes,
            incident_date=incident.incident_date,
            timezone=incident.timezone,
        ),
        roles=roster.roles,
        decisions=roster.decisions,
        template=incident.template,
        draft=draft,
        version_id=latest.id if latest else None,
        partial=partial,
    )
