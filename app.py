"""Streamlit UI for the postmortem drafting service (UI only; the domain lives in drafting/).

Flow: paste or upload -> Anonymise -> Generate draft -> review and edit -> Approve -> export.
A second tab lints an existing report. Every step is saved to the local SQLite store as it
happens; the sidebar (and the ``?incident=`` URL parameter, so a browser reload) resumes a draft.
"""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

# `streamlit run` puts this folder on sys.path; AppTest and other runners may not.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from drafting import crash
from drafting.errors import DraftingError
from drafting.model import warmup
from drafting.review.session import resume
from drafting.settings import load_settings
from drafting.store import Store, default_path
from ui.approve import render_approve, render_export
from ui.generate import render_generate
from ui.intake import current_inputs, render_anonymise, render_inputs, show_detected
from ui.lint_page import render_lint_page
from ui.review import render_review
from ui.state import Keys, Memo, bump


@st.cache_resource
def open_store(path: str) -> Store:
    """One store per database file for the whole server process."""
    return Store(path)


@st.cache_resource
def warm_model() -> bool:
    """Once per app process: start the embedded model and let it read the instructions now,
    in the background, so the first draft does not wait for either (no-op for other backends).
    """
    try:
        return warmup.start(load_settings()) is not None
    except DraftingError:
        return False  # a configuration error is shown where the model is used


def _load(store: Store, incident_id: int) -> None:
    """Put a stored incident back into the session (a sidebar click or a reloaded URL)."""
    r = resume(store, incident_id)
    state = st.session_state
    state[Keys.INCIDENT] = r.incident_id
    state[Keys.TRANSCRIPT] = r.inputs.transcript
    state[Keys.USERS] = r.inputs.users_json
    state[Keys.NOTES] = r.inputs.notes or ""
    state[Keys.DATE] = r.inputs.incident_date
    state[Keys.TIMEZONE] = r.inputs.timezone
    state[Keys.ROLES], state[Keys.DECISIONS] = dict(r.roles), dict(r.decisions)
    state[Keys.DRAFT], state[Keys.VERSION] = r.draft, r.version_id
    for key in (Keys.STAGES, Keys.ERROR, Keys.PARTIAL, Keys.SUGGESTED, Keys.EDIT_ERRORS):
        state.pop(key, None)
    if r.partial is not None:
        state[Keys.PARTIAL] = r.partial  # "Generate draft" continues after the finished stages
    st.query_params["incident"] = str(incident_id)
    bump()


def _new() -> None:
    for key in (Keys.INCIDENT, Keys.DRAFT, Keys.VERSION, Keys.STAGES, Keys.ERROR, Keys.PARTIAL,
                Keys.SUGGESTED, Keys.ROLES, Keys.DECISIONS, Keys.USERS):  # fmt: skip
        st.session_state.pop(key, None)
    st.session_state[Keys.TRANSCRIPT] = ""
    st.session_state[Keys.NOTES] = ""
    st.query_params.clear()
    bump()


def sidebar(store: Store) -> None:
    """Drafts to resume, newest first."""
    st.sidebar.header("Drafts")
    st.sidebar.button("New incident", on_click=_new)
    current = st.session_state.get(Keys.INCIDENT)
    for item in store.list_incidents()[:30]:
        mark = " ✓" if item.approved else ""
        st.sidebar.button(
            f"{item.title}{mark}", key=f"resume-{item.id}", on_click=_load, args=(store, item.id),
            disabled=item.id == current, help=f"Last change {item.updated_at:%Y-%m-%d %H:%M} UTC",
        )  # fmt: skip
    st.sidebar.caption(f"Stored on this machine in {store.path}")


def draft_tab(store: Store, memo: Memo) -> None:
    """The six steps, each shown once the previous one is done."""
    render_inputs()
    transcript = show_detected(memo, current_inputs())
    prepared = render_anonymise(store, memo, transcript)
    if prepared is not None:
        render_generate(store, prepared)
    pm = render_review(store, memo, prepared)
    if pm is not None:
        pm = render_approve(store, memo, pm)
        render_export(store, memo, pm)


def main() -> None:
    """Build the page; any error becomes one sentence on screen, never a traceback."""
    st.set_page_config(page_title="Postmortem drafting", layout="wide")
    st.title("Postmortem drafting")
    try:
        page()
    except DraftingError as err:
        st.error(str(err))
    except Exception as err:  # the last line of defence: one sentence, details to a local file
        st.error(
            crash.sentence(err, crash.write_report(err, "the app"))
            + " Reload the page and pick the draft from the sidebar to continue."
        )


def page() -> None:
    """The sidebar and the two tabs."""
    store = open_store(str(default_path()))
    warm_model()
    memo: Memo = st.session_state.setdefault(Keys.MEMO, Memo())
    wanted = st.query_params.get("incident")
    if wanted and wanted.isdigit() and Keys.INCIDENT not in st.session_state:
        try:
            _load(store, int(wanted))
        except DraftingError as err:
            st.warning(str(err))
    draft, lint = st.tabs(["Draft a postmortem", "Lint a report"])
    with draft:
        draft_tab(store, memo)
    with lint:
        render_lint_page(memo)
    sidebar(store)  # last, so an incident created in this run is already listed


main()
