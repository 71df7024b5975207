"""Step 4: review and edit each section, with its lint findings and regeneration (UI only)."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from drafting.anonymise.prepare import Prepared
from drafting.draft.pipeline import regenerate_section
from drafting.errors import DraftingError
from drafting.model.connect import client_from_settings
from drafting.report import (
    EDITABLE,
    REGENERABLE,
    TABLE_SECTIONS,
    TITLES,
    Origin,
    Postmortem,
    Section,
)
from drafting.review.findings import (
    SectionFinding,
    apply_rewrite,
    apply_suggestion,
    draft_findings,
    flagged_sentence_in,
    is_drop_in,
    lintable_text,
)
from drafting.review.rewrite import rewrite_sentence
from drafting.review.sections import (
    cited_messages,
    keep_human_edits,
    section_choices,
    section_rows,
    section_text,
    with_section_rows,
    with_section_text,
)
from drafting.review.session import (
    apply_confirmed_roles,
    mark_model_written,
    save_version,
)
from drafting.store import Store, VersionKind
from ui.approve import acknowledgements
from ui.state import Keys, Memo, bump, rev

_SEVERITY_ICON = {"error": ":red[error]", "warning": ":orange[warning]", "info": ":blue[info]"}


def _commit(store: Store, pm: Postmortem, kind: VersionKind, section: Section | None) -> None:
    incident: int = st.session_state[Keys.INCIDENT]
    st.session_state[Keys.DRAFT] = pm
    st.session_state[Keys.VERSION] = save_version(store, incident, pm, kind, section)
    st.session_state.setdefault(Keys.EDIT_ERRORS, {}).pop(section.value if section else "", None)


def _fail(section: Section, err: DraftingError) -> None:
    st.session_state.setdefault(Keys.EDIT_ERRORS, {})[section.value] = str(err)


def _on_text(store: Store, section: Section, widget: str) -> None:
    try:
        pm = with_section_text(st.session_state[Keys.DRAFT], section, st.session_state[widget])
    except DraftingError as err:
        _fail(section, err)
        return
    _commit(store, pm, VersionKind.EDIT, section)


def _on_apply(store: Store, item: SectionFinding) -> None:
    _fix(store, item, lambda pm: apply_suggestion(pm, item))


def _fix(store: Store, item: SectionFinding, change: Callable[[Postmortem], Postmortem]) -> None:
    """Apply a fix for a lint finding to the draft and store it, or show why it failed."""
    try:
        pm = change(st.session_state[Keys.DRAFT])
    except DraftingError as err:
        _fail(item.section, err)
        return
    _commit(store, pm, VersionKind.LINT_FIX, item.section)
    bump(item.section)


def _on_ack(store: Store, item: SectionFinding, widget: str) -> None:
    reason = str(st.session_state.get(widget, "")).strip()
    if not reason:
        _fail(item.section, DraftingError("Give a reason to keep this wording."))
        return
    store.acknowledge(st.session_state[Keys.INCIDENT], item.key, reason)
    st.session_state.pop(Keys.ACKS, None)  # re-read on the next run
    st.session_state.setdefault(Keys.EDIT_ERRORS, {}).pop(item.section.value, None)


def render_review(store: Store, memo: Memo, prepared: Prepared | None) -> Postmortem | None:
    """Step 4: every section editable, with provenance, review flags and inline lint."""
    pm: Postmortem | None = st.session_state.get(Keys.DRAFT)
    if pm is None:
        return None
    if prepared is not None:
        pm = _sync_roles(store, pm, prepared)
    version = st.session_state.get(Keys.VERSION)
    findings = memo.get("draft-lint", version, lambda: draft_findings(pm))
    acks = acknowledgements(store)
    st.subheader("4. Review and edit")
    st.markdown(f"### {pm.title}")
    for section in EDITABLE:
        with st.container(border=True):
            _section(
                store, pm, section, [f for f in findings if f.section is section], acks, prepared
            )
    return pm


def _sync_roles(store: Store, pm: Postmortem, prepared: Prepared) -> Postmortem:
    """Write roles confirmed or changed since drafting into the draft (a new stored version)."""
    roles = dict(st.session_state.get(Keys.ROLES, {}))
    version = st.session_state.get(Keys.VERSION)
    if version is None or st.session_state.get(Keys.DRAFT_ROLES) == (version, roles):
        return pm  # already compared: skip the store read on every rerun
    incident: int = st.session_state[Keys.INCIDENT]
    new, new_version = apply_confirmed_roles(store, incident, pm, version, prepared.roster, roles)
    st.session_state[Keys.DRAFT_ROLES] = (new_version, roles)
    if new is not pm:
        st.session_state[Keys.DRAFT], st.session_state[Keys.VERSION] = new, new_version
        bump()  # every section's widget must show the relabelled text
    return new


def _section(
    store: Store,
    pm: Postmortem,
    section: Section,
    findings: list[SectionFinding],
    acks: dict[str, str],
    prepared: Prepared | None,
) -> None:
    origin = pm.origins.get(section, Origin.MODEL)
    badge = (
        ":violet-badge[human-edited]" if origin is Origin.HUMAN else ":gray-badge[model-written]"
    )
    if origin is not Origin.HUMAN and not lintable_text(pm, section).strip():
        badge = ":gray-badge[empty]"
    st.markdown(f"**{TITLES[section]}** {badge}")
    flags = [f for f in pm.flags if f.section is section]
    for flag in flags:
        st.warning(f"Needs review: {flag.message}")
    if flags and prepared is not None:
        _cited(pm, section, prepared)
    if section in TABLE_SECTIONS:
        _table(store, pm, section)
    else:
        widget = f"text-{section.value}-{rev(section)}"
        st.text_area(
            TITLES[section], value=section_text(pm, section), key=widget, height=140,
            on_change=_on_text, args=(store, section, widget), label_visibility="collapsed",
        )  # fmt: skip
    error = st.session_state.get(Keys.EDIT_ERRORS, {}).get(section.value)
    if error:
        st.error(error)
    for n, item in enumerate(findings):
        _finding(store, item, acks.get(item.key), f"{section.value}-{n}-{rev(section)}", prepared)
    if section in REGENERABLE and prepared is not None:
        st.button(
            f"Regenerate {TITLES[section]}", key=f"regen-{section.value}",
            on_click=_on_regenerate, args=(store, section, prepared),
        )  # fmt: skip


def _cited(pm: Postmortem, section: Section, prepared: Prepared) -> None:
    """The messages a flagged section cites, one click away (local: real names are shown)."""
    by_id = prepared.transcript.by_id()
    ids = [mid for mid in cited_messages(pm, section) if mid in by_id]
    if not ids:
        return
    with st.expander(f"Cited messages ({len(ids)})"):
        for mid in ids:
            m = by_id[mid]
            when = m.ts.strftime("%H:%M") if m.ts is not None else ""
            st.markdown(f"`{mid}` {when} **{m.speaker or 'unknown'}**")
            st.text(m.text)


def _table(store: Store, pm: Postmortem, section: Section) -> None:
    rows = section_rows(pm, section)
    columns = {
        name: st.column_config.SelectboxColumn(name, options=options, required=True)
        for name, options in section_choices(section).items()
    }
    edited = st.data_editor(
        rows,
        key=f"table-{section.value}-{rev(section)}",
        num_rows="dynamic",
        width="stretch",
        column_config=columns,
    )
    if edited == rows:
        return
    try:
        new = with_section_rows(pm, section, list(edited))
    except DraftingError as err:
        st.error(str(err))
        return
    _commit(store, new, VersionKind.EDIT, section)
    bump(section)  # the editor's pending changes are now in the data: start it afresh
    st.rerun()


def _finding(
    store: Store, item: SectionFinding, ack: str | None, key: str, prepared: Prepared | None
) -> None:
    f = item.finding
    st.markdown(
        f"{_SEVERITY_ICON.get(f.severity, f.severity)} **{f.rule}** line {f.line}: {f.message}  \n"
        f"“{f.match}” → *{f.suggestion or 'no suggestion'}*"
    )
    cols = st.columns([1, 2, 1])
    if is_drop_in(f):
        cols[0].button(
            "Apply suggestion", key=f"apply-{key}", on_click=_on_apply, args=(store, item)
        )
    elif prepared is not None:
        cols[0].button("Rewrite with the model", key=f"rewrite-{key}", on_click=_on_rewrite,
                       args=(item, prepared))  # fmt: skip
    _proposal(store, item, key)
    if ack:
        cols[1].caption(f"Acknowledged: {ack}")
    elif f.severity == "error":
        widget = f"reason-{key}"
        cols[1].text_input("Reason to keep it", key=widget, label_visibility="collapsed",
                           placeholder="Reason to keep this wording")  # fmt: skip
        cols[2].button(
            "Acknowledge", key=f"ack-{key}", on_click=_on_ack, args=(store, item, widget)
        )


def _on_rewrite(item: SectionFinding, prepared: Prepared) -> None:
    """Ask the model for a blameless rewrite of the flagged sentence; shown, never auto-applied."""
    try:
        sentence = flagged_sentence_in(st.session_state[Keys.DRAFT], item)
        client = client_from_settings(prepared.roster, redact=prepared.options)
        rewrite = rewrite_sentence(client, sentence)
    except DraftingError as err:
        _fail(item.section, err)
        return
    st.session_state.setdefault(Keys.REWRITES, {})[item.key] = (sentence, rewrite)


def _proposal(store: Store, item: SectionFinding, key: str) -> None:
    proposal = st.session_state.get(Keys.REWRITES, {}).get(item.key)
    if proposal is None:
        return
    st.info(f"Model rewrite (passes the lint): {proposal[1]}")
    st.button("Use rewrite", key=f"use-rewrite-{key}", on_click=_on_use_rewrite,
              args=(store, item, proposal))  # fmt: skip


def _on_use_rewrite(store: Store, item: SectionFinding, proposal: tuple[str, str]) -> None:
    st.session_state.get(Keys.REWRITES, {}).pop(item.key, None)
    _fix(store, item, lambda pm: apply_rewrite(pm, item, *proposal))


def _on_regenerate(store: Store, section: Section, prepared: Prepared) -> None:
    pm: Postmortem = st.session_state[Keys.DRAFT]
    try:
        client = client_from_settings(prepared.roster, redact=prepared.options)
        result = regenerate_section(
            pm, section.value, transcript_anon=prepared.anonymised, client=client,
            roster=prepared.roster, notes=prepared.notes,
        )  # fmt: skip
    except DraftingError as err:
        _fail(section, err)
        return
    new = keep_human_edits(pm, mark_model_written(result.postmortem, [section]), section)
    _commit(store, new, VersionKind.REGENERATION, section)
    bump(section)
