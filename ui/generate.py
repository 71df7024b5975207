"""Step 3: generate the draft with a live status panel per stage (UI only)."""

from __future__ import annotations

import streamlit as st

from drafting.anonymise.prepare import Prepared
from drafting.draft.pipeline import DraftIncompleteError, DraftResult, StageEvent, draft
from drafting.errors import DraftingError
from drafting.model.connect import backend_label, client_from_settings
from drafting.model.queue import waiting_message
from drafting.report import Postmortem, Section
from drafting.review.session import mark_model_written, save_version
from drafting.settings import load_settings
from drafting.store import Store, VersionKind
from ui.state import Keys, bump


def _backend() -> str:
    """The configured backend, named without starting anything."""
    try:
        return backend_label(load_settings())
    except DraftingError as err:
        return f"not configured ({err})"


def render_generate(store: Store, prepared: Prepared) -> None:
    """The Generate draft button, the stage log of the last run and any error."""
    st.subheader("3. Generate draft")
    st.caption(f"Model: {_backend()}")
    if st.session_state.get(Keys.PARTIAL) is not None:
        st.info("The last run stopped early; Generate draft continues after its finished stages.")
    if st.button("Generate draft", type="primary"):
        _generate(store, prepared)
    error = st.session_state.get(Keys.ERROR)
    if error:
        st.error(error)
    log: list[str] = st.session_state.get(Keys.STAGES, [])
    if log:
        with st.expander("Last run, stage by stage"):
            st.text("\n".join(log))


def _generate(store: Store, prepared: Prepared) -> None:
    incident: int = st.session_state[Keys.INCIDENT]
    st.session_state[Keys.ERROR] = None
    log: list[str] = []
    st.session_state[Keys.STAGES] = log
    with st.status("Drafting...", expanded=True) as status:
        bar = st.progress(0.0)

        def on_progress(event: StageEvent) -> None:
            log.append(event.line())
            status.write(event.line())
            status.update(label=f"Drafting: {event.stage} ({event.index}/{event.total})")
            if event.status in ("done", "kept"):
                bar.progress(event.index / event.total)

        def on_wait(place: int) -> None:
            status.update(label=waiting_message(place))

        try:
            client = client_from_settings(prepared.roster, redact=prepared.options)
            status.write(f"Model: {client.describe()}")
            result = draft(
                prepared.anonymised,
                notes=prepared.notes,
                client=client,
                roster=prepared.roster,
                on_progress=on_progress,
                resume=st.session_state.get(Keys.PARTIAL),
                on_wait=on_wait,
            )
        except DraftIncompleteError as err:
            _keep_partial(store, incident, err.partial)
            st.session_state[Keys.ERROR] = str(err)
            status.update(label="The draft stopped; finished stages are kept.", state="error")
            return
        except DraftingError as err:
            st.session_state[Keys.ERROR] = str(err)
            status.update(label="The draft could not start.", state="error")
            return
        _finish(store, incident, result)
        status.update(label=f"Draft ready ({result.usage.seconds:.0f} s)", state="complete")
        log.append(f"total {result.usage.prompt_tokens}+{result.usage.completion_tokens} tokens "
                   f"{result.usage.seconds:.1f}s")  # fmt: skip
    # Run again so the steps drawn above (participants: the model's suggested roles) update.
    st.rerun()


def _keep_partial(store: Store, incident: int, partial: DraftResult) -> None:
    st.session_state[Keys.PARTIAL] = partial
    save_version(store, incident, partial.postmortem, VersionKind.STAGE)


def _finish(store: Store, incident: int, result: DraftResult) -> None:
    pm: Postmortem = mark_model_written(result.postmortem, list(Section))
    st.session_state[Keys.DRAFT] = pm
    # The roles the draft is labelled with, so roles changed later can be written into it.
    roles = dict(st.session_state.get(Keys.ROLES, {}))
    st.session_state[Keys.VERSION] = save_version(
        store, incident, pm, VersionKind.GENERATION, roles=roles
    )
    st.session_state[Keys.SUGGESTED] = dict(result.proposed_roles)
    st.session_state.pop(Keys.PARTIAL, None)
    bump()
