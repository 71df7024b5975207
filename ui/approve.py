"""Steps 5 and 6: approve (named reviewer, nothing blocking), then export (UI only)."""

from __future__ import annotations

import streamlit as st

from drafting.export import data as export
from drafting.export import markdown
from drafting.report import Postmortem
from drafting.review.findings import approval_blockers, can_export, draft_findings
from drafting.review.session import approve
from drafting.store import Store
from ui.state import Keys, Memo


def acknowledgements(store: Store) -> dict[str, str]:
    """The incident's lint acknowledgements, read from the store once per incident."""
    incident = st.session_state[Keys.INCIDENT]
    cached = st.session_state.get(Keys.ACKS)
    if cached is None or cached[0] != incident:
        cached = (incident, store.acknowledgements(incident))
        st.session_state[Keys.ACKS] = cached
    return dict(cached[1])


def render_approve(store: Store, memo: Memo, pm: Postmortem) -> Postmortem:
    """Step 5: the reviewer's name and the Approve button, with what still blocks approval."""
    st.subheader("5. Approve")
    if pm.approval is not None:
        st.success(
            f"Approved by {pm.approval.reviewer} at {pm.approval.approved_at:%Y-%m-%d %H:%M} UTC."
        )
    reviewer = st.text_input("Reviewer", key=Keys.REVIEWER)
    findings = memo.get(
        "draft-lint", st.session_state.get(Keys.VERSION), lambda: draft_findings(pm)
    )
    acks = acknowledgements(store)
    blockers = approval_blockers(pm, findings, acks, reviewer)
    if st.button("Approve", disabled=pm.approval is not None):
        if blockers:
            st.error("Not approved yet:\n" + "\n".join(f"- {b}" for b in blockers))
        else:
            approved, version = approve(store, st.session_state[Keys.INCIDENT], pm, reviewer)
            st.session_state[Keys.DRAFT], st.session_state[Keys.VERSION] = approved, version
            st.rerun()
    elif blockers and pm.approval is None:
        st.caption("Before approval: " + " ".join(blockers))
    return pm


def _on_export(store: Store, kind: str) -> None:
    store.record_export(st.session_state[Keys.INCIDENT], st.session_state[Keys.VERSION], kind)


def render_export(store: Store, memo: Memo, pm: Postmortem) -> None:
    """Step 6: downloads, only after approval."""
    st.subheader("6. Export")
    if not can_export(pm):
        st.info("Approve the draft to export it.")
        return
    template = st.selectbox("Template", list(markdown.TEMPLATES), key=Keys.TEMPLATE)
    version = st.session_state.get(Keys.VERSION)
    text = memo.get("markdown", (version, template), lambda: markdown.render(pm, template))
    downloads = (
        ("Download Markdown", text, "postmortem.md", "text/markdown", "markdown"),
        ("Download JSON", export.to_json(pm), "postmortem.json", "application/json", "json"),
        ("Download action items (CSV)", export.action_items_csv(pm), "action-items.csv",
         "text/csv", "csv"),
    )  # fmt: skip
    for col, (label, data, name, mime, kind) in zip(st.columns(3), downloads, strict=True):
        col.download_button(
            label, data, file_name=name, mime=mime, on_click=_on_export, args=(store, kind)
        )
