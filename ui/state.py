"""Small helpers over Streamlit's session state shared by the page sections (UI only)."""

from __future__ import annotations

import streamlit as st

from drafting.report import Section
from drafting.session import Keys


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
