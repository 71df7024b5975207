"""The egress preview: exactly what will be sent, every replacement marked, lines withheld from
the model, and words that could still be names, each one click from being anonymised (UI only).
"""

from __future__ import annotations

import html

import streamlit as st

from drafting.anonymise.prepare import Prepared
from drafting.anonymise.preview import marked, possible_names
from drafting.anonymise.roster import CONFIRMED, DISMISSED
from drafting.anonymise.untrusted import PLACEHOLDER, has_withheld
from drafting.review.session import save_roles
from drafting.store import Store
from ui.state import Keys


def render_preview(
    store: Store,
    prepared: Prepared,
    preview: str,
    leaks: list[str],
    roles: dict[str, str],
    decisions: dict[str, str],
) -> None:
    """The preview, its marked-up view, what was withheld, and the possible names."""
    labels = [e.label for e in prepared.roster.entries] + [
        e.pseudonym for e in prepared.roster.entries
    ]
    with st.expander("Exactly what will be sent to the model (egress preview)"):
        st.code(preview, language=None, wrap_lines=True)
        st.download_button(
            "Download egress preview",
            preview,
            file_name="egress-preview.txt",
            mime="text/plain",
            on_click="ignore",
        )
    with st.expander("What the anonymiser replaced (highlighted)"):
        st.html(_highlighted(preview, labels))
    if leaks:
        st.error(f"The preview still contains {', '.join(leaks)}; it will not be sent.")
    withheld = [m.id for m in prepared.anonymised.messages if has_withheld(m.text)]
    if withheld:
        st.warning(
            f"Withheld from the model: a line addressed to it in {', '.join(withheld)} (shown as "
            f"{PLACEHOLDER}). Read those messages yourself; the draft will not use them."
        )
    _possible_names(store, prepared, labels, roles, decisions)


def _highlighted(text: str, labels: list[str]) -> str:
    parts = [
        f"<mark>{html.escape(piece)}</mark>" if replaced else html.escape(piece)
        for piece, replaced in marked(text, labels)
    ]
    return "<pre style='white-space: pre-wrap'>" + "".join(parts) + "</pre>"


def _possible_names(
    store: Store,
    prepared: Prepared,
    labels: list[str],
    roles: dict[str, str],
    decisions: dict[str, str],
) -> None:
    texts = [m.text for m in prepared.anonymised.messages] + [prepared.notes or ""]
    known = [w for label in labels for w in label.split()] + [
        n for n, d in decisions.items() if d == DISMISSED
    ]
    candidates = possible_names(texts, known=known)
    if not candidates:
        return
    st.markdown("**Words that could still be names**: tick the ones that are people")
    chosen = dict(decisions)
    for word in candidates:
        if st.checkbox(f"{word} is a person", value=False, key=f"person-{word}"):
            chosen[word] = CONFIRMED
    if chosen != decisions:
        st.session_state[Keys.DECISIONS] = chosen
        incident = st.session_state[Keys.INCIDENT]
        save_roles(store, incident, roles, chosen, prepared.found.mapping())
        st.rerun()
