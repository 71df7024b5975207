"""Roles confirmed after drafting: rewrite every person's label throughout the report.

A draft written while people were still pseudonyms ("Responder B") is updated in place when a
role is confirmed ("On-call SRE"); ids, citations and the sign-off are never touched. Pure.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from drafting.anonymise import replace_labels
from drafting.anonymise.roster import Roster
from drafting.report import Postmortem, Status

# Report fields that are not prose about people: ids, citations, links, the reviewer's sign-off.
_NOT_PROSE = frozenset({"incident_id", "evidence", "links", "severity", "approval", "origins"})


def roster_with_roles(roster: Roster, roles: Mapping[str, str]) -> Roster:
    """``roster`` with exactly ``roles`` (pseudonym -> role); everyone else is their pseudonym."""
    cleared = [e.model_copy(update={"role": None}) for e in roster.entries]
    return Roster(entries=cleared).with_roles(dict(roles))


def label_changes(old: Roster, new: Roster) -> dict[str, str]:
    """Each person's label in ``old`` -> their label in ``new``; empty when no label changes.

    Unchanged labels map to themselves, so a longer unchanged label ("SRE (Responder B)") is
    matched whole rather than having a changed one inside it rewritten. A label two people shared
    is left out: which of them the text means is unknown.
    """
    after = {e.pseudonym: e.label for e in new.entries}
    changes: dict[str, str] = {}
    shared: set[str] = set()
    for e in old.entries:
        target = after.get(e.pseudonym, e.label)  # someone no longer listed keeps their label
        if changes.setdefault(e.label, target) != target:
            shared.add(e.label)
    for label in shared:
        del changes[label]
    return changes if any(k != v for k, v in changes.items()) else {}


def apply_roles(pm: Postmortem, old: Roster, new: Roster) -> Postmortem:
    """``pm`` with every person's ``old`` label (role, else pseudonym) replaced by the ``new`` one.

    Every prose string is rewritten, whole words only, in one pass (so swapped roles do not
    chain); ids, citations, times, origins and links are untouched. Returns ``pm`` itself when
    no text changes. A changed approved draft loses its approval: the reviewer approved the
    old wording.
    """
    labels = label_changes(old, new)
    if not labels:
        return pm
    data = pm.model_dump()
    rewritten = _rewrite(data, labels)
    if rewritten == data:
        return pm
    if pm.approval is not None:
        rewritten.update(approval=None, status=Status.DRAFT)
    return Postmortem.model_validate(rewritten)


def _rewrite(value: Any, labels: Mapping[str, str]) -> Any:
    # type() rather than isinstance(): enum members (phase, priority, ...) are str subclasses.
    if type(value) is str:
        return replace_labels(value, labels)
    if isinstance(value, list):
        return [_rewrite(v, labels) for v in value]
    if isinstance(value, dict):
        return {k: v if k in _NOT_PROSE else _rewrite(v, labels) for k, v in value.items()}
    return value
