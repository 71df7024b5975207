"""Steps 1 and 2: paste or upload the transcript, then anonymise and confirm roles (UI only)."""

from __future__ import annotations

from datetime import date

import streamlit as st

from drafting.anonymise import egress, names
from drafting.anonymise.prepare import Inputs, Prepared, digest, parse_inputs, prepare
from drafting.anonymise.roster import CONFIRMED, DISMISSED, Roster
from drafting.condense import condense
from drafting.draft.pipeline import transcript_budget
from drafting.draft.prompts import data_message
from drafting.errors import DraftingError
from drafting.ingest import Transcript
from drafting.ingest.slack_archive import channels, read_channel
from drafting.review.session import save_roles, start_incident
from drafting.store import Store
from drafting.textinput import decode_bytes, unzip
from ui.preview import render_preview
from ui.state import Keys, Memo

# Chat pastes and exports of every format ingest reads; a zip is a whole Slack export.
UPLOAD_TYPES = ["txt", "md", "json", "log", "csv", "sbv", "html", "zip"]


def current_inputs() -> Inputs:
    """The inputs as currently on screen."""
    state = st.session_state
    return Inputs(
        transcript=state.get(Keys.TRANSCRIPT, ""),
        users_json=state.get(Keys.USERS),
        notes=state.get(Keys.NOTES) or None,
        incident_date=state.get(Keys.DATE),
        timezone=(state.get(Keys.TIMEZONE) or "UTC").strip() or "UTC",
    )


def _take_upload(key: str, target: str, seen_key: str) -> None:
    """Copy a newly uploaded file into the text field ``target`` (before that widget is drawn)."""
    upload = st.session_state.get(key)
    if upload is None or st.session_state.get(seen_key) == upload.file_id:
        return
    st.session_state[seen_key] = upload.file_id
    try:
        if upload.name.lower().endswith(".zip"):
            # A Slack export: one channel's messages, and its users.json for real names.
            files = unzip(upload.getvalue(), upload.name)
            if len(channels(files)) > 1:
                st.session_state[Keys.ARCHIVE] = files  # the user picks the channel below
                return
            _use_channel(files, None, target)
        else:
            st.session_state[target] = decode_bytes(upload.getvalue(), upload.name)
    except DraftingError as err:
        st.error(str(err))


def _use_channel(files: dict[str, bytes], channel: str | None, target: str) -> None:
    export = read_channel(files, channel)
    st.session_state[target] = export.messages_json
    st.session_state[Keys.USERS] = export.users_json
    st.session_state.pop(Keys.ARCHIVE, None)


def _choose_channel(target: str) -> None:
    files: dict[str, bytes] | None = st.session_state.get(Keys.ARCHIVE)
    if not files:
        return
    names = sorted(channels(files))
    pick = st.selectbox("Channel of the Slack export", names, key="archive_channel")
    st.button("Use this channel", on_click=_use_channel, args=(files, pick, target))


def render_inputs() -> None:
    """Step 1: the transcript, optional users.json and notes, the date and time zone."""
    st.subheader("1. Paste or upload the transcript")
    st.file_uploader("Upload a transcript", type=UPLOAD_TYPES, key="transcript_upload")
    _take_upload("transcript_upload", Keys.TRANSCRIPT, Keys.UPLOAD_SEEN)
    _choose_channel(Keys.TRANSCRIPT)
    st.text_area("Incident transcript", key=Keys.TRANSCRIPT, height=220)
    left, right = st.columns(2)
    # Most postmortems start the day of the incident; without a date, clock-only transcripts
    # (Slack paste, IRC) would have no calendar day at all.
    st.session_state.setdefault(Keys.DATE, date.today())
    left.date_input("Incident date", key=Keys.DATE)
    right.text_input("Time zone", key=Keys.TIMEZONE, placeholder="UTC or Europe/Berlin")
    with st.expander("Optional: Slack users.json and responder notes"):
        st.file_uploader("Slack users.json", type=["json"], key="users_upload")
        _take_upload("users_upload", Keys.USERS, "users_upload_seen")
        st.text_area("Notes", key=Keys.NOTES, height=100)


def show_detected(memo: Memo, inputs: Inputs) -> Transcript | None:
    """Show the detected format and message count as soon as there is text."""
    if not inputs.transcript.strip():
        return None
    try:
        transcript = parse_inputs(inputs, memo)
    except DraftingError as err:
        st.error(str(err))
        return None
    st.caption(
        f"Detected format: **{transcript.format}** · {len(transcript.messages)} messages · "
        f"{len(transcript.speakers())} speakers"
    )
    return transcript


def render_anonymise(store: Store, memo: Memo, transcript: Transcript | None) -> Prepared | None:
    """Step 2: the Anonymise button, the participants table and the egress preview."""
    st.subheader("2. Anonymise")
    # On by default: off, a person who never speaks ("thanks Dana") reaches the model.
    st.session_state.setdefault(Keys.DETECT_NAMES, names.available())
    st.checkbox(
        "Find names in message text (people who never speak)",
        key=Keys.DETECT_NAMES,
        disabled=not names.available(),
        help="Uses the offline name detector (the 'ner' extra). Off, only speakers, @mentions "
        "and users.json names are replaced.",
    )
    if not st.session_state[Keys.DETECT_NAMES]:
        st.warning(
            "Weaker anonymisation: names in message text are not searched for, so a person "
            "mentioned but never speaking may reach the model."
            + ("" if names.available() else " Install the 'ner' extra to turn it on.")
        )
    if st.button("Anonymise"):
        _start(store, transcript)
    if st.session_state.get(Keys.INCIDENT) is None or transcript is None:
        st.caption("Nothing is sent anywhere before this step.")
        return None
    try:
        return _prepared(store, memo)
    except DraftingError as err:
        st.error(str(err))
        return None


def _start(store: Store, transcript: Transcript | None) -> None:
    inputs = current_inputs()
    if not inputs.transcript.strip():
        st.error("Paste or upload a transcript first.")
        return
    if transcript is None:
        return  # the parse error is already on screen
    st.session_state[Keys.INCIDENT] = start_incident(store, inputs)
    # In the URL, so a browser reload comes back to this incident.
    st.query_params["incident"] = str(st.session_state[Keys.INCIDENT])
    for key in (Keys.DRAFT, Keys.VERSION, Keys.SUGGESTED, Keys.STAGES, Keys.ERROR):
        st.session_state.pop(key, None)
    st.session_state.setdefault(Keys.ROLES, {})
    st.session_state.setdefault(Keys.DECISIONS, {})


def _prepared(store: Store, memo: Memo) -> Prepared:
    roles: dict[str, str] = st.session_state.get(Keys.ROLES, {})
    decisions: dict[str, str] = st.session_state.get(Keys.DECISIONS, {})
    detect = bool(st.session_state.get(Keys.DETECT_NAMES))
    prepared = prepare(
        current_inputs(), roles=roles, decisions=decisions, detect_names=detect, cache=memo
    )
    incident = st.session_state[Keys.INCIDENT]
    if st.session_state.get(Keys.MAPPING_SAVED) != incident:  # once per incident, on this machine
        save_roles(store, incident, roles, decisions, prepared.found.mapping())
        st.session_state[Keys.MAPPING_SAVED] = incident
    _participants(store, prepared.found, prepared.roster, roles, decisions)
    key = (prepared.inputs.key(), detect, digest(repr(sorted(roles.items())),
           repr(sorted(decisions.items())), prepared.notes))  # fmt: skip
    preview = memo.get("egress", key, lambda: _egress_text(prepared.anonymised, prepared.notes))
    leaks = memo.get("leaks", key, lambda: egress.leaks(preview, prepared.roster))
    render_preview(store, prepared, preview, leaks, roles, decisions)
    return prepared


def _egress_text(anon: Transcript, notes: str | None) -> str:
    condensed = condense(anon, budget_tokens=transcript_budget())
    return data_message(condensed.text, notes)


def _participants(
    store: Store, base: Roster, roster: Roster, roles: dict[str, str], decisions: dict[str, str]
) -> None:
    suggested: dict[str, str] = st.session_state.get(Keys.SUGGESTED, {})
    rows = [
        {
            "pseudonym": e.pseudonym,
            "names (local only)": ", ".join(e.names),
            "messages": e.message_count,
            "found by": e.source,
            "role": roles.get(e.pseudonym, ""),
            "suggested role": suggested.get(e.pseudonym, ""),
        }
        for e in roster.entries
    ]
    st.markdown("**Participants** (names stay on this machine; give each a role)")
    edited = st.data_editor(
        rows,
        key="participants_editor",
        disabled=["pseudonym", "names (local only)", "messages", "found by", "suggested role"],
        hide_index=True,
        width="stretch",
    )
    new_roles: dict[str, str] = {}
    for row in edited:
        role = str(row.get("role") or "").strip()
        if role:
            new_roles[str(row["pseudonym"])] = role
    if suggested and st.button("Use the suggested roles for the empty ones"):
        new_roles = {**suggested, **new_roles}
    detected = [e for e in base.entries if e.source == "detected"]
    new_decisions = dict(decisions)
    if detected:
        st.markdown("**Names found in message text**: keep each anonymised, or dismiss it")
        for e in detected:
            name = e.names[0]
            keep = st.checkbox(
                f"{name} ({e.pseudonym}) is a person",
                value=decisions.get(name) != DISMISSED,
                key=f"keep-{name}",
            )
            new_decisions[name] = CONFIRMED if keep else DISMISSED
    if new_roles != roles or new_decisions != decisions:
        st.session_state[Keys.ROLES] = new_roles
        st.session_state[Keys.DECISIONS] = new_decisions
        incident = st.session_state[Keys.INCIDENT]
        save_roles(store, incident, new_roles, new_decisions, base.mapping())
        st.rerun()
