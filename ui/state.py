"""Streamlit session state shared by the page sections: its keys, the Memo cache, widget revisions.

UI only.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import streamlit as st

from drafting.report import Section

T = TypeVar("T")


class Keys:
    """Streamlit session-state keys (one place, so tests and the app agree)."""

    STORE = "store"
    MEMO = "memo"
    INCIDENT = "incident_id"
    TRANSCRIPT = "transcript_text"
    UPLOAD_SEEN = "upload_seen"
    ARCHIVE = "slack_archive"  # an uploaded Slack export with several channels, awaiting a choice
    USERS = "users_json"
    NOTES = "notes"
    DATE = "incident_date"
    TIMEZONE = "timezone"
    DETECT_NAMES = "detect_names"
    ROLES = "roles"
    DRAFT_ROLES = "draft_roles_checked"  # (version id, roles) last compared with the draft
    SUGGESTED = "suggested_roles"
    DECISIONS = "name_decisions"
    DRAFT = "draft"
    VERSION = "version_id"
    STAGES = "stage_log"
    PARTIAL = "partial_result"
    REVS = "section_revisions"
    EDIT_ERRORS = "edit_errors"
    REWRITES = "rewrite_proposals"  # finding key -> (sentence, model rewrite) awaiting a click
    LINT_FINDINGS = "lint_findings"
    ACKS = "acknowledgements"
    MAPPING_SAVED = "mapping_saved_for"
    ERROR = "last_error"
    REVIEWER = "reviewer"
    TEMPLATE = "template"
    LINT_TEXT = "lint_text"


class Memo:
    """A small per-session cache: the result of each named computation for its last few keys.

    Streamlit reruns the whole script on every interaction; parsing, anonymising and linting a
    2,000-message transcript each time would make typing lag, so their results are kept here
    keyed by a digest of their inputs.
    """

    def __init__(self, size: int = 4) -> None:
        self._size = size
        self._entries: dict[str, dict[Hashable, Any]] = {}
        self.misses = 0

    def get(self, name: str, key: Hashable, compute: Callable[[], T]) -> T:
        """The cached result for ``(name, key)``, computing and storing it on a miss."""
        slot = self._entries.setdefault(name, {})
        if key in slot:
            return slot[key]
        self.misses += 1
        value = compute()
        slot[key] = value
        while len(slot) > self._size:
            slot.pop(next(iter(slot)))
        return value


def rev(section: Section) -> int:
    """The section's widget revision (part of its widget key)."""
    return int(st.session_state.setdefault(Keys.REVS, {}).get(section.value, 0))


def bump(*sections: Section) -> None:
    """Give the sections' widgets new keys, so they show new text instead of their old state.

    Needed whenever a section changes by something other than its own widget: a suggestion
    applied, a regeneration, a new draft, a resumed incident.
    """
    revs = st.session_state.setdefault(Keys.REVS, {})
    for s in sections or tuple(Section):
        revs[s.value] = revs.get(s.value, 0) + 1
